package s3api

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/s3acl"
	"github.com/crossbucket/crossbucket/internal/store"
)

// Bucket policy and Block Public Access handlers (S3 API Reference:
// PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy,
// GetBucketPolicyStatus, PutPublicAccessBlock, GetPublicAccessBlock,
// DeletePublicAccessBlock).

// maxPolicyBody bounds the PutBucketPolicy body read into memory; the
// policy itself is limited to policy.MaxBucketPolicySize.
const maxPolicyBody = 1 << 20

// policyBucket loads the bucket of a Get/Put/DeleteBucketPolicy request
// and applies the lockout rule of those three actions (PutBucketPolicy API
// reference): the root user of the bucket owner's account may always use
// them, whatever the bucket policy says (only VPC endpoint policies and
// organization policies can stop it); principals of other accounts never
// can — 403 without the permission, 405 Method Not Allowed with it; IAM
// principals of the owner's account are evaluated as usual.
func (a *API) policyBucket(rq *request) (*store.Bucket, error) {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return nil, err
	}
	p := rq.info.Principal
	owner := !p.IsAnonymous() && p.AccountID == b.AccountID
	check := b
	if owner && p.Kind == identity.Root {
		nb := copyBucket(b)
		nb.Policy = ""
		check = nb
	}
	if err := a.authorize(rq, rq.op.action, check, "", nil, nil); err != nil {
		return nil, err
	}
	if !owner {
		return nil, awserr.New(awserr.MethodNotAllowed).With("Method", rq.r.Method).With("ResourceType", "BUCKET")
	}
	return b, nil
}

// putBucketPolicy is PutBucketPolicy: 204 on success.
func (a *API) putBucketPolicy(w http.ResponseWriter, rq *request) error {
	b, err := a.policyBucket(rq)
	if err != nil {
		return err
	}
	body, err := readBody(rq.r, maxPolicyBody)
	if err != nil {
		if awserr.Is(err, awserr.MaxMessageLengthExceeded) {
			return errPolicyTooLarge()
		}
		return err
	}
	if len(body) == 0 {
		return awserr.New(awserr.MissingRequestBodyError)
	}
	doc := string(body)
	// S3 counts the policy without insignificant white space.
	var compact bytes.Buffer
	if json.Compact(&compact, body) == nil && compact.Len() > policy.MaxBucketPolicySize {
		return errPolicyTooLarge()
	}
	ctx := rq.ctx()
	p, err := policy.Parse(doc, policy.KindResource, &policy.Options{
		Bucket:          b.Name,
		PrincipalExists: func(arn string) bool { return a.iamPrincipalExists(ctx, arn) },
	})
	if err != nil {
		var ve *policy.ValidationError
		if errors.As(err, &ve) {
			return awserr.New(awserr.MalformedPolicy, ve.Message)
		}
		return awserr.Internal(err)
	}
	if !a.accountPrincipalsExist(ctx, body) {
		return awserr.New(awserr.MalformedPolicy, "Invalid principal in policy")
	}
	if policy.IsPublic(p) {
		pab, err := a.effectivePAB(ctx, b)
		if err != nil {
			return awserr.Internal(err)
		}
		if pab != nil && pab.BlockPublicPolicy {
			// "Blocking public access to your Amazon S3 storage":
			// BlockPublicPolicy rejects a public policy with 403.
			return awserr.New(awserr.AccessDenied)
		}
	}
	if _, err := a.st.UpdateBucket(ctx, b.Name, func(nb *store.Bucket) error {
		nb.Policy = doc
		return nil
	}); err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func errPolicyTooLarge() *awserr.Error {
	return awserr.New(awserr.MalformedPolicy, "Policy exceeds the maximum allowed document size.")
}

// getBucketPolicy is GetBucketPolicy: the document as it was stored.
func (a *API) getBucketPolicy(w http.ResponseWriter, rq *request) error {
	b, err := a.policyBucket(rq)
	if err != nil {
		return err
	}
	if b.Policy == "" {
		return awserr.New(awserr.NoSuchBucketPolicy).With("BucketName", b.Name)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b.Policy)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.Policy))
	return nil
}

// deleteBucketPolicy is DeleteBucketPolicy: 204, also when there is none.
func (a *API) deleteBucketPolicy(w http.ResponseWriter, rq *request) error {
	b, err := a.policyBucket(rq)
	if err != nil {
		return err
	}
	if _, err := a.st.UpdateBucket(rq.ctx(), b.Name, func(nb *store.Bucket) error {
		nb.Policy = ""
		return nil
	}); err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type policyStatusXML struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	NS       string   `xml:"xmlns,attr"`
	IsPublic bool     `xml:"IsPublic"`
}

// getBucketPolicyStatus is GetBucketPolicyStatus: whether the bucket
// policy is public ("The meaning of public"); NoSuchBucketPolicy when none.
func (a *API) getBucketPolicyStatus(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	if b.Policy == "" {
		return awserr.New(awserr.NoSuchBucketPolicy).With("BucketName", b.Name)
	}
	p, err := policy.Parse(b.Policy, policy.KindResource, nil)
	if err != nil {
		return awserr.Internal(err)
	}
	return writeXML(w, http.StatusOK, policyStatusXML{NS: s3NS, IsPublic: policy.IsPublic(p)})
}

