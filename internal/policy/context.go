package policy

import "strings"

// Context holds the request context keys that conditions and policy
// variables read. Keys are case-insensitive ("IAM policy elements: Variables
// and tags": key names are case-insensitive); values are kept as given. A key
// may have several values (multivalued keys such as aws:TagKeys); a key set
// with no values is present but empty.
//
// A Context is not safe for concurrent mutation; build it, then share it.
type Context struct {
	// A request has a handful of keys, so a linear scan (comparing
	// lengths first) beats hashing; keys are stored lower-cased.
	entries []ctxEntry
}

type ctxEntry struct {
	key    string
	values []string
}

// NewContext returns an empty Context.
func NewContext() *Context { return &Context{entries: make([]ctxEntry, 0, 8)} }

// Set stores values under key, replacing earlier values, and returns c.
func (c *Context) Set(key string, values ...string) *Context {
	if values == nil {
		values = []string{}
	}
	key = strings.ToLower(key)
	for i := range c.entries {
		if c.entries[i].key == key {
			c.entries[i].values = values
			return c
		}
	}
	c.entries = append(c.entries, ctxEntry{key: key, values: values})
	return c
}

// Delete removes key.
func (c *Context) Delete(key string) {
	key = strings.ToLower(key)
	for i := range c.entries {
		if c.entries[i].key == key {
			c.entries = append(c.entries[:i], c.entries[i+1:]...)
			return
		}
	}
}

// Get returns the values of key and whether it is present.
func (c *Context) Get(key string) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	if v, ok := c.lookup(key); ok || !hasUpper(key) {
		return v, ok
	}
	return c.lookup(strings.ToLower(key))
}

func (c *Context) lookup(key string) ([]string, bool) {
	for i := range c.entries {
		e := &c.entries[i]
		if len(e.key) == len(key) && e.key == key {
			return e.values, true
		}
	}
	return nil, false
}

// Keys returns the (lower-cased) keys present, in the order first set.
func (c *Context) Keys() []string {
	if c == nil {
		return nil
	}
	out := make([]string, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e.key)
	}
	return out
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			return true
		}
	}
	return false
}

// SetPrincipal fills the global keys that describe the principal ("AWS
// global condition context keys"): aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:username (IAM users only) and, for service
// principals, aws:PrincipalServiceName. For an assumed-role session
// aws:PrincipalArn is the role's ARN, not the session's.
func (c *Context) SetPrincipal(p Principal) *Context {
	switch p.Kind {
	case PrincipalAnonymous:
		c.Set("aws:PrincipalType", "Anonymous")
		return c
	case PrincipalService:
		c.Set("aws:PrincipalServiceName", p.Service)
		return c
	case PrincipalWebIdentity:
		return c
	}
	if p.Account != "" {
		c.Set("aws:PrincipalAccount", p.Account)
	}
	switch p.Kind {
	case PrincipalRoot:
		c.Set("aws:PrincipalType", "Account")
		c.Set("aws:PrincipalArn", p.ARN)
	case PrincipalUser:
		c.Set("aws:PrincipalType", "User")
		c.Set("aws:PrincipalArn", p.ARN)
		if i := strings.LastIndexByte(p.ARN, '/'); i >= 0 {
			c.Set("aws:username", p.ARN[i+1:])
		}
	case PrincipalAssumedRole:
		c.Set("aws:PrincipalType", "AssumedRole")
		c.Set("aws:PrincipalArn", p.IssuerARN)
	case PrincipalFederatedUser:
		c.Set("aws:PrincipalType", "FederatedUser")
		c.Set("aws:PrincipalArn", p.ARN)
	}
	return c
}
