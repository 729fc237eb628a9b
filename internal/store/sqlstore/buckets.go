package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/store"
)

const bucketCols = `name, account_id, region, created_at, ownership, public_access_block, policy, acl`

// noSuchBucket is returned for a missing bucket. It matches both
// store.ErrNoSuchBucket and store.ErrNotFound, so callers may test either.
func noSuchBucket(name string) error {
	return fmt.Errorf("bucket %q: %w (%w)", name, store.ErrNoSuchBucket, store.ErrNotFound)
}

// CreateBucket stores a new bucket; ErrExists when any account has the
// name, ErrNotFound when the owner account does not exist. A zero
// CreatedAt is set to now.
func (s *Store) CreateBucket(ctx context.Context, b *store.Bucket) error {
	if b == nil || b.Name == "" {
		return errors.New("sqlstore: bucket name is required")
	}
	if b.CreatedAt.IsZero() {
		b.CreatedAt = now()
	}
	args, err := bucketArgs(b)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, `INSERT INTO buckets (`+bucketCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	switch {
	case s.d.isUnique(err):
		return fmt.Errorf("bucket %q: %w", b.Name, store.ErrExists)
	case s.d.isForeignKey(err):
		return fmt.Errorf("account %s: %w", b.AccountID, store.ErrNotFound)
	}
	return wrap("create bucket", err)
}

// GetBucket returns a bucket, or an error matching ErrNoSuchBucket and ErrNotFound.
func (s *Store) GetBucket(ctx context.Context, name string) (*store.Bucket, error) {
	return getBucket(ctx, s.r, name)
}

func getBucket(ctx context.Context, q querier, name string) (*store.Bucket, error) {
	b, err := scanBucket(q.QueryRowContext(ctx, `SELECT `+bucketCols+` FROM buckets WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSuchBucket(name)
	}
	return b, wrap("get bucket", err)
}

// UpdateBucket applies fn to the bucket in one write transaction and
// stores the result. An error from fn is returned as is and nothing is
// written; fn may not rename the bucket.
func (s *Store) UpdateBucket(ctx context.Context, name string, fn func(*store.Bucket) error) (*store.Bucket, error) {
	var b *store.Bucket
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if b, err = getBucket(ctx, tx, name); err != nil {
			return err
		}
		if err := fn(b); err != nil {
			return err
		}
		if b.Name != name {
			return fmt.Errorf("sqlstore: UpdateBucket cannot rename bucket %q", name)
		}
		args, err := bucketArgs(b)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE buckets SET account_id = $2, region = $3, created_at = $4,
			ownership = $5, public_access_block = $6, policy = $7, acl = $8 WHERE name = $1`, args...)
		if s.d.isForeignKey(err) {
			return fmt.Errorf("account %s: %w", b.AccountID, store.ErrNotFound)
		}
		return wrap("update bucket", err)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// DeleteBucket removes an empty bucket and its in-progress uploads,
// returning the uploads' part blob ids; ErrBucketNotEmpty when objects
// remain.
func (s *Store) DeleteBucket(ctx context.Context, name string) (orphanIDs []string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needBucket(ctx, tx, name); err != nil {
			return err
		}
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM objects WHERE bucket = $1 LIMIT 1`, name).Scan(&one)
		if err == nil {
			return fmt.Errorf("bucket %q: %w", name, store.ErrBucketNotEmpty)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return wrap("delete bucket", err)
		}
		ids, err := queryStrings(ctx, tx, `SELECT p.blob_id FROM parts p JOIN uploads u ON u.id = p.upload_id WHERE u.bucket = $1`, name)
		if err != nil {
			return wrap("delete bucket", err)
		}
		orphanIDs = orphans(ids, nil)
		for _, q := range []string{
			`DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE bucket = $1)`,
			`DELETE FROM uploads WHERE bucket = $1`,
			`DELETE FROM buckets WHERE name = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, name); err != nil {
				return wrap("delete bucket", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orphanIDs, nil
}

// ListBuckets lists an account's buckets by name: names with prefix and
// > after, at most limit (limit <= 0: all).
func (s *Store) ListBuckets(ctx context.Context, accountID, prefix, after string, limit int) ([]*store.Bucket, error) {
	where, args := keyRange("name", prefix, after, []any{accountID})
	rows, err := s.r.QueryContext(ctx, `SELECT `+bucketCols+` FROM buckets WHERE account_id = $1`+where+
		` ORDER BY name`+sqlLimit(limit), args...)
	if err != nil {
		return nil, wrap("list buckets", err)
	}
	defer rows.Close()
	var out []*store.Bucket
	for rows.Next() {
		b, err := scanBucket(rows)
		if err != nil {
			return nil, wrap("list buckets", err)
		}
		out = append(out, b)
	}
	return out, wrap("list buckets", rows.Err())
}

// bucketArgs returns b's columns in bucketCols order.
func bucketArgs(b *store.Bucket) ([]any, error) {
	var pab any // NULL when none
	if b.PublicAccessBlock != nil {
		s, err := encodeJSON("PublicAccessBlock", b.PublicAccessBlock)
		if err != nil {
			return nil, err
		}
		pab = s
	}
	return []any{b.Name, b.AccountID, b.Region, toNanos(b.CreatedAt), b.Ownership, pab, b.Policy, b.ACL}, nil
}

func scanBucket(sc scanner) (*store.Bucket, error) {
	var b store.Bucket
	var created int64
	var pab sql.NullString
	if err := sc.Scan(&b.Name, &b.AccountID, &b.Region, &created, &b.Ownership, &pab, &b.Policy, &b.ACL); err != nil {
		return nil, err
	}
	b.CreatedAt = fromNanos(created)
	if pab.Valid {
		b.PublicAccessBlock = new(store.PublicAccessBlock)
		if err := decodeJSON("public_access_block", pab.String, b.PublicAccessBlock); err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// queryStrings returns the single string column of a query's rows.
func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
