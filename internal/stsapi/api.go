// Package stsapi serves the AWS Security Token Service Query API
// (version 2011-06-15): GetCallerIdentity, AssumeRole and GetSessionToken,
// as the STS API Reference specifies them. Credentials it issues are sealed
// session tokens (internal/sessiontoken) that internal/principals resolves
// on later requests without any database read.
package stsapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/accounts"
	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/principals"
	"github.com/crossbucket/crossbucket/internal/query"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Namespace is the XML namespace of STS responses.
const Namespace = "https://sts.amazonaws.com/doc/2011-06-15/"

// Role is an IAM role as STS needs it.
type Role struct {
	ARN       string // arn:aws:iam::ACCOUNT:role/PATH/NAME
	AccountID string
	RoleID    string // AROA…
	Name      string
	Path      string
	// TrustPolicy is the role's trust (assume-role) policy document.
	TrustPolicy string
	// MaxSessionDuration in seconds (3600–43200); 0 means 3600.
	MaxSessionDuration int
	Tags               map[string]string
}

// RoleSource finds roles (implemented by the IAM store).
type RoleSource interface {
	// RoleByARN returns the role with exactly this ARN (path included), or
	// an error wrapping store.ErrNotFound.
	RoleByARN(ctx context.Context, arn string) (*Role, error)
}

// AccountSource gives the canonical id of a role's account.
type AccountSource interface {
	GetAccount(ctx context.Context, id string) (*store.Account, error)
}

// MFAVerifier checks an MFA device code for the caller. Until IAM has MFA
// devices, a nil verifier makes every MFA attempt fail, as a wrong code
// does.
type MFAVerifier interface {
	VerifyMFA(ctx context.Context, p *identity.Principal, serialNumber, tokenCode string) error
}

