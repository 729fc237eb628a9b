package iamapi

import "github.com/crossbucket/crossbucket/internal/store"

// tagged is what the tag and permissions-boundary actions need of an IAM
// entity kind: users and roles have the same five such actions
// (Tag/Untag/List…Tags, Put/Delete…PermissionsBoundary).
type tagged struct {
	kind    string // "User" or "Role", as in the action names
	param   string // request parameter naming the entity ("UserName")
	field   string // its name in validation messages ("userName")
	maxName int
	// nullOnlyWhenAbsent: Tag… reports "tags must not be null" only when no
	// Tags.member.1.Key was sent at all (TagUser), rather than whenever no
	// valid tag was parsed (TagRole).
	nullOnlyWhenAbsent bool
	// get authorizes action on the named entity, then returns its tags.
	get func(c *call, action, name string, keys map[string][]string) ([]store.Tag, error)
	// update applies fn to the entity's tags and boundary in one transaction.
	update func(c *call, name string, fn func(tags *[]store.Tag, boundary *string) error) error
}

var (
	userTagged = &tagged{kind: "User", param: "UserName", field: "userName", maxName: maxUserName, nullOnlyWhenAbsent: true,
		get: func(c *call, action, name string, keys map[string][]string) ([]store.Tag, error) {
			u, err := c.user(action, name, keys)
			if err != nil {
				return nil, err
			}
			return u.Tags, nil
		},
		update: func(c *call, name string, fn func(*[]store.Tag, *string) error) error {
			return c.updateUser(name, func(u *store.IAMUser) error { return fn(&u.Tags, &u.PermissionsBoundary) })
		},
	}
	roleTagged = &tagged{kind: "Role", param: "RoleName", field: "roleName", maxName: maxRoleName,
		get: func(c *call, action, name string, keys map[string][]string) ([]store.Tag, error) {
			r, err := c.role(action, name, keys)
			if err != nil {
				return nil, err
			}
			return r.Tags, nil
		},
		update: func(c *call, name string, fn func(*[]store.Tag, *string) error) error {
			return c.updateRole(name, func(r *store.IAMRole) error { return fn(&r.Tags, &r.PermissionsBoundary) })
		},
	}
)

func init() {
	for _, e := range []*tagged{userTagged, roleTagged} {
		register(map[string]handler{
			"Tag" + e.kind: e.tag, "Untag" + e.kind: e.untag, "List" + e.kind + "Tags": e.listTags,
			"Put" + e.kind + "PermissionsBoundary":    e.putBoundary,
			"Delete" + e.kind + "PermissionsBoundary": e.deleteBoundary,
		})
	}
}

func (e *tagged) tag(c *call) (any, error) {
	var v validator
	name := v.name(c, e.param, e.field, e.maxName, true)
	tags := v.tagsParam(c)
	if len(tags) == 0 && (!e.nullOnlyWhenAbsent || !c.q.Has("Tags.member.1.Key")) {
		v.add(nil, "tags", "not be null")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := checkDuplicateTags(tags); err != nil {
		return nil, err
	}
	if _, err := e.get(c, "Tag"+e.kind, name, tagContext(nil, tags)); err != nil {
		return nil, err
	}
	return nil, e.update(c, name, func(ts *[]store.Tag, _ *string) error {
		*ts = mergeTags(*ts, tags)
		if len(*ts) > maxTags {
			return errTooManyTags(e.kind)
		}
		return nil
	})
}

func (e *tagged) untag(c *call) (any, error) {
	var v validator
	name := v.name(c, e.param, e.field, e.maxName, true)
	keys := v.tagKeys(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := e.get(c, "Untag"+e.kind, name, map[string][]string{"aws:TagKeys": keys}); err != nil {
		return nil, err
	}
	return nil, e.update(c, name, func(ts *[]store.Tag, _ *string) error {
		*ts = removeTags(*ts, keys)
		return nil
	})
}

func (e *tagged) listTags(c *call) (any, error) {
	var v validator
	name := v.name(c, e.param, e.field, e.maxName, true)
	p := v.paging(c)
	if err := v.err(); err != nil {
		return nil, err
	}
	tags, err := e.get(c, "List"+e.kind+"Tags", name, nil)
	if err != nil {
		return nil, err
	}
	return tagsPage(tags, p), nil
}

func (e *tagged) putBoundary(c *call) (any, error) {
	var v validator
	name := v.name(c, e.param, e.field, e.maxName, true)
	boundary := v.policyARN(c, "PermissionsBoundary", "permissionsBoundary", true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := e.get(c, "Put"+e.kind+"PermissionsBoundary", name, withKey(nil, "iam:PermissionsBoundary", boundary)); err != nil {
		return nil, err
	}
	if err := c.boundaryParam(boundary); err != nil {
		return nil, err
	}
	return nil, e.update(c, name, func(_ *[]store.Tag, b *string) error {
		*b = boundary
		return nil
	})
}

func (e *tagged) deleteBoundary(c *call) (any, error) {
	var v validator
	name := v.name(c, e.param, e.field, e.maxName, true)
	if err := v.err(); err != nil {
		return nil, err
	}
	if _, err := e.get(c, "Delete"+e.kind+"PermissionsBoundary", name, nil); err != nil {
		return nil, err
	}
	return nil, e.update(c, name, func(_ *[]store.Tag, b *string) error {
		*b = ""
		return nil
	})
}
