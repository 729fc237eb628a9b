package awserr

import "net/http"

// S3 codes used by the ACL and Object Ownership operations of
// internal/s3api (Amazon S3 API Reference, "Error responses").
var (
	// OperationAborted: a conflicting operation changed the resource while
	// the request was being decided; the client retries.
	OperationAborted = c("OperationAborted", http.StatusConflict, "A conflicting conditional operation is currently in progress against this resource. Try again.")
)
