package s3api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/blob/fsblob"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

// benchAPI serves the API with a fixed account-root identity (no signature
// work), so that the numbers are the S3 layer's and the stores'.
func benchAPI(b *testing.B, durable ...bool) (string, *accounts.Created) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	acct, err := accounts.Create(ctx, st, accounts.Spec{})
	if err != nil {
		b.Fatal(err)
	}
	var bs blob.Store = newMemBlobs()
	if len(durable) > 0 && durable[0] {
		if bs, err = fsblob.Open(filepath.Join(b.TempDir(), "blobs")); err != nil {
			b.Fatal(err)
		}
	}
	api := New(Config{Store: st, Blobs: bs})
	p := &identity.Principal{Kind: identity.Root, AccountID: acct.AccountID, ARN: "arn:aws:iam::" + acct.AccountID + ":root", CanonicalID: acct.CanonicalID}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.ServeHTTP(w, r.WithContext(identity.With(r.Context(), &identity.Request{ID: "B", Principal: p})))
	}))
	b.Cleanup(srv.Close)
	do(b, "PUT", srv.URL+"/bench", nil)
	return srv.URL, acct
}

func do(b *testing.B, method, url string, body []byte) {
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode >= 300 {
		b.Fatalf("%s %s: %d", method, url, res.StatusCode)
	}
}

func BenchmarkPutObject1MiB(b *testing.B) {
	u, _ := benchAPI(b)
	body := bytes.Repeat([]byte("x"), 1<<20)
	b.SetBytes(int64(len(body)))
	for i := 0; b.Loop(); i++ {
		do(b, "PUT", fmt.Sprintf("%s/bench/k%d", u, i%64), body)
	}
}

// BenchmarkPutObject1MiBDurable uses fsblob: each PUT fsyncs its blob.
func BenchmarkPutObject1MiBDurable(b *testing.B) {
	u, _ := benchAPI(b, true)
	body := bytes.Repeat([]byte("x"), 1<<20)
	b.SetBytes(int64(len(body)))
	for i := 0; b.Loop(); i++ {
		do(b, "PUT", fmt.Sprintf("%s/bench/k%d", u, i%64), body)
	}
}

func BenchmarkGetObject1MiB(b *testing.B) {
	u, _ := benchAPI(b)
	body := bytes.Repeat([]byte("x"), 1<<20)
	do(b, "PUT", u+"/bench/k", body)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		do(b, "GET", u+"/bench/k", nil)
	}
}

func BenchmarkListObjectsV2Delimiter(b *testing.B) {
	u, _ := benchAPI(b)
	for i := range 200 {
		do(b, "PUT", fmt.Sprintf("%s/bench/d%02d/k%d", u, i%20, i), nil)
	}
	for b.Loop() {
		do(b, "GET", u+"/bench?list-type=2&delimiter=/", nil)
	}
}
