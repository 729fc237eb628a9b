// Package ec2api is the EC2 Query API for emulated instances: RunInstances,
// DescribeInstances, TerminateInstances and the IAM instance profile
// association actions, in EC2's own dialect of the Query protocol (form
// parameters such as InstanceId.1 and Filter.1.Value.1 in; XML in the
// 2016-11-15 namespace with a lower-case requestId out; errors as
// <Response><Errors>…). An instance is an identity with a metadata
// endpoint (internal/imds), not a machine.
package ec2api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/imds"
	"github.com/crossbucket/crossbucket/internal/query"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Namespace is the XML namespace of EC2 responses.
const Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// Metadata opens and closes instances' metadata endpoints (imds.Manager).
type Metadata interface {
	Start(ctx context.Context, inst *store.Instance) (string, error)
	Stop(instanceID string) error
}

// Config configures the API.
type Config struct {
	Store store.EC2
	// IAM resolves instance profiles and their roles (store.IAM will do).
	IAM   imds.IAM
	Authz authz.Authorizer
	// Metadata, when set, is told about launched and terminated instances.
	Metadata Metadata
	Logger   *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// API serves the EC2 Query API.
type API struct {
	cfg Config
	log *slog.Logger
}

// New makes the API.
func New(cfg Config) *API {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Authz == nil {
		cfg.Authz = authz.OwnerOnly{}
	}
	return &API{cfg: cfg, log: cfg.Logger}
}

// call is one request being served.
type call struct {
	ctx     context.Context
	api     *API
	q       *query.Request
	info    *identity.Request
	who     *identity.Principal
	account string
	region  string
	reqID   string
	now     time.Time
}

type action func(c *call) (any, error)

var actions = map[string]action{
	"RunInstances":                           (*call).runInstances,
	"DescribeInstances":                      (*call).describeInstances,
	"TerminateInstances":                     (*call).terminateInstances,
	"AssociateIamInstanceProfile":            (*call).associateProfile,
	"DisassociateIamInstanceProfile":         (*call).disassociateProfile,
	"ReplaceIamInstanceProfileAssociation":   (*call).replaceProfile,
	"DescribeIamInstanceProfileAssociations": (*call).describeAssociations,
}

// ServeHTTP serves one EC2 request. The server's middleware has verified
// the signature and put the identity.Request in the context.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	info := identity.From(r.Context())
	reqID := ""
	if info != nil {
		reqID = info.ID
	}
	if reqID == "" {
		reqID = newUUID()
	}
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("ec2: panic", "request_id", reqID, "panic", p)
			WriteError(w, awserr.New(awserr.EC2InternalError), reqID)
		}
	}()
	res, err := a.serve(r, info, reqID)
	if err != nil {
		if e := awserr.From(err); e.Code.Status >= 500 {
			a.log.Error("ec2: request failed", "request_id", reqID, "err", e)
			err = awserr.New(awserr.EC2InternalError)
		}
		WriteError(w, err, reqID)
		return
	}
	writeResult(w, res)
}

func (a *API) serve(r *http.Request, info *identity.Request, reqID string) (any, error) {
	q, err := query.Parse(r)
	if err != nil {
		return nil, err
	}
	if info == nil || info.Principal.IsAnonymous() {
		return nil, awserr.New(awserr.EC2AuthFailure)
	}
	fn, ok := actions[q.Action]
	if !ok {
		return nil, errf(awserr.EC2InvalidAction, "The action %s is not valid for this web service.", q.Action)
	}
	region := info.Auth.Region
	if region == "" {
		return nil, awserr.New(awserr.EC2AuthFailure)
	}
	c := &call{ctx: r.Context(), api: a, q: q, info: info, who: info.Principal,
		account: info.Principal.AccountID, region: region, reqID: reqID, now: a.cfg.Now().UTC()}
	res, err := fn(c)
	if err != nil {
		return nil, err
	}
	setRequestID(res, reqID)
	return res, nil
}

// authorize asks the authorizer; a denial is UnauthorizedOperation.
func (c *call) authorize(action, resource, resourceAccount string, keys map[string][]string) error {
	d := c.api.cfg.Authz.Authorize(c.ctx, &authz.Request{
		Principal: c.who, Action: action, Resource: resource, ResourceAccount: resourceAccount,
		Context: keys, Info: c.info,
	})
	if !d.Allowed {
		return unauthorized(c.who.ARN, action, resource, &d)
	}
	return nil
}

// dryRun answers DryRunOperation when the request asked for a dry run
// (after authorization, as EC2 does).
func (c *call) dryRun() error {
	if c.q.Get("DryRun") == "true" {
		return awserr.New(awserr.EC2DryRunOperation)
	}
	return nil
}

// instanceARN is the ARN of an instance of the caller's account and region.
func (c *call) instanceARN(id string) string { return imds.InstanceARN(c.region, c.account, id) }

// newUUID returns a random version 4 UUID, as EC2 request ids are.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
