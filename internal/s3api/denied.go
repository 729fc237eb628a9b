package s3api

import (
	"context"
	"net/http"
	"strings"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
)

// AccessDenied messages follow "Troubleshoot access denied (403 Forbidden)
// errors in Amazon S3" ("Access denied message examples"): for a request
// within one account S3 names the principal, the action, the resource and
// the policy type that denied, e.g.
//
//	User: arn:aws:iam::111122223333:user/mary is not authorized to perform:
//	s3:GetObject on resource: "arn:aws:s3:::bucket/key" because no
//	identity-based policy allows the s3:GetObject action
//
// Cross-account and anonymous requests get the plain "Access Denied".

// deniedError is the AccessDenied for a refused decision d of principal p
// on action and resource.
func deniedError(p *identity.Principal, info *identity.Request, action, resource string, d *authz.Decision) *awserr.Error {
	if msg := deniedMessage(p, info, action, resource, d); msg != "" {
		return awserr.New(awserr.AccessDenied, msg)
	}
	return awserr.New(awserr.AccessDenied)
}

// deniedMessage returns the enhanced message, or "" for the plain one.
func deniedMessage(p *identity.Principal, info *identity.Request, action, resource string, d *authz.Decision) string {
	if d == nil || d.Allowed || d.CrossAccount || p == nil || p.IsAnonymous() || p.ARN == "" || d.Policy == nil {
		return ""
	}
	why := ""
	switch pd := d.Policy; {
	case !pd.Allowed && policyTypeName(pd.By.Type) == "":
		return ""
	case !pd.Allowed && pd.Reason == policy.ReasonExplicitDeny:
		why = "with an explicit deny in " + article(policyTypeName(pd.By.Type))
	case !pd.Allowed:
		why = "because no " + policyTypeName(pd.By.Type) + " allows the " + action + " action"
	case info != nil && info.VPCEndpointPolicy != "" && strings.Contains(d.Reason, "endpoint policy"):
		// The policy engine allowed; the VPC endpoint policy did not.
		if strings.Contains(d.Reason, "explicitly denied") {
			why = "with an explicit deny in a VPC endpoint policy"
		} else {
			why = "because no VPC endpoint policy allows the " + action + " action"
		}
	default:
		// Refused by S3's own rules (Block Public Access, object
		// ownership, ACLs): S3 sends the plain message.
		return ""
	}
	return "User: " + p.ARN + " is not authorized to perform: " + action + " on resource: \"" + resource + "\" " + why
}

// policyTypeName is the policy type as the messages name it.
func policyTypeName(t policy.PolicyType) string {
	switch t {
	case policy.TypeIdentity:
		return "identity-based policy"
	case policy.TypeResource:
		return "resource-based policy"
	case policy.TypeBoundary:
		return "permissions boundary"
	case policy.TypeSession:
		return "session policy"
	case policy.TypeSCP:
		return "service control policy"
	case policy.TypeRCP:
		return "resource control policy"
	}
	return ""
}

func article(s string) string {
	if strings.IndexByte("aeiou", s[0]) >= 0 {
		return "an " + s
	}
	return "a " + s
}

// denials remembers the last authorization of a request, so that an
// AccessDenied returned by any handler after a refused decision carries
// that decision's message (one place for all handlers).
type denials struct {
	p        *identity.Principal
	info     *identity.Request
	action   string
	resource string
	d        *authz.Decision // nil when the last decision allowed
}

type denialsKey struct{}

// withDenials attaches a fresh record to r's context.
func withDenials(r *http.Request) (*http.Request, *denials) {
	rec := &denials{}
	return r.WithContext(context.WithValue(r.Context(), denialsKey{}, rec)), rec
}

// record notes a decision (ctx without a record: nothing to do).
func recordDecision(ctx context.Context, req *authz.Request, d *authz.Decision) {
	rec, _ := ctx.Value(denialsKey{}).(*denials)
	if rec == nil {
		return
	}
	if d.Allowed {
		rec.d = nil
		return
	}
	rec.p, rec.info, rec.action, rec.resource = req.Principal, req.Info, req.Action, req.Resource
	cp := *d
	rec.d = &cp
}

// explain gives a bare AccessDenied (default message) the message of the
// last refused decision; any other error is returned as it is.
func (rec *denials) explain(err error) error {
	if rec == nil || rec.d == nil {
		return err
	}
	e, ok := err.(*awserr.Error)
	if !ok || e.Code != awserr.AccessDenied || e.Message != "" {
		return err
	}
	if msg := deniedMessage(rec.p, rec.info, rec.action, rec.resource, rec.d); msg != "" {
		cp := *e
		cp.Message = msg
		return &cp
	}
	return err
}
