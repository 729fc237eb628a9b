package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

// The SDK's signer is the oracle: requests it signs must verify, and any
// change to a signed part must not.

const (
	sdkAKID   = "AKIDEXAMPLE0000000001"
	sdkSecret = "sdk/secret+key/EXAMPLE0000000000000000a"
)

var (
	sdkCreds = aws.Credentials{AccessKeyID: sdkAKID, SecretAccessKey: sdkSecret}
	sdkKeys  = keys(map[string]string{sdkAKID: sdkSecret, "AKIDOTHER": "another-secret"})
	signTime = time.Date(2024, 2, 29, 23, 59, 30, 0, time.UTC)
)

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// s3URL builds the URL of key in bucket the way the S3 client escapes it.
func s3URL(t testing.TB, bucket, key, rawQuery string) *url.URL {
	t.Helper()
	raw := "/" + bucket + "/" + httpbinding.EscapePath(key, false)
	p, err := url.PathUnescape(raw)
	if err != nil {
		t.Fatal(err)
	}
	return &url.URL{Scheme: "http", Host: "127.0.0.1:9000", Path: p, RawPath: raw, RawQuery: rawQuery}
}

// toServer sends req through net/http's wire format, giving the request a
// server would see.
func toServer(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := req.Write(&buf); err != nil {
		t.Fatal(err)
	}
	sr, err := http.ReadRequest(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	return sr
}

// signS3 signs an S3 request (no path escaping by the signer: the path is
// already escaped) and returns it as the server sees it.
func signS3(t *testing.T, method string, u *url.URL, body []byte, payload string, hdr http.Header, opts ...func(*v4.SignerOptions)) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL = u
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("X-Amz-Content-Sha256", payload)
	opts = append(opts, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, payload, "s3", "us-east-1", signTime, opts...); err != nil {
		t.Fatal(err)
	}
	return toServer(t, req)
}

func verifyAt(r *http.Request, now time.Time) (*Result, error) {
	return Verify(context.Background(), r, sdkKeys, Options{Now: now})
}

func TestSDKHeaderSignedPaths(t *testing.T) {
	keys := []string{
		"plain.txt", "a//b", "../x", "a/./b/../c", "a%2Fb", "with space", "plus+sign", "ключ/日本語.txt",
		"~tilde", "$&=:@,;!*'()", "dir/", "percent%", "emoji-😀", "a\tb", "?question#hash", "/leading",
	}
	queries := []string{
		"", "acl", "prefix=a%20b&delimiter=%2F", "empty=&flag", "rep=2&rep=1&rep=10", "t=~x&u=%E2%9C%93&v=%2B",
		"list-type=2&prefix=" + url.QueryEscape("dir/sub dir/"), "versionId=3%2FL4kqtJlcpXroDTDmJ%2BrmSpXd3dIbrHY",
	}
	for _, key := range keys {
		for _, q := range queries {
			u := s3URL(t, "bucket", key, q)
			r := signS3(t, "GET", u, nil, emptySHA256, nil)
			res, err := verifyAt(r, signTime)
			if err != nil {
				t.Errorf("key %q query %q: %v\ncanonical: %q", key, q, err, field(err, "CanonicalRequest"))
				continue
			}
			if res.AccessKeyID != sdkAKID || res.Method != MethodHeader || res.Service != "s3" {
				t.Errorf("key %q: result %+v", key, res)
			}
		}
	}
}

func TestSDKHeaderSignedPUT(t *testing.T) {
	body := []byte("hello, world\n")
	hdr := http.Header{"Content-Type": {"text/plain"}, "X-Amz-Meta-Note": {"  two  spaces  inside  "}, "X-Amz-Acl": {"private"}}
	r := signS3(t, "PUT", s3URL(t, "b", "k", ""), body, hexSHA256(body), hdr)
	res, err := verifyAt(r, signTime.Add(14*time.Minute))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	got, err := readBody(t, res)
	if err != nil || !bytes.Equal(got, body) || res.ContentLength != int64(len(body)) {
		t.Fatalf("body %q, %v, length %d", got, err, res.ContentLength)
	}
}

