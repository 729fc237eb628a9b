package server

import (
	"context"
	"time"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
)

// instanceCredentials issues the role session credentials that instance
// metadata serves: an assumed-role session named after the instance,
// sealed like every STS session, carrying the instance's condition keys.
type instanceCredentials struct {
	ring     *sessiontoken.Ring
	accounts store.Accounts
	iam      store.IAM
	now      func() time.Time
}

func (c *instanceCredentials) IssueForInstance(ctx context.Context, req *imds.SessionRequest) (*imds.Credentials, error) {
	acct, err := c.accounts.GetAccount(ctx, req.AccountID)
	if err != nil {
		return nil, err
	}
	var tags []sessiontoken.Tag
	if role, err := c.iam.GetRole(ctx, req.AccountID, principals.RoleName(req.RoleARN)); err == nil {
		for _, t := range role.Tags {
			tags = append(tags, sessiontoken.Tag{Key: t.Key, Value: t.Value})
		}
	}
	now := c.now().UTC().Truncate(time.Second)
	cl := &sessiontoken.Claims{
		Kind: sessiontoken.AssumedRole, AccountID: req.AccountID, CanonicalID: acct.CanonicalID,
		AccessKeyID: accounts.NewAccessKeyID("ASIA"), SecretAccessKey: accounts.NewSecret(),
		IssuedAt: now, Expires: now.Add(req.Duration),
		RoleARN: req.RoleARN, RoleID: req.RoleID, SessionName: req.InstanceID, IdentityTags: tags,
		SourceInstanceARN: req.InstanceARN, RoleDelivery: req.RoleDelivery,
		SourceVPC: req.VPC, SourcePrivateIPv4: req.PrivateIPv4,
	}
	tok, err := c.ring.Seal(cl)
	if err != nil {
		return nil, err
	}
	return &imds.Credentials{AccessKeyID: cl.AccessKeyID, SecretAccessKey: cl.SecretAccessKey,
		SessionToken: tok, Expiration: cl.Expires}, nil
}
