package authz

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
)

// PrincipalPolicies are the identity-side policies that apply to a principal.
type PrincipalPolicies struct {
	Identity []policy.NamedPolicy
	Boundary *policy.NamedPolicy
	Session  []policy.NamedPolicy
	// Context holds condition keys that come with the principal's
	// credentials (aws:MultiFactorAuthPresent, aws:SourceIdentity, …).
	Context map[string][]string
}

// Sources gives the authorizer the identity-side policies of a principal
// (IAM user and role policies, boundaries, session policies). It is
// called on every request, so implementations cache.
type Sources interface {
	PrincipalPolicies(ctx context.Context, p *identity.Principal) (*PrincipalPolicies, error)
}

// Policies decides requests with the policy engine: the principal's
// identity-side policies and the resource's policy, under AWS's evaluation
// logic, with every decision explained.
type Policies struct {
	// Sources may be nil: then only account roots have identity-side permissions.
	Sources Sources
	// Cache holds compiled resource policies by content.
	Cache *policy.Cache
	// Log receives evaluation failures (never secrets).
	Log *slog.Logger
}

var _ Authorizer = (*Policies)(nil)

// NewPolicies returns a policy-engine authorizer.
func NewPolicies(src Sources, log *slog.Logger) *Policies {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Policies{Sources: src, Cache: policy.NewCache(10_000), Log: log}
}

// Authorize implements Authorizer.
func (a *Policies) Authorize(ctx context.Context, req *Request) Decision {
	pp := PolicyPrincipal(req.Principal)
	in := &policy.Input{}
	var credContext map[string][]string
	if a.Sources != nil && !req.Principal.IsAnonymous() {
		ps, err := a.Sources.PrincipalPolicies(ctx, req.Principal)
		if err != nil {
			a.Log.Warn("loading principal policies", "principal", req.Principal.ARN, "err", err)
			return Decision{Reason: "denied: the policies of " + req.Principal.ARN + " could not be loaded: " + err.Error()}
		}
		in.Identity, in.Boundary, in.Session, credContext = ps.Identity, ps.Boundary, ps.Session, ps.Context
	}
	if res, denied := a.resourcePolicy(req); denied != nil {
		return *denied
	} else if res != nil {
		in.Resource = res
	}
	preq := &policy.Request{
		Principal:       pp,
		Action:          req.Action,
		Resource:        req.Resource,
		ResourceAccount: req.ResourceAccount,
		Context:         RequestContext(req),
	}
	for k, v := range credContext {
		preq.Context.Set(k, v...)
	}
	d := policy.Evaluate(in, preq)
	out := Decision{Allowed: d.Allowed, Reason: d.Explain(), CrossAccount: d.CrossAccount, Policy: &d}
	if req.Bucket != nil && strings.HasPrefix(req.Action, "s3:") {
		out = a.s3Decision(req, in, preq, d)
	}
	if req.Info != nil && req.Info.VPCEndpointPolicy != "" {
		a.endpointPolicy(req, preq, &out)
	}
	return out
}

// endpointPolicy applies a VPC endpoint's policy: it must allow the request
// and must not deny it ("Control access to VPC endpoints using endpoint
// policies"), whatever the other policies say.
func (a *Policies) endpointPolicy(req *Request, preq *policy.Request, out *Decision) {
	name := "endpoint policy of " + req.Info.VPCEndpoint
	p, err := a.Cache.Parse(req.Info.VPCEndpointPolicy, policy.KindResource, nil)
	if err != nil {
		out.Allowed, out.Reason = false, "denied: the "+name+" could not be evaluated"
		return
	}
	r := policy.EvaluatePolicies([]policy.NamedPolicy{{Name: name, Policy: p}}, preq)
	switch r.Effect {
	case policy.Deny:
		out.Allowed, out.Reason = false, fmt.Sprintf("denied: explicitly denied by %s of the %s", r.Statement.Label(), name)
	case policy.NoMatch:
		out.Allowed, out.Reason = false, fmt.Sprintf("denied: no statement in the %s allows %s on %s", name, req.Action, req.Resource)
	}
}

// resourcePolicy returns the resource-based policy that applies: the one
// given with the request (a trust policy) or the bucket's policy.
func (a *Policies) resourcePolicy(req *Request) (*policy.NamedPolicy, *Decision) {
	doc, name, kind := req.ResourcePolicy, req.ResourcePolicyName, policy.KindResource
	if doc != "" && req.Action == "sts:AssumeRole" {
		kind = policy.KindTrust
	}
	if doc == "" && req.Bucket != nil && req.Bucket.Policy != "" {
		doc, name = req.Bucket.Policy, "bucket policy of "+req.Bucket.Name
	}
	if doc == "" {
		return nil, nil
	}
	p, err := a.Cache.Parse(doc, kind, nil)
	if err != nil {
		// A stored policy was validated when it was stored; failing to
		// compile it now must not open access.
		a.Log.Error("stored resource policy does not compile", "policy", name, "err", err)
		return nil, &Decision{Reason: "denied: the " + name + " could not be evaluated"}
	}
	return &policy.NamedPolicy{Name: name, Policy: p}, nil
}

