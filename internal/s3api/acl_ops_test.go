package s3api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// setOwnership sets a bucket's Object Ownership through the API.
func setOwnership(t *testing.T, c *s3.Client, bucket string, o types.ObjectOwnership) {
	t.Helper()
	_, err := c.PutBucketOwnershipControls(context.Background(), &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: o}}}})
	if err != nil {
		t.Fatalf("ownership %s on %s: %v", o, bucket, err)
	}
}

// setPAB replaces a bucket's Block Public Access setting in the store
// (through the API's cache, so that the next request sees it).
func (e *env) setPAB(t *testing.T, bucket string, p *store.PublicAccessBlock) {
	t.Helper()
	if _, err := e.api.st.UpdateBucket(context.Background(), bucket, func(b *store.Bucket) error {
		b.PublicAccessBlock = p
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestOwnershipControls(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	ctx := context.Background()
	mustBucket(t, c, "own")
	get := func() (types.ObjectOwnership, string) {
		out, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("own")})
		if err != nil {
			return "", code(err)
		}
		if len(out.OwnershipControls.Rules) != 1 {
			t.Fatalf("rules: %+v", out.OwnershipControls.Rules)
		}
		return out.OwnershipControls.Rules[0].ObjectOwnership, ""
	}
	if o, errc := get(); o != types.ObjectOwnershipBucketOwnerEnforced || errc != "" {
		t.Errorf("default: %q %q", o, errc)
	}
	setOwnership(t, c, "own", types.ObjectOwnershipObjectWriter)
	if o, _ := get(); o != types.ObjectOwnershipObjectWriter {
		t.Errorf("after put: %q", o)
	}
	if _, err := c.DeleteBucketOwnershipControls(ctx, &s3.DeleteBucketOwnershipControlsInput{Bucket: aws.String("own")}); err != nil {
		t.Fatal(err)
	}
	if _, errc := get(); errc != "OwnershipControlsNotFoundError" {
		t.Errorf("after delete: %q", errc)
	}
	for _, tc := range []struct{ body, want string }{
		{"<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>", "MalformedXML"},
		{"<OwnershipControls></OwnershipControls>", "MalformedXML"},
		{"not xml", "MalformedXML"},
	} {
		if r := e.raw(t, a, "PUT", "/own?ownershipControls", []byte(tc.body), nil); r.status != 400 || !strings.Contains(r.body, tc.want) {
			t.Errorf("%q: %d %s", tc.body, r.status, r.body)
		}
	}
	// Another account may not read or change them.
	other := e.client(e.account(t))
	if _, err := other.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("own")}); code(err) != "AccessDenied" {
		t.Errorf("other account get: %v", err)
	}
	if r := e.raw(t, nil, "DELETE", "/own?ownershipControls", nil, nil); r.status != 403 {
		t.Errorf("anonymous delete: %d %s", r.status, r.body)
	}
}

func TestEnforcedRefusesACLs(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	c := e.client(a)
	ctx := context.Background()
	mustBucket(t, c, "enf")
	mustPut(t, c, "enf", "k", "v")
	put := func(acl types.ObjectCannedACL, grant string) error {
		in := &s3.PutObjectInput{Bucket: aws.String("enf"), Key: aws.String("n"), Body: strings.NewReader("x"), ACL: acl}
		if grant != "" {
			in.GrantFullControl = aws.String(grant)
		}
		_, err := c.PutObject(ctx, in)
		return err
	}
	for _, tc := range []struct {
		name  string
		acl   types.ObjectCannedACL
		grant string
		want  string
	}{
		{"no ACL", "", "", ""},
		{"bucket-owner-full-control", types.ObjectCannedACLBucketOwnerFullControl, "", ""},
		{"public-read", types.ObjectCannedACLPublicRead, "", "AccessControlListNotSupported"},
		{"private", types.ObjectCannedACLPrivate, "", "AccessControlListNotSupported"},
		{"full control grant to the owner", "", "id=" + a.CanonicalID, ""},
		{"full control grant to another account", "", "id=" + b.CanonicalID, "AccessControlListNotSupported"},
		{"unknown canned", "nope", "", "InvalidArgument"},
	} {
		if got := code(put(tc.acl, tc.grant)); got != tc.want {
			t.Errorf("PutObject %s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("enf"), Key: aws.String("m"),
		ACL: types.ObjectCannedACLPublicRead}); code(err) != "AccessControlListNotSupported" {
		t.Errorf("CreateMultipartUpload public-read: %v", err)
	}
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("enf"), Key: aws.String("c"), CopySource: aws.String("enf/k"),
		GrantRead: aws.String("id=" + b.CanonicalID)}); code(err) != "AccessControlListNotSupported" {
		t.Errorf("CopyObject with a grant: %v", err)
	}
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("enf"), Key: aws.String("k"),
		ACL: types.ObjectCannedACLPublicRead}); code(err) != "AccessControlListNotSupported" {
		t.Errorf("PutObjectAcl public-read: %v", err)
	}
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("enf"), Key: aws.String("k"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Errorf("PutObjectAcl bucket-owner-full-control: %v", err)
	}
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("enf"), ACL: types.BucketCannedACLPublicRead}); code(err) != "AccessControlListNotSupported" {
		t.Errorf("PutBucketAcl public-read: %v", err)
	}
	// Reads show the bucket owner's full control, whatever is stored.
	oa, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("enf"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	wantOwnerOnly(t, "object", oa.Owner, oa.Grants, a.CanonicalID)
	ba, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("enf")})
	if err != nil {
		t.Fatal(err)
	}
	wantOwnerOnly(t, "bucket", ba.Owner, ba.Grants, a.CanonicalID)
	o, err := e.st.GetObject(ctx, "enf", "n")
	if err != nil || o.OwnerAccount != a.AccountID || o.ACL != "" {
		t.Errorf("stored object: %+v %v", o, err)
	}
}

