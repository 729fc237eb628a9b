package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/audit"
	"github.com/crossbucket/crossbucket/internal/server"
)

// bpPut puts a bucket policy with the CLI as k; it returns the CLI result.
func (e *Env) bpPut(t *testing.T, k keys, bucket, doc string) CLIResult {
	t.Helper()
	f := writeFile(t, t.TempDir(), "policy.json", doc)
	return e.runAs(t, k, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://"+f)
}

func bpWant(t *testing.T, r CLIResult, code string) {
	t.Helper()
	if code == "" {
		if r.Code != 0 {
			t.Fatalf("exit %d: %s", r.Code, r.Stderr)
		}
		return
	}
	if r.Code == 0 || !strings.Contains(r.Stderr, "("+code+")") {
		t.Fatalf("want %s, got exit %d: %s%s", code, r.Code, r.Stdout, r.Stderr)
	}
}

func bucketResources(bucket string) string {
	return `["arn:aws:s3:::` + bucket + `","arn:aws:s3:::` + bucket + `/*"]`
}

func allowPolicy(bucket, principal, actions string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"Grant","Effect":"Allow","Principal":{"AWS":"` + principal +
		`"},"Action":` + actions + `,"Resource":` + bucketResources(bucket) + `}]}`
}

// TestBucketPolicyCrossAccount: a bucket policy naming another account's
// root, one of its users, and one of its roles (used through assume-role).
func TestBucketPolicyCrossAccount(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	ak, bk := rootKeys(a), rootKeys(b)
	e.mustAs(t, ak, "s3", "mb", "s3://a-shared")
	f := writeFile(t, t.TempDir(), "x.txt", "shared data")
	e.mustAs(t, ak, "s3", "cp", f, "s3://a-shared/x.txt")
	read := `["s3:GetObject","s3:ListBucket"]`

	// Not named: B's root is refused with the plain message (cross-account).
	r := e.runAs(t, bk, "s3api", "get-object", "--bucket", "a-shared", "--key", "x.txt", filepath.Join(t.TempDir(), "out"))
	bpWant(t, r, "AccessDenied")
	if !strings.Contains(r.Stderr, "Access Denied") || strings.Contains(r.Stderr, "User:") {
		t.Fatalf("cross-account message: %s", r.Stderr)
	}

	bpWant(t, e.bpPut(t, ak, "a-shared", allowPolicy("a-shared", "arn:aws:iam::"+b.AccountID+":root", read)), "")
	if out := e.mustAs(t, bk, "s3", "cp", "s3://a-shared/x.txt", "-"); out != "shared data" {
		t.Fatalf("B root read: %q", out)
	}
	// B's users need their own identity policy as well.
	plain := e.newUser(t, b, "plain", "")
	bpWant(t, e.runAs(t, plain, "s3api", "get-object", "--bucket", "a-shared", "--key", "x.txt", filepath.Join(t.TempDir(), "out")), "AccessDenied")
	reader := e.newUser(t, b, "reader", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a-shared/*"}]}`)
	if out := e.mustAs(t, reader, "s3", "cp", "s3://a-shared/x.txt", "-"); out != "shared data" {
		t.Fatalf("B reader read: %q", out)
	}

	// Naming the user itself (still needs its identity side across accounts).
	bpWant(t, e.bpPut(t, ak, "a-shared", allowPolicy("a-shared", "arn:aws:iam::"+b.AccountID+":user/reader", read)), "")
	if out := e.mustAs(t, reader, "s3", "cp", "s3://a-shared/x.txt", "-"); out != "shared data" {
		t.Fatalf("named user read: %q", out)
	}
	bpWant(t, e.runAs(t, bk, "s3api", "get-object", "--bucket", "a-shared", "--key", "x.txt", filepath.Join(t.TempDir(), "out")), "AccessDenied")

	// Naming a role of B; B's root assumes it and reads with the session.
	trust := writeFile(t, t.TempDir(), "trust.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+b.AccountID+`:root"},"Action":"sts:AssumeRole"}]}`)
	e.mustAs(t, bk, "iam", "create-role", "--role-name", "xreader", "--assume-role-policy-document", "file://"+trust)
	e.mustAs(t, bk, "iam", "attach-role-policy", "--role-name", "xreader", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	roleARN := "arn:aws:iam::" + b.AccountID + ":role/xreader"
	bpWant(t, e.bpPut(t, ak, "a-shared", allowPolicy("a-shared", roleARN, read)), "")
	assumer := e.newUser(t, b, "assumer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"`+roleARN+`"}]}`)
	sess := e.assume(t, assumer, roleARN)
	if out := e.mustAs(t, sess, "s3", "cp", "s3://a-shared/x.txt", "-"); out != "shared data" {
		t.Fatalf("role session read: %q", out)
	}
	// Through the SDK as well.
	out, err := e.S3Keys(sess).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("a-shared"), Key: aws.String("x.txt")})
	if err != nil {
		t.Fatalf("SDK role session read: %v", err)
	}
	out.Body.Close()

	// Principals that do not exist are refused.
	for _, p := range []string{"arn:aws:iam::" + b.AccountID + ":user/ghost", "arn:aws:iam::" + b.AccountID + ":role/ghost", "arn:aws:iam::999999999999:root"} {
		r := e.bpPut(t, ak, "a-shared", allowPolicy("a-shared", p, read))
		bpWant(t, r, "MalformedPolicy")
		if !strings.Contains(r.Stderr, "Invalid principal in policy") {
			t.Fatalf("%s: %s", p, r.Stderr)
		}
	}
}

func (e *Env) assume(t *testing.T, k keys, roleARN string) keys {
	t.Helper()
	var cred struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	mustJSON(t, e.mustAs(t, k, "sts", "assume-role", "--role-arn", roleARN, "--role-session-name", "bench-session"), &cred)
	return keys{cred.Credentials.AccessKeyId, cred.Credentials.SecretAccessKey, cred.Credentials.SessionToken}
}

// TestBucketPolicyLockoutAndPublicAccess: the lockout rule, BlockPublicPolicy
// and RestrictPublicBuckets.
func TestBucketPolicyLockoutAndPublicAccess(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	ak, bk := rootKeys(a), rootKeys(b)
	e.mustAs(t, ak, "s3", "mb", "s3://locked")
	deny := `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":` + bucketResources("locked") + `,"Condition":{"StringNotEquals":{"aws:PrincipalAccount":"` + b.AccountID + `"}}},
		{"Sid":"AllowB","Effect":"Allow","Principal":{"AWS":"` + b.AccountID + `"},"Action":"s3:*","Resource":` + bucketResources("locked") + `}]}`
	bpWant(t, e.bpPut(t, ak, "locked", deny), "")
	bpWant(t, e.runAs(t, ak, "s3api", "list-objects-v2", "--bucket", "locked"), "AccessDenied")
	e.mustAs(t, bk, "s3api", "list-objects-v2", "--bucket", "locked")
	// B is allowed s3:* by the policy, yet may not manage the policy.
	bpWant(t, e.bpPut(t, bk, "locked", deny), "MethodNotAllowed")
	bpWant(t, e.runAs(t, bk, "s3api", "delete-bucket-policy", "--bucket", "locked"), "MethodNotAllowed")
	// The owner root can always read and delete it.
	if out := e.mustAs(t, ak, "s3api", "get-bucket-policy", "--bucket", "locked"); !strings.Contains(out, "DenyAll") {
		t.Fatalf("get-bucket-policy: %s", out)
	}
	e.mustAs(t, ak, "s3api", "delete-bucket-policy", "--bucket", "locked")
	e.mustAs(t, ak, "s3api", "list-objects-v2", "--bucket", "locked")

	// BlockPublicPolicy (on for new buckets) refuses "Principal":"*".
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::locked/*"}]}`
	bpWant(t, e.bpPut(t, ak, "locked", public), "AccessDenied")
	if out := e.mustAs(t, ak, "s3api", "get-public-access-block", "--bucket", "locked"); !strings.Contains(out, `"BlockPublicPolicy": true`) {
		t.Fatalf("default PAB: %s", out)
	}
	e.mustAs(t, ak, "s3api", "put-public-access-block", "--bucket", "locked", "--public-access-block-configuration",
		"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=true")
	bpWant(t, e.bpPut(t, ak, "locked", public), "")
	if out := e.mustAs(t, ak, "s3api", "get-bucket-policy-status", "--bucket", "locked"); !strings.Contains(out, `"IsPublic": true`) {
		t.Fatalf("policy status: %s", out)
	}
	f := writeFile(t, t.TempDir(), "p.txt", "public")
	e.mustAs(t, ak, "s3", "cp", f, "s3://locked/p.txt")
	// RestrictPublicBuckets: anonymous callers do not get what the public policy grants.
	if r := httpGet(t, e.HTTP.URL+"/locked/p.txt"); r.status != http.StatusForbidden {
		t.Fatalf("anonymous under RestrictPublicBuckets: %d", r.status)
	}
	e.mustAs(t, ak, "s3api", "delete-public-access-block", "--bucket", "locked")
	bpWant(t, e.runAs(t, ak, "s3api", "get-public-access-block", "--bucket", "locked"), "NoSuchPublicAccessBlockConfiguration")
	if r := httpGet(t, e.HTTP.URL+"/locked/p.txt"); r.status != http.StatusOK || r.body != "public" {
		t.Fatalf("anonymous with the PAB deleted: %d %s", r.status, r.body)
	}
}

// TestAccountPublicAccessBlock: the account-level setting through
// `aws s3control`, which sends ACCOUNT.<endpoint> (reached here through a
// proxy setting, as ACCOUNT.127.0.0.1 does not resolve).
func TestAccountPublicAccessBlock(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	ak := rootKeys(a)
	ctl := func(k keys, args ...string) CLIResult {
		return e.CLIEnv(t, nil, append(k.env(), "HTTP_PROXY="+e.HTTP.URL, "NO_PROXY="), append([]string{"s3control"}, args...)...)
	}
	bpWant(t, ctl(ak, "get-public-access-block", "--account-id", a.AccountID), "NoSuchPublicAccessBlockConfiguration")
	cfg := "BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=true,RestrictPublicBuckets=false"
	bpWant(t, ctl(rootKeys(b), "put-public-access-block", "--account-id", a.AccountID, "--public-access-block-configuration", cfg), "AccessDenied")
	bpWant(t, ctl(ak, "put-public-access-block", "--account-id", a.AccountID, "--public-access-block-configuration", cfg), "")
	r := ctl(ak, "get-public-access-block", "--account-id", a.AccountID)
	bpWant(t, r, "")
	if !strings.Contains(r.Stdout, `"BlockPublicPolicy": true`) || !strings.Contains(r.Stdout, `"BlockPublicAcls": false`) {
		t.Fatalf("get: %s", r.Stdout)
	}
	// It applies to a bucket whose own setting is gone.
	e.mustAs(t, ak, "s3", "mb", "s3://acct-pab")
	e.mustAs(t, ak, "s3api", "delete-public-access-block", "--bucket", "acct-pab")
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acct-pab/*"}]}`
	bpWant(t, e.bpPut(t, ak, "acct-pab", public), "AccessDenied")
	bpWant(t, ctl(ak, "delete-public-access-block", "--account-id", a.AccountID), "")
	bpWant(t, e.bpPut(t, ak, "acct-pab", public), "")
}

// TestVPCEndpointBucketPolicy: the policy that denies s3:* unless the
// request comes through vpce-1a2b3c4d, the owner's lockout escape, the
// audit record and the enhanced AccessDenied message.
func TestVPCEndpointBucketPolicy(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	ak := rootKeys(a)
	e.mustAs(t, ak, "s3", "mb", "s3://vpce-only")
	f := writeFile(t, t.TempDir(), "x.txt", "inside")
	e.mustAs(t, ak, "s3", "cp", f, "s3://vpce-only/x.txt")
	doc := `{"Version":"2012-10-17","Id":"VPCe","Statement":[{"Sid":"Access-to-specific-VPCE-only","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":` +
		bucketResources("vpce-only") + `,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`
	bpWant(t, e.bpPut(t, ak, "vpce-only", doc), "")

	ep := httptest.NewServer(e.Server.EndpointHandler(server.VPCEndpoint{ID: "vpce-1a2b3c4d"}))
	defer ep.Close()
	ctx := context.Background()
	main := e.S3(&accounts.Created{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey})
	_, err := main.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vpce-only"), Key: aws.String("x.txt")})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "AccessDenied" {
		t.Fatalf("main listener: %v", err)
	}
	want := fmt.Sprintf(`User: arn:aws:iam::%s:root is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::vpce-only/x.txt" with an explicit deny in a resource-based policy`, a.AccountID)
	if ae.ErrorMessage() != want {
		t.Fatalf("message:\n got %q\nwant %q", ae.ErrorMessage(), want)
	}
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) {
		t.Fatalf("no response: %v", err)
	}
	reqID := re.Response.Header.Get("x-amz-request-id")
	recs, ferr := audit.Find(filepath.Join(e.DataDir, "audit"), reqID)
	if ferr != nil || len(recs) == 0 {
		t.Fatalf("audit for %s: %v %v", reqID, recs, ferr)
	}
	if r := recs[len(recs)-1]; r.Allowed || !strings.Contains(r.Reason, "bucket policy of vpce-only") || !strings.Contains(r.Reason, "Access-to-specific-VPCE-only") {
		t.Fatalf("audit record: %+v", r)
	}

	inside := e.s3(ep.URL, http.DefaultClient, &accounts.Created{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey})
	out, err := inside.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vpce-only"), Key: aws.String("x.txt")})
	if err != nil {
		t.Fatalf("through the endpoint: %v", err)
	}
	out.Body.Close()
	// The owner's root escapes the lockout on the main listener.
	e.mustAs(t, ak, "s3api", "delete-bucket-policy", "--bucket", "vpce-only")
	e.mustAs(t, ak, "s3", "cp", "s3://vpce-only/x.txt", "-")
}

// TestAccessDeniedMessages: enhanced within one account, plain across.
func TestAccessDeniedMessages(t *testing.T) {
	e := Start(t)
	a, b := e.Account(t), e.Account(t)
	ak := rootKeys(a)
	e.mustAs(t, ak, "s3", "mb", "s3://msgs")
	f := writeFile(t, t.TempDir(), "x.txt", "x")
	e.mustAs(t, ak, "s3", "cp", f, "s3://msgs/x.txt")
	nobody := e.newUser(t, a, "nobody", "")
	r := e.runAs(t, nobody, "s3api", "list-objects-v2", "--bucket", "msgs")
	want := fmt.Sprintf(`User: arn:aws:iam::%s:user/nobody is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::msgs" because no identity-based policy allows the s3:ListBucket action`, a.AccountID)
	if r.Code == 0 || !strings.Contains(r.Stderr, want) {
		t.Fatalf("same-account message: %s", r.Stderr)
	}
	denier := e.newUser(t, a, "denier", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}`)
	r = e.runAs(t, denier, "s3api", "get-object", "--bucket", "msgs", "--key", "x.txt", filepath.Join(t.TempDir(), "out"))
	if r.Code == 0 || !strings.Contains(r.Stderr, "with an explicit deny in an identity-based policy") {
		t.Fatalf("explicit identity deny: %s", r.Stderr)
	}
	r = e.runAs(t, rootKeys(b), "s3api", "list-objects-v2", "--bucket", "msgs")
	if r.Code == 0 || !strings.Contains(r.Stderr, "Access Denied") || strings.Contains(r.Stderr, "User:") {
		t.Fatalf("cross-account message: %s", r.Stderr)
	}
}
