package s3acl

import (
	"io"
	"net/http"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// ForPut reads the ACL a PutBucketAcl or PutObjectAcl request sets on a
// resource owned by owner in a bucket owned by bucketOwner: from the
// x-amz-acl / x-amz-grant-* headers or from an AccessControlPolicy body,
// which are exclusive. canned is the x-amz-acl value ("" otherwise), for
// the Object Ownership checks.
//
// Neither headers nor body is 400 MissingSecurityHeader (MissingHeaderName
// x-amz-acl); headers and a non-empty body is 400 UnexpectedContent; the
// rest are ParseHeaders' and ParsePolicy's errors. body may be nil.
func ForPut(h http.Header, body io.Reader, owner, bucketOwner Owner, forObject bool, r Resolver) (acl ACL, canned string, err error) {
	b, err := readBody(body)
	if err != nil {
		return ACL{}, "", err
	}
	explicit := false
	for _, gh := range GrantHeaders {
		explicit = explicit || headerValue(h, gh.Name) != ""
	}
	hasCanned := headerValue(h, "x-amz-acl") != ""
	switch {
	case !hasCanned && !explicit && len(b) == 0:
		return ACL{}, "", awserr.New(awserr.MissingSecurityHeader, "Your request was missing a required header").With("MissingHeaderName", "x-amz-acl")
	case hasCanned && explicit:
		return ACL{}, "", awserr.New(awserr.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed")
	case len(b) != 0 && (hasCanned || explicit):
		return ACL{}, "", awserr.New(awserr.UnexpectedContent)
	case len(b) != 0:
		a, err := parsePolicy(b, owner, r)
		return a, "", err
	}
	hd, err := ParseHeaders(h, r)
	if err != nil {
		return ACL{}, "", err
	}
	return hd.ACL(owner, bucketOwner, forObject), hd.Canned, nil
}
