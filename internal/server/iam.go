package server

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/iamapi/awspolicies"
	"github.com/crossbucket/crossbucket/internal/iamapi/iamdata"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/stsapi"
)

// iamUsers adapts the IAM store to the principal resolver.
type iamUsers struct{ st store.IAM }

func (u iamUsers) UserByName(ctx context.Context, accountID, name string) (*principals.User, error) {
	x, err := u.st.GetUser(ctx, accountID, name)
	if err != nil {
		return nil, err
	}
	out := &principals.User{AccountID: x.AccountID, Name: x.Name, Path: x.Path, UserID: x.ID,
		ARN: "arn:aws:iam::" + x.AccountID + ":user" + x.Path + x.Name}
	if len(x.Tags) > 0 {
		out.Tags = make(map[string]string, len(x.Tags))
		for _, t := range x.Tags {
			out.Tags[t.Key] = t.Value
		}
	}
	return out, nil
}

// iamRoles adapts the IAM read API to STS.
type iamRoles struct{ r *iamdata.Reader }

func (x iamRoles) RoleByARN(ctx context.Context, arn string) (*stsapi.Role, error) {
	r, err := x.r.RoleByARN(ctx, arn)
	if err != nil {
		return nil, err
	}
	return &stsapi.Role{ARN: r.ARN, AccountID: r.AccountID, RoleID: r.ID, Name: r.Name, Path: r.Path,
		TrustPolicy: r.TrustPolicy, MaxSessionDuration: r.MaxSessionDuration, Tags: r.Tags}, nil
}

// policySources gives the authorizer the compiled identity-side policies
// of a principal. Compiled sets are cached per IAM entity and revalidated
// against the account's IAM version at most once per recheck interval, and
// at once after an IAM write in this process — so a request costs no
// database read while IAM is quiet.
type policySources struct {
	st      store.IAM
	iam     *iamdata.Reader
	cache   *policy.Cache
	recheck time.Duration
	now     func() time.Time
	// gen counts IAM requests served by this process.
	gen atomic.Int64

	mu      sync.RWMutex
	entries map[string]*compiledEntry
}

type compiledEntry struct {
	version   int64
	gen       int64
	checkedAt time.Time
	identity  []policy.NamedPolicy
	boundary  *policy.NamedPolicy
}

