package store

import (
	"context"
	"errors"
	"time"
)

// IAM errors, in addition to ErrNotFound and ErrExists (test with errors.Is).
var (
	// ErrLimitExceeded: a quota passed in by the caller would be exceeded.
	ErrLimitExceeded = errors.New("store: limit exceeded")
	// ErrDeleteConflict: something still references the entity; the error
	// is a *ConflictError saying what.
	ErrDeleteConflict = errors.New("store: delete conflict")
)

// Conflict names what blocks a delete.
type Conflict string

// Conflicts, checked in the order AWS reports them.
const (
	ConflictAccessKeys       Conflict = "access keys"       // user still has access keys
	ConflictInlinePolicies   Conflict = "inline policies"   // user, group or role has inline policies
	ConflictAttachedPolicies Conflict = "attached policies" // user, group or role has managed policies attached
	ConflictGroups           Conflict = "groups"            // user is still a member of groups
	ConflictMembers          Conflict = "members"           // group still has members
	ConflictInstanceProfiles Conflict = "instance profiles" // role is still in instance profiles
	ConflictRoles            Conflict = "roles"             // instance profile still holds a role
	ConflictAttachments      Conflict = "attachments"       // managed policy is attached to entities
	ConflictBoundary         Conflict = "boundary"          // managed policy is a permissions boundary
	ConflictVersions         Conflict = "versions"          // managed policy has non-default versions
	ConflictDefaultVersion   Conflict = "default version"   // the default version cannot be deleted
)

// ConflictError is a refused delete. errors.Is(err, ErrDeleteConflict) holds.
type ConflictError struct{ Conflict Conflict }

func (e *ConflictError) Error() string { return "store: delete conflict: " + string(e.Conflict) }

// Is makes errors.Is(err, ErrDeleteConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrDeleteConflict }

// Tag is a key-value tag of an IAM entity.
type Tag struct {
	Key   string
	Value string
}

// EntityKind is the kind of IAM identity that holds policies.
type EntityKind string

// Identities that hold inline and attached policies.
const (
	UserEntity  EntityKind = "user"
	GroupEntity EntityKind = "group"
	RoleEntity  EntityKind = "role"
)

// IAMUser is an IAM user. Names are unique within an account ignoring case.
type IAMUser struct {
	AccountID string
	Name      string
	Path      string // "/" or "/a/b/"
	ID        string // AIDA…
	CreatedAt time.Time
	// PermissionsBoundary is a managed policy ARN, "" when none.
	PermissionsBoundary string
	Tags                []Tag
}

// IAMGroup is an IAM group.
type IAMGroup struct {
	AccountID string
	Name      string
	Path      string
	ID        string // AGPA…
	CreatedAt time.Time
}

// IAMRole is an IAM role.
type IAMRole struct {
	AccountID string
	Name      string
	Path      string
	ID        string // AROA…
	CreatedAt time.Time
	// AssumeRolePolicy is the trust policy document as given.
	AssumeRolePolicy    string
	Description         string
	MaxSessionDuration  int // seconds
	PermissionsBoundary string
	Tags                []Tag
}

// ManagedPolicy is a customer managed policy (AWS managed policies are
// data of the IAM API, not stored).
type ManagedPolicy struct {
	AccountID      string
	Name           string
	Path           string
	ID             string // ANPA…
	Description    string
	DefaultVersion string // "v1", …
	CreatedAt      time.Time
	UpdatedAt      time.Time
	Tags           []Tag
	// Filled in on reads: entities it is attached to, and users and roles
	// that use it as their permissions boundary.
	AttachmentCount    int
	BoundaryUsageCount int
}

// PolicyVersion is a version of a managed policy.
type PolicyVersion struct {
	VersionID string // "v1", …
	Document  string
	IsDefault bool
	CreatedAt time.Time
}

// InlinePolicy is a policy embedded in a user, group or role.
type InlinePolicy struct {
	Name     string
	Document string
	// Size is the document's size as IAM counts it against the entity's
	// aggregate quota (non-white-space characters); the caller computes it.
	Size int
}

// InstanceProfile is an IAM instance profile.
type InstanceProfile struct {
	AccountID string
	Name      string
	Path      string
	ID        string // AIPA…
	CreatedAt time.Time
	Roles     []string // names of the roles it holds (at most one)
	Tags      []Tag
}

