package s3acl_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/crossbucket/crossbucket/internal/s3acl"
)

// recorder is an S3 stand-in: it records each request and answers with
// the body set for the next call.
type recorder struct {
	mu      sync.Mutex
	header  http.Header
	body    []byte
	respond string
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.header, rc.body = r.Header.Clone(), b
	w.Header().Set("Content-Type", "application/xml")
	_, _ = io.WriteString(w, rc.respond)
}

func (rc *recorder) set(resp string) { rc.mu.Lock(); rc.respond = resp; rc.mu.Unlock() }

func (rc *recorder) last() (http.Header, []byte) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.header, rc.body
}

func newClient(t *testing.T) (*s3.Client, *recorder) {
	t.Helper()
	t.Setenv("AWS_CA_BUNDLE", "")
	rc := &recorder{}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	c := s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAEXAMPLE", "secret", ""),
	})
	return c, rc
}

var (
	idA = strings.Repeat("a", 64)
	idB = strings.Repeat("b", 64)
)

func resolver() s3acl.Resolver {
	return s3acl.Resolver{Email: func(e string) (string, bool) { return idB, e == "bob@example.com" }}
}

func TestSDKPutBucketACLBody(t *testing.T) {
	c, rc := newClient(t)
	_, err := c.PutBucketAcl(context.Background(), &s3.PutBucketAclInput{
		Bucket: aws.String("bkt"),
		AccessControlPolicy: &types.AccessControlPolicy{
			Owner: &types.Owner{ID: aws.String(idA), DisplayName: aws.String("alice")},
			Grants: []types.Grant{
				{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(idA)}, Permission: types.PermissionFullControl},
				{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(s3acl.AllUsers)}, Permission: types.PermissionRead},
				{Grantee: &types.Grantee{Type: types.TypeAmazonCustomerByEmail, EmailAddress: aws.String("bob@example.com")}, Permission: types.PermissionWriteAcp},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, body := rc.last()
	acl, err := s3acl.ParsePolicy(strings.NewReader(string(body)), s3acl.Owner{ID: idA}, resolver())
	if err != nil {
		t.Fatalf("%v\nbody: %s", err, body)
	}
	want := s3acl.ACL{Owner: s3acl.Owner{ID: idA}, Grants: []s3acl.Grant{
		{Grantee: s3acl.User(idA), Permission: s3acl.FullControl},
		{Grantee: s3acl.GroupGrantee(s3acl.AllUsers), Permission: s3acl.Read},
		{Grantee: s3acl.User(idB), Permission: s3acl.WriteACP},
	}}
	if !acl.Equal(want) {
		t.Fatalf("got %+v\nbody: %s", acl, body)
	}
}

func TestSDKGrantHeaders(t *testing.T) {
	c, rc := newClient(t)
	_, err := c.PutObjectAcl(context.Background(), &s3.PutObjectAclInput{
		Bucket:           aws.String("bkt"),
		Key:              aws.String("k"),
		GrantRead:        aws.String(`id="` + idB + `", uri="` + s3acl.AuthenticatedUsers + `"`),
		GrantFullControl: aws.String(`emailAddress="bob@example.com"`),
	})
	if err != nil {
		t.Fatal(err)
	}
	h, body := rc.last()
	acl, canned, err := s3acl.ForPut(h, strings.NewReader(string(body)), s3acl.Owner{ID: idA}, s3acl.Owner{ID: idA}, true, resolver())
	if err != nil {
		t.Fatal(err)
	}
	want := s3acl.ACL{Owner: s3acl.Owner{ID: idA}, Grants: []s3acl.Grant{
		{Grantee: s3acl.User(idB), Permission: s3acl.Read},
		{Grantee: s3acl.GroupGrantee(s3acl.AuthenticatedUsers), Permission: s3acl.Read},
		{Grantee: s3acl.User(idB), Permission: s3acl.FullControl},
	}}
	if canned != "" || !acl.Equal(want) {
		t.Fatalf("got %q %+v", canned, acl)
	}

	if _, err := c.PutObjectAcl(context.Background(), &s3.PutObjectAclInput{
		Bucket: aws.String("bkt"), Key: aws.String("k"), ACL: types.ObjectCannedACLBucketOwnerFullControl,
	}); err != nil {
		t.Fatal(err)
	}
	h, body = rc.last()
	_, canned, err = s3acl.ForPut(h, strings.NewReader(string(body)), s3acl.Owner{ID: idA}, s3acl.Owner{ID: idB}, true, resolver())
	if err != nil || canned != s3acl.CannedBucketOwnerFullControl {
		t.Fatalf("canned %q, %v", canned, err)
	}
}

func TestSDKGetBucketACL(t *testing.T) {
	c, rc := newClient(t)
	a, err := s3acl.Canned(s3acl.CannedLogDeliveryWrite, s3acl.Owner{ID: idA, DisplayName: "alice"}, s3acl.Owner{ID: idA}, false)
	if err != nil {
		t.Fatal(err)
	}
	a.Grants = append(a.Grants, s3acl.Grant{Grantee: s3acl.User(idB), Permission: s3acl.Read})
	rc.set(s3acl.PolicyXML(a))
	out, err := c.GetBucketAcl(context.Background(), &s3.GetBucketAclInput{Bucket: aws.String("bkt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Owner.ID) != idA || aws.ToString(out.Owner.DisplayName) != "alice" || len(out.Grants) != 4 {
		t.Fatalf("owner %+v, %d grants", out.Owner, len(out.Grants))
	}
	wants := []struct {
		typ  types.Type
		id   string
		uri  string
		perm types.Permission
	}{
		{types.TypeCanonicalUser, idA, "", types.PermissionFullControl},
		{types.TypeGroup, "", s3acl.LogDelivery, types.PermissionReadAcp},
		{types.TypeGroup, "", s3acl.LogDelivery, types.PermissionWrite},
		{types.TypeCanonicalUser, idB, "", types.PermissionRead},
	}
	for i, w := range wants {
		g := out.Grants[i]
		if g.Grantee.Type != w.typ || aws.ToString(g.Grantee.ID) != w.id || aws.ToString(g.Grantee.URI) != w.uri || g.Permission != w.perm {
			t.Errorf("grant %d = %+v %s", i, *g.Grantee, g.Permission)
		}
	}
}

func TestSDKOwnershipAndPublicAccessBlock(t *testing.T) {
	c, rc := newClient(t)
	ctx := context.Background()

	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{
		Bucket:            aws.String("bkt"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerPreferred}}},
	}); err != nil {
		t.Fatal(err)
	}
	_, body := rc.last()
	if o, err := s3acl.ParseOwnershipControls(strings.NewReader(string(body))); err != nil || o != s3acl.BucketOwnerPreferred {
		t.Fatalf("%q, %v\nbody: %s", o, err, body)
	}

	rc.set(s3acl.OwnershipControlsXML(s3acl.BucketOwnerEnforced))
	oc, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("bkt")})
	if err != nil || len(oc.OwnershipControls.Rules) != 1 || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("%+v, %v", oc, err)
	}

	rc.set("")
	if _, err := c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{
		Bucket: aws.String("bkt"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(false),
		},
	}); err != nil {
		t.Fatal(err)
	}
	_, body = rc.last()
	p, err := s3acl.ParsePublicAccessBlock(strings.NewReader(string(body)))
	if err != nil || p != (s3acl.PublicAccessBlock{BlockPublicAcls: true, BlockPublicPolicy: true}) {
		t.Fatalf("%+v, %v\nbody: %s", p, err, body)
	}

	rc.set(s3acl.PublicAccessBlockXML(s3acl.PublicAccessBlock{IgnorePublicAcls: true, RestrictPublicBuckets: true}))
	pab, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("bkt")})
	if err != nil {
		t.Fatal(err)
	}
	got := pab.PublicAccessBlockConfiguration
	if aws.ToBool(got.BlockPublicAcls) || !aws.ToBool(got.IgnorePublicAcls) || aws.ToBool(got.BlockPublicPolicy) || !aws.ToBool(got.RestrictPublicBuckets) {
		t.Fatalf("%+v", got)
	}
}
