package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/crossbucket/crossbucket/internal/accounts"
)

// keys is a credential set usable by both the CLI and the SDK.
type keys struct{ ID, Secret, Token string }

func rootKeys(c *accounts.Created) keys { return keys{c.AccessKeyID, c.SecretAccessKey, ""} }

func (k keys) env() []string {
	out := []string{"AWS_ACCESS_KEY_ID=" + k.ID, "AWS_SECRET_ACCESS_KEY=" + k.Secret}
	if k.Token != "" {
		out = append(out, "AWS_SESSION_TOKEN="+k.Token)
	}
	return out
}

func (e *Env) cfg(k keys) aws.Config {
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(k.ID, k.Secret, k.Token)}
}

func (e *Env) IAM(k keys) *iam.Client {
	return iam.NewFromConfig(e.cfg(k), func(o *iam.Options) { o.BaseEndpoint = aws.String(e.HTTP.URL) })
}

func (e *Env) STS(k keys) *sts.Client {
	return sts.NewFromConfig(e.cfg(k), func(o *sts.Options) { o.BaseEndpoint = aws.String(e.HTTP.URL) })
}

func (e *Env) S3Keys(k keys) *s3.Client {
	return s3.NewFromConfig(e.cfg(k), func(o *s3.Options) { o.BaseEndpoint = aws.String(e.HTTP.URL); o.UsePathStyle = true })
}

// runAs runs the aws CLI with the given keys in the environment.
func (e *Env) runAs(t *testing.T, k keys, args ...string) CLIResult {
	t.Helper()
	return e.CLIEnv(t, nil, k.env(), args...)
}

