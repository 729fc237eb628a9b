package s3api

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
)

// level is what a request addresses.
type level int

const (
	service level = iota // no bucket: GET / is ListBuckets
	bucketLevel
	objectLevel
)

// op is one S3 operation: its name, the IAM action it needs (for the
// operations authorized once; copies and DeleteObjects authorize per
// resource with the actions named in their handlers) and its handler.
type op struct {
	name   string
	action string
	serve  func(a *API, w http.ResponseWriter, rq *request) error
	// anyRegion: the operation is answered whatever the credential scope's
	// region (GetBucketLocation, which clients call to find the region).
	anyRegion bool
}

// The operations, with the IAM actions of AWS's "Actions, resources, and
// condition keys for Amazon S3" / "Required permissions for Amazon S3 API
// operations".
var (
	opListBuckets       = &op{name: "ListBuckets", action: "s3:ListAllMyBuckets", serve: (*API).listBuckets}
	opCreateBucket      = &op{name: "CreateBucket", action: "s3:CreateBucket", serve: (*API).createBucket}
	opHeadBucket        = &op{name: "HeadBucket", action: "s3:ListBucket", serve: (*API).headBucket}
	opDeleteBucket      = &op{name: "DeleteBucket", action: "s3:DeleteBucket", serve: (*API).deleteBucket}
	opGetBucketLocation = &op{name: "GetBucketLocation", action: "s3:GetBucketLocation", serve: (*API).getBucketLocation, anyRegion: true}
	opListObjects       = &op{name: "ListObjects", action: "s3:ListBucket", serve: (*API).listObjectsV1}
	opListObjectsV2     = &op{name: "ListObjectsV2", action: "s3:ListBucket", serve: (*API).listObjectsV2}
	opListUploads       = &op{name: "ListMultipartUploads", action: "s3:ListBucketMultipartUploads", serve: (*API).listUploads}
	opDeleteObjects     = &op{name: "DeleteObjects", action: "s3:DeleteObject", serve: (*API).deleteObjects}
	opPutObject         = &op{name: "PutObject", action: "s3:PutObject", serve: (*API).putObject}
	opCopyObject        = &op{name: "CopyObject", action: "s3:PutObject", serve: (*API).copyObject}
	opGetObject         = &op{name: "GetObject", action: "s3:GetObject", serve: (*API).getObject}
	opHeadObject        = &op{name: "HeadObject", action: "s3:GetObject", serve: (*API).getObject}
	opDeleteObject      = &op{name: "DeleteObject", action: "s3:DeleteObject", serve: (*API).deleteObject}
	opCreateUpload      = &op{name: "CreateMultipartUpload", action: "s3:PutObject", serve: (*API).createUpload}
	opUploadPart        = &op{name: "UploadPart", action: "s3:PutObject", serve: (*API).uploadPart}
	opUploadPartCopy    = &op{name: "UploadPartCopy", action: "s3:PutObject", serve: (*API).uploadPartCopy}
	opCompleteUpload    = &op{name: "CompleteMultipartUpload", action: "s3:PutObject", serve: (*API).completeUpload}
	opAbortUpload       = &op{name: "AbortMultipartUpload", action: "s3:AbortMultipartUpload", serve: (*API).abortUpload}
	opListParts         = &op{name: "ListParts", action: "s3:ListMultipartUploadParts", serve: (*API).listParts}
	opOptions           = &op{name: "OPTIONS", serve: (*API).options}

	// Bucket policies and Block Public Access (policy_ops.go).
	opPutBucketPolicy         = &op{name: "PutBucketPolicy", action: "s3:PutBucketPolicy", serve: (*API).putBucketPolicy}
	opGetBucketPolicy         = &op{name: "GetBucketPolicy", action: "s3:GetBucketPolicy", serve: (*API).getBucketPolicy}
	opDeleteBucketPolicy      = &op{name: "DeleteBucketPolicy", action: "s3:DeleteBucketPolicy", serve: (*API).deleteBucketPolicy}
	opGetBucketPolicyStatus   = &op{name: "GetBucketPolicyStatus", action: "s3:GetBucketPolicyStatus", serve: (*API).getBucketPolicyStatus}
	opPutPublicAccessBlock    = &op{name: "PutPublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", serve: (*API).putPublicAccessBlock}
	opGetPublicAccessBlock    = &op{name: "GetPublicAccessBlock", action: "s3:GetBucketPublicAccessBlock", serve: (*API).getPublicAccessBlock}
	opDeletePublicAccessBlock = &op{name: "DeletePublicAccessBlock", action: "s3:PutBucketPublicAccessBlock", serve: (*API).deletePublicAccessBlock}

	// ACLs and Object Ownership (acl_ops.go).
	opPutBucketAcl            = &op{name: "PutBucketAcl", action: "s3:PutBucketAcl", serve: (*API).putBucketACL}
	opGetBucketAcl            = &op{name: "GetBucketAcl", action: "s3:GetBucketAcl", serve: (*API).getBucketACL}
	opPutObjectAcl            = &op{name: "PutObjectAcl", action: "s3:PutObjectAcl", serve: (*API).putObjectACL}
	opGetObjectAcl            = &op{name: "GetObjectAcl", action: "s3:GetObjectAcl", serve: (*API).getObjectACL}
	opPutOwnershipControls    = &op{name: "PutBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", serve: (*API).putOwnershipControls}
	opGetOwnershipControls    = &op{name: "GetBucketOwnershipControls", action: "s3:GetBucketOwnershipControls", serve: (*API).getOwnershipControls}
	opDeleteOwnershipControls = &op{name: "DeleteBucketOwnershipControls", action: "s3:PutBucketOwnershipControls", serve: (*API).deleteOwnershipControls}
)

