package iamapi

import (
	"errors"

	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreateGroup": createGroup, "GetGroup": getGroup, "ListGroups": listGroups, "DeleteGroup": deleteGroup,
		"AddUserToGroup": addUserToGroup, "RemoveUserFromGroup": removeUserFromGroup,
		"ListGroupsForUser": listGroupsForUser,
	})
}

const (
	maxGroupName = 128
	// maxGroupsPerUser: "IAM and AWS STS quotas", groups an IAM user can be a member of.
	maxGroupsPerUser = 10
)

// group looks up a group, authorizes action on it, then reports it missing.
func (c *call) group(action, name string) (*store.IAMGroup, error) {
	g, err := c.a.st.GetGroup(c.ctx, c.acct, name)
	resource := entityARN(c.acct, "group", "/", name)
	switch {
	case err == nil:
		resource = entityARN(c.acct, "group", g.Path, g.Name)
	case !errors.Is(err, store.ErrNotFound):
		return nil, internal("get group", err)
	}
	if err := c.authorize(action, resource, nil); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errNoGroup(name)
	}
	return g, nil
}

type groupResult struct {
	Group xGroup
}

func createGroup(c *call) (any, error) {
	var v validator
	name := v.name(c, "GroupName", "groupName", maxGroupName, true)
	path := v.path(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.authorize("CreateGroup", entityARN(c.acct, "group", path, name), nil); err != nil {
		return nil, err
	}
	g := &store.IAMGroup{AccountID: c.acct, Name: name, Path: path, ID: newID(prefixGroup), CreatedAt: c.a.now()}
	if err := c.a.st.CreateGroup(c.ctx, g); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errExists("Group", name)
		}
		return nil, internal("create group", err)
	}
	return groupResult{Group: groupXML(g)}, nil
}

type getGroupResult struct {
	Group xGroup
	Users members[xUser]
	page
}

func getGroup(c *call) (any, error) {
	var v validator
	name := v.name(c, "GroupName", "groupName", maxGroupName, true)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	g, err := c.group("GetGroup", name)
	if err != nil {
		return nil, err
	}
	us, err := c.a.st.ListGroupMembers(c.ctx, c.acct, g.Name)
	if err != nil {
		return nil, internal("list group members", err)
	}
	us, pg := pageSlice(us, p, func(u *store.IAMUser) string { return lower(u.Name) })
	res := getGroupResult{Group: groupXML(g), Users: members[xUser]{M: []xUser{}}, page: pg}
	for _, u := range us {
		res.Users.M = append(res.Users.M, userXML(u, false))
	}
	return res, nil
}

type listGroupsResult struct {
	Groups members[xGroup]
	page
}

func listGroups(c *call) (any, error) {
	var v validator
	prefix := v.pathPrefix(c)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.authorize("ListGroups", "*", nil); err != nil {
		return nil, err
	}
	gs, err := c.a.st.ListGroups(c.ctx, c.acct, prefix, p.after, p.max+1)
	if err != nil {
		return nil, internal("list groups", err)
	}
	gs, pg := finish(gs, p, func(g *store.IAMGroup) string { return lower(g.Name) })
	return groupsResult(gs, pg), nil
}

func groupsResult(gs []*store.IAMGroup, pg page) listGroupsResult {
	res := listGroupsResult{Groups: members[xGroup]{M: []xGroup{}}, page: pg}
	for _, g := range gs {
		res.Groups.M = append(res.Groups.M, groupXML(g))
	}
	return res
}

func deleteGroup(c *call) (any, error) {
	var v validator
	name := v.name(c, "GroupName", "groupName", maxGroupName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.group("DeleteGroup", name); err != nil {
		return nil, err
	}
	err := c.a.st.DeleteGroup(c.ctx, c.acct, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoGroup(name)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete group", err)
	}
	return nil, nil
}

// membership validates GroupName and UserName, authorizes action on the
// group and checks that both exist.
func (c *call) membership(action string) (group, user string, err error) {
	var v validator
	group = v.name(c, "GroupName", "groupName", maxGroupName, true)
	user = v.name(c, "UserName", "userName", maxUserName, true)
	if err := v.err(); err != nil {
		return "", "", err
	}
	if _, err := c.group(action, group); err != nil {
		return "", "", err
	}
	if _, err := c.a.st.GetUser(c.ctx, c.acct, user); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return "", "", errNoUser(user)
		}
		return "", "", internal("get user", err)
	}
	return group, user, nil
}

func addUserToGroup(c *call) (any, error) {
	group, user, err := c.membership("AddUserToGroup")
	if err != nil {
		return nil, err
	}
	err = c.a.st.AddUserToGroup(c.ctx, c.acct, group, user, maxGroupsPerUser)
	switch {
	case errors.Is(err, store.ErrLimitExceeded):
		return nil, errQuota("GroupsPerUser", maxGroupsPerUser)
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoGroup(group)
	case err != nil:
		return nil, internal("add user to group", err)
	}
	return nil, nil
}

func removeUserFromGroup(c *call) (any, error) {
	group, user, err := c.membership("RemoveUserFromGroup")
	if err != nil {
		return nil, err
	}
	err = c.a.st.RemoveUserFromGroup(c.ctx, c.acct, group, user)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoUser(user)
	case err != nil:
		return nil, internal("remove user from group", err)
	}
	return nil, nil
}

func listGroupsForUser(c *call) (any, error) {
	var v validator
	name := v.name(c, "UserName", "userName", maxUserName, true)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.user("ListGroupsForUser", name, nil)
	if err != nil {
		return nil, err
	}
	gs, err := c.a.st.ListUserGroups(c.ctx, c.acct, u.Name)
	if err != nil {
		return nil, internal("list user groups", err)
	}
	gs, pg := pageSlice(gs, p, func(g *store.IAMGroup) string { return lower(g.Name) })
	return groupsResult(gs, pg), nil
}
