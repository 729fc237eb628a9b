package s3api

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// trickyKeys are stored and listed exactly.
var trickyKeys = []string{"plain", "a//b", "../x", "%2F", "a%2Fb", "sp ace+plus", "ünïcødé/ключ", "q?x=1&y",
	"trailing/", "./.", "back\\slash", "tab\there", strings.Repeat("k", 1024)}

func TestTrickyKeys(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	for name, c := range map[string]*s3.Client{"http": e.client(a), "https": e.tlsClient(a)} {
		t.Run(name, func(t *testing.T) {
			bucket := "keys-" + name
			mustBucket(t, c, bucket)
			for _, k := range trickyKeys {
				if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(k),
					Body: strings.NewReader("body of " + k), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32}); err != nil {
					t.Fatalf("put %q: %v", k, err)
				}
				if got := mustGet(t, c, bucket, k); got != "body of "+k {
					t.Fatalf("get %q: %q", k, got)
				}
			}
			var listed []string
			p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String(bucket), MaxKeys: aws.Int32(4)})
			for p.HasMorePages() {
				page, err := p.NextPage(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, o := range page.Contents {
					listed = append(listed, *o.Key)
				}
			}
			if len(listed) != len(trickyKeys) {
				t.Fatalf("listed %q", listed)
			}
			for i := 1; i < len(listed); i++ {
				if listed[i-1] >= listed[i] {
					t.Fatalf("not in byte order: %q, %q", listed[i-1], listed[i])
				}
			}
			if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(strings.Repeat("k", 1025)),
				Body: strings.NewReader("x")}); code(err) != "KeyTooLongError" {
				t.Errorf("1025-byte key: %v", err)
			}
		})
	}
	// Raw paths: %2F is a slash in the key, // is kept.
	mustBucket(t, e.client(a), "rawkeys")
	for path, key := range map[string]string{"/rawkeys/a%2Fb": "a/b", "/rawkeys/a//b": "a//b", "/rawkeys/p%2Bq": "p+q"} {
		if r := e.raw(t, a, "PUT", path, []byte(key), nil); r.status != 200 {
			t.Fatalf("PUT %s: %d %s", path, r.status, r.body)
		}
		if got := mustGet(t, e.client(a), "rawkeys", key); got != key {
			t.Errorf("PUT %s stored as something else: %q", path, got)
		}
	}
}

func TestObjectMetadata(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "meta")
	out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("k"), Body: strings.NewReader("hello world"),
		ContentType: aws.String("text/plain"), ContentLanguage: aws.String("en"), CacheControl: aws.String("max-age=5"),
		ContentDisposition: aws.String("attachment"), ContentEncoding: aws.String("identity"),
		Metadata: map[string]string{"Color": "blue", "x": "y"}, StorageClass: types.StorageClassStandardIa, Tagging: aws.String("a=1&b=2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ETag) != `"5eb63bbbe01eeed093cb22bb8f5acdc3"` {
		t.Errorf("ETag %q", aws.ToString(out.ETag))
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(h.ContentType) != "text/plain" || aws.ToString(h.ContentLanguage) != "en" || aws.ToString(h.CacheControl) != "max-age=5" ||
		aws.ToString(h.ContentDisposition) != "attachment" || aws.ToString(h.ContentEncoding) != "identity" ||
		h.Metadata["color"] != "blue" || h.Metadata["x"] != "y" || h.StorageClass != types.StorageClassStandardIa ||
		aws.ToInt64(h.ContentLength) != 11 || aws.ToInt32(h.TagCount) != 2 || h.AcceptRanges == nil || h.LastModified == nil {
		t.Errorf("head: %+v", h)
	}
	if r := e.raw(t, a, "PUT", "/meta/plain", []byte("x"), nil); r.status != 200 {
		t.Fatal(r.body)
	}
	if h, _ := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String("plain")}); aws.ToString(h.ContentType) != "binary/octet-stream" {
		t.Errorf("default content type %q", aws.ToString(h.ContentType))
	}
	big := map[string]string{"big": strings.Repeat("v", 2048)}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("meta"), Key: aws.String("big"), Body: strings.NewReader("x"), Metadata: big}); code(err) != "MetadataTooLarge" {
		t.Errorf("2 KB metadata: %v", err)
	}
	for name, hdr := range map[string]map[string]string{
		"storage class": {"x-amz-storage-class": "NOPE"},
		"tags":          {"x-amz-tagging": "a=1&a=2"},
		"acl":           {"x-amz-acl": "public-read"},
		"kms":           {"x-amz-server-side-encryption": "aws:kms"},
		"lock":          {"x-amz-object-lock-mode": "GOVERNANCE"},
		"if-none-match": {"If-None-Match": `"abc"`},
	} {
		if r := e.raw(t, a, "PUT", "/meta/refused", []byte("x"), hdr); r.status < 400 {
			t.Errorf("%s accepted: %d", name, r.status)
		}
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String("refused")}); err == nil {
		t.Error("a refused PUT stored an object")
	}
	// aws-chunked describes the request, never the object.
	if r := e.raw(t, a, "PUT", "/meta/enc", []byte("x"), map[string]string{"Content-Encoding": "aws-chunked,gzip"}); r.status != 200 {
		t.Fatalf("put: %d %s", r.status, r.body)
	}
	if h, _ := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("meta"), Key: aws.String("enc")}); aws.ToString(h.ContentEncoding) != "gzip" {
		t.Errorf("content encoding %q", aws.ToString(h.ContentEncoding))
	}
	// response-* overrides for signed requests.
	r := e.raw(t, a, "GET", "/meta/k?response-content-type=application/json&response-cache-control=no-cache&response-content-disposition=inline", nil, nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/json" || r.header.Get("Cache-Control") != "no-cache" ||
		r.header.Get("Content-Disposition") != "inline" {
		t.Errorf("overrides: %d %v", r.status, r.header)
	}
}

