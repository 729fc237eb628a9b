package iamapi

import (
	"encoding/xml"
	"errors"

	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/policy"
	"github.com/crossbucket/crossbucket/internal/store"
)

// kindInfo describes how the actions of one entity kind are named.
type kindInfo struct {
	kind    store.EntityKind
	title   string // "User", "Group", "Role": action names and parameters
	maxName int
	// maxInline is the aggregate size quota of the entity's inline
	// policies ("IAM and AWS STS quotas").
	maxInline int
}

var kinds = map[store.EntityKind]kindInfo{
	store.UserEntity:  {store.UserEntity, "User", maxUserName, policy.MaxUserInlinePolicySize},
	store.GroupEntity: {store.GroupEntity, "Group", maxGroupName, policy.MaxGroupInlinePolicySize},
	store.RoleEntity:  {store.RoleEntity, "Role", maxRoleName, policy.MaxRoleInlinePolicySize},
}

func init() {
	for _, k := range kinds {
		register(map[string]handler{
			"Put" + k.title + "Policy":    putInline(k),
			"Get" + k.title + "Policy":    getInline(k),
			"List" + k.title + "Policies": listInline(k),
			"Delete" + k.title + "Policy": deleteInline(k),
		})
	}
}

// entity validates the entity name parameter of kind k, authorizes action
// on the entity and checks that it exists; it returns the stored name.
func (c *call) entity(k kindInfo, action string, v *validator) (string, error) {
	param := k.title + "Name"
	name := v.name(c, param, lowerFirst(param), k.maxName, true)
	if err := v.err(); err != nil {
		return "", err
	}
	switch k.kind {
	case store.UserEntity:
		u, err := c.user(action, name, nil)
		if err != nil {
			return "", err
		}
		return u.Name, nil
	case store.GroupEntity:
		g, err := c.group(action, name)
		if err != nil {
			return "", err
		}
		return g.Name, nil
	}
	r, err := c.role(action, name, nil)
	if err != nil {
		return "", err
	}
	return r.Name, nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+('a'-'A')) + s[1:]
}

func (v *validator) policyName(c *call) string {
	return v.name(c, "PolicyName", "policyName", 128, true)
}

func putInline(k kindInfo) handler {
	return func(c *call) (any, error) {
		var v validator
		pname := v.policyName(c)
		doc := v.document(c, "PolicyDocument", "policyDocument")
		name, err := c.entity(k, "Put"+k.title+"Policy", &v)
		if err != nil {
			return nil, err
		}
		if err := c.validateDoc(doc, policy.KindIdentity, false); err != nil {
			return nil, err
		}
		p := &store.InlinePolicy{Name: pname, Document: doc, Size: policy.Size(doc)}
		err = c.a.st.PutInlinePolicy(c.ctx, c.acct, k.kind, name, p, k.maxInline)
		switch {
		case errors.Is(err, store.ErrLimitExceeded):
			return nil, awserr.Newf(awserr.LimitExceeded, "Maximum policy size of %d bytes exceeded for %s %s", k.maxInline, k.kind, name)
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoEntity(k.kind, name)
		case err != nil:
			return nil, internal("put inline policy", err)
		}
		return nil, nil
	}
}

// inlineResult is Get{User,Group,Role}PolicyResult: the entity's name
// element (UserName, GroupName or RoleName), PolicyName, PolicyDocument.
type inlineResult struct {
	Entity         xml.Name
	EntityName     string
	PolicyName     string
	PolicyDocument string
}

// MarshalXML writes the entity name under its kind's element name.
func (r inlineResult) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeElement(r.EntityName, xml.StartElement{Name: r.Entity}); err != nil {
		return err
	}
	if err := e.EncodeElement(r.PolicyName, xml.StartElement{Name: xml.Name{Local: "PolicyName"}}); err != nil {
		return err
	}
	if err := e.EncodeElement(r.PolicyDocument, xml.StartElement{Name: xml.Name{Local: "PolicyDocument"}}); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func getInline(k kindInfo) handler {
	return func(c *call) (any, error) {
		var v validator
		pname := v.policyName(c)
		name, err := c.entity(k, "Get"+k.title+"Policy", &v)
		if err != nil {
			return nil, err
		}
		p, err := c.a.st.GetInlinePolicy(c.ctx, c.acct, k.kind, name, pname)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoInline(k.kind, pname)
		case err != nil:
			return nil, internal("get inline policy", err)
		}
		return inlineResult{Entity: xml.Name{Local: k.title + "Name"}, EntityName: name, PolicyName: p.Name,
			PolicyDocument: encodeDoc(p.Document)}, nil
	}
}

type listInlineResult struct {
	PolicyNames members[string]
	page
}

func listInline(k kindInfo) handler {
	return func(c *call) (any, error) {
		var v validator
		p := v.paging(c)
		name, err := c.entity(k, "List"+k.title+"Policies", &v)
		if err != nil {
			return nil, err
		}
		ps, err := c.a.st.ListInlinePolicies(c.ctx, c.acct, k.kind, name)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoEntity(k.kind, name)
		case err != nil:
			return nil, internal("list inline policies", err)
		}
		ps, pg := pageSlice(ps, p, func(p *store.InlinePolicy) string { return lower(p.Name) })
		res := listInlineResult{PolicyNames: members[string]{M: []string{}}, page: pg}
		for _, p := range ps {
			res.PolicyNames.M = append(res.PolicyNames.M, p.Name)
		}
		return res, nil
	}
}

func deleteInline(k kindInfo) handler {
	return func(c *call) (any, error) {
		var v validator
		pname := v.policyName(c)
		name, err := c.entity(k, "Delete"+k.title+"Policy", &v)
		if err != nil {
			return nil, err
		}
		err = c.a.st.DeleteInlinePolicy(c.ctx, c.acct, k.kind, name, pname)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, errNoInline(k.kind, pname)
		case err != nil:
			return nil, internal("delete inline policy", err)
		}
		return nil, nil
	}
}
