package sigv4

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// authV4 is a parsed "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…,
// Signature=…" header (or the same parts of a presigned URL).
type authV4 struct {
	akid      string
	scope     scope
	signedRaw string
	signed    []string
	sig       string
}

// isS3Credential reports whether a credential, not yet validated, names the
// s3 service (or no readable service), to choose the wording of an error.
func isS3Credential(cred string) bool {
	parts := strings.Split(cred, "/")
	return len(parts) != 5 || parts[3] == "s3"
}

// parseAuthorizationV4 parses the value of a SigV4 Authorization header.
// Components are separated by commas, each optionally surrounded by spaces.
func parseAuthorizationV4(h string) (authV4, error) {
	rest := strings.TrimPrefix(h, algorithmV4+" ")
	var cred, signed, sig string
	var seen [3]bool
	var bad string
	for _, f := range strings.Split(rest, ",") {
		f = strings.TrimSpace(f)
		k, val, ok := strings.Cut(f, "=")
		i := -1
		switch k {
		case "Credential":
			i, cred = 0, val
		case "SignedHeaders":
			i, signed = 1, val
		case "Signature":
			i, sig = 2, val
		}
		if !ok || i < 0 || seen[i] {
			if bad == "" {
				bad = f
			}
			continue
		}
		seen[i] = true
	}
	s3 := isS3Credential(cred)
	if bad != "" {
		return authV4{}, errMalformedHeader(s3, `the authorization component "`+bad+`" is malformed.`,
			"'"+bad+"' not a valid key=value pair (missing equal-sign) in Authorization header: '"+h+"'.")
	}
	if !seen[0] || !seen[1] || !seen[2] {
		var miss []string
		for i, n := range []string{"Credential", "SignedHeaders", "Signature"} {
			if !seen[i] {
				miss = append(miss, "Authorization header requires '"+n+"' parameter.")
			}
		}
		return authV4{}, errMalformedHeader(s3, "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
			strings.Join(miss, " ")+" Authorization="+h)
	}
	a, err := parseCredential(cred, false)
	if err != nil {
		return authV4{}, err
	}
	a.sig = sig
	var ok bool
	if a.signed, ok = parseSignedHeaders(signed); !ok {
		return authV4{}, errMalformedHeader(a.scope.isS3(), `the authorization component "SignedHeaders=`+signed+`" is malformed.`,
			"Authorization header has an empty entry in SignedHeaders: '"+signed+"'.")
	}
	a.signedRaw = signed
	return a, nil
}

// parseCredential parses AKID/YYYYMMDD/REGION/SERVICE/aws4_request. In a
// presigned URL (query) the errors are S3's AuthorizationQueryParametersError.
func parseCredential(cred string, presigned bool) (authV4, error) {
	parts := strings.Split(cred, "/")
	s3 := isS3Credential(cred)
	fail := func(detail, other string, code *awserr.Code) error {
		switch {
		case presigned && s3:
			return errQueryParam("Error parsing the X-Amz-Credential parameter; " + detail)
		case s3:
			return errMalformedHeader(true, detail, "")
		case code != nil:
			return awserr.New(code, other)
		default:
			return errMalformedHeader(false, "", other)
		}
	}
	if len(parts) != 5 || parts[0] == "" || parts[2] == "" || parts[3] == "" {
		return authV4{}, fail(msgMalformedCredential, "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '"+cred+"'", nil)
	}
	if _, err := time.Parse(scopeDateFormat, parts[1]); err != nil || len(parts[1]) != 8 {
		return authV4{}, fail(`incorrect date format "`+parts[1]+`". This date in the credential must be in the format "yyyyMMdd".`,
			"Date must be in ISO-8601 'basic format'. Got '"+parts[1]+"'. See http://en.wikipedia.org/wiki/ISO_8601", awserr.SignatureDoesNotMatch)
	}
	if parts[4] != scopeTerminator {
		return authV4{}, fail(`incorrect terminal "`+parts[4]+`". This endpoint uses "aws4_request".`,
			"Credential should be scoped with a valid terminator: 'aws4_request', not '"+parts[4]+"'.", awserr.SignatureDoesNotMatch)
	}
	return authV4{akid: parts[0], scope: scope{date: parts[1], region: parts[2], service: parts[3]}}, nil
}

