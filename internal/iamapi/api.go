// Package iamapi serves the AWS IAM Query API (users, groups, roles, inline
// and managed policies, permissions boundaries, instance profiles, access
// keys) for many accounts, as the IAM API Reference specifies it: the same
// parameters, XML shapes, defaults, limits, error codes and messages.
//
// Every caller acts in its own account: entities are named by name within
// the caller's account, and ARNs naming another account's entities are
// treated as not found. Every action is authorized through authz before it
// acts, with the resource ARN the Service Authorization Reference ("Actions,
// resources, and condition keys for AWS Identity and Access Management")
// gives for it.
package iamapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/query"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Namespace is the XML namespace of IAM responses.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// APIVersion is the only IAM API version.
const APIVersion = "2010-05-08"

// Store is what the IAM API keeps its state in.
type Store interface {
	store.IAM
	store.Accounts
}

// Config configures an API.
type Config struct {
	Store  Store
	Authz  authz.Authorizer // authz.OwnerOnly{} when nil
	Logger *slog.Logger     // slog.Default() when nil
	Now    func() time.Time // time.Now when nil
	// OnKeyChange, when set, is called with the id of an access key that
	// was deactivated or deleted, so that caches of keys can forget it.
	OnKeyChange func(accessKeyID string)
}

// API serves IAM requests. It is safe for concurrent use.
type API struct {
	st    Store
	authz authz.Authorizer
	log   *slog.Logger
	now   func() time.Time
	onKey func(string)
}

// New returns an API.
func New(cfg Config) *API {
	a := &API{st: cfg.Store, authz: cfg.Authz, log: cfg.Logger, now: cfg.Now, onKey: cfg.OnKeyChange}
	if a.authz == nil {
		a.authz = authz.OwnerOnly{}
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.now == nil {
		a.now = time.Now
	}
	return a
}

// call is one request being served.
type call struct {
	a    *API
	ctx  context.Context
	q    *query.Request
	info *identity.Request
	p    *identity.Principal
	acct string // the caller's account: every entity named lives here
}

type handler func(c *call) (any, error)

// ServeHTTP serves one IAM Query request. The server has verified its
// signature and put the request info (with the principal) in the context.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := identity.From(r.Context())
	reqID := ""
	if info != nil {
		reqID = info.ID
	}
	if info == nil || info.Principal.IsAnonymous() || info.Principal.AccountID == "" {
		// IAM has no anonymous access.
		awserr.WriteQuery(w, awserr.New(awserr.MissingAuthenticationTok, "Request is missing Authentication Token"), Namespace, reqID)
		return
	}
	q, err := query.Parse(r)
	if err != nil {
		awserr.WriteQuery(w, err, Namespace, reqID)
		return
	}
	h, ok := handlers[q.Action]
	if !ok || (q.Version != "" && q.Version != APIVersion) {
		awserr.WriteQuery(w, awserr.Newf(awserr.InvalidAction, "Could not find operation %s for version %s", q.Action, q.Version), Namespace, reqID)
		return
	}
	c := &call{a: a, ctx: r.Context(), q: q, info: info, p: info.Principal, acct: info.Principal.AccountID}
	res, err := h(c)
	if err != nil {
		e := awserr.From(err)
		if e.Code == awserr.InternalError {
			// IAM reports its internal failures as ServiceFailure.
			e = &awserr.Error{Code: awserr.ServiceFailure, Cause: e.Cause}
		}
		if e.Code.Status >= 500 {
			a.log.Error("iam request failed", "request_id", reqID, "action", q.Action, "err", e)
		}
		awserr.WriteQuery(w, e, Namespace, reqID)
		return
	}
	query.WriteResult(w, q.Action, Namespace, reqID, res)
}

// authorize asks the authorizer whether the caller may perform iam:action
// on resource, failing closed with IAM's AccessDenied.
func (c *call) authorize(action, resource string, keys map[string][]string) error {
	full := "iam:" + action
	d := c.a.authz.Authorize(c.ctx, &authz.Request{
		Principal: c.p, Action: full, Resource: resource,
		ResourceAccount: c.acct, Context: keys, Info: c.info,
	})
	if d.Allowed {
		return nil
	}
	c.a.log.Debug("iam request denied", "request_id", c.info.ID, "reason", d.Reason)
	return awserr.Newf(awserr.AccessDenied, "User: %s is not authorized to perform: %s on resource: %s", c.p.ARN, full, resource)
}

// handlers maps each action to its handler.
var handlers = map[string]handler{}

func register(m map[string]handler) {
	for k, v := range m {
		handlers[k] = v
	}
}
