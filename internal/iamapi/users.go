package iamapi

import (
	"errors"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
)

func init() {
	register(map[string]handler{
		"CreateUser": createUser, "GetUser": getUser, "ListUsers": listUsers,
		"UpdateUser": updateUser, "DeleteUser": deleteUser,
	})
}

// Users are limited to 64 characters (CreateUser: UserName).
const maxUserName = 64

// user looks up a user of the caller's account, authorizes action on it
// and only then reports a missing user, so that existence does not leak
// to callers without permission.
func (c *call) user(action, name string, keys map[string][]string) (*store.IAMUser, error) {
	u, err := c.a.st.GetUser(c.ctx, c.acct, name)
	resource := entityARN(c.acct, "user", "/", name)
	switch {
	case err == nil:
		resource = entityARN(c.acct, "user", u.Path, u.Name)
	case !errors.Is(err, store.ErrNotFound):
		return nil, internal("get user", err)
	}
	if err := c.authorize(action, resource, keys); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errNoUser(name)
	}
	return u, nil
}

type userResult struct {
	User xUser
}

func createUser(c *call) (any, error) {
	var v validator
	name := v.name(c, "UserName", "userName", maxUserName, true)
	path := v.path(c)
	boundary := v.policyARN(c, "PermissionsBoundary", "permissionsBoundary", false)
	tags := v.tagsParam(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDuplicateTags(tags); err != nil {
		return nil, err
	}
	arn := entityARN(c.acct, "user", path, name)
	keys := tagContext(nil, tags)
	if boundary != "" {
		keys = withKey(keys, "iam:PermissionsBoundary", boundary)
	}
	if err := c.authorize("CreateUser", arn, keys); err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		// Creating a user with tags also needs iam:TagUser.
		if err := c.authorize("TagUser", arn, keys); err != nil {
			return nil, err
		}
	}
	if boundary != "" {
		if err := c.boundaryParam(boundary); err != nil {
			return nil, err
		}
	}
	u := &store.IAMUser{AccountID: c.acct, Name: name, Path: path, ID: newID(prefixUser), CreatedAt: c.a.now(),
		PermissionsBoundary: boundary, Tags: tags}
	if err := c.a.st.CreateUser(c.ctx, u); err != nil {
		if errors.Is(err, store.ErrExists) {
			return nil, errExists("User", name)
		}
		return nil, internal("create user", err)
	}
	return userResult{User: userXML(u, true)}, nil
}

func getUser(c *call) (any, error) {
	var v validator
	name, given := c.param("UserName")
	if given {
		v.name(c, "UserName", "userName", 128, false)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if !given {
		switch c.p.Kind {
		case identity.Root:
			// The root answers for itself: its ARN, and the account id as UserId.
			if err := c.authorize("GetUser", c.p.ARN, nil); err != nil {
				return nil, err
			}
			a, err := c.a.st.GetAccount(c.ctx, c.acct)
			if err != nil {
				return nil, internal("get account", err)
			}
			return userResult{User: xUser{UserId: c.acct, Arn: "arn:aws:iam::" + c.acct + ":root", CreateDate: isoTime(a.CreatedAt)}}, nil
		case identity.User:
			name = c.p.UserName
		default:
			return nil, awserr.New(awserr.ValidationError, "Must specify userName when calling with non-User credentials")
		}
	}
	u, err := c.user("GetUser", name, nil)
	if err != nil {
		return nil, err
	}
	return userResult{User: userXML(u, true)}, nil
}

type listUsersResult struct {
	Users members[xUser]
	page
}

func listUsers(c *call) (any, error) {
	var v validator
	prefix := v.pathPrefix(c)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := c.authorize("ListUsers", "*", nil); err != nil {
		return nil, err
	}
	us, err := c.a.st.ListUsers(c.ctx, c.acct, prefix, p.after, p.max+1)
	if err != nil {
		return nil, internal("list users", err)
	}
	us, pg := finish(us, p, func(u *store.IAMUser) string { return lower(u.Name) })
	res := listUsersResult{Users: members[xUser]{M: make([]xUser, 0, len(us))}, page: pg}
	for _, u := range us {
		res.Users.M = append(res.Users.M, userXML(u, false))
	}
	return res, nil
}

func updateUser(c *call) (any, error) {
	var v validator
	name := v.name(c, "UserName", "userName", maxUserName, true)
	newName, hasName := c.param("NewUserName")
	if hasName {
		v.name(c, "NewUserName", "newUserName", maxUserName, false)
	}
	newPath, hasPath := c.param("NewPath")
	if hasPath {
		v.str(newPath, true, "newPath", false, 1, 512, rePath, patPath)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	u, err := c.user("UpdateUser", name, nil)
	if err != nil {
		return nil, err
	}
	if hasName || hasPath {
		// The caller needs permission on the new name too.
		tn, tp := u.Name, u.Path
		if hasName {
			tn = newName
		}
		if hasPath {
			tp = newPath
		}
		if err := c.authorize("UpdateUser", entityARN(c.acct, "user", tp, tn), nil); err != nil {
			return nil, err
		}
	}
	_, err = c.a.st.UpdateUser(c.ctx, c.acct, name, func(u *store.IAMUser) error {
		if hasName {
			u.Name = newName
		}
		if hasPath {
			u.Path = newPath
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrExists):
		return nil, errExists("User", newName)
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoUser(name)
	case err != nil:
		return nil, internal("update user", err)
	}
	return nil, nil
}

func deleteUser(c *call) (any, error) {
	var v validator
	name := v.name(c, "UserName", "userName", maxUserName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := c.user("DeleteUser", name, nil); err != nil {
		return nil, err
	}
	err := c.a.st.DeleteUser(c.ctx, c.acct, name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, errNoUser(name)
	case errors.Is(err, store.ErrDeleteConflict):
		return nil, conflictErr(err)
	case err != nil:
		return nil, internal("delete user", err)
	}
	return nil, nil
}

// updateUser applies fn to a user, mapping store errors.
func (c *call) updateUser(name string, fn func(*store.IAMUser) error) error {
	_, err := c.a.st.UpdateUser(c.ctx, c.acct, name, fn)
	var ae *awserr.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae
	case errors.Is(err, store.ErrNotFound):
		return errNoUser(name)
	}
	return internal("update user", err)
}

// tagsPage pages an entity's tags (ListUserTags, ListRoleTags).
func tagsPage(tags []store.Tag, p paging) listTagsResult {
	ts, pg := pageSlice(tags, p, func(t store.Tag) string { return t.Key })
	return listTagsResult{Tags: *tagsXML(ts, true), page: pg}
}

func withKey(keys map[string][]string, k string, vals ...string) map[string][]string {
	if keys == nil {
		keys = map[string][]string{}
	}
	keys[k] = vals
	return keys
}
