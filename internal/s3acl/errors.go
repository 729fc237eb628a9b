package s3acl

import "github.com/crossbucket/crossbucket/internal/awserr"

// malformedACLMessage is the MalformedACLError message as S3 sends it
// (without the catalogue's trailing period; ceph/ceph#16291 records the
// AWS response body).
const malformedACLMessage = "The XML you provided was not well-formed or did not validate against our published schema"

func errMalformedACL() *awserr.Error {
	return awserr.New(awserr.MalformedACLError, malformedACLMessage)
}

func errMalformedXML() *awserr.Error { return awserr.New(awserr.MalformedXML) }

// errArgument is S3's InvalidArgument with ArgumentName / ArgumentValue.
func errArgument(msg, name, value string) *awserr.Error {
	return awserr.New(awserr.InvalidArgument, msg).With("ArgumentName", name).With("ArgumentValue", value)
}

// ErrACLNotSupported is the error for setting an ACL on a bucket whose
// Object Ownership is BucketOwnerEnforced: 400 AccessControlListNotSupported
// "The bucket does not allow ACLs".
func ErrACLNotSupported() *awserr.Error { return awserr.New(awserr.AccessControlListNotSupported) }

// ErrBucketACLWithEnforced is the error for combining BucketOwnerEnforced
// with a bucket ACL that grants anyone but the bucket owner (CreateBucket,
// PutBucketOwnershipControls): 400 InvalidBucketAclWithObjectOwnership.
func ErrBucketACLWithEnforced() *awserr.Error {
	return awserr.New(awserr.InvalidBucketAclWithObjectOwnership)
}

// ErrInvalidOwnershipHeader is CreateBucket's error for an
// x-amz-object-ownership header that names no Object Ownership setting.
func ErrInvalidOwnershipHeader(value string) *awserr.Error {
	return awserr.New(awserr.InvalidArgument, "Invalid x-amz-object-ownership header: "+value).With("ArgumentName", "x-amz-object-ownership")
}
