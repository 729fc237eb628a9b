package imds

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

const (
	acct     = "111122223333"
	region   = "eu-west-1"
	trustEC2 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	trustAcc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`
)

// fakeIAM holds instance profiles and roles by lower-cased name.
type fakeIAM struct {
	mu       sync.Mutex
	profiles map[string]*store.InstanceProfile
	roles    map[string]*store.IAMRole
}

func newFakeIAM() *fakeIAM {
	return &fakeIAM{profiles: map[string]*store.InstanceProfile{}, roles: map[string]*store.IAMRole{}}
}

func (f *fakeIAM) addRole(name, path, trust string) *store.IAMRole {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := &store.IAMRole{AccountID: acct, Name: name, Path: path, ID: "AROA" + strings.ToUpper(name), AssumeRolePolicy: trust}
	f.roles[strings.ToLower(name)] = r
	return r
}

func (f *fakeIAM) addProfile(name, path string, roles ...string) *store.InstanceProfile {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := &store.InstanceProfile{AccountID: acct, Name: name, Path: path, ID: "AIPA" + strings.ToUpper(name), Roles: roles}
	f.profiles[strings.ToLower(name)] = p
	return p
}

func (f *fakeIAM) GetInstanceProfile(_ context.Context, accountID, name string) (*store.InstanceProfile, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p, ok := f.profiles[strings.ToLower(name)]; ok && accountID == p.AccountID {
		c := *p
		return &c, nil
	}
	return nil, store.ErrNotFound
}

func (f *fakeIAM) GetRole(_ context.Context, accountID, name string) (*store.IAMRole, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r, ok := f.roles[strings.ToLower(name)]; ok && accountID == r.AccountID {
		c := *r
		return &c, nil
	}
	return nil, store.ErrNotFound
}

// fakeIssuer issues numbered credentials and records the requests.
type fakeIssuer struct {
	mu   sync.Mutex
	now  func() time.Time
	reqs []SessionRequest
}

func (f *fakeIssuer) IssueForInstance(_ context.Context, req *SessionRequest) (*Credentials, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, *req)
	n := len(f.reqs)
	return &Credentials{
		AccessKeyID:     fmt.Sprintf("ASIAFAKE%012d", n),
		SecretAccessKey: fmt.Sprintf("secret-%d", n),
		SessionToken:    fmt.Sprintf("token-%d", n),
		Expiration:      f.now().Add(req.Duration).Truncate(time.Second),
	}, nil
}

func (f *fakeIssuer) requests() []SessionRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]SessionRequest(nil), f.reqs...)
}

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a Manager over a real store with fake IAM and STS.
type env struct {
	t      testing.TB
	st     *sqlstore.Store
	iam    *fakeIAM
	issuer *fakeIssuer
	clock  *clock
	m      *Manager
}

func newEnv(t testing.TB) *env {
	t.Helper()
	st, err := sqlstore.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, st: st, iam: newFakeIAM(), clock: &clock{t: time.Now().Truncate(time.Second)}}
	e.issuer = &fakeIssuer{now: e.clock.Now}
	e.m, err = New(Config{Store: st, IAM: e.iam, Credentials: e.issuer, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.m.Close() })
	return e
}

// launch stores a running instance; profile "" means none.
func (e *env) launch(id, profile, tokens string) *store.Instance {
	e.t.Helper()
	inst := &store.Instance{
		ID: id, AccountID: acct, Region: region, ReservationID: "r-0aaaaaaaaaaaaaaaa",
		ImageID: "ami-12345678", InstanceType: "t3.micro", State: store.InstanceRunning,
		LaunchTime: e.clock.Now(), PrivateIP: "172.31.7.9", VPCID: "vpc-0bbbbbbbbbbbbbbbb", Architecture: "x86_64",
		Metadata: store.MetadataOptions{HTTPTokens: tokens, HTTPEndpoint: "enabled", HopLimit: 2, Tags: "disabled"},
	}
	if profile != "" {
		p, err := LookupProfile(e.t.Context(), e.iam, acct, profile)
		if err != nil {
			e.t.Fatal(err)
		}
		inst.Profile = &store.ProfileAssociation{ID: "iip-assoc-" + id[2:], ProfileARN: p.ARN, ProfileID: p.ID, State: "associated", At: e.clock.Now()}
	}
	if err := e.st.CreateInstances(e.t.Context(), []*store.Instance{inst}); err != nil {
		e.t.Fatal(err)
	}
	return inst
}

// start launches an instance and opens its endpoint.
func (e *env) start(id, profile, tokens string) string {
	e.t.Helper()
	inst := e.launch(id, profile, tokens)
	url, err := e.m.Start(e.t.Context(), inst)
	if err != nil {
		e.t.Fatal(err)
	}
	return url
}

// do sends a raw request and returns status, body and headers.
func do(t *testing.T, method, url string, hdr map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// token fetches an IMDSv2 token.
func token(t *testing.T, base string) string {
	t.Helper()
	code, body, _ := do(t, http.MethodPut, base+"/latest/api/token", map[string]string{headerTTL: "300"})
	if code != http.StatusOK {
		t.Fatalf("token: %d %s", code, body)
	}
	return body
}
