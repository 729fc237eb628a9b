// Package iamdata is the read side of IAM for the rest of the system: the
// policy authorizer, STS and instance profiles. It gathers the identity
// policies that apply to a user or role, their permissions boundary, looks
// roles up by ARN and turns an IAM user's access key into a principal.
//
// Answers are cached per account and invalidated by the account's IAM
// version counter (store.IAM.IAMVersion), which every IAM write bumps in
// the same transaction: a hot-path call costs one small read of that
// counter, and never returns state older than the last committed write.
package iamdata

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/crossbucket/crossbucket/internal/iamapi/awspolicies"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
)

// ErrNotFound: the user or role does not exist.
var ErrNotFound = store.ErrNotFound

// Doc is a policy document with the name explanations use: a managed
// policy's ARN, or "user/NAME inline POLICY" (group/…, role/…) for inline
// policies.
type Doc struct {
	Name     string
	Document string
}

// Policies are the policies that apply to a user or role.
type Policies struct {
	// Identity holds inline and attached managed policies, and for users
	// those of their groups.
	Identity []Doc
	// Boundary is the permissions boundary, nil when none. Its Document
	// is "" when the boundary policy no longer exists: such a boundary
	// allows nothing, so callers must fail closed on it.
	Boundary *Doc
}

// Role is what AssumeRole needs of a role.
type Role struct {
	AccountID           string
	ARN                 string // with path
	ID                  string // AROA…
	Name                string
	Path                string
	TrustPolicy         string
	MaxSessionDuration  int
	PermissionsBoundary string
	Tags                map[string]string
}

// Reader answers IAM questions with a per-account cache. It is safe for
// concurrent use. Returned values are shared with the cache: callers must
// not modify them.
type Reader struct {
	st store.IAM

	mu      sync.Mutex
	entries map[string]entry
}

type entry struct {
	version int64
	val     any
}

// maxEntries bounds the cache; it is cleared when full.
const maxEntries = 50_000

// New returns a Reader on st.
func New(st store.IAM) *Reader {
	return &Reader{st: st, entries: map[string]entry{}}
}

// Version returns the account's IAM version, for callers that cache what
// they derive (compiled policies, decisions).
func (r *Reader) Version(ctx context.Context, accountID string) (int64, error) {
	return r.st.IAMVersion(ctx, accountID)
}

// cached returns the value for key at the account's current version,
// computing and remembering it when needed.
func (r *Reader) cached(ctx context.Context, accountID, key string, compute func() (any, error)) (any, error) {
	v, err := r.st.IAMVersion(ctx, accountID)
	if err != nil {
		return nil, err
	}
	k := accountID + "\x00" + key
	r.mu.Lock()
	e, ok := r.entries[k]
	r.mu.Unlock()
	if ok && e.version == v {
		return e.val, nil
	}
	val, err := compute()
	if err != nil {
		return nil, err
	}
	// A write that raced with compute bumped the version past v; the
	// entry then simply misses on the next call.
	r.mu.Lock()
	if len(r.entries) >= maxEntries {
		clear(r.entries)
	}
	r.entries[k] = entry{version: v, val: val}
	r.mu.Unlock()
	return val, nil
}

