package stsapi

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

func TestGetSessionTokenDurations(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name string
		c    cred
		d    *int32
		want time.Duration
		msg  string
	}{
		{"user default", e.alice, nil, 12 * time.Hour, ""},
		{"user minimum", e.alice, aws.Int32(900), 15 * time.Minute, ""},
		{"user maximum", e.alice, aws.Int32(129600), 36 * time.Hour, ""},
		{"user too long", e.alice, aws.Int32(129601), 0,
			"1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"},
		{"user too short", e.alice, aws.Int32(899), 0,
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"root default is one hour", e.root, nil, time.Hour, ""},
		{"root longer becomes one hour", e.root, aws.Int32(7200), time.Hour, ""},
		{"root shorter", e.root, aws.Int32(1800), 30 * time.Minute, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := e.now().Truncate(time.Second)
			out, err := e.client(tt.c).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: tt.d})
			if tt.msg != "" {
				wantErr(t, err, "ValidationError", 400, tt.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToTime(out.Credentials.Expiration).Sub(start); got < tt.want || got > tt.want+5*time.Second {
				t.Fatalf("session lasts %v, want %v", got, tt.want)
			}
			if !akidRE.MatchString(aws.ToString(out.Credentials.AccessKeyId)) ||
				int(aws.ToInt32(out.SessionTokenSize)) != len(aws.ToString(out.Credentials.SessionToken)) {
				t.Fatalf("credentials %+v", out.Credentials)
			}
		})
	}
}

func TestGetSessionTokenCredentials(t *testing.T) {
	w := newWorld(t)
	out, err := w.client(w.alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	sess := credOf(out.Credentials)

	// The session acts as alice.
	id, err := w.client(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != aliceARN || aws.ToString(id.UserId) != "AIDAALICE0000000001" {
		t.Fatalf("GetCallerIdentity %s %s", aws.ToString(id.Arn), aws.ToString(id.UserId))
	}
	res := w.resolve(t, sess)
	if p := res.Principal; p.Kind != identity.User || p.UserName != "alice" || p.Tags["team"] != "blue" || p.SessionToken == "" {
		t.Fatalf("principal %+v", p)
	}
	if !res.Session.IsGetSessionToken() || res.Session.UserARN != aliceARN || res.Session.MFA {
		t.Fatalf("session %+v", res.Session)
	}

	// It may not call GetSessionToken again.
	_, err = w.client(sess).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantErr(t, err, "AccessDenied", 403, "Cannot call GetSessionToken with session credentials")
	// Nor may role sessions.
	_, err = w.client(w.session(t, nil)).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantErr(t, err, "AccessDenied", 403, "Cannot call GetSessionToken with session credentials")

	// It may call AssumeRole (as role chaining: one hour at most).
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("gst"), DurationSeconds: aws.Int32(7200)})
	wantErr(t, err, "ValidationError", 400, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	if _, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("gst")}); err != nil {
		t.Fatal(err)
	}

	// Without MFA it cannot call IAM: the resolver refuses it for "iam".
	_, err = w.resolver.Resolve(ctx, "iam", sess.akid, sess.token)
	if ae := awserr.From(err); ae.Code != awserr.InvalidClientTokenID || ae.Status() != 403 {
		t.Fatalf("IAM call with GetSessionToken credentials: %v", err)
	}
}

func TestGetSessionTokenRoot(t *testing.T) {
	e := newEnv(t)
	out, err := e.client(e.root).GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := e.client(credOf(out.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != "arn:aws:iam::"+acctA+":root" || aws.ToString(id.UserId) != acctA {
		t.Fatalf("GetCallerIdentity %s %s", aws.ToString(id.Arn), aws.ToString(id.UserId))
	}
	// Root sessions cannot assume roles either.
	role := e.addRole(acctA, "/", "r", trust(acctA, nil), 0, nil)
	_, err = e.client(credOf(out.Credentials)).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("rs")})
	wantErr(t, err, "AccessDenied", 403, "Roles may not be assumed by root accounts.")
}

