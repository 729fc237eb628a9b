package principals

import (
	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Reason says why credentials were refused.
type Reason int

const (
	// UnknownKey: no active long-term key has this id (or an ASIA… id came
	// without a session token).
	UnknownKey Reason = iota + 1
	// BadToken: the session token is malformed, forged, sealed with a key
	// no longer held, or belongs to another access key.
	BadToken
	// Expired: the session token is authentic but its session has ended.
	Expired
	// Restricted: the credentials are valid but may not call this service
	// (GetSessionToken credentials without MFA calling IAM).
	Restricted
)

func (r Reason) String() string {
	switch r {
	case UnknownKey:
		return "unknown access key"
	case BadToken:
		return "invalid session token"
	case Expired:
		return "expired session token"
	case Restricted:
		return "credentials not allowed for this service"
	}
	return "invalid credentials"
}

// Error is a refusal of credentials. It becomes the error AWS sends for the
// service the request was addressed to: errors.As (and so awserr.From)
// turns it into the right *awserr.Error, so a caller can return it as is.
type Error struct {
	Reason Reason
	// Service is the credential scope's service ("s3", "iam", "sts").
	Service     string
	AccessKeyID string
	// token is echoed in S3's error body as AWS does (Token-0); it is the
	// caller's own token and is never part of Error().
	token string
}

// Error describes the refusal without the token.
func (e *Error) Error() string {
	return "principals: " + e.Reason.String() + " (" + e.AccessKeyID + ")"
}

// As lets errors.As(err, **awserr.Error) see the wire error.
func (e *Error) As(target any) bool {
	if t, ok := target.(**awserr.Error); ok {
		*t = e.ForService(e.Service)
		return true
	}
	return false
}

// ForService is the error AWS answers for this refusal in service:
//
//   - S3: InvalidAccessKeyId (403) for unknown keys, InvalidToken (400) for a
//     bad token, ExpiredToken (400, "The provided token has expired.").
//   - IAM and STS: InvalidClientTokenId (403, "The security token included
//     in the request is invalid.") for unknown keys, bad tokens and
//     GetSessionToken credentials calling IAM without MFA; ExpiredToken
//     (403, "The security token included in the request is expired").
//
// (S3 API Reference "Error responses"; STS and IAM API references "Common
// Errors"; the IAM User Guide "Permissions for GetSessionToken".)
func (e *Error) ForService(service string) *awserr.Error {
	if service == "s3" || service == "" {
		switch e.Reason {
		case Expired:
			return awserr.New(awserr.ExpiredToken).With("Token-0", e.token)
		case BadToken:
			return awserr.New(awserr.InvalidToken).With("Token-0", e.token)
		default:
			return awserr.New(awserr.InvalidAccessKeyID).With("AWSAccessKeyId", e.AccessKeyID)
		}
	}
	if e.Reason == Expired {
		return awserr.New(awserr.ExpiredTokenQuery)
	}
	return awserr.New(awserr.InvalidClientTokenID)
}

// ForService maps err for service when it is an *Error and returns any
// other error unchanged.
func ForService(err error, service string) error {
	if e, ok := err.(*Error); ok {
		return e.ForService(service)
	}
	return err
}
