package ec2api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

const (
	acctA    = "111122223333"
	acctB    = "444455556666"
	trustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// keys maps test access keys to the account whose root they are.
var keys = map[string]string{"AKIAROOTA": acctA, "AKIAROOTB": acctB}

// fakeIAM holds profiles and roles keyed by account and lower-cased name.
type fakeIAM struct {
	profiles map[string]*store.InstanceProfile
	roles    map[string]*store.IAMRole
}

func (f *fakeIAM) GetInstanceProfile(_ context.Context, acct, name string) (*store.InstanceProfile, error) {
	if p, ok := f.profiles[acct+"/"+strings.ToLower(name)]; ok {
		c := *p
		return &c, nil
	}
	return nil, store.ErrNotFound
}

func (f *fakeIAM) GetRole(_ context.Context, acct, name string) (*store.IAMRole, error) {
	if r, ok := f.roles[acct+"/"+strings.ToLower(name)]; ok {
		c := *r
		return &c, nil
	}
	return nil, store.ErrNotFound
}

func newFakeIAM() *fakeIAM {
	f := &fakeIAM{profiles: map[string]*store.InstanceProfile{}, roles: map[string]*store.IAMRole{}}
	for _, acct := range []string{acctA, acctB} {
		f.roles[acct+"/app-role"] = &store.IAMRole{AccountID: acct, Name: "app-role", Path: "/", ID: "AROAAPP" + acct, AssumeRolePolicy: trustEC2}
		f.roles[acct+"/other-role"] = &store.IAMRole{AccountID: acct, Name: "other-role", Path: "/x/", ID: "AROAOTHER" + acct, AssumeRolePolicy: trustEC2}
		f.profiles[acct+"/app"] = &store.InstanceProfile{AccountID: acct, Name: "app", Path: "/", ID: "AIPAAPP" + acct, Roles: []string{"app-role"}}
		f.profiles[acct+"/other"] = &store.InstanceProfile{AccountID: acct, Name: "other", Path: "/team/", ID: "AIPAOTHER" + acct, Roles: []string{"other-role"}}
		f.profiles[acct+"/empty"] = &store.InstanceProfile{AccountID: acct, Name: "empty", Path: "/", ID: "AIPAEMPTY" + acct}
	}
	return f
}

// recordingAuthz wraps an authorizer, records every question and denies
// the actions in deny.
type recordingAuthz struct {
	mu   sync.Mutex
	next authz.Authorizer
	deny map[string]bool
	reqs []authz.Request
}

func (r *recordingAuthz) Authorize(ctx context.Context, req *authz.Request) authz.Decision {
	r.mu.Lock()
	r.reqs = append(r.reqs, *req)
	denied := r.deny[req.Action]
	r.mu.Unlock()
	if denied {
		return authz.Decision{Allowed: false, Reason: "test deny"}
	}
	return r.next.Authorize(ctx, req)
}

// setDeny makes the authorizer deny action.
func (r *recordingAuthz) setDeny(action string) {
	r.mu.Lock()
	r.deny[action] = true
	r.mu.Unlock()
}

func (r *recordingAuthz) requests(action string) []authz.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []authz.Request
	for _, q := range r.reqs {
		if q.Action == action {
			out = append(out, q)
		}
	}
	return out
}

type issuer struct{}

func (issuer) IssueForInstance(_ context.Context, req *imds.SessionRequest) (*imds.Credentials, error) {
	return &imds.Credentials{AccessKeyID: "ASIATEST", SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(req.Duration)}, nil
}

// env is the EC2 API behind an httptest server whose middleware stands in
// for signature verification: the access key of the Authorization header
// names an account root, the credential scope gives the region.
type env struct {
	st    *sqlstore.Store
	authz *recordingAuthz
	md    *imds.Manager
	srv   *httptest.Server
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	iam := newFakeIAM()
	md, err := imds.New(imds.Config{Store: st, IAM: iam, Credentials: issuer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { md.Close() })
	e := &env{st: st, authz: &recordingAuthz{next: authz.OwnerOnly{}, deny: map[string]bool{}}, md: md}
	api := New(Config{Store: st, IAM: iam, Authz: e.authz, Metadata: md})
	e.srv = httptest.NewServer(withIdentity(api))
	t.Cleanup(e.srv.Close)
	return e
}

// withIdentity puts the caller in the context, as the server does after
// verifying the signature.
func withIdentity(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := &identity.Request{ID: "REQ" + fmt.Sprint(time.Now().UnixNano()), Principal: &identity.Principal{Kind: identity.Anonymous}}
		if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential=") {
			cred, _, _ := strings.Cut(strings.TrimPrefix(a, "AWS4-HMAC-SHA256 Credential="), ",")
			parts := strings.Split(cred, "/")
			if acct, ok := keys[parts[0]]; ok && len(parts) == 5 {
				info.Principal = &identity.Principal{Kind: identity.Root, AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, AccessKeyID: parts[0]}
				info.Auth = identity.Auth{Method: "REST-HEADER", SignatureVersion: "AWS4-HMAC-SHA256", Region: parts[2], Service: parts[3]}
			}
		}
		next.ServeHTTP(w, r.WithContext(identity.With(r.Context(), info)))
	})
}

// cli runs the aws CLI as key's account root in region; it returns the
// parsed JSON output, or the error text when the command failed.
func (e *env) cli(t *testing.T, key, region string, args ...string) (map[string]any, string) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.CommandContext(t.Context(), "aws", append(args, "--output", "json")...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "PYENV_ROOT=" + os.Getenv("PYENV_ROOT"),
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID=" + key, "AWS_SECRET_ACCESS_KEY=secret", "AWS_DEFAULT_REGION=" + region,
		"AWS_ENDPOINT_URL=" + e.srv.URL, "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1"}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if stderr.Len() == 0 {
			t.Fatalf("aws %v: %v", args, err)
		}
		return nil, stderr.String()
	}
	out := map[string]any{}
	if s := strings.TrimSpace(stdout.String()); s != "" {
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatalf("aws %v: %v\n%s", args, err, s)
		}
	}
	return out, ""
}

// mustCLI is cli that fails the test on a command error.
func (e *env) mustCLI(t *testing.T, key, region string, args ...string) map[string]any {
	t.Helper()
	out, errText := e.cli(t, key, region, args...)
	if errText != "" {
		t.Fatalf("aws %v: %s", args, errText)
	}
	return out
}

// get walks a JSON value by keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string { s, _ := get(v, path...).(string); return s }

func length(v any, path ...any) int { l, _ := get(v, path...).([]any); return len(l) }

func requireCLI(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not installed")
	}
}
