package stsapi

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/principals"
)

var ctx = context.Background()

const aliceARN = "arn:aws:iam::" + acctA + ":user/alice"

// world is a common setup: role "deploy" (path /ops/) in account A trusted
// by the account, alice allowed to assume it, and role "target" that the
// deploy role may assume (for chaining).
type world struct {
	*env
	deploy, target *Role
}

func newWorld(t *testing.T) *world {
	e := newEnv(t)
	w := &world{env: e}
	w.deploy = e.addRole(acctA, "/ops/", "deploy", trust(acctA, nil), 7200, map[string]string{"env": "prod", "Team": "role"})
	w.target = e.addRole(acctA, "/", "target", trust(acctA, nil), 0, nil)
	e.authz.allow(aliceARN, allowAssume(w.deploy.ARN))
	e.authz.allow(w.deploy.ARN, allowAssume(w.target.ARN))
	return w
}

func (w *world) assume(c cred, in *sts.AssumeRoleInput) (*sts.AssumeRoleOutput, error) {
	return w.client(c).AssumeRole(ctx, in)
}

// session assumes deploy as alice and returns the session credentials.
func (w *world) session(t *testing.T, mod func(*sts.AssumeRoleInput)) cred {
	t.Helper()
	in := &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("ci")}
	if mod != nil {
		mod(in)
	}
	out, err := w.assume(w.alice, in)
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	return credOf(out.Credentials)
}

func (w *world) resolve(t *testing.T, c cred) *principals.Resolved {
	t.Helper()
	res, err := w.resolver.Resolve(ctx, "s3", c.akid, c.token)
	if err != nil {
		t.Fatalf("resolve: %v", err)
	}
	return res
}

var akidRE = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)

func TestAssumeRoleIssuesWorkingCredentials(t *testing.T) {
	w := newWorld(t)
	before := w.now().Truncate(time.Second)
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("ci-run@42")})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !akidRE.MatchString(aws.ToString(c.AccessKeyId)) || len(aws.ToString(c.SecretAccessKey)) != 40 || aws.ToString(c.SessionToken) == "" {
		t.Fatalf("credentials %s / %d-char secret", aws.ToString(c.AccessKeyId), len(aws.ToString(c.SecretAccessKey)))
	}
	if exp := aws.ToTime(c.Expiration); exp.Before(before.Add(time.Hour)) || exp.After(before.Add(time.Hour+5*time.Second)) {
		t.Fatalf("expiration %v, want about %v", exp, before.Add(time.Hour))
	}
	wantARN := "arn:aws:sts::" + acctA + ":assumed-role/deploy/ci-run@42" // no role path
	if u := out.AssumedRoleUser; aws.ToString(u.Arn) != wantARN || aws.ToString(u.AssumedRoleId) != w.deploy.RoleID+":ci-run@42" {
		t.Fatalf("AssumedRoleUser %s %s", aws.ToString(u.Arn), aws.ToString(u.AssumedRoleId))
	}
	if out.PackedPolicySize != nil || out.SourceIdentity != nil {
		t.Fatalf("PackedPolicySize %v SourceIdentity %v without policies, tags or source identity", out.PackedPolicySize, out.SourceIdentity)
	}
	if got := aws.ToInt32(out.SessionTokenSize); int(got) != len(aws.ToString(c.SessionToken)) {
		t.Fatalf("SessionTokenSize %d, token has %d bytes", got, len(aws.ToString(c.SessionToken)))
	}

	// The credentials work: seal → resolve through the front end.
	id, err := w.client(credOf(c)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(id.Arn) != wantARN || aws.ToString(id.UserId) != w.deploy.RoleID+":ci-run@42" || aws.ToString(id.Account) != acctA {
		t.Fatalf("GetCallerIdentity %s %s %s", aws.ToString(id.Arn), aws.ToString(id.UserId), aws.ToString(id.Account))
	}
	res := w.resolve(t, credOf(c))
	p := res.Principal
	if p.Kind != identity.AssumedRole || p.RoleARN != w.deploy.ARN || p.CanonicalID != strings.Repeat("a", 64) ||
		!reflect.DeepEqual(p.Tags, map[string]string{"env": "prod", "Team": "role"}) || p.TokenIssueTime.IsZero() {
		t.Fatalf("principal %+v", p)
	}
	if s := res.Session; s.Chained || s.MFA || s.HasPolicies() || s.SessionName != "ci-run@42" {
		t.Fatalf("session %+v", s)
	}
}

