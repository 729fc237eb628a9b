package authz

import (
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// objectContextActions are the object operations decided in the object
// context (by the object owner) when the object exists. Writes and deletes
// are bucket operations: the bucket owner decides them
// ("How Amazon S3 authorizes a request for an object operation").
var objectContextActions = map[string]bool{
	"s3:getobject": true, "s3:getobjectversion": true, "s3:getobjectacl": true, "s3:getobjectversionacl": true,
	"s3:putobjectacl": true, "s3:putobjectversionacl": true, "s3:getobjecttagging": true,
	"s3:getobjectversiontagging": true, "s3:putobjecttagging": true, "s3:getobjectattributes": true,
	"s3:getobjectversionattributes": true, "s3:restoreobject": true,
}

// s3Decision refines the policy engine's decision d with S3's own rules:
// Block Public Access's RestrictPublicBuckets, ACL grants (unless ACLs are
// disabled by BucketOwnerEnforced), and the object context, where an object
// owned by another account than the bucket's can only be granted by its ACL
// ("How Amazon S3 authorizes a request", "Controlling ownership of objects",
// "Blocking public access to your Amazon S3 storage").
func (a *Policies) s3Decision(req *Request, in *policy.Input, preq *policy.Request, d policy.Decision) Decision {
	b := req.Bucket
	p := req.Principal
	out := Decision{Allowed: d.Allowed, Reason: d.Explain(), CrossAccount: d.CrossAccount, Policy: &d}
	if d.Reason == policy.ReasonExplicitDeny {
		return out // an explicit deny in any context decides
	}
	pab := b.PublicAccessBlock
	if req.AccountPublicAccessBlock != nil {
		pab = orPAB(pab, req.AccountPublicAccessBlock)
	}
	// RestrictPublicBuckets: under a public bucket policy only principals
	// of the bucket owner's account keep what the policy grants.
	if d.Allowed && d.By.Type == policy.TypeResource && pab != nil && pab.RestrictPublicBuckets &&
		in.Resource != nil && policy.IsPublic(in.Resource.Policy) && (p.IsAnonymous() || p.AccountID != b.AccountID) {
		out.Allowed = false
		out.Reason = fmt.Sprintf("denied: the bucket policy of %s is public and RestrictPublicBuckets limits it to principals of account %s", b.Name, b.AccountID)
	}

	aclsOn := b.Ownership != s3acl.BucketOwnerEnforced
	obj := req.Object
	objectContext := obj != nil && aclsOn && objectContextActions[strings.ToLower(req.Action)]
	ignorePublic := pab != nil && pab.IgnorePublicAcls

	if objectContext && obj.OwnerAccount != "" && obj.OwnerAccount != b.AccountID {
		// The bucket owner's policy cannot grant access to an object it does
		// not own; only the object owner can, by its ACL or, for its own
		// principals, by their identity policies.
		if !p.IsAnonymous() && p.AccountID == obj.OwnerAccount && d.IdentityAllowed() {
			return Decision{Allowed: true, CrossAccount: d.CrossAccount, Policy: &d,
				Reason: fmt.Sprintf("allowed: %s belongs to account %s, which owns the object, and its identity-based policies allow %s", p.ARN, obj.OwnerAccount, req.Action)}
		}
		if ok, why := a.aclGrant(obj.ACL, obj.OwnerAccount, "object ACL", req, d, ignorePublic); ok {
			return Decision{Allowed: true, CrossAccount: d.CrossAccount, Policy: &d, Reason: why}
		}
		return Decision{Allowed: false, CrossAccount: true, Policy: &d,
			Reason: fmt.Sprintf("denied: the object is owned by account %s, not by the bucket owner %s; only its object ACL can grant %s to %s, and it does not",
				obj.OwnerAccount, b.AccountID, req.Action, principalName(p))}
	}
	if out.Allowed || !aclsOn {
		return out
	}
	// ACL grants (bucket ACL for bucket operations, object ACL for object
	// operations on existing objects).
	if objectContext {
		if ok, why := a.aclGrant(obj.ACL, b.AccountID, "object ACL", req, d, ignorePublic); ok {
			return Decision{Allowed: true, CrossAccount: d.CrossAccount, Policy: &d, Reason: why}
		}
	} else if ok, why := a.aclGrant(b.ACL, b.AccountID, "bucket ACL of "+b.Name, req, d, ignorePublic); ok {
		return Decision{Allowed: true, CrossAccount: d.CrossAccount, Policy: &d, Reason: why}
	}
	return out
}

// aclGrant reports whether the encoded ACL of a resource owned by
// ownerAccount grants the permission req.Action needs. A grant to an
// account acts like a resource policy naming that account: a principal other
// than the account's root still needs its identity side to allow. A public
// grant (AllUsers, AuthenticatedUsers) grants directly within one account
// and to anonymous callers.
func (a *Policies) aclGrant(encoded, ownerAccount, what string, req *Request, d policy.Decision, ignorePublic bool) (bool, string) {
	perm, ok := s3acl.PermissionFor(req.Action, req.Object != nil && what == "object ACL")
	if !ok {
		return false, ""
	}
	p := req.Principal
	acl, err := s3acl.Decode(encoded, s3acl.Owner{})
	if err != nil {
		a.Log.Error("stored ACL does not decode", "what", what, "err", err)
		return false, ""
	}
	if encoded == "" {
		// The default ACL: the owner's account has FULL_CONTROL, nobody else anything.
		if p.IsAnonymous() || p.AccountID != ownerAccount {
			return false, ""
		}
		acl.Owner.ID = p.CanonicalID
		acl.Grants = []s3acl.Grant{{Grantee: s3acl.User(p.CanonicalID), Permission: s3acl.FullControl}}
	}
	requester := s3acl.Anonymous
	if !p.IsAnonymous() {
		requester = s3acl.Requester{CanonicalID: p.CanonicalID, Authenticated: true}
	}
	if !acl.Allows(requester, perm, ignorePublic) {
		return false, ""
	}
	// A grant that would also admit a stranger is public.
	stranger := s3acl.Requester{CanonicalID: "-", Authenticated: !p.IsAnonymous()}
	public := acl.Allows(stranger, perm, ignorePublic)
	switch {
	case p.IsAnonymous():
		return true, fmt.Sprintf("allowed: the %s grants %s to everyone", what, perm)
	case public && !d.CrossAccount:
		return true, fmt.Sprintf("allowed: the %s grants %s publicly", what, perm)
	case p.Kind == identity.Root || d.IdentityAllowed():
		return true, fmt.Sprintf("allowed: the %s grants %s to account %s, and %s's identity side allows %s", what, perm, p.AccountID, principalName(p), req.Action)
	}
	return false, ""
}

func orPAB(a, b *store.PublicAccessBlock) *store.PublicAccessBlock {
	if a == nil {
		return b
	}
	return &store.PublicAccessBlock{
		BlockPublicAcls:       a.BlockPublicAcls || b.BlockPublicAcls,
		IgnorePublicAcls:      a.IgnorePublicAcls || b.IgnorePublicAcls,
		BlockPublicPolicy:     a.BlockPublicPolicy || b.BlockPublicPolicy,
		RestrictPublicBuckets: a.RestrictPublicBuckets || b.RestrictPublicBuckets,
	}
}

func principalName(p *identity.Principal) string {
	if p.IsAnonymous() {
		return "anonymous"
	}
	return p.ARN
}
