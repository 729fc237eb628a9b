package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/store"
)

const uploadCols = `id, bucket, object_key, initiated, initiator_arn, initiator_id, meta`

func noSuchUpload(id string) error {
	return fmt.Errorf("upload %q: %w", id, store.ErrNoSuchUpload)
}

// CreateUpload stores a new multipart upload; ErrNoSuchBucket when the
// bucket does not exist, ErrExists when the id is taken. A zero Initiated
// is set to now.
func (s *Store) CreateUpload(ctx context.Context, u *store.Upload) error {
	if u == nil || u.ID == "" || u.Bucket == "" || u.Key == "" {
		return errors.New("sqlstore: upload id, bucket and key are required")
	}
	if u.Initiated.IsZero() {
		u.Initiated = now()
	}
	meta, err := encodeJSON("ObjectMeta", u.ObjectMeta)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := needBucket(ctx, tx, u.Bucket); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO uploads (`+uploadCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			u.ID, u.Bucket, u.Key, toNanos(u.Initiated), u.InitiatorARN, u.InitiatorID, meta)
		if s.d.isUnique(err) {
			return fmt.Errorf("upload %q: %w", u.ID, store.ErrExists)
		}
		return wrap("create upload", err)
	})
}

// GetUpload returns the upload with this id for this bucket and key:
// ErrNoSuchUpload when there is none, ErrNoSuchBucket when the bucket
// does not exist.
func (s *Store) GetUpload(ctx context.Context, bucket, key, uploadID string) (*store.Upload, error) {
	return getUpload(ctx, s.r, bucket, key, uploadID)
}

func getUpload(ctx context.Context, q querier, bucket, key, uploadID string) (*store.Upload, error) {
	u, err := scanUpload(q.QueryRowContext(ctx, `SELECT `+uploadCols+` FROM uploads
		WHERE id = $1 AND bucket = $2 AND object_key = $3`, uploadID, bucket, key))
	if errors.Is(err, sql.ErrNoRows) {
		if err := needBucket(ctx, q, bucket); err != nil {
			return nil, err
		}
		return nil, noSuchUpload(uploadID)
	}
	return u, wrap("get upload", err)
}

// ListUploads lists a bucket's uploads whose key has prefix, ordered by
// (key, initiated, id), at most limit (limit <= 0: all). Markers follow
// ListMultipartUploads: without keyMarker, uploadIDMarker is ignored;
// with keyMarker alone, keys > keyMarker; with both, also the uploads of
// keyMarker that come after uploadIDMarker. When the marker upload still
// exists "after" is by position in the listing order (so paging with
// NextUploadIdMarker is exact); otherwise by upload id, as the API
// reference words it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
func (s *Store) ListUploads(ctx context.Context, bucket, prefix, keyMarker, uploadIDMarker string, limit int) ([]*store.Upload, error) {
	if err := needBucket(ctx, s.r, bucket); err != nil {
		return nil, err
	}
	where, args := keyRange("object_key", prefix, "", []any{bucket})
	switch {
	case keyMarker == "":
	case uploadIDMarker == "":
		args = append(args, keyMarker)
		where += fmt.Sprintf(" AND object_key > $%d", len(args))
	default:
		var initiated int64
		err := s.r.QueryRowContext(ctx, `SELECT initiated FROM uploads WHERE id = $1 AND bucket = $2 AND object_key = $3`,
			uploadIDMarker, bucket, keyMarker).Scan(&initiated)
		switch {
		case err == nil:
			args = append(args, keyMarker, initiated, uploadIDMarker)
			n := len(args)
			where += fmt.Sprintf(" AND (object_key > $%d OR (object_key = $%d AND (initiated > $%d OR (initiated = $%d AND id > $%d))))",
				n-2, n-2, n-1, n-1, n)
		case errors.Is(err, sql.ErrNoRows):
			args = append(args, keyMarker, uploadIDMarker)
			n := len(args)
			where += fmt.Sprintf(" AND (object_key > $%d OR (object_key = $%d AND id > $%d))", n-1, n-1, n)
		default:
			return nil, wrap("list uploads", err)
		}
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+uploadCols+` FROM uploads WHERE bucket = $1`+where+
		` ORDER BY object_key, initiated, id`+sqlLimit(limit), args...)
	if err != nil {
		return nil, wrap("list uploads", err)
	}
	defer rows.Close()
	var out []*store.Upload
	for rows.Next() {
		u, err := scanUpload(rows)
		if err != nil {
			return nil, wrap("list uploads", err)
		}
		out = append(out, u)
	}
	return out, wrap("list uploads", rows.Err())
}

// PutPart stores or replaces a part (ErrNoSuchUpload) and returns the
// replaced part's blob id when it differs from the new one. A zero
// LastModified is set to now.
func (s *Store) PutPart(ctx context.Context, p *store.Part) (orphan string, err error) {
	if p == nil || p.UploadID == "" {
		return "", errors.New("sqlstore: part upload id is required")
	}
	if p.LastModified.IsZero() {
		p.LastModified = now()
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM uploads WHERE id = $1`, p.UploadID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return noSuchUpload(p.UploadID)
		}
		if err != nil {
			return wrap("put part", err)
		}
		var old string
		err = tx.QueryRowContext(ctx, `SELECT blob_id FROM parts WHERE upload_id = $1 AND number = $2`, p.UploadID, p.Number).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return wrap("put part", err)
		}
		if old != p.BlobID {
			orphan = old
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO parts (upload_id, number, blob_id, size, etag, checksum, last_modified)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (upload_id, number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
			etag = excluded.etag, checksum = excluded.checksum, last_modified = excluded.last_modified`,
			p.UploadID, p.Number, p.BlobID, p.Size, p.ETag, p.Checksum, toNanos(p.LastModified))
		return wrap("put part", err)
	})
	if err != nil {
		return "", err
	}
	return orphan, nil
}

// ListParts lists an upload's parts with number > after, ascending, at
// most limit (limit <= 0: all); ErrNoSuchUpload when the upload does not exist.
func (s *Store) ListParts(ctx context.Context, uploadID string, after, limit int) ([]*store.Part, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT upload_id, number, blob_id, size, etag, checksum, last_modified
		FROM parts WHERE upload_id = $1 AND number > $2 ORDER BY number`+sqlLimit(limit), uploadID, after)
	if err != nil {
		return nil, wrap("list parts", err)
	}
	defer rows.Close()
	var out []*store.Part
	for rows.Next() {
		var p store.Part
		var lm int64
		if err := rows.Scan(&p.UploadID, &p.Number, &p.BlobID, &p.Size, &p.ETag, &p.Checksum, &lm); err != nil {
			return nil, wrap("list parts", err)
		}
		p.LastModified = fromNanos(lm)
		out = append(out, &p)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list parts", err)
	}
	if len(out) == 0 {
		var one int
		err := s.r.QueryRowContext(ctx, `SELECT 1 FROM uploads WHERE id = $1`, uploadID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, noSuchUpload(uploadID)
		}
		if err != nil {
			return nil, wrap("list parts", err)
		}
	}
	return out, nil
}

