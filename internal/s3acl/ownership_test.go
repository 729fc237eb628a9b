package s3acl

import (
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestValidOwnership(t *testing.T) {
	for s, want := range map[string]bool{
		"BucketOwnerEnforced": true, "BucketOwnerPreferred": true, "ObjectWriter": true,
		"": false, "bucketownerenforced": false, "ObjectWriter ": false, "BucketOwner": false,
	} {
		if ValidOwnership(s) != want {
			t.Errorf("ValidOwnership(%q) = %v", s, !want)
		}
	}
	if !ACLsDisabled(BucketOwnerEnforced) || ACLsDisabled(BucketOwnerPreferred) || ACLsDisabled(ObjectWriter) || ACLsDisabled("") {
		t.Error("ACLsDisabled")
	}
	checkErr(t, ErrInvalidOwnershipHeader("Foo"), &wantErr{code: awserr.InvalidArgument, msg: "Invalid x-amz-object-ownership header: Foo", fields: map[string]string{"ArgumentName": "x-amz-object-ownership"}})
}

func TestAllowedWhenEnforced(t *testing.T) {
	bo := idB // bucket owner
	tests := []struct {
		name   string
		canned string
		acl    ACL
		want   bool
	}{
		{"bucket-owner-full-control", CannedBucketOwnerFullControl, ACL{}, true},
		{"private canned is rejected", CannedPrivate, Private(ownerB), false},
		{"public-read", CannedPublicRead, ACL{}, false},
		{"bucket-owner-read", CannedBucketOwnerRead, ACL{}, false},
		{"explicit bucket owner full control", "", ACL{Owner: ownerA, Grants: []Grant{fc(bo)}}, true},
		{"explicit bucket owner full control twice", "", ACL{Owner: ownerB, Grants: []Grant{fc(bo), fc(bo)}}, true},
		{"explicit plus another account", "", ACL{Owner: ownerB, Grants: []Grant{fc(bo), usr(idA, Read)}}, false},
		{"explicit bucket owner read only", "", ACL{Owner: ownerB, Grants: []Grant{usr(bo, Read)}}, false},
		{"explicit writer full control", "", ACL{Owner: ownerA, Grants: []Grant{fc(idA)}}, false},
		{"explicit group", "", ACL{Owner: ownerB, Grants: []Grant{grp(AllUsers, FullControl)}}, false},
		{"explicit no grants", "", ACL{Owner: ownerB}, false},
	}
	for _, tt := range tests {
		if got := AllowedWhenEnforced(tt.canned, tt.acl, bo); got != tt.want {
			t.Errorf("%s: AllowedWhenEnforced = %v", tt.name, got)
		}
	}
	checkErr(t, ErrACLNotSupported(), &wantErr{code: awserr.AccessControlListNotSupported, msg: "The bucket does not allow ACLs"})
}

func TestBucketACLAllowedWithEnforced(t *testing.T) {
	for _, n := range CannedNames {
		a, _ := Canned(n, ownerB, ownerB, false)
		want := n == CannedPrivate || n == CannedBucketOwnerRead || n == CannedBucketOwnerFullControl
		if got := BucketACLAllowedWithEnforced(a); got != want {
			t.Errorf("%s: BucketACLAllowedWithEnforced = %v", n, got)
		}
	}
	if BucketACLAllowedWithEnforced(ACL{Owner: ownerB, Grants: []Grant{fc(idB), usr(idA, Read)}}) {
		t.Error("cross-account grant allowed")
	}
	checkErr(t, ErrBucketACLWithEnforced(), &wantErr{code: awserr.InvalidBucketAclWithObjectOwnership, msg: "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"})
	mustEqualACL(t, EnforcedACL(ownerB), ACL{Owner: ownerB, Grants: []Grant{fc(idB)}})
}

func TestObjectOwner(t *testing.T) {
	const writer, bucket = "111111111111", "222222222222"
	tests := []struct {
		ownership, canned, want string
	}{
		{BucketOwnerEnforced, "", bucket},
		{BucketOwnerEnforced, CannedBucketOwnerFullControl, bucket},
		{BucketOwnerPreferred, CannedBucketOwnerFullControl, bucket},
		{BucketOwnerPreferred, "", writer},
		{BucketOwnerPreferred, CannedBucketOwnerRead, writer},
		{BucketOwnerPreferred, CannedPrivate, writer},
		{ObjectWriter, CannedBucketOwnerFullControl, writer},
		{ObjectWriter, "", writer},
		{"", CannedBucketOwnerFullControl, writer},
		{"Bogus", "", bucket},
	}
	for _, tt := range tests {
		if got := ObjectOwner(tt.ownership, writer, bucket, tt.canned); got != tt.want {
			t.Errorf("ObjectOwner(%q, %q) = %s, want %s", tt.ownership, tt.canned, got, tt.want)
		}
	}
	if got := ObjectOwner(ObjectWriter, "", bucket, ""); got != "" {
		t.Errorf("anonymous writer: %q", got)
	}
}

func TestOwnershipControlsXML(t *testing.T) {
	// The PutBucketOwnershipControls request example of the API Reference.
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Rule>
        <ObjectOwnership>BucketOwnerPreferred</ObjectOwnership>
    </Rule>
</OwnershipControls>`
	got, err := ParseOwnershipControls(strings.NewReader(doc))
	if err != nil || got != BucketOwnerPreferred {
		t.Fatalf("got %q, %v", got, err)
	}
	for _, o := range []string{BucketOwnerEnforced, BucketOwnerPreferred, ObjectWriter} {
		x := OwnershipControlsXML(o)
		want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>` + o + `</ObjectOwnership></Rule></OwnershipControls>`
		if x != want {
			t.Errorf("OwnershipControlsXML(%s) = %s", o, x)
		}
		back, err := ParseOwnershipControls(strings.NewReader(x))
		if err != nil || back != o {
			t.Errorf("round trip %s: %q, %v", o, back, err)
		}
	}
	rule := func(s string) string { return "<Rule><ObjectOwnership>" + s + "</ObjectOwnership></Rule>" }
	for name, body := range map[string]string{
		"empty":           "",
		"not xml":         "BucketOwnerEnforced",
		"no rule":         "<OwnershipControls></OwnershipControls>",
		"two rules":       "<OwnershipControls>" + rule(ObjectWriter) + rule(ObjectWriter) + "</OwnershipControls>",
		"bad value":       "<OwnershipControls>" + rule("Everyone") + "</OwnershipControls>",
		"lower-case":      "<OwnershipControls>" + rule("objectwriter") + "</OwnershipControls>",
		"empty value":     "<OwnershipControls>" + rule("") + "</OwnershipControls>",
		"no value":        "<OwnershipControls><Rule></Rule></OwnershipControls>",
		"two values":      "<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>",
		"unknown element": "<OwnershipControls>" + rule(ObjectWriter) + "<X/></OwnershipControls>",
		"wrong root":      "<Ownership>" + rule(ObjectWriter) + "</Ownership>",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseOwnershipControls(strings.NewReader(body))
			checkErr(t, err, &wantErr{code: awserr.MalformedXML})
		})
	}
}
