package imds

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	sdkimds "github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/smithy-go"
)

// sdkClient is aws-sdk-go-v2's metadata client pointed at base, as
// AWS_EC2_METADATA_SERVICE_ENDPOINT would.
func sdkClient(base string, v1Fallback aws.Ternary) *sdkimds.Client {
	return sdkimds.New(sdkimds.Options{Endpoint: base, EnableFallback: v1Fallback})
}

func TestSDKClient(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	e := newEnv(t)
	e.iam.addRole("app-role", "/", trustEC2)
	e.iam.addProfile("app", "/", "app-role")
	base := e.start("i-0123456789abcdef0", "app", "required")
	c := sdkClient(base, aws.FalseTernary)
	ctx := t.Context()

	out, err := c.GetMetadata(ctx, &sdkimds.GetMetadataInput{Path: "instance-id"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out.Content)
	if string(b) != "i-0123456789abcdef0" {
		t.Fatalf("instance-id %q", b)
	}
	reg, err := c.GetRegion(ctx, nil)
	if err != nil || reg.Region != region {
		t.Fatalf("GetRegion: %+v %v", reg, err)
	}
	doc, err := c.GetInstanceIdentityDocument(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.InstanceIdentityDocument
	if d.AccountID != acct || d.InstanceID != "i-0123456789abcdef0" || d.Region != region || d.AvailabilityZone != "eu-west-1a" ||
		d.ImageID != "ami-12345678" || d.InstanceType != "t3.micro" || d.PrivateIP != "172.31.7.9" || d.Architecture != "x86_64" ||
		d.Version != "2017-09-30" || !d.PendingTime.Equal(e.clock.Now()) {
		t.Fatalf("identity document: %+v", d)
	}
	info, err := c.GetIAMInfo(ctx, nil)
	if err != nil || info.IAMInfo.Code != "Success" || info.IAMInfo.InstanceProfileArn != "arn:aws:iam::111122223333:instance-profile/app" ||
		info.IAMInfo.InstanceProfileID != "AIPAAPP" {
		t.Fatalf("GetIAMInfo: %+v %v", info, err)
	}

	// The default credential provider for instances parses what we serve.
	creds, err := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = c }).Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIAFAKE000000000001" || creds.SecretAccessKey != "secret-1" || creds.SessionToken != "token-1" || !creds.CanExpire {
		t.Fatalf("credentials: %+v", creds)
	}
	if r := e.issuer.requests(); len(r) != 1 || r[0].RoleDelivery != "2.0" || r[0].InstanceID != "i-0123456789abcdef0" {
		t.Fatalf("issue requests %+v", r)
	}
}

// TestSDKPathPrefixDropped proves why every instance gets its own port: the
// SDK sends /latest/… whatever path the configured endpoint has.
func TestSDKPathPrefixDropped(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	e := newEnv(t)
	base := e.start("i-0123456789abcdef0", "", "required")
	c := sdkClient(base+"/imds/i-0123456789abcdef0", aws.FalseTernary)
	out, err := c.GetMetadata(t.Context(), &sdkimds.GetMetadataInput{Path: "instance-id"})
	if err != nil {
		t.Fatalf("a path prefix in the endpoint was kept by the SDK: %v", err)
	}
	out.Content.Close()
}

