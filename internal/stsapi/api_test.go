package stsapi

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// trust returns a trust policy letting principal (an ARN or account id)
// perform actions (sts:AssumeRole when none), with an optional Condition.
func trust(principal string, cond map[string]any, actions ...string) string {
	if len(actions) == 0 {
		actions = []string{"sts:AssumeRole"}
	}
	st := map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": principal}, "Action": actions}
	if cond != nil {
		st["Condition"] = cond
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{st}})
	return string(b)
}

// allowAssume is an identity policy allowing actions on resource.
func allowAssume(resource string, actions ...string) string {
	if len(actions) == 0 {
		actions = []string{"sts:AssumeRole"}
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Effect": "Allow", "Action": actions, "Resource": resource}}})
	return string(b)
}

func TestGetCallerIdentityLongTerm(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name                 string
		c                    cred
		arn, userID, account string
	}{
		{"root", e.root, "arn:aws:iam::" + acctA + ":root", acctA, acctA},
		{"user", e.alice, "arn:aws:iam::" + acctA + ":user/alice", "AIDAALICE0000000001", acctA},
		{"user of another account", e.bob, "arn:aws:iam::" + acctB + ":user/bob", "AIDABOB000000000001", acctB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := e.client(tt.c).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.Arn) != tt.arn || aws.ToString(out.UserId) != tt.userID || aws.ToString(out.Account) != tt.account {
				t.Fatalf("got %s %s %s", aws.ToString(out.Arn), aws.ToString(out.UserId), aws.ToString(out.Account))
			}
		})
	}
}

func TestGetCallerIdentityWireFormat(t *testing.T) {
	e := newEnv(t)
	status, body := e.raw(e.alice, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}})
	want := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
		`<Arn>arn:aws:iam::111122223333:user/alice</Arn><UserId>AIDAALICE0000000001</UserId><Account>111122223333</Account>` +
		`</GetCallerIdentityResult><ResponseMetadata><RequestId>`
	if status != 200 || !strings.HasPrefix(body, want) {
		t.Fatalf("status %d body %s", status, body)
	}
}

func TestGetCallerIdentityNeverDenied(t *testing.T) {
	e := newEnv(t)
	// An explicit deny of every STS action does not affect GetCallerIdentity.
	e.authz.allow("arn:aws:iam::"+acctA+":user/alice",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:*","Resource":"*"}]}`)
	if _, err := e.client(e.alice).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
}

func TestRequestErrors(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		c      cred
		form   url.Values
		status int
		frag   []string
	}{
		{"anonymous", cred{}, url.Values{"Action": {"GetCallerIdentity"}, "Version": {"2011-06-15"}}, 403,
			[]string{"<Code>MissingAuthenticationToken</Code>", "<Type>Sender</Type>"}},
		{"unknown action", e.root, url.Values{"Action": {"GetFlyingCar"}, "Version": {"2011-06-15"}}, 400,
			[]string{"<Code>InvalidAction</Code>", "Could not find operation GetFlyingCar for version 2011-06-15"}},
		{"no action", e.root, url.Values{"Version": {"2011-06-15"}}, 400, []string{"<Code>MissingAction</Code>"}},
		{"unknown key", cred{akid: "AKIANOBODY0000000000", secret: "x"}, url.Values{"Action": {"GetCallerIdentity"}}, 403,
			[]string{"<Code>InvalidClientTokenId</Code>", "The security token included in the request is invalid."}},
		{"bad signature", cred{akid: e.root.akid, secret: "wrong"}, url.Values{"Action": {"GetCallerIdentity"}}, 403,
			[]string{"<Code>SignatureDoesNotMatch</Code>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.raw(tt.c, tt.form)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, body)
			}
			if !strings.HasPrefix(body, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`) {
				t.Fatalf("not an STS error response: %s", body)
			}
			for _, f := range tt.frag {
				if !strings.Contains(body, f) {
					t.Fatalf("body lacks %q: %s", f, body)
				}
			}
		})
	}
}
