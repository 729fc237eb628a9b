package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

const roleCols = `account_id, name, path, id, created_at, trust, description, max_session, boundary, tags`

func scanRole(sc scanner) (*store.IAMRole, error) {
	var r store.IAMRole
	var created int64
	var tags string
	if err := sc.Scan(&r.AccountID, &r.Name, &r.Path, &r.ID, &created, &r.AssumeRolePolicy, &r.Description,
		&r.MaxSessionDuration, &r.PermissionsBoundary, &tags); err != nil {
		return nil, err
	}
	r.CreatedAt = fromNanos(created)
	var err error
	r.Tags, err = decodeTags(tags)
	return &r, err
}

func getRole(ctx context.Context, q querier, accountID, name string) (*store.IAMRole, error) {
	r, err := scanRole(q.QueryRowContext(ctx, `SELECT `+roleCols+` FROM iam_roles WHERE account_id = $1 AND name_lower = $2`,
		accountID, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("role %s: %w", name, store.ErrNotFound)
	}
	return r, err
}

// CreateRole implements store.IAM.
func (s *Store) CreateRole(ctx context.Context, r *store.IAMRole) error {
	tags, err := encodeTags(r.Tags)
	if err != nil {
		return err
	}
	err = s.iamTx(ctx, r.AccountID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_roles (account_id, name_lower, name, path, id, created_at, trust,
			description, max_session, boundary, tags) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			r.AccountID, strings.ToLower(r.Name), r.Name, r.Path, r.ID, toNanos(r.CreatedAt), r.AssumeRolePolicy,
			r.Description, r.MaxSessionDuration, r.PermissionsBoundary, tags)
		if s.d.isUnique(err) {
			return fmt.Errorf("role %s: %w", r.Name, store.ErrExists)
		}
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", r.AccountID, store.ErrNotFound)
		}
		return err
	})
	return iamWrap("create role", err)
}

// GetRole implements store.IAM.
func (s *Store) GetRole(ctx context.Context, accountID, name string) (*store.IAMRole, error) {
	r, err := getRole(ctx, s.r, accountID, name)
	return r, iamWrap("get role", err)
}

// ListRoles implements store.IAM.
func (s *Store) ListRoles(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*store.IAMRole, error) {
	args := []any{accountID, after}
	where, args := pathFilter(pathPrefix, args)
	rows, err := s.r.QueryContext(ctx, `SELECT `+roleCols+` FROM iam_roles WHERE account_id = $1 AND name_lower > $2`+
		where+` ORDER BY name_lower`+limitClause(limit), args...)
	if err != nil {
		return nil, iamWrap("list roles", err)
	}
	return collect(rows, scanRole, "list roles")
}

// UpdateRole implements store.IAM. Name and Path cannot change.
func (s *Store) UpdateRole(ctx context.Context, accountID, name string, fn func(*store.IAMRole) error) (*store.IAMRole, error) {
	var out *store.IAMRole
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		r, err := getRole(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return callbackErr{err}
		}
		tags, err := encodeTags(r.Tags)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE iam_roles SET trust = $1, description = $2, max_session = $3, boundary = $4, tags = $5
			WHERE id = $6`, r.AssumeRolePolicy, r.Description, r.MaxSessionDuration, r.PermissionsBoundary, tags, r.ID)
		out = r
		return err
	})
	return out, iamWrap("update role", err)
}

// DeleteRole implements store.IAM.
func (s *Store) DeleteRole(ctx context.Context, accountID, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		r, err := getRole(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		checks := []struct {
			c     store.Conflict
			query string
		}{
			{store.ConflictInstanceProfiles, `SELECT 1 FROM iam_instance_profile_roles WHERE role_id = $1 LIMIT 1`},
			{store.ConflictInlinePolicies, `SELECT 1 FROM iam_inline_policies WHERE entity_id = $1 LIMIT 1`},
			{store.ConflictAttachedPolicies, `SELECT 1 FROM iam_attachments WHERE entity_id = $1 LIMIT 1`},
		}
		for _, c := range checks {
			found, err := exists(ctx, tx, c.query, r.ID)
			if err != nil {
				return err
			}
			if found {
				return &store.ConflictError{Conflict: c.c}
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM iam_roles WHERE id = $1`, r.ID)
		return err
	})
	return iamWrap("delete role", err)
}
