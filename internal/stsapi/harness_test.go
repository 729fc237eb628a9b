package stsapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/sigv4"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Accounts of the test world.
const (
	acctA = "111122223333"
	acctB = "444455556666"
)

// cred is a key pair (and token, for sessions).
type cred struct{ akid, secret, token string }

// fakeStore holds accounts, long-term keys, users and roles.
type fakeStore struct {
	mu    sync.Mutex
	accts map[string]*store.Account
	keys  map[string]*store.AccessKey
	users map[string]*principals.User // ACCOUNT/name
	roles map[string]*Role            // by ARN
	reads atomic.Int64
}

func (s *fakeStore) GetAccessKey(_ context.Context, id string) (*store.AccessKey, error) {
	s.reads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[id]; ok {
		c := *k
		return &c, nil
	}
	return nil, store.ErrNotFound
}

func (s *fakeStore) GetAccount(_ context.Context, id string) (*store.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.accts[id]; ok {
		return a, nil
	}
	return nil, store.ErrNotFound
}

func (s *fakeStore) UserByName(_ context.Context, account, name string) (*principals.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.users[account+"/"+name]; ok {
		return u, nil
	}
	return nil, fmt.Errorf("user %s: %w", name, store.ErrNotFound)
}

func (s *fakeStore) RoleByARN(_ context.Context, arn string) (*Role, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r, ok := s.roles[arn]; ok {
		return r, nil
	}
	return nil, fmt.Errorf("role %s: %w", arn, store.ErrNotFound)
}

// policyAuthz is a real authorizer for the tests: it evaluates identity
// policies, session policies and the role's trust policy with the
// internal/policy engine.
type policyAuthz struct {
	mu       sync.Mutex
	identity map[string][]string // user / role / root ARN → identity policy documents
}

func (pa *policyAuthz) allow(arn string, docs ...string) {
	pa.mu.Lock()
	pa.identity[arn] = append(pa.identity[arn], docs...)
	pa.mu.Unlock()
}

func (pa *policyAuthz) Authorize(ctx context.Context, req *authz.Request) authz.Decision {
	p := req.Principal
	pp := policy.Principal{ARN: p.ARN, Account: p.AccountID, CanonicalID: p.CanonicalID}
	owner := p.ARN
	switch p.Kind {
	case identity.Root:
		pp.Kind = policy.PrincipalRoot
	case identity.User:
		pp.Kind = policy.PrincipalUser
	case identity.AssumedRole:
		pp.Kind = policy.PrincipalAssumedRole
		pp.IssuerARN = p.RoleARN
		owner = p.RoleARN
	default:
		pp.Kind = policy.PrincipalAnonymous
	}
	in := &policy.Input{}
	pa.mu.Lock()
	docs := pa.identity[owner]
	pa.mu.Unlock()
	for i, doc := range docs {
		pol, err := policy.Parse(doc, policy.KindIdentity, nil)
		if err != nil {
			return authz.Decision{Reason: "bad identity policy: " + err.Error()}
		}
		in.Identity = append(in.Identity, policy.NamedPolicy{Name: fmt.Sprintf("%s#%d", owner, i), Policy: pol})
	}
	if s := principals.SessionFrom(ctx); s != nil && s.Policy != "" {
		pol, err := policy.Parse(s.Policy, policy.KindIdentity, nil)
		if err != nil {
			return authz.Decision{Reason: "bad session policy"}
		}
		in.Session = []policy.NamedPolicy{{Name: "session policy", Policy: pol}}
	}
	if req.ResourcePolicy != "" {
		pol, err := policy.Parse(req.ResourcePolicy, policy.KindTrust, nil)
		if err != nil {
			return authz.Decision{Reason: "bad trust policy: " + err.Error()}
		}
		in.Resource = &policy.NamedPolicy{Name: req.ResourcePolicyName, Policy: pol}
	}
	c := policy.NewContext().SetPrincipal(pp)
	for k, v := range p.Tags {
		c.Set("aws:PrincipalTag/"+k, v)
	}
	for k, v := range req.Context {
		c.Set(k, v...)
	}
	d := policy.Evaluate(in, &policy.Request{Principal: pp, Action: req.Action, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Context: c})
	return authz.Decision{Allowed: d.Allowed, Reason: d.Explain(), CrossAccount: d.CrossAccount}
}

// env is an STS endpoint on a real listener: a small front end verifies
// SigV4 with internal/sigv4, resolves the credentials with the principals
// package (so session tokens go seal → resolve), and hands the request to
// the API.
type env struct {
	t        testing.TB
	offset   atomic.Int64 // added to the wall clock for the STS clock
	st       *fakeStore
	ring     *sessiontoken.Ring
	resolver *principals.Resolver
	authz    *policyAuthz
	mfa      *fakeMFA
	api      *API
	srv      *httptest.Server
	reqs     atomic.Int64
	// noSessionCtx makes the front end omit principals.WithSession.
	noSessionCtx atomic.Bool

	root, rootB, alice, bob cred
}

// fakeMFA accepts code 123456 for serial GAHT12345678.
type fakeMFA struct{}

func (fakeMFA) VerifyMFA(_ context.Context, _ *identity.Principal, serial, code string) error {
	if serial == "GAHT12345678" && code == "123456" {
		return nil
	}
	return errors.New("wrong code")
}

func (e *env) now() time.Time { return time.Now().Add(time.Duration(e.offset.Load())) }

// advance moves the STS clock (not the signing clock) forward.
func (e *env) advance(d time.Duration) { e.offset.Add(int64(d)) }