func TestRanges(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	mustBucket(t, c, "ranges")
	mustPut(t, c, "ranges", "k", "0123456789")
	mustPut(t, c, "ranges", "empty", "")
	for _, tc := range []struct {
		key, rng   string
		status     int
		body, crng string
	}{
		{"k", "bytes=0-4", 206, "01234", "bytes 0-4/10"},
		{"k", "bytes=6-", 206, "6789", "bytes 6-9/10"},
		{"k", "bytes=-3", 206, "789", "bytes 7-9/10"},
		{"k", "bytes=-30", 206, "0123456789", "bytes 0-9/10"},
		{"k", "bytes=8-100", 206, "89", "bytes 8-9/10"},
		{"k", "bytes=5-5", 206, "5", "bytes 5-5/10"},
		{"k", "bytes=10-", 416, "", "bytes */10"},
		{"k", "bytes=-0", 416, "", "bytes */10"},
		{"k", "bytes=0-1,3-4", 200, "0123456789", ""},
		{"k", "bytes=5-2", 200, "0123456789", ""},
		{"k", "items=0-1", 200, "0123456789", ""},
		{"empty", "bytes=0-", 416, "", "bytes */0"},
	} {
		r := e.raw(t, a, "GET", "/ranges/"+tc.key, nil, map[string]string{"Range": tc.rng})
		if r.status != tc.status || r.header.Get("Content-Range") != tc.crng || (tc.status != 416 && r.body != tc.body) {
			t.Errorf("%s %s: %d %q %q", tc.key, tc.rng, r.status, r.header.Get("Content-Range"), r.body)
		}
		if tc.status == 416 && (!strings.Contains(r.body, "InvalidRange") || !strings.Contains(r.body, "<ActualObjectSize>")) {
			t.Errorf("%s: %s", tc.rng, r.body)
		}
	}
	// partNumber on a single-part object.
	if r := e.raw(t, a, "GET", "/ranges/k?partNumber=1", nil, nil); r.status != 206 || r.body != "0123456789" {
		t.Errorf("partNumber=1: %d %q", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/ranges/k?partNumber=2", nil, nil); r.status != 416 || !strings.Contains(r.body, "InvalidPartNumber") ||
		!strings.Contains(r.body, "<ActualPartCount>1</ActualPartCount>") {
		t.Errorf("partNumber=2: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/ranges/k?partNumber=0", nil, nil); r.status != 400 || !strings.Contains(r.body, "Part number must be an integer between 1 and 10000, inclusive") {
		t.Errorf("partNumber=0: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/ranges/k?partNumber=1", nil, map[string]string{"Range": "bytes=0-1"}); r.status != 400 ||
		!strings.Contains(r.body, "Cannot specify both Range header and partNumber query parameter") {
		t.Errorf("range and partNumber: %d %s", r.status, r.body)
	}
	for q, want := range map[string]string{"versionId=abc": "Invalid version id specified", "versionId=": "Version id cannot be the empty string"} {
		if r := e.raw(t, a, "GET", "/ranges/k?"+q, nil, nil); r.status != 400 || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d %s", q, r.status, r.body)
		}
	}
	if r := e.raw(t, a, "GET", "/ranges/k?versionId=null", nil, nil); r.status != 200 {
		t.Errorf("versionId=null: %d", r.status)
	}
}

func TestReadConditions(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	mustBucket(t, c, "conds")
	etag := aws.ToString(mustPut(t, c, "conds", "k", "v").ETag)
	h, err := c.HeadObject(context.Background(), &s3.HeadObjectInput{Bucket: aws.String("conds"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	lm := *h.LastModified
	before, after := lm.Add(-time.Hour).Format(http.TimeFormat), lm.Add(time.Hour).Format(http.TimeFormat)
	for _, tc := range []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"if-match ok", map[string]string{"If-Match": etag}, 200},
		{"if-match unquoted", map[string]string{"If-Match": strings.Trim(etag, `"`)}, 200},
		{"if-match list", map[string]string{"If-Match": `"x", ` + etag}, 200},
		{"if-match star", map[string]string{"If-Match": "*"}, 200},
		{"if-match bad", map[string]string{"If-Match": `"nope"`}, 412},
		{"if-none-match hit", map[string]string{"If-None-Match": etag}, 304},
		{"if-none-match miss", map[string]string{"If-None-Match": `"nope"`}, 200},
		{"if-modified-since later", map[string]string{"If-Modified-Since": after}, 304},
		{"if-modified-since earlier", map[string]string{"If-Modified-Since": before}, 200},
		{"if-unmodified-since earlier", map[string]string{"If-Unmodified-Since": before}, 412},
		{"if-unmodified-since later", map[string]string{"If-Unmodified-Since": after}, 200},
		{"if-match true wins over if-unmodified-since false", map[string]string{"If-Match": etag, "If-Unmodified-Since": before}, 200},
		{"if-none-match false wins over if-modified-since true", map[string]string{"If-None-Match": etag, "If-Modified-Since": before}, 304},
		{"if-none-match true ignores if-modified-since false", map[string]string{"If-None-Match": `"x"`, "If-Modified-Since": after}, 200},
		{"412 before 304", map[string]string{"If-Match": `"x"`, "If-None-Match": etag}, 412},
		{"bad date ignored", map[string]string{"If-Modified-Since": "yesterday"}, 200},
	} {
		for _, m := range []string{"GET", "HEAD"} {
			r := e.raw(t, a, m, "/conds/k", nil, tc.hdr)
			if r.status != tc.status {
				t.Errorf("%s %s: %d, want %d %s", m, tc.name, r.status, tc.status, r.body)
			}
			if r.status == 304 && (r.header.Get("ETag") != etag || r.body != "") {
				t.Errorf("%s %s: 304 without ETag or with a body: %v %q", m, tc.name, r.header, r.body)
			}
		}
	}
	// Missing keys: NoSuchKey for the owner (allowed to list).
	if r := e.raw(t, a, "GET", "/conds/missing", nil, nil); r.status != 404 || !strings.Contains(r.body, "<Code>NoSuchKey</Code>") ||
		!strings.Contains(r.body, "<Key>missing</Key>") {
		t.Errorf("missing: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "HEAD", "/conds/missing", nil, nil); r.status != 404 || r.body != "" {
		t.Errorf("head missing: %d %q", r.status, r.body)
	}
}

func TestChecksums(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "sums")
	blobs := e.blobCount(t)
	wrongMD5 := md5.Sum([]byte("other"))
	bad := []struct {
		name string
		in   *s3.PutObjectInput
		want string
	}{
		{"content-md5", &s3.PutObjectInput{ContentMD5: aws.String(base64.StdEncoding.EncodeToString(wrongMD5[:]))}, "BadDigest"},
		{"sha256", &s3.PutObjectInput{ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(make([]byte, 32)))}, "BadDigest"},
		{"crc32", &s3.PutObjectInput{ChecksumCRC32: aws.String("AAAAAA==")}, "BadDigest"},
		{"malformed crc32", &s3.PutObjectInput{ChecksumCRC32: aws.String("nope")}, "InvalidRequest"},
		{"malformed md5", &s3.PutObjectInput{ContentMD5: aws.String("nope")}, "InvalidDigest"},
	}
	for _, tc := range bad {
		in := tc.in
		in.Bucket, in.Key, in.Body = aws.String("sums"), aws.String("k"), strings.NewReader("data")
		if _, err := c.PutObject(ctx, in); code(err) != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
		}
	}
	if _, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("sums"), Key: aws.String("k")}); err == nil {
		t.Fatal("stored despite a bad checksum")
	}
	if n := e.blobCount(t); n != blobs {
		t.Errorf("blobs left behind: %d → %d", blobs, n)
	}
	// Trailing checksums over https, and the default CRC64NVME.
	tc := e.tlsClient(a)
	data := bytes.Repeat([]byte("abc"), 100000)
	sum := sha256.Sum256(data)
	if _, err := tc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("sums"), Key: aws.String("sha"), Body: bytes.NewReader(data),
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256}); err != nil {
		t.Fatal(err)
	}
	out, err := tc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("sums"), Key: aws.String("sha"), ChecksumMode: types.ChecksumModeEnabled})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if !bytes.Equal(got, data) || aws.ToString(out.ChecksumSHA256) != base64.StdEncoding.EncodeToString(sum[:]) || out.ChecksumType != types.ChecksumTypeFullObject {
		t.Errorf("sha256 round trip: %d bytes, %q %q", len(got), aws.ToString(out.ChecksumSHA256), out.ChecksumType)
	}
	r := e.raw(t, a, "PUT", "/sums/plain", []byte("x"), nil)
	if r.status != 200 || r.header.Get("x-amz-checksum-crc64nvme") == "" {
		t.Errorf("default checksum: %d %v", r.status, r.header)
	}
	if r := e.raw(t, a, "GET", "/sums/plain", nil, map[string]string{"x-amz-checksum-mode": "ENABLED"}); r.header.Get("x-amz-checksum-crc64nvme") == "" {
		t.Errorf("checksum mode: %v", r.header)
	}
	if r := e.raw(t, a, "GET", "/sums/plain", nil, nil); r.header.Get("x-amz-checksum-crc64nvme") != "" {
		t.Errorf("checksum without checksum mode: %v", r.header)
	}
	for name, hdr := range map[string]map[string]string{
		"two checksums":       {"x-amz-checksum-crc32": "AAAAAA==", "x-amz-checksum-crc32c": "AAAAAA=="},
		"sdk without value":   {"x-amz-sdk-checksum-algorithm": "CRC32"},
		"unknown sdk":         {"x-amz-sdk-checksum-algorithm": "MD4", "x-amz-checksum-crc32": "AAAAAA=="},
		"unsupported trailer": {"x-amz-trailer": "x-amz-foo"},
	} {
		if r := e.raw(t, a, "PUT", "/sums/x", []byte("x"), hdr); r.status != 400 || !strings.Contains(r.body, "InvalidRequest") {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

func TestConditionalWrites(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "cw-b")
	put := func(body string, mod func(*s3.PutObjectInput)) (*s3.PutObjectOutput, error) {
		in := &s3.PutObjectInput{Bucket: aws.String("cw-b"), Key: aws.String("k"), Body: strings.NewReader(body)}
		mod(in)
		return c.PutObject(ctx, in)
	}
	if _, err := put("v1", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }); err != nil {
		t.Fatal(err)
	}
	if _, err := put("v2", func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }); code(err) != "PreconditionFailed" {
		t.Errorf("second If-None-Match: %v", err)
	}
	if _, err := put("v2", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(`"nope"`) }); code(err) != "PreconditionFailed" {
		t.Errorf("wrong If-Match: %v", err)
	}
	etag := aws.ToString(mustPut(t, c, "cw-b", "k", "v3").ETag)
	if _, err := put("v4", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(etag) }); err != nil {
		t.Errorf("right If-Match: %v", err)
	}
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cw-b"), Key: aws.String("missing"), Body: strings.NewReader("x"),
		IfMatch: aws.String(etag)}); code(err) != "NoSuchKey" {
		t.Errorf("If-Match on a missing key: %v", err)
	}
	if got := mustGet(t, c, "cw-b", "k"); got != "v4" {
		t.Errorf("content %q", got)
	}
}

