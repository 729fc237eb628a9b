package s3acl

import "github.com/crossbucket/crossbucket/internal/awserr"

// Canned ACL names (S3 User Guide, "Canned ACL").
const (
	CannedPrivate                = "private"
	CannedPublicRead             = "public-read"
	CannedPublicReadWrite        = "public-read-write"
	CannedAWSExecRead            = "aws-exec-read"
	CannedAuthenticatedRead      = "authenticated-read"
	CannedBucketOwnerRead        = "bucket-owner-read"
	CannedBucketOwnerFullControl = "bucket-owner-full-control"
	CannedLogDeliveryWrite       = "log-delivery-write"
)

// CannedNames lists every canned ACL S3 accepts in x-amz-acl.
var CannedNames = []string{
	CannedPrivate, CannedPublicRead, CannedPublicReadWrite, CannedAWSExecRead,
	CannedAuthenticatedRead, CannedBucketOwnerRead, CannedBucketOwnerFullControl,
	CannedLogDeliveryWrite,
}

// IsCanned reports whether name is a canned ACL (case-sensitive).
func IsCanned(name string) bool {
	for _, n := range CannedNames {
		if n == name {
			return true
		}
	}
	return false
}

// errInvalidCanned is S3's answer to an unknown x-amz-acl value:
// InvalidArgument naming the header and the value.
func errInvalidCanned(name string) *awserr.Error {
	return awserr.New(awserr.InvalidArgument).With("ArgumentName", "x-amz-acl").With("ArgumentValue", name)
}

// Canned expands a canned ACL for a resource owned by owner in a bucket
// owned by bucketOwner; forObject says whether the resource is an object.
//
// Every canned ACL gives the owner FULL_CONTROL, then:
// public-read adds AllUsers READ; public-read-write AllUsers READ and
// WRITE; authenticated-read AuthenticatedUsers READ; aws-exec-read READ
// for Amazon EC2; log-delivery-write LogDelivery READ_ACP and WRITE.
// bucket-owner-read and bucket-owner-full-control add the bucket owner
// READ or FULL_CONTROL on objects and are ignored on buckets ("If you
// specify this canned ACL when creating a bucket, Amazon S3 ignores it");
// when the bucket owner is the object owner they add nothing. An unknown
// name is 400 InvalidArgument (ArgumentName x-amz-acl).
func Canned(name string, owner, bucketOwner Owner, forObject bool) (ACL, error) {
	a := Private(owner)
	add := func(g Grantee, p Permission) { a.Grants = append(a.Grants, Grant{Grantee: g, Permission: p}) }
	switch name {
	case CannedPrivate:
	case CannedPublicRead:
		add(GroupGrantee(AllUsers), Read)
	case CannedPublicReadWrite:
		add(GroupGrantee(AllUsers), Read)
		add(GroupGrantee(AllUsers), Write)
	case CannedAuthenticatedRead:
		add(GroupGrantee(AuthenticatedUsers), Read)
	case CannedAWSExecRead:
		add(User(EC2CanonicalID), Read)
	case CannedLogDeliveryWrite:
		// The table lists it for buckets only; S3 accepts the header on
		// objects too and applies the same grants.
		add(GroupGrantee(LogDelivery), ReadACP)
		add(GroupGrantee(LogDelivery), Write)
	case CannedBucketOwnerRead, CannedBucketOwnerFullControl:
		if !forObject || bucketOwner.ID == owner.ID {
			break
		}
		p := Read
		if name == CannedBucketOwnerFullControl {
			p = FullControl
		}
		add(Grantee{Type: CanonicalUser, ID: bucketOwner.ID, DisplayName: bucketOwner.DisplayName}, p)
	default:
		return ACL{}, errInvalidCanned(name)
	}
	return a, nil
}
