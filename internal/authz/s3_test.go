package authz

import (
	"context"
	"testing"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

func withCanonical(p *identity.Principal, id string) *identity.Principal {
	p.CanonicalID = id
	return p
}

func TestS3Contexts(t *testing.T) {
	const bOwner, writer, third = "222222222222", "111111111111", "333333333333"
	canon := map[string]string{bOwner: "cb", writer: "cw", third: "c3"}
	ownerRoot := withCanonical(root(bOwner), canon[bOwner])
	writerRoot := withCanonical(root(writer), canon[writer])
	thirdRoot := withCanonical(root(third), canon[third])
	anon := &identity.Principal{Kind: identity.Anonymous}
	writerUser := withCanonical(user(writer, "w"), canon[writer])
	allowGet := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	src := fixedSources{writerUser.ARN: {Identity: []policy.NamedPolicy{{Name: "get", Policy: mustPolicy(t, allowGet, policy.KindIdentity)}}}}
	a := NewPolicies(src, nil)

	ownerOnlyACL := func(id string) string {
		return s3acl.Encode(s3acl.Private(s3acl.Owner{ID: id}))
	}
	bofc, err := s3acl.Canned("bucket-owner-full-control", s3acl.Owner{ID: canon[writer]}, s3acl.Owner{ID: canon[bOwner]}, true)
	if err != nil {
		t.Fatal(err)
	}
	publicRead, _ := s3acl.Canned("public-read", s3acl.Owner{ID: canon[bOwner]}, s3acl.Owner{ID: canon[bOwner]}, true)
	crossPolicy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`

	cases := []struct {
		name      string
		ownership string
		pab       *store.PublicAccessBlock
		policy    string
		obj       *store.Object
		p         *identity.Principal
		allowed   bool
	}{
		{"ObjectWriter: object without ACL is unreadable by the bucket owner", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: writer, ACL: ownerOnlyACL(canon[writer])}}, ownerRoot, false},
		{"ObjectWriter: bucket-owner-full-control lets the bucket owner read", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: writer, ACL: s3acl.Encode(bofc)}}, ownerRoot, true},
		{"ObjectWriter: the writer reads its own object", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: writer, ACL: ownerOnlyACL(canon[writer])}}, writerRoot, true},
		{"ObjectWriter: a bucket policy cannot grant a foreign-owned object", "ObjectWriter", nil, crossPolicy,
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: writer, ACL: ownerOnlyACL(canon[writer])}}, thirdRoot, false},
		{"BucketOwnerEnforced: bucket owner owns and reads everything", "BucketOwnerEnforced", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner}}, ownerRoot, true},
		{"public-read object ACL: anonymous reads", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner, ACL: s3acl.Encode(publicRead)}}, anon, true},
		{"public-read object ACL ignored under IgnorePublicAcls", "ObjectWriter", &store.PublicAccessBlock{IgnorePublicAcls: true}, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner, ACL: s3acl.Encode(publicRead)}}, anon, false},
		{"public-read ACL ignored when ACLs are disabled", "BucketOwnerEnforced", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner, ACL: s3acl.Encode(publicRead)}}, anon, false},
		{"public bucket policy: anonymous reads", "BucketOwnerEnforced", nil, crossPolicy,
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner}}, anon, true},
		{"public bucket policy restricted by RestrictPublicBuckets", "BucketOwnerEnforced", &store.PublicAccessBlock{RestrictPublicBuckets: true}, crossPolicy,
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner}}, anon, false},
		{"public-read ACL to another account's IAM user with an IAM allow", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner, ACL: s3acl.Encode(publicRead)}}, writerUser, true},
		{"public-read ACL to another account's IAM user without an IAM allow", "ObjectWriter", nil, "",
			&store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: bOwner, ACL: s3acl.Encode(publicRead)}}, withCanonical(user(writer, "nobody"), canon[writer]), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b := &store.Bucket{Name: "b", AccountID: bOwner, Ownership: tc.ownership, PublicAccessBlock: tc.pab, Policy: tc.policy}
			d := a.Authorize(context.Background(), &Request{Principal: tc.p, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
				ResourceAccount: bOwner, Bucket: b, Object: tc.obj})
			if d.Allowed != tc.allowed {
				t.Fatalf("allowed = %v, want %v: %s", d.Allowed, tc.allowed, d.Reason)
			}
			if d.Reason == "" {
				t.Fatal("no explanation")
			}
		})
	}
}

func TestExistingObjectTagCondition(t *testing.T) {
	const owner, other = "111122223333", "444455556666"
	bp := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + other + `:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/share":"yes"}}}]}`
	a := NewPolicies(nil, nil)
	for _, tc := range []struct {
		tags    map[string]string
		allowed bool
	}{{map[string]string{"share": "yes"}, true}, {map[string]string{"share": "no"}, false}, {nil, false}} {
		b := &store.Bucket{Name: "b", AccountID: owner, Ownership: "BucketOwnerEnforced", Policy: bp}
		o := &store.Object{ObjectMeta: store.ObjectMeta{OwnerAccount: owner, Tags: tc.tags}}
		d := a.Authorize(context.Background(), &Request{Principal: root(other), Action: "s3:GetObject",
			Resource: "arn:aws:s3:::b/k", ResourceAccount: owner, Bucket: b, Object: o})
		if d.Allowed != tc.allowed {
			t.Errorf("tags %v: allowed %v, want %v (%s)", tc.tags, d.Allowed, tc.allowed, d.Reason)
		}
	}
}
