package s3api

import (
	"net/http"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// aclHeaderKeys are the request headers S3 exposes as s3:<header>
// condition keys on requests that set an ACL ("Actions, resources, and
// condition keys for Amazon S3").
var aclHeaderKeys = []string{"x-amz-acl", "x-amz-grant-read", "x-amz-grant-write",
	"x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"}

// aclConditionKeys adds the ACL headers of h to c (allocated when nil)
// as s3:x-amz-acl, s3:x-amz-grant-read, … condition keys.
func aclConditionKeys(h http.Header, c map[string][]string) map[string][]string {
	if c == nil {
		c = map[string][]string{}
	}
	for _, k := range aclHeaderKeys {
		if v := h.Get(k); v != "" {
			c["s3:"+k] = []string{v}
		}
	}
	return c
}

// aclResolver resolves the canonical user ids that grants name against
// the accounts in the store (listed once per request, and only when a
// grant names an id). Email grantees resolve to nothing: crossbucket
// accounts have no email address (UnresolvableGrantByEmailAddress).
func (a *API) aclResolver(rq *request) s3acl.Resolver {
	var known map[string]bool
	return s3acl.Resolver{Exists: func(id string) bool {
		if known == nil {
			known = map[string]bool{}
			accts, err := a.st.ListAccounts(rq.ctx())
			if err != nil {
				a.log.Warn("s3api: listing accounts for an ACL grant", "request_id", rq.info.ID, "err", err)
				return false // fail closed: "Invalid id"
			}
			for _, acct := range accts {
				known[acct.CanonicalID] = true
			}
		}
		return known[id]
	}}
}

// aclOwner is the ACL owner for an account: its canonical user id. An
// account whose id cannot be found is an internal error, never an ACL
// with an empty owner.
func (a *API) aclOwner(rq *request, accountID string) (s3acl.Owner, error) {
	id := a.canonicalID(rq, accountID, nil)
	if id == "" {
		return s3acl.Owner{}, awserr.New(awserr.InternalError)
	}
	return s3acl.Owner{ID: id}, nil
}

// aclPAB is the Block Public Access configuration that applies to b's
// ACLs: the bucket's setting OR'ed with its owner account's ("the most
// restrictive combination", "Blocking public access to your Amazon S3
// storage").
func (a *API) aclPAB(rq *request, b *store.Bucket) (s3acl.PublicAccessBlock, error) {
	out := pabOf(b.PublicAccessBlock)
	if a.cache != nil {
		p, err := a.cache.accountPAB(rq.ctx(), b.AccountID)
		if err != nil {
			return out, awserr.Internal(err)
		}
		out = out.Or(pabOf(p))
	}
	return out, nil
}

// pabOf converts a stored configuration (nil: none, all off).
func pabOf(p *store.PublicAccessBlock) s3acl.PublicAccessBlock {
	if p == nil {
		return s3acl.PublicAccessBlock{}
	}
	return s3acl.PublicAccessBlock{BlockPublicAcls: p.BlockPublicAcls, IgnorePublicAcls: p.IgnorePublicAcls,
		BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets}
}

// objectACL is what an object write (PutObject, CopyObject,
// CreateMultipartUpload) stores for ownership and access.
type objectACL struct {
	owner string // OwnerAccount
	acl   string // encoded ACL ("" = owner full control)
}

// objectWriteACL reads the x-amz-acl / x-amz-grant-* headers of an object
// write into b and decides the new object's owner and ACL:
//
//   - the owner is s3acl.ObjectOwner: the bucket owner under
//     BucketOwnerEnforced, and under BucketOwnerPreferred when the write
//     carries bucket-owner-full-control; the writer otherwise
//     ("Controlling ownership of objects and disabling ACLs");
//   - under BucketOwnerEnforced an ACL other than bucket owner full
//     control is 400 AccessControlListNotSupported and nothing is stored
//     (ACLs are disabled);
//   - a public ACL under BlockPublicAcls is 403 AccessDenied ("Blocking
//     public access to your Amazon S3 storage").
//
// An anonymous writer's object is owned by the bucket owner.
func (a *API) objectWriteACL(rq *request, b *store.Bucket) (objectACL, error) {
	hd, err := s3acl.ParseHeaders(rq.r.Header, a.aclResolver(rq))
	if err != nil {
		return objectACL{}, err
	}
	writer := rq.info.Principal.AccountID
	if rq.info.Principal.IsAnonymous() || writer == "" {
		writer = b.AccountID
	}
	ownerAcct := s3acl.ObjectOwner(b.Ownership, writer, b.AccountID, hd.Canned)
	if s3acl.ACLsDisabled(b.Ownership) && !hd.Present() {
		return objectACL{owner: ownerAcct}, nil
	}
	bucketOwner, err := a.aclOwner(rq, b.AccountID)
	if err != nil {
		return objectACL{}, err
	}
	owner := bucketOwner
	if ownerAcct != b.AccountID {
		if owner, err = a.aclOwner(rq, ownerAcct); err != nil {
			return objectACL{}, err
		}
	}
	acl := hd.ACL(owner, bucketOwner, true)
	if s3acl.ACLsDisabled(b.Ownership) {
		if !s3acl.AllowedWhenEnforced(hd.Canned, acl, bucketOwner.ID) {
			return objectACL{}, s3acl.ErrACLNotSupported()
		}
		return objectACL{owner: ownerAcct}, nil
	}
	pab, err := a.aclPAB(rq, b)
	if err != nil {
		return objectACL{}, err
	}
	if err := s3acl.CheckBlockPublicAcls(pab, acl); err != nil {
		return objectACL{}, err
	}
	return objectACL{owner: ownerAcct, acl: s3acl.Encode(acl)}, nil
}