// PolicyPrincipal converts a request principal for the policy engine.
func PolicyPrincipal(p *identity.Principal) policy.Principal {
	if p.IsAnonymous() {
		return policy.Principal{Kind: policy.PrincipalAnonymous}
	}
	out := policy.Principal{ARN: p.ARN, Account: p.AccountID, CanonicalID: p.CanonicalID}
	switch p.Kind {
	case identity.Root:
		out.Kind = policy.PrincipalRoot
	case identity.User:
		out.Kind = policy.PrincipalUser
	case identity.AssumedRole:
		out.Kind, out.IssuerARN = policy.PrincipalAssumedRole, p.RoleARN
	case identity.Federated:
		out.Kind, out.IssuerARN = policy.PrincipalFederatedUser, p.RoleARN
	default:
		out.Kind = policy.PrincipalAnonymous
	}
	return out
}

// RequestContext builds the condition keys of a request: the global keys
// AWS sets ("AWS global condition context keys"), the S3 authentication keys
// ("Actions, resources, and condition keys for Amazon S3"), then the
// request-specific keys the API layer supplied.
func RequestContext(req *Request) *policy.Context {
	c := policy.NewContext()
	p := req.Principal
	c.SetPrincipal(PolicyPrincipal(p))
	info := req.Info
	now := time.Now()
	if info != nil && !info.Received.IsZero() {
		now = info.Received
	}
	c.Set("aws:CurrentTime", now.UTC().Format(time.RFC3339))
	c.Set("aws:EpochTime", strconv.FormatInt(now.Unix(), 10))
	c.Set("aws:ViaAWSService", "false")
	c.Set("aws:PrincipalIsAWSService", "false")
	if req.ResourceAccount != "" {
		c.Set("aws:ResourceAccount", req.ResourceAccount)
	}
	if !p.IsAnonymous() {
		c.Set("aws:userid", p.UserID)
		for k, v := range p.Tags {
			c.Set("aws:PrincipalTag/"+k, v)
		}
		if !p.TokenIssueTime.IsZero() {
			c.Set("aws:TokenIssueTime", p.TokenIssueTime.UTC().Format(time.RFC3339))
			// Present only for temporary credentials ("aws:MultiFactorAuthPresent").
			c.Set("aws:MultiFactorAuthPresent", "false")
		}
	} else {
		c.Set("aws:userid", "anonymous")
	}
	if info != nil {
		c.Set("aws:SecureTransport", strconv.FormatBool(info.Secure))
		if info.VPCEndpoint != "" {
			// Through a VPC endpoint AWS sets aws:VpcSourceIp instead of aws:SourceIp.
			c.Set("aws:SourceVpce", info.VPCEndpoint)
			if info.VPC != "" {
				c.Set("aws:SourceVpc", info.VPC)
			}
			if info.SourceIP.IsValid() {
				c.Set("aws:VpcSourceIp", info.SourceIP.String())
			}
		} else if info.SourceIP.IsValid() {
			c.Set("aws:SourceIp", info.SourceIP.String())
		}
		if info.Auth.Region != "" {
			c.Set("aws:RequestedRegion", info.Auth.Region)
		}
		if info.Auth.Service == "s3" || info.Auth.SignatureVersion == "AWS" || p.IsAnonymous() {
			setS3AuthKeys(c, info, now)
		}
	}
	if req.Bucket != nil {
		c.Set("s3:ResourceAccount", req.Bucket.AccountID)
	}
	if req.Object != nil {
		for k, v := range req.Object.Tags {
			c.Set("s3:ExistingObjectTag/"+k, v)
		}
	}
	for k, v := range req.Context {
		c.Set(k, v...)
	}
	return c
}

func setS3AuthKeys(c *policy.Context, info *identity.Request, now time.Time) {
	if info.Auth.Method != "" {
		c.Set("s3:authType", info.Auth.Method)
		c.Set("s3:signatureversion", info.Auth.SignatureVersion)
		if info.Auth.Method == "REST-QUERY-STRING" && !info.Auth.SignedAt.IsZero() {
			c.Set("s3:signatureAge", strconv.FormatInt(now.Sub(info.Auth.SignedAt).Milliseconds(), 10))
		}
	}
	if info.TLSVersion != 0 {
		c.Set("s3:TlsVersion", tlsVersionName(info.TLSVersion))
	}
}

func tlsVersionName(v uint16) string {
	switch v {
	case tls.VersionTLS10:
		return "1.0"
	case tls.VersionTLS11:
		return "1.1"
	case tls.VersionTLS12:
		return "1.2"
	case tls.VersionTLS13:
		return "1.3"
	}
	return ""
}
