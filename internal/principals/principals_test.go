package principals

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
)

const (
	acct      = "111122223333"
	canonical = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
)

// fakeAccounts is an in-memory store.Accounts subset that counts reads.
type fakeAccounts struct {
	mu    sync.Mutex
	keys  map[string]*store.AccessKey
	accts map[string]*store.Account
	reads atomic.Int64
	fail  error
}

func newFakeAccounts() *fakeAccounts {
	return &fakeAccounts{
		keys:  map[string]*store.AccessKey{},
		accts: map[string]*store.Account{acct: {ID: acct, CanonicalID: canonical}},
	}
}

func (f *fakeAccounts) put(k *store.AccessKey) {
	f.mu.Lock()
	f.keys[k.ID] = k
	f.mu.Unlock()
}

func (f *fakeAccounts) GetAccessKey(_ context.Context, id string) (*store.AccessKey, error) {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	k, ok := f.keys[id]
	if !ok {
		return nil, fmt.Errorf("key %s: %w", id, store.ErrNotFound)
	}
	c := *k
	return &c, nil
}

func (f *fakeAccounts) GetAccount(_ context.Context, id string) (*store.Account, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.accts[id]
	if !ok {
		return nil, store.ErrNotFound
	}
	return a, nil
}

type fakeUsers map[string]*User

func (f fakeUsers) UserByName(_ context.Context, account, name string) (*User, error) {
	u, ok := f[account+"/"+name]
	if !ok {
		return nil, store.ErrNotFound
	}
	return u, nil
}

type fixture struct {
	now  time.Time
	accs *fakeAccounts
	ring *sessiontoken.Ring
	res  *Resolver
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC), accs: newFakeAccounts()}
	clock := func() time.Time { return f.now }
	ring, err := sessiontoken.NewMemory(sessiontoken.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	f.ring = ring
	f.accs.put(&store.AccessKey{ID: "AKIAROOT0000000000AA", Secret: "rootsecret", AccountID: acct, Status: "Active"})
	f.accs.put(&store.AccessKey{ID: "AKIAUSER0000000000AA", Secret: "usersecret", AccountID: acct, UserName: "alice", Status: "Active"})
	f.accs.put(&store.AccessKey{ID: "AKIAOFF00000000000AA", Secret: "x", AccountID: acct, Status: "Inactive"})
	f.accs.put(&store.AccessKey{ID: "AKIAGHOST000000000AA", Secret: "x", AccountID: acct, UserName: "ghost", Status: "Active"})
	users := fakeUsers{acct + "/alice": {AccountID: acct, Name: "alice", Path: "/eng/", UserID: "AIDAALICE",
		ARN: "arn:aws:iam::" + acct + ":user/eng/alice", Tags: map[string]string{"team": "blue"}}}
	f.res = New(Config{Accounts: f.accs, Users: users, Ring: ring, Now: clock})
	return f
}

