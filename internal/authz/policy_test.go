package authz

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

type fixedSources map[string]*PrincipalPolicies

func (f fixedSources) PrincipalPolicies(_ context.Context, p *identity.Principal) (*PrincipalPolicies, error) {
	if pp := f[p.ARN]; pp != nil {
		return pp, nil
	}
	return &PrincipalPolicies{}, nil
}

func mustPolicy(t *testing.T, doc string, kind policy.Kind) *policy.Policy {
	t.Helper()
	p, err := policy.Parse(doc, kind, nil)
	if err != nil {
		t.Fatalf("parse %s: %v", doc, err)
	}
	return p
}

func root(acct string) *identity.Principal {
	return &identity.Principal{Kind: identity.Root, AccountID: acct, ARN: "arn:aws:iam::" + acct + ":root", UserID: acct}
}

func user(acct, name string) *identity.Principal {
	return &identity.Principal{Kind: identity.User, AccountID: acct, ARN: "arn:aws:iam::" + acct + ":user/" + name, UserID: "AIDA" + name, UserName: name}
}

func TestPoliciesAuthorize(t *testing.T) {
	const owner, other = "111122223333", "444455556666"
	getObj := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	alice := user(other, "alice")
	bob := user(other, "bob")
	src := fixedSources{alice.ARN: {Identity: []policy.NamedPolicy{{Name: "read", Policy: mustPolicy(t, getObj, policy.KindIdentity)}}}}
	a := NewPolicies(src, nil)

	crossPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`
	vpceDeny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`
	info := &identity.Request{Received: time.Now(), SourceIP: netip.MustParseAddr("127.0.0.1")}
	viaVPCE := &identity.Request{Received: time.Now(), SourceIP: netip.MustParseAddr("127.0.0.1"), VPCEndpoint: "vpce-1a2b3c4d"}

	cases := []struct {
		name    string
		p       *identity.Principal
		policy  string
		info    *identity.Request
		allowed bool
		explain string
	}{
		{"owner root, no policy", root(owner), "", info, true, ""},
		{"other root, no policy", root(other), "", info, false, "crosses accounts"},
		{"anonymous, no policy", &identity.Principal{Kind: identity.Anonymous}, "", info, false, ""},
		{"other root, bucket policy names its account", root(other), crossPolicy, info, true, ""},
		{"user of other account with IAM allow + bucket policy", alice, crossPolicy, info, true, ""},
		{"user of other account without IAM allow", bob, crossPolicy, info, false, ""},
		{"owner root denied off the VPC endpoint", root(owner), vpceDeny, info, false, "explicit"},
		{"owner root allowed through the VPC endpoint", root(owner), vpceDeny, viaVPCE, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &store.Bucket{Name: "b", AccountID: owner, Policy: tc.policy}
			d := a.Authorize(context.Background(), &Request{Principal: tc.p, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::b/k", ResourceAccount: owner, Bucket: b, Info: tc.info})
			if d.Allowed != tc.allowed {
				t.Fatalf("allowed = %v, want %v: %s", d.Allowed, tc.allowed, d.Reason)
			}
			if tc.explain != "" && !strings.Contains(d.Reason, tc.explain) {
				t.Fatalf("reason %q lacks %q", d.Reason, tc.explain)
			}
		})
	}
}

func TestPoliciesTrustPolicy(t *testing.T) {
	const roleAcct, caller = "111122223333", "444455556666"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + caller + `:root"},"Action":"sts:AssumeRole"}]}`
	assume := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::` + roleAcct + `:role/r"}]}`
	alice, bob := user(caller, "alice"), user(caller, "bob")
	a := NewPolicies(fixedSources{alice.ARN: {Identity: []policy.NamedPolicy{{Name: "assume", Policy: mustPolicy(t, assume, policy.KindIdentity)}}}}, nil)
	for _, tc := range []struct {
		p       *identity.Principal
		allowed bool
	}{{alice, true}, {bob, false}, {root(caller), true}, {root("999999999999"), false}} {
		d := a.Authorize(context.Background(), &Request{Principal: tc.p, Action: "sts:AssumeRole",
			Resource: "arn:aws:iam::" + roleAcct + ":role/r", ResourceAccount: roleAcct,
			ResourcePolicy: trust, ResourcePolicyName: "trust policy of role r"})
		if d.Allowed != tc.allowed {
			t.Errorf("%s: allowed = %v, want %v: %s", tc.p.ARN, d.Allowed, tc.allowed, d.Reason)
		}
	}
}

func TestRequestContextKeys(t *testing.T) {
	p := &identity.Principal{Kind: identity.AssumedRole, AccountID: "111122223333", ARN: "arn:aws:sts::111122223333:assumed-role/r/s",
		RoleARN: "arn:aws:iam::111122223333:role/r", UserID: "AROAEXAMPLE:s", Tags: map[string]string{"team": "blue"}, TokenIssueTime: time.Unix(1700000000, 0)}
	c := RequestContext(&Request{Principal: p, ResourceAccount: "444455556666",
		Info:    &identity.Request{Secure: true, SourceIP: netip.MustParseAddr("10.1.2.3"), Auth: identity.Auth{Region: "eu-west-1", Service: "s3", Method: "REST-HEADER", SignatureVersion: "AWS4-HMAC-SHA256"}},
		Context: map[string][]string{"s3:prefix": {"home/"}}})
	want := map[string]string{
		"aws:PrincipalArn": "arn:aws:iam::111122223333:role/r", "aws:PrincipalType": "AssumedRole", "aws:userid": "AROAEXAMPLE:s",
		"aws:PrincipalTag/team": "blue", "aws:SecureTransport": "true", "aws:SourceIp": "10.1.2.3", "aws:RequestedRegion": "eu-west-1",
		"aws:ResourceAccount": "444455556666", "aws:TokenIssueTime": "2023-11-14T22:13:20Z", "s3:authType": "REST-HEADER", "s3:prefix": "home/",
	}
	for k, v := range want {
		got, ok := c.Get(k)
		if !ok || len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q (present %v), want %q", k, got, ok, v)
		}
	}
	if _, ok := c.Get("aws:SourceVpce"); ok {
		t.Error("aws:SourceVpce set on the main listener")
	}
}

func TestEndpointPolicy(t *testing.T) {
	const owner = "111122223333"
	a := NewPolicies(nil, nil)
	epPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::allowed/*"}]}`
	for _, tc := range []struct {
		resource string
		allowed  bool
	}{{"arn:aws:s3:::allowed/k", true}, {"arn:aws:s3:::other/k", false}} {
		d := a.Authorize(context.Background(), &Request{Principal: root(owner), Action: "s3:GetObject", Resource: tc.resource,
			ResourceAccount: owner, Info: &identity.Request{VPCEndpoint: "vpce-1", VPCEndpointPolicy: epPolicy}})
		if d.Allowed != tc.allowed {
			t.Errorf("%s: allowed %v, want %v (%s)", tc.resource, d.Allowed, tc.allowed, d.Reason)
		}
		if !tc.allowed && !strings.Contains(d.Reason, "endpoint policy of vpce-1") {
			t.Errorf("reason %q does not name the endpoint policy", d.Reason)
		}
	}
}
