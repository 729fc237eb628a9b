package policy

// Flavor says which AWS service's wording and error code a ValidationError
// carries.
type Flavor int

const (
	// FlavorIAM errors are reported by IAM (and STS) as MalformedPolicyDocument.
	FlavorIAM Flavor = iota
	// FlavorS3 errors are reported by S3 as MalformedPolicy.
	FlavorS3
)

// String returns "IAM" or "S3".
func (f Flavor) String() string {
	if f == FlavorS3 {
		return "S3"
	}
	return "IAM"
}

// ValidationError is a policy document rejected the way AWS rejects it.
// Message is the text AWS returns; the API layers map Flavor to the error
// code with Code.
type ValidationError struct {
	Flavor  Flavor
	Message string
}

// Error returns the AWS message.
func (e *ValidationError) Error() string { return e.Message }

// Code returns the AWS error code: MalformedPolicyDocument for IAM,
// MalformedPolicy for S3.
func (e *ValidationError) Code() string {
	if e.Flavor == FlavorS3 {
		return "MalformedPolicy"
	}
	return "MalformedPolicyDocument"
}

// Messages AWS returns for malformed policies. IAM wording is taken from
// IAM's MalformedPolicyDocument responses, S3 wording from S3's
// MalformedPolicy responses.
const (
	msgIAMSyntax           = "Syntax errors in policy."
	msgIAMLegacy           = "The policy failed legacy parsing"
	msgIAMVersion          = "Policy document must be version 2012-10-17 or greater."
	msgIAMNoPrincipal      = "Policy document should not specify a principal."
	msgIAMSidUnique        = "Statement IDs (SID) in a single policy must be unique."
	msgIAMSidAlnum         = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgIAMNeedActions      = "Policy statement must contain actions."
	msgIAMNeedResources    = "Policy statement must contain resources."
	msgIAMVendor           = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgIAMOneColon         = "Actions/Condition can contain only one colon."
	msgIAMResourceVendor   = "Resource vendor must be fully qualified and cannot contain regexes."
	msgIAMTrustActions     = "AssumeRole policy may only specify STS AssumeRole actions."
	msgIAMMissingPrincipal = "Missing required field Principal"
	msgIAMProhibitedRes    = "Has prohibited field Resource"
	msgIAMProhibitedNotRes = "Has prohibited field NotResource"
	msgIAMInvalidPrincipal = "Invalid principal in policy: "
	msgS3Syntax            = "Invalid policy syntax."
	msgS3JSON              = "Policies must be valid JSON and the first byte must be '{'"
	msgS3InvalidPrincipal  = "Invalid principal in policy"
	msgS3InvalidResource   = "Policy has invalid resource"
	msgS3InvalidAction     = "Policy has invalid action"
	msgS3ActionNoResource  = "Action does not apply to any resource(s) in statement"
	msgS3MissingPrincipal  = "Missing required field Principal"
	msgS3MissingStatement  = "Missing required field Statement"
	msgS3MissingEffect     = "Missing required field Effect"
	msgS3MissingElement    = "Statement is missing required element"
	msgS3InvalidEffect     = "Invalid effect: "
)

func iamErr(msg string) *ValidationError { return &ValidationError{Flavor: FlavorIAM, Message: msg} }
func s3Err(msg string) *ValidationError  { return &ValidationError{Flavor: FlavorS3, Message: msg} }
