package stsapi

import (
	"strconv"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/sessiontoken"
)

// Limits of GetSessionToken (STS API Reference, GetSessionToken
// DurationSeconds): 900–129,600 seconds for IAM users, 43,200 by default;
// account roots are held to one hour, longer requests silently becoming
// one hour.
const (
	maxSessionTokenDuration     = 129600
	defaultSessionTokenDuration = 43200
	rootSessionMax              = 3600
)

// getSessionTokenResult is GetSessionTokenResult.
type getSessionTokenResult struct {
	Credentials      credentials
	SessionTokenSize int
}

func (a *API) getSessionToken(c *call) (*getSessionTokenResult, error) {
	// Only long-term credentials may call it (STS API Reference,
	// GetSessionToken; this is AWS's text).
	if c.p.SessionToken != "" || c.session != nil {
		return nil, awserr.New(awserr.AccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	var v violations
	n, ok, err := durationParam(c.q, &v, minDuration, maxSessionTokenDuration)
	if err != nil {
		return nil, err
	}
	q := c.q
	minTokenSize, err := minTokenSizeParam(q, &v)
	if err != nil {
		return nil, err
	}
	checkMFAParams(q.Has("SerialNumber"), q.Get("SerialNumber"), q.Has("TokenCode"), q.Get("TokenCode"), &v)
	if err := v.err(); err != nil {
		return nil, err
	}
	duration := defaultSessionTokenDuration
	if ok {
		duration = n
	}
	cl := &sessiontoken.Claims{AccountID: c.p.AccountID, CanonicalID: c.p.CanonicalID, IssuedAt: c.now}
	switch c.p.Kind {
	case identity.Root:
		cl.Kind = sessiontoken.RootSession
		duration = min(duration, rootSessionMax)
	case identity.User:
		cl.Kind = sessiontoken.UserSession
		cl.UserARN, cl.UserID, cl.UserName = c.p.ARN, c.p.UserID, c.p.UserName
		cl.IdentityTags = sortedTags(c.p.Tags)
	default:
		return nil, awserr.New(awserr.AccessDenied, "Cannot call GetSessionToken with session credentials")
	}
	mfa, err := a.verifyMFA(c)
	if err != nil {
		return nil, err
	}
	cl.MFA = mfa
	cl.Expires = c.now.Add(secondsDur(duration))
	creds, err := a.issue(cl, minTokenSize)
	if err != nil {
		return nil, err
	}
	a.log.Info("sts session issued", "request_id", c.info.ID, "principal", c.p.ARN,
		"access_key_id", cl.AccessKeyID, "expires", cl.Expires, "mfa", mfa)
	return &getSessionTokenResult{Credentials: *creds, SessionTokenSize: len(creds.SessionToken)}, nil
}

func secondsDur(n int) time.Duration { return time.Duration(n) * time.Second }

func itoa(n int) string { return strconv.Itoa(n) }
