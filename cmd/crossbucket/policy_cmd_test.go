package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunPolicy(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	identity := write("identity.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	trustBad := write("trust.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`)
	bucket := write("bucket.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)

	cases := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string
		stderr string
	}{
		{"valid identity", []string{"validate", identity}, "", 0, "valid\n", ""},
		{"leading policy word", []string{"policy", "validate", identity}, "", 0, "valid\n", ""},
		{"trust with resource", []string{"validate", trustBad, "--type", "trust"}, "", 1, "MalformedPolicyDocument: Has prohibited field Resource\n", ""},
		{"flag before file", []string{"validate", "--type=trust", trustBad}, "", 1, "MalformedPolicyDocument: Has prohibited field Resource\n", ""},
		{"bucket policy", []string{"validate", bucket, "--type", "resource", "--bucket", "b"}, "", 0, "valid\n", ""},
		{"bucket policy of another bucket", []string{"validate", bucket, "--type", "resource", "--bucket", "c"}, "", 1, "MalformedPolicy: Policy has invalid resource\n", ""},
		{"identity with principal", []string{"validate", bucket}, "", 1, "MalformedPolicyDocument: Policy document should not specify a principal.\n", ""},
		{"stdin", []string{"validate", "-", "--type", "identity"}, `{"Statement":{"Effect":"Allow","Action":"s3:*"}}`, 1, "MalformedPolicyDocument: Policy statement must contain resources.\n", ""},
		{"managed", []string{"validate", "-", "--managed"}, `{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`, 1, "MalformedPolicyDocument: Policy document must be version 2012-10-17 or greater.\n", ""},
		{"no args", nil, "", 2, "", "usage:"},
		{"unknown command", []string{"frob"}, "", 2, "", "unknown command"},
		{"missing file", []string{"validate"}, "", 2, "", "missing FILE"},
		{"bad type", []string{"validate", identity, "--type", "nope"}, "", 2, "", "unknown --type"},
		{"type without value", []string{"validate", identity, "--type"}, "", 2, "", "--type needs a value"},
		{"unknown flag", []string{"validate", identity, "--x"}, "", 2, "", "unknown flag"},
		{"two files", []string{"validate", identity, identity}, "", 2, "", "more than one FILE"},
		{"unreadable file", []string{"validate", filepath.Join(dir, "absent.json")}, "", 2, "", "no such file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runPolicy(c.args, strings.NewReader(c.stdin), &out, &errb)
			if code != c.code {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, c.code, out.String(), errb.String())
			}
			if c.stdout != "" && out.String() != c.stdout {
				t.Errorf("stdout %q, want %q", out.String(), c.stdout)
			}
			if c.stderr != "" && !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr %q lacks %q", errb.String(), c.stderr)
			}
		})
	}
}
