package s3api

import (
	"testing"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
)

func TestDeniedMessage(t *testing.T) {
	user := &identity.Principal{Kind: identity.User, AccountID: "111122223333", ARN: "arn:aws:iam::111122223333:user/mary"}
	const act, res = "s3:GetObject", "arn:aws:s3:::b/k"
	pre := `User: arn:aws:iam::111122223333:user/mary is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" `
	pd := func(r policy.Reason, typ policy.PolicyType) *policy.Decision {
		return &policy.Decision{Reason: r, By: policy.Match{Type: typ}}
	}
	ep := &identity.Request{VPCEndpoint: "vpce-1", VPCEndpointPolicy: "{}"}
	for _, tc := range []struct {
		name string
		p    *identity.Principal
		info *identity.Request
		d    authz.Decision
		want string
	}{
		{"implicit identity", user, nil, authz.Decision{Policy: pd(policy.ReasonImplicitDeny, policy.TypeIdentity)}, pre + "because no identity-based policy allows the s3:GetObject action"},
		{"explicit resource", user, nil, authz.Decision{Policy: pd(policy.ReasonExplicitDeny, policy.TypeResource)}, pre + "with an explicit deny in a resource-based policy"},
		{"implicit resource", user, nil, authz.Decision{Policy: pd(policy.ReasonImplicitDeny, policy.TypeResource)}, pre + "because no resource-based policy allows the s3:GetObject action"},
		{"explicit identity", user, nil, authz.Decision{Policy: pd(policy.ReasonExplicitDeny, policy.TypeIdentity)}, pre + "with an explicit deny in an identity-based policy"},
		{"boundary", user, nil, authz.Decision{Policy: pd(policy.ReasonImplicitDeny, policy.TypeBoundary)}, pre + "because no permissions boundary allows the s3:GetObject action"},
		{"explicit session", user, nil, authz.Decision{Policy: pd(policy.ReasonExplicitDeny, policy.TypeSession)}, pre + "with an explicit deny in a session policy"},
		{"scp", user, nil, authz.Decision{Policy: pd(policy.ReasonImplicitDeny, policy.TypeSCP)}, pre + "because no service control policy allows the s3:GetObject action"},
		{"endpoint explicit", user, ep, authz.Decision{Reason: "denied: explicitly denied by statement #1 of the endpoint policy of vpce-1", Policy: &policy.Decision{Allowed: true}}, pre + "with an explicit deny in a VPC endpoint policy"},
		{"endpoint implicit", user, ep, authz.Decision{Reason: "denied: no statement in the endpoint policy of vpce-1 allows", Policy: &policy.Decision{Allowed: true}}, pre + "because no VPC endpoint policy allows the s3:GetObject action"},
		{"cross-account", user, nil, authz.Decision{CrossAccount: true, Policy: pd(policy.ReasonImplicitDeny, policy.TypeResource)}, ""},
		{"anonymous", &identity.Principal{Kind: identity.Anonymous}, nil, authz.Decision{Policy: pd(policy.ReasonImplicitDeny, policy.TypeResource)}, ""},
		{"s3 rules (policy allowed)", user, nil, authz.Decision{Policy: &policy.Decision{Allowed: true}}, ""},
		{"no engine decision", user, nil, authz.Decision{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := deniedMessage(tc.p, tc.info, act, res, &tc.d); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
			e := deniedError(tc.p, tc.info, act, res, &tc.d)
			if want := tc.want; want == "" && e.Msg() != "Access Denied" || want != "" && e.Msg() != want {
				t.Fatalf("error message %q", e.Msg())
			}
		})
	}
}
