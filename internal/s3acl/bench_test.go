package s3acl

import (
	"net/http"
	"strings"
	"testing"
)

func benchACL() ACL {
	return ACL{Owner: ownerA, Grants: []Grant{fc(idA), fc(idB), usr(idC, Read), grp(AuthenticatedUsers, ReadACP), grp(AllUsers, Read)}}
}

func BenchmarkAllows(b *testing.B) {
	a := benchACL()
	r := Requester{CanonicalID: idC, Authenticated: true}
	b.ReportAllocs()
	for b.Loop() {
		if !a.Allows(r, Read, false) {
			b.Fatal("denied")
		}
	}
}

func BenchmarkPermissionFor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := PermissionFor("s3:GetObject", true); !ok {
			b.Fatal("unmapped")
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	s := Encode(benchACL())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(s, ownerA); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode("", ownerA); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	a := benchACL()
	b.ReportAllocs()
	for b.Loop() {
		_ = Encode(a)
	}
}

func BenchmarkPolicyXML(b *testing.B) {
	a := benchACL()
	b.ReportAllocs()
	for b.Loop() {
		_ = PolicyXML(a)
	}
}

func BenchmarkParsePolicy(b *testing.B) {
	body := PolicyXML(benchACL())
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePolicy(strings.NewReader(body), ownerA, testResolver); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseHeaders(b *testing.B) {
	h := http.Header{}
	h.Set("X-Amz-Grant-Read", `id="`+idB+`", uri="`+AllUsers+`"`)
	h.Set("X-Amz-Grant-Full-Control", `id="`+idA+`"`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseHeaders(h, testResolver); err != nil {
			b.Fatal(err)
		}
	}
}
