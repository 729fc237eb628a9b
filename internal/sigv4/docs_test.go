package sigv4

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Worked examples of the S3 API Reference, "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk" and
// "Authenticating Requests: Using Query Parameters".
func TestDocExamplesV4(t *testing.T) {
	const auth = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders="
	cases := []struct {
		name, method, target, body string
		headers                    []string
		want                       string // body read back
	}{
		{
			name: "GET object with Range", method: "GET", target: "http://examplebucket.s3.amazonaws.com/test.txt",
			headers: []string{"Range", "bytes=0-9", "x-amz-content-sha256", emptySHA256, "x-amz-date", "20130524T000000Z",
				"Authorization", auth + "host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"},
		},
		{
			name: "PUT object", method: "PUT", target: "http://examplebucket.s3.amazonaws.com/test$file.text", body: "Welcome to Amazon S3.",
			headers: []string{"Date", "Fri, 24 May 2013 00:00:00 GMT", "x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
				"x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
				"Authorization", auth + "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"},
			want: "Welcome to Amazon S3.",
		},
		{
			name: "GET bucket lifecycle", method: "GET", target: "http://examplebucket.s3.amazonaws.com/?lifecycle",
			headers: []string{"x-amz-date", "20130524T000000Z", "x-amz-content-sha256", emptySHA256,
				"Authorization", auth + "host;x-amz-content-sha256;x-amz-date,Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"},
		},
		{
			name: "list objects", method: "GET", target: "http://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J",
			headers: []string{"x-amz-date", "20130524T000000Z", "x-amz-content-sha256", emptySHA256,
				"Authorization", auth + "host;x-amz-content-sha256;x-amz-date,Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"},
		},
		{
			name: "presigned URL", method: "GET",
			target: "http://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := serverRequest(tc.method, tc.target, tc.body, tc.headers...)
			res, err := Verify(context.Background(), r, docKeys, Options{Now: docTime.Add(time.Minute)})
			if err != nil {
				t.Fatalf("Verify: %v (%s)", err, field(err, "CanonicalRequest"))
			}
			if res.AccessKeyID != docAKID || res.Region != "us-east-1" || res.Service != "s3" || !res.SignedAt.Equal(docTime) || res.SignatureVersion != VersionV4 {
				t.Errorf("result = %+v", res)
			}
			wantMethod := MethodHeader
			if strings.Contains(tc.target, "X-Amz-Signature") {
				wantMethod = MethodQuery
			}
			if res.Method != wantMethod {
				t.Errorf("Method = %q, want %q", res.Method, wantMethod)
			}
			b, err := readBody(t, res)
			if err != nil || string(b) != tc.want {
				t.Errorf("body = %q, %v; want %q", b, err, tc.want)
			}
		})
	}
}

