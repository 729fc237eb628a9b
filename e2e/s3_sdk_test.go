package e2e

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/crossbucket/crossbucket/internal/accounts"
)

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestSDKObjects runs the object round trip over http (signed SHA-256
// payload) and https (aws-chunked with a trailing checksum).
func TestSDKObjects(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		c    *s3.Client
	}{{"http", e.S3(a)}, {"https", e.S3TLS(a)}} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			bucket := "sdk-" + tc.name
			if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Fatal(err)
			}
			keys := []string{"plain", "a//b", "../x", "%2F", "sp ace+plus", "ünïcødé/ключ", "q?x=1&y", strings.Repeat("k", 1024)}
			for _, k := range keys {
				body := []byte("body of " + k)
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader(body),
					ChecksumAlgorithm: types.ChecksumAlgorithmCrc32}); err != nil {
					t.Fatalf("put %q: %v", k, err)
				}
				out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(k), ChecksumMode: types.ChecksumModeEnabled})
				if err != nil {
					t.Fatalf("get %q: %v", k, err)
				}
				got, _ := io.ReadAll(out.Body)
				out.Body.Close()
				if !bytes.Equal(got, body) {
					t.Fatalf("get %q: %q", k, got)
				}
				if out.ChecksumCRC32 == nil {
					t.Errorf("get %q: no CRC32 returned with ChecksumMode ENABLED", k)
				}
			}
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(strings.Repeat("k", 1025)), Body: strings.NewReader("x")}); errCode(err) != "KeyTooLongError" {
				t.Errorf("1025-byte key: %v", err)
			}
			var listed []string
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(3)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Contents {
					listed = append(listed, *o.Key)
				}
			}
			if len(listed) != len(keys) {
				t.Fatalf("listed %d keys, want %d: %q", len(listed), len(keys), listed)
			}
			for i := 1; i < len(listed); i++ {
				if listed[i-1] >= listed[i] {
					t.Fatalf("keys not in byte order: %q before %q", listed[i-1], listed[i])
				}
			}
		})
	}
}

// TestSDKChecksumMismatch: a wrong checksum or Content-MD5 stores nothing.
func TestSDKChecksumMismatch(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	c := e.S3(a)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("sums")}); err != nil {
		t.Fatal(err)
	}
	wrongMD5 := md5.Sum([]byte("something else"))
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("k"), Body: strings.NewReader("data"),
		ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrongMD5[:]))})
	if errCode(err) != "BadDigest" {
		t.Fatalf("wrong Content-MD5: %v", err)
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("k"), Body: strings.NewReader("data"),
		ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 32)))})
	if errCode(err) != "BadDigest" {
		t.Fatalf("wrong SHA256 checksum: %v", err)
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("k")}); err == nil {
		t.Fatal("an object was stored despite a bad checksum")
	}
}

// TestSDKConditionalAndMultipart covers conditional writes and multipart.
func TestSDKConditionalAndMultipart(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	c := e.S3TLS(a)
	ctx := context.Background()
	bk := aws.String("cond")
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bk}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bk, Key: aws.String("k"), Body: strings.NewReader("v1"), IfNoneMatch: aws.String("*")}); err != nil {
		t.Fatalf("first If-None-Match put: %v", err)
	}
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bk, Key: aws.String("k"), Body: strings.NewReader("v2"), IfNoneMatch: aws.String("*")})
	if errCode(err) != "PreconditionFailed" {
		t.Fatalf("second If-None-Match put: %v", err)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: aws.String("k"), IfMatch: aws.String(`"nope"`)})
	if errCode(err) != "PreconditionFailed" {
		t.Fatalf("If-Match get: %v", err)
	}

	// Multipart: two 5 MiB parts and a short last part.
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	var parts []types.CompletedPart
	var whole []byte
	for i, n := range []int{5 << 20, 5 << 20, 1234} {
		data := bytes.Repeat([]byte{byte('a' + i)}, n)
		whole = append(whole, data...)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("mp"), UploadId: up.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(data)})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	// Out of order parts are refused.
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{parts[1], parts[0]}}})
	if errCode(err) != "InvalidPartOrder" {
		t.Fatalf("out-of-order complete: %v", err)
	}
	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("mp"), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(strings.Trim(*done.ETag, `"`), "-3") {
		t.Fatalf("multipart ETag %q", *done.ETag)
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: aws.String("mp"), Range: aws.String("bytes=5242870-5242889")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if !bytes.Equal(got, whole[5242870:5242890]) {
		t.Fatalf("range across parts: %q", got)
	}
	// Too-small parts fail at completion.
	up2, _ := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("small")})
	var small []types.CompletedPart
	for i := range 2 {
		o, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: bk, Key: aws.String("small"), UploadId: up2.UploadId,
			PartNumber: aws.Int32(int32(i + 1)), Body: strings.NewReader("tiny")})
		if err != nil {
			t.Fatal(err)
		}
		small = append(small, types.CompletedPart{ETag: o.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: bk, Key: aws.String("small"), UploadId: up2.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: small}})
	if errCode(err) != "EntityTooSmall" {
		t.Fatalf("small parts complete: %v", err)
	}
	if _, err := c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: bk, Key: aws.String("small"), UploadId: up2.UploadId}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: bk, Key: aws.String("small"), UploadId: up2.UploadId}); errCode(err) != "NoSuchUpload" {
		t.Fatalf("list parts after abort: %v", err)
	}
}

