package sigv4

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Signature Version 2 for S3 (Amazon S3 Developer Guide, "Signing and
// authenticating REST requests"):
//
//	StringToSign = Method \n Content-MD5 \n Content-Type \n Date-or-Expires \n
//	               CanonicalizedAmzHeaders CanonicalizedResource
//	Signature    = Base64(HMAC-SHA1(secret, StringToSign))

// subresources are the query parameters that belong to a SigV2
// CanonicalizedResource: the developer guide's list, the response-* header
// overrides, and the sub-resources S3 added since (as SDKs sign them).
var subresources = map[string]bool{
	"accelerate": true, "acl": true, "analytics": true, "cors": true, "delete": true,
	"encryption": true, "intelligent-tiering": true, "inventory": true, "legal-hold": true,
	"lifecycle": true, "location": true, "logging": true, "metrics": true, "notification": true,
	"object-lock": true, "ownershipControls": true, "partNumber": true, "policy": true,
	"policyStatus": true, "publicAccessBlock": true, "replication": true, "requestPayment": true,
	"response-cache-control": true, "response-content-disposition": true,
	"response-content-encoding": true, "response-content-language": true,
	"response-content-type": true, "response-expires": true, "restore": true, "retention": true,
	"select": true, "select-type": true, "tagging": true, "torrent": true, "uploadId": true,
	"uploads": true, "versionId": true, "versioning": true, "versions": true, "website": true,
}

// headerV2 verifies "Authorization: AWS AKID:Signature".
func (v *verifier) headerV2() (*Result, error) {
	r := v.r
	h := r.Header.Get(headerAuth)
	akid, sig, ok := strings.Cut(strings.TrimPrefix(h, "AWS "), ":")
	if !ok || akid == "" || sig == "" {
		return nil, awserr.New(awserr.InvalidArgument, "AWS authorization header is invalid.  Expected AwsAccessKeyId:signature").
			With("ArgumentName", headerAuth).With("ArgumentValue", h)
	}
	// x-amz-date replaces Date; the Date position of StringToSign is then empty.
	raw, date := r.Header.Get(headerAmzDate), ""
	if raw == "" {
		raw = r.Header.Get("Date")
		date = raw
	}
	t, ok := parseTime(raw)
	if raw == "" || !ok {
		return nil, errMissingDate(true)
	}
	if err := checkSkew(true, raw, t, v.opt.Now, v.opt.MaxSkew); err != nil {
		return nil, err
	}
	res := &Result{Method: MethodHeader, SignedAt: t, SessionToken: r.Header.Get(headerToken)}
	sts := v.stringToSignV2(date, nil, false)
	var alt string
	if date == "" {
		// The developer guide's worked example ("Delete") signs the
		// x-amz-date value in the Date position and no x-amz-date line;
		// its text (and most clients) sign an empty Date and the line.
		// Both carry the same time under the same secret.
		alt = v.stringToSignV2(raw, nil, true)
	}
	return v.finishV2(res, akid, sig, sts, alt)
}

// queryV2 verifies a SigV2 presigned URL (AWSAccessKeyId, Expires, Signature).
func (v *verifier) queryV2() (*Result, error) {
	q := v.q
	akid, rawExp, sig := q.get(paramV2AccessKey), q.get(paramV2Expires), q.get(paramV2Signature)
	if akid == "" || rawExp == "" || sig == "" {
		return nil, awserr.New(awserr.AccessDenied, msgV2QueryMissing)
	}
	exp, err := strconv.ParseInt(rawExp, 10, 64)
	if err != nil || exp < 0 {
		return nil, awserr.New(awserr.AccessDenied, "Invalid date (should be seconds since epoch): "+rawExp)
	}
	expiry := time.Unix(exp, 0).UTC()
	if v.opt.Now.After(expiry) {
		return nil, awserr.New(awserr.AccessDenied, "Request has expired").
			With("Expires", expiry.Format(isoSeconds)).
			With("ServerTime", v.opt.Now.UTC().Format(isoSeconds))
	}
	token := q.get("x-amz-security-token")
	if token == "" {
		token = v.r.Header.Get(headerToken)
	}
	res := &Result{Method: MethodQuery, SessionToken: token}
	return v.finishV2(res, akid, sig, v.stringToSignV2(rawExp, q, false), "")
}

// finishV2 looks the key up, compares the signatures and hands out the body.
func (v *verifier) finishV2(res *Result, akid, sig, sts, alt string) (*Result, error) {
	secret, err := v.lookup(v.ctx, akid, res.SessionToken)
	if err != nil {
		return nil, err
	}
	sign := func(s string) string {
		m := hmac.New(sha1.New, []byte(secret))
		m.Write([]byte(s))
		return base64.StdEncoding.EncodeToString(m.Sum(nil))
	}
	if !equalSignatures(sign(sts), sig) && (alt == "" || !equalSignatures(sign(alt), sig)) {
		return nil, awserr.New(awserr.SignatureDoesNotMatch).
			With("AWSAccessKeyId", akid).
			With("StringToSign", sts).
			With("SignatureProvided", sig).
			With("StringToSignBytes", hexBytes(sts))
	}
	res.AccessKeyID = akid
	res.SignatureVersion = VersionV2
	res.Body, res.ContentLength = v.r.Body, v.r.ContentLength
	// SigV2 signs no payload hash; a hex x-amz-content-sha256 is still held
	// to the body.
	if hv := v.r.Header.Get(headerContentSHA256); hv != "" {
		if mode, ok := parsePayloadMode(hv); ok && mode == payloadHex {
			return withHexBody(res, v.r, hv)
		}
	}
	return res, nil
}

// stringToSignV2 builds the SigV2 StringToSign. For a presigned URL (q set)
// Content-MD5, Content-Type and x-amz-* values may travel in the query
// string, as SDKs put them there. skipAmzDate leaves x-amz-date out of the
// CanonicalizedAmzHeaders.
func (v *verifier) stringToSignV2(date string, q query, skipAmzDate bool) string {
	r := v.r
	md5, ctype := r.Header.Get("Content-Md5"), r.Header.Get("Content-Type")
	amz := map[string][]string{}
	for k, vals := range r.Header {
		if lk := strings.ToLower(k); strings.HasPrefix(lk, "x-amz-") && !(skipAmzDate && lk == "x-amz-date") {
			amz[lk] = append(amz[lk], vals...)
		}
	}
	for _, p := range q {
		switch lk := strings.ToLower(p.name); {
		case lk == "content-md5" && md5 == "":
			md5 = p.value
		case lk == "content-type" && ctype == "":
			ctype = p.value
		case strings.HasPrefix(lk, "x-amz-"):
			amz[lk] = append(amz[lk], p.value)
		}
	}
	var b strings.Builder
	b.WriteString(r.Method + "\n" + md5 + "\n" + ctype + "\n" + date + "\n")
	names := make([]string, 0, len(amz))
	for k := range amz {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		b.WriteString(k)
		b.WriteByte(':')
		for i, val := range amz[k] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(val, "\r\n", " ")))
		}
		b.WriteByte('\n')
	}
	b.WriteString(v.canonicalResourceV2())
	return b.String()
}

// canonicalResourceV2 is "/bucket" for a virtual-hosted request, then the
// un-decoded path, then the sub-resources sorted by name with their decoded
// values.
func (v *verifier) canonicalResourceV2() string {
	var b strings.Builder
	if v.opt.BucketFromHost != nil {
		if bucket, ok := v.opt.BucketFromHost(v.r.Host); ok && bucket != "" {
			b.WriteString("/" + bucket)
		}
	}
	p := rawPath(v.r)
	if p == "" {
		p = "/"
	}
	b.WriteString(p)
	var subs []param
	for _, p := range v.q {
		if subresources[p.name] {
			subs = append(subs, p)
		}
	}
	sort.SliceStable(subs, func(i, j int) bool { return subs[i].name < subs[j].name })
	for i, p := range subs {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		if p.hasEq {
			b.WriteString("=" + p.value)
		}
	}
	return b.String()
}
