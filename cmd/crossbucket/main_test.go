package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// startServe runs `crossbucket serve` on a free port and returns its
// endpoint, its stdout so far, and a stop function.
func startServe(t *testing.T, dataDir string) (endpoint string, out *syncBuffer, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	var errb syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0"}, nil, out, &errb)
	}()
	re := regexp.MustCompile(`crossbucket listening on (http://\S+)`)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], out, func() {
				cancel()
				if code := <-done; code != 0 {
					t.Errorf("serve exited %d: %s", code, errb.String())
				}
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d early: %s %s", code, out.String(), errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	return "", nil, nil
}

func client(endpoint, akid, secret string) *s3.Client {
	return s3.NewFromConfig(aws.Config{Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(akid, secret, "")}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
	})
}

func TestServeFirstStartThenAccountCreate(t *testing.T) {
	os.Unsetenv("AWS_CA_BUNDLE")
	dir := t.TempDir()
	endpoint, out, stop := startServe(t, dir)

	text := out.String()
	akid := regexp.MustCompile(`AWS_ACCESS_KEY_ID=(\S+)`).FindStringSubmatch(text)
	secret := regexp.MustCompile(`AWS_SECRET_ACCESS_KEY=(\S+)`).FindStringSubmatch(text)
	if akid == nil || secret == nil || !strings.Contains(text, "AWS_ENDPOINT_URL="+endpoint) {
		t.Fatalf("first start did not print credentials and endpoint:\n%s", text)
	}
	ctx := context.Background()
	first := client(endpoint, akid[1], secret[1])
	if _, err := first.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("first-bucket")}); err != nil {
		t.Fatalf("first account CreateBucket: %v", err)
	}

	// account create on the same data dir while the server runs.
	var cout, cerr bytes.Buffer
	if code := run(ctx, []string{"account", "create", "--data-dir", dir, "--id", "111122223333", "--alias", "second"}, nil, &cout, &cerr); code != 0 {
		t.Fatalf("account create: %d %s", code, cerr.String())
	}
	var created struct{ AccountId, AccessKeyId, SecretAccessKey string }
	if err := json.Unmarshal(cout.Bytes(), &created); err != nil || created.AccountId != "111122223333" || created.SecretAccessKey == "" {
		t.Fatalf("account create output %q: %v", cout.String(), err)
	}
	second := client(endpoint, created.AccessKeyId, created.SecretAccessKey)
	list, err := second.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		t.Fatalf("new account not seen by the running server: %v", err)
	}
	if len(list.Buckets) != 0 {
		t.Fatalf("second account sees another account's buckets: %v", list.Buckets)
	}
	// The same id again is refused.
	cout.Reset()
	cerr.Reset()
	if code := run(ctx, []string{"account", "create", "--data-dir", dir, "--id", "111122223333"}, nil, &cout, &cerr); code == 0 {
		t.Fatalf("duplicate account id accepted")
	}

	// account list shows both, without secrets.
	cout.Reset()
	if code := run(ctx, []string{"account", "list", "--data-dir", dir, "--json"}, nil, &cout, io.Discard); code != 0 {
		t.Fatal("account list failed")
	}
	if strings.Contains(cout.String(), created.SecretAccessKey) || strings.Contains(cout.String(), secret[1]) {
		t.Fatal("account list printed a secret")
	}
	var rows []struct{ AccountId string }
	if err := json.Unmarshal(cout.Bytes(), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("account list: %q %v", cout.String(), err)
	}
	stop()

	// A later start prints no secrets and keeps the data.
	endpoint2, out2, stop2 := startServe(t, dir)
	defer stop2()
	if strings.Contains(out2.String(), "SECRET") || strings.Contains(out2.String(), secret[1]) {
		t.Fatalf("second start printed secrets:\n%s", out2.String())
	}
	if _, err := client(endpoint2, akid[1], secret[1]).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("first-bucket")}); err != nil {
		t.Fatalf("bucket lost across restart: %v", err)
	}
}
