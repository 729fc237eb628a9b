package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/store"
)

const defaultRegion = "us-east-1"

type createBucketConfiguration struct {
	LocationConstraint string `xml:"LocationConstraint"`
}

// signingRegion is the credential scope's region; us-east-1 for SigV2 and
// anonymous requests, which reach the global endpoint.
func signingRegion(rq *request) string {
	if r := rq.info.Auth.Region; r != "" && rq.info.Auth.SignatureVersion == "AWS4-HMAC-SHA256" {
		return r
	}
	return defaultRegion
}

// createBucket is CreateBucket. The region rules (CreateBucket API
// reference, CreateBucketConfiguration): without a LocationConstraint the
// bucket is created in the endpoint's region, which must be us-east-1
// (IllegalLocationConstraintException elsewhere); "us-east-1" itself may
// not be named (InvalidLocationConstraint); a regional endpoint accepts
// only its own region, while us-east-1 — the global endpoint — accepts any.
func (a *API) createBucket(w http.ResponseWriter, rq *request) error {
	name := rq.bucket
	if !validBucketName(name) {
		return awserr.New(awserr.InvalidBucketName).With("BucketName", name)
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	var cfg createBucketConfiguration
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := decodeXML(body, "CreateBucketConfiguration", &cfg); err != nil {
			return err
		}
	}
	endpoint := signingRegion(rq)
	region := endpoint
	loc := strings.TrimSpace(cfg.LocationConstraint)
	switch {
	case loc == "":
		if endpoint != defaultRegion {
			return awserr.New(awserr.IllegalLocationConstraintExc)
		}
	case loc == defaultRegion:
		return awserr.New(awserr.InvalidLocationConstraint).With("LocationConstraint", loc)
	default:
		r, ok := locationRegion(loc)
		if !ok {
			return awserr.New(awserr.InvalidLocationConstraint).With("LocationConstraint", loc)
		}
		if endpoint != defaultRegion && r != endpoint {
			return awserr.Newf(awserr.IllegalLocationConstraintExc,
				"The %s location constraint is incompatible for the region specific endpoint this request was sent to.", loc)
		}
		region = r
	}
	if rq.r.Header.Get("x-amz-bucket-object-lock-enabled") == "true" {
		return awserr.New(awserr.NotImplemented).With("Header", "x-amz-bucket-object-lock-enabled")
	}
	p := rq.info.Principal
	if p.IsAnonymous() {
		return awserr.New(awserr.AccessDenied)
	}
	b, err := a.newBucket(rq, name, region)
	if err != nil {
		return err
	}
	err = a.st.CreateBucket(rq.ctx(), b)
	if errors.Is(err, store.ErrExists) {
		old, gerr := a.st.GetBucket(rq.ctx(), name)
		if gerr != nil {
			return awserr.Internal(gerr)
		}
		if old.AccountID != p.AccountID {
			return awserr.New(awserr.BucketAlreadyExists).With("BucketName", name)
		}
		// AWS's legacy behaviour: re-creating your own bucket in us-east-1 succeeds.
		if old.Region == defaultRegion && region == defaultRegion {
			w.Header().Set("Location", "/"+name)
			w.WriteHeader(http.StatusOK)
			return nil
		}
		return awserr.New(awserr.BucketAlreadyOwnedByYou).With("BucketName", name)
	}
	if err != nil {
		return awserr.Internal(err)
	}
	w.Header().Set("Location", "/"+name)
	w.WriteHeader(http.StatusOK)
	return nil
}

