package awserr

import "net/http"

// EC2 errors ("Error codes for the Amazon EC2 API"). Client errors are HTTP
// 400 except authentication (401), authorization (403) and DryRun (412).
// The messages here are defaults; the EC2 API sends specific ones.
var (
	EC2AuthFailure                  = c("AuthFailure", http.StatusUnauthorized, "AWS was not able to validate the provided access credentials")
	EC2DryRunOperation              = c("DryRunOperation", http.StatusPreconditionFailed, "Request would have succeeded, but DryRun flag is set.")
	EC2IncorrectInstanceState       = c("IncorrectInstanceState", http.StatusBadRequest, "The instance is not in a valid state for this operation.")
	EC2IncorrectState               = c("IncorrectState", http.StatusBadRequest, "The resource is in an incorrect state for the request.")
	EC2InstanceLimitExceeded        = c("InstanceLimitExceeded", http.StatusBadRequest, "You have requested more instances than your current instance limit allows.")
	EC2InvalidAMIIDMalformed        = c("InvalidAMIID.Malformed", http.StatusBadRequest, "The AMI ID is malformed.")
	EC2InvalidAssociationIDNotFound = c("InvalidAssociationID.NotFound", http.StatusBadRequest, "The association ID does not exist.")
	EC2InvalidInstanceIDMalformed   = c("InvalidInstanceID.Malformed", http.StatusBadRequest, "The instance ID is malformed.")
	EC2InvalidInstanceIDNotFound    = c("InvalidInstanceID.NotFound", http.StatusBadRequest, "The instance ID does not exist.")
	EC2InvalidPaginationToken       = c("InvalidPaginationToken", http.StatusBadRequest, "The specified pagination token is not valid or is expired.")
	EC2InvalidParameter             = c("InvalidParameter", http.StatusBadRequest, "A parameter specified in a request is not valid, is unsupported, or cannot be used.")
	EC2InvalidParameterCombination  = c("InvalidParameterCombination", http.StatusBadRequest, "Indicates an incorrect combination of parameters, or a missing parameter.")
	EC2InvalidParameterValue        = c("InvalidParameterValue", http.StatusBadRequest, "A value specified in a parameter is not valid, is unsupported, or cannot be used.")
	EC2MissingParameter             = c("MissingParameter", http.StatusBadRequest, "The request is missing a required parameter.")
	EC2UnauthorizedOperation        = c("UnauthorizedOperation", http.StatusForbidden, "You are not authorized to perform this operation.")
	EC2UnknownParameter             = c("UnknownParameter", http.StatusBadRequest, "An unknown or unrecognized parameter was supplied.")
	EC2InvalidAction                = c("InvalidAction", http.StatusBadRequest, "The action or operation requested is not valid.")
	EC2InternalError                = c("InternalError", http.StatusInternalServerError, "An internal error has occurred.")
)