// The chunked-upload example ("Transferring Payload in Multiple Chunks"):
// 66560 bytes of 'a' in chunks of 65536, 1024 and 0 bytes.
func TestDocExampleChunked(t *testing.T) {
	data := strings.Repeat("a", 66560)
	body := "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" + data[:65536] + "\r\n" +
		"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" + data[65536:] + "\r\n" +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	if len(body) != 66824 {
		t.Fatalf("framed length %d, the example says 66824", len(body))
	}
	r := serverRequest("PUT", "http://s3.amazonaws.com/examplebucket/chunkObject.txt", body,
		"x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
		"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "Content-Encoding", "aws-chunked",
		"x-amz-decoded-content-length", "66560", "Content-Length", "66824",
		"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
	res, err := Verify(context.Background(), r, docKeys, Options{Now: docTime})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.ContentLength != 66560 {
		t.Errorf("ContentLength = %d", res.ContentLength)
	}
	got, err := readBody(t, res)
	if err != nil || string(got) != data {
		t.Fatalf("body: %d bytes, %v", len(got), err)
	}
}

// The trailing-header example ("Including Trailing Headers"): the same data,
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER and an x-amz-checksum-crc32c
// trailer with its signature.
func TestDocExampleTrailer(t *testing.T) {
	data := strings.Repeat("a", 66560)
	body := "10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n" + data[:65536] + "\r\n" +
		"400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n" + data[65536:] + "\r\n" +
		"0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n" +
		"x-amz-checksum-crc32c:sOO8/Q==\r\n" +
		"x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n"
	r := serverRequest("PUT", "http://s3.amazonaws.com/examplebucket/chunkObject.txt", body,
		"x-amz-date", "20130524T000000Z", "x-amz-storage-class", "REDUCED_REDUNDANCY",
		"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "Content-Encoding", "aws-chunked",
		"x-amz-decoded-content-length", "66560", "x-amz-trailer", "x-amz-checksum-crc32c",
		"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer,Signature=106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e")
	res, err := Verify(context.Background(), r, docKeys, Options{Now: docTime})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if res.Trailer.Get("x-amz-checksum-crc32c") != "" {
		t.Error("trailer filled before EOF")
	}
	got, err := readBody(t, res)
	if err != nil || string(got) != data {
		t.Fatalf("body: %d bytes, %v", len(got), err)
	}
	if v := res.Trailer.Get("x-amz-checksum-crc32c"); v != "sOO8/Q==" {
		t.Errorf("trailer = %q", v)
	}
	if res.Trailer.Get(trailerSigName) != "" {
		t.Error("trailer signature exposed as a trailer")
	}
}

// Signing and authenticating REST requests (SigV2): the developer guide's
// examples, with the bucket they were computed for ("johnsmith").
func TestDocExamplesV2(t *testing.T) {
	bucketFromHost := func(host string) (string, bool) {
		host, _, _ = strings.Cut(host, ":")
		if b, ok := strings.CutSuffix(host, ".s3.amazonaws.com"); ok {
			return b, true
		}
		if host == "s3.amazonaws.com" {
			return "", false
		}
		return host, true // a CNAME: the host is the bucket
	}
	const a = "AWS AKIAIOSFODNN7EXAMPLE:"
	cases := []struct {
		name, method, target string
		headers              []string
		now                  time.Time
		method2              string
	}{
		{"object GET", "GET", "http://johnsmith.s3.amazonaws.com/photos/puppy.jpg",
			[]string{"Date", "Tue, 27 Mar 2007 19:36:42 +0000", "Authorization", a + "bWq2s1WEIj+Ydj0vQ697zp+IXMU="}, time.Date(2007, 3, 27, 19, 40, 0, 0, time.UTC), MethodHeader},
		{"object PUT", "PUT", "http://johnsmith.s3.amazonaws.com/photos/puppy.jpg",
			[]string{"Content-Type", "image/jpeg", "Date", "Tue, 27 Mar 2007 21:15:45 +0000", "Authorization", a + "MyyxeRY7whkBe+bq8fHCL/2kKUg="}, time.Date(2007, 3, 27, 21, 15, 0, 0, time.UTC), MethodHeader},
		{"list", "GET", "http://johnsmith.s3.amazonaws.com/?prefix=photos&max-keys=50&marker=puppy",
			[]string{"User-Agent", "Mozilla/5.0", "Date", "Tue, 27 Mar 2007 19:42:41 +0000", "Authorization", a + "htDYFYduRNen8P9ZfE/s9SuKy0U="}, time.Date(2007, 3, 27, 19, 42, 0, 0, time.UTC), MethodHeader},
		{"fetch acl", "GET", "http://johnsmith.s3.amazonaws.com/?acl",
			[]string{"Date", "Tue, 27 Mar 2007 19:44:46 +0000", "Authorization", a + "c2WLPFtWHVgbEmeEG93a4cG37dM="}, time.Date(2007, 3, 27, 19, 44, 0, 0, time.UTC), MethodHeader},
		{"delete with x-amz-date", "DELETE", "http://s3.amazonaws.com/johnsmith/photos/puppy.jpg",
			[]string{"User-Agent", "dotnet", "Date", "Tue, 27 Mar 2007 21:20:27 +0000", "x-amz-date", "Tue, 27 Mar 2007 21:20:26 +0000", "Authorization", a + "lx3byBScXR6KzyMaifNkardMwNk="}, time.Date(2007, 3, 27, 21, 20, 0, 0, time.UTC), MethodHeader},
		{"upload to a CNAME bucket", "PUT", "http://static.johnsmith.net:8080/db-backup.dat.gz",
			[]string{"User-Agent", "curl/7.15.5", "Date", "Tue, 27 Mar 2007 21:06:08 +0000", "x-amz-acl", "public-read", "content-type", "application/x-download",
				"Content-MD5", "4gJE4saaMU4BqNR0kLY+lw==", "X-Amz-Meta-ReviewedBy", "joe@johnsmith.net", "X-Amz-Meta-ReviewedBy", "jane@johnsmith.net",
				"X-Amz-Meta-FileChecksum", "0x02661779", "X-Amz-Meta-ChecksumAlgorithm", "crc32", "Content-Disposition", "attachment; filename=database.dat",
				"Content-Encoding", "gzip", "Authorization", a + "ilyl83RwaSoYIEdixDQcA4OnAnc="}, time.Date(2007, 3, 27, 21, 6, 0, 0, time.UTC), MethodHeader},
		{"list all my buckets", "GET", "http://s3.amazonaws.com/",
			[]string{"Date", "Wed, 28 Mar 2007 01:29:59 +0000", "Authorization", a + "qGdzdERIC03wnaRNKh6OqZehG9s="}, time.Date(2007, 3, 28, 1, 30, 0, 0, time.UTC), MethodHeader},
		{"unicode keys", "GET", "http://s3.amazonaws.com/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
			[]string{"Date", "Wed, 28 Mar 2007 01:49:49 +0000", "Authorization", a + "DNEZGsoieTZ92F3bUfSPQcbGmlM="}, time.Date(2007, 3, 28, 1, 49, 0, 0, time.UTC), MethodHeader},
		{"query string", "GET", "http://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
			nil, time.Unix(1175139620, 0), MethodQuery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := serverRequest(tc.method, tc.target, "", tc.headers...)
			res, err := Verify(context.Background(), r, docKeys, Options{Now: tc.now, BucketFromHost: bucketFromHost})
			if err != nil {
				t.Fatalf("Verify: %v (StringToSign %q)", err, field(err, "StringToSign"))
			}
			if res.SignatureVersion != VersionV2 || res.Method != tc.method2 || res.AccessKeyID != docAKID {
				t.Errorf("result = %+v", res)
			}
			// One second after the query example's Expires it has expired.
			if tc.method2 == MethodQuery {
				_, err := Verify(context.Background(), serverRequest(tc.method, tc.target, ""), docKeys, Options{Now: tc.now.Add(time.Second), BucketFromHost: bucketFromHost})
				if code(err) != "AccessDenied" || message(err) != "Request has expired" || field(err, "Expires") != "2007-03-29T03:40:20Z" {
					t.Errorf("expired: %v %v", err, field(err, "Expires"))
				}
			}
		})
	}
}
