package iamapi

import (
	"errors"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/iamapi/awspolicies"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreatePolicy": createPolicy, "GetPolicy": getPolicy, "ListPolicies": listPolicies, "DeletePolicy": deletePolicy,
		"CreatePolicyVersion": createPolicyVersion, "GetPolicyVersion": getPolicyVersion,
		"ListPolicyVersions": listPolicyVersions, "DeletePolicyVersion": deletePolicyVersion,
		"SetDefaultPolicyVersion": setDefaultPolicyVersion,
	})
}

// maxVersions is the number of versions a managed policy may have
// ("Versioning IAM policies": up to five).
const maxVersions = 5

// managed validates an ARN, resolves the managed policy, authorizes action
// on it and only then reports it missing.
func (c *call) managed(action, policyARN string) (*mpolicy, error) {
	if err := checkARN(policyARN); err != nil {
		return nil, err
	}
	m, err := c.findPolicy(policyARN)
	if err != nil {
		return nil, err
	}
	if err := c.authorize(action, policyARN, nil); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errNoPolicy(policyARN)
	}
	return m, nil
}

// localOnly refuses changes to AWS managed policies, which no account may
// modify.
func (c *call) localOnly(m *mpolicy, action string) error {
	if m.aws != nil {
		return awserr.Newf(awserr.AccessDenied, "User: %s is not authorized to perform: iam:%s on resource: policy %s", c.p.ARN, action, m.arn)
	}
	return nil
}

// managedDoc checks a managed policy document: size quota, then grammar.
func (c *call) managedDoc(doc string) error {
	if policy.Size(doc) > policy.MaxManagedPolicySize {
		return errQuota("PolicySize", policy.MaxManagedPolicySize)
	}
	return c.validateDoc(doc, policy.KindIdentity, true)
}

func (v *validator) boolParam(c *call, param, member string) bool {
	s, ok := c.param(param)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true":
		return true
	case "false":
		return false
	}
	v.add(&s, member, "be a boolean")
	return false
}

type policyResult struct {
	Policy xPolicy
}

func createPolicy(c *call) (any, error) {
	var v validator
	name := v.policyName(c)
	path := v.path(c)
	doc := v.document(c, "PolicyDocument", "policyDocument")
	desc, _ := v.description(c)
	tags := v.tagsParam(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDuplicateTags(tags); err != nil {
		return nil, err
	}
	arn := entityARN(c.acct, "policy", path, name)
	keys := tagContext(nil, tags)
	if err := c.authorize("CreatePolicy", arn, keys); err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		if err := c.authorize("TagPolicy", arn, keys); err != nil {
			return nil, err
		}
	}
	if err := c.managedDoc(doc); err != nil {
		return nil, err
	}
	now := c.a.now()
	p := &store.ManagedPolicy{AccountID: c.acct, Name: name, Path: path, ID: newID(prefixPolicy), Description: desc,
		CreatedAt: now, UpdatedAt: now, Tags: tags}
	if err := c.a.st.CreatePolicy(c.ctx, p, doc); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errExists("policy", name)
		}
		return nil, internal("create policy", err)
	}
	x, err := c.policyXML(&mpolicy{arn: arn, local: p}, true)
	if err != nil {
		return nil, err
	}
	x.Description = "" // CreatePolicy does not echo the description
	return policyResult{Policy: x}, nil
}

func getPolicy(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("GetPolicy", arn)
	if err != nil {
		return nil, err
	}
	x, err := c.policyXML(m, true)
	if err != nil {
		return nil, err
	}
	return policyResult{Policy: x}, nil
}

type listPoliciesResult struct {
	Policies members[xPolicy]
	page
}

