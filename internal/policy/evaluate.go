package policy

// Input holds the policies that apply to a request.
type Input struct {
	// Identity holds the principal's identity-based policies: for a user
	// its inline and managed policies and those of its groups; for a
	// role session the role's policies.
	Identity []NamedPolicy
	// Boundary is the permissions boundary of the user or role, if any.
	Boundary *NamedPolicy
	// Session holds the session policies passed when the session was
	// created (assumed-role and federated-user sessions only).
	Session []NamedPolicy
	// Resource is the resource-based policy: a bucket policy, or for
	// sts:AssumeRole the role's trust policy (a policy of KindTrust, which
	// must always allow).
	Resource *NamedPolicy
	// SCPs are the service control policies of the principal's account,
	// one entry per organization level; empty when the account is not in
	// an organization.
	SCPs []OrgLevel
	// RCPs are the resource control policies of the resource's account,
	// one entry per organization level; empty when not in an organization.
	RCPs []OrgLevel
}

// PolicyType names a type of policy in a Decision.
type PolicyType uint8

const (
	TypeNone PolicyType = iota
	TypeIdentity
	TypeBoundary
	TypeSession
	TypeResource
	TypeSCP
	TypeRCP
)

var policyTypeNames = [...]string{"", "identity-based policy", "permissions boundary", "session policy",
	"resource-based policy", "service control policy", "resource control policy"}

// String describes the type, e.g. "permissions boundary".
func (t PolicyType) String() string { return policyTypeNames[t] }

// Reason says why a Decision came out as it did.
type Reason uint8

const (
	// ReasonAllowed: the request is allowed.
	ReasonAllowed Reason = iota
	// ReasonExplicitDeny: a Deny statement applies.
	ReasonExplicitDeny
	// ReasonImplicitDeny: a policy type whose allow is required has no
	// applicable Allow (Decision.By.Type says which).
	ReasonImplicitDeny
)

// Match points at the policy, and the statement when there is one, that
// decided a request.
type Match struct {
	Type      PolicyType
	Policy    string
	Statement *Statement
}

// Decision is the outcome of Evaluate, with what is needed to explain it.
type Decision struct {
	Allowed bool
	Reason  Reason
	// By is the deciding statement for allows and explicit denies, or the
	// policy type that lacked an Allow for implicit denies.
	By Match
	// CrossAccount is set when the principal's account and the
	// resource's account differ, so both had to allow.
	CrossAccount bool

	// Per-type results, for callers (the S3 layer) that combine policy
	// results with ACLs and Block Public Access.
	Identity Result
	Boundary Result
	Session  Result
	Resource Result
	SCP      Result
	RCP      Result

	// Copied from the request for explanations.
	principal       Principal
	action          string
	resource        string
	resourceAccount string

	resourceKind    Kind
	hasResource     bool
	hasBoundary     bool
	sessionRequired bool
	sessionPolicies int
}

// IdentityAllowed reports whether the principal's own account allows the
// request: identity-based policies (or being root), bounded by the
// permissions boundary and session policies.
func (d *Decision) IdentityAllowed() bool { return d.identityChain() }

// ResourceAllowed reports whether the resource-based policy allows the
// request; ResourceDenied whether it explicitly denies it.
func (d *Decision) ResourceAllowed() bool { return d.Resource.Effect == Allow }

// ResourceDenied reports whether the resource-based policy explicitly
// denies the request.
func (d *Decision) ResourceDenied() bool { return d.Resource.Effect == Deny }

func (d *Decision) identityChain() bool {
	return d.idOK() && d.boundaryOK() && d.sessionOK()
}

func (d *Decision) idOK() bool {
	return d.principal.Kind == PrincipalRoot || d.Identity.Effect == Allow
}

func (d *Decision) boundaryOK() bool { return !d.hasBoundary || d.Boundary.Effect == Allow }

func (d *Decision) sessionOK() bool { return !d.sessionRequired || d.Session.Effect == Allow }

