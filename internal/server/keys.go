package server

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// keyCache keeps recently used access keys and their accounts so that a
// request costs no database read. Only found keys are cached: an account
// created by another process is visible at its first request.
type keyCache struct {
	st  store.Accounts
	ttl time.Duration

	mu      sync.RWMutex
	entries map[string]keyEntry
}

type keyEntry struct {
	key     *store.AccessKey
	account *store.Account
	expires time.Time
}

const maxCachedKeys = 100_000

func newKeyCache(st store.Accounts, ttl time.Duration) *keyCache {
	return &keyCache{st: st, ttl: ttl, entries: map[string]keyEntry{}}
}

// get returns an active key and its account, or InvalidAccessKeyId.
func (c *keyCache) get(ctx context.Context, id string, now time.Time) (*store.AccessKey, *store.Account, error) {
	c.mu.RLock()
	e, ok := c.entries[id]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return e.key, e.account, nil
	}
	k, err := c.st.GetAccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil, awserr.New(awserr.InvalidAccessKeyID).With("AWSAccessKeyId", id)
	}
	if err != nil {
		return nil, nil, awserr.Internal(err)
	}
	if k.Status != "Active" {
		// AWS answers an inactive key as if it did not exist.
		return nil, nil, awserr.New(awserr.InvalidAccessKeyID).With("AWSAccessKeyId", id)
	}
	a, err := c.st.GetAccount(ctx, k.AccountID)
	if err != nil {
		return nil, nil, awserr.Internal(err)
	}
	c.mu.Lock()
	if len(c.entries) >= maxCachedKeys {
		clear(c.entries)
	}
	c.entries[id] = keyEntry{key: k, account: a, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return k, a, nil
}

// forget drops a key (after it is deleted or deactivated in this process).
func (c *keyCache) forget(id string) {
	c.mu.Lock()
	delete(c.entries, id)
	c.mu.Unlock()
}
