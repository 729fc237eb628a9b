package store

import "context"

// S3Control keeps the account-level S3 settings of the S3 Control API
// (PutPublicAccessBlock / GetPublicAccessBlock / DeletePublicAccessBlock
// with x-amz-account-id). Backends implement it beside Store; callers
// find it with a type assertion.
type S3Control interface {
	// GetAccountPublicAccessBlock returns the account's Block Public
	// Access configuration, or ErrNotFound when none is set.
	GetAccountPublicAccessBlock(ctx context.Context, accountID string) (*PublicAccessBlock, error)
	// PutAccountPublicAccessBlock sets (creates or replaces) it.
	PutAccountPublicAccessBlock(ctx context.Context, accountID string, p *PublicAccessBlock) error
	// DeleteAccountPublicAccessBlock removes it; none set is not an error.
	DeleteAccountPublicAccessBlock(ctx context.Context, accountID string) error
}