func TestCreateBucketACLs(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	c := e.client(a)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		in        s3.CreateBucketInput
		want      string
		wantStore string
	}{
		{"public-read under the default", s3.CreateBucketInput{Bucket: aws.String("cb1"), ACL: types.BucketCannedACLPublicRead}, "InvalidBucketAclWithObjectOwnership", ""},
		{"private under the default", s3.CreateBucketInput{Bucket: aws.String("cb2"), ACL: types.BucketCannedACLPrivate}, "", ""},
		{"grant to another account under the default", s3.CreateBucketInput{Bucket: aws.String("cb3"), GrantRead: aws.String("id=" + b.CanonicalID)}, "InvalidBucketAclWithObjectOwnership", ""},
		{"public-read with ObjectWriter (Block Public Access)", s3.CreateBucketInput{Bucket: aws.String("cb4"), ACL: types.BucketCannedACLPublicRead,
			ObjectOwnership: types.ObjectOwnershipObjectWriter}, "AccessDenied", ""},
		{"grant with ObjectWriter", s3.CreateBucketInput{Bucket: aws.String("cb5"), GrantRead: aws.String("id=" + b.CanonicalID),
			ObjectOwnership: types.ObjectOwnershipObjectWriter}, "", "1;R,u," + b.CanonicalID},
		{"grant to an unknown id", s3.CreateBucketInput{Bucket: aws.String("cb6"), GrantRead: aws.String("id=" + strings.Repeat("ab", 32)),
			ObjectOwnership: types.ObjectOwnershipObjectWriter}, "InvalidArgument", ""},
		{"bad ownership", s3.CreateBucketInput{Bucket: aws.String("cb7"), ObjectOwnership: "Nobody"}, "InvalidArgument", ""},
	} {
		_, err := c.CreateBucket(ctx, &tc.in)
		if got := code(err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
			continue
		}
		if tc.want == "" {
			bk, err := e.st.GetBucket(ctx, *tc.in.Bucket)
			if err != nil || bk.ACL != tc.wantStore {
				t.Errorf("%s: stored ACL %q, want %q (%v)", tc.name, bk.ACL, tc.wantStore, err)
			}
		} else if _, err := e.st.GetBucket(ctx, *tc.in.Bucket); err == nil {
			t.Errorf("%s: bucket created", tc.name)
		}
	}
	// BucketOwnerEnforced is refused while the bucket ACL grants others.
	if _, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("cb5"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}); code(err) != "InvalidBucketAclWithObjectOwnership" {
		t.Errorf("enforce with a granting ACL: %v", err)
	}
	out, err := c.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: aws.String("cb5")})
	if err != nil || len(out.Grants) != 1 || aws.ToString(out.Grants[0].Grantee.ID) != b.CanonicalID || out.Grants[0].Permission != types.PermissionRead {
		t.Errorf("GetBucketAcl: %+v %v", out, err)
	}
	// Back to private, then enforcing works.
	if _, err := c.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("cb5"), ACL: types.BucketCannedACLPrivate}); err != nil {
		t.Fatal(err)
	}
	setOwnership(t, c, "cb5", types.ObjectOwnershipBucketOwnerEnforced)
}

