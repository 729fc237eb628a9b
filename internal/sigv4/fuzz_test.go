package sigv4

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

const docTrailerAuth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"

// FuzzVerify feeds raw request parts (and, with the documentation's trailer
// example as seed, bodies behind a valid seed signature) to Verify and reads
// the body. It must never panic, and every failure must be an AWS error.
func FuzzVerify(f *testing.F) {
	trailerBody := "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" + strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" + strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
		"x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
	f.Add("PUT", "s3.amazonaws.com", "/examplebucket/chunkObject.txt", "", docTrailerAuth, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "20130524T000000Z", "x-amz-checksum-crc32c", "66560", []byte(trailerBody))
	f.Add("GET", "examplebucket.s3.amazonaws.com", "/test.txt", "", docGETAuth, emptySHA256, "20130524T000000Z", "", "", []byte{})
	f.Add("GET", "examplebucket.s3.amazonaws.com", "/test.txt", docPresign, "", "", "", "", "", []byte{})
	f.Add("GET", "johnsmith.s3.amazonaws.com", "/photos/puppy.jpg", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1369353600", "", "", "", "", "", []byte{})
	f.Add("PUT", "b.localhost", "/k", "", "", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "", "x-amz-checksum-crc32", "5", []byte("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n"))
	f.Add("POST", "iam.amazonaws.com", "/", "", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/iam/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "", "20130524T000000Z", "", "", []byte("Action=ListUsers"))
	f.Add("GET", "h", "/", "", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=", "", "Fri, 24 May 2013 00:00:00 GMT", "", "", []byte{})
	lookup := keys(map[string]string{docAKID: docSecret})
	f.Fuzz(func(t *testing.T, method, host, path, rawQuery, auth, sha, date, trailer, decoded string, body []byte) {
		r := &http.Request{
			Method: method, Host: host, Header: http.Header{}, RequestURI: path + "?" + rawQuery,
			URL:  &url.URL{Path: path, RawQuery: rawQuery},
			Body: io.NopCloser(strings.NewReader(string(body))), ContentLength: int64(len(body)),
		}
		for k, v := range map[string]string{"Authorization": auth, "X-Amz-Content-Sha256": sha, "X-Amz-Date": date,
			"X-Amz-Trailer": trailer, "X-Amz-Decoded-Content-Length": decoded} {
			if v != "" {
				r.Header.Set(k, v)
			}
		}
		r.Header.Set("Content-Encoding", "aws-chunked")
		r.Header.Set("X-Amz-Storage-Class", "REDUCED_REDUNDANCY")
		res, err := Verify(context.Background(), r, lookup, Options{Now: docTime, MaxUnsignedPayloadBuffer: 1 << 16,
			BucketFromHost: func(h string) (string, bool) { return strings.CutSuffix(h, ".s3.amazonaws.com") }})
		if err != nil {
			requireAWSError(t, err)
			return
		}
		n, err := io.Copy(io.Discard, res.Body)
		if err != nil {
			requireAWSError(t, err)
			return
		}
		if res.ContentLength >= 0 && n != res.ContentLength {
			t.Fatalf("read %d bytes, ContentLength %d", n, res.ContentLength)
		}
	})
}

func requireAWSError(t *testing.T, err error) {
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("not an AWS error: %v", err)
	}
	if e.Code.Status >= 500 {
		t.Fatalf("server error for client input: %v", err)
	}
}