// ListPolicies lists AWS managed policies first, then the account's own;
// marker keys are "0"+name for AWS managed ones and "1"+name for local ones.
func listPolicies(c *call) (any, error) {
	var v validator
	prefix := v.pathPrefix(c)
	scope, hasScope := c.param("Scope")
	v.enum(scope, hasScope, "scope", false, "All", "AWS", "Local")
	onlyAttached := v.boolParam(c, "OnlyAttached", "onlyAttached")
	usage, hasUsage := c.param("PolicyUsageFilter")
	v.enum(usage, hasUsage, "policyUsageFilter", false, "PermissionsPolicy", "PermissionsBoundary")
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if !hasScope {
		scope = "All"
	}
	if err := c.authorize("ListPolicies", "*", nil); err != nil {
		return nil, err
	}
	type item struct {
		key string
		x   xPolicy
	}
	var items []item
	if scope != "Local" && (p.after == "" || p.after[0] == '0') {
		for _, ap := range awspolicies.All() {
			key := "0" + lower(ap.Name)
			if key <= p.after || !strings.HasPrefix(ap.Path, prefix) {
				continue
			}
			x, err := c.policyXML(&mpolicy{arn: ap.ARN, aws: ap}, false)
			if err != nil {
				return nil, err
			}
			if onlyAttached && !used(x, usage) {
				continue
			}
			items = append(items, item{key, x})
			if len(items) > p.max {
				break
			}
		}
	}
	if scope != "AWS" && len(items) <= p.max {
		after := ""
		if p.after != "" && p.after[0] == '1' {
			after = p.after[1:]
		} else if p.after != "" && p.after[0] != '0' {
			after = p.after
		}
		// Boundary use is filtered here, not in the store, so that filter
		// reads every local policy rather than a page that filtering shrinks.
		limit := p.max + 1 - len(items)
		if onlyAttached && usage == "PermissionsBoundary" {
			limit = 0
		}
		ps, err := c.a.st.ListPolicies(c.ctx, c.acct, prefix, after, onlyAttached && usage != "PermissionsBoundary", limit)
		if err != nil {
			return nil, internal("list policies", err)
		}
		for _, lp := range ps {
			x, err := c.policyXML(&mpolicy{arn: entityARN(c.acct, "policy", lp.Path, lp.Name), local: lp}, false)
			if err != nil {
				return nil, err
			}
			if onlyAttached && !used(x, usage) {
				continue
			}
			items = append(items, item{"1" + lower(lp.Name), x})
		}
	}
	items, pg := finish(items, p, func(i item) string { return i.key })
	res := listPoliciesResult{Policies: members[xPolicy]{M: []xPolicy{}}, page: pg}
	for _, i := range items {
		res.Policies.M = append(res.Policies.M, i.x)
	}
	return res, nil
}

// used applies OnlyAttached with the PolicyUsageFilter: attached to a user,
// group or role, or with PermissionsBoundary, used as a boundary.
func used(x xPolicy, usage string) bool {
	if usage == "PermissionsBoundary" {
		return x.PermissionsBoundaryUsageCount > 0
	}
	return x.AttachmentCount > 0
}

func deletePolicy(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("DeletePolicy", arn)
	if err != nil {
		return nil, err
	}
	if err := c.localOnly(m, "DeletePolicy"); err != nil {
		return nil, err
	}
	err = c.a.st.DeletePolicy(c.ctx, c.acct, m.local.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoPolicy(arn)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete policy", err)
	}
	return nil, nil
}

type policyVersionResult struct {
	PolicyVersion xPolicyVersion
}

func versionXML(pv *store.PolicyVersion, withDoc bool) xPolicyVersion {
	x := xPolicyVersion{VersionId: pv.VersionID, IsDefaultVersion: pv.IsDefault, CreateDate: isoTime(pv.CreatedAt)}
	if withDoc {
		x.Document = encodeDoc(pv.Document)
	}
	return x
}

