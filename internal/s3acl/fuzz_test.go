package s3acl

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// FuzzParsePolicy: any body yields an ACL or an *awserr.Error of a 4xx
// code, never a panic; an accepted ACL survives PolicyXML → ParsePolicy
// and Encode → Decode unchanged.
func FuzzParsePolicy(f *testing.F) {
	f.Add(userGuideSample)
	f.Add(putObjectACLExample)
	f.Add(getBucketACLExample)
	f.Add(policy(idA, ""))
	f.Add(policy(idA, grantXML("Group", "<URI>"+AllUsers+"</URI>", "READ")))
	f.Add(`<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant><Grantee xsi:type="CanonicalUser"><ID>` + idB + `</ID></Grantee><Permission>WRITE</Permission></Grant></AccessControlList></AccessControlPolicy>`)
	f.Add("<a><b></a>")
	f.Add("")
	r := Resolver{Email: func(e string) (string, bool) { return idB, strings.HasSuffix(e, "@example.com") }}
	owner := Owner{ID: idA}
	f.Fuzz(func(t *testing.T, body string) {
		acl, err := ParsePolicy(strings.NewReader(body), owner, r)
		if err != nil {
			var e *awserr.Error
			if !errors.As(err, &e) || e.Status() >= 500 {
				t.Fatalf("error %v (%T) for %q", err, err, body)
			}
			return
		}
		if acl.Owner != owner || len(acl.Grants) > MaxGrants {
			t.Fatalf("accepted %+v", acl)
		}
		for _, g := range acl.Grants {
			if !g.Permission.Valid() || g.Grantee.Type == ByEmail {
				t.Fatalf("accepted grant %+v", g)
			}
		}
		back, err := ParsePolicy(strings.NewReader(PolicyXML(acl)), owner, r)
		if err != nil || !back.Equal(acl) {
			t.Fatalf("XML round trip: %v\n%+v\n%+v", err, acl, back)
		}
		dec, err := Decode(Encode(acl), owner)
		if err != nil || !dec.Equal(acl) {
			t.Fatalf("storage round trip: %v\n%+v\n%+v", err, acl, dec)
		}
	})
}

// FuzzParseHeaders: any grant header value yields grants or a 4xx error.
func FuzzParseHeaders(f *testing.F) {
	f.Add(`id="` + idB + `", uri="` + AllUsers + `"`)
	f.Add(`emailAddress="bob@example.com"`)
	f.Add(`id=` + idB + `,`)
	f.Add(`"",=,"=`)
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("X-Amz-Grant-Read", v)
		hd, err := ParseHeaders(h, testResolver)
		if err != nil {
			var e *awserr.Error
			if !errors.As(err, &e) || e.Status() >= 500 {
				t.Fatalf("error %v for %q", err, v)
			}
			return
		}
		for _, g := range hd.Grants {
			if g.Permission != Read || (g.Grantee.Type == CanonicalUser && !isCanonicalID(g.Grantee.ID)) || (g.Grantee.Type == Group && !isGroupURI(g.Grantee.URI)) {
				t.Fatalf("accepted %+v from %q", g, v)
			}
		}
	})
}

// FuzzDecode: stored strings never panic Decode, and what decodes
// re-encodes to an equal ACL.
func FuzzDecode(f *testing.F) {
	f.Add("")
	f.Add("1")
	f.Add("1;FC,u," + idA + ";R,g,A;WA,e,a%40b")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Decode(s, ownerA)
		if err != nil {
			return
		}
		b, err := Decode(Encode(a), ownerA)
		if err != nil || !b.Equal(a) {
			t.Fatalf("%q: %v %+v %+v", s, err, a, b)
		}
	})
}