func TestPutBucketACLForms(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	c := e.client(a)
	mustBucket(t, c, "forms")
	setOwnership(t, c, "forms", types.ObjectOwnershipObjectWriter)
	body := `<AccessControlPolicy><Owner><ID>` + a.CanonicalID + `</ID></Owner><AccessControlList>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + a.CanonicalID + `</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + b.CanonicalID + `</ID></Grantee><Permission>WRITE</Permission></Grant>` +
		`</AccessControlList></AccessControlPolicy>`
	notOwner := strings.Replace(body, "<Owner><ID>"+a.CanonicalID, "<Owner><ID>"+b.CanonicalID, 1)
	for _, tc := range []struct {
		name   string
		body   string
		hdr    map[string]string
		status int
		code   string
	}{
		{"nothing", "", nil, 400, "MissingSecurityHeader"},
		{"canned and body", body, map[string]string{"x-amz-acl": "private"}, 400, "UnexpectedContent"},
		{"canned and grant", "", map[string]string{"x-amz-acl": "private", "x-amz-grant-read": "id=" + b.CanonicalID}, 400, "InvalidRequest"},
		{"bad grant header", "", map[string]string{"x-amz-grant-read": "idx=1"}, 400, "InvalidArgument"},
		{"email grantee", "", map[string]string{"x-amz-grant-read": "emailAddress=x@example.com"}, 400, "UnresolvableGrantByEmailAddress"},
		{"malformed body", "<AccessControlPolicy><Nope/></AccessControlPolicy>", nil, 400, "MalformedACLError"},
		{"body giving the bucket away", notOwner, nil, 403, "AccessDenied"},
		{"body", body, nil, 200, ""},
	} {
		r := e.raw(t, a, "PUT", "/forms?acl", []byte(tc.body), tc.hdr)
		if r.status != tc.status || !strings.Contains(r.body, tc.code) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
	bk, err := e.st.GetBucket(context.Background(), "forms")
	if err != nil || bk.ACL != "1;FC,u,"+a.CanonicalID+";W,u,"+b.CanonicalID {
		t.Errorf("stored: %q %v", bk.ACL, err)
	}
	r := e.raw(t, a, "GET", "/forms?acl", nil, nil)
	if r.status != 200 || r.header.Get("Content-Type") != "application/xml" ||
		!strings.Contains(r.body, `<Owner><ID>`+a.CanonicalID+`</ID></Owner>`) ||
		!strings.Contains(r.body, `xsi:type="CanonicalUser"><ID>`+b.CanonicalID+`</ID></Grantee><Permission>WRITE</Permission>`) {
		t.Errorf("GetBucketAcl: %d %s", r.status, r.body)
	}
}

func TestObjectACLsWithACLsEnabled(t *testing.T) {
	e := newEnv(t)
	a, b := e.account(t), e.account(t)
	c := e.client(a)
	ctx := context.Background()
	mustBucket(t, c, "owb")
	setOwnership(t, c, "owb", types.ObjectOwnershipObjectWriter)

	// Block Public Access (on by default) refuses public ACLs.
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owb"), Key: aws.String("p"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLPublicRead}); code(err) != "AccessDenied" {
		t.Errorf("public-read under BlockPublicAcls: %v", err)
	}
	e.setPAB(t, "owb", nil)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("owb"), Key: aws.String("p"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLPublicRead}); err != nil {
		t.Fatal(err)
	}
	grants := func(key string) []string {
		t.Helper()
		out, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("owb"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("GetObjectAcl %s: %v", key, err)
		}
		if aws.ToString(out.Owner.ID) != a.CanonicalID {
			t.Errorf("%s owner %s", key, aws.ToString(out.Owner.ID))
		}
		var gs []string
		for _, g := range out.Grants {
			who := aws.ToString(g.Grantee.ID)
			if g.Grantee.URI != nil {
				who = aws.ToString(g.Grantee.URI)
			}
			gs = append(gs, string(g.Permission)+" "+who)
		}
		return gs
	}
	if g := grants("p"); strings.Join(g, "|") != "FULL_CONTROL "+a.CanonicalID+"|READ "+s3acl.AllUsers {
		t.Errorf("public-read grants: %v", g)
	}
	// IgnorePublicAcls hides public grants from reads.
	e.setPAB(t, "owb", &store.PublicAccessBlock{IgnorePublicAcls: true})
	if g := grants("p"); strings.Join(g, "|") != "FULL_CONTROL "+a.CanonicalID {
		t.Errorf("under IgnorePublicAcls: %v", g)
	}
	// PutObjectAcl replaces the ACL; the owner stays.
	if _, err := c.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String("owb"), Key: aws.String("p"),
		GrantRead: aws.String("id=" + b.CanonicalID), GrantFullControl: aws.String("id=" + a.CanonicalID)}); err != nil {
		t.Fatal(err)
	}
	if g := grants("p"); strings.Join(g, "|") != "READ "+b.CanonicalID+"|FULL_CONTROL "+a.CanonicalID {
		t.Errorf("after PutObjectAcl: %v", g)
	}
	// A multipart upload created with an ACL gives it to the object.
	cu, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("owb"), Key: aws.String("mp"),
		ACL: types.ObjectCannedACLAuthenticatedRead})
	if err != nil {
		t.Fatal(err)
	}
	up, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("owb"), Key: aws.String("mp"), UploadId: cu.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("part")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("owb"), Key: aws.String("mp"),
		UploadId: cu.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: up.ETag}}}}); err != nil {
		t.Fatal(err)
	}
	e.setPAB(t, "owb", nil)
	if g := grants("mp"); strings.Join(g, "|") != "FULL_CONTROL "+a.CanonicalID+"|READ "+s3acl.AuthenticatedUsers {
		t.Errorf("multipart object: %v", g)
	}
	// A copy gets its own headers' ACL, not the source's.
	if _, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("owb"), Key: aws.String("cp"), CopySource: aws.String("owb/mp")}); err != nil {
		t.Fatal(err)
	}
	if g := grants("cp"); strings.Join(g, "|") != "FULL_CONTROL "+a.CanonicalID {
		t.Errorf("copy: %v", g)
	}
	// Missing keys and version ids.
	if _, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("owb"), Key: aws.String("none")}); code(err) != "NoSuchKey" {
		t.Errorf("missing key: %v", err)
	}
	if r := e.raw(t, a, "GET", "/owb/p?acl&versionId=v1", nil, nil); r.status != 400 || !strings.Contains(r.body, "InvalidArgument") {
		t.Errorf("version id: %d %s", r.status, r.body)
	}
	if r := e.raw(t, a, "GET", "/owb/p?acl&versionId=null", nil, nil); r.status != 200 {
		t.Errorf("null version id: %d %s", r.status, r.body)
	}
	// Other accounts are refused (the placeholder authorizer grants no ACLs).
	if _, err := e.client(b).GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String("owb"), Key: aws.String("p")}); code(err) != "AccessDenied" {
		t.Errorf("other account: %v", err)
	}
}