// Evaluate decides req against the policies in in, following "Policy
// evaluation logic" and "Cross-account policy evaluation logic":
//
//  1. An explicit Deny in any applicable policy denies.
//  2. If RCPs apply to the resource's account, every level must allow;
//     if SCPs apply to the principal's account, every level must allow.
//  3. Within one account, an Allow in either the identity-based policies
//     or the resource-based policy suffices, except that a resource policy
//     naming the account only delegates to IAM, and one naming the role (or
//     the user behind a federated session) is still limited by the
//     permissions boundary and session policies. A resource policy naming
//     the session, the IAM user or "*" grants directly.
//  4. The identity side is the identity policies (or the root user),
//     intersected with the permissions boundary and, for sessions, the
//     session policies.
//  5. Across accounts both the identity side in the principal's account
//     and the resource policy in the resource's account must allow.
//  6. A role trust policy must always allow (sts:AssumeRole).
//
// Anonymous callers, services and web identity callers have no identity
// side: only the resource policy can allow them.
func Evaluate(in *Input, req *Request) Decision {
	st := newEvalState(req)
	st.hasBoundary = in.Boundary != nil && in.Boundary.Policy != nil
	d := Decision{
		CrossAccount: req.crossAccount(), principal: req.Principal, action: req.Action,
		resource: req.Resource, resourceAccount: req.ResourceAccount, hasBoundary: st.hasBoundary,
		sessionPolicies: len(in.Session),
	}
	p := &req.Principal

	hasIdentity := false
	switch p.Kind {
	case PrincipalRoot, PrincipalUser, PrincipalAssumedRole, PrincipalFederatedUser:
		hasIdentity = true
	}
	if hasIdentity {
		d.Identity = evalSet(in.Identity, &st)
		if st.hasBoundary {
			d.Boundary = in.Boundary.Policy.eval(in.Boundary.Name, &st)
			if d.Boundary.Effect == NoMatch {
				d.Boundary.Policy = in.Boundary.Name
			}
		}
		if p.Kind.isSession() {
			d.Session = evalSet(in.Session, &st)
			// A federated-user session without session policies has
			// no permissions; a role session without them keeps the
			// role's ("Policy evaluation logic", session policies).
			if len(in.Session) > 0 || p.Kind == PrincipalFederatedUser {
				d.sessionRequired = true
			}
		}
		if len(in.SCPs) > 0 {
			d.SCP = evalLevels(in.SCPs, &st)
		}
	}
	if in.Resource != nil && in.Resource.Policy != nil {
		d.hasResource = true
		d.resourceKind = in.Resource.Policy.Kind
		d.Resource = in.Resource.Policy.eval(in.Resource.Name, &st)
		if d.Resource.Effect == NoMatch {
			d.Resource.Policy = in.Resource.Name
		}
	}
	if len(in.RCPs) > 0 && p.Kind != PrincipalService {
		d.RCP = evalLevels(in.RCPs, &st)
	}

	// 1. Explicit deny anywhere.
	for _, m := range [...]struct {
		t PolicyType
		r *Result
	}{{TypeSCP, &d.SCP}, {TypeRCP, &d.RCP}, {TypeResource, &d.Resource}, {TypeIdentity, &d.Identity},
		{TypeBoundary, &d.Boundary}, {TypeSession, &d.Session}} {
		if m.r.Effect == Deny {
			return d.deny(ReasonExplicitDeny, m.t, m.r)
		}
	}
	// 2. Organization guardrails.
	if len(in.RCPs) > 0 && p.Kind != PrincipalService && d.RCP.Effect != Allow {
		return d.deny(ReasonImplicitDeny, TypeRCP, &d.RCP)
	}
	if hasIdentity && len(in.SCPs) > 0 && d.SCP.Effect != Allow {
		return d.deny(ReasonImplicitDeny, TypeSCP, &d.SCP)
	}

	resAllow := d.Resource.Effect == Allow
	trust := d.hasResource && d.resourceKind == KindTrust
	if !hasIdentity {
		if resAllow {
			return d.allow(TypeResource, &d.Resource)
		}
		return d.deny(ReasonImplicitDeny, TypeResource, &d.Resource)
	}

	if !d.CrossAccount && resAllow {
		switch d.Resource.match {
		case mkDirect:
			return d.allow(TypeResource, &d.Resource)
		case mkIssuer:
			if !d.boundaryOK() {
				return d.deny(ReasonImplicitDeny, TypeBoundary, &d.Boundary)
			}
			if !d.sessionOK() {
				return d.deny(ReasonImplicitDeny, TypeSession, &d.Session)
			}
			return d.allow(TypeResource, &d.Resource)
		}
		// mkAccount delegates to the account's IAM policies below.
	}
	if (d.CrossAccount || trust) && !resAllow {
		return d.deny(ReasonImplicitDeny, TypeResource, &d.Resource)
	}
	if !d.idOK() {
		return d.deny(ReasonImplicitDeny, TypeIdentity, &d.Identity)
	}
	if !d.boundaryOK() {
		return d.deny(ReasonImplicitDeny, TypeBoundary, &d.Boundary)
	}
	if !d.sessionOK() {
		return d.deny(ReasonImplicitDeny, TypeSession, &d.Session)
	}
	if d.CrossAccount || trust {
		return d.allow(TypeResource, &d.Resource)
	}
	return d.allow(TypeIdentity, &d.Identity)
}

func (d *Decision) allow(t PolicyType, r *Result) Decision {
	d.Allowed, d.Reason = true, ReasonAllowed
	d.By = Match{Type: t, Policy: r.Policy, Statement: r.Statement}
	return *d
}

func (d *Decision) deny(reason Reason, t PolicyType, r *Result) Decision {
	d.Allowed, d.Reason = false, reason
	d.By = Match{Type: t, Policy: r.Policy, Statement: r.Statement}
	if reason == ReasonImplicitDeny {
		d.By.Statement = nil
	}
	return *d
}
