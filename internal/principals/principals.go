// Package principals turns the credentials of a request (an access key id
// and, for temporary credentials, a session token) into the secret the
// signature verifier needs and the identity.Principal the request acts as:
//
//   - an account root's long-term key (AKIA…, no user name):
//     arn:aws:iam::ACCOUNT:root, aws:userid = the account id;
//   - an IAM user's long-term key: arn:aws:iam::ACCOUNT:user/PATH/NAME,
//     aws:userid = AIDA…, the user's tags;
//   - an assumed-role session (ASIA… + sealed token):
//     arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, aws:userid =
//     AROA…:SESSION, the role's tags overridden by the session tags;
//   - a GetSessionToken session: the user's or root's identity.
//
// Session credentials are verified from the token alone (see
// internal/sessiontoken); long-term keys are read from the store and cached
// for a minute, found keys only, so that an account or key created by
// another process works at its first request.
package principals

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Accounts is the part of store.Accounts the resolver reads.
type Accounts interface {
	GetAccessKey(ctx context.Context, id string) (*store.AccessKey, error)
	GetAccount(ctx context.Context, id string) (*store.Account, error)
}

// User is an IAM user as the resolver needs it.
type User struct {
	AccountID string
	Name      string
	Path      string // "/" or "/division/"
	UserID    string // AIDA…
	ARN       string // arn:aws:iam::ACCOUNT:user/PATH/NAME
	Tags      map[string]string
}

// UserSource looks up IAM users (implemented by the IAM store).
type UserSource interface {
	// UserByName returns an account's user, or an error wrapping
	// store.ErrNotFound when there is none.
	UserByName(ctx context.Context, accountID, name string) (*User, error)
}

