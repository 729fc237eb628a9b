package iamapi

import (
	"errors"

	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreateInstanceProfile": createInstanceProfile, "GetInstanceProfile": getInstanceProfile,
		"ListInstanceProfiles": listInstanceProfiles, "DeleteInstanceProfile": deleteInstanceProfile,
		"AddRoleToInstanceProfile": addRoleToInstanceProfile, "RemoveRoleFromInstanceProfile": removeRoleFromInstanceProfile,
		"ListInstanceProfilesForRole": listInstanceProfilesForRole,
	})
}

const maxProfileName = 128

// profile looks up an instance profile, authorizes action on it, then
// reports it missing.
func (c *call) profile(action, name string) (*store.InstanceProfile, error) {
	p, err := c.a.st.GetInstanceProfile(c.ctx, c.acct, name)
	resource := entityARN(c.acct, "instance-profile", "/", name)
	switch {
	case err == nil:
		resource = entityARN(c.acct, "instance-profile", p.Path, p.Name)
	case !errors.Is(err, store.ErrNotFound):
		return nil, internal("get instance profile", err)
	}
	if err := c.authorize(action, resource, nil); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, errNoProfile(name)
	}
	return p, nil
}

func (c *call) profileXML(p *store.InstanceProfile, full bool) (xInstanceProfile, error) {
	x := xInstanceProfile{Path: p.Path, InstanceProfileName: p.Name, InstanceProfileId: p.ID,
		Arn: entityARN(p.AccountID, "instance-profile", p.Path, p.Name), CreateDate: isoTime(p.CreatedAt),
		Roles: members[xRole]{M: []xRole{}}}
	for _, rn := range p.Roles {
		r, err := c.a.st.GetRole(c.ctx, c.acct, rn)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return x, internal("get role", err)
		}
		x.Roles.M = append(x.Roles.M, roleXML(r, false))
	}
	if full {
		x.Tags = tagsXML(p.Tags, false)
	}
	return x, nil
}

type profileResult struct {
	InstanceProfile xInstanceProfile
}

func createInstanceProfile(c *call) (any, error) {
	var v validator
	name := v.name(c, "InstanceProfileName", "instanceProfileName", maxProfileName, true)
	path := v.path(c)
	tags := v.tagsParam(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDuplicateTags(tags); err != nil {
		return nil, err
	}
	arn := entityARN(c.acct, "instance-profile", path, name)
	if err := c.authorize("CreateInstanceProfile", arn, tagContext(nil, tags)); err != nil {
		return nil, err
	}
	p := &store.InstanceProfile{AccountID: c.acct, Name: name, Path: path, ID: newID(prefixInstanceProfile), CreatedAt: c.a.now(), Tags: tags}
	if err := c.a.st.CreateInstanceProfile(c.ctx, p); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errExists("instance profile", name)
		}
		return nil, internal("create instance profile", err)
	}
	x, err := c.profileXML(p, true)
	if err != nil {
		return nil, err
	}
	return profileResult{InstanceProfile: x}, nil
}

func getInstanceProfile(c *call) (any, error) {
	var v validator
	name := v.name(c, "InstanceProfileName", "instanceProfileName", maxProfileName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := c.profile("GetInstanceProfile", name)
	if err != nil {
		return nil, err
	}
	x, err := c.profileXML(p, true)
	if err != nil {
		return nil, err
	}
	return profileResult{InstanceProfile: x}, nil
}

type listProfilesResult struct {
	InstanceProfiles members[xInstanceProfile]
	page
}

func (c *call) profilesResult(ps []*store.InstanceProfile, pg page) (any, error) {
	res := listProfilesResult{InstanceProfiles: members[xInstanceProfile]{M: []xInstanceProfile{}}, page: pg}
	for _, p := range ps {
		x, err := c.profileXML(p, false)
		if err != nil {
			return nil, err
		}
		res.InstanceProfiles.M = append(res.InstanceProfiles.M, x)
	}
	return res, nil
}

func listInstanceProfiles(c *call) (any, error) {
	var v validator
	prefix := v.pathPrefix(c)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.authorize("ListInstanceProfiles", "*", nil); err != nil {
		return nil, err
	}
	ps, err := c.a.st.ListInstanceProfiles(c.ctx, c.acct, prefix, p.after, p.max+1)
	if err != nil {
		return nil, internal("list instance profiles", err)
	}
	ps, pg := finish(ps, p, func(p *store.InstanceProfile) string { return lower(p.Name) })
	return c.profilesResult(ps, pg)
}

func deleteInstanceProfile(c *call) (any, error) {
	var v validator
	name := v.name(c, "InstanceProfileName", "instanceProfileName", maxProfileName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.profile("DeleteInstanceProfile", name); err != nil {
		return nil, err
	}
	err := c.a.st.DeleteInstanceProfile(c.ctx, c.acct, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoProfile(name)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete instance profile", err)
	}
	return nil, nil
}

// profileRole validates InstanceProfileName and RoleName, authorizes action
// on the profile and checks that the role exists.
func (c *call) profileRole(action string) (profile string, role *store.IAMRole, err error) {
	var v validator
	profile = v.name(c, "InstanceProfileName", "instanceProfileName", maxProfileName, true)
	rname := v.name(c, "RoleName", "roleName", maxRoleName, true)
	if err := v.err(); err != nil {
		return "", nil, err
	}
	p, err := c.profile(action, profile)
	if err != nil {
		return "", nil, err
	}
	r, err := c.a.st.GetRole(c.ctx, c.acct, rname)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, errNoRole(rname)
	}
	if err != nil {
		return "", nil, internal("get role", err)
	}
	return p.Name, r, nil
}

func addRoleToInstanceProfile(c *call) (any, error) {
	profile, r, err := c.profileRole("AddRoleToInstanceProfile")
	if err != nil {
		return nil, err
	}
	// The caller must also be allowed to pass the role (AddRoleToInstanceProfile reference).
	if err := c.authorize("PassRole", entityARN(c.acct, "role", r.Path, r.Name),
		map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}); err != nil {
		return nil, err
	}
	err = c.a.st.AddRoleToInstanceProfile(c.ctx, c.acct, profile, r.Name)
	switch {
	case errors.Is(err, store.ErrLimitExceeded):
		return nil, errQuota("InstanceSessionsPerInstanceProfile", 1)
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoProfile(profile)
	case err != nil:
		return nil, internal("add role to instance profile", err)
	}
	return nil, nil
}

func removeRoleFromInstanceProfile(c *call) (any, error) {
	profile, r, err := c.profileRole("RemoveRoleFromInstanceProfile")
	if err != nil {
		return nil, err
	}
	err = c.a.st.RemoveRoleFromInstanceProfile(c.ctx, c.acct, profile, r.Name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoRole(r.Name)
	case err != nil:
		return nil, internal("remove role from instance profile", err)
	}
	return nil, nil
}

func listInstanceProfilesForRole(c *call) (any, error) {
	var v validator
	name := v.name(c, "RoleName", "roleName", maxRoleName, true)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	r, err := c.role("ListInstanceProfilesForRole", name, nil)
	if err != nil {
		return nil, err
	}
	ps, err := c.a.st.ListInstanceProfilesForRole(c.ctx, c.acct, r.Name)
	if err != nil {
		return nil, internal("list instance profiles for role", err)
	}
	ps, pg := pageSlice(ps, p, func(p *store.InstanceProfile) string { return lower(p.Name) })
	return c.profilesResult(ps, pg)
}