func TestSDKIMDSv1Refused(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	e := newEnv(t)
	base := e.start("i-0123456789abcdef0", "", "required")
	// A client that cannot get a token (the proxy header makes the PUT
	// fail with 403) falls back to IMDSv1, which the instance refuses.
	c := sdkimds.New(sdkimds.Options{Endpoint: base, HTTPClient: proxyClient{}, Retryer: aws.NopRetryer{}})
	_, err := c.GetMetadata(t.Context(), &sdkimds.GetMetadataInput{Path: "instance-id"})
	// (The SDK's retry error does not unwrap to the response; its text
	// carries the status.)
	if err == nil || !strings.Contains(err.Error(), "StatusCode: 401") {
		t.Fatalf("IMDSv1 on a required-token instance: %v", err)
	}
	// On an instance that allows IMDSv1 the fallback works.
	base1 := e.start("i-0000000000000000b", "", "optional")
	c1 := sdkimds.New(sdkimds.Options{Endpoint: base1, HTTPClient: proxyClient{}, Retryer: aws.NopRetryer{}})
	out, err := c1.GetMetadata(t.Context(), &sdkimds.GetMetadataInput{Path: "instance-id"})
	if err != nil {
		t.Fatalf("IMDSv1 on an optional-token instance: %v", err)
	}
	out.Content.Close()
}

// proxyClient adds X-Forwarded-For to every request, as a proxy would.
type proxyClient struct{}

func (proxyClient) Do(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	return http.DefaultClient.Do(r)
}

func TestSDKUntrustedRole(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	e := newEnv(t)
	e.iam.addRole("app-role", "/", trustAcc)
	e.iam.addProfile("app", "/", "app-role")
	base := e.start("i-0123456789abcdef0", "app", "required")
	_, err := ec2rolecreds.New(func(o *ec2rolecreds.Options) { o.Client = sdkClient(base, aws.FalseTernary) }).Retrieve(t.Context())
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AssumeRoleUnauthorizedAccess" {
		t.Fatalf("untrusted role: %v", err)
	}
}

// TestBotocore: the aws CLI's botocore (InstanceMetadataFetcher, used for
// instance-profile credentials and credential_source = Ec2InstanceMetadata)
// reads our credentials, through a path prefix too. CLI v1 has no
// `configure export-credentials`, so `aws configure list` shows the source
// and the CLI's Python prints what botocore resolved.
func TestBotocore(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("aws CLI not installed")
	}
	e := newEnv(t)
	e.iam.addRole("app-role", "/", trustEC2)
	e.iam.addProfile("app", "/", "app-role")
	base := e.start("i-0123456789abcdef0", "app", "required")
	home := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_SERVICE_ENDPOINT=" + base, "AWS_DEFAULT_REGION=eu-west-1"}
	if v := os.Getenv("PYENV_ROOT"); v != "" {
		env = append(env, "PYENV_ROOT="+v)
	}
	cmd := exec.CommandContext(t.Context(), aws, "configure", "list")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws configure list: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "iam-role") || !strings.Contains(string(out), "0001") {
		t.Fatalf("aws configure list did not use instance credentials:\n%s", out)
	}
	script := `import botocore.session
c = botocore.session.get_session().get_credentials()
print(c.method, c.access_key, c.secret_key, c.token)`
	for _, endpoint := range []string{base, base + "/"} {
		py := exec.CommandContext(t.Context(), "python3", "-c", script)
		py.Env = append(append([]string{}, env...), "AWS_EC2_METADATA_SERVICE_ENDPOINT="+endpoint)
		out, err = py.CombinedOutput()
		if err != nil {
			t.Fatalf("botocore: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != "iam-role ASIAFAKE000000000001 secret-1 token-1" {
			t.Fatalf("botocore resolved %q", got)
		}
	}
	// botocore keeps a path prefix (it appends to the base URL); the
	// server has none, so this answers 404 and botocore finds nothing.
	py := exec.CommandContext(t.Context(), "python3", "-c", `import botocore.utils as u
print(u.IMDSFetcher(config={"ec2_metadata_service_endpoint": "http://h:1/imds/i-1"})._construct_url("latest/api/token"))`)
	py.Env = env
	out, err = py.CombinedOutput()
	if err != nil {
		t.Fatalf("botocore url: %v\n%s", err, out)
	}
	if u, _ := url.Parse(strings.TrimSpace(string(out))); u == nil || u.Path != "/imds/i-1/latest/api/token" {
		t.Fatalf("botocore built %q", out)
	}
}
