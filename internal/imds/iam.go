package imds

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

// IAM is what the metadata service and the EC2 API read from IAM.
// store.IAM has these methods, so the metadata store can be passed as is.
type IAM interface {
	GetInstanceProfile(ctx context.Context, accountID, name string) (*store.InstanceProfile, error)
	GetRole(ctx context.Context, accountID, name string) (*store.IAMRole, error)
}

// ErrNoProfile is returned (wrapped) for an instance profile that does not
// exist or that the caller may not name.
var ErrNoProfile = errors.New("imds: no such instance profile")

// Profile is an instance profile with the role it holds, if any.
type Profile struct {
	AccountID string
	Name      string
	ID        string // AIPA…
	ARN       string // arn:aws:iam::ACCOUNT:instance-profile/PATH/NAME
	// Role is nil when the profile holds no role (or its role is gone).
	Role    *store.IAMRole
	RoleARN string // arn:aws:iam::ACCOUNT:role/PATH/NAME, "" without a role
}

// ProfileARN builds an instance profile's ARN.
func ProfileARN(accountID, path, name string) string {
	return "arn:aws:iam::" + accountID + ":instance-profile" + normPath(path) + name
}

// RoleARN builds a role's ARN.
func RoleARN(accountID, path, name string) string {
	return "arn:aws:iam::" + accountID + ":role" + normPath(path) + name
}

func normPath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// LookupProfile finds an instance profile of accountID by name.
func LookupProfile(ctx context.Context, iam IAM, accountID, name string) (*Profile, error) {
	p, err := iam.GetInstanceProfile(ctx, accountID, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNoProfile, name)
	}
	if err != nil {
		return nil, err
	}
	return withRole(ctx, iam, p)
}

// LookupProfileARN finds an instance profile by ARN. Only profiles of
// accountID may be named; the ARN's path must be the profile's.
func LookupProfileARN(ctx context.Context, iam IAM, accountID, profileARN string) (*Profile, error) {
	a, err := arn.Parse(profileARN)
	rest, ok := strings.CutPrefix(a.Resource, "instance-profile/")
	if err != nil || !ok || a.Service != "iam" || a.Region != "" || a.Account != accountID || rest == "" {
		return nil, fmt.Errorf("%w: %s", ErrNoProfile, profileARN)
	}
	name := rest[strings.LastIndexByte(rest, '/')+1:]
	p, err := iam.GetInstanceProfile(ctx, accountID, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNoProfile, profileARN)
	}
	if err != nil {
		return nil, err
	}
	// IAM names ignore case; an ARN is matched exactly.
	if ProfileARN(p.AccountID, p.Path, p.Name) != profileARN {
		return nil, fmt.Errorf("%w: %s", ErrNoProfile, profileARN)
	}
	return withRole(ctx, iam, p)
}

func withRole(ctx context.Context, iam IAM, p *store.InstanceProfile) (*Profile, error) {
	out := &Profile{AccountID: p.AccountID, Name: p.Name, ID: p.ID, ARN: ProfileARN(p.AccountID, p.Path, p.Name)}
	if len(p.Roles) == 0 {
		return out, nil
	}
	r, err := iam.GetRole(ctx, p.AccountID, p.Roles[0])
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	out.Role, out.RoleARN = r, RoleARN(r.AccountID, r.Path, r.Name)
	return out, nil
}

// ec2Service is the service principal that assumes an instance's role.
const ec2Service = "ec2.amazonaws.com"

// TrustsEC2 reports whether the role's trust policy lets the EC2 service
// assume it ("IAM roles for Amazon EC2": the trust policy must allow
// sts:AssumeRole to the ec2.amazonaws.com service principal). A malformed
// trust policy trusts no one. cache may be nil.
func TrustsEC2(role *store.IAMRole, roleARN string, cache *policy.Cache) bool {
	if role == nil || role.AssumeRolePolicy == "" {
		return false
	}
	var (
		p   *policy.Policy
		err error
	)
	if cache != nil {
		p, err = cache.Parse(role.AssumeRolePolicy, policy.KindTrust, nil)
	} else {
		p, err = policy.Parse(role.AssumeRolePolicy, policy.KindTrust, nil)
	}
	if err != nil {
		return false
	}
	pr := policy.Principal{Kind: policy.PrincipalService, Service: ec2Service}
	req := &policy.Request{
		Principal: pr, Action: "sts:AssumeRole", Resource: roleARN, ResourceAccount: role.AccountID,
		Context: policy.NewContext().SetPrincipal(pr),
	}
	return p.Evaluate(req).Allowed()
}