// nothing is a policy that allows nothing: it stands for a policy that can
// no longer be found (a deleted boundary or session policy ARN).
var nothing = func() *policy.Policy {
	p, err := policy.Parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"*","Resource":"*"}]}`, policy.KindIdentity, nil)
	if err != nil {
		panic(err)
	}
	return p
}()

func newPolicySources(st store.IAM, r *iamdata.Reader, now func() time.Time) *policySources {
	return &policySources{st: st, iam: r, cache: policy.NewCache(20_000), recheck: time.Second, now: now,
		entries: map[string]*compiledEntry{}}
}

// PrincipalPolicies implements authz.Sources.
func (s *policySources) PrincipalPolicies(ctx context.Context, p *identity.Principal) (*authz.PrincipalPolicies, error) {
	out := &authz.PrincipalPolicies{}
	var kind, name string
	switch p.Kind {
	case identity.User:
		kind, name = "user", p.UserName
	case identity.AssumedRole:
		kind, name = "role", principals.RoleName(p.RoleARN)
	}
	if kind != "" {
		e, err := s.entity(ctx, p.AccountID, kind, name)
		if err != nil {
			return nil, err
		}
		out.Identity, out.Boundary = e.identity, e.boundary
	}
	if sess := principals.SessionFrom(ctx); sess != nil {
		out.Context = sess.ContextKeys(s.now())
		if sess.HasPolicies() {
			out.Session = s.sessionPolicies(ctx, sess)
		}
	}
	return out, nil
}

func (s *policySources) entity(ctx context.Context, account, kind, name string) (*compiledEntry, error) {
	key := account + "/" + kind + "/" + strings.ToLower(name)
	now := s.now()
	gen := s.gen.Load()
	s.mu.RLock()
	e := s.entries[key]
	s.mu.RUnlock()
	if e != nil && e.gen == gen && now.Sub(e.checkedAt) < s.recheck {
		return e, nil
	}
	version, err := s.iam.Version(ctx, account)
	if err != nil {
		return nil, err
	}
	if e != nil && e.version == version {
		fresh := *e
		fresh.gen, fresh.checkedAt = gen, now
		s.store(key, &fresh)
		return &fresh, nil
	}
	var ps *iamdata.Policies
	if kind == "user" {
		ps, err = s.iam.UserPolicies(ctx, account, name)
	} else {
		ps, err = s.iam.RolePolicies(ctx, account, name)
	}
	if errors.Is(err, store.ErrNotFound) {
		// The user or role is gone: its credentials keep nothing.
		return nil, fmt.Errorf("the %s %s no longer exists in account %s", kind, name, account)
	}
	if err != nil {
		return nil, err
	}
	ne := &compiledEntry{version: version, gen: gen, checkedAt: now}
	for _, d := range ps.Identity {
		cp, err := s.cache.Parse(d.Document, policy.KindIdentity, nil)
		if err != nil {
			return nil, fmt.Errorf("policy %s does not compile: %w", d.Name, err)
		}
		ne.identity = append(ne.identity, policy.NamedPolicy{Name: d.Name, Policy: cp})
	}
	if ps.Boundary != nil {
		b := &policy.NamedPolicy{Name: ps.Boundary.Name, Policy: nothing}
		if ps.Boundary.Document != "" {
			if b.Policy, err = s.cache.Parse(ps.Boundary.Document, policy.KindIdentity, nil); err != nil {
				return nil, fmt.Errorf("boundary %s does not compile: %w", ps.Boundary.Name, err)
			}
		}
		ne.boundary = b
	}
	s.store(key, ne)
	return ne, nil
}

func (s *policySources) store(key string, e *compiledEntry) {
	s.mu.Lock()
	if len(s.entries) > 100_000 {
		clear(s.entries)
	}
	s.entries[key] = e
	s.mu.Unlock()
}

// sessionPolicies compiles a session's inline policy and managed policy
// ARNs; a policy ARN that cannot be resolved allows nothing.
func (s *policySources) sessionPolicies(ctx context.Context, sess *principals.Session) []policy.NamedPolicy {
	var out []policy.NamedPolicy
	if sess.Policy != "" {
		p, err := s.cache.Parse(sess.Policy, policy.KindIdentity, nil)
		if err != nil {
			p = nothing
		}
		out = append(out, policy.NamedPolicy{Name: "session policy", Policy: p})
	}
	for _, arn := range sess.PolicyARNs {
		doc := s.managedDocument(ctx, arn)
		p := nothing
		if doc != "" {
			if cp, err := s.cache.Parse(doc, policy.KindIdentity, nil); err == nil {
				p = cp
			}
		}
		out = append(out, policy.NamedPolicy{Name: arn, Policy: p})
	}
	return out
}

// managedDocument returns the default version of a managed policy, "" when
// there is none.
func (s *policySources) managedDocument(ctx context.Context, arn string) string {
	if ap := awspolicies.Get(arn); ap != nil {
		return ap.Document
	}
	// arn:aws:iam::ACCOUNT:policy/PATH/NAME
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return ""
	}
	account, res, ok := strings.Cut(rest, ":policy/")
	if !ok {
		return ""
	}
	name := res[strings.LastIndexByte(res, '/')+1:]
	mp, err := s.st.GetPolicy(ctx, account, name)
	if err != nil || "/"+res != mp.Path+mp.Name {
		return ""
	}
	v, err := s.st.GetPolicyVersion(ctx, account, name, mp.DefaultVersion)
	if err != nil {
		return ""
	}
	return v.Document
}