// headBucket is HeadBucket (s3:ListBucket). x-amz-bucket-region is sent
// even when access is denied, as S3 does.
func (a *API) headBucket(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if !a.allowed(rq, rq.op.action, b, "", nil, nil) {
		return awserr.New(awserr.AccessDenied).WithHeader("x-amz-bucket-region", b.Region)
	}
	w.Header().Set("x-amz-bucket-region", b.Region)
	w.Header().Set("x-amz-access-point-alias", "false")
	w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket is DeleteBucket: 204, BucketNotEmpty while objects remain.
func (a *API) deleteBucket(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	orphans, err := a.st.DeleteBucket(rq.ctx(), b.Name)
	if err != nil {
		return storeErr(err, b.Name, "", "")
	}
	a.deleteBlobs(orphans)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	NS      string   `xml:"xmlns,attr"`
	Region  string   `xml:",chardata"`
}

// getBucketLocation is GetBucketLocation: empty for us-east-1. It answers
// requests signed for any region (clients call it to find the region).
func (a *API) getBucketLocation(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	loc := b.Region
	if loc == defaultRegion {
		loc = ""
	}
	return writeXML(w, http.StatusOK, locationConstraint{NS: s3NS, Region: loc})
}

type listAllMyBucketsResult struct {
	XMLName           xml.Name    `xml:"ListAllMyBucketsResult"`
	NS                string      `xml:"xmlns,attr"`
	Owner             owner       `xml:"Owner"`
	Buckets           []bucketXML `xml:"Buckets>Bucket"`
	ContinuationToken string      `xml:"ContinuationToken,omitempty"`
	Prefix            *string     `xml:"Prefix"`
}

type bucketXML struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion"`
}

// listBuckets is ListBuckets: the caller's account's buckets only, with
// max-buckets, continuation-token, prefix and bucket-region (ListBuckets
// API reference).
func (a *API) listBuckets(w http.ResponseWriter, rq *request) error {
	p := rq.info.Principal
	if p.IsAnonymous() {
		return awserr.New(awserr.AccessDenied)
	}
	q := rq.query
	limit := 0
	if q.Has("max-buckets") {
		v := q.Get("max-buckets")
		n, err := strconv.Atoi(v)
		if err != nil {
			return awserr.New(awserr.InvalidArgument, "Provided max-buckets not an integer or within integer range").
				With("ArgumentName", "max-buckets").With("ArgumentValue", v)
		}
		if n < 1 || n > 10000 {
			return awserr.New(awserr.InvalidArgument, "Argument max-buckets must be an integer between 1 and 10000").
				With("ArgumentName", "max-buckets").With("ArgumentValue", strconv.Itoa(n))
		}
		limit = n
	}
	region := ""
	if q.Has("bucket-region") {
		region = q.Get("bucket-region")
		if !regions[region] {
			return awserr.Newf(awserr.InvalidArgument, "Argument value %s is not a valid AWS Region", region).
				With("ArgumentName", "bucket-region")
		}
		if region != signingRegion(rq) {
			return awserr.New(awserr.InvalidArgument, "Requests with bucket-region specified must be made to the corresponding regional endpoint").
				With("ArgumentName", "bucket-region")
		}
	}
	after := ""
	if q.Has("continuation-token") {
		t, err := base64.RawURLEncoding.DecodeString(q.Get("continuation-token"))
		if err != nil || len(t) == 0 {
			return awserr.New(awserr.InvalidArgument, "The continuation token provided is incorrect").
				With("ArgumentName", "continuation-token")
		}
		after = string(t)
	}
	prefix := q.Get("prefix")
	if !a.allowedOn(rq, rq.op.action, "*", &store.Bucket{AccountID: p.AccountID}, nil, nil) {
		return awserr.New(awserr.AccessDenied)
	}
	out := listAllMyBucketsResult{NS: s3NS, Owner: owner{ID: p.CanonicalID}, Buckets: []bucketXML{}}
	if q.Has("prefix") {
		out.Prefix = &prefix
	}
	want := limit
	if want == 0 {
		want = 10000
	}
	for {
		page, err := a.st.ListBuckets(rq.ctx(), p.AccountID, prefix, after, 1000)
		if err != nil {
			return awserr.Internal(err)
		}
		for _, b := range page {
			after = b.Name
			if region != "" && b.Region != region {
				continue
			}
			if len(out.Buckets) == want {
				if limit > 0 {
					out.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(out.Buckets[len(out.Buckets)-1].Name))
				}
				return writeXML(w, http.StatusOK, out)
			}
			out.Buckets = append(out.Buckets, bucketXML{Name: b.Name, CreationDate: isoTime(b.CreatedAt), BucketRegion: b.Region})
		}
		if len(page) < 1000 {
			return writeXML(w, http.StatusOK, out)
		}
	}
}