// Config configures the API.
type Config struct {
	// Authz decides sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity
	// against the role's trust policy (authz.OwnerOnly{} when nil).
	Authz authz.Authorizer
	Roles RoleSource
	// Accounts gives the canonical id of a role's account (optional).
	Accounts AccountSource
	// Ring seals the credentials STS issues (required).
	Ring *sessiontoken.Ring
	// MFA verifies SerialNumber/TokenCode (optional).
	MFA    MFAVerifier
	Logger *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// API is the STS HTTP handler.
type API struct {
	cfg Config
	log *slog.Logger
}

// New returns the STS API.
func New(cfg Config) *API {
	if cfg.Authz == nil {
		cfg.Authz = authz.OwnerOnly{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &API{cfg: cfg, log: cfg.Logger}
}

// call is one STS request in progress.
type call struct {
	ctx     context.Context
	info    *identity.Request
	p       *identity.Principal
	session *principals.Session // nil for long-term credentials
	q       *query.Request
	now     time.Time
}

// ServeHTTP serves one STS request. The server wiring must have put the
// identity.Request (and, for temporary credentials, the principals.Session)
// in the request context.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := identity.From(r.Context())
	reqID := ""
	if info != nil {
		reqID = info.ID
	}
	result, action, err := a.serve(r, info)
	if err != nil {
		e := awserr.From(err)
		if e.Status() >= 500 {
			a.log.Error("sts request failed", "request_id", reqID, "action", action, "err", e)
		}
		awserr.WriteQuery(w, e, Namespace, reqID)
		return
	}
	query.WriteResult(w, action, Namespace, reqID, result)
}

func (a *API) serve(r *http.Request, info *identity.Request) (result any, action string, err error) {
	if info == nil || info.Principal.IsAnonymous() {
		// STS has no anonymous actions.
		return nil, "", awserr.New(awserr.MissingAuthenticationTok, "Request is missing Authentication Token")
	}
	q, err := query.Parse(r)
	if err != nil {
		return nil, "", err
	}
	c := &call{ctx: r.Context(), info: info, p: info.Principal, q: q, now: a.cfg.Now().UTC().Truncate(time.Second)}
	c.session = principals.SessionFrom(c.ctx)
	if c.session == nil && c.p.SessionToken != "" {
		// Wiring that did not pass the session: open the token again
		// rather than treat temporary credentials as long-term ones.
		s, err := principals.OpenSession(a.cfg.Ring, c.p, c.now)
		if err != nil {
			return nil, q.Action, awserr.New(awserr.InvalidClientTokenID)
		}
		c.session = s
	}
	switch q.Action {
	case "GetCallerIdentity":
		return a.getCallerIdentity(c), q.Action, nil
	case "AssumeRole":
		res, err := a.assumeRole(c)
		return res, q.Action, err
	case "GetSessionToken":
		res, err := a.getSessionToken(c)
		return res, q.Action, err
	}
	version := q.Version
	if version == "" {
		version = "null"
	}
	return nil, q.Action, awserr.Newf(awserr.InvalidAction, "Could not find operation %s for version %s", q.Action, version)
}

// getCallerIdentityResult is GetCallerIdentityResult.
type getCallerIdentityResult struct {
	Arn     string
	UserId  string
	Account string
}

// getCallerIdentity answers for any valid credentials; no policy can deny
// it (STS API Reference, GetCallerIdentity).
func (a *API) getCallerIdentity(c *call) *getCallerIdentityResult {
	return &getCallerIdentityResult{Arn: c.p.ARN, UserId: c.p.UserID, Account: c.p.AccountID}
}

// credentials is the Credentials element.
type credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

// issue makes a new ASIA… key pair, seals claims for it (padding the token
// to minTokenLen bytes) and returns the Credentials element.
func (a *API) issue(cl *sessiontoken.Claims, minTokenLen int) (*credentials, error) {
	if a.cfg.Ring == nil {
		return nil, awserr.Internal(errors.New("stsapi: no key ring configured"))
	}
	cl.AccessKeyID = accounts.NewAccessKeyID("ASIA")
	cl.SecretAccessKey = accounts.NewSecret()
	tok, err := a.cfg.Ring.SealMin(cl, minTokenLen)
	if err != nil {
		return nil, awserr.Internal(err)
	}
	return &credentials{
		AccessKeyId:     cl.AccessKeyID,
		SecretAccessKey: cl.SecretAccessKey,
		SessionToken:    tok,
		Expiration:      cl.Expires.UTC().Format("2006-01-02T15:04:05Z"),
	}, nil
}

// accessDenied is AWS's refusal text for an action on a resource.
func accessDenied(p *identity.Principal, action, resource string) error {
	return awserr.Newf(awserr.AccessDenied, "User: %s is not authorized to perform: %s on resource: %s", p.ARN, action, resource)
}

// verifyMFA checks SerialNumber and TokenCode when either is given,
// reporting whether MFA was verified. A failed check is AWS's AccessDenied
// "MultiFactorAuthentication failed with invalid MFA one time pass code.".
func (a *API) verifyMFA(c *call) (bool, error) {
	serial, code := c.q.Get("SerialNumber"), c.q.Get("TokenCode")
	if serial == "" && code == "" {
		return false, nil
	}
	fail := awserr.New(awserr.AccessDenied, "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	if serial == "" || code == "" || a.cfg.MFA == nil {
		return false, fail
	}
	if err := a.cfg.MFA.VerifyMFA(c.ctx, c.p, serial, code); err != nil {
		a.log.Debug("mfa verification failed", "request_id", c.info.ID, "principal", c.p.ARN, "err", err)
		return false, fail
	}
	return true, nil
}

// minTokenSizeParam reads MinimumSessionTokenSize (0–4,096 bytes: the
// session token is padded to at least that size).
func minTokenSizeParam(q *query.Request, v *violations) (int, error) {
	n, ok, err := q.Int("MinimumSessionTokenSize")
	if err != nil || !ok {
		return 0, err
	}
	v.intRange(n, "minimumSessionTokenSize", 0, sessiontoken.MaxMinTokenLen)
	return n, nil
}

// durationParam reads DurationSeconds; ok is false when absent.
func durationParam(q *query.Request, v *violations, minV, maxV int) (n int, ok bool, err error) {
	n, ok, err = q.Int("DurationSeconds")
	if err != nil {
		return 0, false, err
	}
	if ok {
		v.intRange(n, "durationSeconds", minV, maxV)
	}
	return n, ok, nil
}