// route picks the operation for (level, method, selector). The selector is
// the S3 sub-resource named in the query ("" for none); a few operations
// are further told apart by a header (x-amz-copy-source) in resolve.
type routeKey struct {
	lvl      level
	method   string
	selector string
}

var routes = map[routeKey]*op{
	{service, http.MethodGet, ""}:                 opListBuckets,
	{bucketLevel, http.MethodPut, ""}:             opCreateBucket,
	{bucketLevel, http.MethodHead, ""}:            opHeadBucket,
	{bucketLevel, http.MethodDelete, ""}:          opDeleteBucket,
	{bucketLevel, http.MethodGet, "location"}:     opGetBucketLocation,
	{bucketLevel, http.MethodGet, ""}:             opListObjects, // list-type=2 → V2
	{bucketLevel, http.MethodGet, "uploads"}:      opListUploads,
	{bucketLevel, http.MethodPost, "delete"}:      opDeleteObjects,
	{objectLevel, http.MethodPut, ""}:             opPutObject, // x-amz-copy-source → CopyObject
	{objectLevel, http.MethodGet, ""}:             opGetObject,
	{objectLevel, http.MethodHead, ""}:            opHeadObject,
	{objectLevel, http.MethodDelete, ""}:          opDeleteObject,
	{objectLevel, http.MethodPost, "uploads"}:     opCreateUpload,
	{objectLevel, http.MethodPut, "uploadId"}:     opUploadPart, // x-amz-copy-source → UploadPartCopy
	{objectLevel, http.MethodPost, "uploadId"}:    opCompleteUpload,
	{objectLevel, http.MethodDelete, "uploadId"}:  opAbortUpload,
	{objectLevel, http.MethodGet, "uploadId"}:     opListParts,
	{service, http.MethodOptions, ""}:             opOptions,
	{bucketLevel, http.MethodOptions, ""}:         opOptions,
	{objectLevel, http.MethodOptions, ""}:         opOptions,
	{objectLevel, http.MethodHead, "uploadId"}:    nil, // explicit: 405 below
	{bucketLevel, http.MethodHead, "location"}:    nil,
	{bucketLevel, http.MethodHead, "uploads"}:     nil,
	{objectLevel, http.MethodPut, "partNumber"}:   nil,
	{objectLevel, http.MethodGet, "partNumber"}:   opGetObject,
	{objectLevel, http.MethodHead, "partNumber"}:  opHeadObject,
	{bucketLevel, http.MethodGet, "versionId"}:    nil,
	{objectLevel, http.MethodGet, "versionId"}:    opGetObject,
	{objectLevel, http.MethodHead, "versionId"}:   opHeadObject,
	{objectLevel, http.MethodDelete, "versionId"}: opDeleteObject,

	{bucketLevel, http.MethodPut, "policy"}:               opPutBucketPolicy,
	{bucketLevel, http.MethodGet, "policy"}:               opGetBucketPolicy,
	{bucketLevel, http.MethodDelete, "policy"}:            opDeleteBucketPolicy,
	{bucketLevel, http.MethodGet, "policyStatus"}:         opGetBucketPolicyStatus,
	{bucketLevel, http.MethodPut, "publicAccessBlock"}:    opPutPublicAccessBlock,
	{bucketLevel, http.MethodGet, "publicAccessBlock"}:    opGetPublicAccessBlock,
	{bucketLevel, http.MethodDelete, "publicAccessBlock"}: opDeletePublicAccessBlock,

	{bucketLevel, http.MethodPut, "acl"}:                  opPutBucketAcl,
	{bucketLevel, http.MethodGet, "acl"}:                  opGetBucketAcl,
	{objectLevel, http.MethodPut, "acl"}:                  opPutObjectAcl,
	{objectLevel, http.MethodGet, "acl"}:                  opGetObjectAcl,
	{bucketLevel, http.MethodPut, "ownershipControls"}:    opPutOwnershipControls,
	{bucketLevel, http.MethodGet, "ownershipControls"}:    opGetOwnershipControls,
	{bucketLevel, http.MethodDelete, "ownershipControls"}: opDeleteOwnershipControls,
}

