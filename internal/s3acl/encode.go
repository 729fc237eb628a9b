package s3acl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Storage encoding. The owner is not stored: it is a property of the
// bucket (its account) or the object (its owner account), which the caller
// passes back to Decode. The default ACL, Private(owner), encodes as "";
// anything else as "1" followed by one ";perm,kind,value" per grant, where
// perm is R, W, RA, WA or FC, kind is u (canonical user id), g (group: A
// AllUsers, U AuthenticatedUsers, L LogDelivery) or e (email), and value is
// query-escaped. Display names are not stored (they belong to accounts;
// see ACL.WithDisplayNames).

var permCode = map[Permission]string{Read: "R", Write: "W", ReadACP: "RA", WriteACP: "WA", FullControl: "FC"}

var codePerm = map[string]Permission{"R": Read, "W": Write, "RA": ReadACP, "WA": WriteACP, "FC": FullControl}

var groupCode = map[string]string{AllUsers: "A", AuthenticatedUsers: "U", LogDelivery: "L"}

var codeGroup = map[string]string{"A": AllUsers, "U": AuthenticatedUsers, "L": LogDelivery}

// Encode serializes a for storage, without a.Owner and display names.
// It never fails: grants the encoding cannot express (an invalid
// permission, an unknown group or grantee type) are written so that Decode
// rejects them, so store only ACLs this package built or validated.
func Encode(a ACL) string {
	if len(a.Grants) == 1 {
		g := a.Grants[0]
		if g.Permission == FullControl && g.Grantee.Type == CanonicalUser && g.Grantee.ID == a.Owner.ID {
			return ""
		}
	}
	var b strings.Builder
	b.Grow(1 + 72*len(a.Grants))
	b.WriteString("1")
	for _, g := range a.Grants {
		b.WriteByte(';')
		if c, ok := permCode[g.Permission]; ok {
			b.WriteString(c)
		} else {
			b.WriteString(escape(string(g.Permission)))
		}
		switch g.Grantee.Type {
		case CanonicalUser:
			b.WriteString(",u,")
			b.WriteString(escape(g.Grantee.ID))
		case Group:
			b.WriteString(",g,")
			if c, ok := groupCode[g.Grantee.URI]; ok {
				b.WriteString(c)
			} else {
				b.WriteString(escape(g.Grantee.URI))
			}
		case ByEmail:
			b.WriteString(",e,")
			b.WriteString(escape(g.Grantee.Email))
		default:
			b.WriteString(",?,")
		}
	}
	return b.String()
}

var errEncoding = errors.New("s3acl: malformed stored ACL")

// Decode parses a stored ACL of a resource owned by owner. "" is
// Private(owner). A malformed value is an error, which callers should treat
// as an internal failure (and deny access), never as an empty ACL.
func Decode(s string, owner Owner) (ACL, error) {
	if s == "" {
		return Private(owner), nil
	}
	rest, ok := strings.CutPrefix(s, "1")
	if !ok {
		return ACL{}, errEncoding
	}
	n := strings.Count(rest, ";")
	if n > MaxGrants || n > 0 && rest[0] != ';' || n == 0 && rest != "" {
		return ACL{}, errEncoding
	}
	a := ACL{Owner: owner, Grants: make([]Grant, 0, n)}
	if n == 0 {
		return a, nil
	}
	for item := range strings.SplitSeq(rest[1:], ";") {
		g, err := decodeGrant(item)
		if err != nil {
			return ACL{}, err
		}
		a.Grants = append(a.Grants, g)
	}
	return a, nil
}

func decodeGrant(item string) (Grant, error) {
	pc, rest, ok1 := strings.Cut(item, ",")
	kind, val, ok2 := strings.Cut(rest, ",")
	perm, ok3 := codePerm[pc]
	if !ok1 || !ok2 || !ok3 || strings.Contains(val, ",") {
		return Grant{}, errEncoding
	}
	val, err := unescape(val)
	if err != nil || val == "" {
		return Grant{}, errEncoding
	}
	g := Grant{Permission: perm}
	switch kind {
	case "u":
		g.Grantee = User(val)
	case "g":
		uri, ok := codeGroup[val]
		if !ok {
			return Grant{}, errEncoding
		}
		g.Grantee = GroupGrantee(uri)
	case "e":
		g.Grantee = Grantee{Type: ByEmail, Email: val}
	default:
		return Grant{}, fmt.Errorf("%w: grantee kind %q", errEncoding, kind)
	}
	return g, nil
}

// escape query-escapes s, without allocating when nothing needs escaping.
func escape(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return url.QueryEscape(s)
		}
	}
	return s
}

func unescape(s string) (string, error) {
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	return url.QueryUnescape(s)
}