// putPublicAccessBlock is PutPublicAccessBlock (bucket level): 200.
func (a *API) putPublicAccessBlock(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	body, err := readBody(rq.r, maxXMLBody)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return awserr.New(awserr.MissingRequestBodyError)
	}
	cfg, err := s3acl.ParsePublicAccessBlock(bytes.NewReader(body))
	if err != nil {
		return err
	}
	sp := store.PublicAccessBlock(cfg)
	if _, err := a.st.UpdateBucket(rq.ctx(), b.Name, func(nb *store.Bucket) error {
		nb.PublicAccessBlock = &sp
		return nil
	}); err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// getPublicAccessBlock is GetPublicAccessBlock (bucket level).
func (a *API) getPublicAccessBlock(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	if b.PublicAccessBlock == nil {
		return awserr.New(awserr.NoSuchPublicAccessBlockConfig).With("BucketName", b.Name)
	}
	body := s3acl.PublicAccessBlockXML(s3acl.PublicAccessBlock(*b.PublicAccessBlock))
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
	return nil
}

// deletePublicAccessBlock is DeletePublicAccessBlock (bucket level): 204.
func (a *API) deletePublicAccessBlock(w http.ResponseWriter, rq *request) error {
	b, err := a.bucketFor(rq, rq.bucket)
	if err != nil {
		return err
	}
	if err := a.authorize(rq, rq.op.action, b, "", nil, nil); err != nil {
		return err
	}
	if _, err := a.st.UpdateBucket(rq.ctx(), b.Name, func(nb *store.Bucket) error {
		nb.PublicAccessBlock = nil
		return nil
	}); err != nil {
		return storeErr(err, b.Name, "", "")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// effectivePAB is the bucket's Block Public Access setting OR'ed with its
// owner account's ("the most restrictive combination"); nil when neither
// is set.
func (a *API) effectivePAB(ctx context.Context, b *store.Bucket) (*store.PublicAccessBlock, error) {
	acct, err := a.accountPAB(ctx, b.AccountID)
	if err != nil {
		return nil, err
	}
	switch {
	case b.PublicAccessBlock == nil:
		return acct, nil
	case acct == nil:
		return b.PublicAccessBlock, nil
	}
	p := store.PublicAccessBlock(s3acl.PublicAccessBlock(*b.PublicAccessBlock).Or(s3acl.PublicAccessBlock(*acct)))
	return &p, nil
}

// accountPAB is an account's Block Public Access setting (nil when none),
// cached. ACL handlers use it for BlockPublicAcls at the account level.
func (a *API) accountPAB(ctx context.Context, accountID string) (*store.PublicAccessBlock, error) {
	if a.cache == nil {
		return nil, nil
	}
	return a.cache.accountPAB(ctx, accountID)
}

// iamPrincipalExists reports whether the IAM user or role ARN names an
// existing one (policy.Options.PrincipalExists).
func (a *API) iamPrincipalExists(ctx context.Context, arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" {
		return false
	}
	acct, res := parts[4], parts[5]
	name := res[strings.LastIndexByte(res, '/')+1:]
	var err error
	switch {
	case strings.HasPrefix(res, "user/"):
		_, err = a.st.GetUser(ctx, acct, name)
	case strings.HasPrefix(res, "role/"):
		_, err = a.st.GetRole(ctx, acct, name)
	default:
		return false
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		a.log.Warn("s3api: principal lookup failed", "err", err)
	}
	return err == nil
}

// accountPrincipalsExist checks the accounts a policy names as principals
// ("123456789012" or "arn:aws:iam::123456789012:root") exist; S3 rejects
// a policy naming an unknown one as an invalid principal.
func (a *API) accountPrincipalsExist(ctx context.Context, doc []byte) bool {
	var raw struct {
		Statement json.RawMessage
	}
	if json.Unmarshal(doc, &raw) != nil {
		return true // Parse already judged the document
	}
	var stmts []map[string]json.RawMessage
	if json.Unmarshal(raw.Statement, &stmts) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(raw.Statement, &one) != nil {
			return true
		}
		stmts = []map[string]json.RawMessage{one}
	}
	for _, s := range stmts {
		for _, key := range []string{"Principal", "NotPrincipal"} {
			var pr map[string]json.RawMessage
			if json.Unmarshal(s[key], &pr) != nil {
				continue
			}
			for _, id := range awsPrincipalAccounts(pr["AWS"]) {
				if _, err := a.st.GetAccount(ctx, id); err != nil {
					return false
				}
			}
		}
	}
	return true
}

// awsPrincipalAccounts returns the account ids of account principals in
// an "AWS" principal value (a string or a list of strings).
func awsPrincipalAccounts(v json.RawMessage) []string {
	var list []string
	if json.Unmarshal(v, &list) != nil {
		var one string
		if json.Unmarshal(v, &one) != nil {
			return nil
		}
		list = []string{one}
	}
	var out []string
	for _, s := range list {
		if validAccountID(s) {
			out = append(out, s)
		} else if id, ok := strings.CutPrefix(s, "arn:aws:iam::"); ok {
			if id, ok = strings.CutSuffix(id, ":root"); ok && validAccountID(id) {
				out = append(out, id)
			}
		}
	}
	return out
}
