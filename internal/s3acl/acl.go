package s3acl

// Permission is an ACL permission.
type Permission string

// The ACL permissions (S3 User Guide, "What permissions can I grant?").
const (
	Read        Permission = "READ"
	Write       Permission = "WRITE"
	ReadACP     Permission = "READ_ACP"
	WriteACP    Permission = "WRITE_ACP"
	FullControl Permission = "FULL_CONTROL"
)

// Valid reports whether p is one of the five ACL permissions (case-sensitive,
// as S3 treats them).
func (p Permission) Valid() bool {
	switch p {
	case Read, Write, ReadACP, WriteACP, FullControl:
		return true
	}
	return false
}

// Covers reports whether a grant of p gives want, a valid permission:
// equal, or p is FULL_CONTROL.
func (p Permission) Covers(want Permission) bool {
	return want.Valid() && (p == want || p == FullControl)
}

// GranteeType is a grantee's xsi:type.
type GranteeType string

// Grantee types.
const (
	CanonicalUser GranteeType = "CanonicalUser"
	Group         GranteeType = "Group"
	// ByEmail grantees are resolved to CanonicalUser when an ACL is set;
	// stored ACLs never contain them.
	ByEmail GranteeType = "AmazonCustomerByEmail"
)

// The predefined groups (S3 User Guide, "Amazon S3 predefined groups").
const (
	AllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	AuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	LogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// EC2CanonicalID is the canonical user that the aws-exec-read canned ACL
// grants READ (Amazon EC2, to fetch AMI bundles).
const EC2CanonicalID = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c"

// AnonymousCanonicalID is the owner S3 records for an object an anonymous
// requester uploaded (S3 User Guide, "Finding an AWS account canonical user ID").
const AnonymousCanonicalID = "65a011a29cdf8ec533ec3d1ccaae921c"

// MaxGrants is the most grants one ACL may hold ("An ACL can have up to
// 100 grants").
const MaxGrants = 100

// Owner is the owner of a bucket or object: an account's canonical user id.
// DisplayName is optional and only ever echoed in responses.
type Owner struct {
	ID          string
	DisplayName string
}

// Grantee is who a grant is for: one of ID (CanonicalUser), URI (Group) or
// Email (AmazonCustomerByEmail), as Type says.
type Grantee struct {
	Type        GranteeType
	ID          string
	DisplayName string
	URI         string
	Email       string
}

// User is the CanonicalUser grantee with the given canonical id.
func User(id string) Grantee { return Grantee{Type: CanonicalUser, ID: id} }

// GroupGrantee is the Group grantee with the given URI.
func GroupGrantee(uri string) Grantee { return Grantee{Type: Group, URI: uri} }

// same reports whether two grantees name the same principal (display names
// do not matter).
func (g Grantee) same(o Grantee) bool {
	if g.Type != o.Type {
		return false
	}
	switch g.Type {
	case CanonicalUser:
		return g.ID == o.ID
	case Group:
		return g.URI == o.URI
	case ByEmail:
		return g.Email == o.Email
	}
	return false
}

// Grant is one grantee and one permission.
type Grant struct {
	Grantee    Grantee
	Permission Permission
}

// ACL is an access control list: the resource owner and its grants, in order.
type ACL struct {
	Owner  Owner
	Grants []Grant
}

// Private is the default ACL of a new resource: its owner has FULL_CONTROL.
func Private(owner Owner) ACL {
	return ACL{Owner: owner, Grants: []Grant{{Grantee: Grantee{Type: CanonicalUser, ID: owner.ID, DisplayName: owner.DisplayName}, Permission: FullControl}}}
}

// OwnerOnly reports whether every grant of a is to its owner's canonical
// id, so the ACL gives no access outside the owner's account. An ACL with
// no grants is owner-only.
func (a ACL) OwnerOnly() bool {
	for _, g := range a.Grants {
		if g.Grantee.Type != CanonicalUser || g.Grantee.ID != a.Owner.ID {
			return false
		}
	}
	return true
}

// IsPublic reports whether a grants any permission to the AllUsers or
// AuthenticatedUsers group, which is what S3 calls a public ACL (S3 User
// Guide, "The meaning of "public""). LogDelivery grants are not public.
func IsPublic(a ACL) bool {
	for _, g := range a.Grants {
		if isPublicGrantee(g.Grantee) {
			return true
		}
	}
	return false
}

func isPublicGrantee(g Grantee) bool {
	return g.Type == Group && (g.URI == AllUsers || g.URI == AuthenticatedUsers)
}

// WithoutPublic returns a copy of a without its public grants: the
// effective ACL that GetBucketAcl / GetObjectAcl report when
// IgnorePublicAcls is on ("Calls to GET Bucket acl and GET Object acl
// always return the effective permissions").
func WithoutPublic(a ACL) ACL {
	out := ACL{Owner: a.Owner, Grants: make([]Grant, 0, len(a.Grants))}
	for _, g := range a.Grants {
		if !isPublicGrantee(g.Grantee) {
			out.Grants = append(out.Grants, g)
		}
	}
	return out
}

// WithDisplayNames returns a copy of a whose owner and CanonicalUser
// grantees carry the display name name returns for their id ("" leaves
// the field empty; a nil name clears them all). Use it when writing a
// response; stored ACLs need none.
func (a ACL) WithDisplayNames(name func(canonicalID string) string) ACL {
	if name == nil {
		name = func(string) string { return "" }
	}
	out := ACL{Owner: Owner{ID: a.Owner.ID, DisplayName: name(a.Owner.ID)}, Grants: make([]Grant, len(a.Grants))}
	copy(out.Grants, a.Grants)
	for i := range out.Grants {
		if g := &out.Grants[i].Grantee; g.Type == CanonicalUser {
			g.DisplayName = name(g.ID)
		}
	}
	return out
}

// Equal reports whether a and b have the same owner id and the same grants
// in the same order, ignoring display names.
func (a ACL) Equal(b ACL) bool {
	if a.Owner.ID != b.Owner.ID || len(a.Grants) != len(b.Grants) {
		return false
	}
	for i := range a.Grants {
		if a.Grants[i].Permission != b.Grants[i].Permission || !a.Grants[i].Grantee.same(b.Grants[i].Grantee) {
			return false
		}
	}
	return true
}

// isCanonicalID reports whether s has the form of an S3 canonical user id:
// 64 lower-case hex digits.
func isCanonicalID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isGroupURI reports whether uri is one of the predefined groups.
func isGroupURI(uri string) bool {
	return uri == AllUsers || uri == AuthenticatedUsers || uri == LogDelivery
}
