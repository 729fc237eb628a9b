package policy

import "strings"

// String returns Explain().
func (d Decision) String() string { return d.Explain() }

// Explain says in one sentence why the request was allowed or denied, for
// example:
//
//	denied: no statement in the bucket policy of 111122223333 allows
//	s3:GetObject on arn:aws:s3:::b/k for arn:aws:iam::444455556666:role/x,
//	and the request crosses accounts
func (d Decision) Explain() string {
	var b strings.Builder
	who := d.principalName()
	what := d.action
	if d.resource != "" && d.resource != "*" {
		what += " on " + d.resource
	}
	switch d.Reason {
	case ReasonAllowed:
		if d.By.Type == TypeIdentity && d.By.Statement == nil && d.principal.Kind == PrincipalRoot {
			return "allowed: the root user of " + d.principal.Account + " has full access to " + what + " in its account"
		}
		b.WriteString("allowed: ")
		b.WriteString(d.statementIn(d.By))
		b.WriteString(" allows ")
		b.WriteString(what)
		b.WriteString(" for ")
		b.WriteString(who)
		if d.By.Type == TypeResource && d.Identity.Effect == Allow && d.Identity.Statement != nil {
			b.WriteString(", and ")
			b.WriteString(d.statementIn(Match{Type: TypeIdentity, Policy: d.Identity.Policy, Statement: d.Identity.Statement}))
			b.WriteString(" allows it in the principal's account")
		}
		if d.CrossAccount {
			b.WriteString(" (cross-account)")
		}
	case ReasonExplicitDeny:
		b.WriteString("denied: ")
		b.WriteString(d.statementIn(d.By))
		b.WriteString(" explicitly denies ")
		b.WriteString(what)
		b.WriteString(" for ")
		b.WriteString(who)
	default:
		b.WriteString("denied: ")
		switch {
		case d.By.Type == TypeResource && !d.hasResource:
			b.WriteString("no resource-based policy")
			if d.resourceAccount != "" {
				b.WriteString(" of " + d.resourceAccount)
			}
			b.WriteString(" allows ")
		default:
			b.WriteString("no statement in ")
			b.WriteString(d.typeDescription(d.By))
			b.WriteString(" allows ")
		}
		b.WriteString(what)
		b.WriteString(" for ")
		b.WriteString(who)
		if d.CrossAccount {
			b.WriteString(", and the request crosses accounts")
		} else if d.By.Type == TypeResource && d.hasResource && d.resourceKind == KindTrust {
			b.WriteString(", and a role trust policy must allow the principal explicitly")
		}
	}
	return b.String()
}

func (d *Decision) principalName() string {
	p := &d.principal
	switch p.Kind {
	case PrincipalAnonymous:
		return "anonymous"
	case PrincipalService:
		return "service " + p.Service
	case PrincipalWebIdentity:
		return "web identity from " + p.Provider
	}
	if p.ARN != "" {
		return p.ARN
	}
	return p.Kind.String() + " of " + p.Account
}

// statementIn names a statement and its policy, e.g. `statement "Sid1" of
// identity-based policy arn:aws:iam::1:policy/p`.
func (d *Decision) statementIn(m Match) string {
	s := "a statement"
	if m.Statement != nil {
		s = m.Statement.Label()
	}
	return s + " of " + d.policyDescription(m)
}

// policyDescription names one policy of type m.Type.
func (d *Decision) policyDescription(m Match) string {
	switch m.Type {
	case TypeResource:
		return d.resourceDescription(m.Policy)
	case TypeSCP:
		return "SCP " + m.Policy
	case TypeRCP:
		return "RCP " + m.Policy
	}
	if m.Policy == "" {
		return "the " + m.Type.String()
	}
	return m.Type.String() + " " + m.Policy
}

// typeDescription names all policies of type m.Type, for implicit denies.
func (d *Decision) typeDescription(m Match) string {
	switch m.Type {
	case TypeIdentity:
		return "the identity-based policies of " + d.principalName()
	case TypeBoundary:
		if m.Policy != "" {
			return "the permissions boundary " + m.Policy
		}
		return "the permissions boundary"
	case TypeSession:
		if d.principal.Kind == PrincipalFederatedUser && !d.sessionHasPolicies() {
			return "the session policies (a federated user session has none)"
		}
		return "the session policies"
	case TypeResource:
		return d.resourceDescription(m.Policy)
	case TypeSCP:
		return "the service control policies at " + m.Policy
	case TypeRCP:
		return "the resource control policies at " + m.Policy
	}
	return "any policy"
}

func (d *Decision) sessionHasPolicies() bool { return d.sessionPolicies > 0 }

// resourceDescription names the resource-based policy: "the bucket policy
// of 111122223333", "the trust policy of arn:aws:iam::1:role/r".
func (d *Decision) resourceDescription(name string) string {
	label := "resource-based policy"
	switch {
	case d.hasResource && d.resourceKind == KindTrust:
		label = "trust policy"
	case strings.HasPrefix(strings.ToLower(d.action), "s3:"):
		label = "bucket policy"
	}
	owner := d.resourceAccount
	if owner == "" {
		owner = d.principal.Account
	}
	s := "the " + label
	if d.hasResource && d.resourceKind == KindTrust && name != "" {
		return s + " of " + name
	}
	if owner != "" {
		s += " of " + owner
	}
	if name != "" {
		s += " (" + name + ")"
	}
	return s
}
