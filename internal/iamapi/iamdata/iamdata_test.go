package iamdata_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/iamapi/awspolicies"
	"github.com/crossbucket/crossbucket/internal/iamapi/iamdata"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

const acct = "111111111111"

func setup(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	ctx := tb.Context()
	st, err := sqlstore.Open(ctx, filepath.Join(tb.TempDir(), "meta.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	now := time.Now()
	check := func(what string, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
	}
	check("account", st.CreateAccount(ctx, &store.Account{ID: acct, CanonicalID: strings.Repeat("c", 64), CreatedAt: now}))
	check("user", st.CreateUser(ctx, &store.IAMUser{AccountID: acct, Name: "alice", Path: "/eng/", ID: "AIDAALICE", CreatedAt: now,
		PermissionsBoundary: "arn:aws:iam::aws:policy/AmazonS3FullAccess", Tags: []store.Tag{{Key: "team", Value: "blue"}}}))
	check("group", st.CreateGroup(ctx, &store.IAMGroup{AccountID: acct, Name: "devs", Path: "/", ID: "AGPADEVS", CreatedAt: now}))
	check("member", st.AddUserToGroup(ctx, acct, "devs", "alice", 10))
	check("policy", st.CreatePolicy(ctx, &store.ManagedPolicy{AccountID: acct, Name: "team", Path: "/", ID: "ANPATEAM", CreatedAt: now, UpdatedAt: now}, `{"team":1}`))
	check("user inline", st.PutInlinePolicy(ctx, acct, store.UserEntity, "alice", &store.InlinePolicy{Name: "mine", Document: `{"user":1}`, Size: 10}, 2048))
	check("user attach", st.AttachPolicy(ctx, acct, store.UserEntity, "alice", "arn:aws:iam::aws:policy/IAMReadOnlyAccess", 10))
	check("group inline", st.PutInlinePolicy(ctx, acct, store.GroupEntity, "devs", &store.InlinePolicy{Name: "g", Document: `{"group":1}`, Size: 11}, 5120))
	check("group attach", st.AttachPolicy(ctx, acct, store.GroupEntity, "devs", "arn:aws:iam::111111111111:policy/team", 10))
	check("role", st.CreateRole(ctx, &store.IAMRole{AccountID: acct, Name: "app", Path: "/svc/", ID: "AROAAPP", CreatedAt: now,
		AssumeRolePolicy: `{"trust":1}`, MaxSessionDuration: 7200, Tags: []store.Tag{{Key: "a", Value: "b"}}}))
	check("role inline", st.PutInlinePolicy(ctx, acct, store.RoleEntity, "app", &store.InlinePolicy{Name: "r", Document: `{"role":1}`, Size: 10}, 10240))
	return st
}

func names(p *iamdata.Policies) []string {
	var out []string
	for _, d := range p.Identity {
		out = append(out, d.Name)
	}
	return out
}

func TestUserPolicies(t *testing.T) {
	st := setup(t)
	r := iamdata.New(st)
	p, err := r.UserPolicies(t.Context(), acct, "ALICE")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"user/alice inline mine", "arn:aws:iam::aws:policy/IAMReadOnlyAccess", "group/devs inline g", "arn:aws:iam::111111111111:policy/team"}
	if !reflect.DeepEqual(names(p), want) {
		t.Fatalf("UserPolicies = %v, want %v", names(p), want)
	}
	if p.Identity[1].Document != awspolicies.Get("arn:aws:iam::aws:policy/IAMReadOnlyAccess").Document || p.Identity[3].Document != `{"team":1}` {
		t.Fatalf("documents = %+v", p.Identity)
	}
	if p.Boundary == nil || !strings.Contains(p.Boundary.Document, `"s3:*"`) {
		t.Fatalf("boundary = %+v", p.Boundary)
	}
	// Cached until the account's IAM state changes, then fresh.
	again, _ := r.UserPolicies(t.Context(), acct, "alice")
	if again != p {
		t.Error("second call was not served from the cache")
	}
	if _, err := st.CreatePolicyVersion(t.Context(), acct, "team", `{"team":2}`, true, 5, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, _ = r.UserPolicies(t.Context(), acct, "alice")
	if p.Identity[3].Document != `{"team":2}` {
		t.Fatalf("after a new default version: %q", p.Identity[3].Document)
	}
	if err := st.RemoveUserFromGroup(t.Context(), acct, "devs", "alice"); err != nil {
		t.Fatal(err)
	}
	p, _ = r.UserPolicies(t.Context(), acct, "alice")
	if len(p.Identity) != 2 {
		t.Fatalf("after leaving the group: %v", names(p))
	}
	_, err = r.UserPolicies(t.Context(), acct, "bob")
	if !errors.Is(err, iamdata.ErrNotFound) {
		t.Fatalf("missing user: %v", err)
	}
}

func TestRoles(t *testing.T) {
	st := setup(t)
	r := iamdata.New(st)
	ro, err := r.RoleByARN(t.Context(), "arn:aws:iam::111111111111:role/svc/app")
	if err != nil {
		t.Fatal(err)
	}
	if ro.ID != "AROAAPP" || ro.TrustPolicy != `{"trust":1}` || ro.MaxSessionDuration != 7200 || ro.Tags["a"] != "b" {
		t.Fatalf("RoleByARN = %+v", ro)
	}
	for _, bad := range []string{"arn:aws:iam::111111111111:role/app", "arn:aws:iam::222222222222:role/svc/app", "arn:aws:iam::111111111111:user/svc/app", "nonsense"} {
		if _, err := r.RoleByARN(t.Context(), bad); !errors.Is(err, iamdata.ErrNotFound) {
			t.Errorf("RoleByARN(%s) = %v", bad, err)
		}
	}
	p, err := r.RolePolicies(t.Context(), acct, "app")
	if err != nil || len(p.Identity) != 1 || p.Boundary != nil {
		t.Fatalf("RolePolicies = %+v, %v", p, err)
	}
}

func TestUserPrincipal(t *testing.T) {
	st := setup(t)
	r := iamdata.New(st)
	a, _ := st.GetAccount(t.Context(), acct)
	p, err := r.UserPrincipal(t.Context(), &store.AccessKey{ID: "AKIAX", AccountID: acct, UserName: "alice"}, a)
	if err != nil {
		t.Fatal(err)
	}
	want := &identity.Principal{Kind: identity.User, AccountID: acct, CanonicalID: a.CanonicalID, AccessKeyID: "AKIAX",
		ARN: "arn:aws:iam::111111111111:user/eng/alice", UserID: "AIDAALICE", UserName: "alice", Tags: map[string]string{"team": "blue"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("UserPrincipal = %+v", p)
	}
	if _, err := r.UserPrincipal(t.Context(), &store.AccessKey{ID: "AKIAY", AccountID: acct, UserName: "gone"}, a); !errors.Is(err, iamdata.ErrNotFound) {
		t.Fatalf("key of a missing user: %v", err)
	}
}

// BenchmarkUserPoliciesCached measures the hot path: one version read and
// a cache hit.
func BenchmarkUserPoliciesCached(b *testing.B) {
	st := setup(b)
	r := iamdata.New(st)
	ctx := b.Context()
	if _, err := r.UserPolicies(ctx, acct, "alice"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.UserPolicies(ctx, acct, "alice"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUserPoliciesUncached measures gathering after every change.
func BenchmarkUserPoliciesUncached(b *testing.B) {
	st := setup(b)
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iamdata.New(st).UserPolicies(ctx, acct, "alice"); err != nil {
			b.Fatal(err)
		}
	}
}