func (f *fixture) seal(t testing.TB, c *sessiontoken.Claims) string {
	t.Helper()
	tok, err := f.ring.Seal(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fixture) roleClaims() *sessiontoken.Claims {
	return &sessiontoken.Claims{
		Kind: sessiontoken.AssumedRole, AccountID: acct, CanonicalID: canonical,
		AccessKeyID: "ASIAROLE000000000000", SecretAccessKey: "sessionsecret",
		IssuedAt: f.now, Expires: f.now.Add(time.Hour),
		RoleARN: "arn:aws:iam::" + acct + ":role/ops/deploy", RoleID: "AROADEPLOY", SessionName: "ci",
		IdentityTags:      []sessiontoken.Tag{{Key: "Team", Value: "role"}, {Key: "env", Value: "prod"}},
		Tags:              []sessiontoken.Tag{{Key: "team", Value: "session"}},
		TransitiveTagKeys: []string{"team"},
		Policy:            `{"Version":"2012-10-17","Statement":[]}`,
		SourceIdentity:    "alice",
	}
}

func TestResolveLongTermKeys(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		akid       string
		wantSecret string
		want       identity.Principal
	}{
		{"root", "AKIAROOT0000000000AA", "rootsecret", identity.Principal{Kind: identity.Root, AccountID: acct,
			ARN: "arn:aws:iam::" + acct + ":root", UserID: acct, CanonicalID: canonical, AccessKeyID: "AKIAROOT0000000000AA"}},
		{"user", "AKIAUSER0000000000AA", "usersecret", identity.Principal{Kind: identity.User, AccountID: acct,
			ARN: "arn:aws:iam::" + acct + ":user/eng/alice", UserID: "AIDAALICE", UserName: "alice",
			CanonicalID: canonical, AccessKeyID: "AKIAUSER0000000000AA", Tags: map[string]string{"team": "blue"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.res.Resolve(context.Background(), "s3", tt.akid, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Secret != tt.wantSecret || res.Session != nil {
				t.Fatalf("secret %q session %v", res.Secret, res.Session)
			}
			if !reflect.DeepEqual(*res.Principal, tt.want) {
				t.Fatalf("principal\n got %+v\nwant %+v", *res.Principal, tt.want)
			}
		})
	}
}

func TestResolveRefusals(t *testing.T) {
	f := newFixture(t)
	role := f.roleClaims()
	good := f.seal(t, role)
	raw, _ := base64.StdEncoding.DecodeString(good)
	raw[len(raw)-1] ^= 1
	tampered := base64.StdEncoding.EncodeToString(raw)
	expired := f.roleClaims()
	expired.Expires = f.now
	expiredTok := f.seal(t, expired)
	gst := &sessiontoken.Claims{Kind: sessiontoken.UserSession, AccountID: acct, AccessKeyID: "ASIAGST0000000000000",
		SecretAccessKey: "s", IssuedAt: f.now, Expires: f.now.Add(time.Hour), UserARN: "arn:aws:iam::" + acct + ":user/alice"}
	gstTok := f.seal(t, gst)

	tests := []struct {
		name, service, akid, token string
		reason                     Reason
		code                       *awserr.Code
		status                     int
		msg                        string
	}{
		{"unknown key s3", "s3", "AKIANOPE000000000000", "", UnknownKey, awserr.InvalidAccessKeyID, 403,
			"The AWS Access Key Id you provided does not exist in our records."},
		{"unknown key sts", "sts", "AKIANOPE000000000000", "", UnknownKey, awserr.InvalidClientTokenID, 403,
			"The security token included in the request is invalid."},
		{"inactive key", "s3", "AKIAOFF00000000000AA", "", UnknownKey, awserr.InvalidAccessKeyID, 403, ""},
		{"user gone", "iam", "AKIAGHOST000000000AA", "", UnknownKey, awserr.InvalidClientTokenID, 403, ""},
		{"session key without token", "s3", role.AccessKeyID, "", UnknownKey, awserr.InvalidAccessKeyID, 403, ""},
		{"tampered s3", "s3", role.AccessKeyID, tampered, BadToken, awserr.InvalidToken, 400,
			"The provided token is malformed or otherwise invalid."},
		{"tampered sts", "sts", role.AccessKeyID, tampered, BadToken, awserr.InvalidClientTokenID, 403, ""},
		{"garbage token", "s3", role.AccessKeyID, "not-a-token", BadToken, awserr.InvalidToken, 400, ""},
		{"token of another key", "s3", "ASIAOTHER00000000000", good, BadToken, awserr.InvalidToken, 400, ""},
		{"long-term key with token", "s3", "AKIAROOT0000000000AA", good, BadToken, awserr.InvalidToken, 400, ""},
		{"expired s3", "s3", expired.AccessKeyID, expiredTok, Expired, awserr.ExpiredToken, 400,
			"The provided token has expired."},
		{"expired iam", "iam", expired.AccessKeyID, expiredTok, Expired, awserr.ExpiredTokenQuery, 403,
			"The security token included in the request is expired"},
		{"GetSessionToken creds on IAM", "iam", gst.AccessKeyID, gstTok, Restricted, awserr.InvalidClientTokenID, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := f.res.Resolve(context.Background(), tt.service, tt.akid, tt.token)
			if err == nil {
				t.Fatalf("resolved %+v", res.Principal)
			}
			var pe *Error
			if !errors.As(err, &pe) || pe.Reason != tt.reason {
				t.Fatalf("error %v, want reason %v", err, tt.reason)
			}
			ae := awserr.From(err) // through Error.As
			if ae.Code != tt.code || ae.Status() != tt.status {
				t.Fatalf("wire error %s %d, want %s %d", ae.Code.Name, ae.Status(), tt.code.Name, tt.status)
			}
			if tt.msg != "" && ae.Msg() != tt.msg {
				t.Fatalf("message %q, want %q", ae.Msg(), tt.msg)
			}
			if tt.token != "" && len(tt.token) > 8 && strings.Contains(err.Error(), tt.token) {
				t.Fatal("Error() contains the session token")
			}
		})
	}
}

func TestS3ErrorsCarryAWSFields(t *testing.T) {
	f := newFixture(t)
	_, err := f.res.Resolve(context.Background(), "s3", "AKIANOPE000000000000", "")
	if ae := awserr.From(err); len(ae.Fields) != 1 || ae.Fields[0] != (awserr.Field{Name: "AWSAccessKeyId", Value: "AKIANOPE000000000000"}) {
		t.Fatalf("fields %v", ae.Fields)
	}
	_, err = f.res.Resolve(context.Background(), "s3", "ASIAX", "bogus")
	if ae := awserr.From(err); len(ae.Fields) != 1 || ae.Fields[0].Name != "Token-0" || ae.Fields[0].Value != "bogus" {
		t.Fatalf("fields %v", ae.Fields)
	}
	if got := ForService(err, "sts"); awserr.From(got).Code != awserr.InvalidClientTokenID {
		t.Fatalf("ForService(sts) = %v", got)
	}
	other := errors.New("x")
	if ForService(other, "s3") != other {
		t.Fatal("ForService changed a foreign error")
	}
	if http.StatusForbidden != awserr.From(ForService(err, "iam")).Status() {
		t.Fatal("iam status")
	}
}

func TestResolveSessions(t *testing.T) {
	f := newFixture(t)
	role := f.roleClaims()
	roleTok := f.seal(t, role)
	user := &sessiontoken.Claims{Kind: sessiontoken.UserSession, AccountID: acct, CanonicalID: canonical,
		AccessKeyID: "ASIAUSERSESSION00000", SecretAccessKey: "us", IssuedAt: f.now, Expires: f.now.Add(36 * time.Hour),
		UserARN: "arn:aws:iam::" + acct + ":user/eng/alice", UserID: "AIDAALICE", UserName: "alice",
		IdentityTags: []sessiontoken.Tag{{Key: "team", Value: "blue"}}, MFA: true}
	userTok := f.seal(t, user)
	root := &sessiontoken.Claims{Kind: sessiontoken.RootSession, AccountID: acct, CanonicalID: canonical,
		AccessKeyID: "ASIAROOTSESSION00000", SecretAccessKey: "rs", IssuedAt: f.now, Expires: f.now.Add(time.Hour)}
	rootTok := f.seal(t, root)

	tests := []struct {
		name, service, akid, token, secret string
		want                               identity.Principal
	}{
		{"assumed role", "s3", role.AccessKeyID, roleTok, "sessionsecret", identity.Principal{
			Kind: identity.AssumedRole, AccountID: acct, CanonicalID: canonical,
			ARN: "arn:aws:sts::" + acct + ":assumed-role/deploy/ci", UserID: "AROADEPLOY:ci",
			AccessKeyID: role.AccessKeyID, RoleARN: role.RoleARN, SessionToken: roleTok, TokenIssueTime: f.now,
			Tags: map[string]string{"team": "session", "env": "prod"}}},
		{"user session with MFA may call IAM", "iam", user.AccessKeyID, userTok, "us", identity.Principal{
			Kind: identity.User, AccountID: acct, CanonicalID: canonical, ARN: user.UserARN, UserID: "AIDAALICE",
			UserName: "alice", AccessKeyID: user.AccessKeyID, SessionToken: userTok, TokenIssueTime: f.now,
			Tags: map[string]string{"team": "blue"}}},
		{"root session", "sts", root.AccessKeyID, rootTok, "rs", identity.Principal{
			Kind: identity.Root, AccountID: acct, CanonicalID: canonical, ARN: "arn:aws:iam::" + acct + ":root",
			UserID: acct, AccessKeyID: root.AccessKeyID, SessionToken: rootTok, TokenIssueTime: f.now}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.accs.reads.Load()
			res, err := f.res.Resolve(context.Background(), tt.service, tt.akid, tt.token)
			if err != nil {
				t.Fatal(err)
			}
			if f.accs.reads.Load() != before {
				t.Fatal("session resolution read the store")
			}
			if res.Secret != tt.secret {
				t.Fatalf("secret %q, want %q", res.Secret, tt.secret)
			}
			if !reflect.DeepEqual(*res.Principal, tt.want) {
				t.Fatalf("principal\n got %+v\nwant %+v", *res.Principal, tt.want)
			}
			if res.Session == nil || res.Session.IssuedAt != f.now {
				t.Fatalf("session %+v", res.Session)
			}
		})
	}

	res, _ := f.res.Resolve(context.Background(), "s3", role.AccessKeyID, roleTok)
	s := res.Session
	if !s.IsAssumedRole() || s.IsGetSessionToken() || !s.HasPolicies() || s.SourceIdentity != "alice" ||
		s.RoleARN != role.RoleARN || s.SessionName != "ci" {
		t.Fatalf("session %+v", s)
	}
	if got := s.TransitiveTags(); !reflect.DeepEqual(got, []sessiontoken.Tag{{Key: "team", Value: "session"}}) {
		t.Fatalf("transitive tags %v", got)
	}
}

