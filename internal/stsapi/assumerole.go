package stsapi

import (
	"errors"
	"sort"
	"strings"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Limits of AssumeRole (STS API Reference, AssumeRole request parameters;
// IAM User Guide, "IAM and AWS STS quotas").
const (
	minDuration        = 900
	maxRoleDuration    = 43200
	defaultRoleSession = 3600
	chainedMaxDuration = 3600
	maxSessionTags     = 50
	maxPolicyARNs      = 10
	maxSessionPolicy   = 2048
)

// assumedRoleUser is the AssumedRoleUser element.
type assumedRoleUser struct {
	Arn           string
	AssumedRoleId string
}

// assumeRoleResult is AssumeRoleResult, in the order of the API
// Reference's example response.
type assumeRoleResult struct {
	SourceIdentity   string `xml:",omitempty"`
	AssumedRoleUser  assumedRoleUser
	Credentials      credentials
	PackedPolicySize *int `xml:",omitempty"`
	SessionTokenSize int
}

func (a *API) assumeRole(c *call) (*assumeRoleResult, error) {
	in, err := parseAssumeRole(c)
	if err != nil {
		return nil, err
	}
	// The root user cannot assume roles; AWS refuses with this text.
	if c.p.Kind == identity.Root {
		return nil, awserr.New(awserr.AccessDenied, "Roles may not be assumed by root accounts.")
	}
	if in.policy != "" {
		if _, err := policy.Parse(in.policy, policy.KindIdentity, nil); err != nil {
			var ve *policy.ValidationError
			if errors.As(err, &ve) {
				return nil, awserr.New(awserr.MalformedPolicyDocument, ve.Message)
			}
			return nil, awserr.New(awserr.MalformedPolicyDocument)
		}
	}

	// Role chaining: the caller's transitive tags and source identity carry
	// over and cannot be replaced ("Pass session tags in AWS STS", chaining
	// roles with session tags; "Monitor and control actions taken with
	// assumed roles": a source identity cannot be changed once set). The
	// API Reference gives no wording for these refusals; the messages are
	// the emulator's own.
	tags := in.tags
	transitive := append([]string(nil), in.transitiveKeys...)
	sourceIdentity := in.sourceIdentity
	if s := c.session; s != nil {
		inherited := s.TransitiveTags()
		for _, t := range in.tags {
			for _, it := range inherited {
				if strings.EqualFold(t.Key, it.Key) {
					return nil, awserr.Newf(awserr.InvalidParameterValue,
						"The session tag %q cannot replace the transitive session tag of the same key inherited through role chaining.", t.Key)
				}
			}
		}
		tags = append(append([]sessiontoken.Tag(nil), inherited...), in.tags...)
		for _, it := range inherited {
			if !containsFold(transitive, it.Key) {
				transitive = append(transitive, it.Key)
			}
		}
		if s.SourceIdentity != "" {
			if sourceIdentity != "" && sourceIdentity != s.SourceIdentity {
				return nil, awserr.Newf(awserr.InvalidParameterValue,
					"The source identity %q of the calling session cannot be changed.", s.SourceIdentity)
			}
			sourceIdentity = s.SourceIdentity
		}
	}
	packed, err := checkPacked(in.policy, in.policyARNs, tags)
	if err != nil {
		return nil, err
	}
	mfa, err := a.verifyMFA(c)
	if err != nil {
		return nil, err
	}

	role, err := a.lookupRole(c, in.roleARN)
	if err != nil {
		return nil, err
	}
	if err := a.authorizeAssume(c, in, role, sourceIdentity, mfa); err != nil {
		return nil, err
	}

	// Durations (STS API Reference, AssumeRole DurationSeconds).
	duration := defaultRoleSession
	if in.durationSet {
		duration = in.duration
	}
	// Temporary credentials calling AssumeRole are role chaining, capped at
	// one hour whatever the role allows.
	chained := c.p.SessionToken != ""
	if chained && duration > chainedMaxDuration {
		return nil, awserr.New(awserr.ValidationError, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	maxDur := role.MaxSessionDuration
	if maxDur <= 0 {
		maxDur = defaultRoleSession
	}
	if duration > maxDur {
		return nil, awserr.New(awserr.ValidationError, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	cl := &sessiontoken.Claims{
		Kind:              sessiontoken.AssumedRole,
		AccountID:         role.AccountID,
		CanonicalID:       a.canonicalID(c, role.AccountID),
		IssuedAt:          c.now,
		Expires:           c.now.Add(secondsDur(duration)),
		RoleARN:           role.ARN,
		RoleID:            role.RoleID,
		SessionName:       in.sessionName,
		IdentityTags:      sortedTags(role.Tags),
		Policy:            in.policy,
		PolicyARNs:        in.policyARNs,
		Tags:              tags,
		TransitiveTagKeys: transitive,
		SourceIdentity:    sourceIdentity,
		MFA:               mfa,
		Chained:           chained,
	}
	creds, err := a.issue(cl, in.minTokenSize)
	if err != nil {
		return nil, err
	}
	res := &assumeRoleResult{
		SessionTokenSize: len(creds.SessionToken),
		SourceIdentity:   sourceIdentity,
		AssumedRoleUser: assumedRoleUser{
			Arn:           principals.AssumedRoleARN(role.ARN, in.sessionName),
			AssumedRoleId: role.RoleID + ":" + in.sessionName,
		},
		Credentials: *creds,
	}
	if in.policy != "" || len(in.policyARNs) > 0 || len(tags) > 0 {
		res.PackedPolicySize = &packed
	}
	a.log.Info("sts session issued", "request_id", c.info.ID, "principal", c.p.ARN, "role", role.ARN,
		"session", in.sessionName, "access_key_id", cl.AccessKeyID, "expires", cl.Expires)
	return res, nil
}

// lookupRole finds the role; a missing role is refused like an
// unauthorized one, so callers learn nothing about other accounts' roles.
func (a *API) lookupRole(c *call, roleARN string) (*Role, error) {
	if a.cfg.Roles == nil {
		return nil, accessDenied(c.p, "sts:AssumeRole", roleARN)
	}
	role, err := a.cfg.Roles.RoleByARN(c.ctx, roleARN)
	if errors.Is(err, store.ErrNotFound) || (err == nil && role == nil) {
		a.log.Debug("assume role: no such role", "request_id", c.info.ID, "role", roleARN)
		return nil, accessDenied(c.p, "sts:AssumeRole", roleARN)
	}
	if err != nil {
		return nil, awserr.Internal(err)
	}
	return role, nil
}

// authorizeAssume asks the authorizer for sts:AssumeRole against the role's
// trust policy, then sts:TagSession when session tags are passed and
// sts:SetSourceIdentity when the session has a source identity ("Pass
// session tags in AWS STS", permissions required; "Monitor and control
// actions taken with assumed roles").
func (a *API) authorizeAssume(c *call, in *assumeRoleInput, role *Role, sourceIdentity string, mfa bool) error {
	ctxKeys := map[string][]string{"sts:RoleSessionName": {in.sessionName}}
	if in.externalSet {
		ctxKeys["sts:ExternalId"] = []string{in.externalID}
	}
	if sourceIdentity != "" {
		ctxKeys["sts:SourceIdentity"] = []string{sourceIdentity}
	}
	if len(in.tags) > 0 {
		keys := make([]string, 0, len(in.tags))
		for _, t := range in.tags {
			ctxKeys["aws:RequestTag/"+t.Key] = []string{t.Value}
			keys = append(keys, t.Key)
		}
		ctxKeys["aws:TagKeys"] = keys
	}
	if len(in.transitiveKeys) > 0 {
		ctxKeys["sts:TransitiveTagKeys"] = append([]string(nil), in.transitiveKeys...)
	}
	for k, vals := range c.session.ContextKeys(c.now) {
		ctxKeys[k] = vals
	}
	if mfa {
		ctxKeys["aws:MultiFactorAuthPresent"] = []string{"true"}
		ctxKeys["aws:MultiFactorAuthAge"] = []string{"0"}
	}
	actions := []string{"sts:AssumeRole"}
	if in.tagsRequested {
		actions = append(actions, "sts:TagSession")
	}
	if sourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		d := a.cfg.Authz.Authorize(c.ctx, &authz.Request{
			Principal:          c.p,
			Action:             action,
			Resource:           role.ARN,
			ResourceAccount:    role.AccountID,
			Context:            ctxKeys,
			ResourcePolicy:     role.TrustPolicy,
			ResourcePolicyName: "trust policy of " + role.ARN,
			Info:               c.info,
		})
		if !d.Allowed {
			a.log.Debug("sts request denied", "request_id", c.info.ID, "action", action, "reason", d.Reason)
			return accessDenied(c.p, action, in.roleARN)
		}
	}
	return nil
}

// canonicalID returns the S3 canonical id of account.
func (a *API) canonicalID(c *call, account string) string {
	if account == c.p.AccountID && c.p.CanonicalID != "" {
		return c.p.CanonicalID
	}
	if a.cfg.Accounts == nil {
		return ""
	}
	acc, err := a.cfg.Accounts.GetAccount(c.ctx, account)
	if err != nil {
		a.log.Warn("sts: canonical id of role account unknown", "account", account, "err", err)
		return ""
	}
	return acc.CanonicalID
}

func sortedTags(m map[string]string) []sessiontoken.Tag {
	if len(m) == 0 {
		return nil
	}
	out := make([]sessiontoken.Tag, 0, len(m))
	for k, v := range m {
		out = append(out, sessiontoken.Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
