package s3api

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// cacheTTL bounds how long a cached bucket or account setting is served
// without asking the store, so that another process writing the same
// database is seen soon.
const cacheTTL = time.Second

// cacheMax bounds the number of cached entries; past it the cache starts over.
const cacheMax = 100_000

// bucketCache is a store.Store that serves GetBucket (and the account
// Block Public Access setting) from memory. This process's bucket writes
// go through it and invalidate; entries expire after cacheTTL for writes
// made by other processes. It hands out copies, so callers may not change
// the cached values.
type bucketCache struct {
	store.Store
	ctl store.S3Control // nil when the backend keeps no account settings
	now func() time.Time

	// gen changes on every invalidation; a load started under an older
	// generation is not cached (it may predate the write).
	gen     atomic.Uint64
	mu      sync.RWMutex
	buckets map[string]bucketEntry
	pabs    map[string]pabEntry
}

type bucketEntry struct {
	b       *store.Bucket
	expires time.Time
}

type pabEntry struct {
	p       *store.PublicAccessBlock // nil: none set
	expires time.Time
}

func newBucketCache(st store.Store, now func() time.Time) *bucketCache {
	c := &bucketCache{Store: st, now: now, buckets: map[string]bucketEntry{}, pabs: map[string]pabEntry{}}
	c.ctl, _ = st.(store.S3Control)
	return c
}

// GetBucket returns a copy of the bucket, from memory when fresh.
func (c *bucketCache) GetBucket(ctx context.Context, name string) (*store.Bucket, error) {
	now := c.now()
	c.mu.RLock()
	e, ok := c.buckets[name]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return copyBucket(e.b), nil
	}
	gen := c.gen.Load()
	b, err := c.Store.GetBucket(ctx, name)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen.Load() == gen {
		if len(c.buckets) >= cacheMax {
			c.buckets = map[string]bucketEntry{}
		}
		c.buckets[name] = bucketEntry{b: copyBucket(b), expires: now.Add(cacheTTL)}
	}
	c.mu.Unlock()
	return b, nil
}

// CreateBucket creates the bucket and forgets any cached state of the name.
func (c *bucketCache) CreateBucket(ctx context.Context, b *store.Bucket) error {
	err := c.Store.CreateBucket(ctx, b)
	c.forgetBucket(b.Name)
	return err
}

// UpdateBucket updates the bucket and forgets its cached copy.
func (c *bucketCache) UpdateBucket(ctx context.Context, name string, fn func(*store.Bucket) error) (*store.Bucket, error) {
	b, err := c.Store.UpdateBucket(ctx, name, fn)
	c.forgetBucket(name)
	return b, err
}

// DeleteBucket deletes the bucket and forgets its cached copy.
func (c *bucketCache) DeleteBucket(ctx context.Context, name string) ([]string, error) {
	orphans, err := c.Store.DeleteBucket(ctx, name)
	c.forgetBucket(name)
	return orphans, err
}

func (c *bucketCache) forgetBucket(name string) {
	c.mu.Lock()
	c.gen.Add(1)
	delete(c.buckets, name)
	c.mu.Unlock()
}

// accountPAB returns an account's Block Public Access setting (nil when
// none is set), from memory when fresh.
func (c *bucketCache) accountPAB(ctx context.Context, accountID string) (*store.PublicAccessBlock, error) {
	if c.ctl == nil || accountID == "" {
		return nil, nil
	}
	now := c.now()
	c.mu.RLock()
	e, ok := c.pabs[accountID]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return copyPAB(e.p), nil
	}
	gen := c.gen.Load()
	p, err := c.ctl.GetAccountPublicAccessBlock(ctx, accountID)
	if errors.Is(err, store.ErrNotFound) {
		p, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen.Load() == gen {
		if len(c.pabs) >= cacheMax {
			c.pabs = map[string]pabEntry{}
		}
		c.pabs[accountID] = pabEntry{p: copyPAB(p), expires: now.Add(cacheTTL)}
	}
	c.mu.Unlock()
	return p, nil
}

// putAccountPAB stores an account's setting and forgets the cached one.
func (c *bucketCache) putAccountPAB(ctx context.Context, accountID string, p *store.PublicAccessBlock) error {
	if c.ctl == nil {
		return errNoS3Control
	}
	err := c.ctl.PutAccountPublicAccessBlock(ctx, accountID, p)
	c.forgetPAB(accountID)
	return err
}

// deleteAccountPAB removes an account's setting and forgets the cached one.
func (c *bucketCache) deleteAccountPAB(ctx context.Context, accountID string) error {
	if c.ctl == nil {
		return errNoS3Control
	}
	err := c.ctl.DeleteAccountPublicAccessBlock(ctx, accountID)
	c.forgetPAB(accountID)
	return err
}

func (c *bucketCache) forgetPAB(accountID string) {
	c.mu.Lock()
	c.gen.Add(1)
	delete(c.pabs, accountID)
	c.mu.Unlock()
}

var errNoS3Control = errors.New("s3api: the store keeps no account-level S3 settings")

func copyBucket(b *store.Bucket) *store.Bucket {
	cp := *b
	cp.PublicAccessBlock = copyPAB(b.PublicAccessBlock)
	return &cp
}

func copyPAB(p *store.PublicAccessBlock) *store.PublicAccessBlock {
	if p == nil {
		return nil
	}
	cp := *p
	return &cp
}
