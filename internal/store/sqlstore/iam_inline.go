package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

// PutInlinePolicy implements store.IAM.
func (s *Store) PutInlinePolicy(ctx context.Context, accountID string, kind store.EntityKind, entity string, p *store.InlinePolicy, maxTotal int) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, err := entityID(ctx, tx, accountID, kind, entity)
		if err != nil {
			return err
		}
		lname := strings.ToLower(p.Name)
		others, err := count(ctx, tx, `SELECT COALESCE(SUM(size), 0) FROM iam_inline_policies WHERE entity_id = $1 AND name_lower <> $2`, id, lname)
		if err != nil {
			return err
		}
		if maxTotal > 0 && others+p.Size > maxTotal {
			return store.ErrLimitExceeded
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO iam_inline_policies (entity_id, name_lower, name, document, size)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (entity_id, name_lower) DO UPDATE SET name = excluded.name, document = excluded.document, size = excluded.size`,
			id, lname, p.Name, p.Document, p.Size)
		return err
	})
	return iamWrap("put inline policy", err)
}

// GetInlinePolicy implements store.IAM.
func (s *Store) GetInlinePolicy(ctx context.Context, accountID string, kind store.EntityKind, entity, name string) (*store.InlinePolicy, error) {
	id, err := entityID(ctx, s.r, accountID, kind, entity)
	if err != nil {
		return nil, iamWrap("get inline policy", err)
	}
	var p store.InlinePolicy
	err = s.r.QueryRowContext(ctx, `SELECT name, document, size FROM iam_inline_policies WHERE entity_id = $1 AND name_lower = $2`,
		id, strings.ToLower(name)).Scan(&p.Name, &p.Document, &p.Size)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("inline policy %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, iamWrap("get inline policy", err)
	}
	return &p, nil
}

// ListInlinePolicies implements store.IAM.
func (s *Store) ListInlinePolicies(ctx context.Context, accountID string, kind store.EntityKind, entity string) ([]*store.InlinePolicy, error) {
	id, err := entityID(ctx, s.r, accountID, kind, entity)
	if err != nil {
		return nil, iamWrap("list inline policies", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT name, document, size FROM iam_inline_policies WHERE entity_id = $1 ORDER BY name_lower`, id)
	if err != nil {
		return nil, iamWrap("list inline policies", err)
	}
	return collect(rows, func(sc scanner) (*store.InlinePolicy, error) {
		var p store.InlinePolicy
		err := sc.Scan(&p.Name, &p.Document, &p.Size)
		return &p, err
	}, "list inline policies")
}

// DeleteInlinePolicy implements store.IAM.
func (s *Store) DeleteInlinePolicy(ctx context.Context, accountID string, kind store.EntityKind, entity, name string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		id, err := entityID(ctx, tx, accountID, kind, entity)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM iam_inline_policies WHERE entity_id = $1 AND name_lower = $2`, id, strings.ToLower(name))
		return affected(res, err, "inline policy "+name)
	})
	return iamWrap("delete inline policy", err)
}

// affected turns a statement that changed no row into ErrNotFound.
func affected(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	return nil
}
