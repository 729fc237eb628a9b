package s3api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
)

// failingBody yields some bytes, then the verifier's error.
type failingBody struct {
	n   int
	err error
}

func (f *failingBody) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, f.err
	}
	k := min(len(p), f.n)
	for i := range k {
		p[i] = 'x'
	}
	f.n -= k
	return k, nil
}

func (f *failingBody) Close() error { return nil }

// TestBadBodyStoresNothing: a body that fails before EOF (a bad chunk
// signature, a client gone) leaves no object and no blob, and the error
// is the body's own (never a 500).
func TestBadBodyStoresNothing(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	mustBucket(t, e.client(a), "bad-body")
	p := &identity.Principal{Kind: identity.Root, AccountID: a.AccountID, ARN: "arn:aws:iam::" + a.AccountID + ":root", CanonicalID: a.CanonicalID}
	for name, tc := range map[string]struct {
		err  error
		want string
	}{
		"signature": {awserr.New(awserr.SignatureDoesNotMatch), "SignatureDoesNotMatch"},
		"sha256":    {awserr.New(awserr.XAmzContentSHA256Mismatch), "XAmzContentSHA256Mismatch"},
		"gone":      {errors.New("connection reset"), "IncompleteBody"},
		"short":     {io.EOF, "IncompleteBody"},
	} {
		req := httptest.NewRequest("PUT", "http://localhost/bad-body/k", nil)
		req.Body, req.ContentLength = &failingBody{n: 300 << 10, err: tc.err}, 1<<20
		req = req.WithContext(identity.With(req.Context(), &identity.Request{ID: "R", Principal: p}))
		rec := httptest.NewRecorder()
		e.api.ServeHTTP(rec, req)
		if rec.Code >= 500 || rec.Code < 400 || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d %s", name, rec.Code, rec.Body.String())
		}
	}
	if _, err := e.client(a).HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("bad-body"), Key: aws.String("k")}); err == nil {
		t.Error("object stored from a bad body")
	}
	if n := e.blobCount(t); n != 0 {
		t.Errorf("%d blobs left", n)
	}
}

// TestNoIdentityIsAnonymous: without the wiring's request info the API
// fails closed.
func TestNoIdentityIsAnonymous(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	mustBucket(t, e.client(a), "no-info")
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/no-info", nil))
	if rec.Code != http.StatusForbidden {
		t.Errorf("no identity: %d %s", rec.Code, rec.Body.String())
	}
}

func TestVirtualHostedAndOwnerHeaders(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	mustBucket(t, c, "vh-b")
	if r := e.raw(t, a, "PUT", "/dir/k", []byte("vh"), map[string]string{"Host": "vh-b.localhost"}); r.status != 200 {
		t.Fatalf("virtual-hosted put: %d %s", r.status, r.body)
	}
	if got := mustGet(t, c, "vh-b", "dir/k"); got != "vh" {
		t.Errorf("virtual-hosted key: %q", got)
	}
	if r := e.raw(t, a, "GET", "/?list-type=2", nil, map[string]string{"Host": "vh-b.s3.us-east-1.localhost"}); r.status != 200 || !strings.Contains(r.body, "<Key>dir/k</Key>") {
		t.Errorf("virtual-hosted list: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/vh-b/dir/k", nil, map[string]string{"x-amz-expected-bucket-owner": "999999999999"}); r.status != 403 {
		t.Errorf("expected bucket owner mismatch: %d", r.status)
	}
	if r := e.raw(t, a, "GET", "/vh-b/dir/k", nil, map[string]string{"x-amz-expected-bucket-owner": a.AccountID}); r.status != 200 {
		t.Errorf("expected bucket owner match: %d", r.status)
	}
	if r := e.raw(t, a, "GET", "/vh-b/dir/k?uploads", nil, nil); r.status != 400 || !strings.Contains(r.body, "Key is not expected") {
		t.Errorf("GET key?uploads: %d %s", r.status, r.body)
	}
}
