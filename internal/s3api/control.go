package s3api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// S3 Control (the account-level API of S3) is signed with service name
// "s3" like S3 itself, so it arrives here. Its operations are paths under
// /v20180820/ carrying the account in x-amz-account-id; the SDKs send them
// to ACCOUNT.<endpoint> (S3 Control API Reference, PutPublicAccessBlock).
const (
	controlPrefix    = "/v20180820/"
	controlNamespace = "http://awss3control.amazonaws.com/doc/2018-08-20/"
	controlPABPath   = controlPrefix + "configuration/publicAccessBlock"
)

// isControlRequest reports whether r is an S3 Control request rather than
// S3 on a bucket named v20180820.
func isControlRequest(r *http.Request) bool {
	return r.Header.Get("x-amz-account-id") != "" && strings.HasPrefix(r.URL.EscapedPath(), controlPrefix)
}

// serveControl serves one S3 Control request.
func (a *API) serveControl(w http.ResponseWriter, r *http.Request, info *identity.Request) {
	r, rec := withDenials(r)
	err := a.control(w, r, info)
	if err != nil {
		err = rec.explain(err)
		e := awserr.From(err)
		if e.Code.Status >= 500 {
			a.log.Error("s3api: control request failed", "request_id", info.ID, "err", e)
		}
		awserr.WriteQuery(w, e, controlNamespace, info.ID)
	}
}

func (a *API) control(w http.ResponseWriter, r *http.Request, info *identity.Request) error {
	if r.URL.EscapedPath() != controlPABPath {
		return awserr.New(awserr.NotImplemented)
	}
	acct := r.Header.Get("x-amz-account-id")
	if !validAccountID(acct) {
		return awserr.New(awserr.InvalidRequest, "Account ID must be a 12-digit number").With("AccountId", acct)
	}
	action := map[string]string{
		http.MethodPut: "s3:PutAccountPublicAccessBlock", http.MethodGet: "s3:GetAccountPublicAccessBlock",
		http.MethodDelete: "s3:PutAccountPublicAccessBlock",
	}[r.Method]
	if action == "" {
		return awserr.New(awserr.MethodNotAllowed).With("Method", r.Method).With("ResourceType", "ACCOUNT")
	}
	if err := a.authorizeAccount(r.Context(), info, action, acct); err != nil {
		return err
	}
	ctx := r.Context()
	switch r.Method {
	case http.MethodPut:
		body, err := readBody(r, maxXMLBody)
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(string(body))) == 0 {
			return awserr.New(awserr.MissingRequestBodyError)
		}
		// The document is S3's in S3 Control's namespace.
		body = bytes.Replace(body, []byte(`xmlns="`+controlNamespace+`"`), []byte(`xmlns="`+s3acl.S3Namespace+`"`), 1)
		p, err := s3acl.ParsePublicAccessBlock(bytes.NewReader(body))
		if err != nil {
			return err
		}
		sp := store.PublicAccessBlock(p)
		if err := a.cache.putAccountPAB(ctx, acct, &sp); err != nil {
			return awserr.Internal(err)
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		p, err := a.cache.accountPAB(ctx, acct)
		if err != nil {
			return awserr.Internal(err)
		}
		if p == nil {
			return awserr.New(awserr.NoSuchPublicAccessBlockConfig).With("AccountId", acct)
		}
		body := strings.Replace(s3acl.PublicAccessBlockXML(s3acl.PublicAccessBlock(*p)), s3acl.S3Namespace, controlNamespace, 1)
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(body))
	case http.MethodDelete:
		if err := a.cache.deleteAccountPAB(ctx, acct); err != nil {
			return awserr.Internal(err)
		}
		w.WriteHeader(http.StatusOK)
	}
	return nil
}

// authorizeAccount authorizes an account-level action (resource "*") in
// account acct: only that account's principals can be allowed, as no
// resource policy exists to admit others.
func (a *API) authorizeAccount(ctx context.Context, info *identity.Request, action, acct string) error {
	p := info.Principal
	req := &authz.Request{Principal: p, Action: action, Resource: "*", ResourceAccount: acct, Info: info}
	d := a.az.Authorize(ctx, req)
	if d.Allowed && (p.IsAnonymous() || p.AccountID != acct) {
		d = authz.Decision{CrossAccount: true, Reason: "denied: only account " + acct + " may manage its account-level settings"}
	}
	recordDecision(ctx, req, &d)
	if d.Allowed {
		return nil
	}
	return deniedError(p, info, action, "*", &d)
}

func validAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