func (e *Env) mustAs(t *testing.T, k keys, args ...string) string {
	t.Helper()
	r := e.runAs(t, k, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	return r.Stdout
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// newUser creates an IAM user with an inline policy (may be "") and keys,
// through the CLI as the account's root.
func (e *Env) newUser(t *testing.T, root *accounts.Created, name, policyDoc string) keys {
	t.Helper()
	rk := rootKeys(root)
	e.mustAs(t, rk, "iam", "create-user", "--user-name", name)
	if policyDoc != "" {
		f := writeFile(t, t.TempDir(), "p.json", policyDoc)
		e.mustAs(t, rk, "iam", "put-user-policy", "--user-name", name, "--policy-name", "p", "--policy-document", "file://"+f)
	}
	var out struct {
		AccessKey struct{ AccessKeyId, SecretAccessKey string }
	}
	mustJSON(t, e.mustAs(t, rk, "iam", "create-access-key", "--user-name", name), &out)
	return keys{out.AccessKey.AccessKeyId, out.AccessKey.SecretAccessKey, ""}
}

func callerArn(t *testing.T, out string) string {
	t.Helper()
	var id struct{ Arn, Account, UserId string }
	mustJSON(t, out, &id)
	return id.Arn
}

// TestCrossAccountAssumeRole: a role in B trusting A's root; users of A
// with and without sts:AssumeRole; the CLI's role_arn + source_profile.
func TestCrossAccountAssumeRole(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	roleARN := "arn:aws:iam::" + b.AccountID + ":role/reader"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + a.AccountID + `:root"},"Action":"sts:AssumeRole"}]}`
	tf := writeFile(t, t.TempDir(), "trust.json", trust)
	e.mustAs(t, rootKeys(b), "iam", "create-role", "--role-name", "reader", "--assume-role-policy-document", "file://"+tf)
	e.mustAs(t, rootKeys(b), "iam", "attach-role-policy", "--role-name", "reader", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	e.mustAs(t, rootKeys(b), "s3", "mb", "s3://b-data")
	bodyFile := writeFile(t, t.TempDir(), "x.txt", "from account B")
	e.mustAs(t, rootKeys(b), "s3", "cp", bodyFile, "s3://b-data/x.txt")

	alice := e.newUser(t, a, "alice", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}]}`)
	bob := e.newUser(t, a, "bob", "")

	if arn := callerArn(t, e.mustAs(t, alice, "sts", "get-caller-identity")); arn != "arn:aws:iam::"+a.AccountID+":user/alice" {
		t.Fatalf("alice's identity: %s", arn)
	}
	// Bob lacks the identity-side allow: denied although the trust policy names his account.
	if r := e.runAs(t, bob, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "sess"); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("bob assume-role: %d %s", r.Code, r.Stderr)
	}
	// A third account's root is not trusted.
	c := e.Account(t)
	if r := e.runAs(t, rootKeys(c), "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "sess"); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("third account assume-role: %d %s", r.Code, r.Stderr)
	}

	var cred struct {
		Credentials     struct{ AccessKeyId, SecretAccessKey, SessionToken string }
		AssumedRoleUser struct{ Arn string }
	}
	mustJSON(t, e.mustAs(t, alice, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "alice-session"), &cred)
	wantArn := "arn:aws:sts::" + b.AccountID + ":assumed-role/reader/alice-session"
	if cred.AssumedRoleUser.Arn != wantArn || !strings.HasPrefix(cred.Credentials.AccessKeyId, "ASIA") {
		t.Fatalf("assume-role: %+v", cred)
	}
	sess := keys{cred.Credentials.AccessKeyId, cred.Credentials.SecretAccessKey, cred.Credentials.SessionToken}
	if arn := callerArn(t, e.mustAs(t, sess, "sts", "get-caller-identity")); arn != wantArn {
		t.Fatalf("session identity: %s", arn)
	}
	// The session reads B's bucket (same account as the role, via AmazonS3ReadOnlyAccess) but cannot write.
	if out := e.mustAs(t, sess, "s3", "ls", "s3://b-data/"); !strings.Contains(out, "x.txt") {
		t.Fatalf("session ls: %s", out)
	}
	if r := e.runAs(t, sess, "s3", "cp", bodyFile, "s3://b-data/y.txt"); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("session write with a read-only role: %d %s", r.Code, r.Stderr)
	}
	// A tampered token is refused.
	bad := sess
	bad.Token = sess.Token[:len(sess.Token)-4] + "AAAA"
	if r := e.runAs(t, bad, "sts", "get-caller-identity"); r.Code == 0 || !strings.Contains(r.Stderr, "InvalidClientTokenId") {
		t.Fatalf("tampered token: %d %s", r.Code, r.Stderr)
	}
	if r := e.runAs(t, bad, "s3", "ls", "s3://b-data/"); r.Code == 0 || !strings.Contains(r.Stderr, "InvalidToken") {
		t.Fatalf("tampered token on S3: %d %s", r.Code, r.Stderr)
	}

	// Chaining: the session may not ask for more than an hour.
	trust2 := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + roleARN + `"},"Action":"sts:AssumeRole"}]}`
	tf2 := writeFile(t, t.TempDir(), "trust2.json", trust2)
	e.mustAs(t, rootKeys(b), "iam", "create-role", "--role-name", "second", "--assume-role-policy-document", "file://"+tf2, "--max-session-duration", "43200")
	e.mustAs(t, rootKeys(b), "iam", "put-role-policy", "--role-name", "reader", "--policy-name", "chain",
		"--policy-document", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	second := "arn:aws:iam::" + b.AccountID + ":role/second"
	if r := e.runAs(t, sess, "sts", "assume-role", "--role-arn", second, "--role-session-name", "chain", "--duration-seconds", "7200"); r.Code == 0 || !strings.Contains(r.Stderr, "ValidationError") {
		t.Fatalf("chained 2h session: %d %s", r.Code, r.Stderr)
	}
	e.mustAs(t, sess, "sts", "assume-role", "--role-arn", second, "--role-session-name", "chain", "--duration-seconds", "3600")

	// The CLI's own role_arn + source_profile flow, and a chain of two roles.
	home := t.TempDir()
	writeFile(t, home, ".aws/credentials", "[alice]\naws_access_key_id = "+alice.ID+"\naws_secret_access_key = "+alice.Secret+"\n")
	writeFile(t, home, ".aws/config", "[profile alice]\nregion = us-east-1\n\n[profile b-reader]\nrole_arn = "+roleARN+"\nsource_profile = alice\nrole_session_name = cli-session\n\n[profile b-second]\nrole_arn = "+second+"\nsource_profile = b-reader\n")
	r := e.CLIHome(t, home, nil, nil, "sts", "get-caller-identity", "--profile", "b-reader")
	if r.Code != 0 || callerArn(t, r.Stdout) != "arn:aws:sts::"+b.AccountID+":assumed-role/reader/cli-session" {
		t.Fatalf("profile b-reader: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = e.CLIHome(t, home, nil, nil, "sts", "get-caller-identity", "--profile", "b-second")
	if r.Code != 0 || !strings.Contains(r.Stdout, ":assumed-role/second/") {
		t.Fatalf("profile chain b-second: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	r = e.CLIHome(t, home, nil, nil, "s3", "ls", "s3://b-data/", "--profile", "b-reader")
	if r.Code != 0 || !strings.Contains(r.Stdout, "x.txt") {
		t.Fatalf("profile b-reader s3 ls: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
}

// TestIAMIsolationAndSessionExpiry with the SDK: an account cannot touch
// another's IAM; expired sessions get ExpiredToken.
func TestIAMIsolationAndSessionExpiry(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	ctx := context.Background()
	if _, err := e.IAM(rootKeys(a)).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("only-in-a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.IAM(rootKeys(b)).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("only-in-a")}); errCode(err) != "NoSuchEntity" {
		t.Fatalf("B sees A's user: %v", err)
	}
	out, err := e.IAM(rootKeys(a)).GetUser(ctx, &iam.GetUserInput{})
	if err != nil || *out.User.Arn != "arn:aws:iam::"+a.AccountID+":root" {
		t.Fatalf("GetUser as root: %v %v", out, err)
	}
	// A user with no policies may not call IAM.
	k, err := e.IAM(rootKeys(a)).CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("only-in-a")})
	if err != nil {
		t.Fatal(err)
	}
	uk := keys{*k.AccessKey.AccessKeyId, *k.AccessKey.SecretAccessKey, ""}
	if _, err := e.IAM(uk).ListUsers(ctx, &iam.ListUsersInput{}); errCode(err) != "AccessDenied" {
		t.Fatalf("policy-less user ListUsers: %v", err)
	}
	// GetCallerIdentity is never denied.
	id, err := e.STS(uk).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || *id.Arn != "arn:aws:iam::"+a.AccountID+":user/only-in-a" {
		t.Fatalf("GetCallerIdentity: %v %v", id, err)
	}
	// GetSessionToken credentials act as the user.
	st, err := e.STS(uk).GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	sk := keys{*st.Credentials.AccessKeyId, *st.Credentials.SecretAccessKey, *st.Credentials.SessionToken}
	if id, err := e.STS(sk).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil || *id.Arn != "arn:aws:iam::"+a.AccountID+":user/only-in-a" {
		t.Fatalf("session identity: %v %v", id, err)
	}
}
