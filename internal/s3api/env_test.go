package s3api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/blob/fsblob"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sigv4"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

// env is an S3 API behind a test middleware that does what the server
// does: verify the signature (the real verifier), resolve the account
// root, and hand the decoded body and request info to the API.
type env struct {
	st      *sqlstore.Store
	blobs   blob.Store
	blobDir string
	api     *API
	http    *httptest.Server
	tls     *httptest.Server

	mu    sync.Mutex
	roots map[string]*accounts.Created // by access key id
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	dir := filepath.Join(t.TempDir(), "blobs")
	bs, err := fsblob.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: st, blobs: bs, blobDir: dir, roots: map[string]*accounts.Created{}}
	e.api = New(Config{Store: st, Blobs: e.blobs, Domains: []string{"localhost"}})
	e.http = httptest.NewServer(e)
	e.tls = httptest.NewTLSServer(e)
	t.Cleanup(e.http.Close)
	t.Cleanup(e.tls.Close)
	return e
}

// ServeHTTP is the test middleware.
func (e *env) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := &identity.Request{ID: "TESTREQUESTID", HostID: "TESTHOSTID", Secure: r.TLS != nil, Received: time.Now()}
	w.Header().Set("x-amz-request-id", info.ID)
	res, err := sigv4.Verify(r.Context(), r, e.lookup, sigv4.Options{Now: time.Now(),
		BucketFromHost: func(h string) (string, bool) { return BucketFromHost(h, []string{"localhost"}) }})
	if err != nil {
		awserr.WriteS3(w, r, err, info.ID, info.HostID)
		return
	}
	info.Auth = identity.Auth{Method: res.Method, SignatureVersion: res.SignatureVersion, Region: res.Region,
		Service: res.Service, SignedAt: res.SignedAt}
	if res.Anonymous {
		info.Principal = &identity.Principal{Kind: identity.Anonymous}
	} else {
		e.mu.Lock()
		a := e.roots[res.AccessKeyID]
		e.mu.Unlock()
		info.Principal = &identity.Principal{Kind: identity.Root, AccountID: a.AccountID, ARN: "arn:aws:iam::" + a.AccountID + ":root",
			UserID: a.AccountID, CanonicalID: a.CanonicalID, AccessKeyID: a.AccessKeyID}
	}
	r.Body, r.ContentLength, r.Trailer = res.Body, res.ContentLength, res.Trailer
	e.api.ServeHTTP(w, r.WithContext(identity.With(r.Context(), info)))
}

func (e *env) lookup(_ context.Context, akid, _ string) (string, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if a, ok := e.roots[akid]; ok {
		return a.SecretAccessKey, nil
	}
	return "", awserr.New(awserr.InvalidAccessKeyID)
}

// account creates an account with a root key.
func (e *env) account(t *testing.T) *accounts.Created {
	t.Helper()
	a, err := accounts.Create(context.Background(), e.st, accounts.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	e.mu.Lock()
	e.roots[a.AccessKeyID] = a
	e.mu.Unlock()
	return a
}

// client is an SDK client for a over plain http (path style, us-east-1
// unless a region is given).
func (e *env) client(a *accounts.Created, region ...string) *s3.Client {
	return e.clientAt(e.http, a, region...)
}

// tlsClient is the same over https, where the SDK sends aws-chunked
// bodies with trailing checksums.
func (e *env) tlsClient(a *accounts.Created, region ...string) *s3.Client {
	return e.clientAt(e.tls, a, region...)
}

func (e *env) clientAt(srv *httptest.Server, a *accounts.Created, region ...string) *s3.Client {
	reg := "us-east-1"
	if len(region) > 0 {
		reg = region[0]
	}
	return s3.NewFromConfig(aws.Config{Region: reg, HTTPClient: srv.Client(),
		Credentials: credentials.NewStaticCredentialsProvider(a.AccessKeyID, a.SecretAccessKey, ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} }},
		func(o *s3.Options) { o.BaseEndpoint = aws.String(srv.URL); o.UsePathStyle = true })
}

// resp is a raw HTTP answer.
type resp struct {
	status int
	header http.Header
	body   string
}

// raw sends one request signed for a (anonymous when nil) over plain
// http, region us-east-1 unless the header X-Test-Region says otherwise.
func (e *env) raw(t *testing.T, a *accounts.Created, method, path string, body []byte, hdr map[string]string) resp {
	t.Helper()
	req, err := http.NewRequest(method, e.http.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	region := "us-east-1"
	for k, v := range hdr {
		if k == "X-Test-Region" {
			region = v
			continue
		}
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	if a != nil {
		sum := sha256.Sum256(body)
		ph := hex.EncodeToString(sum[:])
		req.Header.Set("x-amz-content-sha256", ph)
		if err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).SignHTTP(context.Background(), aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey},
			req, ph, "s3", region, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, header: res.Header, body: strings.ReplaceAll(string(b), "&#39;", "'")}
}

// code is the S3 error code of an SDK error ("" for none).
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	if err != nil {
		return "?" + err.Error()
	}
	return ""
}

func mustBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

func mustPut(t *testing.T, c *s3.Client, bucket, key, body string) *s3.PutObjectOutput {
	t.Helper()
	out, err := c.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: strings.NewReader(body)})
	if err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
	return out
}

func mustGet(t *testing.T, c *s3.Client, bucket, key string) string {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// blobCount counts the committed blobs on disk (temporary files aside).
func (e *env) blobCount(t *testing.T) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(e.blobDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "tmp" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// memBlobs is an in-memory blob.Store (benchmarks of the S3 layer alone).
type memBlobs struct {
	mu    sync.Mutex
	blobs map[string][]byte
	next  int
}

func newMemBlobs() *memBlobs { return &memBlobs{blobs: map[string][]byte{}} }

func (m *memBlobs) Create(context.Context) (blob.Writer, error) { return &memWriter{m: m}, nil }

func (m *memBlobs) Open(id string) (blob.Reader, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[id]
	if !ok {
		return nil, blob.ErrNotFound
	}
	return &memReader{bytes.NewReader(b)}, nil
}

func (m *memBlobs) Delete(id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.blobs, id)
	return nil
}

type memWriter struct {
	m    *memBlobs
	buf  bytes.Buffer
	done bool
}

func (w *memWriter) Write(p []byte) (int, error) { return w.buf.Write(p) }

func (w *memWriter) Commit() (string, error) {
	w.m.mu.Lock()
	defer w.m.mu.Unlock()
	w.m.next++
	id := fmt.Sprintf("blob-%d", w.m.next)
	w.m.blobs[id] = w.buf.Bytes()
	w.done = true
	return id, nil
}

func (w *memWriter) Abort() error { w.buf.Reset(); return nil }

type memReader struct{ *bytes.Reader }

func (r *memReader) Close() error { return nil }

var _ store.Store = (*sqlstore.Store)(nil)

func httpRequest(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest("GET", "http://localhost/", nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func anyInfo() *identity.Request {
	return &identity.Request{Principal: &identity.Principal{Kind: identity.Anonymous}}
}