func TestGetSessionTokenMFA(t *testing.T) {
	e := newEnv(t)
	_, err := e.client(e.alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("654321")})
	wantErr(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	_, err = e.client(e.alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{TokenCode: aws.String("123456")})
	wantErr(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	out, err := e.client(e.alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("123456")})
	if err != nil {
		t.Fatal(err)
	}
	c := credOf(out.Credentials)
	res, err := e.resolver.Resolve(ctx, "iam", c.akid, c.token) // MFA sessions may call IAM
	if err != nil || !res.Session.MFA {
		t.Fatalf("MFA session on IAM: %v %+v", err, res)
	}
	keys := res.Session.ContextKeys(e.now())
	if keys["aws:MultiFactorAuthPresent"][0] != "true" {
		t.Fatalf("context keys %v", keys)
	}

	// No verifier configured: MFA always fails.
	e.api.cfg.MFA = nil
	_, err = e.client(e.alice).GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("123456")})
	wantErr(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

// TestSessionTokenTamperAndExpiry drives forged and expired session tokens
// through the SDK, the signature verifier and the resolver.
func TestSessionTokenTamperAndExpiry(t *testing.T) {
	w := newWorld(t)
	sess := w.session(t, func(in *sts.AssumeRoleInput) { in.DurationSeconds = aws.Int32(900) })

	flip := func(tok string, i int) string {
		b := []byte(tok)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	forged := []cred{
		{sess.akid, sess.secret, flip(sess.token, 10)},
		{sess.akid, sess.secret, flip(sess.token, len(sess.token)/2)},
		{sess.akid, sess.secret, sess.token[:len(sess.token)-8]},
		{"ASIAOTHERKEY0000000A", sess.secret, sess.token}, // token bound to another key id
		{sess.akid, sess.secret, "garbage"},
		{w.alice.akid, w.alice.secret, sess.token}, // long-term key with a token
	}
	for i, c := range forged {
		_, err := w.client(c).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		code, msg, status := apiErr(t, err)
		if code != "InvalidClientTokenId" || status != 403 || msg != "The security token included in the request is invalid." {
			t.Fatalf("forged #%d: %s %d %q", i, code, status, msg)
		}
	}
	// The wrong secret with a good token fails the signature.
	_, err := w.client(cred{sess.akid, "wrong", sess.token}).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErr(t, err, "SignatureDoesNotMatch", 403, "")

	if _, err := w.client(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("genuine session: %v", err)
	}
	w.advance(15*time.Minute + time.Second)
	_, err = w.client(sess).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantErr(t, err, "ExpiredToken", 403, "The security token included in the request is expired")
	// S3 words it differently.
	_, err = w.resolver.Resolve(ctx, "s3", sess.akid, sess.token)
	if ae := awserr.From(err); ae.Code != awserr.ExpiredToken || ae.Status() != 400 || ae.Msg() != "The provided token has expired." {
		t.Fatalf("S3 expiry: %v", err)
	}
}

func TestIssuedTokenContents(t *testing.T) {
	w := newWorld(t)
	taggable(w)
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("contents"),
		Policy:         aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
		Tags:           []types.Tag{tag("k", "v")},
		SourceIdentity: aws.String("alice"), DurationSeconds: aws.Int32(1800)})
	if err != nil {
		t.Fatal(err)
	}
	c := credOf(out.Credentials)
	cl, err := w.ring.Open(c.token, c.akid, w.now())
	if err != nil {
		t.Fatal(err)
	}
	if cl.Kind != sessiontoken.AssumedRole || cl.AccountID != acctA || cl.RoleARN != w.deploy.ARN || cl.RoleID != w.deploy.RoleID ||
		cl.SessionName != "contents" || cl.SecretAccessKey != c.secret || cl.SourceIdentity != "alice" ||
		cl.Expires.Sub(cl.IssuedAt) != 30*time.Minute || !strings.Contains(cl.Policy, "s3:*") ||
		len(cl.Tags) != 1 || cl.Chained || cl.MFA || len(cl.IdentityTags) != 2 {
		t.Fatalf("claims %+v", cl)
	}
	// The token reveals nothing in clear.
	for _, secret := range []string{c.secret, "contents", w.deploy.ARN, "s3:*"} {
		if strings.Contains(c.token, secret) {
			t.Fatalf("token contains %q in clear", secret)
		}
	}
	// Raw wire form: Expiration in ISO 8601 seconds, element names as AWS.
	status, body := w.raw(w.alice, url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
		"RoleArn": {w.deploy.ARN}, "RoleSessionName": {"wire"}})
	for _, frag := range []string{`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>`,
		"<AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/deploy/wire</Arn><AssumedRoleId>" + w.deploy.RoleID + ":wire</AssumedRoleId></AssumedRoleUser>",
		"<Credentials><AccessKeyId>ASIA", "</SessionToken><Expiration>", "Z</Expiration></Credentials>"} {
		if status != 200 || !strings.Contains(body, frag) {
			t.Fatalf("status %d, body lacks %q: %s", status, frag, body)
		}
	}
}
