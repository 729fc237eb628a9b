package iamapi

import (
	"errors"
	"strings"

	"github.com/crossbucket/crossbucket/internal/store"
)

// maxAttached is the default quota of managed policies attached to one
// user, group or role ("IAM and AWS STS quotas": 10, raisable to 20).
const maxAttached = 10

func init() {
	for _, k := range kinds {
		register(map[string]handler{
			"Attach" + k.title + "Policy":         attachPolicy(k),
			"Detach" + k.title + "Policy":         detachPolicy(k),
			"ListAttached" + k.title + "Policies": listAttached(k),
		})
	}
	register(map[string]handler{"ListEntitiesForPolicy": listEntitiesForPolicy})
}

// attachArgs validates PolicyArn and the entity, authorizing action with
// the iam:PolicyARN condition key.
func (c *call) attachArgs(k kindInfo, action string) (entity, policyARN string, err error) {
	var v validator
	policyARN = v.policyARN(c, "PolicyArn", "policyArn", true)
	param := k.title + "Name"
	name := v.name(c, param, lowerFirst(param), k.maxName, true)
	if err := v.err(); err != nil {
		return "", "", err
	}
	keys := map[string][]string{"iam:PolicyARN": {policyARN}}
	switch k.kind {
	case store.UserEntity:
		u, err := c.user(action, name, keys)
		if err != nil {
			return "", "", err
		}
		entity = u.Name
	case store.GroupEntity:
		g, err := c.group(action, name)
		if err != nil {
			return "", "", err
		}
		entity = g.Name
	default:
		r, err := c.role(action, name, keys)
		if err != nil {
			return "", "", err
		}
		entity = r.Name
	}
	return entity, policyARN, checkARN(policyARN)
}

func attachPolicy(k kindInfo) handler {
	return func(c *call) (any, error) {
		name, arn, err := c.attachArgs(k, "Attach"+k.title+"Policy")
		if err != nil {
			return nil, err
		}
		m, err := c.findPolicy(arn)
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, errNotAttachable(arn)
		}
		err = c.a.st.AttachPolicy(c.ctx, c.acct, k.kind, name, m.arn, maxAttached)
		switch {
		case errors.Is(err, store.ErrLimitExceeded):
			return nil, errQuota("PoliciesPer"+k.title, maxAttached)
		case errors.Is(err, store.ErrNotFound):
			return nil, errNotAttachable(arn)
		case err != nil:
			return nil, internal("attach policy", err)
		}
		return nil, nil
	}
}

func detachPolicy(k kindInfo) handler {
	return func(c *call) (any, error) {
		name, arn, err := c.attachArgs(k, "Detach"+k.title+"Policy")
		if err != nil {
			return nil, err
		}
		err = c.a.st.DetachPolicy(c.ctx, c.acct, k.kind, name, arn)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoPolicy(arn)
		case err != nil:
			return nil, internal("detach policy", err)
		}
		return nil, nil
	}
}

type listAttachedResult struct {
	AttachedPolicies members[xAttached]
	page
}

// policyNamePath splits a managed policy ARN into its name and path.
func policyNamePath(arn string) (name, path string) {
	_, path, name, ok := parseEntityARN(arn, "policy")
	if !ok {
		return arn, "/"
	}
	return name, path
}

func listAttached(k kindInfo) handler {
	return func(c *call) (any, error) {
		var v validator
		prefix := v.pathPrefix(c)
		p := v.paging(c)
		name, err := c.entity(k, "ListAttached"+k.title+"Policies", &v)
		if err != nil {
			return nil, err
		}
		arns, err := c.a.st.ListAttachedPolicies(c.ctx, c.acct, k.kind, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoEntity(k.kind, name)
		case err != nil:
			return nil, internal("list attached policies", err)
		}
		var all []xAttached
		for _, a := range arns {
			pn, pp := policyNamePath(a)
			if strings.HasPrefix(pp, prefix) {
				all = append(all, xAttached{PolicyName: pn, PolicyArn: a})
			}
		}
		items, pg := pageSlice(all, p, func(x xAttached) string { return x.PolicyArn })
		return listAttachedResult{AttachedPolicies: members[xAttached]{M: append([]xAttached{}, items...)}, page: pg}, nil
	}
}

type xPolicyGroup struct {
	GroupName string
	GroupId   string
}

type xPolicyUser struct {
	UserName string
	UserId   string
}

type xPolicyRole struct {
	RoleName string
	RoleId   string
}

type listEntitiesResult struct {
	PolicyGroups members[xPolicyGroup]
	PolicyUsers  members[xPolicyUser]
	PolicyRoles  members[xPolicyRole]
	page
}

func listEntitiesForPolicy(c *call) (any, error) {
	var v validator
	arn := v.policyARN(c, "PolicyArn", "policyArn", true)
	filter, hasFilter := c.param("EntityFilter")
	v.enum(filter, hasFilter, "entityFilter", false, "User", "Role", "Group", "LocalManagedPolicy", "AWSManagedPolicy")
	usage, hasUsage := c.param("PolicyUsageFilter")
	v.enum(usage, hasUsage, "policyUsageFilter", false, "PermissionsPolicy", "PermissionsBoundary")
	prefix := v.pathPrefix(c)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	m, err := c.managed("ListEntitiesForPolicy", arn)
	if err != nil {
		return nil, err
	}
	var es []store.PolicyEntity
	for _, boundary := range []bool{false, true} {
		if (boundary && usage == "PermissionsPolicy") || (!boundary && usage == "PermissionsBoundary") {
			continue
		}
		got, err := c.a.st.ListPolicyEntities(c.ctx, c.acct, m.arn, boundary)
		if err != nil {
			return nil, internal("list policy entities", err)
		}
		es = append(es, got...)
	}
	var keep []store.PolicyEntity
	seen := map[string]bool{}
	for _, e := range es {
		k := string(e.Kind) + "/" + e.ID
		if seen[k] || !strings.HasPrefix(e.Path, prefix) {
			continue
		}
		switch filter {
		case "User", "Role", "Group":
			if !strings.EqualFold(string(e.Kind), filter) {
				continue
			}
		case "LocalManagedPolicy":
			if m.aws != nil {
				continue
			}
		case "AWSManagedPolicy":
			if m.aws == nil {
				continue
			}
		}
		seen[k] = true
		keep = append(keep, e)
	}
	keep, pg := pageSlice(keep, p, func(e store.PolicyEntity) string { return string(e.Kind) + "/" + e.ID })
	res := listEntitiesResult{PolicyGroups: members[xPolicyGroup]{M: []xPolicyGroup{}},
		PolicyUsers: members[xPolicyUser]{M: []xPolicyUser{}}, PolicyRoles: members[xPolicyRole]{M: []xPolicyRole{}}, page: pg}
	for _, e := range keep {
		switch e.Kind {
		case store.UserEntity:
			res.PolicyUsers.M = append(res.PolicyUsers.M, xPolicyUser{e.Name, e.ID})
		case store.GroupEntity:
			res.PolicyGroups.M = append(res.PolicyGroups.M, xPolicyGroup{e.Name, e.ID})
		case store.RoleEntity:
			res.PolicyRoles.M = append(res.PolicyRoles.M, xPolicyRole{e.Name, e.ID})
		}
	}
	return res, nil
}
