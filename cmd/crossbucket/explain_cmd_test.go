package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestExplain: a request denied by the running server is explained by
// `crossbucket explain REQUEST-ID` from its audit log.
func TestExplain(t *testing.T) {
	os.Unsetenv("AWS_CA_BUNDLE")
	dir := t.TempDir()
	endpoint, out, stop := startServe(t, dir)
	defer stop()
	text := out.String()
	akid := regexp.MustCompile(`AWS_ACCESS_KEY_ID=(\S+)`).FindStringSubmatch(text)[1]
	secret := regexp.MustCompile(`AWS_SECRET_ACCESS_KEY=(\S+)`).FindStringSubmatch(text)[1]
	ctx := context.Background()
	if _, err := client(endpoint, akid, secret).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("owned")}); err != nil {
		t.Fatal(err)
	}
	var cout bytes.Buffer
	if code := run(ctx, []string{"account", "create", "--data-dir", dir}, nil, &cout, &bytes.Buffer{}); code != 0 {
		t.Fatal("account create failed")
	}
	var other struct{ AccountId, AccessKeyId, SecretAccessKey string }
	if err := json.Unmarshal(cout.Bytes(), &other); err != nil {
		t.Fatal(err)
	}
	_, err := client(endpoint, other.AccessKeyId, other.SecretAccessKey).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("owned"), Key: aws.String("k")})
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != 403 || re.ServiceRequestID() == "" {
		t.Fatalf("cross-account GetObject: %v", err)
	}
	id := re.ServiceRequestID()
	var eout, eerr bytes.Buffer
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		eout.Reset()
		if code := run(ctx, []string{"explain", id, "--data-dir", dir}, nil, &eout, &eerr); code == 0 || time.Now().After(deadline) {
			break
		}
	}
	got := eout.String()
	for _, want := range []string{"Request " + id, "Deny: s3:GetObject", "arn:aws:s3:::owned/k", "arn:aws:iam::" + other.AccountId + ":root", "crosses accounts"} {
		if !strings.Contains(got, want) {
			t.Errorf("explanation lacks %q:\n%s%s", want, got, eerr.String())
		}
	}
	if code := run(ctx, []string{"explain", "NOSUCHREQUEST", "--data-dir", dir}, nil, &bytes.Buffer{}, &bytes.Buffer{}); code != 1 {
		t.Errorf("explain of an unknown request exited %d, want 1", code)
	}
}
