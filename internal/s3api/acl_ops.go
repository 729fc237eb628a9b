package s3api

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// ACL and Object Ownership handlers: PutBucketAcl, GetBucketAcl,
// PutObjectAcl, GetObjectAcl and Put/Get/DeleteBucketOwnershipControls.

// writeACLDoc writes an XML document built by s3acl (it carries its own
// XML declaration).
func writeACLDoc(w http.ResponseWriter, doc string) error {
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(doc))
	return nil
}

// effectiveACL is the ACL GetBucketAcl / GetObjectAcl report: the bucket
// owner's full control when ACLs are disabled ("Requests to read ACLs
// always return a response that shows full control for the bucket
// owner"), the stored ACL otherwise, without its public grants under
// IgnorePublicAcls ("GET Bucket acl and GET Object acl always return the
// effective permissions").
func (a *API) effectiveACL(rq *request, b *store.Bucket, encoded string, owner, bucketOwner s3acl.Owner) (s3acl.ACL, error) {
	if s3acl.ACLsDisabled(b.Ownership) {
		return s3acl.EnforcedACL(bucketOwner), nil
	}
	acl, err := s3acl.Decode(encoded, owner)
	if err != nil {
		return s3acl.ACL{}, awserr.Internal(err)
	}
	pab, err := a.aclPAB(rq, b)
	if err != nil {
		return s3acl.ACL{}, err
	}
	if pab.IgnorePublicAcls {
		acl = s3acl.WithoutPublic(acl)
	}
	return acl, nil
}

// checkACLPut applies Object Ownership and BlockPublicAcls to an ACL that
// PutBucketAcl or PutObjectAcl sets in b: AccessControlListNotSupported
// under BucketOwnerEnforced unless it is bucket owner full control,
// AccessDenied for a public ACL under BlockPublicAcls.
func (a *API) checkACLPut(rq *request, b *store.Bucket, canned string, acl s3acl.ACL, bucketOwnerID string) error {
	if s3acl.ACLsDisabled(b.Ownership) && !s3acl.AllowedWhenEnforced(canned, acl, bucketOwnerID) {
		return s3acl.ErrACLNotSupported()
	}
	pab, err := a.aclPAB(rq, b)
	if err != nil {
		return err
	}
	return s3acl.CheckBlockPublicAcls(pab, acl)
}

// putBucketACL is PutBucketAcl (s3:PutBucketAcl): a canned ACL, grant
// headers or an AccessControlPolicy body, exclusively.
func (a *API) putBucketACL(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, aclConditionKeys(rq.r.Header, nil)); err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	owner, err := a.aclOwner(rq, b.AccountID)
	if err != nil {
		return err
	}
	acl, canned, err := s3acl.ForPut(rq.r.Header, bytes.NewReader(body), owner, owner, false, a.aclResolver(rq))
	if err != nil {
		return err
	}
	if err := a.checkACLPut(rq, b, canned, acl, owner.ID); err != nil {
		return err
	}
	enc := s3acl.Encode(acl)
	_, err = a.st.UpdateBucket(rq.ctx(), b.Name, func(cur *store.Bucket) error {
		if cur.AccountID != b.AccountID || cur.Ownership != b.Ownership && s3acl.ACLsDisabled(cur.Ownership) {
			// Changed under us: decide again rather than store an ACL
			// the bucket no longer accepts.
			return awserr.New(awserr.OperationAborted)
		}
		cur.ACL = enc
		return nil
	})
	if err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getBucketACL is GetBucketAcl (s3:GetBucketAcl).
func (a *API) getBucketACL(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	owner, err := a.aclOwner(rq, b.AccountID)
	if err != nil {
		return err
	}
	acl, err := a.effectiveACL(rq, b, b.ACL, owner, owner)
	if err != nil {
		return err
	}
	return writeACLDoc(w, s3acl.PolicyXML(acl))
}

// objectOwners returns the ACL owners of o and of its bucket.
func (a *API) objectOwners(rq *request, b *store.Bucket, o *store.Object) (owner, bucketOwner s3acl.Owner, err error) {
	if bucketOwner, err = a.aclOwner(rq, b.AccountID); err != nil {
		return
	}
	owner = bucketOwner
	if o.OwnerAccount != "" && o.OwnerAccount != b.AccountID {
		owner, err = a.aclOwner(rq, o.OwnerAccount)
	}
	return
}