func createPolicyVersion(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	doc := v.document(c, "PolicyDocument", "policyDocument")
	setDefault := v.boolParam(c, "SetAsDefault", "setAsDefault")
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("CreatePolicyVersion", arn)
	if err != nil {
		return nil, err
	}
	if err := c.localOnly(m, "CreatePolicyVersion"); err != nil {
		return nil, err
	}
	if err := c.managedDoc(doc); err != nil {
		return nil, err
	}
	pv, err := c.a.st.CreatePolicyVersion(c.ctx, c.acct, m.local.Name, doc, setDefault, maxVersions, c.a.now())
	switch {
	case errors.Is(err, store.ErrLimitExceeded):
		return nil, awserr.Newf(awserr.LimitExceeded, "A managed policy can have up to %d versions. Before you create a new version, you must delete an existing version.", maxVersions)
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoPolicy(arn)
	case err != nil:
		return nil, internal("create policy version", err)
	}
	return policyVersionResult{PolicyVersion: versionXML(pv, false)}, nil
}

func (v *validator) versionID(c *call) string {
	s, ok := c.param("VersionId")
	v.str(s, ok, "versionId", true, 0, 0, reVersionID, patVersionID)
	return s
}

// version returns a version of a managed policy (AWS managed policies have
// their default version only).
func (c *call) version(m *mpolicy, vid string) (*store.PolicyVersion, error) {
	if m.aws != nil {
		if vid != m.aws.Version {
			return nil, errNoVersion(m.arn, vid)
		}
		return &store.PolicyVersion{VersionID: vid, Document: m.aws.Document, IsDefault: true, CreatedAt: m.aws.Updated}, nil
	}
	pv, err := c.a.st.GetPolicyVersion(c.ctx, c.acct, m.local.Name, vid)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoVersion(m.arn, vid)
	case err != nil:
		return nil, internal("get policy version", err)
	}
	return pv, nil
}

func getPolicyVersion(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	vid := v.versionID(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("GetPolicyVersion", arn)
	if err != nil {
		return nil, err
	}
	pv, err := c.version(m, vid)
	if err != nil {
		return nil, err
	}
	return policyVersionResult{PolicyVersion: versionXML(pv, true)}, nil
}

type listPolicyVersionsResult struct {
	Versions members[xPolicyVersion]
	page
}

func listPolicyVersions(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("ListPolicyVersions", arn)
	if err != nil {
		return nil, err
	}
	var vs []*store.PolicyVersion
	if m.aws != nil {
		pv, _ := c.version(m, m.aws.Version)
		vs = []*store.PolicyVersion{pv}
	} else if vs, err = c.a.st.ListPolicyVersions(c.ctx, c.acct, m.local.Name); err != nil {
		return nil, internal("list policy versions", err)
	}
	vs, pg := pageSlice(vs, p, func(pv *store.PolicyVersion) string { return pv.VersionID })
	res := listPolicyVersionsResult{Versions: members[xPolicyVersion]{M: []xPolicyVersion{}}, page: pg}
	for _, pv := range vs {
		res.Versions.M = append(res.Versions.M, versionXML(pv, false))
	}
	return res, nil
}

func deletePolicyVersion(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	vid := v.versionID(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("DeletePolicyVersion", arn)
	if err != nil {
		return nil, err
	}
	if err := c.localOnly(m, "DeletePolicyVersion"); err != nil {
		return nil, err
	}
	err = c.a.st.DeletePolicyVersion(c.ctx, c.acct, m.local.Name, vid)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoVersion(arn, vid)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete policy version", err)
	}
	return nil, nil
}

func setDefaultPolicyVersion(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	vid := v.versionID(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("SetDefaultPolicyVersion", arn)
	if err != nil {
		return nil, err
	}
	if err := c.localOnly(m, "SetDefaultPolicyVersion"); err != nil {
		return nil, err
	}
	err = c.a.st.SetDefaultPolicyVersion(c.ctx, c.acct, m.local.Name, vid, c.a.now())
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoVersion(arn, vid)
	case err != nil:
		return nil, internal("set default policy version", err)
	}
	return nil, nil
}