func TestBucketOwnerPreferredOwnership(t *testing.T) {
	e := newEnv(t)
	a := e.account(t)
	c := e.client(a)
	ctx := context.Background()
	mustBucket(t, c, "pref")
	setOwnership(t, c, "pref", types.ObjectOwnershipBucketOwnerPreferred)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pref"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ACL: types.ObjectCannedACLBucketOwnerFullControl}); err != nil {
		t.Fatal(err)
	}
	o, err := e.st.GetObject(ctx, "pref", "k")
	if err != nil || o.OwnerAccount != a.AccountID || o.ACL != "" {
		t.Errorf("stored: %+v %v", o, err)
	}
}

func TestACLConditionKeys(t *testing.T) {
	h := http.Header{}
	h.Set("x-amz-acl", "bucket-owner-full-control")
	h.Set("x-amz-grant-write", "id=1")
	h.Set("x-amz-storage-class", "STANDARD")
	got := putConditionKeys(h)
	for k, want := range map[string]string{"s3:x-amz-acl": "bucket-owner-full-control", "s3:x-amz-grant-write": "id=1",
		"s3:x-amz-storage-class": "STANDARD"} {
		if v := got[k]; len(v) != 1 || v[0] != want {
			t.Errorf("%s = %v, want %q", k, v, want)
		}
	}
	if _, ok := got["s3:x-amz-grant-read"]; ok {
		t.Error("absent header became a key")
	}
	if c := aclConditionKeys(http.Header{}, nil); c == nil || len(c) != 0 {
		t.Errorf("empty: %v", c)
	}
}

// wantOwnerOnly checks an ACL is its owner's full control alone.
func wantOwnerOnly(t *testing.T, what string, owner *types.Owner, g []types.Grant, id string) {
	t.Helper()
	if owner == nil || aws.ToString(owner.ID) != id || len(g) != 1 || aws.ToString(g[0].Grantee.ID) != id ||
		g[0].Grantee.Type != types.TypeCanonicalUser || g[0].Permission != types.PermissionFullControl {
		t.Errorf("%s ACL: %+v %+v", what, owner, g)
	}
}
