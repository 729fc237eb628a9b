package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// CreateAccount stores a new account; ErrExists when the id or canonical
// id is taken. A zero CreatedAt is set to now.
func (s *Store) CreateAccount(ctx context.Context, a *store.Account) error {
	if a == nil || a.ID == "" {
		return errors.New("sqlstore: account id is required")
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now()
	}
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO accounts (id, alias, canonical_id, created_at) VALUES ($1, $2, $3, $4)`,
		a.ID, a.Alias, a.CanonicalID, toNanos(a.CreatedAt))
	if s.d.isUnique(err) {
		return fmt.Errorf("account %s: %w", a.ID, store.ErrExists)
	}
	return wrap("create account", err)
}

// GetAccount returns an account, or ErrNotFound.
func (s *Store) GetAccount(ctx context.Context, id string) (*store.Account, error) {
	row := s.r.QueryRowContext(ctx, `SELECT id, alias, canonical_id, created_at FROM accounts WHERE id = $1`, id)
	a, err := scanAccount(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("account %s: %w", id, store.ErrNotFound)
	}
	return a, wrap("get account", err)
}

// ListAccounts returns all accounts ordered by id.
func (s *Store) ListAccounts(ctx context.Context) ([]*store.Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, alias, canonical_id, created_at FROM accounts ORDER BY id`)
	if err != nil {
		return nil, wrap("list accounts", err)
	}
	defer rows.Close()
	var out []*store.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, wrap("list accounts", err)
		}
		out = append(out, a)
	}
	return out, wrap("list accounts", rows.Err())
}

// CreateAccessKey stores a new access key; ErrExists when the id is taken,
// ErrNotFound when the account does not exist. A zero CreatedAt is set to now.
func (s *Store) CreateAccessKey(ctx context.Context, k *store.AccessKey) error {
	if k == nil || k.ID == "" {
		return errors.New("sqlstore: access key id is required")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = now()
	}
	_, err := s.w.ExecContext(ctx,
		`INSERT INTO access_keys (id, secret, account_id, user_name, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		k.ID, k.Secret, k.AccountID, k.UserName, k.Status, toNanos(k.CreatedAt))
	switch {
	case s.d.isUnique(err):
		return fmt.Errorf("access key %s: %w", k.ID, store.ErrExists)
	case s.d.isForeignKey(err):
		return fmt.Errorf("account %s: %w", k.AccountID, store.ErrNotFound)
	}
	return wrap("create access key", err)
}

// GetAccessKey returns an access key, or ErrNotFound.
func (s *Store) GetAccessKey(ctx context.Context, id string) (*store.AccessKey, error) {
	var k store.AccessKey
	var created, used int64
	err := s.r.QueryRowContext(ctx,
		`SELECT id, secret, account_id, user_name, status, created_at, last_used_at, last_used_service, last_used_region
		FROM access_keys WHERE id = $1`, id).
		Scan(&k.ID, &k.Secret, &k.AccountID, &k.UserName, &k.Status, &created, &used, &k.LastUsedService, &k.LastUsedRegion)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("access key: %w", store.ErrNotFound)
	}
	if err != nil {
		return nil, wrap("get access key", err)
	}
	k.CreatedAt = fromNanos(created)
	if used != 0 {
		k.LastUsed = fromNanos(used)
	}
	return &k, nil
}

// RecordKeyUse implements store.Accounts.
func (s *Store) RecordKeyUse(ctx context.Context, id string, at time.Time, service, region string) error {
	_, err := s.w.ExecContext(ctx,
		`UPDATE access_keys SET last_used_at = $1, last_used_service = $2, last_used_region = $3 WHERE id = $4`,
		toNanos(at), service, region, id)
	return wrap("record key use", err)
}

type scanner interface{ Scan(dest ...any) error }

func scanAccount(sc scanner) (*store.Account, error) {
	var a store.Account
	var created int64
	if err := sc.Scan(&a.ID, &a.Alias, &a.CanonicalID, &created); err != nil {
		return nil, err
	}
	a.CreatedAt = fromNanos(created)
	return &a, nil
}