// putObjectACL is PutObjectAcl (s3:PutObjectAcl, decided in the object's
// context): it replaces the ACL, never the owner.
func (a *API) putObjectACL(w http.ResponseWriter, rq *request) error {
	if err := checkVersionID(rq.query); err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	o, err := a.objectFor(rq, rq.op.action, b, rq.key, aclConditionKeys(rq.r.Header, nil))
	if err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	owner, bucketOwner, err := a.objectOwners(rq, b, o)
	if err != nil {
		return err
	}
	acl, canned, err := s3acl.ForPut(rq.r.Header, bytes.NewReader(body), owner, bucketOwner, true, a.aclResolver(rq))
	if err != nil {
		return err
	}
	if err := a.checkACLPut(rq, b, canned, acl, bucketOwner.ID); err != nil {
		return err
	}
	enc := ""
	if !s3acl.ACLsDisabled(b.Ownership) {
		enc = s3acl.Encode(acl)
	}
	_, err = a.st.UpdateObject(rq.ctx(), b.Name, rq.key, func(cur *store.Object) error {
		if cur.OwnerAccount != o.OwnerAccount {
			// Replaced by another owner's write meanwhile: the ACL was
			// decided for the old object.
			return awserr.New(awserr.OperationAborted)
		}
		cur.ACL = enc
		return nil
	})
	if err != nil {
		return storeErr(err, b.Name, rq.key, "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getObjectACL is GetObjectAcl (s3:GetObjectAcl, decided in the object's
// context); a missing key is NoSuchKey after authorization.
func (a *API) getObjectACL(w http.ResponseWriter, rq *request) error {
	if err := checkVersionID(rq.query); err != nil {
		return err
	}
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	o, err := a.objectFor(rq, rq.op.action, b, rq.key, nil)
	if err != nil {
		return err
	}
	owner, bucketOwner, err := a.objectOwners(rq, b, o)
	if err != nil {
		return err
	}
	acl, err := a.effectiveACL(rq, b, o.ACL, owner, bucketOwner)
	if err != nil {
		return err
	}
	return writeACLDoc(w, s3acl.PolicyXML(acl))
}

// putOwnershipControls is PutBucketOwnershipControls
// (s3:PutBucketOwnershipControls, condition key s3:x-amz-object-ownership).
// BucketOwnerEnforced is refused while the bucket ACL grants anyone but
// the owner (InvalidBucketAclWithObjectOwnership). Objects keep their
// owners; under BucketOwnerEnforced the bucket owner owns them all.
func (a *API) putOwnershipControls(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	ownership, perr := s3acl.ParseOwnershipControls(bytes.NewReader(body))
	var cond map[string][]string
	if perr == nil {
		cond = map[string][]string{"s3:x-amz-object-ownership": {ownership}}
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, cond); err != nil {
		return err
	}
	if perr != nil {
		return perr
	}
	owner, err := a.aclOwner(rq, b.AccountID)
	if err != nil {
		return err
	}
	_, err = a.st.UpdateBucket(rq.ctx(), b.Name, func(cur *store.Bucket) error {
		if s3acl.ACLsDisabled(ownership) {
			acl, err := s3acl.Decode(cur.ACL, owner)
			if err != nil {
				return awserr.Internal(err)
			}
			if !s3acl.BucketACLAllowedWithEnforced(acl) {
				return s3acl.ErrBucketACLWithEnforced()
			}
		}
		cur.Ownership = ownership
		return nil
	})
	if err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getOwnershipControls is GetBucketOwnershipControls
// (s3:GetBucketOwnershipControls): OwnershipControlsNotFoundError when
// none are set.
func (a *API) getOwnershipControls(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	if b.Ownership == "" {
		return awserr.New(awserr.NoSuchOwnershipControls).With("BucketName", b.Name)
	}
	return writeACLDoc(w, s3acl.OwnershipControlsXML(b.Ownership))
}

// deleteOwnershipControls is DeleteBucketOwnershipControls
// (s3:PutBucketOwnershipControls): 204, the bucket then has no ownership
// controls (ACLs enabled, the writer owns what it writes).
func (a *API) deleteOwnershipControls(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	if _, err := a.st.UpdateBucket(rq.ctx(), b.Name, func(cur *store.Bucket) error {
		cur.Ownership = ""
		return nil
	}); err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
