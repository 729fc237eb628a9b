package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIHighLevel drives `aws s3 mb/cp/ls/sync/rm/rb` end to end.
func TestCLIHighLevel(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	src := t.TempDir()
	files := map[string]string{
		"a.txt":          "alpha",
		"dir/b.txt":      "bravo",
		"dir/sub/c.txt":  "charlie",
		"with space.txt": "space",
	}
	for name, body := range files {
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A file large enough for the CLI's multipart upload (threshold 8 MiB).
	big := make([]byte, 9<<20+123)
	for i := range big {
		big[i] = byte(i * 31)
	}
	if err := os.WriteFile(filepath.Join(src, "big.bin"), big, 0o644); err != nil {
		t.Fatal(err)
	}

	e.MustCLI(t, a, "s3", "mb", "s3://cli-bucket")
	if out := e.MustCLI(t, a, "s3", "ls"); !strings.Contains(out, "cli-bucket") {
		t.Fatalf("s3 ls does not list the bucket: %q", out)
	}
	e.MustCLI(t, a, "s3", "cp", filepath.Join(src, "a.txt"), "s3://cli-bucket/a.txt")
	e.MustCLI(t, a, "s3", "sync", src, "s3://cli-bucket/synced/")

	out := e.MustCLI(t, a, "s3", "ls", "--recursive", "s3://cli-bucket/synced/")
	for name := range files {
		if !strings.Contains(out, "synced/"+name) {
			t.Errorf("sync did not upload %q:\n%s", name, out)
		}
	}
	if !strings.Contains(out, "synced/big.bin") {
		t.Errorf("multipart upload of big.bin missing:\n%s", out)
	}
	// Non-recursive listing shows common prefixes.
	if out := e.MustCLI(t, a, "s3", "ls", "s3://cli-bucket/synced/"); !strings.Contains(out, "PRE dir/") {
		t.Errorf("delimiter listing lacks PRE dir/:\n%s", out)
	}

	// Download everything back and compare.
	dst := t.TempDir()
	e.MustCLI(t, a, "s3", "sync", "s3://cli-bucket/synced/", dst)
	for name, body := range files {
		got, err := os.ReadFile(filepath.Join(dst, name))
		if err != nil || string(got) != body {
			t.Errorf("%s: got %q, %v", name, got, err)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dst, "big.bin")); err != nil || string(got) != string(big) {
		t.Errorf("big.bin round trip failed (%d bytes, %v)", len(got), err)
	}
	// A second sync uploads nothing.
	if out := e.MustCLI(t, a, "s3", "sync", src, "s3://cli-bucket/synced/"); strings.Contains(out, "upload:") {
		t.Errorf("second sync re-uploaded:\n%s", out)
	}

	// rb on a non-empty bucket fails with BucketNotEmpty.
	if r := e.CLI(t, a, "s3", "rb", "s3://cli-bucket"); r.Code == 0 || !strings.Contains(r.Stderr, "BucketNotEmpty") {
		t.Fatalf("rb non-empty: exit %d %s", r.Code, r.Stderr)
	}
	e.MustCLI(t, a, "s3", "rm", "--recursive", "s3://cli-bucket/")
	if out := e.MustCLI(t, a, "s3", "ls", "--recursive", "s3://cli-bucket/"); strings.TrimSpace(out) != "" {
		t.Fatalf("objects left after rm --recursive:\n%s", out)
	}
	e.MustCLI(t, a, "s3", "rb", "s3://cli-bucket")
	if out := e.MustCLI(t, a, "s3", "ls"); strings.Contains(out, "cli-bucket") {
		t.Fatalf("bucket still listed after rb:\n%s", out)
	}
}

// TestCLIS3API drives `aws s3api` calls and checks AWS's errors.
func TestCLIS3API(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	b := e.Account(t)

	e.MustCLI(t, a, "s3api", "create-bucket", "--bucket", "api-bucket")
	e.MustCLI(t, a, "s3api", "create-bucket", "--bucket", "eu-bucket", "--region", "eu-west-1",
		"--create-bucket-configuration", "LocationConstraint=eu-west-1")

	var loc struct{ LocationConstraint *string }
	mustJSON(t, e.MustCLI(t, a, "s3api", "get-bucket-location", "--bucket", "eu-bucket"), &loc)
	if loc.LocationConstraint == nil || *loc.LocationConstraint != "eu-west-1" {
		t.Fatalf("location: %+v", loc)
	}

	// Another account cannot take the name, nor see or touch the bucket.
	if r := e.CLI(t, b, "s3api", "create-bucket", "--bucket", "api-bucket"); !strings.Contains(r.Stderr, "BucketAlreadyExists") {
		t.Fatalf("create-bucket of a taken name: %d %s", r.Code, r.Stderr)
	}
	// The owner re-creating in us-east-1 gets 200 (AWS's legacy behaviour).
	e.MustCLI(t, a, "s3api", "create-bucket", "--bucket", "api-bucket")
	if r := e.CLI(t, a, "s3api", "create-bucket", "--bucket", "eu-bucket", "--region", "eu-west-1",
		"--create-bucket-configuration", "LocationConstraint=eu-west-1"); !strings.Contains(r.Stderr, "BucketAlreadyOwnedByYou") {
		t.Fatalf("re-create own bucket outside us-east-1: %d %s", r.Code, r.Stderr)
	}
	if r := e.CLI(t, a, "s3api", "create-bucket", "--bucket", "Bad_Name"); !strings.Contains(r.Stderr, "InvalidBucketName") {
		t.Fatalf("bad bucket name: %d %s", r.Code, r.Stderr)
	}

	body := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(body, []byte("hello world"), 0o644); err != nil {
		t.Fatal(err)
	}
	var put struct{ ETag string }
	mustJSON(t, e.MustCLI(t, a, "s3api", "put-object", "--bucket", "api-bucket", "--key", "dir/hello.txt",
		"--body", body, "--content-type", "text/plain", "--metadata", "color=blue"), &put)
	if put.ETag != `"5eb63bbbe01eeed093cb22bb8f5acdc3"` {
		t.Fatalf("ETag %q", put.ETag)
	}
	var head struct {
		ContentLength int64
		ContentType   string
		Metadata      map[string]string
	}
	mustJSON(t, e.MustCLI(t, a, "s3api", "head-object", "--bucket", "api-bucket", "--key", "dir/hello.txt"), &head)
	if head.ContentLength != 11 || head.ContentType != "text/plain" || head.Metadata["color"] != "blue" {
		t.Fatalf("head-object: %+v", head)
	}
	outFile := filepath.Join(t.TempDir(), "out")
	e.MustCLI(t, a, "s3api", "get-object", "--bucket", "api-bucket", "--key", "dir/hello.txt", "--range", "bytes=6-", outFile)
	if got, _ := os.ReadFile(outFile); string(got) != "world" {
		t.Fatalf("range get: %q", got)
	}

	var list struct {
		Contents       []struct{ Key string }
		CommonPrefixes []struct{ Prefix string }
	}
	mustJSON(t, e.MustCLI(t, a, "s3api", "list-objects-v2", "--bucket", "api-bucket", "--delimiter", "/"), &list)
	if len(list.CommonPrefixes) != 1 || list.CommonPrefixes[0].Prefix != "dir/" || len(list.Contents) != 0 {
		t.Fatalf("list-objects-v2: %+v", list)
	}
	e.MustCLI(t, a, "s3api", "copy-object", "--bucket", "api-bucket", "--key", "copy.txt", "--copy-source", "api-bucket/dir/hello.txt")

	// Account B is denied everything on A's bucket, and does not see it.
	for _, args := range [][]string{
		{"s3api", "get-object", "--bucket", "api-bucket", "--key", "dir/hello.txt", filepath.Join(t.TempDir(), "x")},
		{"s3api", "list-objects-v2", "--bucket", "api-bucket"},
		{"s3api", "put-object", "--bucket", "api-bucket", "--key", "intruder", "--body", body},
		{"s3api", "delete-object", "--bucket", "api-bucket", "--key", "dir/hello.txt"},
		{"s3api", "delete-bucket", "--bucket", "api-bucket"},
	} {
		if r := e.CLI(t, b, args...); r.Code == 0 || !strings.Contains(r.Stderr, "AccessDenied") {
			t.Errorf("account B %v: exit %d, %s", args[1], r.Code, r.Stderr)
		}
	}
	if out := e.MustCLI(t, b, "s3api", "list-buckets"); strings.Contains(out, "api-bucket") {
		t.Errorf("account B sees account A's bucket: %s", out)
	}
	// Anonymous requests are denied too.
	if r := e.CLI(t, nil, "s3api", "get-object", "--no-sign-request", "--bucket", "api-bucket", "--key", "dir/hello.txt", filepath.Join(t.TempDir(), "x")); !strings.Contains(r.Stderr, "AccessDenied") {
		t.Errorf("anonymous get: %d %s", r.Code, r.Stderr)
	}

	if r := e.CLI(t, a, "s3api", "get-object", "--bucket", "api-bucket", "--key", "missing", filepath.Join(t.TempDir(), "x")); !strings.Contains(r.Stderr, "NoSuchKey") {
		t.Errorf("missing key: %d %s", r.Code, r.Stderr)
	}
	if r := e.CLI(t, a, "s3api", "head-bucket", "--bucket", "no-such-bucket-here"); r.Code == 0 || !strings.Contains(r.Stderr, "404") {
		t.Errorf("head missing bucket: %d %s", r.Code, r.Stderr)
	}
	e.MustCLI(t, a, "s3api", "delete-objects", "--bucket", "api-bucket", "--delete", `{"Objects":[{"Key":"dir/hello.txt"},{"Key":"copy.txt"}]}`)
	e.MustCLI(t, a, "s3api", "delete-bucket", "--bucket", "api-bucket")
}

// TestCLIPresign checks `aws s3 presign` URLs (SigV2 in us-east-1 for CLI v1).
func TestCLIPresign(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	e.MustCLI(t, a, "s3", "mb", "s3://presign-bucket")
	body := filepath.Join(t.TempDir(), "body")
	if err := os.WriteFile(body, []byte("presigned content"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.MustCLI(t, a, "s3", "cp", body, "s3://presign-bucket/p.txt")
	url := strings.TrimSpace(e.MustCLI(t, a, "s3", "presign", "s3://presign-bucket/p.txt", "--expires-in", "300"))
	got := httpGet(t, url)
	if got.status != 200 || got.body != "presigned content" {
		t.Fatalf("presigned GET: %d %q", got.status, got.body)
	}
	// Tampering with the URL breaks the signature.
	bad := httpGet(t, strings.Replace(url, "p.txt", "q.txt", 1))
	if bad.status != 403 || !strings.Contains(bad.body, "SignatureDoesNotMatch") {
		t.Fatalf("tampered presigned GET: %d %q", bad.status, bad.body)
	}
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
}
