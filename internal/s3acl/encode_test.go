package s3acl

import (
	"strings"
	"testing"
)

func TestEncodeRoundTrip(t *testing.T) {
	var acls []ACL
	for _, n := range CannedNames {
		for _, obj := range []bool{false, true} {
			a, err := Canned(n, ownerA, ownerB, obj)
			if err != nil {
				t.Fatal(err)
			}
			acls = append(acls, a)
		}
	}
	acls = append(acls,
		ACL{Owner: ownerA, Grants: []Grant{}},
		ACL{Owner: ownerA, Grants: []Grant{usr(idB, Read), usr(idB, Read), grp(AuthenticatedUsers, WriteACP)}},
		ACL{Owner: ownerA, Grants: []Grant{{Grantee: Grantee{Type: ByEmail, Email: "a;b,c+d%e@x"}, Permission: Read}}},
		ACL{Owner: ownerA, Grants: []Grant{fc(idB)}}, // FULL_CONTROL to someone else is not the default
		ACL{Owner: ownerA, Grants: []Grant{usr(idA, Read)}},
	)
	for _, a := range acls {
		s := Encode(a)
		back, err := Decode(s, a.Owner)
		if err != nil {
			t.Fatalf("Decode(%q): %v", s, err)
		}
		mustEqualACL(t, back, a)
		if back.Grants == nil {
			t.Errorf("Decode(%q) has nil grants", s)
		}
	}
}

func TestEncodeCompact(t *testing.T) {
	if s := Encode(Private(ownerA)); s != "" {
		t.Errorf("Encode(private) = %q, want \"\"", s)
	}
	a, _ := Decode("", ownerB)
	mustEqualACL(t, a, Private(ownerB))
	if a.Owner != ownerB || a.Grants[0].Grantee.DisplayName != "bob" {
		t.Errorf("Decode(\"\") = %+v", a)
	}
	if s := Encode(ACL{Owner: ownerA}); s != "1" {
		t.Errorf("Encode(no grants) = %q, want 1", s)
	}
	pr, _ := Canned(CannedPublicRead, ownerA, ownerB, true)
	if s, want := Encode(pr), "1;FC,u,"+idA+";R,g,A"; s != want {
		t.Errorf("Encode(public-read) = %q, want %q", s, want)
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, s := range []string{
		"0", "2;R,g,A", "1;", "1;;", "1R,g,A", "1;R,g", "1;R,g,A,x", "1;X,g,A", "1;r,g,A",
		"1;R,g,Z", "1;R,q,A", "1;R,u,", "1;R,e,", "1;R,u,%zz",
		"1" + strings.Repeat(";R,g,A", 101),
	} {
		if a, err := Decode(s, ownerA); err == nil {
			t.Errorf("Decode(%q) = %+v, want error", s, a)
		}
	}
}
