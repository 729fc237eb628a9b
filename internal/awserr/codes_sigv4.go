package awserr

import "net/http"

// Codes used by request authentication (internal/sigv4) that the main
// catalogue lacks.
var (
	// MalformedTrailerError: S3 "Error responses" table; an aws-chunked body
	// whose trailing headers are missing, undeclared or not well-formed.
	MalformedTrailerError = c("MalformedTrailerError", http.StatusBadRequest, "The request contained trailing data that was not well-formed or did not conform to our published schema.")
	// RequestExpired: IAM and STS API references, "Common Errors"; a
	// presigned request to a Query-protocol service past its expiry.
	RequestExpired = c("RequestExpired", http.StatusBadRequest, "Request has expired.")
	// RequestEntityTooLarge: a Query-protocol body larger than the server
	// will hash in memory to verify its signature.
	RequestEntityTooLarge = c("RequestEntityTooLarge", http.StatusRequestEntityTooLarge, "Request body is too large.")
)
