package sigv4

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// verified is what a test server saw of one request.
type verified struct {
	method, uri, payload string
	res                  *Result
	body                 []byte
	err                  error
}

// recorder is an S3 endpoint that only verifies: every request is checked
// with Verify, its body read to the end, and a minimal success returned.
type recorder struct {
	mu  sync.Mutex
	got []verified
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v := verified{method: r.Method, uri: r.RequestURI, payload: r.Header.Get("X-Amz-Content-Sha256")}
	v.res, v.err = Verify(r.Context(), r, sdkKeys, Options{Now: time.Now()})
	if v.err == nil {
		v.body, v.err = io.ReadAll(v.res.Body)
	}
	rec.mu.Lock()
	rec.got = append(rec.got, v)
	rec.mu.Unlock()
	if v.err != nil {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	w.Header().Set("ETag", `"etag"`)
}

func (rec *recorder) last(t *testing.T) verified {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) == 0 {
		t.Fatal("no request reached the server")
	}
	return rec.got[len(rec.got)-1]
}

// TestS3Client drives the SDK's S3 client against a verifying server, over
// TLS (where the SDK streams aws-chunked bodies with a checksum trailer) and
// over plain HTTP (where it signs the body's hash).
func TestS3Client(t *testing.T) {
	t.Setenv("AWS_CA_BUNDLE", "")
	for _, tls := range []bool{true, false} {
		rec := &recorder{}
		var srv *httptest.Server
		if tls {
			srv = httptest.NewTLSServer(rec)
		} else {
			srv = httptest.NewServer(rec)
		}
		client := s3.New(s3.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			UsePathStyle: true,
			Credentials:  credentials.NewStaticCredentialsProvider(sdkAKID, sdkSecret, ""),
			HTTPClient:   srv.Client(),
		})
		ctx := context.Background()
		for _, key := range []string{"plain", "a//b/../c", "sp ace+plus/ü~", "pct%2Fkey"} {
			body := bytes.Repeat([]byte("0123456789"), 20000)
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String(key), Body: bytes.NewReader(body)})
			got := rec.last(t)
			if err != nil || got.err != nil {
				t.Fatalf("tls=%v PutObject %q: %v / server: %v", tls, key, err, got.err)
			}
			if !bytes.Equal(got.body, body) || got.res.ContentLength != int64(len(body)) {
				t.Fatalf("tls=%v %q: body %d bytes, ContentLength %d", tls, key, len(got.body), got.res.ContentLength)
			}
		}
		if tls {
			// An unseekable body over TLS goes aws-chunked with a trailer.
			body := bytes.Repeat([]byte("abcdefghij"), 30000)
			_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("streamed"),
				Body: io.MultiReader(bytes.NewReader(body)), ContentLength: aws.Int64(int64(len(body))), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
			got := rec.last(t)
			if err != nil || got.err != nil || !bytes.Equal(got.body, body) {
				t.Fatalf("streamed PutObject: %v / server: %v, %d bytes", err, got.err, len(got.body))
			}
			if got.payload != "STREAMING-UNSIGNED-PAYLOAD-TRAILER" || got.res.Trailer.Get("X-Amz-Checksum-Crc32") == "" {
				t.Errorf("streamed PutObject: payload %q, trailer %v", got.payload, got.res.Trailer)
			}
		}
		_, _ = client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bkt"), Prefix: aws.String("a b/ü&=")})
		if got := rec.last(t); got.err != nil {
			t.Errorf("ListObjectsV2: %v", got.err)
		}
		presigned, err := s3.NewPresignClient(client).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bkt"), Key: aws.String("a b/ü")})
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Get(presigned.URL)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if got := rec.last(t); got.err != nil || got.res.Method != MethodQuery {
			t.Errorf("presigned GET: %v", got.err)
		}
		srv.Close()
	}
}
