package iamapi

import (
	"github.com/crossbucket/crossbucket/internal/store"
)

// XML shapes of IAM responses (IAM API Reference, "Data Types").

// members is a list element: <Name><member>…</member>…</Name>. The parent
// element is always written, even for an empty list, as IAM does.
type members[T any] struct {
	M []T `xml:"member"`
}

type xTag struct {
	Key   string
	Value string
}

type xBoundary struct {
	PermissionsBoundaryType string
	PermissionsBoundaryArn  string
}

type xUser struct {
	Path                string `xml:",omitempty"`
	UserName            string `xml:",omitempty"`
	UserId              string
	Arn                 string
	CreateDate          string
	PermissionsBoundary *xBoundary     `xml:",omitempty"`
	Tags                *members[xTag] `xml:",omitempty"`
}

type xGroup struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate string
}

type xRole struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               string
	AssumeRolePolicyDocument string
	Description              string `xml:",omitempty"`
	MaxSessionDuration       int
	PermissionsBoundary      *xBoundary     `xml:",omitempty"`
	Tags                     *members[xTag] `xml:",omitempty"`
	RoleLastUsed             *struct{}      `xml:",omitempty"`
}

type xPolicy struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               int
	PermissionsBoundaryUsageCount int
	IsAttachable                  bool
	Description                   string `xml:",omitempty"`
	CreateDate                    string
	UpdateDate                    string
	Tags                          *members[xTag] `xml:",omitempty"`
}

type xPolicyVersion struct {
	Document         string `xml:",omitempty"`
	VersionId        string
	IsDefaultVersion bool
	CreateDate       string
}

type xAttached struct {
	PolicyName string
	PolicyArn  string
}

type xInstanceProfile struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   string
	Arn                 string
	CreateDate          string
	Roles               members[xRole]
	Tags                *members[xTag] `xml:",omitempty"`
}

type xAccessKey struct {
	UserName        string `xml:",omitempty"`
	AccessKeyId     string
	Status          string
	SecretAccessKey string
	CreateDate      string
}

type xAccessKeyMeta struct {
	UserName    string `xml:",omitempty"`
	AccessKeyId string
	Status      string
	CreateDate  string
}

// page is the pagination trailer of List* results.
type page struct {
	IsTruncated bool
	Marker      string `xml:",omitempty"`
}

func tagsXML(tags []store.Tag, always bool) *members[xTag] {
	if len(tags) == 0 && !always {
		return nil
	}
	m := &members[xTag]{M: make([]xTag, 0, len(tags))}
	for _, t := range tags {
		m.M = append(m.M, xTag{Key: t.Key, Value: t.Value})
	}
	return m
}

func boundaryXML(arn string) *xBoundary {
	if arn == "" {
		return nil
	}
	return &xBoundary{PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: arn}
}

// userXML renders a user; full adds what GetUser/CreateUser show and
// ListUsers leaves out (boundary, tags).
func userXML(u *store.IAMUser, full bool) xUser {
	x := xUser{Path: u.Path, UserName: u.Name, UserId: u.ID, Arn: entityARN(u.AccountID, "user", u.Path, u.Name), CreateDate: isoTime(u.CreatedAt)}
	if full {
		x.PermissionsBoundary = boundaryXML(u.PermissionsBoundary)
		x.Tags = tagsXML(u.Tags, false)
	}
	return x
}

func groupXML(g *store.IAMGroup) xGroup {
	return xGroup{Path: g.Path, GroupName: g.Name, GroupId: g.ID, Arn: entityARN(g.AccountID, "group", g.Path, g.Name), CreateDate: isoTime(g.CreatedAt)}
}

// roleXML renders a role; full adds what GetRole/CreateRole show and
// ListRoles leaves out (boundary, tags, RoleLastUsed).
func roleXML(r *store.IAMRole, full bool) xRole {
	x := xRole{Path: r.Path, RoleName: r.Name, RoleId: r.ID, Arn: entityARN(r.AccountID, "role", r.Path, r.Name),
		CreateDate: isoTime(r.CreatedAt), AssumeRolePolicyDocument: encodeDoc(r.AssumeRolePolicy),
		Description: r.Description, MaxSessionDuration: r.MaxSessionDuration}
	if full {
		x.PermissionsBoundary = boundaryXML(r.PermissionsBoundary)
		x.Tags = tagsXML(r.Tags, false)
		x.RoleLastUsed = &struct{}{}
	}
	return x
}
