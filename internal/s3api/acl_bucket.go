package s3api

import (
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// newBucket builds and authorizes the bucket a CreateBucket request
// creates, with its Object Ownership (x-amz-object-ownership, default
// BucketOwnerEnforced), its ACL (x-amz-acl / x-amz-grant-*) and Block
// Public Access fully on, as new buckets get it.
//
// CreateBucket API reference: with BucketOwnerEnforced a bucket ACL that
// grants anyone but the owner is 400 InvalidBucketAclWithObjectOwnership;
// an ACL other than private also needs s3:PutBucketAcl, the ownership
// header s3:PutBucketOwnershipControls; a public ACL fails (the new
// bucket's BlockPublicAcls) with 403 AccessDenied.
func (a *API) newBucket(rq *request, name, region string) (*store.Bucket, error) {
	h := rq.r.Header
	p := rq.info.Principal
	ownership := s3acl.BucketOwnerEnforced
	ownHdr := h.Get("x-amz-object-ownership")
	if ownHdr != "" {
		if !s3acl.ValidOwnership(ownHdr) {
			return nil, s3acl.ErrInvalidOwnershipHeader(ownHdr)
		}
		ownership = ownHdr
	}
	hd, err := s3acl.ParseHeaders(h, a.aclResolver(rq))
	if err != nil {
		return nil, err
	}
	b := &store.Bucket{Name: name, AccountID: p.AccountID, Region: region, CreatedAt: a.now().UTC(),
		Ownership: ownership, PublicAccessBlock: &store.PublicAccessBlock{
			BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true}}
	var acl s3acl.ACL
	if hd.Present() {
		owner, err := a.aclOwner(rq, p.AccountID)
		if err != nil {
			return nil, err
		}
		acl = hd.ACL(owner, owner, false)
		if s3acl.ACLsDisabled(ownership) && !s3acl.BucketACLAllowedWithEnforced(acl) {
			return nil, s3acl.ErrBucketACLWithEnforced()
		}
	}
	cond := aclConditionKeys(h, map[string][]string{"s3:LocationConstraint": {region}})
	if ownHdr != "" {
		cond["s3:x-amz-object-ownership"] = []string{ownHdr}
	}
	probe := &store.Bucket{Name: name, AccountID: p.AccountID}
	if !a.allowed(rq, "s3:CreateBucket", probe, "", nil, cond) {
		return nil, awserr.New(awserr.AccessDenied)
	}
	if hd.Present() && hd.Canned != s3acl.CannedPrivate && !a.allowed(rq, "s3:PutBucketAcl", probe, "", nil, cond) {
		return nil, awserr.New(awserr.AccessDenied)
	}
	if ownHdr != "" && !a.allowed(rq, "s3:PutBucketOwnershipControls", probe, "", nil, cond) {
		return nil, awserr.New(awserr.AccessDenied)
	}
	if hd.Present() {
		pab, err := a.aclPAB(rq, b) // the new bucket's setting and the account's
		if err != nil {
			return nil, err
		}
		if err := s3acl.CheckBlockPublicAcls(pab, acl); err != nil {
			return nil, err
		}
		b.ACL = s3acl.Encode(acl)
	}
	return b, nil
}
