// Package identity holds who is making a request: the principal that a
// verified access key (or the absence of one) stands for, and the per-request
// information the server wiring hands to the API packages.
package identity

import (
	"context"
	"net/netip"
	"time"
)

// Kind is the type of principal, as aws:PrincipalType names it.
type Kind string

const (
	Anonymous   Kind = "Anonymous"
	Root        Kind = "Account"
	User        Kind = "User"
	AssumedRole Kind = "AssumedRole"
	Federated   Kind = "FederatedUser"
)

// Principal is an authenticated (or anonymous) caller.
type Principal struct {
	Kind        Kind
	AccountID   string // "" for anonymous
	ARN         string // arn:aws:iam::111122223333:root, …:user/path/name, arn:aws:sts::…:assumed-role/r/s
	UserID      string // aws:userid: account id for root, AIDA… for users, AROA…:session for sessions
	UserName    string // IAM user name (users only)
	CanonicalID string // S3 canonical user id of the principal's account
	AccessKeyID string
	// RoleARN is the IAM role behind an assumed-role session.
	RoleARN string
	// SessionToken is present for temporary credentials; never log it.
	SessionToken string
	// Tags are principal tags (aws:PrincipalTag/*).
	Tags map[string]string
	// TokenIssueTime is set for temporary credentials.
	TokenIssueTime time.Time
}

// IsAnonymous reports whether p is the anonymous principal.
func (p *Principal) IsAnonymous() bool { return p == nil || p.Kind == Anonymous }

// Auth describes how a request was authenticated (feeds s3:authType,
// s3:signatureversion, s3:signatureAge and the region check).
type Auth struct {
	// Method is "REST-HEADER", "REST-QUERY-STRING" or "" for anonymous (s3:authType).
	Method string
	// SignatureVersion is "AWS4-HMAC-SHA256" or "AWS" (SigV2) (s3:signatureversion).
	SignatureVersion string
	// Region and Service are the credential scope's (empty for SigV2 and anonymous).
	Region  string
	Service string
	// SignedAt is the request's signing time.
	SignedAt time.Time
}

// Request is what the server wiring knows about one request and hands to
// the API packages through the context.
type Request struct {
	ID        string
	HostID    string
	Principal *Principal
	Auth      Auth
	SourceIP  netip.Addr
	Secure    bool // TLS
	// TLSVersion is the negotiated TLS version (tls.VersionTLS12 …), 0 without TLS.
	TLSVersion uint16
	Received   time.Time
	// VPCEndpoint and VPC are set when the request arrived on a VPC endpoint listener.
	VPCEndpoint string
	VPC         string
	// VPCEndpointPolicy is the endpoint's policy document ("" = full access).
	VPCEndpointPolicy string
}

type ctxKey struct{}

// With returns ctx carrying req.
func With(ctx context.Context, req *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, req)
}

// From returns the request info in ctx, or nil.
func From(ctx context.Context) *Request {
	r, _ := ctx.Value(ctxKey{}).(*Request)
	return r
}