// PolicyEntity is a user, group or role a managed policy applies to.
type PolicyEntity struct {
	Kind EntityKind
	Name string
	Path string
	ID   string
}

// IAM keeps the IAM entities of every account. Names are compared ignoring
// case, both for uniqueness and lookup, and keep the case they were created
// with. Every write bumps the account's IAMVersion in the same transaction,
// so readers may cache what they derive from IAM state per version.
//
// List methods return entities whose path starts with pathPrefix ("" or
// "/" for all), ordered by lower-cased name, with lower-cased name > after,
// at most limit (limit <= 0: all).
type IAM interface {
	// IAMVersion returns the account's IAM change counter (0 before any write).
	IAMVersion(ctx context.Context, accountID string) (int64, error)

	CreateUser(ctx context.Context, u *IAMUser) error                      // ErrExists
	GetUser(ctx context.Context, accountID, name string) (*IAMUser, error) // ErrNotFound
	ListUsers(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*IAMUser, error)
	// UpdateUser applies fn inside one transaction; fn may change Name
	// (ErrExists when taken; the user's access keys follow), Path,
	// PermissionsBoundary and Tags.
	UpdateUser(ctx context.Context, accountID, name string, fn func(*IAMUser) error) (*IAMUser, error)
	// DeleteUser fails with a *ConflictError while the user has access
	// keys, inline or attached policies, or group memberships.
	DeleteUser(ctx context.Context, accountID, name string) error

	CreateGroup(ctx context.Context, g *IAMGroup) error
	GetGroup(ctx context.Context, accountID, name string) (*IAMGroup, error)
	ListGroups(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*IAMGroup, error)
	// DeleteGroup fails with a *ConflictError while the group has members,
	// inline or attached policies.
	DeleteGroup(ctx context.Context, accountID, name string) error
	// AddUserToGroup is idempotent; ErrNotFound when either is missing,
	// ErrLimitExceeded when the user is in maxGroups groups already.
	AddUserToGroup(ctx context.Context, accountID, group, user string, maxGroups int) error
	// RemoveUserFromGroup fails with ErrNotFound when the user is not a member.
	RemoveUserFromGroup(ctx context.Context, accountID, group, user string) error
	ListGroupMembers(ctx context.Context, accountID, group string) ([]*IAMUser, error)
	ListUserGroups(ctx context.Context, accountID, user string) ([]*IAMGroup, error)

	CreateRole(ctx context.Context, r *IAMRole) error
	GetRole(ctx context.Context, accountID, name string) (*IAMRole, error)
	ListRoles(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*IAMRole, error)
	// UpdateRole applies fn inside one transaction; fn may change
	// AssumeRolePolicy, Description, MaxSessionDuration,
	// PermissionsBoundary and Tags (not Name or Path).
	UpdateRole(ctx context.Context, accountID, name string, fn func(*IAMRole) error) (*IAMRole, error)
	// DeleteRole fails with a *ConflictError while the role is in an
	// instance profile or has inline or attached policies.
	DeleteRole(ctx context.Context, accountID, name string) error

	// PutInlinePolicy creates or replaces an inline policy; ErrNotFound
	// when the entity is missing, ErrLimitExceeded when the sizes of the
	// entity's inline policies would add up to more than maxTotal.
	PutInlinePolicy(ctx context.Context, accountID string, kind EntityKind, entity string, p *InlinePolicy, maxTotal int) error
	GetInlinePolicy(ctx context.Context, accountID string, kind EntityKind, entity, name string) (*InlinePolicy, error)
	// ListInlinePolicies lists an entity's inline policies by lower-cased
	// name (ErrNotFound when the entity is missing).
	ListInlinePolicies(ctx context.Context, accountID string, kind EntityKind, entity string) ([]*InlinePolicy, error)
	DeleteInlinePolicy(ctx context.Context, accountID string, kind EntityKind, entity, name string) error

	// AttachPolicy attaches a managed policy by ARN; attaching twice is a
	// no-op. ErrNotFound when the entity is missing or policyARN names a
	// customer managed policy of the account that does not exist;
	// ErrLimitExceeded when maxAttached policies are attached already.
	AttachPolicy(ctx context.Context, accountID string, kind EntityKind, entity, policyARN string, maxAttached int) error
	// DetachPolicy fails with ErrNotFound when the policy is not attached.
	DetachPolicy(ctx context.Context, accountID string, kind EntityKind, entity, policyARN string) error
	// ListAttachedPolicies returns the ARNs attached to an entity, in
	// attachment order (ErrNotFound when the entity is missing).
	ListAttachedPolicies(ctx context.Context, accountID string, kind EntityKind, entity string) ([]string, error)
	// ListPolicyEntities lists the account's users, groups and roles the
	// policy is attached to, or with boundary the users and roles that use
	// it as their permissions boundary; by kind, then lower-cased name.
	ListPolicyEntities(ctx context.Context, accountID, policyARN string, boundary bool) ([]PolicyEntity, error)
	// PolicyUsage counts the account's attachments and boundary uses of a
	// policy ARN (also AWS managed ones).
	PolicyUsage(ctx context.Context, accountID, policyARN string) (attachments, boundaries int, err error)

	// CreatePolicy stores p with document doc as its default version "v1"
	// (p.DefaultVersion is set). ErrExists when the name is taken.
	CreatePolicy(ctx context.Context, p *ManagedPolicy, doc string) error
	// GetPolicy finds a customer managed policy by name; the caller checks
	// the path of the ARN it was asked about.
	GetPolicy(ctx context.Context, accountID, name string) (*ManagedPolicy, error)
	// ListPolicies lists customer managed policies; onlyAttached keeps
	// those attached to at least one user, group or role.
	ListPolicies(ctx context.Context, accountID, pathPrefix, after string, onlyAttached bool, limit int) ([]*ManagedPolicy, error)
	// DeletePolicy removes a policy and its versions; a *ConflictError
	// while it is attached, a boundary, or has non-default versions.
	DeletePolicy(ctx context.Context, accountID, name string) error
	// CreatePolicyVersion adds the next version (v(N+1), never reusing an
	// id); ErrLimitExceeded when maxVersions exist already.
	CreatePolicyVersion(ctx context.Context, accountID, name, doc string, setDefault bool, maxVersions int, now time.Time) (*PolicyVersion, error)
	GetPolicyVersion(ctx context.Context, accountID, name, versionID string) (*PolicyVersion, error)
	// ListPolicyVersions lists versions newest first.
	ListPolicyVersions(ctx context.Context, accountID, name string) ([]*PolicyVersion, error)
	// DeletePolicyVersion refuses the default version with a *ConflictError.
	DeletePolicyVersion(ctx context.Context, accountID, name, versionID string) error
	SetDefaultPolicyVersion(ctx context.Context, accountID, name, versionID string, now time.Time) error

	CreateInstanceProfile(ctx context.Context, p *InstanceProfile) error
	GetInstanceProfile(ctx context.Context, accountID, name string) (*InstanceProfile, error)
	ListInstanceProfiles(ctx context.Context, accountID, pathPrefix, after string, limit int) ([]*InstanceProfile, error)
	// DeleteInstanceProfile fails with a *ConflictError while it holds a role.
	DeleteInstanceProfile(ctx context.Context, accountID, name string) error
	// AddRoleToInstanceProfile fails with ErrNotFound when either is
	// missing and ErrLimitExceeded when the profile holds a role already.
	AddRoleToInstanceProfile(ctx context.Context, accountID, profile, role string) error
	// RemoveRoleFromInstanceProfile fails with ErrNotFound when the role is not in it.
	RemoveRoleFromInstanceProfile(ctx context.Context, accountID, profile, role string) error
	ListInstanceProfilesForRole(ctx context.Context, accountID, role string) ([]*InstanceProfile, error)

	// CreateUserAccessKey stores a key of k.UserName ("" for the account
	// root): ErrNotFound when the user is missing, ErrLimitExceeded when it
	// has maxKeys keys already, ErrExists when the id is taken.
	CreateUserAccessKey(ctx context.Context, k *AccessKey, maxKeys int) error
	// ListUserAccessKeys lists the keys of a user ("" for the root) by
	// creation time.
	ListUserAccessKeys(ctx context.Context, accountID, user string) ([]*AccessKey, error)
	// UpdateAccessKeyStatus sets "Active" or "Inactive" on a key of the
	// user; ErrNotFound when the user has no such key.
	UpdateAccessKeyStatus(ctx context.Context, accountID, user, keyID, status string) error
	DeleteUserAccessKey(ctx context.Context, accountID, user, keyID string) error
}
