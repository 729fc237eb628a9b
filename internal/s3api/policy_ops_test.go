package s3api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/store"
)

// policyEnv is an env whose API uses the policy-engine authorizer (only
// account roots have identity-side permissions: no IAM sources).
func policyEnv(t *testing.T) *env {
	e := newEnv(t)
	e.api = New(Config{Store: e.st, Blobs: e.blobs, Domains: []string{"localhost"}, Authz: authz.NewPolicies(nil, nil)})
	return e
}

func allowAccountPolicy(bucket, account, action string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"%s","Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}`,
		account, action, bucket, bucket)
}

func TestBucketPolicyLifecycle(t *testing.T) {
	e := policyEnv(t)
	owner, other := e.account(t), e.account(t)
	c := e.client(owner)
	ctx := context.Background()
	mustBucket(t, c, "pol-bucket")

	_, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol-bucket")})
	if code(err) != "NoSuchBucketPolicy" {
		t.Fatalf("get before put: %v", err)
	}
	_, err = c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol-bucket")})
	if code(err) != "NoSuchBucketPolicy" {
		t.Fatalf("status before put: %v", err)
	}
	doc := allowAccountPolicy("pol-bucket", other.AccountID, "s3:GetObject")
	doc = strings.Replace(doc, `"Version"`, "\n  \"Version\"", 1) // stored as sent
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pol-bucket"), Policy: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("pol-bucket")})
	if err != nil || aws.ToString(got.Policy) != doc {
		t.Fatalf("get = %q, %v; want %q", aws.ToString(got.Policy), err, doc)
	}
	st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pol-bucket")})
	if err != nil || aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatalf("status = %+v, %v; want not public", st, err)
	}
	// The other account can now read objects.
	mustPut(t, c, "pol-bucket", "k", "hello")
	if got := mustGet(t, e.client(other), "pol-bucket", "k"); got != "hello" {
		t.Fatalf("cross-account get = %q", got)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("pol-bucket")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client(other).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pol-bucket"), Key: aws.String("k")})
	if code(err) != "AccessDenied" {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("pol-bucket")}); err != nil {
		t.Fatalf("delete of none: %v", err)
	}
}

func TestPutBucketPolicyErrors(t *testing.T) {
	e := policyEnv(t)
	owner := e.account(t)
	mustBucket(t, e.client(owner), "pol-err")
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + owner.AccountID + `:root"},"Action":[` +
		strings.Repeat(`"s3:GetObject",`, 1500) + `"s3:GetObject"],"Resource":"arn:aws:s3:::pol-err/*"}]}`
	for _, tc := range []struct {
		name, body, code, msg string
	}{
		{"not json", `nope`, "MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'"},
		{"other bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::elsewhere/*"}]}`, "MalformedPolicy", "Policy has invalid resource"},
		{"no such account", allowAccountPolicy("pol-err", "999999999999", "s3:GetObject"), "MalformedPolicy", "Invalid principal in policy"},
		{"no such user", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + owner.AccountID + `:user/ghost"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::pol-err/*"}]}`, "MalformedPolicy", "Invalid principal in policy"},
		{"too large", big, "MalformedPolicy", "Policy exceeds the maximum allowed document size."},
		{"public under BlockPublicPolicy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pol-err/*"}]}`, "AccessDenied", "Access Denied"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.raw(t, owner, http.MethodPut, "/pol-err?policy", []byte(tc.body), nil)
			if r.status/100 != 4 || !strings.Contains(r.body, "<Code>"+tc.code+"</Code>") || !strings.Contains(r.body, "<Message>"+tc.msg+"</Message>") {
				t.Fatalf("got %d %s; want %s %q", r.status, r.body, tc.code, tc.msg)
			}
		})
	}
	if r := e.raw(t, owner, http.MethodGet, "/pol-err?policy", nil, nil); r.status != 404 {
		t.Fatalf("a refused policy was stored: %d %s", r.status, r.body)
	}
}

