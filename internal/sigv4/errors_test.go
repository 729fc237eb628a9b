package sigv4

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

const (
	docGETAuth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	docPresign = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
)

// docGET is the documentation's GET example with edits: "Header: value"
// pairs replace headers ("Header:" alone removes one).
func docGET(edits ...string) *http.Request {
	r := serverRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt", "",
		"Range", "bytes=0-9", "x-amz-content-sha256", emptySHA256, "x-amz-date", "20130524T000000Z", "Authorization", docGETAuth)
	for _, e := range edits {
		k, v, _ := strings.Cut(e, ":")
		if v = strings.TrimSpace(v); v == "" {
			r.Header.Del(k)
		} else {
			r.Header.Set(k, v)
		}
	}
	return r
}

func presigned(query string) *http.Request {
	return serverRequest("GET", "http://examplebucket.s3.amazonaws.com/test.txt?"+query, "")
}

func TestErrors(t *testing.T) {
	auth := func(old, new string) string { return "Authorization:" + strings.Replace(docGETAuth, old, new, 1) }
	cases := []struct {
		name    string
		r       *http.Request
		now     time.Time
		code    string
		msg     string
		fields  map[string]string
		service string // "" for S3 wording
	}{
		{name: "header and presign", r: func() *http.Request { r := presigned(docPresign); r.Header.Set("Authorization", docGETAuth); return r }(),
			code: "InvalidArgument", msg: msgOneMechanism, fields: map[string]string{"ArgumentName": "Authorization", "ArgumentValue": docGETAuth}},
		{name: "v4 and v2 query", r: presigned(docPresign + "&Signature=abc&AWSAccessKeyId=x&Expires=1"), code: "InvalidArgument", msg: msgOneMechanism},
		{name: "two Authorization headers", r: func() *http.Request { r := docGET(); r.Header.Add("Authorization", "AWS a:b"); return r }(), code: "InvalidArgument"},
		{name: "bearer token", r: docGET("Authorization: Bearer abc.def"), code: "InvalidArgument", msg: "Unsupported Authorization Type",
			fields: map[string]string{"ArgumentName": "Authorization", "ArgumentValue": "Bearer abc.def"}},
		{name: "no space", r: docGET("Authorization: Bearer"), code: "InvalidArgument", msg: "Authorization header is invalid -- one and only one ' ' (space) required."},
		{name: "sigv4a", r: docGET("Authorization: AWS4-ECDSA-P256-SHA256 Credential=x"), code: "NotImplemented"},
		{name: "presign partial", r: presigned("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=00"),
			code: "AuthorizationQueryParametersError", msg: msgQueryParamsMissing},
		{name: "presign without expires", r: presigned(strings.Replace(docPresign, "X-Amz-Expires=86400&", "", 1)), code: "AuthorizationQueryParametersError", msg: msgQueryParamsMissing},
		{name: "v2 partial", r: presigned("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620"), code: "AccessDenied", msg: msgV2QueryMissing},
		{name: "v2 bad expires", r: presigned("AWSAccessKeyId=A&Expires=soon&Signature=x"), code: "AccessDenied", msg: "Invalid date (should be seconds since epoch): soon"},
		{name: "expires too large", r: presigned(strings.Replace(docPresign, "=86400", "=604801", 1)), code: "AuthorizationQueryParametersError", msg: msgExpiresTooLarge},
		{name: "expires not a number", r: presigned(strings.Replace(docPresign, "=86400", "=1d", 1)), code: "AuthorizationQueryParametersError", msg: "X-Amz-Expires should be a number"},
		{name: "expires negative", r: presigned(strings.Replace(docPresign, "=86400", "=-1", 1)), code: "AuthorizationQueryParametersError", msg: "X-Amz-Expires must be non-negative"},
		{name: "presign algorithm", r: presigned(strings.Replace(docPresign, "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1", 1)), code: "AuthorizationQueryParametersError",
			msg: `X-Amz-Algorithm only supports "AWS4-HMAC-SHA256 and AWS4-ECDSA-P256-SHA256"`},
		{name: "presign date format", r: presigned(strings.Replace(docPresign, "20130524T000000Z", "2013-05-24T00:00:00Z", 1)), code: "AuthorizationQueryParametersError",
			msg: `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`},
		{name: "presign credential date", r: presigned(strings.Replace(docPresign, "20130524T000000Z", "20130525T000000Z", 1)), now: docTime.Add(24 * time.Hour),
			code: "AuthorizationQueryParametersError", msg: `Invalid credential date "20130524". This date is not the same as X-Amz-Date: "20130525".`},
		{name: "presign credential terminal", r: presigned(strings.Replace(docPresign, "aws4_request", "aws5_request", 1)), code: "AuthorizationQueryParametersError",
			msg: `Error parsing the X-Amz-Credential parameter; incorrect terminal "aws5_request". This endpoint uses "aws4_request".`},
		{name: "presign host not signed", r: presigned(strings.Replace(docPresign, "SignedHeaders=host", "SignedHeaders=range", 1)), code: "AccessDenied",
			msg: msgNotSigned, fields: map[string]string{"HeadersNotSigned": "host"}},
		{name: "missing components", r: docGET(auth(",Signature=", ",Sig=")), code: "AuthorizationHeaderMalformed",
			msg: `The authorization header is malformed; the authorization component "Sig=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41" is malformed.`},
		{name: "two components", r: docGET("Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host"),
			code: "AuthorizationHeaderMalformed", msg: "The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature."},
		{name: "credential parts", r: docGET(auth("/us-east-1/s3/", "/us-east-1/")), code: "AuthorizationHeaderMalformed",
			msg: "The authorization header is malformed; " + msgMalformedCredential},
		{name: "credential date format", r: docGET(auth("/20130524/", "/2013-05-24/")), code: "AuthorizationHeaderMalformed",
			msg: `The authorization header is malformed; incorrect date format "2013-05-24". This date in the credential must be in the format "yyyyMMdd".`},
		{name: "credential date differs", r: docGET(auth("/20130524/", "/20130523/")), code: "AuthorizationHeaderMalformed",
			msg: `The authorization header is malformed; Invalid credential date "20130523". This date is not the same as X-Amz-Date: "20130524".`},
		{name: "empty signed header", r: docGET(auth("host;range", "host;;range")), code: "AuthorizationHeaderMalformed"},
		{name: "no date", r: docGET("X-Amz-Date:"), code: "AccessDenied", msg: msgMissingDate},
		{name: "bad date", r: docGET("X-Amz-Date: yesterday"), code: "AccessDenied", msg: msgMissingDate},
		{name: "skewed", r: docGET(), now: docTime.Add(15*time.Minute + time.Second), code: "RequestTimeTooSkewed",
			fields: map[string]string{"RequestTime": "20130524T000000Z", "ServerTime": "2013-05-24T00:15:01Z", "MaxAllowedSkewMilliseconds": "900000"}},
		{name: "skewed ahead", r: docGET(), now: docTime.Add(-16 * time.Minute), code: "RequestTimeTooSkewed"},
		{name: "no content sha256", r: docGET("X-Amz-Content-Sha256:"), code: "InvalidRequest", msg: "Missing required header for this request: x-amz-content-sha256"},
		{name: "bad content sha256", r: docGET("X-Amz-Content-Sha256: abc"), code: "InvalidArgument", msg: msgContentSHA256Values,
			fields: map[string]string{"ArgumentName": "x-amz-content-sha256", "ArgumentValue": "abc"}},
		{name: "sigv4a payload", r: docGET("X-Amz-Content-Sha256: STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"), code: "NotImplemented"},
		{name: "unsigned x-amz headers", r: docGET("X-Amz-Meta-B: 1", "X-Amz-Acl: private"), code: "AccessDenied", msg: msgNotSigned,
			fields: map[string]string{"HeadersNotSigned": "x-amz-acl, x-amz-meta-b"}},
		{name: "host not signed", r: docGET(auth("host;range", "range")), code: "AccessDenied", fields: map[string]string{"HeadersNotSigned": "host"}},
		{name: "unknown key", r: docGET(auth("AKIAIOSFODNN7EXAMPLE", "AKIAUNKNOWN")), code: "InvalidAccessKeyId"},
		{name: "iam missing component", r: docGET(auth("/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date", "/iam/aws4_request")),
			code: "IncompleteSignature", msg: "Authorization header requires 'SignedHeaders' parameter. Authorization=" + strings.Replace(docGETAuth, "/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date", "/iam/aws4_request", 1), service: "iam"},
		{name: "iam no date", r: docGET(auth("/s3/", "/iam/"), "X-Amz-Date:"), code: "IncompleteSignature", service: "iam"},
		{name: "iam bad terminal", r: docGET(auth("/s3/aws4_request", "/iam/aws4")), code: "SignatureDoesNotMatch",
			msg: "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4'.", service: "iam"},
		{name: "iam date differs", r: docGET(auth("/20130524/us-east-1/s3/", "/20130523/us-east-1/iam/")), code: "SignatureDoesNotMatch",
			msg: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20130523' != '20130524', from '20130524T000000Z'.", service: "iam"},
		{name: "sts skew ahead", r: docGET(auth("/s3/", "/sts/")), now: docTime.Add(-20 * time.Minute), code: "SignatureDoesNotMatch",
			msg: "Signature not yet current: 20130524T000000Z is still later than 20130523T235500Z (20130523T234000Z + 15 min.)", service: "sts"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := tc.now
			if now.IsZero() {
				now = docTime
			}
			res, err := Verify(context.Background(), tc.r, docKeys, Options{Now: now})
			if code(err) != tc.code {
				t.Fatalf("got %v (%+v), want %s", err, res, tc.code)
			}
			if tc.msg != "" && message(err) != tc.msg {
				t.Errorf("message:\n got %q\nwant %q", message(err), tc.msg)
			}
			for k, v := range tc.fields {
				if got := field(err, k); got != v {
					t.Errorf("field %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestLookupErrorsPassThrough(t *testing.T) {
	want := awserr.New(awserr.InvalidToken)
	var gotToken string
	lookup := func(_ context.Context, _, token string) (string, error) { gotToken = token; return "", want }
	creds := sdkCreds
	creds.SessionToken = "tok/en"
	req, _ := http.NewRequest("GET", s3URL(t, "b", "k", "").String(), nil)
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptySHA256, "s3", "us-east-1", signTime); err != nil {
		t.Fatal(err)
	}
	_, err := Verify(context.Background(), toServer(t, req), lookup, Options{Now: signTime})
	if err != want || gotToken != "tok/en" {
		t.Fatalf("got %v, token %q", err, gotToken)
	}
}

func TestPayloadHeaderChecks(t *testing.T) {
	t.Run("empty body, wrong hash", func(t *testing.T) {
		r := signS3(t, "GET", s3URL(t, "b", "k", ""), nil, hexSHA256([]byte("x")), nil)
		_, err := verifyAt(r, signTime)
		if code(err) != "XAmzContentSHA256Mismatch" || field(err, "S3ComputedContentSHA256") != emptySHA256 {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("missing decoded length", func(t *testing.T) {
		r := streamReq{mode: modeSigned, data: data(10), noDecodedLength: true}.build(t)
		if _, err := verifyAt(r, signTime); code(err) != "MissingContentLength" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unsigned payload", func(t *testing.T) {
		r := signS3(t, "PUT", s3URL(t, "b", "k", ""), []byte("anything"), "UNSIGNED-PAYLOAD", nil)
		res, err := verifyAt(r, signTime)
		if err != nil {
			t.Fatal(err)
		}
		if b, err := readBody(t, res); string(b) != "anything" || err != nil {
			t.Fatalf("%q %v", b, err)
		}
	})
}