func TestSDKSessionToken(t *testing.T) {
	var gotToken string
	lookup := func(_ context.Context, akid, token string) (string, error) {
		gotToken = token
		return sdkSecret, nil
	}
	creds := sdkCreds
	creds.SessionToken = "FwoGZXIvYXdzE//token=="
	req, _ := http.NewRequest("GET", s3URL(t, "b", "k", "").String(), nil)
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptySHA256, "s3", "eu-west-1", signTime, func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
		t.Fatal(err)
	}
	res, err := Verify(context.Background(), toServer(t, req), lookup, Options{Now: signTime})
	if err != nil {
		t.Fatal(err)
	}
	if gotToken != creds.SessionToken || res.SessionToken != creds.SessionToken || res.Region != "eu-west-1" {
		t.Errorf("token %q / %q, region %q", gotToken, res.SessionToken, res.Region)
	}
}

// TestSDKTamper changes one signed part of a good request at a time.
func TestSDKTamper(t *testing.T) {
	body := []byte("payload bytes")
	good := func() *http.Request {
		hdr := http.Header{"X-Amz-Meta-A": {"1"}, "Content-Type": {"text/plain"}}
		return signS3(t, "PUT", s3URL(t, "bucket", "dir/key", "tagging&x=1"), body, hexSHA256(body), hdr)
	}
	if _, err := verifyAt(good(), signTime); err != nil {
		t.Fatalf("untouched request: %v", err)
	}
	replaceAuth := func(r *http.Request, old, new string) {
		r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	}
	cases := []struct {
		name   string
		mutate func(r *http.Request)
		lookup Lookup
		want   string
	}{
		{"method", func(r *http.Request) { r.Method = "POST" }, nil, "SignatureDoesNotMatch"},
		{"path", func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "dir/key", "dir/kez", 1) }, nil, "SignatureDoesNotMatch"},
		{"path double slash", func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "dir/key", "dir//key", 1) }, nil, "SignatureDoesNotMatch"},
		{"query value", func(r *http.Request) { r.URL.RawQuery = "tagging&x=2" }, nil, "SignatureDoesNotMatch"},
		{"query added", func(r *http.Request) { r.URL.RawQuery += "&versionId=1" }, nil, "SignatureDoesNotMatch"},
		{"query removed", func(r *http.Request) { r.URL.RawQuery = "tagging" }, nil, "SignatureDoesNotMatch"},
		{"signed header", func(r *http.Request) { r.Header.Set("X-Amz-Meta-A", "2") }, nil, "SignatureDoesNotMatch"},
		{"content-type", func(r *http.Request) { r.Header.Set("Content-Type", "text/html") }, nil, "SignatureDoesNotMatch"},
		{"host", func(r *http.Request) { r.Host = "127.0.0.1:9001" }, nil, "SignatureDoesNotMatch"},
		{"unsigned x-amz header added", func(r *http.Request) { r.Header.Set("X-Amz-Acl", "public-read") }, nil, "AccessDenied"},
		{"date", func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240229T235931Z") }, nil, "SignatureDoesNotMatch"},
		{"scope region", func(r *http.Request) { replaceAuth(r, "/us-east-1/", "/us-west-2/") }, nil, "SignatureDoesNotMatch"},
		{"scope service", func(r *http.Request) { replaceAuth(r, "/s3/", "/s4/") }, nil, "SignatureDoesNotMatch"},
		{"scope date", func(r *http.Request) { replaceAuth(r, "/20240229/", "/20240228/") }, nil, "AuthorizationHeaderMalformed"},
		{"signed headers list", func(r *http.Request) { replaceAuth(r, "content-type;", "") }, nil, "SignatureDoesNotMatch"},
		{"signature case", func(r *http.Request) {
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-64]+strings.ToUpper(a[len(a)-64:]))
		}, nil, "SignatureDoesNotMatch"},
		{"secret", func(*http.Request) {}, keys(map[string]string{sdkAKID: "wrong"}), "SignatureDoesNotMatch"},
		{"unknown key", func(*http.Request) {}, keys(nil), "InvalidAccessKeyId"},
		{"content sha256", func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", hexSHA256([]byte("other"))) }, nil, "SignatureDoesNotMatch"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := good()
			tc.mutate(r)
			lookup := tc.lookup
			if lookup == nil {
				lookup = sdkKeys
			}
			_, err := Verify(context.Background(), r, lookup, Options{Now: signTime})
			if code(err) != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
			if tc.want == "SignatureDoesNotMatch" && tc.lookup == nil && tc.name != "scope service" {
				if field(err, "AWSAccessKeyId") != sdkAKID || field(err, "CanonicalRequest") == "" || field(err, "StringToSignBytes") == "" ||
					field(err, "SignatureProvided") == "" || !strings.HasPrefix(field(err, "StringToSign"), "AWS4-HMAC-SHA256\n") {
					t.Errorf("fields: %+v", err)
				}
			}
			if strings.Contains(err.Error(), sdkSecret) || strings.Contains(field(err, "StringToSign")+field(err, "CanonicalRequest"), sdkSecret) {
				t.Error("secret in error")
			}
		})
	}
	t.Run("body", func(t *testing.T) {
		r := good()
		r.Body = io.NopCloser(strings.NewReader("payload bytez"))
		res, err := verifyAt(r, signTime)
		if err != nil {
			t.Fatal(err)
		}
		_, err = readBody(t, res)
		if code(err) != "XAmzContentSHA256Mismatch" || field(err, "ClientComputedContentSHA256") != hexSHA256(body) ||
			field(err, "S3ComputedContentSHA256") != hexSHA256([]byte("payload bytez")) {
			t.Fatalf("got %v %+v", err, err)
		}
	})
}

