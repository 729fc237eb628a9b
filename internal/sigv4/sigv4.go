// Package sigv4 authenticates requests to S3, IAM and STS exactly as AWS
// does: Signature Version 4 in the Authorization header or in the query
// string (presigned URLs), with every x-amz-content-sha256 payload form
// including aws-chunked streaming with chunk and trailer signatures, and
// Signature Version 2 (header and query string) for S3.
//
// The package is pure: it reads the request and its body and nothing else.
// Secrets come from a Lookup function; they never appear in an error.
package sigv4

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Lookup returns the secret access key for an access key id. sessionToken is
// the X-Amz-Security-Token of the request ("" for long-term keys). Errors it
// returns (typically *awserr.Error: InvalidAccessKeyId, InvalidToken,
// ExpiredToken…) are returned by Verify as they are.
type Lookup func(ctx context.Context, accessKeyID, sessionToken string) (secret string, err error)

// Options are the server-side inputs of a verification.
type Options struct {
	// Now is the server's clock.
	Now time.Time
	// MaxSkew is the allowed difference between the request's time and Now
	// for header-signed requests; 15 minutes when zero.
	MaxSkew time.Duration
	// BucketFromHost returns the bucket of a virtual-hosted-style S3 request
	// (for SigV2 canonical resources).
	BucketFromHost func(host string) (bucket string, ok bool)
	// MaxUnsignedPayloadBuffer bounds the body of a non-S3 request (IAM, STS),
	// which is hashed in memory; 1 MiB when zero.
	MaxUnsignedPayloadBuffer int64
}

// Values of Result.Method, as the s3:authType condition key names them.
const (
	MethodHeader = "REST-HEADER"
	MethodQuery  = "REST-QUERY-STRING"
)

// Values of Result.SignatureVersion, as the s3:signatureversion condition key
// names them.
const (
	VersionV4 = "AWS4-HMAC-SHA256"
	VersionV2 = "AWS"
)

// Result is a verified request.
type Result struct {
	// Anonymous is true when the request carries no credentials at all: the
	// anonymous principal, which is not an error.
	Anonymous    bool
	AccessKeyID  string
	SessionToken string
	// Method is MethodHeader or MethodQuery; "" for anonymous requests.
	Method string
	// SignatureVersion is VersionV4 or VersionV2; "" for anonymous requests.
	SignatureVersion string
	// Region and Service are the credential scope's (SigV4 only).
	Region, Service string
	// SignedAt is the signing time (X-Amz-Date or Date); zero for SigV2
	// presigned URLs, which carry only an expiry.
	SignedAt time.Time
	// Body is the verified, decoded body: read it instead of r.Body. A Read
	// error other than io.EOF (such as XAmzContentSHA256Mismatch or a bad
	// chunk signature) means the body must be discarded.
	Body io.ReadCloser
	// ContentLength is the decoded length (x-amz-decoded-content-length for
	// aws-chunked bodies); -1 when unknown.
	ContentLength int64
	// Trailer holds the trailing headers of an aws-chunked body (such as
	// X-Amz-Checksum-Crc32), filled when Body reaches io.EOF. Their values
	// are not checked here.
	Trailer http.Header
}

const (
	defaultMaxSkew   = 15 * time.Minute
	defaultMaxBuffer = 1 << 20
	// maxPresignExpiry is the longest X-Amz-Expires S3 accepts (seven days).
	maxPresignExpiry = 604800
)

// Verify authenticates r. It returns Result{Anonymous: true} when r carries
// no credentials, a *Result for a valid signature, or an *awserr.Error (or an
// error of lookup) otherwise. It reads r.Body only for non-S3 services, whose
// bodies are small and signed as a whole; S3 bodies are verified while the
// caller reads Result.Body.
func Verify(ctx context.Context, r *http.Request, lookup Lookup, opt Options) (*Result, error) {
	if opt.MaxSkew <= 0 {
		opt.MaxSkew = defaultMaxSkew
	}
	if opt.MaxUnsignedPayloadBuffer <= 0 {
		opt.MaxUnsignedPayloadBuffer = defaultMaxBuffer
	}
	if r.Body == nil {
		r.Body = http.NoBody
	}
	q := parseQuery(r.URL.RawQuery)
	mech, err := detect(r, q)
	if err != nil {
		return nil, err
	}
	v := &verifier{ctx: ctx, r: r, q: q, lookup: lookup, opt: opt}
	switch mech {
	case mechHeaderV4:
		return v.headerV4()
	case mechQueryV4:
		return v.queryV4()
	case mechHeaderV2:
		return v.headerV2()
	case mechQueryV2:
		return v.queryV2()
	default:
		return anonymous(r)
	}
}

// verifier carries one verification.
type verifier struct {
	ctx    context.Context
	r      *http.Request
	q      query
	lookup Lookup
	opt    Options
}

// anonymous is the result of a request without credentials. Its body is still
// decoded and checked as its x-amz-content-sha256 header says, so that an
// anonymous aws-chunked upload never lands with its framing.
func anonymous(r *http.Request) (*Result, error) {
	res := &Result{Anonymous: true, Body: r.Body, ContentLength: r.ContentLength}
	v := r.Header.Get(headerContentSHA256)
	if v == "" {
		return res, nil
	}
	mode, ok := parsePayloadMode(v)
	switch {
	case !ok:
		return nil, errBadContentSHA256(v)
	case mode == payloadHex:
		return withHexBody(res, r, v)
	case mode == payloadStreamUnsignedTrailer:
		return withChunkedBody(res, r, mode, nil)
	case mode == payloadUnsigned:
		return res, nil
	default:
		return nil, awserr.New(awserr.InvalidRequest, "A signed streaming payload requires a signed request.")
	}
}
