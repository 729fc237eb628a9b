package s3acl

import (
	"io"
	"strings"
)

// Object Ownership settings (S3 API Reference, OwnershipControlsRule).
const (
	BucketOwnerEnforced  = "BucketOwnerEnforced"
	BucketOwnerPreferred = "BucketOwnerPreferred"
	ObjectWriter         = "ObjectWriter"
)

// ValidOwnership reports whether s is an Object Ownership setting
// (case-sensitive).
func ValidOwnership(s string) bool {
	return s == BucketOwnerEnforced || s == BucketOwnerPreferred || s == ObjectWriter
}

// ACLsDisabled reports whether ownership disables ACLs (BucketOwnerEnforced).
func ACLsDisabled(ownership string) bool { return ownership == BucketOwnerEnforced }

// AllowedWhenEnforced reports whether a request may set an ACL on a bucket
// or object of a bucket with BucketOwnerEnforced. Such a bucket "accepts
// only PUT requests that do not specify an ACL or PUT requests with bucket
// owner full control ACLs, such as the bucket-owner-full-control canned ACL
// or equivalent forms of this ACL expressed in XML"; everything else is
// 400 AccessControlListNotSupported (ErrACLNotSupported).
//
// canned is the x-amz-acl value: only bucket-owner-full-control passes
// (not private, which S3 rejects there too). With no canned ACL, acl — from
// grant headers or an AccessControlPolicy body — passes when it has at
// least one grant and every grant is FULL_CONTROL to bucketOwnerID.
// Requests without any ACL need no check.
func AllowedWhenEnforced(canned string, acl ACL, bucketOwnerID string) bool {
	if canned != "" {
		return canned == CannedBucketOwnerFullControl
	}
	if len(acl.Grants) == 0 {
		return false
	}
	for _, g := range acl.Grants {
		if g.Permission != FullControl || g.Grantee.Type != CanonicalUser || g.Grantee.ID != bucketOwnerID {
			return false
		}
	}
	return true
}

// BucketACLAllowedWithEnforced reports whether a bucket ACL can coexist
// with BucketOwnerEnforced: it must grant nothing to anyone but the bucket
// owner (S3 User Guide, Object Ownership "Troubleshooting",
// InvalidBucketAclWithObjectOwnership). CreateBucket with
// BucketOwnerEnforced and an ACL that fails this check, and
// PutBucketOwnershipControls to BucketOwnerEnforced on a bucket whose ACL
// fails it, are 400 InvalidBucketAclWithObjectOwnership
// (ErrBucketACLWithEnforced).
func BucketACLAllowedWithEnforced(acl ACL) bool { return acl.OwnerOnly() }

// EnforcedACL is what GetBucketAcl and GetObjectAcl return on a bucket
// with BucketOwnerEnforced: "Requests to read ACLs always return a
// response that shows full control for the bucket owner".
func EnforcedACL(bucketOwner Owner) ACL { return Private(bucketOwner) }

// ObjectOwner returns the account that owns an object written by
// writerAccount into a bucket owned by bucketOwnerAccount, under the
// bucket's Object Ownership setting and the request's x-amz-acl value:
//
//	BucketOwnerEnforced   the bucket owner
//	BucketOwnerPreferred  the bucket owner if cannedACL is bucket-owner-full-control, else the writer
//	ObjectWriter, ""      the writer ("" means no ownership controls: S3's original behaviour)
//
// An unknown setting fails closed to the bucket owner. writerAccount is ""
// for anonymous writers; S3 then records AnonymousCanonicalID as the owner.
func ObjectOwner(ownership, writerAccount, bucketOwnerAccount, cannedACL string) string {
	switch ownership {
	case BucketOwnerPreferred:
		if cannedACL == CannedBucketOwnerFullControl {
			return bucketOwnerAccount
		}
		return writerAccount
	case ObjectWriter, "":
		return writerAccount
	}
	return bucketOwnerAccount
}

// xOwnershipControls is the OwnershipControls body (S3 API Reference,
// PutBucketOwnershipControls).
type xOwnershipControls struct {
	Rule  []xOwnershipRule `xml:"Rule"`
	Other []anyElem        `xml:",any"`
}

type xOwnershipRule struct {
	ObjectOwnership []string  `xml:"ObjectOwnership"`
	Other           []anyElem `xml:",any"`
}

// ParseOwnershipControls reads a PutBucketOwnershipControls body: one Rule
// with one ObjectOwnership naming a setting. Anything else is 400
// MalformedXML.
func ParseOwnershipControls(body io.Reader) (string, error) {
	b, err := readBody(body)
	if err != nil {
		return "", err
	}
	var x xOwnershipControls
	if decodeRoot(b, "OwnershipControls", &x) != nil || len(x.Other) != 0 || len(x.Rule) != 1 || len(x.Rule[0].Other) != 0 {
		return "", errMalformedXML()
	}
	v, ok := one(x.Rule[0].ObjectOwnership)
	if !ok || !ValidOwnership(v) {
		return "", errMalformedXML()
	}
	return v, nil
}

// OwnershipControlsXML is the GetBucketOwnershipControls response body.
func OwnershipControlsXML(ownership string) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<OwnershipControls xmlns="` + S3Namespace + `"><Rule><ObjectOwnership>`)
	esc(&b, ownership)
	b.WriteString("</ObjectOwnership></Rule></OwnershipControls>")
	return b.String()
}