func newEnv(t testing.TB) *env {
	t.Helper()
	if tt, ok := t.(*testing.T); ok {
		tt.Setenv("AWS_CA_BUNDLE", "")
	}
	e := &env{t: t, mfa: &fakeMFA{}}
	e.st = &fakeStore{
		accts: map[string]*store.Account{
			acctA: {ID: acctA, CanonicalID: strings.Repeat("a", 64)},
			acctB: {ID: acctB, CanonicalID: strings.Repeat("b", 64)},
		},
		keys: map[string]*store.AccessKey{}, users: map[string]*principals.User{}, roles: map[string]*Role{},
	}
	e.root = e.addKey(acctA, "", "AKIAROOTA00000000001")
	e.rootB = e.addKey(acctB, "", "AKIAROOTB00000000001")
	e.alice = e.addUser(acctA, "alice", "AIDAALICE0000000001", "AKIAALICE0000000001", map[string]string{"team": "blue"})
	e.bob = e.addUser(acctB, "bob", "AIDABOB000000000001", "AKIABOB000000000001", nil)

	ring, err := sessiontoken.NewMemory(sessiontoken.Options{Now: e.now})
	if err != nil {
		t.Fatal(err)
	}
	e.ring = ring
	e.resolver = principals.New(principals.Config{Accounts: e.st, Users: e.st, Ring: ring, Now: e.now})
	e.authz = &policyAuthz{identity: map[string][]string{}}
	e.api = New(Config{Authz: e.authz, Roles: e.st, Accounts: e.st, Ring: ring, MFA: e.mfa, Now: e.now})
	e.srv = httptest.NewServer(http.HandlerFunc(e.front))
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) addKey(account, user, akid string) cred {
	secret := "secret-" + strings.ToLower(akid)
	e.st.mu.Lock()
	e.st.keys[akid] = &store.AccessKey{ID: akid, Secret: secret, AccountID: account, UserName: user, Status: "Active"}
	e.st.mu.Unlock()
	return cred{akid: akid, secret: secret}
}

func (e *env) addUser(account, name, userID, akid string, tags map[string]string) cred {
	e.st.mu.Lock()
	e.st.users[account+"/"+name] = &principals.User{AccountID: account, Name: name, Path: "/", UserID: userID,
		ARN: "arn:aws:iam::" + account + ":user/" + name, Tags: tags}
	e.st.mu.Unlock()
	return e.addKey(account, name, akid)
}

// addRole creates a role with a trust policy.
func (e *env) addRole(account, path, name, trust string, maxDur int, tags map[string]string) *Role {
	r := &Role{ARN: "arn:aws:iam::" + account + ":role" + path + name, AccountID: account,
		RoleID: "AROA" + strings.ToUpper(name) + "0000000", Name: name, Path: path, TrustPolicy: trust,
		MaxSessionDuration: maxDur, Tags: tags}
	e.st.mu.Lock()
	e.st.roles[r.ARN] = r
	e.st.mu.Unlock()
	return r
}

// front stands in for the server: request id, SigV4, principal, session.
func (e *env) front(w http.ResponseWriter, r *http.Request) {
	info := &identity.Request{ID: fmt.Sprintf("REQ%06d", e.reqs.Add(1)), Received: e.now()}
	var res *principals.Resolved
	vr, err := sigv4.Verify(r.Context(), r, e.resolver.Lookup("sts", &res), sigv4.Options{Now: time.Now()})
	if err != nil {
		awserr.WriteQuery(w, err, Namespace, info.ID)
		return
	}
	ctx := r.Context()
	if vr.Anonymous {
		info.Principal = &identity.Principal{Kind: identity.Anonymous}
	} else {
		info.Principal = res.Principal
		if !e.noSessionCtx.Load() {
			ctx = principals.WithSession(ctx, res.Session)
		}
	}
	r.Body = vr.Body
	e.api.ServeHTTP(w, r.WithContext(identity.With(ctx, info)))
}

// client is an SDK STS client for c.
func (e *env) client(c cred) *sts.Client {
	return sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.srv.URL),
		Credentials:  awscreds.NewStaticCredentialsProvider(c.akid, c.secret, c.token),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   e.srv.Client(),
	})
}

// credOf turns issued SDK credentials into a cred.
func credOf(c *types.Credentials) cred {
	return cred{akid: aws.ToString(c.AccessKeyId), secret: aws.ToString(c.SecretAccessKey), token: aws.ToString(c.SessionToken)}
}

// raw sends a form signed with c (unsigned when c is zero) and returns the
// status and body, for requests the SDK would refuse to send.
func (e *env) raw(c cred, form url.Values) (int, string) {
	e.t.Helper()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if c.akid != "" {
		sum := sha256.Sum256([]byte(body))
		err := v4.NewSigner().SignHTTP(context.Background(),
			aws.Credentials{AccessKeyID: c.akid, SecretAccessKey: c.secret, SessionToken: c.token},
			req, hex.EncodeToString(sum[:]), "sts", "us-east-1", time.Now())
		if err != nil {
			e.t.Fatal(err)
		}
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// apiErr unpacks an SDK error.
func apiErr(t testing.TB, err error) (code, msg string, status int) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error")
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("not an API error: %v", err)
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return ae.ErrorCode(), ae.ErrorMessage(), status
}

// wantErr checks an SDK error's code, status and (when given) message.
func wantErr(t testing.TB, err error, code string, status int, msg string) {
	t.Helper()
	gotCode, gotMsg, gotStatus := apiErr(t, err)
	if gotCode != code || gotStatus != status || (msg != "" && gotMsg != msg) {
		t.Fatalf("error %s (%d) %q, want %s (%d) %q", gotCode, gotStatus, gotMsg, code, status, msg)
	}
}
