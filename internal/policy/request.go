package policy

// PrincipalKind is the kind of identity that makes a request.
type PrincipalKind int

const (
	// PrincipalAnonymous is an unauthenticated caller.
	PrincipalAnonymous PrincipalKind = iota
	// PrincipalRoot is an account's root user (arn:aws:iam::ACCT:root).
	PrincipalRoot
	// PrincipalUser is an IAM user (arn:aws:iam::ACCT:user/path/name).
	PrincipalUser
	// PrincipalAssumedRole is a role session
	// (arn:aws:sts::ACCT:assumed-role/ROLE/SESSION).
	PrincipalAssumedRole
	// PrincipalFederatedUser is a GetFederationToken session
	// (arn:aws:sts::ACCT:federated-user/NAME).
	PrincipalFederatedUser
	// PrincipalService is an AWS service principal such as ec2.amazonaws.com.
	PrincipalService
	// PrincipalWebIdentity is a caller presenting a web identity or SAML
	// token to AssumeRoleWithWebIdentity or AssumeRoleWithSAML; it matches
	// the "Federated" principal type.
	PrincipalWebIdentity
)

var principalKindNames = [...]string{"anonymous", "root", "user", "assumed-role", "federated-user", "service", "web-identity"}

// String returns a short lower-case name of k.
func (k PrincipalKind) String() string {
	if int(k) < len(principalKindNames) {
		return principalKindNames[k]
	}
	return "unknown"
}

// isSession reports whether k is a session principal, the only kinds that
// session policies apply to.
func (k PrincipalKind) isSession() bool {
	return k == PrincipalAssumedRole || k == PrincipalFederatedUser
}

// Principal describes who makes a request.
type Principal struct {
	Kind PrincipalKind
	// ARN of the principal: the root, user, session or federated-user ARN.
	ARN string
	// Account is the 12-digit account the principal belongs to.
	Account string
	// IssuerARN is the identity behind a session: for an assumed-role
	// session, the role's ARN including its path; for a federated-user
	// session, the ARN of the IAM user (or root) that called
	// GetFederationToken.
	IssuerARN string
	// Service is the service principal name for PrincipalService.
	Service string
	// Provider is the identity provider for PrincipalWebIdentity (for
	// example "accounts.google.com" or a saml-provider ARN).
	Provider string
	// CanonicalID is the S3 canonical user id of the principal's account,
	// matched by "CanonicalUser" principals. Optional.
	CanonicalID string
}

// Request is one authorization question: may Principal perform Action on
// Resource?
type Request struct {
	Principal Principal
	// Action is "service:Name", for example "s3:GetObject".
	Action string
	// Resource is the ARN of the resource acted on ("*" when the action
	// has no resource).
	Resource string
	// ResourceAccount owns the resource. Empty means the principal's own
	// account (no cross-account evaluation).
	ResourceAccount string
	// Context holds condition keys; nil means no keys.
	Context *Context
}

// crossAccount reports whether AWS evaluates the request in two accounts.
func (r *Request) crossAccount() bool {
	p := &r.Principal
	switch p.Kind {
	case PrincipalAnonymous, PrincipalService, PrincipalWebIdentity:
		return false
	}
	return r.ResourceAccount != "" && r.ResourceAccount != p.Account
}
