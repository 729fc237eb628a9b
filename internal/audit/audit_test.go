package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/identity"
)

type fixed struct{ d authz.Decision }

func (f fixed) Authorize(context.Context, *authz.Request) authz.Decision { return f.d }

func TestRecordAndFind(t *testing.T) {
	dir := t.TempDir()
	l, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &Authorizer{Next: fixed{authz.Decision{Allowed: false, CrossAccount: true,
		Reason: "denied: no statement in the bucket policy of 111122223333 allows s3:GetObject"}}, Log: l}
	p := &identity.Principal{Kind: identity.AssumedRole, AccountID: "444455556666", ARN: "arn:aws:sts::444455556666:assumed-role/x/s",
		AccessKeyID: "ASIAEXAMPLE", SessionToken: "SECRET-TOKEN-MUST-NOT-BE-LOGGED"}
	for _, id := range []string{"REQ1", "REQ2", "REQ1"} {
		a.Authorize(context.Background(), &authz.Request{Principal: p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
			ResourceAccount: "111122223333", Info: &identity.Request{ID: id, Received: time.Now()}})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	recs, err := Find(dir, "REQ1")
	if err != nil || len(recs) != 2 {
		t.Fatalf("Find: %d records, %v", len(recs), err)
	}
	if recs[0].Allowed || !recs[0].CrossAccount || recs[0].PrincipalARN != p.ARN {
		t.Fatalf("record: %+v", recs[0])
	}
	text := Explain("REQ1", recs)
	for _, want := range []string{"Deny: s3:GetObject", "arn:aws:s3:::b/k", "crosses accounts", "no statement in the bucket policy"} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}
	if recs, _ := Find(dir, "NOPE"); len(recs) != 0 {
		t.Fatal("found records of an unknown request")
	}
}

func TestNoSecretsInLog(t *testing.T) {
	dir := t.TempDir()
	l, _ := Open(dir, nil)
	a := &Authorizer{Next: fixed{}, Log: l}
	a.Authorize(context.Background(), &authz.Request{Principal: &identity.Principal{Kind: identity.User, ARN: "arn:aws:iam::1:user/u",
		SessionToken: "SECRET-TOKEN"}, Info: &identity.Request{ID: "R"}})
	l.Close()
	recs, _ := Find(dir, "R")
	if len(recs) != 1 {
		t.Fatal("record missing")
	}
	raw, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "SECRET") {
		t.Fatal("session token reached the audit log")
	}
}
