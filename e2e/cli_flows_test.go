package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestCLICredentialFlows covers the credential flows the aws CLI must run
// unmodified: keys in ~/.aws/credentials and in a [profile x] of
// ~/.aws/config, role_arn with credential_source = Environment, external_id,
// duration_seconds and role_session_name.
func TestCLICredentialFlows(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	role := "arn:aws:iam::" + b.AccountID + ":role/partner"
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + a.AccountID +
		`:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"ext-123"}}}]}`
	e.mustAs(t, rootKeys(b), "iam", "create-role", "--role-name", "partner", "--assume-role-policy-document", trust)
	dev := e.newUser(t, a, "dev", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+role+`"}]}`)

	home := t.TempDir()
	writeFile(t, home, ".aws/credentials", "[default]\naws_access_key_id = "+dev.ID+"\naws_secret_access_key = "+dev.Secret+"\n")
	writeFile(t, home, ".aws/config", "[profile inline-keys]\naws_access_key_id = "+dev.ID+"\naws_secret_access_key = "+dev.Secret+"\n\n"+
		"[profile partner-env]\nrole_arn = "+role+"\ncredential_source = Environment\nexternal_id = ext-123\nduration_seconds = 900\nrole_session_name = env-session\n\n"+
		"[profile partner-wrong-ext]\nrole_arn = "+role+"\ncredential_source = Environment\nexternal_id = wrong\n")
	devARN := "arn:aws:iam::" + a.AccountID + ":user/dev"
	for _, args := range [][]string{{"sts", "get-caller-identity"}, {"sts", "get-caller-identity", "--profile", "inline-keys"}} {
		r := e.CLIHome(t, home, nil, nil, args...)
		if r.Code != 0 || callerArn(t, r.Stdout) != devARN {
			t.Fatalf("aws %v: %d %s %s", args, r.Code, r.Stdout, r.Stderr)
		}
	}
	r := e.CLIHome(t, home, nil, dev.env(), "sts", "get-caller-identity", "--profile", "partner-env")
	if r.Code != 0 || callerArn(t, r.Stdout) != "arn:aws:sts::"+b.AccountID+":assumed-role/partner/env-session" {
		t.Fatalf("credential_source = Environment: %d %s %s", r.Code, r.Stdout, r.Stderr)
	}
	// duration_seconds reached STS: the cached credentials expire in 15 minutes.
	cache, _ := filepath.Glob(filepath.Join(home, ".aws", "cli", "cache", "*.json"))
	if len(cache) != 1 {
		t.Fatalf("CLI cache files: %v", cache)
	}
	var cached struct{ Credentials struct{ Expiration string } }
	mustJSON(t, readFile(t, cache[0]), &cached)
	exp, err := time.Parse(time.RFC3339, cached.Credentials.Expiration)
	if err != nil || exp.Sub(time.Now()) > 16*time.Minute || exp.Sub(time.Now()) < 13*time.Minute {
		t.Fatalf("duration_seconds = 900 gave expiration %q (%v)", cached.Credentials.Expiration, err)
	}
	r = e.CLIHome(t, home, nil, dev.env(), "sts", "get-caller-identity", "--profile", "partner-wrong-ext")
	if r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("wrong external_id: %d %s", r.Code, r.Stderr)
	}
}

// TestRevokeOlderSessions reproduces the console's "Revoke active sessions":
// an inline deny on aws:TokenIssueTime ends sessions issued before it, and
// new sessions work.
func TestRevokeOlderSessions(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	rk := rootKeys(a)
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + a.AccountID + `:root"},"Action":"sts:AssumeRole"}]}`
	e.mustAs(t, rk, "iam", "create-role", "--role-name", "ops", "--assume-role-policy-document", trust)
	e.mustAs(t, rk, "iam", "attach-role-policy", "--role-name", "ops", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	e.mustAs(t, rk, "s3", "mb", "s3://revoke-test")
	dev := e.newUser(t, a, "dev", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)
	assume := func() keys {
		var out struct {
			Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
		}
		mustJSON(t, e.mustAs(t, dev, "sts", "assume-role", "--role-arn", "arn:aws:iam::"+a.AccountID+":role/ops", "--role-session-name", "ops-session"), &out)
		return keys{out.Credentials.AccessKeyId, out.Credentials.SecretAccessKey, out.Credentials.SessionToken}
	}
	old := assume()
	e.mustAs(t, old, "s3", "ls", "s3://revoke-test/")
	cutoff := time.Now().UTC().Add(time.Second).Format(time.RFC3339)
	revoke := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"%s"}}}]}`, cutoff)
	e.mustAs(t, rk, "iam", "put-role-policy", "--role-name", "ops", "--policy-name", "AWSRevokeOlderSessions", "--policy-document", revoke)
	if r := e.runAs(t, old, "s3", "ls", "s3://revoke-test/"); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
		t.Fatalf("revoked session still works: %d %s", r.Code, r.Stderr)
	}
	time.Sleep(2 * time.Second)
	fresh := assume()
	e.mustAs(t, fresh, "s3", "ls", "s3://revoke-test/")
}

// TestSDKDefaultChainFromInstance: aws-sdk-go-v2's default credential chain
// picks up an instance's role credentials from its metadata endpoint.
func TestSDKDefaultChainFromInstance(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	rk := rootKeys(a)
	e.mustAs(t, rk, "iam", "create-role", "--role-name", "app", "--assume-role-policy-document",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	e.mustAs(t, rk, "iam", "create-instance-profile", "--instance-profile-name", "app")
	e.mustAs(t, rk, "iam", "add-role-to-instance-profile", "--instance-profile-name", "app", "--role-name", "app")
	var run struct{ Instances []struct{ InstanceId string } }
	mustJSON(t, e.mustAs(t, rk, "ec2", "run-instances", "--image-id", "ami-12345678", "--instance-type", "t3.micro",
		"--iam-instance-profile", "Name=app"), &run)
	id := run.Instances[0].InstanceId
	inst, err := e.Store.GetInstance(context.Background(), id)
	if err != nil || inst.IMDSPort == 0 {
		t.Fatalf("instance %s: %+v %v", id, inst, err)
	}
	dir := t.TempDir()
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", fmt.Sprintf("http://127.0.0.1:%d", inst.IMDSPort))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "false")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"} {
		t.Setenv(k, "")
	}
	cfg, err := config.LoadDefaultConfig(context.Background(), config.WithRegion("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := sts.NewFromConfig(cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(e.HTTP.URL) }).
		GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:sts::" + a.AccountID + ":assumed-role/app/" + id; *out.Arn != want {
		t.Fatalf("identity %s, want %s", *out.Arn, want)
	}
}