func TestDeleteObjectAndRouting(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	mustBucket(t, c, "del")
	mustPut(t, c, "del", "k", "v")
	for _, p := range []string{"/del/k", "/del/k", "/del/never"} {
		if r := e.raw(t, a, "DELETE", p, nil, nil); r.status != 204 {
			t.Errorf("DELETE %s: %d %s", p, r.status, r.body)
		}
	}
	if n := e.blobCount(t); n != 0 {
		t.Errorf("%d blobs left after delete", n)
	}
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/del?cors", 501, "NotImplemented"},
		{"PUT", "/del/k?tagging", 501, "NotImplemented"},
		{"GET", "/del?lifecycle", 501, "NotImplemented"},
		{"PATCH", "/del/k", 405, "MethodNotAllowed"},
		{"POST", "/del/k", 405, "MethodNotAllowed"},
		{"HEAD", "/del?uploads", 405, ""},
		{"GET", "/del?acl&policy", 400, "InvalidArgument"},
		{"GET", "/del?list-type=2&x-id=ListObjectsV2&unknown=1", 200, ""},
		{"OPTIONS", "/del/k", 400, "BadRequest"},
	} {
		r := e.raw(t, a, tc.method, tc.path, nil, nil)
		if r.status != tc.status || !strings.Contains(r.body, tc.code) {
			t.Errorf("%s %s: %d %s", tc.method, tc.path, r.status, r.body)
		}
	}
}
