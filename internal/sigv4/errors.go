package sigv4

import (
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Error texts. S3's come from its error responses; IAM's and STS's (the
// Query-protocol services) from theirs, which word the same faults
// differently.
const (
	msgQuerySignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgMissingDate            = "AWS authentication requires a valid Date or x-amz-date header"
	msgNotSigned              = "There were headers present in the request which were not signed"
	msgMalformedCredential    = `the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`
	msgQueryParamsMissing     = "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."
	msgExpiresTooLarge        = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds"
	msgV2QueryMissing         = "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters"
	msgContentSHA256Values    = "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value."
)

// isoSeconds is the time format of S3's ServerTime and Expires fields.
const isoSeconds = "2006-01-02T15:04:05Z"

// errMalformedHeader is S3's AuthorizationHeaderMalformed with detail, or a
// Query-protocol service's IncompleteSignature with other.
func errMalformedHeader(s3 bool, detail, other string) *awserr.Error {
	if s3 {
		return awserr.New(awserr.AuthorizationHeaderMalformed, "The authorization header is malformed; "+detail)
	}
	return awserr.New(awserr.IncompleteSignature, other)
}

// errQueryParam is S3's AuthorizationQueryParametersError.
func errQueryParam(msg string) *awserr.Error {
	return awserr.New(awserr.AuthorizationQueryParametersError, msg)
}

// errSignatureMismatch is SignatureDoesNotMatch with the fields S3 sends,
// which let a client see how its request was canonicalized. Nothing secret
// is among them.
func errSignatureMismatch(s3 bool, akid, sts, provided, canonical string) *awserr.Error {
	if !s3 {
		return awserr.New(awserr.SignatureDoesNotMatch, msgQuerySignatureMismatch)
	}
	e := awserr.New(awserr.SignatureDoesNotMatch).
		With("AWSAccessKeyId", akid).
		With("StringToSign", sts).
		With("SignatureProvided", provided).
		With("StringToSignBytes", hexBytes(sts))
	if canonical != "" {
		e.With("CanonicalRequest", canonical).With("CanonicalRequestBytes", hexBytes(canonical))
	}
	return e
}

// checkSkew returns an error when t is more than maxSkew away from now.
// S3 answers RequestTimeTooSkewed; IAM and STS answer SignatureDoesNotMatch
// "Signature expired: … is now earlier than … (… - 15 min.)".
func checkSkew(s3 bool, raw string, t, now time.Time, maxSkew time.Duration) error {
	d := now.Sub(t)
	if d <= maxSkew && d >= -maxSkew {
		return nil
	}
	if s3 {
		return awserr.New(awserr.RequestTimeTooSkewed).
			With("RequestTime", raw).
			With("ServerTime", now.UTC().Format(isoSeconds)).
			With("MaxAllowedSkewMilliseconds", strconv.FormatInt(maxSkew.Milliseconds(), 10))
	}
	mins := strconv.FormatInt(int64(maxSkew/time.Minute), 10) + " min.)"
	ts, nowS := t.UTC().Format(amzDateFormat), now.UTC().Format(amzDateFormat)
	if d > 0 {
		return awserr.New(awserr.SignatureDoesNotMatch, "Signature expired: "+ts+" is now earlier than "+
			now.Add(-maxSkew).UTC().Format(amzDateFormat)+" ("+nowS+" - "+mins)
	}
	return awserr.New(awserr.SignatureDoesNotMatch, "Signature not yet current: "+ts+" is still later than "+
		now.Add(maxSkew).UTC().Format(amzDateFormat)+" ("+nowS+" + "+mins)
}

// errNotSigned is S3's answer to x-amz-* (or host) headers left out of
// SignedHeaders.
func errNotSigned(names []string) *awserr.Error {
	return awserr.New(awserr.AccessDenied, msgNotSigned).With("HeadersNotSigned", strings.Join(names, ", "))
}

func errBadContentSHA256(v string) *awserr.Error {
	return awserr.New(awserr.InvalidArgument, msgContentSHA256Values).
		With("ArgumentName", "x-amz-content-sha256").With("ArgumentValue", v)
}

func errMissingDate(s3 bool) *awserr.Error {
	if s3 {
		return awserr.New(awserr.AccessDenied, msgMissingDate)
	}
	return awserr.New(awserr.IncompleteSignature, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

// errIncompleteBody is S3's answer to an aws-chunked body that ends early or
// whose framing is not well-formed.
func errIncompleteBody() *awserr.Error { return awserr.New(awserr.IncompleteBody) }