// parseSignedHeaders splits "host;x-amz-date"; an empty name is not ok.
func parseSignedHeaders(s string) ([]string, bool) {
	names := strings.Split(s, ";")
	for _, n := range names {
		if n == "" {
			return nil, false
		}
	}
	return names, true
}

// requestTime reads the signing time of a header-signed request: X-Amz-Date,
// or Date when X-Amz-Date is absent.
func requestTime(r *http.Request) (raw string, t time.Time, ok bool) {
	raw = r.Header.Get(headerAmzDate)
	if raw == "" {
		raw = r.Header.Get("Date")
	}
	if raw == "" {
		return "", time.Time{}, false
	}
	t, ok = parseTime(raw)
	return raw, t, ok
}

// parseTime accepts ISO 8601 basic ("20130524T000000Z") and the HTTP date
// formats (RFC 1123 with a zone name or a numeric offset, RFC 850, ANSI C).
func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{amzDateFormat, http.TimeFormat, time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// checkSignedHeaders enforces what must be signed: host always, and for S3
// every x-amz-* header of the request ("There were headers present in the
// request which were not signed").
func checkSignedHeaders(r *http.Request, signed []string, s3 bool, exempt map[string]bool) error {
	set := make(map[string]bool, len(signed))
	for _, n := range signed {
		set[strings.ToLower(n)] = true
	}
	var missing []string
	if !set["host"] {
		missing = append(missing, "host")
	}
	if s3 {
		for k := range r.Header {
			lk := strings.ToLower(k)
			if strings.HasPrefix(lk, "x-amz-") && !set[lk] && !exempt[lk] {
				missing = append(missing, lk)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return errNotSigned(missing)
}

// headerV4 verifies a request signed in its Authorization header.
func (v *verifier) headerV4() (*Result, error) {
	r := v.r
	a, err := parseAuthorizationV4(r.Header.Get(headerAuth))
	if err != nil {
		return nil, err
	}
	s3 := a.scope.isS3()
	raw, t, ok := requestTime(r)
	if !ok {
		return nil, errMissingDate(s3)
	}
	if day := t.Format(scopeDateFormat); day != a.scope.date {
		if s3 {
			return nil, errMalformedHeader(true, `Invalid credential date "`+a.scope.date+`". This date is not the same as X-Amz-Date: "`+day+`".`, "")
		}
		return nil, awserr.New(awserr.SignatureDoesNotMatch, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+
			a.scope.date+"' != '"+day+"', from '"+raw+"'.")
	}
	if err := checkSkew(s3, raw, t, v.opt.Now, v.opt.MaxSkew); err != nil {
		return nil, err
	}
	if err := checkSignedHeaders(r, a.signed, s3, nil); err != nil {
		return nil, err
	}
	res := &Result{Method: MethodHeader, SignedAt: t, SessionToken: r.Header.Get(headerToken)}
	var mode payloadMode
	var payload string
	if s3 {
		payload = r.Header.Get(headerContentSHA256)
		if payload == "" {
			return nil, awserr.New(awserr.InvalidRequest, "Missing required header for this request: x-amz-content-sha256")
		}
		if mode, ok = parsePayloadMode(payload); !ok {
			return nil, errBadContentSHA256(payload)
		}
		if mode == payloadECDSA {
			return nil, awserr.New(awserr.NotImplemented, "The AWS4-ECDSA-P256-SHA256 (SigV4a) streaming payload is not implemented.")
		}
	} else if payload, err = v.bufferedPayload(res); err != nil {
		return nil, err
	}
	secret, err := v.lookup(v.ctx, a.akid, res.SessionToken)
	if err != nil {
		return nil, err
	}
	key := signingKey(secret, a.scope)
	creq := canonicalRequest(r, canonicalURI(rawPath(r), s3), canonicalQuery(v.q, ""), a.signed, a.signedRaw, payload)
	sts := stringToSign(t, a.scope, creq)
	if !equalSignatures(signature(key, sts), a.sig) {
		return nil, errSignatureMismatch(s3, a.akid, sts, a.sig, creq)
	}
	fill(res, a, VersionV4)
	if !s3 {
		return res, nil
	}
	return withPayload(res, r, mode, payload, &chunkSigner{key: key, date: t.Format(amzDateFormat), scope: a.scope.String(), seed: a.sig, akid: a.akid})
}

func fill(res *Result, a authV4, version string) {
	res.AccessKeyID = a.akid
	res.Region, res.Service = a.scope.region, a.scope.service
	res.SignatureVersion = version
}
