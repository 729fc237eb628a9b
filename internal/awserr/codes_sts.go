package awserr

import "net/http"

// Codes used by STS and by the resolution of temporary credentials that the
// main catalogue lacks.
var (
	// ExpiredTokenQuery is ExpiredToken as IAM and STS send it (Query
	// protocol): HTTP 403 and this text, without a final period; S3 sends
	// ExpiredToken (400, "The provided token has expired.").
	ExpiredTokenQuery = c("ExpiredToken", http.StatusForbidden, "The security token included in the request is expired")
)
