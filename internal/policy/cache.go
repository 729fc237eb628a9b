package policy

import (
	"container/list"
	"crypto/sha256"
	"sync"
)

// Cache memoises compiled policies by the SHA-256 of their document, kind
// and options, so that a document stored once (a bucket policy, a managed
// policy version) is parsed once. It holds at most its capacity, evicting
// the least recently used entry. It is safe for concurrent use. Validation
// with a PrincipalExists callback is never cached, since the answer depends
// on IAM state.
type Cache struct {
	mu    sync.Mutex
	max   int
	ll    *list.List
	items map[cacheKey]*list.Element
}

type cacheKey struct {
	hash    [sha256.Size]byte
	kind    Kind
	managed bool
	bucket  string
}

type cacheEntry struct {
	key cacheKey
	p   *Policy
}

// NewCache returns a cache holding up to max policies (at least 1).
func NewCache(max int) *Cache {
	if max < 1 {
		max = 1
	}
	return &Cache{max: max, ll: list.New(), items: make(map[cacheKey]*list.Element)}
}

// Parse returns the compiled policy for doc, compiling and remembering it on
// first use. Invalid documents are not remembered.
func (c *Cache) Parse(doc string, kind Kind, opts *Options) (*Policy, error) {
	if opts != nil && opts.PrincipalExists != nil {
		return Parse(doc, kind, opts)
	}
	key := cacheKey{hash: sha256.Sum256([]byte(doc)), kind: kind}
	if opts != nil {
		key.managed, key.bucket = opts.Managed, opts.Bucket
	}
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.ll.MoveToFront(el)
		p := el.Value.(*cacheEntry).p
		c.mu.Unlock()
		return p, nil
	}
	c.mu.Unlock()

	p, err := Parse(doc, kind, opts)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok { // compiled concurrently
		c.ll.MoveToFront(el)
		return el.Value.(*cacheEntry).p, nil
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, p: p})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*cacheEntry).key)
	}
	return p, nil
}

// Len returns the number of cached policies.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
