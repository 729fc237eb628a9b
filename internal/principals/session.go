package principals

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

// Session is what the authorizer (and STS, for role chaining) needs to know
// about temporary credentials beyond the identity.Principal: the sealed
// claims without the secret.
type Session struct {
	Kind     sessiontoken.Kind
	IssuedAt time.Time
	Expires  time.Time

	// Assumed-role sessions.
	RoleARN     string
	RoleID      string
	SessionName string
	// Policy and PolicyARNs are the session policies: the session may do
	// only what they allow as well. An unresolvable policy ARN must count
	// as a policy that allows nothing.
	Policy     string
	PolicyARNs []string

	// Tags are the session tags (including inherited transitive tags);
	// TransitiveTagKeys those passed on by role chaining.
	Tags              []sessiontoken.Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	MFA               bool
	Chained           bool

	// UserARN is the IAM user behind a GetSessionToken session ("" for
	// the root and for role sessions).
	UserARN string

	// Instance-profile sessions.
	SourceInstanceARN, RoleDelivery, SourceVPC, SourcePrivateIPv4 string
}

// IsAssumedRole reports whether s is a role session.
func (s *Session) IsAssumedRole() bool { return s != nil && s.Kind == sessiontoken.AssumedRole }

// IsGetSessionToken reports whether s came from GetSessionToken.
func (s *Session) IsGetSessionToken() bool {
	return s != nil && (s.Kind == sessiontoken.UserSession || s.Kind == sessiontoken.RootSession)
}

// HasPolicies reports whether session policies limit s.
func (s *Session) HasPolicies() bool { return s != nil && (s.Policy != "" || len(s.PolicyARNs) > 0) }

// TransitiveTags returns the session tags whose keys are transitive, in
// session order: the tags a session created by s inherits.
func (s *Session) TransitiveTags() []sessiontoken.Tag {
	if s == nil {
		return nil
	}
	var out []sessiontoken.Tag
	for _, t := range s.Tags {
		for _, k := range s.TransitiveTagKeys {
			if strings.EqualFold(k, t.Key) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// ContextKeys returns the global condition keys that come from the session
// rather than from the request ("AWS global condition context keys"):
// aws:MultiFactorAuthPresent, aws:MultiFactorAuthAge (when MFA was used)
// and aws:SourceIdentity (when set). now is the request time.
func (s *Session) ContextKeys(now time.Time) map[string][]string {
	if s == nil {
		return nil
	}
	keys := map[string][]string{}
	if s.MFA {
		keys["aws:MultiFactorAuthPresent"] = []string{"true"}
		age := int64(now.Sub(s.IssuedAt) / time.Second)
		keys["aws:MultiFactorAuthAge"] = []string{strconv.FormatInt(max(age, 0), 10)}
	} else {
		keys["aws:MultiFactorAuthPresent"] = []string{"false"}
	}
	if s.SourceIdentity != "" {
		keys["aws:SourceIdentity"] = []string{s.SourceIdentity}
	}
	// Instance-profile credentials ("AWS global condition context keys",
	// "Actions, resources, and condition keys for Amazon EC2").
	for k, v := range map[string]string{
		"ec2:SourceInstanceARN":            s.SourceInstanceARN,
		"ec2:RoleDelivery":                 s.RoleDelivery,
		"aws:Ec2InstanceSourceVpc":         s.SourceVPC,
		"aws:Ec2InstanceSourcePrivateIPv4": s.SourcePrivateIPv4,
	} {
		if v != "" {
			keys[k] = []string{v}
		}
	}
	return keys
}

func sessionFromClaims(c *sessiontoken.Claims) *Session {
	return &Session{
		Kind: c.Kind, IssuedAt: c.IssuedAt, Expires: c.Expires,
		RoleARN: c.RoleARN, RoleID: c.RoleID, SessionName: c.SessionName,
		Policy: c.Policy, PolicyARNs: c.PolicyARNs,
		Tags: c.Tags, TransitiveTagKeys: c.TransitiveTagKeys,
		SourceIdentity: c.SourceIdentity, MFA: c.MFA, Chained: c.Chained,
		UserARN:           c.UserARN,
		SourceInstanceARN: c.SourceInstanceARN, RoleDelivery: c.RoleDelivery,
		SourceVPC: c.SourceVPC, SourcePrivateIPv4: c.SourcePrivateIPv4,
	}
}

type sessionKey struct{}

// WithSession returns ctx carrying the session of the request's
// credentials; the server wiring adds it next to identity.Request.
func WithSession(ctx context.Context, s *Session) context.Context {
	if s == nil {
		return ctx
	}
	return context.WithValue(ctx, sessionKey{}, s)
}

// SessionFrom returns the session in ctx, or nil (long-term credentials,
// anonymous requests, or wiring that did not add it).
func SessionFrom(ctx context.Context) *Session {
	s, _ := ctx.Value(sessionKey{}).(*Session)
	return s
}

// RoleName returns the name of a role from its ARN
// (arn:aws:iam::ACCOUNT:role/PATH/NAME → NAME), or "" when arn names no role.
func RoleName(roleARN string) string {
	i := strings.Index(roleARN, ":role/")
	if i < 0 {
		return ""
	}
	res := roleARN[i+len(":role/"):]
	return res[strings.LastIndexByte(res, '/')+1:]
}

// AssumedRoleARN is the ARN of a role session as AWS formats it: the role's
// name without its path (IAM User Guide, "IAM identifiers": assumed-role
// ARNs), arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION.
func AssumedRoleARN(roleARN, sessionName string) string {
	partition, account := "aws", ""
	if parts := strings.SplitN(roleARN, ":", 6); len(parts) == 6 {
		partition, account = parts[1], parts[4]
	}
	return "arn:" + partition + ":sts::" + account + ":assumed-role/" + RoleName(roleARN) + "/" + sessionName
}

// OpenSession returns the session of a principal resolved from temporary
// credentials, opening its token with ring; nil (and no error) for
// long-term credentials. For code that did not get the Session through the
// context (see WithSession). Errors mean the token is not valid now.
func OpenSession(ring *sessiontoken.Ring, p *identity.Principal, now time.Time) (*Session, error) {
	if p == nil || p.SessionToken == "" {
		return nil, nil
	}
	if ring == nil {
		return nil, sessiontoken.ErrUnknownKey
	}
	c, err := ring.Open(p.SessionToken, p.AccessKeyID, now)
	if err != nil {
		return nil, err
	}
	c.SecretAccessKey = ""
	return sessionFromClaims(c), nil
}
