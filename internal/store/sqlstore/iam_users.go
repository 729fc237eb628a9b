package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

const userCols = `account_id, name, path, id, created_at, boundary, tags`

func scanUser(sc scanner) (*store.IAMUser, error) {
	var u store.IAMUser
	var created int64
	var tags string
	if err := sc.Scan(&u.AccountID, &u.Name, &u.Path, &u.ID, &created, &u.PermissionsBoundary, &tags); err != nil {
		return nil, err
	}
	u.CreatedAt = fromNanos(created)
	var err error
	u.Tags, err = decodeTags(tags)
	return &u, err
}

func getUser(ctx context.Context, q querier, accountID, name string) (*store.IAMUser, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM iam_users WHERE account_id = $1 AND name_lower = $2`,
		accountID, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("user %s: %w", name, store.ErrNotFound)
	}
	return u, err
}

// CreateUser implements store.IAM.
func (s *Store) CreateUser(ctx context.Context, u *store.IAMUser) error {
	tags, err := encodeTags(u.Tags)
	if err != nil {
		return err
	}
	err = s.iamTx(ctx, u.AccountID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_users (account_id, name_lower, name, path, id, created_at, boundary, tags)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			u.AccountID, strings.ToLower(u.Name), u.Name, u.Path, u.ID, toNanos(u.CreatedAt), u.PermissionsBoundary, tags)
		if s.d.isUnique(err) {
			return fmt.Errorf("user %s: %w", u.Name, store.ErrExists)
		}
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", u.AccountID, store.ErrNotFound)
		}
		return err
	})
	return iamWrap("create user", err)
}

// GetUser implements store.IAM.
func (s *Store) GetUser(ctx context.Context, accountID, name string) (*store.IAMUser, error) {
	u, err := getUser(ctx, s.r, accountID, name)
	return u, iamWrap("get user", err)
}

// ListUsers implements store.IAM.
func (s *Store) ListUsers(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*store.IAMUser, error) {
	args := []any{accountID, after}
	where, args := pathFilter(pathPrefix, args)
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM iam_users WHERE account_id = $1 AND name_lower > $2`+
		where+` ORDER BY name_lower`+limitClause(limit), args...)
	if err != nil {
		return nil, iamWrap("list users", err)
	}
	return collect(rows, scanUser, "list users")
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error), op string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, iamWrap(op, err)
		}
		out = append(out, v)
	}
	return out, iamWrap(op, rows.Err())
}

// UpdateUser implements store.IAM.
func (s *Store) UpdateUser(ctx context.Context, accountID, name string, fn func(*store.IAMUser) error) (*store.IAMUser, error) {
	var out *store.IAMUser
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		old := u.Name
		if err := fn(u); err != nil {
			return callbackErr{err}
		}
		tags, err := encodeTags(u.Tags)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE iam_users SET name_lower = $1, name = $2, path = $3, boundary = $4, tags = $5
			WHERE account_id = $6 AND id = $7`,
			strings.ToLower(u.Name), u.Name, u.Path, u.PermissionsBoundary, tags, accountID, u.ID)
		if s.d.isUnique(err) {
			return fmt.Errorf("user %s: %w", u.Name, store.ErrExists)
		}
		if err != nil {
			return err
		}
		if u.Name != old {
			// Access keys name their user.
			if _, err := tx.ExecContext(ctx, `UPDATE access_keys SET user_name = $1 WHERE account_id = $2 AND user_name = $3`,
				u.Name, accountID, old); err != nil {
				return err
			}
		}
		out = u
		return nil
	})
	return out, iamWrap("update user", err)
}

// DeleteUser implements store.IAM.
func (s *Store) DeleteUser(ctx context.Context, accountID, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		u, err := getUser(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		checks := []struct {
			c     store.Conflict
			query string
			args  []any
		}{
			{store.ConflictAccessKeys, `SELECT 1 FROM access_keys WHERE account_id = $1 AND user_name = $2 LIMIT 1`, []any{accountID, u.Name}},
			{store.ConflictInlinePolicies, `SELECT 1 FROM iam_inline_policies WHERE entity_id = $1 LIMIT 1`, []any{u.ID}},
			{store.ConflictAttachedPolicies, `SELECT 1 FROM iam_attachments WHERE entity_id = $1 LIMIT 1`, []any{u.ID}},
			{store.ConflictGroups, `SELECT 1 FROM iam_group_members WHERE user_id = $1 LIMIT 1`, []any{u.ID}},
		}
		for _, c := range checks {
			found, err := exists(ctx, tx, c.query, c.args...)
			if err != nil {
				return err
			}
			if found {
				return &store.ConflictError{Conflict: c.c}
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM iam_users WHERE account_id = $1 AND id = $2`, accountID, u.ID)
		return err
	})
	return iamWrap("delete user", err)
}
