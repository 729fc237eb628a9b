package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// BenchmarkObjects measures PutObject and GetObject through the SDK over
// loopback, against crossbucket and against a bare net/http handler that
// reads or writes the same bytes (the baseline: SDK + HTTP cost alone).
//
//	go test ./e2e -run '^$' -bench Objects -benchtime 2s
func BenchmarkObjects(b *testing.B) {
	e := Start(b)
	acct := e.Account(b)
	ctx := context.Background()
	cb := e.S3(acct)
	if _, err := cb.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	base := httptest.NewServer(baselineHandler())
	defer base.Close()
	bc := e.s3(base.URL, http.DefaultClient, acct)

	for _, size := range []int64{1 << 10, 64 << 20} {
		body := bytes.Repeat([]byte("x"), int(size))
		for _, target := range []struct {
			name string
			c    *s3.Client
		}{{"baseline", bc}, {"crossbucket", cb}} {
			key := fmt.Sprintf("obj-%d", size)
			b.Run(fmt.Sprintf("Put/%s/%s", sizeName(size), target.name), func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					if _, err := target.c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(key), Body: bytes.NewReader(body)}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
			})
			b.Run(fmt.Sprintf("Get/%s/%s", sizeName(size), target.name), func(b *testing.B) {
				b.SetBytes(size)
				for b.Loop() {
					out, err := target.c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(key)})
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, out.Body)
					out.Body.Close()
					if n != size {
						b.Fatalf("got %d bytes", n)
					}
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
			})
		}
	}
}

func sizeName(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// baselineHandler answers PUT by reading the body and GET by writing as many
// bytes as the last PUT to that path had: what any S3 server must at least do.
func baselineHandler() http.Handler {
	var mu sync.Mutex
	sizes := map[string]int64{}
	var chunk [32 << 10]byte
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPut:
			n, _ := io.Copy(io.Discard, r.Body)
			mu.Lock()
			sizes[r.URL.Path] = n
			mu.Unlock()
			w.Header().Set("ETag", `"0"`)
		case http.MethodGet:
			mu.Lock()
			n := sizes[r.URL.Path]
			mu.Unlock()
			w.Header().Set("Content-Length", fmt.Sprint(n))
			for n > 0 {
				m := min(n, int64(len(chunk)))
				if _, err := w.Write(chunk[:m]); err != nil {
					return
				}
				n -= m
			}
		}
	})
}