// TestSDKVirtualHostedAndRegion: bucket.localhost requests, and a request
// signed for the wrong region.
func TestSDKVirtualHostedAndRegion(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	ctx := context.Background()
	addr := e.HTTP.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	// Every host name dials the test listener (bucket.localhost need not resolve here).
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}}
	vh := s3.NewFromConfig(aws.Config{Region: "eu-west-1", HTTPClient: hc,
		Credentials: credentials.NewStaticCredentialsProvider(a.AccessKeyID, a.SecretAccessKey, "")}, func(o *s3.Options) {
		o.BaseEndpoint = aws.String("http://localhost:" + port)
	})
	if _, err := vh.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vhost"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}}); err != nil {
		t.Fatalf("virtual-hosted create: %v", err)
	}
	if _, err := vh.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vhost"), Key: aws.String("k/v"), Body: strings.NewReader("v")}); err != nil {
		t.Fatalf("virtual-hosted put: %v", err)
	}
	// The same object through path style.
	ps := e.S3(a, Region("eu-west-1"))
	if _, err := ps.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("vhost"), Key: aws.String("k/v")}); err != nil {
		t.Fatalf("path-style head of a virtual-hosted put: %v", err)
	}
	// Signed for us-east-1 against an eu-west-1 bucket.
	_, err := e.S3(a).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String("k/v")})
	if errCode(err) != "AuthorizationHeaderMalformed" {
		t.Fatalf("wrong region: %v", err)
	}
}

// TestAuthFailures: each authentication failure gets AWS's error.
func TestAuthFailures(t *testing.T) {
	e := Start(t)
	a := e.Account(t)
	ctx := context.Background()
	if _, err := e.S3(a).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("authb")}); err != nil {
		t.Fatal(err)
	}
	wrong := &accounts.Created{AccessKeyID: a.AccessKeyID, SecretAccessKey: "not-the-secret-0123456789"}
	if _, err := e.S3(wrong).ListBuckets(ctx, &s3.ListBucketsInput{}); errCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret: %v", err)
	}
	if _, err := e.S3TLS(wrong).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("authb"), Key: aws.String("k"), Body: strings.NewReader("x")}); errCode(err) != "SignatureDoesNotMatch" {
		t.Errorf("wrong secret on a streaming trailer upload: %v", err)
	}
	unknown := &accounts.Created{AccessKeyID: "AKIAUNKNOWNUNKNOWN00", SecretAccessKey: "whatever-whatever-whatever"}
	if _, err := e.S3(unknown).ListBuckets(ctx, &s3.ListBucketsInput{}); errCode(err) != "InvalidAccessKeyId" {
		t.Errorf("unknown key: %v", err)
	}

	// A request signed 20 minutes ago.
	req, _ := http.NewRequest(http.MethodGet, e.HTTP.URL+"/authb", nil)
	req.Header.Set("x-amz-content-sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	signer := v4.NewSigner()
	if err := signer.SignHTTP(ctx, aws.Credentials{AccessKeyID: a.AccessKeyID, SecretAccessKey: a.SecretAccessKey},
		req, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "s3", "us-east-1", time.Now().Add(-20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if r := do(t, req); r.status != 403 || !strings.Contains(r.body, "RequestTimeTooSkewed") {
		t.Errorf("skewed: %d %s", r.status, r.body)
	}

	// Credentials in both the query and the header are refused.
	ps := s3.NewPresignClient(e.S3(a))
	pre, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("authb"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	req2, _ := http.NewRequest(http.MethodGet, pre.URL, nil)
	req2.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+a.AccessKeyID+"/20250101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00")
	if r := do(t, req2); r.status != 400 || !strings.Contains(r.body, "InvalidArgument") {
		t.Errorf("query + header credentials: %d %s", r.status, r.body)
	}

	// An expired presigned URL.
	pre2, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("authb"), Key: aws.String("k")}, func(o *s3.PresignOptions) {
		o.Expires = time.Second
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	if r := httpGet(t, pre2.URL); r.status != 403 || !strings.Contains(r.body, "Request has expired") {
		t.Errorf("expired presign: %d %s", r.status, r.body)
	}
	// Presigned URL with the signature stripped: never anonymous access.
	u, _ := url.Parse(pre.URL)
	q := u.Query()
	q.Del("X-Amz-Signature")
	u.RawQuery = q.Encode()
	if r := httpGet(t, u.String()); r.status < 400 {
		t.Errorf("presign without signature: %d %s", r.status, r.body)
	}
	// Every response carries the request id headers.
	if r := httpGet(t, e.HTTP.URL+"/authb"); r.header.Get("x-amz-request-id") == "" || r.header.Get("x-amz-id-2") == "" || r.status != 403 {
		t.Errorf("anonymous list: %d, headers %v", r.status, r.header)
	}
}

func do(t *testing.T, req *http.Request) httpResult {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{status: resp.StatusCode, body: string(b), header: resp.Header}
}
