package iamapi_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/crossbucket/crossbucket/internal/iamapi"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

const (
	acctA = "111111111111"
	acctB = "222222222222"
)

// env is an IAM API behind a real listener. Its test middleware makes the
// caller the principal named by the access key id of the request's
// signature: "ROOT<account>" is the account's root, "USER<account>" an IAM
// user named "caller" (signatures are not checked: that is the server's job).
type env struct {
	t   *testing.T
	st  *sqlstore.Store
	srv *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	st, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, id := range []string{acctA, acctB} {
		if err := st.CreateAccount(t.Context(), &store.Account{ID: id, CanonicalID: strings.Repeat(id[:1], 64), CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	api := iamapi.New(iamapi.Config{Store: st})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		akid := ""
		if a := r.Header.Get("Authorization"); strings.Contains(a, "Credential=") {
			akid = strings.SplitN(strings.SplitN(a, "Credential=", 2)[1], "/", 2)[0]
		}
		p := &identity.Principal{Kind: identity.Anonymous}
		switch {
		case strings.HasPrefix(akid, "ROOT"):
			acct := akid[4:]
			p = &identity.Principal{Kind: identity.Root, AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct}
		case strings.HasPrefix(akid, "USER"):
			acct := akid[4:]
			p = &identity.Principal{Kind: identity.User, AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/caller", UserName: "caller"}
		}
		ctx := identity.With(r.Context(), &identity.Request{ID: "REQ1", Principal: p})
		api.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(srv.Close)
	return &env{t: t, st: st, srv: srv}
}

// client returns an IAM client signing with access key id akid.
func (e *env) client(akid string) *iam.Client {
	return iam.New(iam.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(akid, "secretsecretsecretsecretsecretsecret1234", ""),
		HTTPClient:   e.srv.Client(),
	})
}

func (e *env) root(acct string) *iam.Client { return e.client("ROOT" + acct) }

func ctx(t *testing.T) context.Context { return t.Context() }

// must fails the test on err.
func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// wantErr checks an AWS error's code and, when msg is not empty, its message.
func wantErr(t *testing.T, what string, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: got %v, want %s", what, err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("%s: code %s (%s), want %s", what, ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	if msg != "" && ae.ErrorMessage() != msg {
		t.Fatalf("%s: message\n %q\nwant\n %q", what, ae.ErrorMessage(), msg)
	}
}

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const s3Read = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