func TestAssumeRoleAuthorization(t *testing.T) {
	w := newWorld(t)
	byUser := w.addRole(acctA, "/", "byuser", trust(aliceARN, nil), 0, nil)
	crossB := w.addRole(acctA, "/", "cross", trust(acctB, nil), 0, nil)
	w.authz.allow("arn:aws:iam::"+acctB+":user/bob", allowAssume(crossB.ARN))
	onlyA := w.addRole(acctA, "/", "onlya", trust(acctA, nil), 0, nil)
	w.authz.allow("arn:aws:iam::"+acctB+":user/bob", allowAssume(onlyA.ARN))
	noIdentity := w.addRole(acctA, "/", "noident", trust(acctA, nil), 0, nil)
	bRole := w.addRole(acctB, "/", "brole", trust(acctB, nil), 0, nil)

	denied := func(who, role string) string {
		return fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", who, role)
	}
	tests := []struct {
		name    string
		c       cred
		role    string
		errCode string
		errMsg  string
		account string
	}{
		{"identity policy + trust naming the account", w.alice, w.deploy.ARN, "", "", acctA},
		{"trust naming the user, no identity policy", w.alice, byUser.ARN, "", "", acctA},
		{"cross-account with both sides", w.bob, crossB.ARN, "", "", acctA},
		{"cross-account, trust names another account", w.bob, onlyA.ARN, "AccessDenied",
			denied("arn:aws:iam::"+acctB+":user/bob", onlyA.ARN), ""},
		{"same account, no identity policy", w.alice, noIdentity.ARN, "AccessDenied", denied(aliceARN, noIdentity.ARN), ""},
		{"other account's role, not trusted", w.alice, bRole.ARN, "AccessDenied", denied(aliceARN, bRole.ARN), ""},
		{"role does not exist", w.alice, "arn:aws:iam::" + acctA + ":role/nope", "AccessDenied",
			denied(aliceARN, "arn:aws:iam::"+acctA+":role/nope"), ""},
		{"path must match", w.alice, "arn:aws:iam::" + acctA + ":role/deploy", "AccessDenied",
			denied(aliceARN, "arn:aws:iam::"+acctA+":role/deploy"), ""},
		{"root cannot assume roles", w.root, w.deploy.ARN, "AccessDenied", "Roles may not be assumed by root accounts.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := w.assume(tt.c, &sts.AssumeRoleInput{RoleArn: aws.String(tt.role), RoleSessionName: aws.String("s1")})
			if tt.errCode != "" {
				wantErr(t, err, tt.errCode, 403, tt.errMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res := w.resolve(t, credOf(out.Credentials))
			if res.Principal.AccountID != tt.account || res.Principal.RoleARN != tt.role {
				t.Fatalf("principal %+v", res.Principal)
			}
		})
	}
}

func TestAssumeRoleExternalID(t *testing.T) {
	w := newWorld(t)
	role := w.addRole(acctA, "/", "vendor", trust(acctB, map[string]any{"StringEquals": map[string]any{"sts:ExternalId": "s3cr3t-id"}}), 0, nil)
	w.authz.allow("arn:aws:iam::"+acctB+":user/bob", allowAssume(role.ARN))
	for _, tc := range []struct {
		ext  *string
		okay bool
	}{{nil, false}, {aws.String("wrong-id"), false}, {aws.String("s3cr3t-id"), true}} {
		_, err := w.assume(w.bob, &sts.AssumeRoleInput{RoleArn: aws.String(role.ARN), RoleSessionName: aws.String("vendor"), ExternalId: tc.ext})
		if tc.okay && err != nil {
			t.Fatalf("external id %v: %v", aws.ToString(tc.ext), err)
		}
		if !tc.okay {
			wantErr(t, err, "AccessDenied", 403, "")
		}
	}
}

func TestAssumeRoleValidation(t *testing.T) {
	w := newWorld(t)
	long := strings.Repeat("n", 65)
	tests := []struct {
		name string
		in   *sts.AssumeRoleInput
		msg  string
	}{
		{"session name too short", &sts.AssumeRoleInput{RoleSessionName: aws.String("a")},
			"1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"session name too long", &sts.AssumeRoleInput{RoleSessionName: aws.String(long)},
			"1 validation error detected: Value '" + long + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"session name pattern", &sts.AssumeRoleInput{RoleSessionName: aws.String("a:b")},
			`1 validation error detected: Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"duration too short", &sts.AssumeRoleInput{DurationSeconds: aws.Int32(899)},
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration too long", &sts.AssumeRoleInput{DurationSeconds: aws.Int32(43201)},
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"two errors", &sts.AssumeRoleInput{RoleSessionName: aws.String("a"), DurationSeconds: aws.Int32(60)},
			"2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; " +
				"Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"role arn too short", &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::1:r")},
			"1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{"external id too short", &sts.AssumeRoleInput{ExternalId: aws.String("x")},
			"1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"source identity pattern", &sts.AssumeRoleInput{SourceIdentity: aws.String("al ice")},
			`1 validation error detected: Value 'al ice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"tag key pattern", &sts.AssumeRoleInput{Tags: []types.Tag{{Key: aws.String("a*b"), Value: aws.String("v")}}},
			`1 validation error detected: Value 'a*b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+`},
		{"token code", &sts.AssumeRoleInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("12345")},
			"1 validation error detected: Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"minimum token size", &sts.AssumeRoleInput{MinimumSessionTokenSize: aws.Int32(5000)},
			"1 validation error detected: Value '5000' at 'minimumSessionTokenSize' failed to satisfy constraint: Member must have value less than or equal to 4096"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := *tt.in
			if in.RoleArn == nil {
				in.RoleArn = aws.String(w.deploy.ARN)
			}
			if in.RoleSessionName == nil {
				in.RoleSessionName = aws.String("ok")
			}
			_, err := w.assume(w.alice, &in)
			wantErr(t, err, "ValidationError", 400, tt.msg)
		})
	}

	t.Run("too many tags", func(t *testing.T) {
		var tags []types.Tag
		for i := range 51 {
			tags = append(tags, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i)), Value: aws.String("v")})
		}
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("ok"), Tags: tags})
		_, msg, _ := apiErr(t, err)
		if !strings.HasSuffix(msg, "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50") {
			t.Fatalf("message %q", msg)
		}
	})

	// Requests the SDK would not send.
	raw := []struct {
		name string
		form url.Values
		msg  string
	}{
		{"required parameters", url.Values{},
			"2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"duration not a number", url.Values{"RoleArn": {w.deploy.ARN}, "RoleSessionName": {"ok"}, "DurationSeconds": {"soon"}},
			"failed to satisfy constraint: Member must be a number"},
	}
	for _, tt := range raw {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("Action", "AssumeRole")
			tt.form.Set("Version", "2011-06-15")
			status, body := w.raw(w.alice, tt.form)
			body = html.UnescapeString(body)
			if status != 400 || !strings.Contains(body, "<Code>ValidationError</Code>") || !strings.Contains(body, tt.msg) {
				t.Fatalf("status %d body %s", status, body)
			}
		})
	}
}

