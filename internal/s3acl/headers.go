package s3acl

import (
	"net/http"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Resolver looks up the accounts that requests name as grantees.
type Resolver struct {
	// Exists reports whether a well-formed canonical user id belongs to an
	// account; ids that do not are "Invalid id". Nil accepts every
	// well-formed id.
	Exists func(canonicalID string) bool
	// Email returns the canonical user id of the account registered with
	// an email address. Nil resolves no address.
	Email func(email string) (canonicalID string, ok bool)
}

func (r Resolver) exists(id string) bool { return r.Exists == nil || r.Exists(id) }

func (r Resolver) email(addr string) (string, bool) {
	if r.Email == nil {
		return "", false
	}
	return r.Email(addr)
}

// GrantHeaders maps each x-amz-grant-* header to the permission it grants,
// in the order FromHeaders lists the resulting grants.
var GrantHeaders = []struct {
	Name       string
	Permission Permission
}{
	{"x-amz-grant-read", Read},
	{"x-amz-grant-write", Write},
	{"x-amz-grant-read-acp", ReadACP},
	{"x-amz-grant-write-acp", WriteACP},
	{"x-amz-grant-full-control", FullControl},
}

// Headers is what a request's ACL headers ask for: a canned ACL, explicit
// grants, or (neither set) nothing.
type Headers struct {
	// Canned is the x-amz-acl value, already validated.
	Canned string
	// Grants come from the x-amz-grant-* headers, emails resolved to
	// canonical users.
	Grants []Grant
	// explicit is true when grant headers were present (even if they
	// produced the grants above).
	explicit bool
}

// Present reports whether the request carried any ACL header.
func (h Headers) Present() bool { return h.Canned != "" || h.explicit }

// ACL is the ACL the headers set on a resource owned by owner in a bucket
// owned by bucketOwner: the canned ACL expanded, exactly the header grants
// (S3 adds no owner grant to them), or Private(owner) when no header was
// sent.
func (h Headers) ACL(owner, bucketOwner Owner, forObject bool) ACL {
	switch {
	case h.Canned != "":
		a, err := Canned(h.Canned, owner, bucketOwner, forObject)
		if err != nil { // only for a Headers not made by ParseHeaders
			return Private(owner)
		}
		return a
	case h.explicit:
		return ACL{Owner: owner, Grants: append([]Grant(nil), h.Grants...)}
	}
	return Private(owner)
}

// headerValue joins a header's values the way HTTP folds repeated fields,
// treating empty values as absent.
func headerValue(h http.Header, name string) string {
	var parts []string
	for _, v := range h.Values(name) {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, ",")
}

// ParseHeaders reads x-amz-acl and the x-amz-grant-* headers (S3 API
// Reference, PutObject / PutBucketAcl / CreateBucket):
//
//   - x-amz-acl together with a grant header is 400 InvalidRequest
//     "Specifying both Canned ACLs and Header Grants is not allowed";
//   - an unknown x-amz-acl is 400 InvalidArgument (x-amz-acl);
//   - each grant header is a comma-separated list of type=value with type
//     id, uri or emailAddress and the value optionally double-quoted; any
//     other shape is 400 InvalidArgument "Argument format not recognized"
//     naming the header and the offending item;
//   - a uri that is not a predefined group is "Invalid group uri", an id
//     that is not an existing canonical user "Invalid id", an email that
//     resolves to no account 400 UnresolvableGrantByEmailAddress;
//   - more than MaxGrants grants is 400 MalformedACLError.
func ParseHeaders(h http.Header, r Resolver) (Headers, error) {
	canned := headerValue(h, "x-amz-acl")
	var out Headers
	for _, gh := range GrantHeaders {
		if headerValue(h, gh.Name) != "" {
			out.explicit = true
		}
	}
	if canned != "" && out.explicit {
		return Headers{}, awserr.New(awserr.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed")
	}
	if canned != "" {
		if !IsCanned(canned) {
			return Headers{}, errInvalidCanned(canned)
		}
		out.Canned = canned
		return out, nil
	}
	// Split every header first so that an oversized list is rejected
	// before the resolver is asked about any of it.
	type pending struct {
		item headerItem
		perm Permission
	}
	var all []pending
	for _, gh := range GrantHeaders {
		v := headerValue(h, gh.Name)
		if v == "" {
			continue
		}
		items, err := splitGrantees(v, gh.Name)
		if err != nil {
			return Headers{}, err
		}
		for _, it := range items {
			all = append(all, pending{it, gh.Permission})
		}
		if len(all) > MaxGrants {
			return Headers{}, errMalformedACL()
		}
	}
	out.Grants = make([]Grant, 0, len(all))
	for _, p := range all {
		g, err := p.item.grantee(r)
		if err != nil {
			return Headers{}, err
		}
		out.Grants = append(out.Grants, Grant{Grantee: g, Permission: p.perm})
	}
	return out, nil
}

// FromHeaders is ParseHeaders followed by Headers.ACL. present reports
// whether any ACL header was sent; when it is false the ACL is
// Private(owner).
func FromHeaders(h http.Header, owner, bucketOwner Owner, forObject bool, r Resolver) (acl ACL, present bool, err error) {
	hd, err := ParseHeaders(h, r)
	if err != nil {
		return ACL{}, false, err
	}
	return hd.ACL(owner, bucketOwner, forObject), hd.Present(), nil
}

// headerItem is one type=value of a grant header.
type headerItem struct {
	typ, value string
}

func (it headerItem) grantee(r Resolver) (Grantee, error) {
	switch it.typ {
	case "id":
		if !isCanonicalID(it.value) || !r.exists(it.value) {
			return Grantee{}, errArgument("Invalid id", "id", it.value)
		}
		return User(it.value), nil
	case "uri":
		if !isGroupURI(it.value) {
			return Grantee{}, errArgument("Invalid group uri", "uri", it.value)
		}
		return GroupGrantee(it.value), nil
	default: // "emailAddress"; splitGrantees admits no other type
		id, ok := r.email(it.value)
		if !ok || !isCanonicalID(id) {
			return Grantee{}, awserr.New(awserr.UnresolvableGrantByEmailAddress)
		}
		return User(id), nil
	}
}

// splitGrantees splits a grant header value into its type=value items.
// Commas inside double quotes do not split; an empty item (",," or a
// trailing comma) is malformed.
func splitGrantees(v, header string) ([]headerItem, error) {
	var items []headerItem
	for {
		end, inQuote := 0, false
		for end < len(v) && (inQuote || v[end] != ',') {
			if v[end] == '"' {
				inQuote = !inQuote
			}
			end++
		}
		raw := strings.TrimSpace(v[:end])
		it, ok := parseItem(raw)
		if !ok {
			return nil, errArgument("Argument format not recognized", header, raw)
		}
		items = append(items, it)
		if end == len(v) {
			return items, nil
		}
		v = v[end+1:]
	}
}

// parseItem parses `type=value` or `type="value"`.
func parseItem(raw string) (headerItem, bool) {
	typ, val, ok := strings.Cut(raw, "=")
	if !ok {
		return headerItem{}, false
	}
	typ, val = strings.TrimSpace(typ), strings.TrimSpace(val)
	if typ != "id" && typ != "uri" && typ != "emailAddress" {
		return headerItem{}, false
	}
	if strings.HasPrefix(val, `"`) {
		if len(val) < 2 || !strings.HasSuffix(val, `"`) {
			return headerItem{}, false
		}
		val = val[1 : len(val)-1]
	}
	if strings.Contains(val, `"`) {
		return headerItem{}, false
	}
	return headerItem{typ: typ, value: val}, true
}
