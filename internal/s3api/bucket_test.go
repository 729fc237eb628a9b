package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestValidBucketName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"abc", true}, {"my.bucket-1", true}, {strings.Repeat("a", 63), true},
		{"ab", false}, {strings.Repeat("a", 64), false}, {"Abc", false}, {"a_b", false},
		{"-abc", false}, {"abc-", false}, {"a..b", false}, {"192.168.5.4", false},
		{"xn--abc", false}, {"abc-s3alias", false}, {"abc--ol-s3", false}, {"sthree-abc", false},
		{"abc.mrap", false}, {"abc--x-s3", false}, {"a b", false},
	} {
		if got := validBucketName(tc.name); got != tc.ok {
			t.Errorf("validBucketName(%q) = %v, want %v", tc.name, got, tc.ok)
		}
	}
}

func TestBucketFromHost(t *testing.T) {
	doms := []string{"localhost"}
	for _, tc := range []struct {
		host, bucket string
		ok           bool
	}{
		{"localhost:9000", "", false},
		{"127.0.0.1:9000", "", false},
		{"[::1]:9000", "", false},
		{"bucket.localhost:9000", "bucket", true},
		{"BUCKET.LOCALHOST", "bucket", true},
		{"my.dotted.bucket.localhost", "my.dotted.bucket", true},
		{"bucket.s3.localhost", "bucket", true},
		{"bucket.s3.us-west-2.localhost:9000", "bucket", true},
		{"bucket.s3-us-west-2.localhost", "bucket", true},
		{"bucket.s3.dualstack.eu-west-1.localhost", "bucket", true},
		{"s3.localhost", "", false},
		{"s3.us-west-2.localhost:9000", "", false},
		{"example.com", "", false},
		{"notlocalhost", "", false},
	} {
		b, ok := BucketFromHost(tc.host, doms)
		if b != tc.bucket || ok != tc.ok {
			t.Errorf("BucketFromHost(%q) = %q, %v; want %q, %v", tc.host, b, ok, tc.bucket, tc.ok)
		}
	}
	if b, ok := BucketFromHost("bkt.s3.localhost", []string{"localhost", "s3.localhost"}); b != "bkt" || !ok {
		t.Errorf("longest domain: %q %v", b, ok)
	}
}

func TestCreateBucketRules(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	ctx := context.Background()
	us, eu := e.client(a), e.client(a, "eu-west-1")
	create := func(c *s3.Client, name, loc string) error {
		in := &s3.CreateBucketInput{Bucket: aws.String(name)}
		if loc != "" {
			in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(loc)}
		}
		_, err := c.CreateBucket(ctx, in)
		return err
	}
	for _, tc := range []struct {
		name   string
		c      *s3.Client
		bucket string
		loc    string
		want   string
	}{
		{"us-east-1 default", us, "us-bucket", "", ""},
		{"own again in us-east-1", us, "us-bucket", "", ""},
		{"taken by another account", e.client(b), "us-bucket", "", "BucketAlreadyExists"},
		{"regional", eu, "eu-bucket", "eu-west-1", ""},
		{"own again elsewhere", eu, "eu-bucket", "eu-west-1", "BucketAlreadyOwnedByYou"},
		{"regional endpoint without constraint", eu, "eu-none", "", "IllegalLocationConstraintException"},
		{"us-east-1 named", us, "named-us", "us-east-1", "InvalidLocationConstraint"},
		{"unknown region", us, "nowhere", "mars-north-1", "InvalidLocationConstraint"},
		{"other region on a regional endpoint", eu, "elsewhere", "us-west-2", "IllegalLocationConstraintException"},
		{"global endpoint to another region", us, "from-global", "ap-south-1", ""},
		{"EU alias", eu, "eu-alias", "EU", ""},
		{"bad name", us, "Bad_Name", "", "InvalidBucketName"},
	} {
		if got := code(create(tc.c, tc.bucket, tc.loc)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	for name, want := range map[string]string{"us-bucket": "", "eu-bucket": "eu-west-1", "eu-alias": "eu-west-1", "from-global": "ap-south-1"} {
		out, err := us.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
		if err != nil || string(out.LocationConstraint) != want {
			t.Errorf("location of %s: %q, %v; want %q", name, out.LocationConstraint, err, want)
		}
	}
	bk, err := e.st.GetBucket(ctx, "us-bucket")
	if err != nil || bk.Ownership != "BucketOwnerEnforced" || bk.PublicAccessBlock == nil || !bk.PublicAccessBlock.BlockPublicAcls ||
		!bk.PublicAccessBlock.RestrictPublicBuckets || bk.AccountID != a.AccountID {
		t.Errorf("new bucket defaults: %+v %v", bk, err)
	}
	// ACLs are refused under BucketOwnerEnforced.
	if _, err := us.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("acl-bucket"), ACL: types.BucketCannedACLPublicRead}); code(err) != "InvalidBucketAclWithObjectOwnership" {
		t.Errorf("public-read bucket: %v", err)
	}
	// Anonymous callers cannot create buckets.
	if r := e.raw(t, nil, "PUT", "/anon-bucket", nil, nil); r.status != 403 || !strings.Contains(r.body, "AccessDenied") {
		t.Errorf("anonymous create: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "PUT", "/xml-bucket", []byte("<CreateBucketConfiguration><Loc"), nil); !strings.Contains(r.body, "MalformedXML") {
		t.Errorf("malformed configuration: %d %s", r.status, r.body)
	}
}