func TestBucketPolicyLockout(t *testing.T) {
	e := policyEnv(t)
	owner, other := e.account(t), e.account(t)
	c := e.client(owner)
	ctx := context.Background()
	mustBucket(t, c, "lockout")
	// Deny everyone everything, and allow the other account everything.
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyOwner","Effect":"Deny","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"s3:*","Resource":["arn:aws:s3:::lockout","arn:aws:s3:::lockout/*"]},
		{"Sid":"AllowOther","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"s3:*","Resource":["arn:aws:s3:::lockout","arn:aws:s3:::lockout/*"]}]}`,
		owner.AccountID, other.AccountID)
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("lockout"), Policy: aws.String(doc)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lockout")}); code(err) != "AccessDenied" {
		t.Fatalf("owner list under deny: %v", err)
	}
	if _, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("lockout")}); err != nil {
		t.Fatalf("owner root get policy: %v", err)
	}
	oc := e.client(other)
	if _, err := oc.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lockout")}); err != nil {
		t.Fatalf("other account list (allowed by policy): %v", err)
	}
	for name, call := range map[string]func() error{
		"put": func() error {
			_, err := oc.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("lockout"), Policy: aws.String(doc)})
			return err
		},
		"get": func() error {
			_, err := oc.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("lockout")})
			return err
		},
		"delete": func() error {
			_, err := oc.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("lockout")})
			return err
		},
	} {
		if err := call(); code(err) != "MethodNotAllowed" {
			t.Errorf("other account %s policy: %v, want MethodNotAllowed", name, err)
		}
	}
	third := e.account(t)
	if _, err := e.client(third).GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("lockout")}); code(err) != "AccessDenied" {
		t.Errorf("unrelated account get policy: %v, want AccessDenied", err)
	}
	if _, err := c.DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("lockout")}); err != nil {
		t.Fatalf("owner root delete policy: %v", err)
	}
	if _, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lockout")}); err != nil {
		t.Fatalf("owner after delete: %v", err)
	}
}

func TestPublicAccessBlockOps(t *testing.T) {
	e := policyEnv(t)
	owner := e.account(t)
	c := e.client(owner)
	ctx := context.Background()
	mustBucket(t, c, "pab-ops")
	got, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab-ops")})
	if err != nil {
		t.Fatal(err)
	}
	if cfg := got.PublicAccessBlockConfiguration; !aws.ToBool(cfg.BlockPublicAcls) || !aws.ToBool(cfg.IgnorePublicAcls) ||
		!aws.ToBool(cfg.BlockPublicPolicy) || !aws.ToBool(cfg.RestrictPublicBuckets) {
		t.Fatalf("new bucket PAB = %+v, want all true", cfg)
	}
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("pab-ops"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(false), IgnorePublicAcls: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	got, err = c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab-ops")})
	if err != nil {
		t.Fatal(err)
	}
	if cfg := got.PublicAccessBlockConfiguration; aws.ToBool(cfg.BlockPublicAcls) || !aws.ToBool(cfg.IgnorePublicAcls) ||
		aws.ToBool(cfg.BlockPublicPolicy) || aws.ToBool(cfg.RestrictPublicBuckets) {
		t.Fatalf("after put = %+v", cfg)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pab-ops/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pab-ops"), Policy: aws.String(public)}); err != nil {
		t.Fatalf("public policy without BlockPublicPolicy: %v", err)
	}
	st, err := c.GetBucketPolicyStatus(ctx, &s3.GetBucketPolicyStatusInput{Bucket: aws.String("pab-ops")})
	if err != nil || !aws.ToBool(st.PolicyStatus.IsPublic) {
		t.Fatalf("status = %+v, %v; want public", st, err)
	}
	// Anonymous reads work while RestrictPublicBuckets is off.
	mustPut(t, c, "pab-ops", "k", "v")
	if r := e.raw(t, nil, http.MethodGet, "/pab-ops/k", nil, nil); r.status != 200 || r.body != "v" {
		t.Fatalf("anonymous get = %d %s", r.status, r.body)
	}
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("pab-ops")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab-ops")}); code(err) != "NoSuchPublicAccessBlockConfiguration" {
		t.Fatalf("after delete: %v", err)
	}
	for _, tc := range []struct{ body, code string }{
		{``, "MissingRequestBodyError"},
		{`<PublicAccessBlockConfiguration><BlockPublicAcls>maybe</BlockPublicAcls></PublicAccessBlockConfiguration>`, "MalformedXML"},
		{`<PublicAccessBlockConfiguration></PublicAccessBlockConfiguration>`, "InvalidRequest"},
	} {
		if r := e.raw(t, owner, http.MethodPut, "/pab-ops?publicAccessBlock", []byte(tc.body), nil); r.status != 400 || !strings.Contains(r.body, tc.code) {
			t.Errorf("put %q = %d %s; want %s", tc.body, r.status, r.body, tc.code)
		}
	}
	other := e.account(t)
	if _, err := e.client(other).GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab-ops")}); code(err) != "AccessDenied" {
		t.Fatalf("other account: %v", err)
	}
}

func TestAccountPublicAccessBlockControl(t *testing.T) {
	e := policyEnv(t)
	owner, other := e.account(t), e.account(t)
	hdr := func(acct string) map[string]string {
		return map[string]string{"x-amz-account-id": acct, "Host": acct + ".localhost"}
	}
	path := "/v20180820/configuration/publicAccessBlock"
	if r := e.raw(t, owner, http.MethodGet, path, nil, hdr(owner.AccountID)); r.status != 404 || !strings.Contains(r.body, "NoSuchPublicAccessBlockConfiguration") {
		t.Fatalf("get none = %d %s", r.status, r.body)
	}
	body := []byte(`<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`)
	if r := e.raw(t, other, http.MethodPut, path, body, hdr(owner.AccountID)); r.status != 403 || !strings.Contains(r.body, "<Message>Access Denied</Message>") {
		t.Fatalf("other account put = %d %s", r.status, r.body)
	}
	if r := e.raw(t, owner, http.MethodPut, path, body, hdr(owner.AccountID)); r.status != 200 {
		t.Fatalf("put = %d %s", r.status, r.body)
	}
	r := e.raw(t, owner, http.MethodGet, path, nil, hdr(owner.AccountID))
	if r.status != 200 || !strings.Contains(r.body, "<BlockPublicPolicy>true</BlockPublicPolicy>") || !strings.Contains(r.body, "<BlockPublicAcls>false</BlockPublicAcls>") {
		t.Fatalf("get = %d %s", r.status, r.body)
	}
	// The account setting applies to its buckets even when the bucket's is off.
	c := e.client(owner)
	ctx := context.Background()
	mustBucket(t, c, "acct-pab")
	if _, err := c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("acct-pab")}); err != nil {
		t.Fatal(err)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::acct-pab/*"}]}`
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("acct-pab"), Policy: aws.String(public)}); code(err) != "AccessDenied" {
		t.Fatalf("public policy under account BlockPublicPolicy: %v", err)
	}
	if r := e.raw(t, owner, http.MethodDelete, path, nil, hdr(owner.AccountID)); r.status != 200 {
		t.Fatalf("delete = %d %s", r.status, r.body)
	}
	if _, err := c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("acct-pab"), Policy: aws.String(public)}); err != nil {
		t.Fatalf("public policy after account PAB deleted: %v", err)
	}
}

// bucketGetCounter counts GetBucket calls reaching the store.
type bucketGetCounter struct {
	store.Store
	gets atomic.Int64
}

func (c *bucketGetCounter) GetBucket(ctx context.Context, name string) (*store.Bucket, error) {
	c.gets.Add(1)
	return c.Store.GetBucket(ctx, name)
}

func TestBucketCache(t *testing.T) {
	e := newEnv(t)
	now := time.Unix(1_700_000_000, 0)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	cs := &bucketGetCounter{Store: e.st}
	e.api = New(Config{Store: cs, Blobs: e.blobs, Domains: []string{"localhost"}, Now: clock})
	owner := e.account(t)
	c := e.client(owner)
	mustBucket(t, c, "cached")
	mustPut(t, c, "cached", "k", "v")
	before := cs.gets.Load()
	for range 20 {
		mustGet(t, c, "cached", "k")
	}
	if n := cs.gets.Load() - before; n > 1 {
		t.Fatalf("20 GetObjects made %d store GetBucket calls, want at most 1", n)
	}
	// A write through this process is seen at once.
	ctx := context.Background()
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("cached"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(false), IgnorePublicAcls: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("cached")})
	if err != nil || aws.ToBool(got.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Fatalf("after put: %+v, %v", got, err)
	}
	// A write by another process (straight to the store) is seen once the entry expires.
	if _, err := e.st.UpdateBucket(ctx, "cached", func(b *store.Bucket) error { b.PublicAccessBlock = nil; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("cached")}); err != nil {
		t.Fatalf("within the TTL the cached value is served: %v", err)
	}
	mu.Lock()
	now = now.Add(cacheTTL + time.Millisecond)
	mu.Unlock()
	if _, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("cached")}); code(err) != "NoSuchPublicAccessBlockConfiguration" {
		t.Fatalf("after the TTL: %v", err)
	}
	// Deleting the bucket forgets it.
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("cached"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("cached")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("cached")}); err == nil {
		t.Fatal("deleted bucket still served from the cache")
	}
}
