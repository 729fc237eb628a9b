package awserr

import "net/http"

// Code is one entry of the catalogue: the wire code, its HTTP status and the
// message AWS sends when nothing more specific is known.
type Code struct {
	Name    string
	Status  int
	Message string
	// Sender is true for client faults (Query protocol <Type>Sender</Type>).
	Sender bool
}

func c(name string, status int, msg string) *Code {
	return &Code{Name: name, Status: status, Message: msg, Sender: status < 500}
}

// S3 errors, from the Amazon S3 API Reference "Error responses" table.
var (
	AccessDenied                      = c("AccessDenied", http.StatusForbidden, "Access Denied")
	AccessControlListNotSupported     = c("AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs")
	AuthorizationHeaderMalformed      = c("AuthorizationHeaderMalformed", http.StatusBadRequest, "The authorization header is malformed.")
	AuthorizationQueryParametersError = c("AuthorizationQueryParametersError", http.StatusBadRequest, "Error parsing the X-Amz-Credential parameter.")
	BadDigest                         = c("BadDigest", http.StatusBadRequest, "The Content-MD5 you specified did not match what we received.")
	BucketAlreadyExists               = c("BucketAlreadyExists", http.StatusConflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	BucketAlreadyOwnedByYou           = c("BucketAlreadyOwnedByYou", http.StatusConflict, "Your previous request to create the named bucket succeeded and you already own it.")
	BucketNotEmpty                    = c("BucketNotEmpty", http.StatusConflict, "The bucket you tried to delete is not empty")
	ConditionalRequestConflict        = c("ConditionalRequestConflict", http.StatusConflict, "The conditional request cannot succeed due to a conflicting operation against this resource.")
	EntityTooLarge                    = c("EntityTooLarge", http.StatusBadRequest, "Your proposed upload exceeds the maximum allowed size")
	EntityTooSmall                    = c("EntityTooSmall", http.StatusBadRequest, "Your proposed upload is smaller than the minimum allowed object size.")
	ExpiredToken                      = c("ExpiredToken", http.StatusBadRequest, "The provided token has expired.")
	IllegalLocationConstraintExc      = c("IllegalLocationConstraintException", http.StatusBadRequest, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	IncompleteBody                    = c("IncompleteBody", http.StatusBadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	InternalError                     = c("InternalError", http.StatusInternalServerError, "We encountered an internal error. Please try again.")
	InvalidAccessKeyID                = c("InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records.")
	InvalidArgument                   = c("InvalidArgument", http.StatusBadRequest, "Invalid Argument")
	InvalidBucketName                 = c("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid.")
	InvalidBucketState                = c("InvalidBucketState", http.StatusConflict, "The request is not valid with the current state of the bucket.")
	InvalidDigest                     = c("InvalidDigest", http.StatusBadRequest, "The Content-MD5 you specified is not valid.")
	InvalidLocationConstraint         = c("InvalidLocationConstraint", http.StatusBadRequest, "The specified location-constraint is not valid")
	InvalidObjectState                = c("InvalidObjectState", http.StatusForbidden, "The operation is not valid for the current state of the object.")
	InvalidPart                       = c("InvalidPart", http.StatusBadRequest, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
	InvalidPartOrder                  = c("InvalidPartOrder", http.StatusBadRequest, "The list of parts was not in ascending order. Parts must be ordered by part number.")
	InvalidRange                      = c("InvalidRange", http.StatusRequestedRangeNotSatisfiable, "The requested range is not satisfiable")
	InvalidRequest                    = c("InvalidRequest", http.StatusBadRequest, "Invalid Request")
	InvalidSecurity                   = c("InvalidSecurity", http.StatusForbidden, "The provided security credentials are not valid.")
	InvalidToken                      = c("InvalidToken", http.StatusBadRequest, "The provided token is malformed or otherwise invalid.")
	InvalidURI                        = c("InvalidURI", http.StatusBadRequest, "Couldn't parse the specified URI.")
	KeyTooLongError                   = c("KeyTooLongError", http.StatusBadRequest, "Your key is too long")
	MalformedACLError                 = c("MalformedACLError", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema.")
	MalformedPolicy                   = c("MalformedPolicy", http.StatusBadRequest, "Policy has invalid action")
	MalformedXML                      = c("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema")
	MaxMessageLengthExceeded          = c("MaxMessageLengthExceeded", http.StatusBadRequest, "Your request was too big.")
	MetadataTooLarge                  = c("MetadataTooLarge", http.StatusBadRequest, "Your metadata headers exceed the maximum allowed metadata size.")
	MethodNotAllowed                  = c("MethodNotAllowed", http.StatusMethodNotAllowed, "The specified method is not allowed against this resource.")
	MissingContentLength              = c("MissingContentLength", http.StatusLengthRequired, "You must provide the Content-Length HTTP header.")
	MissingRequestBodyError           = c("MissingRequestBodyError", http.StatusBadRequest, "Request Body is empty")
	MissingSecurityHeader             = c("MissingSecurityHeader", http.StatusBadRequest, "Your request is missing a required header.")
	NoSuchBucket                      = c("NoSuchBucket", http.StatusNotFound, "The specified bucket does not exist")
	NoSuchBucketPolicy                = c("NoSuchBucketPolicy", http.StatusNotFound, "The bucket policy does not exist")
	NoSuchKey                         = c("NoSuchKey", http.StatusNotFound, "The specified key does not exist.")
	NoSuchUpload                      = c("NoSuchUpload", http.StatusNotFound, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
	NoSuchPublicAccessBlockConfig     = c("NoSuchPublicAccessBlockConfiguration", http.StatusNotFound, "The public access block configuration was not found")
	NoSuchOwnershipControls           = c("OwnershipControlsNotFoundError", http.StatusNotFound, "The bucket ownership controls were not found")
	NotImplemented                    = c("NotImplemented", http.StatusNotImplemented, "A header you provided implies functionality that is not implemented")
	NotModified                       = c("NotModified", http.StatusNotModified, "Not Modified")
	PreconditionFailed                = c("PreconditionFailed", http.StatusPreconditionFailed, "At least one of the pre-conditions you specified did not hold")
	RequestTimeTooSkewed              = c("RequestTimeTooSkewed", http.StatusForbidden, "The difference between the request time and the current time is too large.")
	RequestTimeout                    = c("RequestTimeout", http.StatusBadRequest, "Your socket connection to the server was not read from or written to within the timeout period.")
	SignatureDoesNotMatch             = c("SignatureDoesNotMatch", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	SlowDown                          = c("SlowDown", http.StatusServiceUnavailable, "Please reduce your request rate.")
	XAmzContentSHA256Mismatch         = c("XAmzContentSHA256Mismatch", http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed.")
	InvalidChunkSizeError             = c("InvalidChunkSizeError", http.StatusForbidden, "Only the last chunk is allowed to have a size less than 8192 bytes")
	InvalidEncryptionAlgorithmError   = c("InvalidEncryptionAlgorithmError", http.StatusBadRequest, "The encryption request you specified is not valid. The valid value is AES256.")
)

// IAM / STS / Query-protocol errors (IAM and STS API references, "Common Errors").
var (
	DeleteConflict                = c("DeleteConflict", http.StatusConflict, "Cannot delete entity, must remove referenced objects first.")
	EntityAlreadyExists           = c("EntityAlreadyExists", http.StatusConflict, "Entity already exists.")
	IncompleteSignature           = c("IncompleteSignature", http.StatusBadRequest, "The request signature does not conform to AWS standards.")
	InvalidAction                 = c("InvalidAction", http.StatusBadRequest, "The action or operation requested is invalid. Verify that the action is typed correctly.")
	InvalidClientTokenID          = c("InvalidClientTokenId", http.StatusForbidden, "The security token included in the request is invalid.")
	InvalidInput                  = c("InvalidInput", http.StatusBadRequest, "Invalid input.")
	InvalidParameterValue         = c("InvalidParameterValue", http.StatusBadRequest, "An invalid or out-of-range value was supplied for the input parameter.")
	LimitExceeded                 = c("LimitExceeded", http.StatusConflict, "Cannot exceed quota.")
	MalformedPolicyDocument       = c("MalformedPolicyDocument", http.StatusBadRequest, "Syntax errors in policy.")
	MissingAction                 = c("MissingAction", http.StatusBadRequest, "The request is missing an action or a required parameter.")
	MissingAuthenticationTok      = c("MissingAuthenticationToken", http.StatusForbidden, "Missing Authentication Token")
	NoSuchEntity                  = c("NoSuchEntity", http.StatusNotFound, "The request was rejected because it referenced an entity that does not exist.")
	PackedPolicyTooLarge          = c("PackedPolicyTooLarge", http.StatusBadRequest, "The request was rejected because the total packed size of the session policies and session tags combined was too large.")
	ServiceFailure                = c("ServiceFailure", http.StatusInternalServerError, "The request processing has failed because of an unknown error, exception or failure.")
	ValidationError               = c("ValidationError", http.StatusBadRequest, "The input fails to satisfy the constraints specified by an AWS service.")
	UnrecognizedClientExc         = c("UnrecognizedClientException", http.StatusBadRequest, "The security token included in the request is invalid.")
	RegionDisabledException       = c("RegionDisabledException", http.StatusForbidden, "STS is not activated in the requested region.")
	OptInRequired                 = c("OptInRequired", http.StatusForbidden, "The AWS access key ID needs a subscription for the service.")
	UnsupportedOperation          = c("UnsupportedOperation", http.StatusBadRequest, "The operation is not supported.")
	ConcurrentModification        = c("ConcurrentModification", http.StatusConflict, "The request was rejected because multiple requests to change this object were submitted simultaneously.")
	EntityTemporarilyUnmodifiable = c("EntityTemporarilyUnmodifiable", http.StatusConflict, "The request was rejected because it referenced an entity that is temporarily unmodifiable.")
)
