package sigv4

import (
	"strconv"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// queryV4 verifies a presigned URL (S3 API Reference, "Authenticating
// Requests: Using Query Parameters"). For S3 the payload is UNSIGNED-PAYLOAD
// unless the request carries a (signed) x-amz-content-sha256 header; other
// services sign the hash of the body.
func (v *verifier) queryV4() (*Result, error) {
	r, q := v.r, v.q
	for _, n := range []string{paramAlgorithm, paramCredential, paramSignature, paramDate, paramSignedHeaders, paramExpires} {
		if !q.has(n) {
			return nil, errQueryParam(msgQueryParamsMissing)
		}
	}
	switch alg := q.get(paramAlgorithm); alg {
	case algorithmV4:
	case algorithmV4A:
		return nil, awserr.New(awserr.NotImplemented, "The AWS4-ECDSA-P256-SHA256 (SigV4a) signing algorithm is not implemented.")
	default:
		return nil, errQueryParam(`X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`)
	}
	a, err := parseCredential(q.get(paramCredential), true)
	if err != nil {
		return nil, err
	}
	s3 := a.scope.isS3()
	rawDate := q.get(paramDate)
	t, err := time.Parse(amzDateFormat, rawDate)
	if err != nil {
		return nil, errQueryParam(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`)
	}
	rawExp := q.get(paramExpires)
	exp, err := strconv.ParseInt(rawExp, 10, 64)
	switch {
	case err != nil:
		return nil, errQueryParam("X-Amz-Expires should be a number")
	case exp < 0:
		return nil, errQueryParam("X-Amz-Expires must be non-negative")
	case exp > maxPresignExpiry:
		return nil, errQueryParam(msgExpiresTooLarge)
	}
	if day := t.Format(scopeDateFormat); day != a.scope.date {
		return nil, errQueryParam(`Invalid credential date "` + a.scope.date + `". This date is not the same as X-Amz-Date: "` + day + `".`)
	}
	a.signedRaw = q.get(paramSignedHeaders)
	var ok bool
	if a.signed, ok = parseSignedHeaders(a.signedRaw); !ok {
		return nil, errQueryParam(msgQueryParamsMissing)
	}
	a.sig = q.get(paramSignature)
	now := v.opt.Now
	expiry := t.Add(time.Duration(exp) * time.Second)
	switch {
	case t.After(now.Add(v.opt.MaxSkew)):
		if !s3 {
			return nil, checkSkew(false, rawDate, t, now, v.opt.MaxSkew)
		}
		return nil, awserr.New(awserr.AccessDenied, "Request is not valid yet").
			With("X-Amz-Date", rawDate).
			With("Expires", expiry.UTC().Format(isoSeconds)).
			With("ServerTime", now.UTC().Format(isoSeconds))
	case now.After(expiry):
		if !s3 {
			return nil, awserr.New(awserr.RequestExpired)
		}
		return nil, awserr.New(awserr.AccessDenied, "Request has expired").
			With("X-Amz-Expires", rawExp).
			With("Expires", expiry.UTC().Format(isoSeconds)).
			With("ServerTime", now.UTC().Format(isoSeconds))
	}
	if err := checkSignedHeaders(r, a.signed, s3, nil); err != nil {
		return nil, err
	}
	res := &Result{Method: MethodQuery, SignedAt: t, SessionToken: q.get(paramToken)}
	mode, payload := payloadUnsigned, "UNSIGNED-PAYLOAD"
	if !s3 {
		if payload, err = v.bufferedPayload(res); err != nil {
			return nil, err
		}
	} else if hv := r.Header.Get(headerContentSHA256); hv != "" {
		if mode, ok = parsePayloadMode(hv); !ok {
			return nil, errBadContentSHA256(hv)
		}
		if mode != payloadHex && mode != payloadUnsigned {
			return nil, awserr.New(awserr.InvalidRequest, "A presigned request cannot send a streaming payload.")
		}
		payload = hv
	}
	secret, err := v.lookup(v.ctx, a.akid, res.SessionToken)
	if err != nil {
		return nil, err
	}
	key := signingKey(secret, a.scope)
	creq := canonicalRequest(r, canonicalURI(rawPath(r), s3), canonicalQuery(q, paramSignature), a.signed, a.signedRaw, payload)
	sts := stringToSign(t, a.scope, creq)
	if !equalSignatures(signature(key, sts), a.sig) {
		return nil, errSignatureMismatch(s3, a.akid, sts, a.sig, creq)
	}
	fill(res, a, VersionV4)
	if !s3 {
		return res, nil
	}
	return withPayload(res, r, mode, payload, nil)
}
