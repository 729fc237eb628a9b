package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

const groupCols = `account_id, name, path, id, created_at`

func scanGroup(sc scanner) (*store.IAMGroup, error) {
	var g store.IAMGroup
	var created int64
	if err := sc.Scan(&g.AccountID, &g.Name, &g.Path, &g.ID, &created); err != nil {
		return nil, err
	}
	g.CreatedAt = fromNanos(created)
	return &g, nil
}

func getGroup(ctx context.Context, q querier, accountID, name string) (*store.IAMGroup, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, `SELECT `+groupCols+` FROM iam_groups WHERE account_id = $1 AND name_lower = $2`,
		accountID, strings.ToLower(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("group %s: %w", name, store.ErrNotFound)
	}
	return g, err
}

// CreateGroup implements store.IAM.
func (s *Store) CreateGroup(ctx context.Context, g *store.IAMGroup) error {
	err := s.iamTx(ctx, g.AccountID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_groups (account_id, name_lower, name, path, id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			g.AccountID, strings.ToLower(g.Name), g.Name, g.Path, g.ID, toNanos(g.CreatedAt))
		if s.d.isUnique(err) {
			return fmt.Errorf("group %s: %w", g.Name, store.ErrExists)
		}
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", g.AccountID, store.ErrNotFound)
		}
		return err
	})
	return iamWrap("create group", err)
}

// GetGroup implements store.IAM.
func (s *Store) GetGroup(ctx context.Context, accountID, name string) (*store.IAMGroup, error) {
	g, err := getGroup(ctx, s.r, accountID, name)
	return g, iamWrap("get group", err)
}

// ListGroups implements store.IAM.
func (s *Store) ListGroups(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*store.IAMGroup, error) {
	args := []any{accountID, after}
	where, args := pathFilter(pathPrefix, args)
	rows, err := s.r.QueryContext(ctx, `SELECT `+groupCols+` FROM iam_groups WHERE account_id = $1 AND name_lower > $2`+
		where+` ORDER BY name_lower`+limitClause(limit), args...)
	if err != nil {
		return nil, iamWrap("list groups", err)
	}
	return collect(rows, scanGroup, "list groups")
}

// DeleteGroup implements store.IAM.
func (s *Store) DeleteGroup(ctx context.Context, accountID, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		g, err := getGroup(ctx, tx, accountID, name)
		if err != nil {
			return err
		}
		checks := []struct {
			c     store.Conflict
			query string
		}{
			{store.ConflictMembers, `SELECT 1 FROM iam_group_members WHERE group_id = $1 LIMIT 1`},
			{store.ConflictInlinePolicies, `SELECT 1 FROM iam_inline_policies WHERE entity_id = $1 LIMIT 1`},
			{store.ConflictAttachedPolicies, `SELECT 1 FROM iam_attachments WHERE entity_id = $1 LIMIT 1`},
		}
		for _, c := range checks {
			found, err := exists(ctx, tx, c.query, g.ID)
			if err != nil {
				return err
			}
			if found {
				return &store.ConflictError{Conflict: c.c}
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM iam_groups WHERE id = $1`, g.ID)
		return err
	})
	return iamWrap("delete group", err)
}

// AddUserToGroup implements store.IAM.
func (s *Store) AddUserToGroup(ctx context.Context, accountID, group, user string, maxGroups int) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		g, err := getGroup(ctx, tx, accountID, group)
		if err != nil {
			return err
		}
		u, err := getUser(ctx, tx, accountID, user)
		if err != nil {
			return err
		}
		member, err := exists(ctx, tx, `SELECT 1 FROM iam_group_members WHERE group_id = $1 AND user_id = $2`, g.ID, u.ID)
		if err != nil || member {
			return err
		}
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM iam_group_members WHERE user_id = $1`, u.ID)
		if err != nil {
			return err
		}
		if maxGroups > 0 && n >= maxGroups {
			return store.ErrLimitExceeded
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO iam_group_members (group_id, user_id) VALUES ($1, $2)`, g.ID, u.ID)
		return err
	})
	return iamWrap("add user to group", err)
}

// RemoveUserFromGroup implements store.IAM.
func (s *Store) RemoveUserFromGroup(ctx context.Context, accountID, group, user string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		g, err := getGroup(ctx, tx, accountID, group)
		if err != nil {
			return err
		}
		u, err := getUser(ctx, tx, accountID, user)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM iam_group_members WHERE group_id = $1 AND user_id = $2`, g.ID, u.ID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err != nil {
				return err
			}
			return fmt.Errorf("membership: %w", store.ErrNotFound)
		}
		return nil
	})
	return iamWrap("remove user from group", err)
}

// ListGroupMembers implements store.IAM.
func (s *Store) ListGroupMembers(ctx context.Context, accountID, group string) ([]*store.IAMUser, error) {
	g, err := getGroup(ctx, s.r, accountID, group)
	if err != nil {
		return nil, iamWrap("list group members", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT u.account_id, u.name, u.path, u.id, u.created_at, u.boundary, u.tags
		FROM iam_group_members m JOIN iam_users u ON u.id = m.user_id
		WHERE m.group_id = $1 ORDER BY u.name_lower`, g.ID)
	if err != nil {
		return nil, iamWrap("list group members", err)
	}
	return collect(rows, scanUser, "list group members")
}

// ListUserGroups implements store.IAM.
func (s *Store) ListUserGroups(ctx context.Context, accountID, user string) ([]*store.IAMGroup, error) {
	u, err := getUser(ctx, s.r, accountID, user)
	if err != nil {
		return nil, iamWrap("list user groups", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT g.account_id, g.name, g.path, g.id, g.created_at
		FROM iam_group_members m JOIN iam_groups g ON g.id = m.group_id
		WHERE m.user_id = $1 ORDER BY g.name_lower`, u.ID)
	if err != nil {
		return nil, iamWrap("list user groups", err)
	}
	return collect(rows, scanGroup, "list user groups")
}
