package s3api

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestCopyObject(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "src-b")
	mustBucket(t, c, "dst-b")
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("src-b"), Key: aws.String("dir/a b+c"), Body: strings.NewReader("copy me"),
		ContentType: aws.String("text/plain"), Metadata: map[string]string{"m": "1"}}); err != nil {
		t.Fatal(err)
	}
	src := "src-b/" + url.PathEscape("dir/a b+c")
	out, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("copy"), CopySource: aws.String(src)})
	if err != nil {
		t.Fatal(err)
	}
	if out.CopyObjectResult == nil || aws.ToString(out.CopyObjectResult.ETag) != `"`+"4a7faeb5a57b6f6a16c3d9b6bd6fdbd2"+`"` && aws.ToString(out.CopyObjectResult.ETag) == "" {
		t.Errorf("copy result: %+v", out.CopyObjectResult)
	}
	h, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("copy")})
	if err != nil || aws.ToString(h.ContentType) != "text/plain" || h.Metadata["m"] != "1" {
		t.Errorf("COPY directive: %+v %v", h, err)
	}
	if got := mustGet(t, c, "dst-b", "copy"); got != "copy me" {
		t.Errorf("copied body %q", got)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("replaced"), CopySource: aws.String(src),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("text/csv"), Metadata: map[string]string{"n": "2"}}); err != nil {
		t.Fatal(err)
	}
	h, _ = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("replaced")})
	if aws.ToString(h.ContentType) != "text/csv" || h.Metadata["n"] != "2" || h.Metadata["m"] != "" {
		t.Errorf("REPLACE directive: %+v", h)
	}
	// Onto itself: refused unless something changes.
	self := &s3.CopyObjectInput{Bucket: aws.String("src-b"), Key: aws.String("dir/a b+c"), CopySource: aws.String(src)}
	if _, err := c.CopyObject(ctx, self); code(err) != "InvalidRequest" || !strings.Contains(err.Error(), "copy an object to itself") {
		t.Errorf("self copy: %v", err)
	}
	self.MetadataDirective = types.MetadataDirectiveReplace
	if _, err := c.CopyObject(ctx, self); err != nil {
		t.Errorf("self copy with REPLACE: %v", err)
	}
	for name, in := range map[string]*s3.CopyObjectInput{
		"if-match":      {CopySourceIfMatch: aws.String(`"nope"`)},
		"if-none-match": {CopySourceIfNoneMatch: aws.String("*")},
	} {
		in.Bucket, in.Key, in.CopySource = aws.String("dst-b"), aws.String("cond"), aws.String(src)
		if _, err := c.CopyObject(ctx, in); code(err) != "PreconditionFailed" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("x"), CopySource: aws.String("src-b/missing")}); code(err) != "NoSuchKey" {
		t.Errorf("missing source: %v", err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("x"), CopySource: aws.String("no-such-bucket-x/k")}); code(err) != "NoSuchBucket" {
		t.Errorf("missing source bucket: %v", err)
	}
	// Another account: its own target, A's source → denied on the source.
	cb := e.client(b)
	mustBucket(t, cb, "b-dst")
	if _, err := cb.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("b-dst"), Key: aws.String("stolen"), CopySource: aws.String(src)}); code(err) != "AccessDenied" {
		t.Errorf("cross-account source: %v", err)
	}
	if _, err := cb.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("dst-b"), Key: aws.String("planted"), CopySource: aws.String("b-dst/none")}); code(err) != "AccessDenied" {
		t.Errorf("cross-account target: %v", err)
	}
	for _, v := range []string{"nokey", "src-b/k?versionId=123", "src-b/k?foo=1"} {
		if r := e.raw(t, a, "PUT", "/dst-b/x", nil, map[string]string{"x-amz-copy-source": v}); r.status != 400 || !strings.Contains(r.body, "InvalidArgument") {
			t.Errorf("copy source %q: %d %s", v, r.status, r.body)
		}
	}
	if r := e.raw(t, a, "PUT", "/dst-b/x", nil, map[string]string{"x-amz-copy-source": src, "x-amz-metadata-directive": "MOVE"}); r.status != 400 {
		t.Errorf("bad directive: %d", r.status)
	}
}
