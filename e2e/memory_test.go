package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestLargeObjectMemory runs the real binary, PUTs and GETs a 1 GiB object
// through the SDK, and checks that the server's peak RSS grew by less than
// 64 MiB: bodies stream end to end.
func TestLargeObjectMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("1 GiB transfer; run without -short")
	}
	os.Unsetenv("AWS_CA_BUNDLE")
	dir := t.TempDir()
	bin := filepath.Join(dir, "crossbucket")
	build := exec.Command("go", "build", "-o", bin, "../cmd/crossbucket")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "serve", "--data-dir", filepath.Join(dir, "data"), "--listen", "127.0.0.1:0", "--log-level", "warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	vars := map[string]string{}
	sc := bufio.NewScanner(stdout)
	re := regexp.MustCompile(`export (AWS_\w+)=(\S+)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			vars[m[1]] = m[2]
		}
		if strings.HasPrefix(sc.Text(), "crossbucket listening on ") {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	if vars["AWS_ENDPOINT_URL"] == "" {
		t.Fatal("server did not print its endpoint")
	}
	c := s3.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(vars["AWS_ACCESS_KEY_ID"], vars["AWS_SECRET_ACCESS_KEY"], "")},
		func(o *s3.Options) { o.BaseEndpoint = aws.String(vars["AWS_ENDPOINT_URL"]); o.UsePathStyle = true })
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("big")}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	before := procKB(t, cmd.Process.Pid, "VmRSS")

	const size = 1 << 30
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("gib"),
		Body: newPattern(size), ContentLength: aws.Int64(size)}); err != nil {
		t.Fatalf("put 1 GiB: %v", err)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("gib")})
	if err != nil {
		t.Fatalf("get 1 GiB: %v", err)
	}
	chk := &patternChecker{}
	n, err := io.Copy(chk, out.Body)
	out.Body.Close()
	if err != nil || n != size || chk.bad {
		t.Fatalf("get 1 GiB: %d bytes, err %v, corrupt %v", n, err, chk.bad)
	}
	peak := procKB(t, cmd.Process.Pid, "VmHWM")
	growth := peak - before
	t.Logf("server RSS before %d KiB, peak %d KiB, growth %d KiB", before, peak, growth)
	if growth > 64<<10 {
		t.Fatalf("server peak RSS grew by %d KiB moving 1 GiB; want < 64 MiB", growth)
	}
}

// procKB reads a "Vm…: N kB" line of /proc/PID/status.
func procKB(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
