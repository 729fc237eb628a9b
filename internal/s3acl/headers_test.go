package s3acl

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestParseHeaders(t *testing.T) {
	q := func(s string) string { return `"` + s + `"` }
	tests := []struct {
		name   string
		h      http.Header
		canned string
		grants []Grant
		absent bool
		err    *wantErr
	}{
		{name: "none", h: hdr(), absent: true},
		{name: "empty values are absent", h: hdr("X-Amz-Acl", "", "X-Amz-Grant-Read", "  "), absent: true},
		{name: "canned", h: hdr("X-Amz-Acl", "public-read"), canned: "public-read"},
		{name: "canned unknown", h: hdr("X-Amz-Acl", "public"),
			err: &wantErr{code: awserr.InvalidArgument, fields: map[string]string{"ArgumentName": "x-amz-acl", "ArgumentValue": "public"}}},
		{name: "canned and grants", h: hdr("X-Amz-Acl", "private", "X-Amz-Grant-Read", "id="+q(idB)),
			err: &wantErr{code: awserr.InvalidRequest, msg: "Specifying both Canned ACLs and Header Grants is not allowed"}},
		{name: "canned unknown and grants", h: hdr("X-Amz-Acl", "nope", "X-Amz-Grant-Write", "id="+q(idB)),
			err: &wantErr{code: awserr.InvalidRequest}},
		{name: "one id", h: hdr("X-Amz-Grant-Read", "id="+q(idB)), grants: []Grant{usr(idB, Read)}},
		{name: "unquoted id", h: hdr("X-Amz-Grant-Read", "id="+idB), grants: []Grant{usr(idB, Read)}},
		{name: "several grantees, mixed types and spacing",
			h:      hdr("X-Amz-Grant-Read", " id="+q(idB)+" ,uri="+q(AllUsers)+",  emailAddress = "+q("alice@example.com")+" "),
			grants: []Grant{usr(idB, Read), grp(AllUsers, Read), usr(idA, Read)}},
		{name: "every header, fixed order",
			h: hdr("X-Amz-Grant-Full-Control", "id="+q(idA),
				"X-Amz-Grant-Write-Acp", "id="+q(idC),
				"X-Amz-Grant-Read-Acp", "uri="+q(AuthenticatedUsers),
				"X-Amz-Grant-Write", "uri="+q(LogDelivery),
				"X-Amz-Grant-Read", "id="+q(idB)),
			grants: []Grant{usr(idB, Read), grp(LogDelivery, Write), grp(AuthenticatedUsers, ReadACP), usr(idC, WriteACP), fc(idA)}},
		{name: "repeated header lines fold", h: hdr("X-Amz-Grant-Read", "id="+q(idB), "X-Amz-Grant-Read", "id="+q(idC)),
			grants: []Grant{usr(idB, Read), usr(idC, Read)}},
		{name: "duplicates kept", h: hdr("X-Amz-Grant-Read", "id="+q(idB)+",id="+q(idB)), grants: []Grant{usr(idB, Read), usr(idB, Read)}},
		{name: "comma inside quotes", h: hdr("X-Amz-Grant-Read", `emailAddress="a,b@example.com"`),
			err: &wantErr{code: awserr.UnresolvableGrantByEmailAddress}},
		{name: "email resolves case-insensitively by resolver", h: hdr("X-Amz-Grant-Write-Acp", `emailAddress="Bob@Example.com"`),
			grants: []Grant{usr(idB, WriteACP)}},
		{name: "email unknown", h: hdr("X-Amz-Grant-Read", `emailAddress="eve@example.com"`),
			err: &wantErr{code: awserr.UnresolvableGrantByEmailAddress, msg: "The email address that you provided does not match any account on record."}},
		{name: "ec2 id", h: hdr("X-Amz-Grant-Read", "id="+EC2CanonicalID), grants: []Grant{usr(EC2CanonicalID, Read)}},
		{name: "id of no account", h: hdr("X-Amz-Grant-Read", "id="+q(idGhost)),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentName": "id", "ArgumentValue": idGhost}}},
		{name: "id malformed", h: hdr("X-Amz-Grant-Read", `id="_foo"`),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentName": "id", "ArgumentValue": "_foo"}}},
		{name: "id upper-case hex", h: hdr("X-Amz-Grant-Read", "id="+strings.ToUpper(idB)),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id"}},
		{name: "id empty", h: hdr("X-Amz-Grant-Read", `id=""`),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentValue": ""}}},
		{name: "uri unknown group", h: hdr("X-Amz-Grant-Read", `uri="http://acs.amazonaws.com/groups/global/Everyone"`),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid group uri", fields: map[string]string{"ArgumentName": "uri", "ArgumentValue": "http://acs.amazonaws.com/groups/global/Everyone"}}},
		{name: "no equals", h: hdr("X-Amz-Grant-Read", idB),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized", fields: map[string]string{"ArgumentName": "x-amz-grant-read", "ArgumentValue": idB}}},
		{name: "unknown type", h: hdr("X-Amz-Grant-Write", `canonical="x"`),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized", fields: map[string]string{"ArgumentName": "x-amz-grant-write", "ArgumentValue": `canonical="x"`}}},
		{name: "type is case-sensitive", h: hdr("X-Amz-Grant-Read", "ID="+idB),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized"}},
		{name: "trailing comma", h: hdr("X-Amz-Grant-Read-Acp", "id="+q(idB)+","),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized", fields: map[string]string{"ArgumentName": "x-amz-grant-read-acp", "ArgumentValue": ""}}},
		{name: "empty item", h: hdr("X-Amz-Grant-Read", "id="+q(idB)+",,id="+q(idC)),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized"}},
		{name: "unbalanced quote", h: hdr("X-Amz-Grant-Full-Control", `id="`+idB),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized", fields: map[string]string{"ArgumentName": "x-amz-grant-full-control"}}},
		{name: "stray quote", h: hdr("X-Amz-Grant-Read", `id=ab"c`),
			err: &wantErr{code: awserr.InvalidArgument, msg: "Argument format not recognized"}},
		{name: "101 grants", h: hdr("X-Amz-Grant-Read", strings.Repeat("uri="+q(AllUsers)+",", 100)+"id="+q(idB)),
			err: &wantErr{code: awserr.MalformedACLError}},
		{name: "100 grants", h: hdr("X-Amz-Grant-Read", strings.TrimSuffix(strings.Repeat("uri="+q(AllUsers)+",", 100), ",")),
			grants: func() []Grant {
				g := make([]Grant, 100)
				for i := range g {
					g[i] = grp(AllUsers, Read)
				}
				return g
			}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHeaders(tt.h, testResolver)
			checkErr(t, err, tt.err)
			if tt.err != nil {
				return
			}
			if got.Present() == tt.absent {
				t.Errorf("Present() = %v", got.Present())
			}
			if got.Canned != tt.canned {
				t.Errorf("Canned = %q, want %q", got.Canned, tt.canned)
			}
			mustEqualACL(t, ACL{Grants: got.Grants}, ACL{Grants: tt.grants})
		})
	}
}

func TestHeadersACL(t *testing.T) {
	// Grant headers give exactly the listed grants: no implicit owner grant.
	h, err := ParseHeaders(hdr("X-Amz-Grant-Read", "id="+idB), testResolver)
	if err != nil {
		t.Fatal(err)
	}
	mustEqualACL(t, h.ACL(ownerA, ownerB, true), ACL{Owner: ownerA, Grants: []Grant{usr(idB, Read)}})

	// Canned expands with the owners given.
	h, err = ParseHeaders(hdr("X-Amz-Acl", "bucket-owner-full-control"), testResolver)
	if err != nil {
		t.Fatal(err)
	}
	mustEqualACL(t, h.ACL(ownerA, ownerB, true), ACL{Owner: ownerA, Grants: []Grant{fc(idA), fc(idB)}})
	mustEqualACL(t, h.ACL(ownerB, ownerB, false), Private(ownerB))

	// No header: the default ACL.
	mustEqualACL(t, Headers{}.ACL(ownerA, ownerB, true), Private(ownerA))
	// A hand-made Headers with a bad canned name fails closed to private.
	mustEqualACL(t, Headers{Canned: "bogus"}.ACL(ownerA, ownerB, true), Private(ownerA))
}

func TestFromHeaders(t *testing.T) {
	acl, present, err := FromHeaders(hdr(), ownerA, ownerB, true, testResolver)
	if err != nil || present {
		t.Fatalf("no headers: present=%v err=%v", present, err)
	}
	mustEqualACL(t, acl, Private(ownerA))

	acl, present, err = FromHeaders(hdr("X-Amz-Acl", "public-read"), ownerA, ownerB, true, testResolver)
	if err != nil || !present {
		t.Fatalf("canned: present=%v err=%v", present, err)
	}
	mustEqualACL(t, acl, ACL{Owner: ownerA, Grants: []Grant{fc(idA), grp(AllUsers, Read)}})

	_, _, err = FromHeaders(hdr("X-Amz-Grant-Read", "foo"), ownerA, ownerB, true, testResolver)
	checkErr(t, err, &wantErr{code: awserr.InvalidArgument})
}

func TestResolverNilFuncs(t *testing.T) {
	// Without Exists every well-formed id is accepted; without Email no
	// address resolves.
	h, err := ParseHeaders(hdr("X-Amz-Grant-Read", "id="+idGhost), Resolver{})
	if err != nil || len(h.Grants) != 1 {
		t.Fatalf("grants=%v err=%v", h.Grants, err)
	}
	_, err = ParseHeaders(hdr("X-Amz-Grant-Read", "emailAddress=alice@example.com"), Resolver{})
	checkErr(t, err, &wantErr{code: awserr.UnresolvableGrantByEmailAddress})
	// A resolver that returns garbage for an email is not trusted.
	bad := Resolver{Email: func(string) (string, bool) { return "not-an-id", true }}
	_, err = ParseHeaders(hdr("X-Amz-Grant-Read", "emailAddress=alice@example.com"), bad)
	checkErr(t, err, &wantErr{code: awserr.UnresolvableGrantByEmailAddress})
}

func ExampleParseHeaders() {
	h := http.Header{}
	h.Set("x-amz-grant-read", `id="`+strings.Repeat("b", 64)+`", uri="http://acs.amazonaws.com/groups/global/AllUsers"`)
	hd, err := ParseHeaders(h, Resolver{})
	fmt.Println(err, len(hd.Grants), hd.Grants[1].Grantee.URI)
	// Output: <nil> 2 http://acs.amazonaws.com/groups/global/AllUsers
}

func TestParseHeadersLimitBeforeLookups(t *testing.T) {
	calls := 0
	r := Resolver{Exists: func(string) bool { calls++; return true }}
	h := hdr("X-Amz-Grant-Read", strings.TrimSuffix(strings.Repeat("id="+idB+",", 5000), ","))
	_, err := ParseHeaders(h, r)
	checkErr(t, err, &wantErr{code: awserr.MalformedACLError})
	if calls != 0 {
		t.Errorf("resolver called %d times for a rejected list", calls)
	}
}
