package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/store"
)

// storeFallbackWait outlasts the S3 API's in-memory bucket cache after a
// change made directly in the store (only while an endpoint is missing).
const storeFallbackWait = 1100 * time.Millisecond

// setBucketPolicy sets a bucket policy as the bucket owner with the CLI,
// or through the store while PutBucketPolicy is not implemented.
func (e *Env) setBucketPolicy(t *testing.T, owner *accounts.Created, bucket, doc string) {
	t.Helper()
	f := writeFile(t, t.TempDir(), "policy.json", doc)
	r := e.CLI(t, owner, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", "file://"+f)
	if r.Code == 0 {
		return
	}
	if !strings.Contains(r.Stderr, "NotImplemented") {
		t.Fatalf("put-bucket-policy %s: %s", bucket, r.Stderr)
	}
	e.updateBucket(t, bucket, func(b *store.Bucket) { b.Policy = doc })
}

// setBucketPAB sets (nil: deletes) a bucket's Block Public Access with the
// CLI, or through the store while those endpoints are not implemented.
func (e *Env) setBucketPAB(t *testing.T, owner *accounts.Created, bucket string, p *store.PublicAccessBlock) {
	t.Helper()
	var r CLIResult
	if p == nil {
		r = e.CLI(t, owner, "s3api", "delete-public-access-block", "--bucket", bucket)
	} else {
		cfg := "BlockPublicAcls=" + tf(p.BlockPublicAcls) + ",IgnorePublicAcls=" + tf(p.IgnorePublicAcls) +
			",BlockPublicPolicy=" + tf(p.BlockPublicPolicy) + ",RestrictPublicBuckets=" + tf(p.RestrictPublicBuckets)
		r = e.CLI(t, owner, "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration", cfg)
	}
	if r.Code == 0 {
		return
	}
	if !strings.Contains(r.Stderr, "NotImplemented") {
		t.Fatalf("public access block %s: %s", bucket, r.Stderr)
	}
	e.updateBucket(t, bucket, func(b *store.Bucket) { b.PublicAccessBlock = p })
}

func tf(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (e *Env) updateBucket(t *testing.T, bucket string, fn func(*store.Bucket)) {
	t.Helper()
	if _, err := e.Store.UpdateBucket(context.Background(), bucket, func(b *store.Bucket) error { fn(b); return nil }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(storeFallbackWait)
}

// wantCLIError runs the CLI and expects it to fail with code.
func (e *Env) wantCLIError(t *testing.T, k keys, code string, args ...string) {
	t.Helper()
	r := e.runAs(t, k, args...)
	if r.Code == 0 || !strings.Contains(r.Stderr, "("+code+")") {
		t.Errorf("aws %s: exit %d, want %s\n%s%s", strings.Join(args, " "), r.Code, code, r.Stdout, r.Stderr)
	}
}

type aclOut struct {
	Owner  struct{ ID string }
	Grants []struct {
		Grantee    struct{ ID, URI, Type string }
		Permission string
	}
}

func (a aclOut) String() string {
	var b strings.Builder
	b.WriteString("owner " + a.Owner.ID)
	for _, g := range a.Grants {
		who := g.Grantee.ID
		if g.Grantee.URI != "" {
			who = g.Grantee.URI
		}
		b.WriteString("; " + g.Grantee.Type + " " + who + " " + g.Permission)
	}
	return b.String()
}

// TestCrossAccountObjectOwnership is the seed pattern: account A's IAM
// user writes into account B's buckets, which B's bucket policies open to
// it, under each Object Ownership setting.
func TestCrossAccountObjectOwnership(t *testing.T) {
	e := Start(t)
	A, B := e.Account(t), e.Account(t)
	writer := e.newUser(t, A, "writer", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":["s3:PutObject","s3:PutObjectAcl","s3:GetObject"],"Resource":"*"}]}`)
	writerARN := "arn:aws:iam::" + A.AccountID + ":user/writer"
	bk := rootKeys(B)
	body := writeFile(t, t.TempDir(), "body.txt", "hello")
	allow := func(bucket, cond string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + writerARN + `"},
			"Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::` + bucket + `/*"` + cond + `}]}`
	}
	for bucket, ownership := range map[string]string{"b-writer": "ObjectWriter", "b-preferred": "BucketOwnerPreferred", "b-enforced": "", "b-require": ""} {
		args := []string{"s3api", "create-bucket", "--bucket", bucket}
		if ownership != "" {
			args = append(args, "--object-ownership", ownership)
		}
		e.mustAs(t, bk, args...)
		cond := ""
		if bucket == "b-require" {
			cond = `,"Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}`
		}
		e.setBucketPolicy(t, B, bucket, allow(bucket, cond))
	}
	put := func(bucket, key string, extra ...string) []string {
		return append([]string{"s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body}, extra...)
	}
	getArgs := func(bucket, key string) []string {
		return []string{"s3api", "get-object", "--bucket", bucket, "--key", key, t.TempDir() + "/out"}
	}
	objectACL := func(k keys, bucket, key string) aclOut {
		var out aclOut
		mustJSON(t, e.mustAs(t, k, "s3api", "get-object-acl", "--bucket", bucket, "--key", key), &out)
		return out
	}

	t.Run("ObjectWriter", func(t *testing.T) {
		e.mustAs(t, writer, put("b-writer", "plain")...)
		e.mustAs(t, writer, put("b-writer", "shared", "--acl", "bucket-owner-full-control")...)
		// B cannot read what A owns without a grant, and can with one.
		e.wantCLIError(t, bk, "AccessDenied", getArgs("b-writer", "plain")...)
		e.wantCLIError(t, bk, "AccessDenied", "s3api", "get-object-acl", "--bucket", "b-writer", "--key", "plain")
		e.mustAs(t, bk, getArgs("b-writer", "shared")...)
		got := objectACL(bk, "b-writer", "shared")
		want := "owner " + A.CanonicalID + "; CanonicalUser " + A.CanonicalID + " FULL_CONTROL; CanonicalUser " + B.CanonicalID + " FULL_CONTROL"
		if got.String() != want {
			t.Errorf("get-object-acl shared:\n got %s\nwant %s", got, want)
		}
		// A's writer reads its account's object through its own policy.
		e.mustAs(t, writer, getArgs("b-writer", "plain")...)
		// The owner's ACL grant can be added later with PutObjectAcl.
		e.mustAs(t, writer, "s3api", "put-object-acl", "--bucket", "b-writer", "--key", "plain", "--acl", "bucket-owner-read")
		e.mustAs(t, bk, getArgs("b-writer", "plain")...)
	})

	t.Run("BucketOwnerPreferred", func(t *testing.T) {
		e.mustAs(t, writer, put("b-preferred", "given", "--acl", "bucket-owner-full-control")...)
		e.mustAs(t, writer, put("b-preferred", "kept")...)
		if got := objectACL(bk, "b-preferred", "given"); got.String() != "owner "+B.CanonicalID+"; CanonicalUser "+B.CanonicalID+" FULL_CONTROL" {
			t.Errorf("given: %s", got)
		}
		e.mustAs(t, bk, getArgs("b-preferred", "given")...)
		e.wantCLIError(t, bk, "AccessDenied", getArgs("b-preferred", "kept")...)
	})

	t.Run("BucketOwnerEnforced", func(t *testing.T) {
		e.mustAs(t, writer, put("b-enforced", "plain")...)
		e.mustAs(t, writer, put("b-enforced", "bfc", "--acl", "bucket-owner-full-control")...)
		e.mustAs(t, bk, getArgs("b-enforced", "plain")...)
		e.mustAs(t, bk, getArgs("b-enforced", "bfc")...)
		e.wantCLIError(t, writer, "AccessControlListNotSupported", put("b-enforced", "pub", "--acl", "public-read")...)
		if got := objectACL(bk, "b-enforced", "plain"); got.String() != "owner "+B.CanonicalID+"; CanonicalUser "+B.CanonicalID+" FULL_CONTROL" {
			t.Errorf("enforced object ACL: %s", got)
		}
		var oc struct {
			OwnershipControls struct {
				Rules []struct{ ObjectOwnership string }
			}
		}
		mustJSON(t, e.mustAs(t, bk, "s3api", "get-bucket-ownership-controls", "--bucket", "b-enforced"), &oc)
		if r := oc.OwnershipControls.Rules; len(r) != 1 || r[0].ObjectOwnership != "BucketOwnerEnforced" {
			t.Errorf("ownership controls: %+v", oc)
		}
	})

	t.Run("PolicyRequiresBucketOwnerFullControl", func(t *testing.T) {
		e.wantCLIError(t, writer, "AccessDenied", put("b-require", "no-acl")...)
		e.mustAs(t, writer, put("b-require", "with-acl", "--acl", "bucket-owner-full-control")...)
		e.mustAs(t, bk, getArgs("b-require", "with-acl")...)
	})

	t.Run("BucketACLShape", func(t *testing.T) {
		var out aclOut
		mustJSON(t, e.mustAs(t, bk, "s3api", "get-bucket-acl", "--bucket", "b-writer"), &out)
		if out.String() != "owner "+B.CanonicalID+"; CanonicalUser "+B.CanonicalID+" FULL_CONTROL" {
			t.Errorf("get-bucket-acl: %s", out)
		}
		e.wantCLIError(t, writer, "AccessDenied", "s3api", "get-bucket-acl", "--bucket", "b-writer")
	})
}

// TestPublicReadObjectACL: a public-read object ACL is refused under
// Block Public Access, readable anonymously once it is relaxed, and
// unreadable again under IgnorePublicAcls.
func TestPublicReadObjectACL(t *testing.T) {
	e := Start(t)
	B := e.Account(t)
	bk := rootKeys(B)
	body := writeFile(t, t.TempDir(), "body.txt", "public")
	e.mustAs(t, bk, "s3api", "create-bucket", "--bucket", "pub-bucket", "--object-ownership", "ObjectWriter")
	putPub := []string{"s3api", "put-object", "--bucket", "pub-bucket", "--key", "p", "--body", body, "--acl", "public-read"}
	e.wantCLIError(t, bk, "AccessDenied", putPub...)
	e.setBucketPAB(t, B, "pub-bucket", nil)
	e.mustAs(t, bk, putPub...)
	if r := httpGet(t, e.HTTP.URL+"/pub-bucket/p"); r.status != 200 || r.body != "public" {
		t.Errorf("anonymous GET: %d %s", r.status, r.body)
	}
	var out aclOut
	mustJSON(t, e.mustAs(t, bk, "s3api", "get-object-acl", "--bucket", "pub-bucket", "--key", "p"), &out)
	if want := "owner " + B.CanonicalID + "; CanonicalUser " + B.CanonicalID + " FULL_CONTROL; Group http://acs.amazonaws.com/groups/global/AllUsers READ"; out.String() != want {
		t.Errorf("get-object-acl:\n got %s\nwant %s", out, want)
	}
	e.setBucketPAB(t, B, "pub-bucket", &store.PublicAccessBlock{IgnorePublicAcls: true})
	if r := httpGet(t, e.HTTP.URL+"/pub-bucket/p"); r.status != 403 {
		t.Errorf("anonymous GET under IgnorePublicAcls: %d %s", r.status, r.body)
	}
	// A bucket ACL too: public-read lets anyone list.
	e.setBucketPAB(t, B, "pub-bucket", nil)
	e.mustAs(t, bk, "s3api", "put-bucket-acl", "--bucket", "pub-bucket", "--acl", "public-read")
	if r := httpGet(t, e.HTTP.URL+"/pub-bucket?list-type=2"); r.status != 200 || !strings.Contains(r.body, "<Key>p</Key>") {
		t.Errorf("anonymous list: %d %s", r.status, r.body)
	}
	// Enforcing ownership is refused while the bucket ACL is public.
	e.wantCLIError(t, bk, "InvalidBucketAclWithObjectOwnership", "s3api", "put-bucket-ownership-controls", "--bucket", "pub-bucket",
		"--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerEnforced}]")
}

// TestCrossAccountCopy: CopyObject reads the source under its bucket
// owner's rules and writes the target under the target owner's.
func TestCrossAccountCopy(t *testing.T) {
	e := Start(t)
	A, B := e.Account(t), e.Account(t)
	ctx := context.Background()
	ca, cb := e.S3(A), e.S3(B)
	for _, b := range []struct {
		c    *s3.Client
		name string
	}{{ca, "copy-src-a"}, {cb, "copy-dst-b"}} {
		if _, err := b.c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b.name)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ca.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("copy-src-a"), Key: aws.String("k"), Body: strings.NewReader("data")}); err != nil {
		t.Fatal(err)
	}
	copyTo := func(c *s3.Client, dst string) error {
		_, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String(dst), Key: aws.String("copied"), CopySource: aws.String("copy-src-a/k")})
		return err
	}
	// A may read its object but not write into B's bucket; B may write
	// into its bucket but not read A's object.
	if got := errCode(copyTo(ca, "copy-dst-b")); got != "AccessDenied" {
		t.Errorf("A copying into B: %q", got)
	}
	if got := errCode(copyTo(cb, "copy-dst-b")); got != "AccessDenied" {
		t.Errorf("B copying from A: %q", got)
	}
	// A's bucket policy lets B read the source: B's copy succeeds and B owns the copy.
	e.setBucketPolicy(t, A, "copy-src-a", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::`+
		B.AccountID+`:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::copy-src-a/*"}]}`)
	if err := copyTo(cb, "copy-dst-b"); err != nil {
		t.Fatalf("B copying with A's grant: %v", err)
	}
	o, err := e.Store.GetObject(ctx, "copy-dst-b", "copied")
	if err != nil || o.OwnerAccount != B.AccountID {
		t.Errorf("copy owner: %+v %v", o, err)
	}
	// A still may not write into B's bucket.
	if got := errCode(copyTo(ca, "copy-dst-b")); got != "AccessDenied" {
		t.Errorf("A copying into B after the policy: %q", got)
	}
}