func TestAssumeRoleDurations(t *testing.T) {
	w := newWorld(t) // deploy allows 7200 s, target the default 3600 s
	check := func(c cred, role string, d *int32, want time.Duration, errMsg string) {
		t.Helper()
		start := w.now().Truncate(time.Second)
		out, err := w.assume(c, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("dur"), DurationSeconds: d})
		if errMsg != "" {
			wantErr(t, err, "ValidationError", 400, errMsg)
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToTime(out.Credentials.Expiration).Sub(start); got < want || got > want+5*time.Second {
			t.Fatalf("session lasts %v, want %v", got, want)
		}
	}
	const overMax = "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
	const chainMsg = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
	check(w.alice, w.deploy.ARN, nil, time.Hour, "")
	check(w.alice, w.deploy.ARN, aws.Int32(900), 15*time.Minute, "")
	check(w.alice, w.deploy.ARN, aws.Int32(7200), 2*time.Hour, "")
	check(w.alice, w.deploy.ARN, aws.Int32(7201), 0, overMax)
	w.authz.allow(aliceARN, allowAssume(w.target.ARN))
	check(w.alice, w.target.ARN, aws.Int32(3601), 0, overMax)

	// Role chaining: at most one hour, whatever the role allows.
	sess := w.session(t, nil)
	w.authz.allow(w.deploy.ARN, allowAssume(w.deploy.ARN))
	w.deploy.TrustPolicy = trust(acctA, nil)
	check(sess, w.target.ARN, aws.Int32(3601), 0, chainMsg)
	check(sess, w.deploy.ARN, aws.Int32(7200), 0, chainMsg)
	check(sess, w.target.ARN, nil, time.Hour, "")
	check(sess, w.target.ARN, aws.Int32(3600), time.Hour, "")

	// The same cap holds when the front end does not pass the session.
	w.noSessionCtx.Store(true)
	check(sess, w.target.ARN, aws.Int32(3601), 0, chainMsg)
}

