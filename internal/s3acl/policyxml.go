package s3acl

import (
	"encoding/xml"
	"io"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// The AccessControlPolicy body (S3 API Reference, PutBucketAcl /
// PutObjectAcl request syntax). Repeated or unknown elements are caught so
// that they can be rejected as S3's schema validation does.
type xPolicy struct {
	Owner []xOwner  `xml:"Owner"`
	List  []xList   `xml:"AccessControlList"`
	Other []anyElem `xml:",any"`
}

type xOwner struct {
	ID          []string  `xml:"ID"`
	DisplayName []string  `xml:"DisplayName"`
	Other       []anyElem `xml:",any"`
}

type xList struct {
	Grant []xGrant  `xml:"Grant"`
	Other []anyElem `xml:",any"`
}

type xGrant struct {
	Grantee    []xGrantee `xml:"Grantee"`
	Permission []string   `xml:"Permission"`
	Other      []anyElem  `xml:",any"`
}

type xGrantee struct {
	Attrs        []xml.Attr `xml:",any,attr"`
	ID           []string   `xml:"ID"`
	DisplayName  []string   `xml:"DisplayName"`
	URI          []string   `xml:"URI"`
	EmailAddress []string   `xml:"EmailAddress"`
	Other        []anyElem  `xml:",any"`
}

// xsiType returns the grantee's xsi:type attribute.
func (g *xGrantee) xsiType() (GranteeType, bool) {
	for _, a := range g.Attrs {
		// "xsi" is the prefix left in place when a client forgets to bind it.
		if a.Name.Local == "type" && (a.Name.Space == xsiNamespace || a.Name.Space == "xsi") {
			return GranteeType(a.Value), true
		}
	}
	return "", false
}

// ParsePolicy reads an AccessControlPolicy body for a resource owned by
// owner (S3 API Reference, PutBucketAcl / PutObjectAcl):
//
//   - a body that is not well-formed or breaks the schema (missing Owner
//     or AccessControlList, a Grant without exactly one Grantee and one
//     Permission, an unknown Permission or xsi:type, unknown elements) is
//     400 MalformedACLError, as are more than MaxGrants grants;
//   - an Owner ID that is not a canonical user id is 400 InvalidArgument
//     "Invalid id" (CanonicalUser/ID); one that is not owner's is 403
//     AccessDenied — an ACL cannot give a resource away;
//   - a Group URI that is not a predefined group is "Invalid group uri"
//     (Group/URI), a CanonicalUser ID of no account "Invalid id"
//     (CanonicalUser/ID), an EmailAddress of no account 400
//     UnresolvableGrantByEmailAddress.
//
// Display names in the body are ignored; the result carries owner's.
// Email grantees come back as the CanonicalUser they resolve to.
func ParsePolicy(body io.Reader, owner Owner, r Resolver) (ACL, error) {
	b, err := readBody(body)
	if err != nil {
		return ACL{}, err
	}
	return parsePolicy(b, owner, r)
}

func parsePolicy(b []byte, owner Owner, r Resolver) (ACL, error) {
	var p xPolicy
	if err := decodeRoot(b, "AccessControlPolicy", &p); err != nil {
		return ACL{}, errMalformedACL()
	}
	parsed, ownerID, ok := p.check()
	if !ok {
		return ACL{}, errMalformedACL()
	}
	if len(parsed) > MaxGrants {
		return ACL{}, errMalformedACL()
	}
	if !isCanonicalID(ownerID) {
		return ACL{}, errArgument("Invalid id", "CanonicalUser/ID", ownerID)
	}
	if ownerID != owner.ID {
		return ACL{}, awserr.New(awserr.AccessDenied)
	}
	acl := ACL{Owner: owner, Grants: make([]Grant, 0, len(parsed))}
	for _, g := range parsed {
		ge, err := resolveGrantee(g.Grantee, r)
		if err != nil {
			return ACL{}, err
		}
		acl.Grants = append(acl.Grants, Grant{Grantee: ge, Permission: g.Permission})
	}
	return acl, nil
}

// check validates p against the schema and returns its grants, unresolved,
// and the owner id.
func (p *xPolicy) check() ([]Grant, string, bool) {
	if len(p.Other) != 0 || len(p.Owner) != 1 || len(p.List) != 1 {
		return nil, "", false
	}
	o, l := &p.Owner[0], &p.List[0]
	ownerID, ok1 := optional(o.ID)
	_, ok2 := optional(o.DisplayName)
	if !ok1 || !ok2 || len(o.Other) != 0 || len(l.Other) != 0 {
		return nil, "", false
	}
	grants := make([]Grant, 0, len(l.Grant))
	for i := range l.Grant {
		g, ok := l.Grant[i].check()
		if !ok {
			return nil, "", false
		}
		grants = append(grants, g)
	}
	return grants, ownerID, true
}

func (x *xGrant) check() (Grant, bool) {
	perm, ok := one(x.Permission)
	if !ok || !Permission(perm).Valid() || len(x.Grantee) != 1 || len(x.Other) != 0 {
		return Grant{}, false
	}
	ge := &x.Grantee[0]
	typ, ok := ge.xsiType()
	if !ok || len(ge.Other) != 0 {
		return Grant{}, false
	}
	if _, ok := optional(ge.DisplayName); !ok {
		return Grant{}, false
	}
	g := Grant{Permission: Permission(perm), Grantee: Grantee{Type: typ}}
	switch typ {
	case CanonicalUser:
		g.Grantee.ID, ok = one(ge.ID)
	case Group:
		g.Grantee.URI, ok = one(ge.URI)
	case ByEmail:
		g.Grantee.Email, ok = one(ge.EmailAddress)
	default:
		ok = false
	}
	return g, ok
}

// resolveGrantee validates a grantee from a body and resolves emails.
func resolveGrantee(g Grantee, r Resolver) (Grantee, error) {
	switch g.Type {
	case CanonicalUser:
		if !isCanonicalID(g.ID) || !r.exists(g.ID) {
			return Grantee{}, errArgument("Invalid id", "CanonicalUser/ID", g.ID)
		}
		return User(g.ID), nil
	case Group:
		if !isGroupURI(g.URI) {
			return Grantee{}, errArgument("Invalid group uri", "Group/URI", g.URI)
		}
		return GroupGrantee(g.URI), nil
	}
	id, ok := r.email(g.Email)
	if !ok || !isCanonicalID(id) {
		return Grantee{}, awserr.New(awserr.UnresolvableGrantByEmailAddress)
	}
	return User(id), nil
}
