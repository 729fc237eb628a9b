// Package authz decides whether a principal may perform an action on a
// resource. The API packages see only the Authorizer interface; the policy
// engine implements it for real, and OwnerOnly is the placeholder used until
// then.
package authz

import (
	"context"
	"fmt"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Request is one authorization question.
type Request struct {
	Principal *identity.Principal
	// Action is the IAM action, e.g. "s3:GetObject".
	Action string
	// Resource is the resource ARN, e.g. "arn:aws:s3:::bucket/key".
	Resource string
	// ResourceAccount owns the resource (the bucket owner for S3).
	ResourceAccount string
	// Bucket and Object are the S3 resources involved, when known.
	Bucket *store.Bucket
	Object *store.Object
	// Context holds request-specific condition keys (s3:prefix, s3:x-amz-acl, …).
	// The authorizer adds the global keys itself from the request info.
	Context map[string][]string
	// ResourcePolicy, when set, is the resource-based policy to evaluate in
	// place of the one the authorizer would look up — a role's trust policy
	// for sts:AssumeRole. ResourcePolicyName names it in explanations.
	ResourcePolicy     string
	ResourcePolicyName string
	// AccountPublicAccessBlock is the bucket owner account's Block Public
	// Access setting (S3 Control), when one is set.
	AccountPublicAccessBlock *store.PublicAccessBlock
	// Info is the request the question comes from.
	Info *identity.Request
}

// Decision is the answer and why.
type Decision struct {
	Allowed bool
	// Reason explains the decision in plain words.
	Reason string
	// CrossAccount is true when principal and resource accounts differ.
	CrossAccount bool
	// Policy is the policy engine's decision, when the engine decided.
	Policy *policy.Decision
}

// Authorizer decides requests.
type Authorizer interface {
	Authorize(ctx context.Context, req *Request) Decision
}

// OwnerOnly allows an account's root everything on its own account's
// resources and denies everyone else, including anonymous callers and other
// accounts' roots. It is the placeholder until the policy engine is wired.
type OwnerOnly struct{}

var _ Authorizer = OwnerOnly{}

// Authorize implements Authorizer.
func (OwnerOnly) Authorize(_ context.Context, req *Request) Decision {
	p := req.Principal
	cross := p.IsAnonymous() || p.AccountID != req.ResourceAccount
	if !p.IsAnonymous() && p.Kind == identity.Root && !cross {
		return Decision{Allowed: true, Reason: fmt.Sprintf("allowed: %s is the root of resource account %s", p.ARN, req.ResourceAccount)}
	}
	who := "anonymous"
	if !p.IsAnonymous() {
		who = p.ARN
	}
	return Decision{Allowed: false, CrossAccount: cross,
		Reason: fmt.Sprintf("denied: only the root of account %s may perform %s on %s (caller %s)", req.ResourceAccount, req.Action, req.Resource, who)}
}
