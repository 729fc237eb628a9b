package iamapi_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI drives the IAM API with the real aws CLI.
func TestCLI(t *testing.T) {
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("aws CLI not installed (scripts/test installs it)")
	}
	e := newEnv(t)
	home := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(home, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return "file://" + p
	}
	trustFile := write("trust.json", trust)
	policyFile := write("policy.json", s3Read)

	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+home, "AWS_ENDPOINT_URL="+e.srv.URL, "AWS_ACCESS_KEY_ID=ROOT"+acctA,
		"AWS_SECRET_ACCESS_KEY=secretsecretsecretsecretsecretsecret1234", "AWS_DEFAULT_REGION=us-east-1")
	run := func(args ...string) map[string]any {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), awsPath, append([]string{"--output", "json", "iam"}, args...)...)
		cmd.Env = env
		cmd.Dir = home
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("aws iam %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		var m map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &m); err != nil {
				t.Fatalf("aws iam %s: output %q: %v", args[0], out, err)
			}
		}
		return m
	}

	created := run("create-role", "--role-name", "r", "--assume-role-policy-document", trustFile)
	role := created["Role"].(map[string]any)
	if role["Arn"] != "arn:aws:iam::111111111111:role/r" {
		t.Fatalf("create-role = %v", created)
	}
	// The CLI decodes the URL-encoded trust policy into JSON.
	if doc, ok := role["AssumeRolePolicyDocument"].(map[string]any); !ok || doc["Version"] != "2012-10-17" {
		t.Fatalf("AssumeRolePolicyDocument = %#v", role["AssumeRolePolicyDocument"])
	}
	run("put-role-policy", "--role-name", "r", "--policy-name", "read", "--policy-document", policyFile)
	got := run("get-role-policy", "--role-name", "r", "--policy-name", "read")
	if doc, ok := got["PolicyDocument"].(map[string]any); !ok || doc["Version"] != "2012-10-17" {
		t.Fatalf("get-role-policy = %#v", got)
	}
	run("attach-role-policy", "--role-name", "r", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")
	att := run("list-attached-role-policies", "--role-name", "r")
	list := att["AttachedPolicies"].([]any)
	if len(list) != 1 {
		t.Fatalf("list-attached-role-policies = %v", att)
	}
	p := list[0].(map[string]any)
	if p["PolicyName"] != "AmazonS3ReadOnlyAccess" || p["PolicyArn"] != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" {
		t.Fatalf("attached = %v", p)
	}

	// An error reaches the CLI with IAM's code and message.
	cmd := exec.CommandContext(t.Context(), awsPath, "iam", "get-role", "--role-name", "missing")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "(NoSuchEntity) when calling the GetRole operation: The role with name missing cannot be found.") {
		t.Fatalf("get-role missing: %v\n%s", err, out)
	}
}
