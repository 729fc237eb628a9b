package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/store"
)

// Access keys of IAM users live in the access_keys table with the root's
// keys (user_name '' for the root).

// CreateUserAccessKey implements store.IAM.
func (s *Store) CreateUserAccessKey(ctx context.Context, k *store.AccessKey, maxKeys int) error {
	if k.CreatedAt.IsZero() {
		k.CreatedAt = now()
	}
	err := s.iamTx(ctx, k.AccountID, func(tx *sql.Tx) error {
		if k.UserName != "" {
			if _, err := getUser(ctx, tx, k.AccountID, k.UserName); err != nil {
				return err
			}
		}
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM access_keys WHERE account_id = $1 AND user_name = $2`, k.AccountID, k.UserName)
		if err != nil {
			return err
		}
		if maxKeys > 0 && n >= maxKeys {
			return store.ErrLimitExceeded
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO access_keys (id, secret, account_id, user_name, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, k.ID, k.Secret, k.AccountID, k.UserName, k.Status, toNanos(k.CreatedAt))
		switch {
		case s.d.isUnique(err):
			return fmt.Errorf("access key %s: %w", k.ID, store.ErrExists)
		case s.d.isForeignKey(err):
			return fmt.Errorf("account %s: %w", k.AccountID, store.ErrNotFound)
		}
		return err
	})
	return iamWrap("create access key", err)
}

// ListUserAccessKeys implements store.IAM.
func (s *Store) ListUserAccessKeys(ctx context.Context, accountID, user string) ([]*store.AccessKey, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, secret, account_id, user_name, status, created_at FROM access_keys
		WHERE account_id = $1 AND user_name = $2 ORDER BY created_at, id`, accountID, user)
	if err != nil {
		return nil, iamWrap("list access keys", err)
	}
	return collect(rows, func(sc scanner) (*store.AccessKey, error) {
		var k store.AccessKey
		var created int64
		err := sc.Scan(&k.ID, &k.Secret, &k.AccountID, &k.UserName, &k.Status, &created)
		k.CreatedAt = fromNanos(created)
		return &k, err
	}, "list access keys")
}

// UpdateAccessKeyStatus implements store.IAM.
func (s *Store) UpdateAccessKeyStatus(ctx context.Context, accountID, user, keyID, status string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE access_keys SET status = $1 WHERE id = $2 AND account_id = $3 AND user_name = $4`,
			status, keyID, accountID, user)
		return affected(res, err, "access key "+keyID)
	})
	return iamWrap("update access key", err)
}

// DeleteUserAccessKey implements store.IAM.
func (s *Store) DeleteUserAccessKey(ctx context.Context, accountID, user, keyID string) error {
	err := s.iamTx(ctx, accountID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM access_keys WHERE id = $1 AND account_id = $2 AND user_name = $3`,
			keyID, accountID, user)
		return affected(res, err, "access key "+keyID)
	})
	return iamWrap("delete access key", err)
}