func TestAssumeRoleChainedSession(t *testing.T) {
	w := newWorld(t)
	sess := w.session(t, nil)
	out, err := w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop2")})
	if err != nil {
		t.Fatal(err)
	}
	res := w.resolve(t, credOf(out.Credentials))
	if !res.Session.Chained || res.Principal.ARN != "arn:aws:sts::"+acctA+":assumed-role/target/hop2" {
		t.Fatalf("chained session %+v principal %s", res.Session, res.Principal.ARN)
	}
	// The first session's role must itself be allowed to assume the target.
	other := w.addRole(acctA, "/", "other", trust(acctA, nil), 0, nil)
	_, err = w.assume(sess, &sts.AssumeRoleInput{RoleArn: aws.String(other.ARN), RoleSessionName: aws.String("hop2")})
	wantErr(t, err, "AccessDenied", 403,
		"User: arn:aws:sts::"+acctA+":assumed-role/deploy/ci is not authorized to perform: sts:AssumeRole on resource: "+other.ARN)
}

func TestAssumeRoleSessionPolicies(t *testing.T) {
	w := newWorld(t)
	t.Run("malformed", func(t *testing.T) {
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("pol"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`)})
		wantErr(t, err, "MalformedPolicyDocument", 400, "")
	})
	t.Run("not json", func(t *testing.T) {
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("pol"),
			Policy: aws.String(`{`)})
		wantErr(t, err, "MalformedPolicyDocument", 400, "")
	})
	t.Run("too large packed", func(t *testing.T) {
		// Random-looking names compress poorly: under 2,048 characters,
		// over the packed limit.
		var res []string
		for i := range 30 {
			sum := sha256.Sum256([]byte{byte(i)})
			res = append(res, `"arn:aws:s3:::b/`+base64.RawURLEncoding.EncodeToString(sum[:])+`"`)
		}
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[` + strings.Join(res, ",") + `]}]}`
		if len(doc) > 2048 {
			t.Fatalf("test policy has %d characters", len(doc))
		}
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("pol"), Policy: aws.String(doc)})
		_, msg, status := apiErr(t, err)
		if code, _, _ := apiErr(t, err); code != "PackedPolicyTooLarge" || status != 400 ||
			!regexp.MustCompile(`^Packed policy consumes \d+% of allotted space, please use smaller policy\.$`).MatchString(msg) {
			t.Fatalf("%s %d %q", code, status, msg)
		}
	})
	t.Run("too long", func(t *testing.T) {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Sid":"` + strings.Repeat("a", 2048) + `"}]}`
		_, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("pol"), Policy: aws.String(doc)})
		_, msg, _ := apiErr(t, err)
		if !strings.HasSuffix(msg, "at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048") {
			t.Fatalf("message %q", msg)
		}
	})
	t.Run("session policy limits the session", func(t *testing.T) {
		narrow := w.session(t, func(in *sts.AssumeRoleInput) {
			in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
			in.PolicyArns = []types.PolicyDescriptorType{{Arn: aws.String("arn:aws:iam::" + acctA + ":policy/extra")}}
		})
		res := w.resolve(t, narrow)
		if !res.Session.HasPolicies() || res.Session.PolicyARNs[0] != "arn:aws:iam::"+acctA+":policy/extra" {
			t.Fatalf("session %+v", res.Session)
		}
		// The role allows sts:AssumeRole on target, the session policy does not.
		_, err := w.assume(narrow, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop")})
		wantErr(t, err, "AccessDenied", 403, "")

		wide := w.session(t, func(in *sts.AssumeRoleInput) {
			in.Policy = aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
		})
		if _, err := w.assume(wide, &sts.AssumeRoleInput{RoleArn: aws.String(w.target.ARN), RoleSessionName: aws.String("hop")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("packed size reported", func(t *testing.T) {
		out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("pol"),
			Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
		if err != nil {
			t.Fatal(err)
		}
		if n := aws.ToInt32(out.PackedPolicySize); n < 1 || n > 100 {
			t.Fatalf("PackedPolicySize %d", n)
		}
	})
}

func TestAssumeRoleMinimumTokenSize(t *testing.T) {
	w := newWorld(t)
	out, err := w.assume(w.alice, &sts.AssumeRoleInput{RoleArn: aws.String(w.deploy.ARN), RoleSessionName: aws.String("big"),
		MinimumSessionTokenSize: aws.Int32(3000)})
	if err != nil {
		t.Fatal(err)
	}
	tok := aws.ToString(out.Credentials.SessionToken)
	if len(tok) < 3000 || int(aws.ToInt32(out.SessionTokenSize)) != len(tok) {
		t.Fatalf("token of %d bytes, SessionTokenSize %d", len(tok), aws.ToInt32(out.SessionTokenSize))
	}
	if _, err := w.client(credOf(out.Credentials)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
}
