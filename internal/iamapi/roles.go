package iamapi

import (
	"errors"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreateRole": createRole, "GetRole": getRole, "ListRoles": listRoles, "UpdateRole": updateRole,
		"DeleteRole": deleteRole, "UpdateAssumeRolePolicy": updateAssumeRolePolicy,
	})
}

const (
	maxRoleName = 64
	// MaxSessionDuration bounds (CreateRole: 3600 to 43200 seconds, default 3600).
	minSessionDuration     = 3600
	maxSessionDuration     = 43200
	defaultSessionDuration = 3600
)

// role looks up a role, authorizes action on it, then reports it missing.
func (c *call) role(action, name string, keys map[string][]string) (*store.IAMRole, error) {
	r, err := c.a.st.GetRole(c.ctx, c.acct, name)
	resource := entityARN(c.acct, "role", "/", name)
	switch {
	case err == nil:
		resource = entityARN(c.acct, "role", r.Path, r.Name)
	case !errors.Is(err, store.ErrNotFound):
		return nil, internal("get role", err)
	}
	if err := c.authorize(action, resource, keys); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errNoRole(name)
	}
	return r, nil
}

// trustDoc checks a role trust policy: its size quota, then its grammar.
func (c *call) trustDoc(doc string) error {
	if policy.Size(doc) > policy.MaxRoleTrustPolicySize {
		return errQuota("ACLSizePerRole", policy.MaxRoleTrustPolicySize)
	}
	return c.validateDoc(doc, policy.KindTrust, false)
}

func (v *validator) description(c *call) (string, bool) {
	s, ok := c.param("Description")
	v.str(s, ok, "description", false, 0, 1000, reDesc, patDesc)
	return s, ok
}

func (v *validator) sessionDuration(c *call) (int, bool) {
	n, ok, err := c.q.Int("MaxSessionDuration")
	if err != nil {
		s, _ := c.param("MaxSessionDuration")
		v.add(&s, "maxSessionDuration", "be a number")
		return 0, false
	}
	if ok {
		v.intRange(n, "maxSessionDuration", minSessionDuration, maxSessionDuration)
	}
	return n, ok
}

type roleResult struct {
	Role xRole
}

func createRole(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	path := v.path(c)
	doc := v.document(c, "AssumeRolePolicyDocument", "assumeRolePolicyDocument")
	desc, _ := v.description(c)
	dur, hasDur := v.sessionDuration(c)
	boundary := v.policyARN(c, "PermissionsBoundary", "permissionsBoundary", false)
	tags := v.tagsParam(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDuplicateTags(tags); err != nil {
		return nil, err
	}
	if !hasDur {
		dur = defaultSessionDuration
	}
	arn := entityARN(c.acct, "role", path, name)
	keys := tagContext(nil, tags)
	if boundary != "" {
		keys = withKey(keys, "iam:PermissionsBoundary", boundary)
	}
	if err := c.authorize("CreateRole", arn, keys); err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		if err := c.authorize("TagRole", arn, keys); err != nil {
			return nil, err
		}
	}
	if err := c.trustDoc(doc); err != nil {
		return nil, err
	}
	if boundary != "" {
		if err := c.boundaryParam(boundary); err != nil {
			return nil, err
		}
	}
	r := &store.IAMRole{AccountID: c.acct, Name: name, Path: path, ID: newID(prefixRole), CreatedAt: c.a.now(),
		AssumeRolePolicy: doc, Description: desc, MaxSessionDuration: dur, PermissionsBoundary: boundary, Tags: tags}
	if err := c.a.st.CreateRole(c.ctx, r); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errExists("Role", name)
		}
		return nil, internal("create role", err)
	}
	x := roleXML(r, true)
	x.RoleLastUsed = nil // CreateRole does not report it
	return roleResult{Role: x}, nil
}

func getRole(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	r, err := c.role("GetRole", name, nil)
	if err != nil {
		return nil, err
	}
	return roleResult{Role: roleXML(r, true)}, nil
}

type listRolesResult struct {
	Roles members[xRole]
	page
}

func listRoles(c *call) (any, error) {
	var v validator
	prefix := v.pathPrefix(c)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.authorize("ListRoles", "*", nil); err != nil {
		return nil, err
	}
	rs, err := c.a.st.ListRoles(c.ctx, c.acct, prefix, p.after, p.max+1)
	if err != nil {
		return nil, internal("list roles", err)
	}
	rs, pg := finish(rs, p, func(r *store.IAMRole) string { return lower(r.Name) })
	res := listRolesResult{Roles: members[xRole]{M: []xRole{}}, page: pg}
	for _, r := range rs {
		res.Roles.M = append(res.Roles.M, roleXML(r, false))
	}
	return res, nil
}

func updateRole(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	desc, hasDesc := v.description(c)
	dur, hasDur := v.sessionDuration(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.role("UpdateRole", name, nil); err != nil {
		return nil, err
	}
	return struct{}{}, c.updateRole(name, func(r *store.IAMRole) error {
		if hasDesc {
			r.Description = desc
		}
		if hasDur {
			r.MaxSessionDuration = dur
		}
		return nil
	})
}

func deleteRole(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.role("DeleteRole", name, nil); err != nil {
		return nil, err
	}
	err := c.a.st.DeleteRole(c.ctx, c.acct, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoRole(name)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete role", err)
	}
	return nil, nil
}

func updateAssumeRolePolicy(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	doc := v.document(c, "PolicyDocument", "policyDocument")
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.role("UpdateAssumeRolePolicy", name, nil); err != nil {
		return nil, err
	}
	if err := c.trustDoc(doc); err != nil {
		return nil, err
	}
	return nil, c.updateRole(name, func(r *store.IAMRole) error {
		r.AssumeRolePolicy = doc
		return nil
	})
}

// updateRole applies fn to a role, mapping store errors.
func (c *call) updateRole(name string, fn func(*store.IAMRole) error) error {
	_, err := c.a.st.UpdateRole(c.ctx, c.acct, name, fn)
	var ae *awserr.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, store.ErrNotFound):
		return errNoRole(name)
	}
	return internal("update role", err)
}
