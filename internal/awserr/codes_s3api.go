package awserr

import "net/http"

// S3 codes used by internal/s3api that the main catalogue lacks (Amazon S3
// API Reference, "Error responses").
var (
	// InvalidPartNumber: GetObject/HeadObject with a partNumber the object
	// does not have.
	InvalidPartNumber = c("InvalidPartNumber", http.StatusRequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable")
	// InvalidStorageClass: an unknown x-amz-storage-class.
	InvalidStorageClass = c("InvalidStorageClass", http.StatusBadRequest, "The storage class you specified is not valid")
	// InvalidTag: a malformed x-amz-tagging tag set.
	InvalidTag = c("InvalidTag", http.StatusBadRequest, "The tag provided was not a valid tag.")
	// InvalidBucketACLWithOwnership: an ACL on CreateBucket with BucketOwnerEnforced.
	InvalidBucketACLWithOwnership = c("InvalidBucketAclWithObjectOwnership", http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
	// BadRequest: S3's generic 400 (CORS preflight without Origin).
	BadRequest = c("BadRequest", http.StatusBadRequest, "Insufficient information. Origin request header needed.")
	// AccessForbidden: CORS preflight on a bucket without CORS.
	AccessForbidden = c("AccessForbidden", http.StatusForbidden, "CORSResponse: CORS is not enabled for this bucket.")
	// NoSuchVersion: a version id that does not exist.
	NoSuchVersion = c("NoSuchVersion", http.StatusNotFound, "The specified version does not exist.")
)
