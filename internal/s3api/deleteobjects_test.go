package s3api

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestDeleteObjects(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "dobj")
	for _, k := range []string{"k1", "k2", "k 3"} {
		mustPut(t, c, "dobj", k, "v")
	}
	out, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("dobj"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("k1")}, {Key: aws.String("k 3")}, {Key: aws.String("never")}}}})
	if err != nil || len(out.Deleted) != 3 || len(out.Errors) != 0 {
		t.Fatalf("delete: %+v %v", out, err)
	}
	out, err = e.client(b).DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("dobj"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("k2")}}, Quiet: aws.Bool(true)}})
	if err != nil || len(out.Errors) != 1 || aws.ToString(out.Errors[0].Code) != "AccessDenied" || len(out.Deleted) != 0 {
		t.Fatalf("cross-account delete: %+v %v", out, err)
	}
	if got := mustGet(t, c, "dobj", "k2"); got != "v" {
		t.Fatal("k2 deleted by another account")
	}
	body := []byte(`<Delete><Object><Key>k2</Key></Object></Delete>`)
	if r := e.raw(t, a, "POST", "/dobj?delete", body, nil); r.status != 400 || !strings.Contains(r.body, "Missing required header for this request: Content-MD5 OR x-amz-checksum-*") {
		t.Errorf("no Content-MD5: %d %s", r.status, r.body)
	}
	md := func(b []byte) string { s := md5.Sum(b); return base64.StdEncoding.EncodeToString(s[:]) }
	if r := e.raw(t, a, "POST", "/dobj?delete", body, map[string]string{"Content-MD5": md([]byte("x"))}); r.status != 400 || !strings.Contains(r.body, "BadDigest") {
		t.Errorf("wrong Content-MD5: %d %s", r.status, r.body)
	}
	var many strings.Builder
	many.WriteString("<Delete>")
	for i := range 1001 {
		fmt.Fprintf(&many, "<Object><Key>k%d</Key></Object>", i)
	}
	many.WriteString("</Delete>")
	for name, b := range map[string][]byte{"1001 keys": []byte(many.String()), "not xml": []byte("<Delete"), "no objects": []byte("<Delete></Delete>"), "wrong root": []byte("<Remove/>")} {
		if r := e.raw(t, a, "POST", "/dobj?delete", b, map[string]string{"Content-MD5": md(b)}); r.status != 400 || !strings.Contains(r.body, "MalformedXML") {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	r := e.raw(t, a, "POST", "/dobj?delete", body, map[string]string{"Content-MD5": md(body)})
	if r.status != 200 || !strings.Contains(r.body, "<Deleted><Key>k2</Key></Deleted>") {
		t.Errorf("raw delete: %d %s", r.status, r.body)
	}
	if n := e.blobCount(t); n != 0 {
		t.Errorf("%d blobs left", n)
	}
}