// CompleteUpload atomically stores o (checking c), and removes the upload
// and its parts, returning the blob ids that o does not use: unused parts
// and the replaced object's. ErrNoSuchUpload when the upload does not
// exist or is for another bucket or key; on any error nothing changes.
func (s *Store) CompleteUpload(ctx context.Context, uploadID string, o *store.Object, c store.Cond) (orphanIDs []string, err error) {
	if o == nil {
		return nil, errors.New("sqlstore: object is required")
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := getUpload(ctx, tx, o.Bucket, o.Key, uploadID); err != nil {
			return err
		}
		parts, err := queryStrings(ctx, tx, `SELECT blob_id FROM parts WHERE upload_id = $1 ORDER BY number`, uploadID)
		if err != nil {
			return wrap("complete upload", err)
		}
		replaced, err := putObject(ctx, tx, o, c)
		if err != nil {
			return err
		}
		if err := deleteUpload(ctx, tx, uploadID); err != nil {
			return err
		}
		orphanIDs = orphans(append(replaced, parts...), blobSet(o.Segments))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orphanIDs, nil
}

// AbortUpload removes an upload and its parts, returning the parts' blob
// ids; ErrNoSuchUpload when there is no such upload for this bucket and key.
func (s *Store) AbortUpload(ctx context.Context, bucket, key, uploadID string) (orphanIDs []string, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := getUpload(ctx, tx, bucket, key, uploadID); err != nil {
			return err
		}
		parts, err := queryStrings(ctx, tx, `SELECT blob_id FROM parts WHERE upload_id = $1 ORDER BY number`, uploadID)
		if err != nil {
			return wrap("abort upload", err)
		}
		if err := deleteUpload(ctx, tx, uploadID); err != nil {
			return err
		}
		orphanIDs = orphans(parts, nil)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return orphanIDs, nil
}

func deleteUpload(ctx context.Context, tx *sql.Tx, uploadID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM parts WHERE upload_id = $1`, uploadID); err != nil {
		return wrap("delete upload", err)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1`, uploadID)
	return wrap("delete upload", err)
}

func scanUpload(sc scanner) (*store.Upload, error) {
	var u store.Upload
	var initiated int64
	var meta string
	if err := sc.Scan(&u.ID, &u.Bucket, &u.Key, &initiated, &u.InitiatorARN, &u.InitiatorID, &meta); err != nil {
		return nil, err
	}
	u.Initiated = fromNanos(initiated)
	if err := decodeJSON("meta", meta, &u.ObjectMeta); err != nil {
		return nil, err
	}
	return &u, nil
}