// subresources are the query keys that select an S3 operation of their
// own (matched case-sensitively, as S3 does). Any other query key is a
// parameter or ignored (x-id, unknown keys), as S3 ignores them.
var subresources = map[string]bool{
	"abac": true, "accelerate": true, "acl": true, "analytics": true, "annotation": true, "attributes": true,
	"cors": true, "delete": true, "encryption": true, "intelligent-tiering": true, "inventory": true,
	"legal-hold": true, "lifecycle": true, "location": true, "logging": true, "metadataConfiguration": true,
	"metadataTable": true, "metrics": true, "notification": true, "object-lock": true, "ownershipControls": true,
	"policy": true, "policyStatus": true, "publicAccessBlock": true, "renameObject": true, "replication": true,
	"requestPayment": true, "restore": true, "retention": true, "select": true, "session": true, "tagging": true,
	"torrent": true, "uploads": true, "uploadId": true, "versioning": true, "versions": true, "website": true,
}

// request is a resolved S3 request.
type request struct {
	r      *http.Request
	info   *identity.Request
	op     *op
	bucket string // "" for service-level requests
	key    string // "" for bucket-level requests
	query  url.Values
	// virtual is true for virtual-hosted-style requests.
	virtual bool
}

func (rq *request) ctx() context.Context { return rq.r.Context() }

// resolve parses bucket, key and operation from r.
func (a *API) resolve(r *http.Request, info *identity.Request) (*request, error) {
	rq := &request{r: r, info: info}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, awserr.New(awserr.InvalidURI)
	}
	rq.query = q
	path := r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if b, ok := BucketFromHost(r.Host, a.domains); ok {
		rq.bucket, rq.virtual = b, true
		if rq.key, err = unescape(path[1:]); err != nil {
			return nil, err
		}
	} else {
		rest := path[1:]
		rawBucket, rawKey, _ := strings.Cut(rest, "/")
		if rq.bucket, err = unescape(rawBucket); err != nil {
			return nil, err
		}
		if rq.key, err = unescape(rawKey); err != nil {
			return nil, err
		}
	}
	if strings.Contains(rq.bucket, "/") {
		return nil, awserr.New(awserr.InvalidBucketName).With("BucketName", rq.bucket)
	}
	lvl := objectLevel
	switch {
	case rq.bucket == "":
		lvl = service
		if rq.key != "" {
			return nil, awserr.New(awserr.InvalidURI)
		}
	case rq.key == "":
		lvl = bucketLevel
	}
	selector, err := selectorOf(q)
	if err != nil {
		return nil, err
	}
	o, known := routes[routeKey{lvl, r.Method, selector}]
	if o == nil {
		return nil, unroutable(r.Method, lvl, selector, known)
	}
	switch {
	case o == opListObjects && q.Get("list-type") == "2":
		o = opListObjectsV2
	case o == opPutObject && r.Header.Get("x-amz-copy-source") != "":
		o = opCopyObject
	case o == opUploadPart && r.Header.Get("x-amz-copy-source") != "":
		o = opUploadPartCopy
	}
	if lvl == objectLevel && !utf8.ValidString(rq.key) {
		return nil, awserr.New(awserr.InvalidURI)
	}
	rq.op = o
	return rq, nil
}

// selectorOf returns the sub-resource a query names. uploadId wins over
// partNumber and versionId (they are its parameters); two sub-resources
// conflict.
func selectorOf(q url.Values) (string, error) {
	var found []string
	for k := range q {
		if subresources[k] {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 0:
		switch {
		case q.Has("partNumber"):
			return "partNumber", nil
		case q.Has("versionId"):
			return "versionId", nil
		}
		return "", nil
	case 1:
		return found[0], nil
	}
	sort.Strings(found)
	return "", awserr.Newf(awserr.InvalidArgument, "Conflicting query string parameters: %s", strings.Join(found, ", ")).
		With("ArgumentName", "ResourceType").With("ArgumentValue", found[0])
}

// unroutable is the error for a request no operation serves: a method the
// resource does not allow is 405, a sub-resource crossbucket does not
// implement is 501 (fail closed, never a fallback operation).
func unroutable(method string, lvl level, selector string, known bool) error {
	resType := map[level]string{service: "SERVICE", bucketLevel: "BUCKET", objectLevel: "OBJECT"}[lvl]
	if lvl == objectLevel && method == http.MethodGet {
		switch selector {
		case "uploads":
			return awserr.New(awserr.InvalidRequest, "Key is not expected for the GET method ?uploads subresource")
		case "versions":
			return awserr.New(awserr.InvalidRequest, "There is no such thing as the ?versions sub-resource for a key")
		}
	}
	switch method {
	case http.MethodPost:
		if selector == "" && lvl == bucketLevel {
			return awserr.New(awserr.NotImplemented) // browser-based POST uploads
		}
		fallthrough
	case http.MethodGet, http.MethodPut, http.MethodDelete:
		if selector != "" && !known && subresources[selector] {
			return awserr.New(awserr.NotImplemented)
		}
	case http.MethodHead:
		if selector != "" {
			return awserr.New(awserr.MethodNotAllowed).With("Method", method).With("ResourceType", resType).
				WithHeader("Allow", "GET")
		}
	}
	return awserr.New(awserr.MethodNotAllowed).With("Method", method).With("ResourceType", resType)
}

// unescape percent-decodes one path component exactly once ("+" stays "+").
func unescape(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	v, err := url.PathUnescape(s)
	if err != nil {
		return "", awserr.New(awserr.InvalidURI)
	}
	return v, nil
}
