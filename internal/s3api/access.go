package s3api

import (
	"errors"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

// bucketARN and objectARN are the S3 resource ARNs IAM policies name.
func bucketARN(bucket string) string      { return "arn:aws:s3:::" + bucket }
func objectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// allowed asks the authorizer whether the caller may perform action on
// the bucket (obj and key empty) or on one of its objects.
func (a *API) allowed(rq *request, action string, b *store.Bucket, key string, obj *store.Object, cond map[string][]string) bool {
	res := bucketARN(b.Name)
	if key != "" || obj != nil {
		res = objectARN(b.Name, key)
	}
	return a.allowedOn(rq, action, res, b, obj, cond)
}

// allowedOn asks the authorizer about action on the resource ARN res.
func (a *API) allowedOn(rq *request, action, res string, b *store.Bucket, obj *store.Object, cond map[string][]string) bool {
	return a.decide(rq, action, res, b, obj, cond).Allowed
}

// decide asks the authorizer about action on the resource ARN res, with the
// bucket owner account's Block Public Access setting (cached), and records
// the decision for the AccessDenied message (denied.go).
func (a *API) decide(rq *request, action, res string, b *store.Bucket, obj *store.Object, cond map[string][]string) authz.Decision {
	req := &authz.Request{
		Principal: rq.info.Principal, Action: action, Resource: res, ResourceAccount: b.AccountID,
		Bucket: b, Object: obj, Context: cond, Info: rq.info,
	}
	if a.cache != nil && b.Name != "" {
		pab, err := a.cache.accountPAB(rq.ctx(), b.AccountID)
		if err != nil {
			// Fail closed: without the account setting nothing is decided.
			a.log.Error("s3api: account public access block not loaded", "request_id", rq.info.ID, "account", b.AccountID, "err", err)
			d := authz.Decision{Reason: "denied: the account's Block Public Access setting could not be loaded"}
			recordDecision(rq.ctx(), req, &d)
			return d
		}
		req.AccountPublicAccessBlock = pab
	}
	d := a.az.Authorize(rq.ctx(), req)
	if !d.Allowed {
		a.log.Debug("s3api: denied", "request_id", rq.info.ID, "action", action, "resource", res, "reason", d.Reason)
	}
	recordDecision(rq.ctx(), req, &d)
	return d
}

// authorize is allowed as an error: AccessDenied when refused, with AWS's
// message for the decision.
func (a *API) authorize(rq *request, action string, b *store.Bucket, key string, obj *store.Object, cond map[string][]string) error {
	res := bucketARN(b.Name)
	if key != "" || obj != nil {
		res = objectARN(b.Name, key)
	}
	d := a.decide(rq, action, res, b, obj, cond)
	if d.Allowed {
		return nil
	}
	return deniedError(rq.info.Principal, rq.info, action, res, &d)
}

// bucketFor loads the request's bucket and checks the credential scope's
// region against the bucket's (unless the operation answers any region).
func (a *API) bucketFor(rq *request, name string) (*store.Bucket, error) {
	b, err := a.st.GetBucket(rq.ctx(), name)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrNoSuchBucket) {
		return nil, noSuchBucket(name)
	}
	if err != nil {
		return nil, awserr.Internal(err)
	}
	if !rq.op.anyRegion {
		if err := checkRegion(rq, b); err != nil {
			return nil, err
		}
	}
	if err := expectOwner(rq.r.Header.Get("x-amz-expected-bucket-owner"), b); err != nil {
		return nil, err
	}
	return b, nil
}

// expectOwner applies x-amz-expected-bucket-owner (and its copy-source
// twin): a bucket owned by another account is AccessDenied ("Verifying
// bucket ownership with bucket owner condition").
func expectOwner(want string, b *store.Bucket) error {
	if want != "" && want != b.AccountID {
		return awserr.New(awserr.AccessDenied)
	}
	return nil
}

// checkRegion refuses a SigV4 request signed for another region than the
// bucket's, as S3 does: AuthorizationHeaderMalformed for the Authorization
// header, AuthorizationQueryParametersError for a presigned URL, each with
// the bucket's region in <Region> and x-amz-bucket-region.
func checkRegion(rq *request, b *store.Bucket) error {
	au := rq.info.Auth
	if au.SignatureVersion != "AWS4-HMAC-SHA256" || au.Region == "" || au.Region == b.Region {
		return nil
	}
	var e *awserr.Error
	if au.Method == "REST-QUERY-STRING" {
		e = awserr.Newf(awserr.AuthorizationQueryParametersError,
			"Error parsing the X-Amz-Credential parameter; the region '%s' is wrong; expecting '%s'", au.Region, b.Region)
	} else {
		e = awserr.Newf(awserr.AuthorizationHeaderMalformed,
			"The authorization header is malformed; the region '%s' is wrong; expecting '%s'", au.Region, b.Region)
	}
	return e.With("Region", b.Region).WithHeader("x-amz-bucket-region", b.Region)
}

// objectFor loads an object for a read and authorizes action on it. A
// missing key is NoSuchKey only for callers allowed s3:ListBucket on the
// bucket, AccessDenied otherwise ("How Amazon S3 authorizes a request",
// GetObject "Permissions"). Authorization comes before any precondition.
func (a *API) objectFor(rq *request, action string, b *store.Bucket, key string, cond map[string][]string) (*store.Object, error) {
	o, err := a.st.GetObject(rq.ctx(), b.Name, key)
	switch {
	case errors.Is(err, store.ErrNoSuchBucket):
		return nil, noSuchBucket(b.Name)
	case errors.Is(err, store.ErrNotFound):
		o = nil
	case err != nil:
		return nil, awserr.Internal(err)
	}
	if o == nil {
		if !a.allowed(rq, action, b, key, nil, cond) {
			return nil, awserr.New(awserr.AccessDenied)
		}
		if !a.allowed(rq, "s3:ListBucket", b, "", nil, nil) {
			return nil, awserr.New(awserr.AccessDenied)
		}
		return nil, awserr.New(awserr.NoSuchKey).With("Key", key)
	}
	if err := a.authorize(rq, action, b, key, o, cond); err != nil {
		return nil, err
	}
	return o, nil
}

// canonicalID returns an account's S3 canonical user id ("" if unknown).
func (a *API) canonicalID(rq *request, accountID string, cache map[string]string) string {
	if id, ok := cache[accountID]; ok {
		return id
	}
	id := ""
	if p := rq.info.Principal; p != nil && p.AccountID == accountID && p.CanonicalID != "" {
		id = p.CanonicalID
	} else if acct, err := a.st.GetAccount(rq.ctx(), accountID); err == nil {
		id = acct.CanonicalID
	} else {
		a.log.Debug("s3api: no canonical id", "account", accountID, "err", fmt.Sprint(err))
	}
	if cache != nil {
		cache[accountID] = id
	}
	return id
}
