package iamapi

import (
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestEncodeDoc(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"a": "b c"}`, "%7B%22a%22%3A%20%22b%20c%22%7D"},
		{"x+y/z:*", "x%2By%2Fz%3A%2A"},
		{"\n", "%0A"},
	} {
		if got := encodeDoc(tc.in); got != tc.want {
			t.Errorf("encodeDoc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidatorMessages(t *testing.T) {
	var v validator
	long := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	v.str(long, true, "roleName", true, 1, 64, reName, patName)
	v.str("", false, "assumeRolePolicyDocument", true, 1, 131072, reDoc, patDoc)
	v.intRange(50000, "maxSessionDuration", 3600, 43200)
	err := v.err()
	want := "3 validation errors detected: Value '" + long + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64; " +
		"Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null; " +
		"Value '50000' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"
	if e := awserr.From(err); e.Code != awserr.ValidationError || e.Msg() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestParseEntityARN(t *testing.T) {
	for _, tc := range []struct {
		in, typ, acct, path, name string
		ok                        bool
	}{
		{"arn:aws:iam::111122223333:role/app", "role", "111122223333", "/", "app", true},
		{"arn:aws:iam::111122223333:role/a/b/app", "role", "111122223333", "/a/b/", "app", true},
		{"arn:aws:iam::aws:policy/service-role/X", "policy", "aws", "/service-role/", "X", true},
		{"arn:aws:iam::111122223333:user/app", "role", "", "", "", false},
		{"arn:aws:iam::111122223333:role/a/", "role", "", "", "", false},
		{"arn:aws:s3:::bucket", "role", "", "", "", false},
	} {
		acct, path, name, ok := parseEntityARN(tc.in, tc.typ)
		if ok != tc.ok || (ok && (acct != tc.acct || path != tc.path || name != tc.name)) {
			t.Errorf("parseEntityARN(%s) = %s %s %s %v", tc.in, acct, path, name, ok)
		}
	}
}

func TestMarkers(t *testing.T) {
	p := paging{max: 2}
	items := []string{"a", "b", "c", "d", "e"}
	key := func(s string) string { return s }
	var got []string
	for {
		page, pg := pageSlice(items, p, key)
		got = append(got, page...)
		if !pg.IsTruncated {
			break
		}
		p.after = decodeMarker(pg.Marker)
	}
	if len(got) != 5 || got[4] != "e" {
		t.Fatalf("paged = %v", got)
	}
	if decodeMarker("foreign") != "\xff" {
		t.Fatal("foreign markers must continue after everything")
	}
}
