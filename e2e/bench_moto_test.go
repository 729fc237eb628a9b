package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crossbucket/crossbucket/internal/accounts"
)

// BenchmarkVersusMoto runs the same small-object workload (PutObject then
// GetObject of 1 KiB through the SDK) against crossbucket and against moto's
// server (the peer we measure ourselves by), in one run: crossbucket as it
// runs by default (every write fsynced) and with serve --fsync=false.
//
//	go test ./e2e -run '^$' -bench VersusMoto -benchtime 3s
func BenchmarkVersusMoto(b *testing.B) {
	moto, err := exec.LookPath("moto_server")
	if err != nil {
		b.Skip("moto_server is not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(moto, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	motoURL := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		if resp, err := http.Get(motoURL + "/moto-api/"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("moto_server did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}

	e := Start(b)
	acct := e.Account(b)
	relaxed := StartNoSync(b)
	racct := relaxed.Account(b)
	ctx := context.Background()
	body := bytes.Repeat([]byte("m"), 1<<10)
	for _, target := range []struct {
		name string
		c    *s3.Client
	}{
		{"moto", e.s3(motoURL, http.DefaultClient, &accounts.Created{AccessKeyID: "testing", SecretAccessKey: "testing"})},
		{"crossbucket", e.S3(acct)},
		{"crossbucket-fsync-off", relaxed.S3(racct)},
	} {
		if _, err := target.c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("versus")}); err != nil {
			b.Fatalf("%s: %v", target.name, err)
		}
		b.Run("PutGet1KiB/"+target.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := target.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("versus"), Key: aws.String("k"), Body: bytes.NewReader(body)}); err != nil {
					b.Fatal(err)
				}
				out, err := target.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("versus"), Key: aws.String("k")})
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, out.Body)
				out.Body.Close()
			}
			b.ReportMetric(2*float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