func TestSDKPresign(t *testing.T) {
	presign := func(t *testing.T, method, key, query string, expires int, hdr http.Header) (*http.Request, http.Header) {
		u := s3URL(t, "bucket", key, query)
		q := u.Query()
		q.Set("X-Amz-Expires", "3600")
		if expires != 0 {
			q.Set("X-Amz-Expires", strconv.Itoa(expires))
		}
		u.RawQuery = q.Encode()
		req, _ := http.NewRequest(method, u.String(), nil)
		req.URL = u
		for k, v := range hdr {
			req.Header[k] = v
		}
		signed, sh, err := v4.NewSigner().PresignHTTP(context.Background(), sdkCreds, req, "UNSIGNED-PAYLOAD", "s3", "us-east-1", signTime,
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
		if err != nil {
			t.Fatal(err)
		}
		out, err := http.NewRequest(method, signed, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range sh {
			if !strings.EqualFold(k, "host") {
				out.Header[k] = v
			}
		}
		return toServer(t, out), sh
	}
	for _, key := range []string{"obj", "a//b", "sp ace/ünï", "a%2Fb", "../up"} {
		r, _ := presign(t, "GET", key, "response-content-type=text%2Fplain", 0, nil)
		res, err := verifyAt(r, signTime.Add(59*time.Minute))
		if err != nil {
			t.Errorf("key %q: %v %q", key, err, field(err, "CanonicalRequest"))
			continue
		}
		if res.Method != MethodQuery || res.SignatureVersion != VersionV4 {
			t.Errorf("result %+v", res)
		}
	}
	t.Run("hoisted and signed headers", func(t *testing.T) {
		r, _ := presign(t, "PUT", "obj", "", 600, http.Header{"X-Amz-Meta-Owner": {"me"}, "Content-Type": {"image/png"}})
		if _, err := verifyAt(r, signTime); err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Content-Type", "image/gif")
		if _, err := verifyAt(r, signTime); code(err) != "SignatureDoesNotMatch" {
			t.Fatalf("tampered header: %v", err)
		}
	})
	t.Run("expired", func(t *testing.T) {
		r, _ := presign(t, "GET", "obj", "", 60, nil)
		_, err := verifyAt(r, signTime.Add(61*time.Second))
		if code(err) != "AccessDenied" || message(err) != "Request has expired" || field(err, "X-Amz-Expires") != "60" ||
			field(err, "Expires") != "2024-03-01T00:00:30Z" || field(err, "ServerTime") != "2024-03-01T00:00:31Z" {
			t.Fatalf("got %v %+v", err, err)
		}
		if _, err := verifyAt(r, signTime.Add(60*time.Second)); err != nil {
			t.Fatalf("at the expiry instant: %v", err)
		}
	})
	t.Run("not yet valid", func(t *testing.T) {
		r, _ := presign(t, "GET", "obj", "", 60, nil)
		if _, err := verifyAt(r, signTime.Add(-16*time.Minute)); message(err) != "Request is not valid yet" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("tampered query", func(t *testing.T) {
		r, _ := presign(t, "GET", "obj", "versionId=1", 60, nil)
		r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "versionId=1", "versionId=2", 1)
		if _, err := verifyAt(r, signTime); code(err) != "SignatureDoesNotMatch" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("unsigned x-amz header sent", func(t *testing.T) {
		r, _ := presign(t, "GET", "obj", "", 60, nil)
		r.Header.Set("X-Amz-Meta-Extra", "1")
		_, err := verifyAt(r, signTime)
		if code(err) != "AccessDenied" || field(err, "HeadersNotSigned") != "x-amz-meta-extra" {
			t.Fatalf("got %v %+v", err, err)
		}
	})
}

// Non-S3 services hash the body themselves and encode the path twice.
func TestSDKQueryServices(t *testing.T) {
	for _, svc := range []string{"iam", "sts"} {
		t.Run(svc, func(t *testing.T) {
			body := []byte("Action=GetCallerIdentity&Version=2011-06-15&Extra=a%20b")
			sign := func(path string) *http.Request {
				req, _ := http.NewRequest("POST", "http://127.0.0.1:9000"+path, bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
				if err := v4.NewSigner().SignHTTP(context.Background(), sdkCreds, req, hexSHA256(body), svc, "us-east-1", signTime); err != nil {
					t.Fatal(err)
				}
				return toServer(t, req)
			}
			for _, path := range []string{"/", "/a b/c"} {
				res, err := Verify(context.Background(), sign(path), sdkKeys, Options{Now: signTime})
				if err != nil {
					t.Fatalf("path %q: %v", path, err)
				}
				got, err := readBody(t, res)
				if err != nil || !bytes.Equal(got, body) || res.Service != svc || res.ContentLength != int64(len(body)) {
					t.Fatalf("body %q %v, service %q", got, err, res.Service)
				}
			}
			r := sign("/")
			r.Body = io.NopCloser(bytes.NewReader([]byte("Action=DeleteUser&Version=2011-06-15&Extra=a%20b")))
			if _, err := Verify(context.Background(), r, sdkKeys, Options{Now: signTime}); code(err) != "SignatureDoesNotMatch" || message(err) != msgQuerySignatureMismatch {
				t.Fatalf("tampered body: %v", err)
			}
			_, err := Verify(context.Background(), sign("/"), sdkKeys, Options{Now: signTime.Add(20 * time.Minute)})
			if code(err) != "SignatureDoesNotMatch" || message(err) != "Signature expired: 20240229T235930Z is now earlier than 20240301T000430Z (20240301T001930Z - 15 min.)" {
				t.Fatalf("skew: %v", err)
			}
			_, err = Verify(context.Background(), sign("/"), sdkKeys, Options{Now: signTime, MaxUnsignedPayloadBuffer: 10})
			if code(err) != "RequestEntityTooLarge" {
				t.Fatalf("large body: %v", err)
			}
		})
	}
	t.Run("sts presigned GetCallerIdentity", func(t *testing.T) {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:9000/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60", nil)
		req.Header.Set("x-k8s-aws-id", "my-cluster")
		signed, sh, err := v4.NewSigner().PresignHTTP(context.Background(), sdkCreds, req, emptySHA256, "sts", "us-east-1", signTime)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := http.NewRequest("GET", signed, nil)
		out.Header.Set("x-k8s-aws-id", sh.Get("x-k8s-aws-id"))
		if _, err := verifyAt(toServer(t, out), signTime.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		_, err = verifyAt(toServer(t, out), signTime.Add(61*time.Second))
		if code(err) != "RequestExpired" {
			t.Fatalf("expired: %v", err)
		}
	})
}