func TestRegionMismatch(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	eu := e.client(a, "eu-west-1")
	if _, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-b"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}}); err != nil {
		t.Fatal(err)
	}
	mustPut(t, eu, "eu-b", "k", "v")
	r := e.raw(t, a, "GET", "/eu-b/k", nil, nil)
	if r.status != 400 || !strings.Contains(r.body, "<Code>AuthorizationHeaderMalformed</Code>") ||
		!strings.Contains(r.body, "the region 'us-east-1' is wrong; expecting 'eu-west-1'") ||
		!strings.Contains(r.body, "<Region>eu-west-1</Region>") || r.header.Get("x-amz-bucket-region") != "eu-west-1" {
		t.Errorf("wrong region: %d %v %s", r.status, r.header, r.body)
	}
	pre, err := s3.NewPresignClient(e.client(a)).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("eu-b"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(pre.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 || res.Header.Get("x-amz-bucket-region") != "eu-west-1" {
		t.Errorf("presigned wrong region: %d", res.StatusCode)
	}
	pr := e.raw(t, nil, "GET", strings.TrimPrefix(pre.URL, e.http.URL), nil, nil)
	if !strings.Contains(pr.body, "<Code>AuthorizationQueryParametersError</Code>") ||
		!strings.Contains(pr.body, "Error parsing the X-Amz-Credential parameter; the region 'us-east-1' is wrong; expecting 'eu-west-1'") {
		t.Errorf("presigned wrong region body: %s", pr.body)
	}
	// GetBucketLocation answers any region; HeadBucket names the region.
	if out, err := e.client(a).GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("eu-b")}); err != nil || out.LocationConstraint != "eu-west-1" {
		t.Errorf("location from us-east-1: %v %v", out, err)
	}
	if out, err := eu.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("eu-b")}); err != nil || aws.ToString(out.BucketRegion) != "eu-west-1" {
		t.Errorf("head bucket: %v %v", out, err)
	}
	if r := e.raw(t, a, "HEAD", "/eu-b", nil, nil); r.status != 400 || r.header.Get("x-amz-bucket-region") != "eu-west-1" || r.body != "" {
		t.Errorf("head bucket wrong region: %d %v %q", r.status, r.header, r.body)
	}
}

