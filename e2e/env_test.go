package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/audit"
	"github.com/crossbucket/crossbucket/internal/blob/fsblob"
	"github.com/crossbucket/crossbucket/internal/server"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

// Env is one running crossbucket: its data dir, stores and listeners.
type Env struct {
	T       testing.TB
	DataDir string
	Store   *sqlstore.Store
	Server  *server.Server
	HTTP    *httptest.Server // plain http
	HTTPS   *httptest.Server // TLS, same server
}

// Start runs a server on a fresh data dir, over http and https.
func Start(t testing.TB) *Env { t.Helper(); return start(t, false) }

// StartNoSync is Start with fsync off (serve --fsync=false).
func StartNoSync(t testing.TB) *Env { t.Helper(); return start(t, true) }

func start(t testing.TB, noSync bool) *Env {
	t.Helper()
	os.Unsetenv("AWS_CA_BUNDLE")
	dir := t.TempDir()
	ctx := context.Background()
	var metaOpts []sqlstore.Option
	var blobOpts []fsblob.Option
	if noSync {
		metaOpts, blobOpts = append(metaOpts, sqlstore.WithRelaxedSync()), append(blobOpts, fsblob.NoSync())
	}
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "meta.db"), metaOpts...)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := fsblob.Open(filepath.Join(dir, "blobs"), blobOpts...)
	if err != nil {
		t.Fatal(err)
	}
	ring, err := sessiontoken.Load(dir, sessiontoken.Options{})
	if err != nil {
		t.Fatal(err)
	}
	auditLog, err := audit.Open(filepath.Join(dir, "audit"), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Store: st, Blobs: blobs, Ring: ring, Audit: auditLog})
	e := &Env{T: t, DataDir: dir, Store: st, Server: srv}
	e.HTTP = httptest.NewServer(srv)
	e.HTTPS = httptest.NewTLSServer(srv)
	t.Cleanup(func() {
		e.HTTP.Close()
		e.HTTPS.Close()
		srv.Close()
		auditLog.Close()
		st.Close()
	})
	return e
}

// Account creates an account and returns its root credentials.
func (e *Env) Account(t testing.TB) *accounts.Created {
	t.Helper()
	c, err := accounts.Create(context.Background(), e.Store, accounts.Spec{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ClientOpt adjusts an S3 client.
type ClientOpt func(*s3.Options)

// Region sets the client's region.
func Region(r string) ClientOpt { return func(o *s3.Options) { o.Region = r } }

// S3 returns an SDK client for creds over plain http.
func (e *Env) S3(c *accounts.Created, opts ...ClientOpt) *s3.Client {
	return e.s3(e.HTTP.URL, http.DefaultClient, c, opts...)
}

// S3TLS returns an SDK client for creds over https (the SDK then streams
// bodies as aws-chunked with a trailing checksum).
func (e *Env) S3TLS(c *accounts.Created, opts ...ClientOpt) *s3.Client {
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}} //nolint:gosec // test server cert
	return e.s3(e.HTTPS.URL, hc, c, opts...)
}

func (e *Env) s3(url string, hc *http.Client, c *accounts.Created, opts ...ClientOpt) *s3.Client {
	var prov aws.CredentialsProvider = aws.AnonymousCredentials{}
	if c != nil {
		prov = credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")
	}
	cfg := aws.Config{Region: "us-east-1", Credentials: prov, HTTPClient: hc}
	all := []func(*s3.Options){func(o *s3.Options) {
		o.BaseEndpoint = aws.String(url)
		o.UsePathStyle = true
	}}
	for _, o := range opts {
		all = append(all, o)
	}
	return s3.NewFromConfig(cfg, all...)
}

// CLIResult is one aws CLI run.
type CLIResult struct {
	Stdout, Stderr string
	Code           int
}

// CLI runs the aws CLI as creds (nil: no credentials) against the plain
// http endpoint, in its own temporary HOME.
func (e *Env) CLI(t testing.TB, c *accounts.Created, args ...string) CLIResult {
	t.Helper()
	return e.CLIEnv(t, c, nil, args...)
}

// CLIEnv is CLI with extra environment variables.
func (e *Env) CLIEnv(t testing.TB, c *accounts.Created, extra []string, args ...string) CLIResult {
	t.Helper()
	return e.CLIHome(t, t.TempDir(), c, extra, args...)
}

// CLIHome runs the aws CLI with HOME=home, whose .aws/config and
// .aws/credentials the test may have written (profiles).
func (e *Env) CLIHome(t testing.TB, home string, c *accounts.Created, extra []string, args ...string) CLIResult {
	t.Helper()
	env := []string{
		"HOME=" + home,
		"PATH=" + os.Getenv("PATH"),
		"AWS_ENDPOINT_URL=" + e.HTTP.URL,
		"AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, ".aws", "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
	}
	for _, k := range []string{"PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	if c != nil {
		env = append(env, "AWS_ACCESS_KEY_ID="+c.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+c.SecretAccessKey)
	}
	env = append(env, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", args...)
	cmd.Env = env
	cmd.Dir = home
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := CLIResult{Stdout: out.String(), Stderr: errb.String()}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			res.Code = ee.ExitCode()
		} else {
			t.Fatalf("aws %s: %v", strings.Join(args, " "), err)
		}
	}
	return res
}

// MustCLI runs the CLI and fails the test on a non-zero exit.
func (e *Env) MustCLI(t testing.TB, c *accounts.Created, args ...string) string {
	t.Helper()
	r := e.CLI(t, c, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	return r.Stdout
}
