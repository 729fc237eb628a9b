package awserr

import "net/http"

// Codes used by S3 access control lists (internal/s3acl) that the main
// catalogue lacks; messages from the S3 API Reference "Error responses"
// table and the S3 User Guide "Troubleshooting" page for Object Ownership.
var (
	// UnresolvableGrantByEmailAddress: a grant names an email address
	// that belongs to no account.
	UnresolvableGrantByEmailAddress = c("UnresolvableGrantByEmailAddress", http.StatusBadRequest, "The email address that you provided does not match any account on record.")
	// UnexpectedContent: PutBucketAcl / PutObjectAcl carrying both ACL
	// headers and an AccessControlPolicy body.
	UnexpectedContent = c("UnexpectedContent", http.StatusBadRequest, "This request does not support content")
	// InvalidBucketAclWithObjectOwnership: a bucket ACL granting anyone
	// but the owner combined with BucketOwnerEnforced.
	InvalidBucketAclWithObjectOwnership = c("InvalidBucketAclWithObjectOwnership", http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
)
