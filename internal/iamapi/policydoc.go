package iamapi

import (
	"errors"
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/iamapi/awspolicies"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

// validateDoc checks a policy document with the policy engine, reporting
// AWS's MalformedPolicyDocument message.
func (c *call) validateDoc(doc string, kind policy.Kind, managed bool) error {
	opts := &policy.Options{Managed: managed}
	if kind == policy.KindTrust {
		// IAM rejects trust policies naming users or roles that do not
		// exist ("Invalid principal in policy").
		opts.PrincipalExists = c.principalExists
	}
	err := policy.Validate(doc, kind, opts)
	if err == nil {
		return nil
	}
	var ve *policy.ValidationError
	if errors.As(err, &ve) {
		return awserr.New(awserr.MalformedPolicyDocument, ve.Message)
	}
	return awserr.New(awserr.MalformedPolicyDocument)
}

// principalExists reports whether an IAM user or role ARN (of any account)
// names an existing entity. Only existence is looked at.
func (c *call) principalExists(s string) bool {
	for _, typ := range []string{"user", "role"} {
		acct, path, name, ok := parseEntityARN(s, typ)
		if !ok {
			continue
		}
		var gotPath string
		var err error
		if typ == "user" {
			var u *store.IAMUser
			if u, err = c.a.st.GetUser(c.ctx, acct, name); err == nil {
				gotPath = u.Path
			}
		} else {
			var r *store.IAMRole
			if r, err = c.a.st.GetRole(c.ctx, acct, name); err == nil {
				gotPath = r.Path
			}
		}
		return err == nil && gotPath == path
	}
	return true
}

// mpolicy is a managed policy: AWS managed or a customer's.
type mpolicy struct {
	arn   string
	aws   *awspolicies.Policy
	local *store.ManagedPolicy
}

func (m *mpolicy) name() string {
	if m.aws != nil {
		return m.aws.Name
	}
	return m.local.Name
}

// checkARN rejects strings that are not ARNs with IAM's InvalidInput.
func checkARN(s string) error {
	if _, err := arn.Parse(s); err != nil || !strings.HasPrefix(s, "arn:") {
		return awserr.Newf(awserr.InvalidInput, "ARN %s is not valid.", s)
	}
	return nil
}

// findPolicy resolves a managed policy ARN visible to the caller: an AWS
// managed policy or one of the caller's account. It returns nil when there
// is none (including ARNs of other accounts).
func (c *call) findPolicy(policyARN string) (*mpolicy, error) {
	if p := awspolicies.Get(policyARN); p != nil {
		return &mpolicy{arn: p.ARN, aws: p}, nil
	}
	acct, path, name, ok := parseEntityARN(policyARN, "policy")
	if !ok || acct != c.acct {
		return nil, nil
	}
	p, err := c.a.st.GetPolicy(c.ctx, c.acct, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, internal("get policy", err)
	}
	if p.Path != path {
		return nil, nil
	}
	return &mpolicy{arn: entityARN(c.acct, "policy", p.Path, p.Name), local: p}, nil
}

// policyXML renders a managed policy; AWS managed policies show this
// account's attachment counts.
func (c *call) policyXML(m *mpolicy, full bool) (xPolicy, error) {
	if m.local != nil {
		p := m.local
		x := xPolicy{PolicyName: p.Name, PolicyId: p.ID, Arn: m.arn, Path: p.Path, DefaultVersionId: p.DefaultVersion,
			AttachmentCount: p.AttachmentCount, PermissionsBoundaryUsageCount: p.BoundaryUsageCount, IsAttachable: true,
			CreateDate: isoTime(p.CreatedAt), UpdateDate: isoTime(p.UpdatedAt)}
		if full {
			x.Description = p.Description
			x.Tags = tagsXML(p.Tags, false)
		}
		return x, nil
	}
	att, bnd, err := c.a.st.PolicyUsage(c.ctx, c.acct, m.arn)
	if err != nil {
		return xPolicy{}, internal("policy usage", err)
	}
	p := m.aws
	x := xPolicy{PolicyName: p.Name, PolicyId: p.ID, Arn: p.ARN, Path: p.Path, DefaultVersionId: p.Version,
		AttachmentCount: att, PermissionsBoundaryUsageCount: bnd, IsAttachable: true,
		CreateDate: isoTime(p.Created), UpdateDate: isoTime(p.Updated)}
	if full {
		x.Description = p.Description
	}
	return x, nil
}

// boundaryParam validates a PermissionsBoundary ARN: it must name a
// managed policy visible to the caller.
func (c *call) boundaryParam(policyARN string) error {
	if err := checkARN(policyARN); err != nil {
		return err
	}
	m, err := c.findPolicy(policyARN)
	if err != nil {
		return err
	}
	if m == nil {
		return awserr.Newf(awserr.NoSuchEntity, "Scope ARN: %s does not exist or is not attachable.", policyARN)
	}
	return nil
}