func TestRinglessResolverRefusesSessions(t *testing.T) {
	f := newFixture(t)
	tok := f.seal(t, f.roleClaims())
	r := New(Config{Accounts: f.accs})
	_, err := r.Resolve(context.Background(), "s3", "ASIAROLE000000000000", tok)
	var pe *Error
	if !errors.As(err, &pe) || pe.Reason != BadToken {
		t.Fatalf("err %v", err)
	}
}

func TestCacheNoNegativeCachingAndExpiry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	const id = "AKIALATE000000000000"
	if _, err := f.res.Resolve(ctx, "s3", id, ""); err == nil {
		t.Fatal("unknown key resolved")
	}
	// Another process creates the key: the very next request works.
	f.accs.put(&store.AccessKey{ID: id, Secret: "late", AccountID: acct, Status: "Active"})
	if _, err := f.res.Resolve(ctx, "s3", id, ""); err != nil {
		t.Fatalf("key created after a miss: %v", err)
	}
	reads := f.accs.reads.Load()
	for range 3 {
		if _, err := f.res.Resolve(ctx, "s3", id, ""); err != nil {
			t.Fatal(err)
		}
	}
	if f.accs.reads.Load() != reads {
		t.Fatal("cached key read the store again")
	}
	// Deactivated elsewhere: seen once the entry expires.
	f.accs.put(&store.AccessKey{ID: id, Secret: "late", AccountID: acct, Status: "Inactive"})
	if _, err := f.res.Resolve(ctx, "s3", id, ""); err != nil {
		t.Fatal("entry dropped before its minute")
	}
	f.now = f.now.Add(time.Minute)
	if _, err := f.res.Resolve(ctx, "s3", id, ""); err == nil {
		t.Fatal("expired entry still served a deactivated key")
	}
}

