package s3acl

import (
	"errors"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Canonical ids of the test accounts.
var (
	idA = strings.Repeat("a", 64)
	idB = strings.Repeat("b", 64)
	idC = strings.Repeat("c", 64)
	// idGhost is well-formed but belongs to no account.
	idGhost = strings.Repeat("d", 64)

	ownerA = Owner{ID: idA, DisplayName: "alice"}
	ownerB = Owner{ID: idB, DisplayName: "bob"}
)

// testResolver knows accounts a, b, c and their emails, and EC2.
var testResolver = Resolver{
	Exists: func(id string) bool { return id == idA || id == idB || id == idC || id == EC2CanonicalID },
	Email: func(e string) (string, bool) {
		switch strings.ToLower(e) {
		case "alice@example.com":
			return idA, true
		case "bob@example.com":
			return idB, true
		}
		return "", false
	},
}

// wantErr describes an expected *awserr.Error; empty fields are not checked.
type wantErr struct {
	code   *awserr.Code
	msg    string
	fields map[string]string
}

func checkErr(t *testing.T, err error, want *wantErr) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want %s", err, err, want.code.Name)
	}
	if e.Code != want.code {
		t.Fatalf("code = %s (%q), want %s", e.Code.Name, e.Msg(), want.code.Name)
	}
	if want.msg != "" && e.Msg() != want.msg {
		t.Errorf("message = %q, want %q", e.Msg(), want.msg)
	}
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Name] = f.Value
	}
	for k, v := range want.fields {
		if got[k] != v {
			t.Errorf("field %s = %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
}

func fc(id string) Grant                 { return Grant{Grantee: User(id), Permission: FullControl} }
func usr(id string, p Permission) Grant  { return Grant{Grantee: User(id), Permission: p} }
func grp(uri string, p Permission) Grant { return Grant{Grantee: GroupGrantee(uri), Permission: p} }

func mustEqualACL(t *testing.T, got, want ACL) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("ACL mismatch\n got: %+v\nwant: %+v", got, want)
	}
}