// UserPolicies returns the policies of an IAM user: its inline and
// attached policies, those of its groups, and its permissions boundary.
func (r *Reader) UserPolicies(ctx context.Context, accountID, user string) (*Policies, error) {
	v, err := r.cached(ctx, accountID, "user\x00"+strings.ToLower(user), func() (any, error) {
		u, err := r.st.GetUser(ctx, accountID, user)
		if err != nil {
			return nil, err
		}
		p := &Policies{}
		if err := r.entityPolicies(ctx, accountID, store.UserEntity, u.Name, p); err != nil {
			return nil, err
		}
		groups, err := r.st.ListUserGroups(ctx, accountID, u.Name)
		if err != nil {
			return nil, err
		}
		for _, g := range groups {
			if err := r.entityPolicies(ctx, accountID, store.GroupEntity, g.Name, p); err != nil {
				return nil, err
			}
		}
		if p.Boundary, err = r.boundary(ctx, accountID, u.PermissionsBoundary); err != nil {
			return nil, err
		}
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Policies), nil
}

// RolePolicies returns the policies of a role: inline, attached and its
// permissions boundary.
func (r *Reader) RolePolicies(ctx context.Context, accountID, role string) (*Policies, error) {
	v, err := r.cached(ctx, accountID, "rolepol\x00"+strings.ToLower(role), func() (any, error) {
		ro, err := r.st.GetRole(ctx, accountID, role)
		if err != nil {
			return nil, err
		}
		p := &Policies{}
		if err := r.entityPolicies(ctx, accountID, store.RoleEntity, ro.Name, p); err != nil {
			return nil, err
		}
		if p.Boundary, err = r.boundary(ctx, accountID, ro.PermissionsBoundary); err != nil {
			return nil, err
		}
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Policies), nil
}

// entityPolicies appends an entity's inline and attached policies to p.
func (r *Reader) entityPolicies(ctx context.Context, accountID string, kind store.EntityKind, name string, p *Policies) error {
	inline, err := r.st.ListInlinePolicies(ctx, accountID, kind, name)
	if err != nil {
		return err
	}
	for _, ip := range inline {
		p.Identity = append(p.Identity, Doc{Name: fmt.Sprintf("%s/%s inline %s", kind, name, ip.Name), Document: ip.Document})
	}
	arns, err := r.st.ListAttachedPolicies(ctx, accountID, kind, name)
	if err != nil {
		return err
	}
	for _, a := range arns {
		doc, err := r.managedDoc(ctx, accountID, a)
		if err != nil {
			return err
		}
		if doc != "" {
			p.Identity = append(p.Identity, Doc{Name: a, Document: doc})
		}
	}
	return nil
}

func (r *Reader) boundary(ctx context.Context, accountID, arn string) (*Doc, error) {
	if arn == "" {
		return nil, nil
	}
	doc, err := r.managedDoc(ctx, accountID, arn)
	if err != nil {
		return nil, err
	}
	// A boundary whose policy is gone allows nothing (fail closed).
	return &Doc{Name: arn, Document: doc}, nil
}

// managedDoc returns the default version's document of a managed policy,
// "" when the policy no longer exists.
func (r *Reader) managedDoc(ctx context.Context, accountID, arn string) (string, error) {
	if p := awspolicies.Get(arn); p != nil {
		return p.Document, nil
	}
	prefix := "arn:aws:iam::" + accountID + ":policy/"
	rest, ok := strings.CutPrefix(arn, prefix)
	if !ok {
		return "", nil
	}
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	mp, err := r.st.GetPolicy(ctx, accountID, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	v, err := r.st.GetPolicyVersion(ctx, accountID, mp.Name, mp.DefaultVersion)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return v.Document, nil
}

// RoleByARN looks a role up by its ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME);
// the path must match. ErrNotFound when there is no such role.
func (r *Reader) RoleByARN(ctx context.Context, roleARN string) (*Role, error) {
	acct, path, name, ok := splitARN(roleARN, "role")
	if !ok {
		return nil, fmt.Errorf("role %s: %w", roleARN, store.ErrNotFound)
	}
	v, err := r.cached(ctx, acct, "role\x00"+strings.ToLower(name), func() (any, error) {
		ro, err := r.st.GetRole(ctx, acct, name)
		if err != nil {
			return nil, err
		}
		out := &Role{AccountID: acct, ARN: "arn:aws:iam::" + acct + ":role" + ro.Path + ro.Name, ID: ro.ID, Name: ro.Name,
			Path: ro.Path, TrustPolicy: ro.AssumeRolePolicy, MaxSessionDuration: ro.MaxSessionDuration,
			PermissionsBoundary: ro.PermissionsBoundary, Tags: tagMap(ro.Tags)}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	ro := v.(*Role)
	if ro.Path != path {
		return nil, fmt.Errorf("role %s: %w", roleARN, store.ErrNotFound)
	}
	return ro, nil
}

// UserPrincipal turns an IAM user's access key (k.UserName != "") into the
// principal it stands for. ErrNotFound when the user no longer exists.
func (r *Reader) UserPrincipal(ctx context.Context, k *store.AccessKey, a *store.Account) (*identity.Principal, error) {
	if k.UserName == "" {
		return nil, errors.New("iamdata: access key of the account root")
	}
	u, err := r.st.GetUser(ctx, k.AccountID, k.UserName)
	if err != nil {
		return nil, err
	}
	return &identity.Principal{
		Kind: identity.User, AccountID: a.ID, CanonicalID: a.CanonicalID, AccessKeyID: k.ID,
		ARN: "arn:aws:iam::" + a.ID + ":user" + u.Path + u.Name, UserID: u.ID, UserName: u.Name, Tags: tagMap(u.Tags),
	}, nil
}

func tagMap(tags []store.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[t.Key] = t.Value
	}
	return m
}

// splitARN splits arn:aws:iam::ACCOUNT:TYPE/PATH/NAME.
func splitARN(s, typ string) (account, path, name string, ok bool) {
	rest, found := strings.CutPrefix(s, "arn:aws:iam::")
	if !found {
		return
	}
	account, rest, found = strings.Cut(rest, ":")
	if !found || account == "" {
		return "", "", "", false
	}
	rest, found = strings.CutPrefix(rest, typ+"/")
	if !found {
		return "", "", "", false
	}
	i := strings.LastIndexByte(rest, '/')
	path, name = "/"+rest[:i+1], rest[i+1:]
	return account, path, name, name != ""
}