func TestForget(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, id := range []string{"AKIAROOT0000000000AA", "AKIAUSER0000000000AA"} {
		if _, err := f.res.Resolve(ctx, "s3", id, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.accs.put(&store.AccessKey{ID: "AKIAROOT0000000000AA", AccountID: acct, Status: "Inactive"})
	f.accs.put(&store.AccessKey{ID: "AKIAUSER0000000000AA", AccountID: acct, UserName: "alice", Status: "Inactive"})
	f.res.Forget("AKIAROOT0000000000AA")
	f.res.ForgetUser(acct, "alice")
	for _, id := range []string{"AKIAROOT0000000000AA", "AKIAUSER0000000000AA"} {
		if _, err := f.res.Resolve(ctx, "s3", id, ""); err == nil {
			t.Fatalf("%s still resolves after Forget", id)
		}
	}
}

func TestStoreFailureIsInternal(t *testing.T) {
	f := newFixture(t)
	f.accs.fail = errors.New("disk on fire")
	_, err := f.res.Resolve(context.Background(), "s3", "AKIAROOT0000000000AA", "")
	if ae := awserr.From(err); ae.Code != awserr.InternalError {
		t.Fatalf("err %v", err)
	}
}

func TestCacheBound(t *testing.T) {
	f := newFixture(t)
	f.res = New(Config{Accounts: f.accs, Now: func() time.Time { return f.now }, MaxEntries: 2})
	ctx := context.Background()
	for i := range 5 {
		id := fmt.Sprintf("AKIABOUND%011d", i)
		f.accs.put(&store.AccessKey{ID: id, Secret: "s", AccountID: acct, Status: "Active"})
		if _, err := f.res.Resolve(ctx, "s3", id, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.res.mu.RLock()
	n := len(f.res.entries)
	f.res.mu.RUnlock()
	if n > 2 {
		t.Fatalf("%d cache entries, bound is 2", n)
	}
}

func TestLookupAdapter(t *testing.T) {
	f := newFixture(t)
	var got *Resolved
	lookup := f.res.Lookup("s3", &got)
	secret, err := lookup(context.Background(), "AKIAROOT0000000000AA", "")
	if err != nil || secret != "rootsecret" || got == nil || got.Principal.Kind != identity.Root {
		t.Fatalf("secret %q err %v got %+v", secret, err, got)
	}
	got = nil
	if _, err := lookup(context.Background(), "AKIANOPE000000000000", ""); err == nil || got != nil {
		t.Fatalf("err %v got %+v", err, got)
	}
}

func TestMergeTagsAndARNs(t *testing.T) {
	got := MergeTags([]sessiontoken.Tag{{Key: "Team", Value: "a"}, {Key: "x", Value: "1"}},
		[]sessiontoken.Tag{{Key: "team", Value: "b"}})
	if !reflect.DeepEqual(got, map[string]string{"team": "b", "x": "1"}) {
		t.Fatalf("MergeTags = %v", got)
	}
	if MergeTags(nil, nil) != nil {
		t.Fatal("MergeTags of nothing is not nil")
	}
	arns := map[string][2]string{
		"arn:aws:iam::123456789012:role/r":             {"r", "arn:aws:sts::123456789012:assumed-role/r/s"},
		"arn:aws:iam::123456789012:role/a/b/r":         {"r", "arn:aws:sts::123456789012:assumed-role/r/s"},
		"arn:aws-cn:iam::123456789012:role/service/rr": {"rr", "arn:aws-cn:sts::123456789012:assumed-role/rr/s"},
	}
	for in, want := range arns {
		if RoleName(in) != want[0] || AssumedRoleARN(in, "s") != want[1] {
			t.Fatalf("%s: %q %q", in, RoleName(in), AssumedRoleARN(in, "s"))
		}
	}
	if RoleName("arn:aws:iam::1:user/u") != "" {
		t.Fatal("RoleName of a user ARN")
	}
}

func TestSessionContextKeysAndContext(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := &Session{MFA: true, IssuedAt: now.Add(-90 * time.Second), SourceIdentity: "alice"}
	want := map[string][]string{"aws:MultiFactorAuthPresent": {"true"}, "aws:MultiFactorAuthAge": {"90"},
		"aws:SourceIdentity": {"alice"}}
	if got := s.ContextKeys(now); !reflect.DeepEqual(got, want) {
		t.Fatalf("ContextKeys = %v", got)
	}
	if got := (&Session{}).ContextKeys(now); !reflect.DeepEqual(got, map[string][]string{"aws:MultiFactorAuthPresent": {"false"}}) {
		t.Fatalf("ContextKeys without MFA = %v", got)
	}
	ctx := WithSession(context.Background(), s)
	if SessionFrom(ctx) != s || SessionFrom(context.Background()) != nil {
		t.Fatal("session context round trip")
	}
	if WithSession(ctx, nil) != ctx {
		t.Fatal("WithSession(nil) changed the context")
	}
}
