package policy

import "crypto/sha256"

// Kind is the kind of policy document, which decides the grammar it must
// follow and the wording of its validation errors.
type Kind int

const (
	// KindIdentity is an identity-based policy: managed or inline policies
	// of users, groups and roles, permissions boundaries, session policies
	// and SCPs. Principal and NotPrincipal are forbidden; Resource or
	// NotResource is required. Errors use IAM wording.
	KindIdentity Kind = iota
	// KindResource is a resource-based policy such as an S3 bucket policy
	// (also usable for RCPs). Principal or NotPrincipal and Resource or
	// NotResource are required. Errors use S3 wording.
	KindResource
	// KindTrust is a role trust policy, the resource-based policy of an
	// IAM role. Principal or NotPrincipal is required, Resource is
	// prohibited and actions must be STS AssumeRole actions. Errors use
	// IAM wording.
	KindTrust
	// KindRCP is an Organizations resource control policy: like an
	// identity policy but with a required Principal (which RCPs set to
	// "*"). Errors use IAM wording.
	KindRCP
)

var kindNames = [...]string{"identity", "resource", "trust", "rcp"}

// String returns "identity", "resource", "trust" or "rcp".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// flavor returns the wording used for errors of kind k.
func (k Kind) flavor() Flavor {
	if k == KindResource {
		return FlavorS3
	}
	return FlavorIAM
}

// Effect is the outcome of a statement or policy for a request.
type Effect uint8

const (
	// NoMatch means no statement applies to the request.
	NoMatch Effect = iota
	// Allow means an Allow statement applies and no Deny does.
	Allow
	// Deny means a Deny statement applies.
	Deny
)

var effectNames = [...]string{"NoMatch", "Allow", "Deny"}

// String returns "NoMatch", "Allow" or "Deny".
func (e Effect) String() string { return effectNames[e] }

// Versions of the policy language ("IAM JSON policy elements: Version").
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Policy is a compiled policy document. It is immutable and safe for
// concurrent use.
type Policy struct {
	// Version is the Version element, or "" when absent (which behaves
	// as 2008-10-17: no policy variables).
	Version string
	// ID is the Id element.
	ID string
	// Kind is the kind the document was validated as.
	Kind Kind
	// Statements in document order.
	Statements []*Statement

	doc  string
	hash [sha256.Size]byte
}

// Document returns the JSON text the policy was compiled from.
func (p *Policy) Document() string { return p.doc }

// Hash returns the SHA-256 of the document text.
func (p *Policy) Hash() [sha256.Size]byte { return p.hash }

// Statement is one compiled statement.
type Statement struct {
	// Sid is the statement id, possibly empty.
	Sid string
	// Index is the position of the statement in the policy, from 0.
	Index int
	// Effect is Allow or Deny.
	Effect Effect

	notAction    bool
	actions      []actionPattern
	hasResource  bool
	notResource  bool
	resources    []resourcePattern
	hasPrincipal bool
	notPrincipal bool
	principals   []principalEntry
	conditions   []condition
}

// Label names the statement for explanations: its Sid when it has one,
// otherwise its position ("statement #2" counts from 1).
func (s *Statement) Label() string {
	if s.Sid != "" {
		return "statement \"" + s.Sid + "\""
	}
	return "statement #" + itoa(s.Index+1)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