// Config configures a Resolver.
type Config struct {
	Accounts Accounts
	// Users resolves the keys of IAM users; nil refuses them as unknown.
	Users UserSource
	// Ring verifies session tokens; nil refuses temporary credentials.
	Ring *sessiontoken.Ring
	// TTL bounds how long a long-term key stays cached (1 minute when 0).
	TTL time.Duration
	// MaxEntries bounds the cache (100,000 when 0).
	MaxEntries int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Resolver resolves credentials. It is safe for concurrent use.
type Resolver struct {
	cfg Config

	mu      sync.RWMutex
	entries map[string]*entry
}

// entry is a cached long-term key.
type entry struct {
	secret    string
	principal identity.Principal // template, copied per request
	userKey   string             // ACCOUNT/name for users, "" for roots
	expires   time.Time
}

// Resolved is the outcome of a resolution.
type Resolved struct {
	// Secret is the secret access key, for the signature verifier only.
	Secret    string
	Principal *identity.Principal
	// Session is set for temporary credentials.
	Session *Session
}

// New returns a Resolver.
func New(cfg Config) *Resolver {
	if cfg.TTL <= 0 {
		cfg.TTL = time.Minute
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = 100_000
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Resolver{cfg: cfg, entries: map[string]*entry{}}
}

// Resolve returns the secret and principal of the credentials (akid,
// token) of a request addressed to service ("s3", "iam", "sts"). A refusal
// is an *Error that converts itself to the error AWS sends for service; a
// store failure is an InternalError. The principal's Tags map is shared
// and must not be modified.
func (r *Resolver) Resolve(ctx context.Context, service, akid, token string) (*Resolved, error) {
	now := r.cfg.Now()
	if token != "" {
		return r.resolveSession(service, akid, token, now)
	}
	e, err := r.longTerm(ctx, service, akid, now)
	if err != nil {
		return nil, err
	}
	p := e.principal
	return &Resolved{Secret: e.secret, Principal: &p}, nil
}

// Lookup adapts Resolve to the signature verifier's lookup function
// (sigv4.Lookup) for one request: the resolution is stored in *out, so the
// principal is known without a second resolution once the signature holds.
func (r *Resolver) Lookup(service string, out **Resolved) func(ctx context.Context, akid, token string) (string, error) {
	return func(ctx context.Context, akid, token string) (string, error) {
		res, err := r.Resolve(ctx, service, akid, token)
		if err != nil {
			return "", err
		}
		*out = res
		return res.Secret, nil
	}
}

// Forget drops a cached key, after IAM deletes or deactivates it.
func (r *Resolver) Forget(akid string) {
	r.mu.Lock()
	delete(r.entries, akid)
	r.mu.Unlock()
}

// ForgetUser drops every cached key of an IAM user (user deleted, renamed
// or retagged).
func (r *Resolver) ForgetUser(accountID, userName string) {
	k := accountID + "/" + userName
	r.mu.Lock()
	for id, e := range r.entries {
		if e.userKey == k {
			delete(r.entries, id)
		}
	}
	r.mu.Unlock()
}

func (r *Resolver) refuse(reason Reason, service, akid, token string) *Error {
	return &Error{Reason: reason, Service: service, AccessKeyID: akid, token: token}
}

func (r *Resolver) resolveSession(service, akid, token string, now time.Time) (*Resolved, error) {
	if r.cfg.Ring == nil {
		return nil, r.refuse(BadToken, service, akid, token)
	}
	c, err := r.cfg.Ring.Open(token, akid, now)
	if errors.Is(err, sessiontoken.ErrExpired) {
		return nil, r.refuse(Expired, service, akid, token)
	}
	if err != nil {
		return nil, r.refuse(BadToken, service, akid, token)
	}
	// GetSessionToken credentials cannot call IAM unless MFA was used (STS
	// API Reference, GetSessionToken); AWS answers InvalidClientTokenId.
	if service == "iam" && (c.Kind == sessiontoken.UserSession || c.Kind == sessiontoken.RootSession) && !c.MFA {
		return nil, r.refuse(Restricted, service, akid, token)
	}
	p := &identity.Principal{
		AccountID:      c.AccountID,
		CanonicalID:    c.CanonicalID,
		AccessKeyID:    akid,
		SessionToken:   token,
		TokenIssueTime: c.IssuedAt,
	}
	switch c.Kind {
	case sessiontoken.AssumedRole:
		p.Kind = identity.AssumedRole
		p.ARN = AssumedRoleARN(c.RoleARN, c.SessionName)
		p.UserID = c.RoleID + ":" + c.SessionName
		p.RoleARN = c.RoleARN
		p.Tags = MergeTags(c.IdentityTags, c.Tags)
	case sessiontoken.UserSession:
		p.Kind = identity.User
		p.ARN = c.UserARN
		p.UserID = c.UserID
		p.UserName = c.UserName
		p.Tags = MergeTags(c.IdentityTags, nil)
	case sessiontoken.RootSession:
		p.Kind = identity.Root
		p.ARN = rootARN(c.AccountID)
		p.UserID = c.AccountID
	}
	secret := c.SecretAccessKey
	c.SecretAccessKey = ""
	return &Resolved{Secret: secret, Principal: p, Session: sessionFromClaims(c)}, nil
}

func rootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// MergeTags returns the principal tags of a session: the IAM tags of the
// role or user, overridden by session tags with the same key compared
// without case ("Pass session tags in AWS STS": a session tag overrides a
// role tag with the same key). nil when there are none.
func MergeTags(identityTags, sessionTags []sessiontoken.Tag) map[string]string {
	if len(identityTags)+len(sessionTags) == 0 {
		return nil
	}
	m := make(map[string]string, len(identityTags)+len(sessionTags))
	for _, t := range identityTags {
		m[t.Key] = t.Value
	}
	for _, t := range sessionTags {
		for k := range m {
			if strings.EqualFold(k, t.Key) {
				delete(m, k)
			}
		}
		m[t.Key] = t.Value
	}
	return m
}

// longTerm returns the cached entry of a long-term key, reading the store
// on a miss. Only found, active keys are cached.
func (r *Resolver) longTerm(ctx context.Context, service, akid string, now time.Time) (*entry, error) {
	r.mu.RLock()
	e, ok := r.entries[akid]
	r.mu.RUnlock()
	if ok && now.Before(e.expires) {
		return e, nil
	}
	if r.cfg.Accounts == nil || akid == "" {
		return nil, r.refuse(UnknownKey, service, akid, "")
	}
	k, err := r.cfg.Accounts.GetAccessKey(ctx, akid)
	if errors.Is(err, store.ErrNotFound) {
		return nil, r.refuse(UnknownKey, service, akid, "")
	}
	if err != nil {
		return nil, awserr.Internal(err)
	}
	if k.Status != "Active" {
		// AWS answers an inactive key as if it did not exist.
		return nil, r.refuse(UnknownKey, service, akid, "")
	}
	a, err := r.cfg.Accounts.GetAccount(ctx, k.AccountID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, r.refuse(UnknownKey, service, akid, "")
	}
	if err != nil {
		return nil, awserr.Internal(err)
	}
	e = &entry{secret: k.Secret, expires: now.Add(r.cfg.TTL)}
	e.principal = identity.Principal{AccountID: a.ID, CanonicalID: a.CanonicalID, AccessKeyID: k.ID}
	if k.UserName == "" {
		e.principal.Kind = identity.Root
		e.principal.ARN = rootARN(a.ID)
		e.principal.UserID = a.ID
	} else {
		if r.cfg.Users == nil {
			return nil, r.refuse(UnknownKey, service, akid, "")
		}
		u, err := r.cfg.Users.UserByName(ctx, a.ID, k.UserName)
		if errors.Is(err, store.ErrNotFound) {
			return nil, r.refuse(UnknownKey, service, akid, "")
		}
		if err != nil {
			return nil, awserr.Internal(err)
		}
		e.principal.Kind = identity.User
		e.principal.ARN = u.ARN
		e.principal.UserID = u.UserID
		e.principal.UserName = u.Name
		if len(u.Tags) > 0 {
			e.principal.Tags = make(map[string]string, len(u.Tags))
			for k, v := range u.Tags {
				e.principal.Tags[k] = v
			}
		}
		e.userKey = a.ID + "/" + u.Name
	}
	r.mu.Lock()
	if len(r.entries) >= r.cfg.MaxEntries {
		for id, old := range r.entries {
			if !now.Before(old.expires) {
				delete(r.entries, id)
			}
		}
		if len(r.entries) >= r.cfg.MaxEntries {
			clear(r.entries)
		}
	}
	r.entries[akid] = e
	r.mu.Unlock()
	return e, nil
}
