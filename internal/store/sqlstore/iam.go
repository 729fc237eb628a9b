package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

var _ store.IAM = (*Store)(nil)

// iamTx runs fn in a write transaction and bumps the account's IAM version
// in the same transaction. Errors of fn pass through unchanged.
func (s *Store) iamTx(ctx context.Context, accountID string, fn func(tx *sql.Tx) error) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO iam_versions (account_id, version) VALUES ($1, 1)
			ON CONFLICT (account_id) DO UPDATE SET version = iam_versions.version + 1`, accountID)
		return err
	})
}

// iamWrap adds context to unexpected errors; store errors (including
// *store.ConflictError) and errors returned by caller callbacks pass
// through unchanged.
func iamWrap(op string, err error) error {
	if err == nil {
		return nil
	}
	for _, e := range []error{store.ErrNotFound, store.ErrExists, store.ErrLimitExceeded, store.ErrDeleteConflict} {
		if errors.Is(err, e) {
			return err
		}
	}
	var ce callbackErr
	if errors.As(err, &ce) {
		return ce.err
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// callbackErr carries an error returned by a caller's update function out
// of the transaction untouched.
type callbackErr struct{ err error }

func (e callbackErr) Error() string { return e.err.Error() }

// IAMVersion implements store.IAM.
func (s *Store) IAMVersion(ctx context.Context, accountID string) (int64, error) {
	var v int64
	err := s.r.QueryRowContext(ctx, `SELECT version FROM iam_versions WHERE account_id = $1`, accountID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, iamWrap("iam version", err)
}

// pathFilter is the WHERE term keeping paths that start with prefix.
// Paths are ASCII, so substr counts bytes on every engine.
func pathFilter(prefix string, args []any) (string, []any) {
	if prefix == "" || prefix == "/" {
		return "", args
	}
	args = append(args, len(prefix), prefix)
	return fmt.Sprintf(" AND substr(path, 1, $%d) = $%d", len(args)-1, len(args)), args
}

// limitClause is " LIMIT n" for n > 0.
func limitClause(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" LIMIT %d", n)
}

func encodeTags(tags []store.Tag) (string, error) {
	if tags == nil {
		tags = []store.Tag{}
	}
	return encodeJSON("tags", tags)
}

func decodeTags(s string) ([]store.Tag, error) {
	var tags []store.Tag
	if err := decodeJSON("tags", s, &tags); err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, nil
	}
	return tags, nil
}

// entityTable is the table of an entity kind.
func entityTable(kind store.EntityKind) (string, error) {
	switch kind {
	case store.UserEntity:
		return "iam_users", nil
	case store.GroupEntity:
		return "iam_groups", nil
	case store.RoleEntity:
		return "iam_roles", nil
	}
	return "", fmt.Errorf("sqlstore: unknown IAM entity kind %q", kind)
}

// entityID returns the unique id of a user, group or role, or ErrNotFound.
func entityID(ctx context.Context, q querier, accountID string, kind store.EntityKind, name string) (string, error) {
	table, err := entityTable(kind)
	if err != nil {
		return "", err
	}
	var id string
	err = q.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE account_id = $1 AND name_lower = $2`,
		accountID, strings.ToLower(name)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%s %s: %w", kind, name, store.ErrNotFound)
	}
	return id, err
}

// exists reports whether the query returns a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// count runs a COUNT query.
func count(ctx context.Context, q querier, query string, args ...any) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, query, args...).Scan(&n)
	return n, err
}