func TestCrossAccountAndAnonymous(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	ctx := context.Background()
	ca, cb := e.client(a), e.client(b)
	mustBucket(t, ca, "a-bucket")
	mustPut(t, ca, "a-bucket", "k", "secret")
	bk := aws.String("a-bucket")
	checks := map[string]error{}
	_, checks["get"] = cb.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: aws.String("k")})
	_, checks["get missing"] = cb.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: aws.String("missing")})
	_, checks["get if-match"] = cb.GetObject(ctx, &s3.GetObjectInput{Bucket: bk, Key: aws.String("k"), IfMatch: aws.String(`"nope"`)})
	_, checks["put"] = cb.PutObject(ctx, &s3.PutObjectInput{Bucket: bk, Key: aws.String("x"), Body: strings.NewReader("x")})
	_, checks["list"] = cb.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: bk})
	_, checks["delete"] = cb.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: bk, Key: aws.String("k")})
	_, checks["delete bucket"] = cb.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: bk})
	_, checks["location"] = cb.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: bk})
	_, checks["create upload"] = cb.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: bk, Key: aws.String("m")})
	_, checks["list uploads"] = cb.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: bk})
	for name, err := range checks {
		if code(err) != "AccessDenied" {
			t.Errorf("account B %s: %v", name, err)
		}
	}
	if _, err := cb.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: bk}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("account B head bucket: %v", err)
	}
	// Authorization before preconditions: never a 304 or 412 to a stranger.
	if _, err := cb.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bk, Key: aws.String("k"), IfNoneMatch: aws.String("*")}); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("account B conditional head: %v", err)
	}
	out, err := cb.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(out.Buckets) != 0 {
		t.Errorf("account B sees buckets: %+v %v", out, err)
	}
	for _, p := range []string{"/a-bucket/k", "/a-bucket", "/"} {
		if r := e.raw(t, nil, "GET", p, nil, nil); r.status != 403 || !strings.Contains(r.body, "AccessDenied") {
			t.Errorf("anonymous GET %s: %d %s", p, r.status, r.body)
		}
	}
	if r := e.raw(t, nil, "GET", "/a-bucket/k?response-content-type=text/html", nil, nil); r.status != 400 ||
		!strings.Contains(r.body, "Request specific response headers cannot be used for anonymous GET requests.") {
		t.Errorf("anonymous override: %d %s", r.status, r.body)
	}
	if got := mustGet(t, ca, "a-bucket", "k"); got != "secret" {
		t.Errorf("object changed: %q", got)
	}
}

func TestListBuckets(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	names := []string{"lb-a", "lb-b", "lb-c", "other-d", "lb-e"}
	for _, n := range names {
		mustBucket(t, c, n)
	}
	eu := e.client(a, "eu-west-1")
	if _, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lb-eu"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "eu-west-1"}}); err != nil {
		t.Fatal(err)
	}
	var seen []string
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{MaxBuckets: aws.Int32(2), Prefix: aws.String("lb-")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Buckets) > 2 {
			t.Fatalf("page of %d", len(page.Buckets))
		}
		for _, b := range page.Buckets {
			seen = append(seen, *b.Name)
			if b.CreationDate == nil || b.BucketRegion == nil {
				t.Errorf("bucket %s lacks date or region", *b.Name)
			}
		}
	}
	if strings.Join(seen, ",") != "lb-a,lb-b,lb-c,lb-e,lb-eu" {
		t.Errorf("paged listing: %v", seen)
	}
	out, err := eu.ListBuckets(ctx, &s3.ListBucketsInput{BucketRegion: aws.String("eu-west-1")})
	if err != nil || len(out.Buckets) != 1 || *out.Buckets[0].Name != "lb-eu" || aws.ToString(out.Owner.ID) != a.CanonicalID {
		t.Errorf("bucket-region filter: %+v %v", out, err)
	}
	for q, want := range map[string]string{
		"max-buckets=abc":           "Provided max-buckets not an integer or within integer range",
		"max-buckets=0":             "Argument max-buckets must be an integer between 1 and 10000",
		"max-buckets=10001":         "Argument max-buckets must be an integer between 1 and 10000",
		"bucket-region=zz":          "Argument value zz is not a valid AWS Region",
		"bucket-region=eu-west-1":   "Requests with bucket-region specified must be made to the corresponding regional endpoint",
		"continuation-token=%21%21": "The continuation token provided is incorrect",
	} {
		if r := e.raw(t, a, "GET", "/?"+q, nil, nil); r.status != 400 || !strings.Contains(r.body, want) {
			t.Errorf("ListBuckets ?%s: %d %s", q, r.status, r.body)
		}
	}
}

func TestHeadAndDeleteBucket(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	ctx := context.Background()
	c := e.client(a)
	mustBucket(t, c, "hd-b")
	mustPut(t, c, "hd-b", "k", "v")
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("hd-b")}); code(err) != "BucketNotEmpty" {
		t.Errorf("delete non-empty: %v", err)
	}
	if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("hd-b"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}
	if r := e.raw(t, a, "DELETE", "/hd-b", nil, nil); r.status != 204 {
		t.Errorf("delete bucket: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "HEAD", "/hd-b", nil, nil); r.status != 404 || r.body != "" {
		t.Errorf("head deleted bucket: %d %q", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/hd-b?list-type=2", nil, nil); r.status != 404 || !strings.Contains(r.body, "<BucketName>hd-b</BucketName>") {
		t.Errorf("list deleted bucket: %d %s", r.status, r.body)
	}
}
