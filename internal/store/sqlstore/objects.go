package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/store"
)

const objectCols = `bucket, object_key, size, etag, last_modified, checksum, meta, segments`

// PutObject creates or replaces an object, checking c in the same write
// transaction, and returns the replaced object's blob ids that o no longer
// uses. A zero LastModified is set to now.
func (s *Store) PutObject(ctx context.Context, o *store.Object, c store.Cond) (orphanIDs []string, err error) {
	if o == nil || o.Bucket == "" || o.Key == "" {
		return nil, errors.New("sqlstore: object bucket and key are required")
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		orphanIDs, err = putObject(ctx, tx, o, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return orphanIDs, nil
}

// putObject is PutObject inside tx.
func putObject(ctx context.Context, tx *sql.Tx, o *store.Object, c store.Cond) ([]string, error) {
	if o.LastModified.IsZero() {
		o.LastModified = now()
	}
	args, err := objectArgs(o)
	if err != nil {
		return nil, err
	}
	old, err := getObject(ctx, tx, o.Bucket, o.Key)
	if err != nil && !errors.Is(err, errNoObject) {
		return nil, err
	}
	if old == nil {
		if err := needBucket(ctx, tx, o.Bucket); err != nil {
			return nil, err
		}
	}
	if err := checkCond(old, c, o.Key); err != nil {
		return nil, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO objects (`+objectCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (bucket, object_key) DO UPDATE SET size = excluded.size, etag = excluded.etag,
		last_modified = excluded.last_modified, checksum = excluded.checksum, meta = excluded.meta,
		segments = excluded.segments`, args...)
	if err != nil {
		return nil, wrap("put object", err)
	}
	if old == nil {
		return nil, nil
	}
	return orphans(blobIDs(old.Segments), blobSet(o.Segments)), nil
}

// checkCond applies a conditional write's If-None-Match / If-Match to the
// current object (nil when the key does not exist).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
func checkCond(cur *store.Object, c store.Cond, key string) error {
	if c.IfNoneMatch != "" && cur != nil && (c.IfNoneMatch == "*" || unquote(c.IfNoneMatch) == cur.ETag) {
		return fmt.Errorf("If-None-Match on %q: %w", key, store.ErrPrecondition)
	}
	if c.IfMatch != "" {
		if cur == nil {
			return fmt.Errorf("If-Match on %q: %w", key, store.ErrNotFound)
		}
		if c.IfMatch != "*" && unquote(c.IfMatch) != cur.ETag {
			return fmt.Errorf("If-Match on %q: %w", key, store.ErrPrecondition)
		}
	}
	return nil
}

func unquote(etag string) string {
	if len(etag) >= 2 && etag[0] == '"' && etag[len(etag)-1] == '"' {
		return etag[1 : len(etag)-1]
	}
	return etag
}

// GetObject returns an object: ErrNotFound for a missing key,
// ErrNoSuchBucket (also matching ErrNotFound) for a missing bucket.
func (s *Store) GetObject(ctx context.Context, bucket, key string) (*store.Object, error) {
	// The hot read path uses a statement prepared once (database/sql
	// re-prepares it per connection as needed).
	var o *store.Object
	var err error
	if st := s.getObjectStmt(ctx); st != nil {
		o, err = scanObject(st.QueryRowContext(ctx, bucket, key))
		if errors.Is(err, sql.ErrNoRows) {
			err = errNoObject
		} else {
			err = wrap("get object", err)
		}
	} else {
		o, err = getObject(ctx, s.r, bucket, key)
	}
	if errors.Is(err, errNoObject) {
		return nil, missingObject(ctx, s.r, bucket, key)
	}
	return o, err
}

const getObjectSQL = `SELECT ` + objectCols + ` FROM objects WHERE bucket = $1 AND object_key = $2`

// getObjectStmt prepares the GetObject query once; nil if that fails
// (callers then query unprepared).
func (s *Store) getObjectStmt(ctx context.Context) *sql.Stmt {
	s.prepOnce.Do(func() {
		st, err := s.r.PrepareContext(context.WithoutCancel(ctx), getObjectSQL)
		if err == nil {
			s.getObj = st
		}
	})
	return s.getObj
}

// errNoObject is getObject's "no row", resolved by missingObject.
var errNoObject = errors.New("sqlstore: no object")

func getObject(ctx context.Context, q querier, bucket, key string) (*store.Object, error) {
	o, err := scanObject(q.QueryRowContext(ctx, getObjectSQL, bucket, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoObject
	}
	return o, wrap("get object", err)
}

// missingObject tells a missing key from a missing bucket.
func missingObject(ctx context.Context, q querier, bucket, key string) error {
	if err := needBucket(ctx, q, bucket); err != nil {
		return err
	}
	return fmt.Errorf("object %q: %w", key, store.ErrNotFound)
}

// needBucket returns nil when the bucket exists, noSuchBucket when it does
// not, and the database error when it cannot tell.
func needBucket(ctx context.Context, q querier, bucket string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM buckets WHERE name = $1`, bucket).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return noSuchBucket(bucket)
	}
	return wrap("get bucket", err)
}

// UpdateObject applies fn to the object in one write transaction and
// stores its attributes. An error from fn is returned as is and nothing is
// written. fn may not change Bucket, Key or Segments (blob references
// change only by PutObject / CompleteUpload, which return orphans).
func (s *Store) UpdateObject(ctx context.Context, bucket, key string, fn func(*store.Object) error) (*store.Object, error) {
	var o *store.Object
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		o, err = getObject(ctx, tx, bucket, key)
		if errors.Is(err, errNoObject) {
			return missingObject(ctx, tx, bucket, key)
		}
		if err != nil {
			return err
		}
		segs := append([]store.Segment(nil), o.Segments...)
		if err := fn(o); err != nil {
			return err
		}
		if o.Bucket != bucket || o.Key != key || !sameSegments(segs, o.Segments) {
			return errors.New("sqlstore: UpdateObject cannot change an object's bucket, key or segments")
		}
		args, err := objectArgs(o)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE objects SET size = $3, etag = $4, last_modified = $5, checksum = $6,
			meta = $7 WHERE bucket = $1 AND object_key = $2`, args[:7]...)
		return wrap("update object", err)
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// DeleteObject removes an object and returns its blob ids; a missing key
// is not an error, a missing bucket is ErrNoSuchBucket.
func (s *Store) DeleteObject(ctx context.Context, bucket, key string) (orphanIDs []string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var segs string
		err := tx.QueryRowContext(ctx, `DELETE FROM objects WHERE bucket = $1 AND object_key = $2 RETURNING segments`, bucket, key).Scan(&segs)
		if errors.Is(err, sql.ErrNoRows) {
			return needBucket(ctx, tx, bucket)
		}
		if err != nil {
			return wrap("delete object", err)
		}
		var ss []store.Segment
		if err := decodeJSON("segments", segs, &ss); err != nil {
			return err
		}
		orphanIDs = orphans(blobIDs(ss), nil)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orphanIDs, nil
}

// ListObjects returns the objects whose key has prefix and is > after, in
// byte order, at most limit (limit <= 0: all); ErrNoSuchBucket when the
// bucket does not exist.
func (s *Store) ListObjects(ctx context.Context, bucket, prefix, after string, limit int) ([]*store.Object, error) {
	query, args := listObjectsQuery(bucket, prefix, after, limit)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap("list objects", err)
	}
	defer rows.Close()
	var out []*store.Object
	for rows.Next() {
		o, err := scanObject(rows)
		if err != nil {
			return nil, wrap("list objects", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list objects", err)
	}
	if len(out) == 0 {
		if err := needBucket(ctx, s.r, bucket); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// listObjectsQuery is ListObjects' query: an index range scan of
// (bucket, object_key).
func listObjectsQuery(bucket, prefix, after string, limit int) (string, []any) {
	where, args := keyRange("object_key", prefix, after, []any{bucket})
	return `SELECT ` + objectCols + ` FROM objects WHERE bucket = $1` + where + ` ORDER BY object_key` + sqlLimit(limit), args
}

// objectArgs returns o's columns in objectCols order.
func objectArgs(o *store.Object) ([]any, error) {
	meta, err := encodeJSON("ObjectMeta", o.ObjectMeta)
	if err != nil {
		return nil, err
	}
	segs, err := encodeJSON("Segments", o.Segments)
	if err != nil {
		return nil, err
	}
	return []any{o.Bucket, o.Key, o.Size, o.ETag, toNanos(o.LastModified), o.Checksum, meta, segs}, nil
}

func scanObject(sc scanner) (*store.Object, error) {
	var o store.Object
	var lm int64
	var meta, segs string
	if err := sc.Scan(&o.Bucket, &o.Key, &o.Size, &o.ETag, &lm, &o.Checksum, &meta, &segs); err != nil {
		return nil, err
	}
	o.LastModified = fromNanos(lm)
	if err := decodeJSON("meta", meta, &o.ObjectMeta); err != nil {
		return nil, err
	}
	if err := decodeJSON("segments", segs, &o.Segments); err != nil {
		return nil, err
	}
	return &o, nil
}

func blobIDs(segs []store.Segment) []string {
	ids := make([]string, len(segs))
	for i, s := range segs {
		ids[i] = s.BlobID
	}
	return ids
}

func blobSet(segs []store.Segment) map[string]bool {
	m := make(map[string]bool, len(segs))
	for _, s := range segs {
		m[s.BlobID] = true
	}
	return m
}

func sameSegments(a, b []store.Segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
