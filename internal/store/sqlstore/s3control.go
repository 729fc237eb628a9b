package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/store"
)

var _ store.S3Control = (*Store)(nil)

// GetAccountPublicAccessBlock returns an account's Block Public Access
// configuration, or ErrNotFound.
func (s *Store) GetAccountPublicAccessBlock(ctx context.Context, accountID string) (*store.PublicAccessBlock, error) {
	var a, i, p, r int
	err := s.r.QueryRowContext(ctx, `SELECT block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets
		FROM account_public_access_blocks WHERE account_id = $1`, accountID).Scan(&a, &i, &p, &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("public access block of %s: %w", accountID, store.ErrNotFound)
	}
	if err != nil {
		return nil, wrap("get account public access block", err)
	}
	return &store.PublicAccessBlock{BlockPublicAcls: a != 0, IgnorePublicAcls: i != 0,
		BlockPublicPolicy: p != 0, RestrictPublicBuckets: r != 0}, nil
}

// PutAccountPublicAccessBlock creates or replaces an account's Block
// Public Access configuration.
func (s *Store) PutAccountPublicAccessBlock(ctx context.Context, accountID string, p *store.PublicAccessBlock) error {
	if accountID == "" || p == nil {
		return errors.New("sqlstore: account id and configuration are required")
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO account_public_access_blocks
		(account_id, block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id) DO UPDATE SET block_public_acls = excluded.block_public_acls,
			ignore_public_acls = excluded.ignore_public_acls, block_public_policy = excluded.block_public_policy,
			restrict_public_buckets = excluded.restrict_public_buckets`,
		accountID, pabBit(p.BlockPublicAcls), pabBit(p.IgnorePublicAcls), pabBit(p.BlockPublicPolicy), pabBit(p.RestrictPublicBuckets))
	return wrap("put account public access block", err)
}

// DeleteAccountPublicAccessBlock removes an account's Block Public Access
// configuration; none is not an error.
func (s *Store) DeleteAccountPublicAccessBlock(ctx context.Context, accountID string) error {
	_, err := s.w.ExecContext(ctx, `DELETE FROM account_public_access_blocks WHERE account_id = $1`, accountID)
	return wrap("delete account public access block", err)
}

func pabBit(b bool) int {
	if b {
		return 1
	}
	return 0
}
