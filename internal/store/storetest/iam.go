package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// IAMStore is what the IAM conformance suite needs of a backend.
type IAMStore interface {
	store.IAM
	store.Accounts
}

// RunIAM runs the conformance suite of store.IAM. open must return a new,
// empty store on each call; RunIAM registers no Close (open may).
func RunIAM(t *testing.T, open func(t *testing.T) IAMStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st IAMStore)
	}{
		{"Users", testIAMUsers},
		{"UserDeleteConflicts", testIAMUserConflicts},
		{"Groups", testIAMGroups},
		{"Roles", testIAMRoles},
		{"InlinePolicies", testIAMInline},
		{"Attachments", testIAMAttachments},
		{"ManagedPolicies", testIAMManaged},
		{"InstanceProfiles", testIAMProfiles},
		{"AccessKeys", testIAMKeys},
		{"Version", testIAMVersion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			for _, id := range []string{"111111111111", "222222222222"} {
				must(t, "CreateAccount", st.CreateAccount(t.Context(), &store.Account{ID: id, CanonicalID: strings.Repeat(id[:1], 64), CreatedAt: base}))
			}
			tc.fn(t, st)
		})
	}
}

const acct1, acct2 = "111111111111", "222222222222"

func iamUser(t *testing.T, st IAMStore, acct, name, path string) *store.IAMUser {
	t.Helper()
	u := &store.IAMUser{AccountID: acct, Name: name, Path: path, ID: "AIDA" + acct + strings.ToUpper(name), CreatedAt: base,
		Tags: []store.Tag{{Key: "k", Value: "v " + name}}}
	must(t, "CreateUser "+name, st.CreateUser(t.Context(), u))
	return u
}

func iamRole(t *testing.T, st IAMStore, acct, name string) *store.IAMRole {
	t.Helper()
	r := &store.IAMRole{AccountID: acct, Name: name, Path: "/", ID: "AROA" + acct + strings.ToUpper(name), CreatedAt: base,
		AssumeRolePolicy: `{"Statement":[]}`, MaxSessionDuration: 3600}
	must(t, "CreateRole "+name, st.CreateRole(t.Context(), r))
	return r
}

func iamGroup(t *testing.T, st IAMStore, acct, name string) *store.IAMGroup {
	t.Helper()
	g := &store.IAMGroup{AccountID: acct, Name: name, Path: "/", ID: "AGPA" + acct + strings.ToUpper(name), CreatedAt: base}
	must(t, "CreateGroup "+name, st.CreateGroup(t.Context(), g))
	return g
}

func iamPolicy(t *testing.T, st IAMStore, acct, name string) string {
	t.Helper()
	p := &store.ManagedPolicy{AccountID: acct, Name: name, Path: "/", ID: "ANPA" + acct + strings.ToUpper(name), CreatedAt: base, UpdatedAt: base}
	must(t, "CreatePolicy "+name, st.CreatePolicy(t.Context(), p, `{"v":1}`))
	return "arn:aws:iam::" + acct + ":policy/" + name
}

func userNames(us []*store.IAMUser) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.Name)
	}
	return out
}

func testIAMUsers(t *testing.T, st IAMStore) {
	ctx := t.Context()
	alice := iamUser(t, st, acct1, "Alice", "/eng/")
	wantErr(t, "CreateUser same name, other case", st.CreateUser(ctx, &store.IAMUser{AccountID: acct1, Name: "ALICE", Path: "/", ID: "AIDAX"}), store.ErrExists)
	// Another account has its own namespace.
	iamUser(t, st, acct2, "alice", "/")

	got, err := st.GetUser(ctx, acct1, "alice")
	must(t, "GetUser other case", err)
	sameTime(t, "user CreatedAt", got.CreatedAt, base)
	got.CreatedAt = alice.CreatedAt
	if !reflect.DeepEqual(got, alice) {
		t.Errorf("GetUser = %+v, want %+v", got, alice)
	}
	_, err = st.GetUser(ctx, acct1, "bob")
	wantErr(t, "GetUser missing", err, store.ErrNotFound)

	for _, n := range []string{"c", "b", "D"} {
		iamUser(t, st, acct1, n, "/")
	}
	list, err := st.ListUsers(ctx, acct1, "/", "", 0)
	must(t, "ListUsers", err)
	if want := []string{"Alice", "b", "c", "D"}; !reflect.DeepEqual(userNames(list), want) {
		t.Errorf("ListUsers = %v, want %v", userNames(list), want)
	}
	list, err = st.ListUsers(ctx, acct1, "", "b", 2)
	must(t, "ListUsers after", err)
	if want := []string{"c", "D"}; !reflect.DeepEqual(userNames(list), want) {
		t.Errorf("ListUsers after b = %v, want %v", userNames(list), want)
	}
	list, err = st.ListUsers(ctx, acct1, "/eng", "", 0)
	must(t, "ListUsers prefix", err)
	if want := []string{"Alice"}; !reflect.DeepEqual(userNames(list), want) {
		t.Errorf("ListUsers /eng = %v", userNames(list))
	}

	// Rename: keys follow; a taken name is refused; fn errors pass through.
	must(t, "CreateUserAccessKey", st.CreateUserAccessKey(ctx, &store.AccessKey{ID: "AKIAC0000000000000001", Secret: "s", AccountID: acct1, UserName: "c", Status: "Active", CreatedAt: base}, 2))
	u, err := st.UpdateUser(ctx, acct1, "C", func(u *store.IAMUser) error { u.Name, u.Path = "c2", "/x/"; return nil })
	must(t, "UpdateUser rename", err)
	if u.Name != "c2" || u.Path != "/x/" {
		t.Errorf("renamed = %+v", u)
	}
	k, err := st.GetAccessKey(ctx, "AKIAC0000000000000001")
	must(t, "GetAccessKey", err)
	if k.UserName != "c2" {
		t.Errorf("key of renamed user names %q", k.UserName)
	}
	_, err = st.UpdateUser(ctx, acct1, "c2", func(u *store.IAMUser) error { u.Name = "B"; return nil })
	wantErr(t, "rename to taken name", err, store.ErrExists)
	sentinel := errors.New("from fn")
	_, err = st.UpdateUser(ctx, acct1, "c2", func(u *store.IAMUser) error { return sentinel })
	if err != sentinel {
		t.Errorf("fn error = %v, want it unchanged", err)
	}
	_, err = st.UpdateUser(ctx, acct1, "nobody", func(u *store.IAMUser) error { return nil })
	wantErr(t, "UpdateUser missing", err, store.ErrNotFound)

	must(t, "DeleteUser", st.DeleteUser(ctx, acct1, "b"))
	wantErr(t, "DeleteUser twice", st.DeleteUser(ctx, acct1, "b"), store.ErrNotFound)
	_, err = st.GetUser(ctx, acct2, "alice")
	must(t, "other account's user", err)
}

func wantConflict(t *testing.T, what string, err error, c store.Conflict) {
	t.Helper()
	var ce *store.ConflictError
	if !errors.Is(err, store.ErrDeleteConflict) || !errors.As(err, &ce) || ce.Conflict != c {
		t.Fatalf("%s: got %v, want conflict %q", what, err, c)
	}
}

func testIAMUserConflicts(t *testing.T, st IAMStore) {
	ctx := t.Context()
	iamUser(t, st, acct1, "u", "/")
	g := iamGroup(t, st, acct1, "g")
	arn := iamPolicy(t, st, acct1, "p")
	must(t, "key", st.CreateUserAccessKey(ctx, &store.AccessKey{ID: "AKIAU0000000000000001", Secret: "s", AccountID: acct1, UserName: "u", Status: "Active"}, 2))
	must(t, "inline", st.PutInlinePolicy(ctx, acct1, store.UserEntity, "u", &store.InlinePolicy{Name: "i", Document: "{}", Size: 2}, 100))
	must(t, "attach", st.AttachPolicy(ctx, acct1, store.UserEntity, "u", arn, 10))
	must(t, "group", st.AddUserToGroup(ctx, acct1, g.Name, "u", 10))
	wantConflict(t, "keys", st.DeleteUser(ctx, acct1, "u"), store.ConflictAccessKeys)
	must(t, "DeleteUserAccessKey", st.DeleteUserAccessKey(ctx, acct1, "u", "AKIAU0000000000000001"))
	wantConflict(t, "inline", st.DeleteUser(ctx, acct1, "u"), store.ConflictInlinePolicies)
	must(t, "DeleteInlinePolicy", st.DeleteInlinePolicy(ctx, acct1, store.UserEntity, "u", "I"))
	wantConflict(t, "attached", st.DeleteUser(ctx, acct1, "u"), store.ConflictAttachedPolicies)
	must(t, "DetachPolicy", st.DetachPolicy(ctx, acct1, store.UserEntity, "u", arn))
	wantConflict(t, "groups", st.DeleteUser(ctx, acct1, "u"), store.ConflictGroups)
	must(t, "RemoveUserFromGroup", st.RemoveUserFromGroup(ctx, acct1, "g", "u"))
	must(t, "DeleteUser", st.DeleteUser(ctx, acct1, "u"))
}

func testIAMGroups(t *testing.T, st IAMStore) {
	ctx := t.Context()
	iamGroup(t, st, acct1, "Devs")
	wantErr(t, "dup group", st.CreateGroup(ctx, &store.IAMGroup{AccountID: acct1, Name: "devs", Path: "/", ID: "AGPAX"}), store.ErrExists)
	for _, n := range []string{"b", "a"} {
		iamUser(t, st, acct1, n, "/")
		must(t, "AddUserToGroup", st.AddUserToGroup(ctx, acct1, "DEVS", n, 10))
	}
	must(t, "AddUserToGroup again", st.AddUserToGroup(ctx, acct1, "devs", "a", 10))
	wantErr(t, "AddUserToGroup missing user", st.AddUserToGroup(ctx, acct1, "devs", "zz", 10), store.ErrNotFound)
	wantErr(t, "AddUserToGroup other account's group", st.AddUserToGroup(ctx, acct2, "devs", "a", 10), store.ErrNotFound)
	iamGroup(t, st, acct1, "ops")
	wantErr(t, "groups per user", st.AddUserToGroup(ctx, acct1, "ops", "a", 1), store.ErrLimitExceeded)
	members, err := st.ListGroupMembers(ctx, acct1, "devs")
	must(t, "ListGroupMembers", err)
	if want := []string{"a", "b"}; !reflect.DeepEqual(userNames(members), want) {
		t.Errorf("members = %v", userNames(members))
	}
	gs, err := st.ListUserGroups(ctx, acct1, "A")
	must(t, "ListUserGroups", err)
	if len(gs) != 1 || gs[0].Name != "Devs" {
		t.Errorf("ListUserGroups = %+v", gs)
	}
	all, err := st.ListGroups(ctx, acct1, "/", "", 0)
	must(t, "ListGroups", err)
	if len(all) != 2 || all[0].Name != "Devs" || all[1].Name != "ops" {
		t.Errorf("ListGroups = %+v", all)
	}
	wantConflict(t, "DeleteGroup with members", st.DeleteGroup(ctx, acct1, "devs"), store.ConflictMembers)
	for _, n := range []string{"a", "b"} {
		must(t, "RemoveUserFromGroup", st.RemoveUserFromGroup(ctx, acct1, "devs", n))
	}
	wantErr(t, "RemoveUserFromGroup non-member", st.RemoveUserFromGroup(ctx, acct1, "devs", "a"), store.ErrNotFound)
	must(t, "PutInlinePolicy group", st.PutInlinePolicy(ctx, acct1, store.GroupEntity, "devs", &store.InlinePolicy{Name: "p", Document: "{}", Size: 2}, 10))
	wantConflict(t, "DeleteGroup with inline", st.DeleteGroup(ctx, acct1, "devs"), store.ConflictInlinePolicies)
	must(t, "DeleteInlinePolicy", st.DeleteInlinePolicy(ctx, acct1, store.GroupEntity, "devs", "p"))
	must(t, "DeleteGroup", st.DeleteGroup(ctx, acct1, "devs"))
	_, err = st.GetGroup(ctx, acct1, "devs")
	wantErr(t, "GetGroup deleted", err, store.ErrNotFound)
}

func testIAMRoles(t *testing.T, st IAMStore) {
	ctx := t.Context()
	r := iamRole(t, st, acct1, "App")
	wantErr(t, "dup role", st.CreateRole(ctx, &store.IAMRole{AccountID: acct1, Name: "app", Path: "/", ID: "AROAX"}), store.ErrExists)
	got, err := st.GetRole(ctx, acct1, "APP")
	must(t, "GetRole", err)
	if got.ID != r.ID || got.AssumeRolePolicy != r.AssumeRolePolicy || got.MaxSessionDuration != 3600 || got.Tags != nil {
		t.Errorf("GetRole = %+v", got)
	}
	up, err := st.UpdateRole(ctx, acct1, "app", func(r *store.IAMRole) error {
		r.Description, r.MaxSessionDuration, r.PermissionsBoundary = "d", 7200, "arn:aws:iam::aws:policy/X"
		r.Tags = []store.Tag{{Key: "a", Value: ""}}
		return nil
	})
	must(t, "UpdateRole", err)
	got, err = st.GetRole(ctx, acct1, "app")
	must(t, "GetRole", err)
	if !reflect.DeepEqual(got.Tags, up.Tags) || got.Description != "d" || got.MaxSessionDuration != 7200 || got.PermissionsBoundary != "arn:aws:iam::aws:policy/X" {
		t.Errorf("updated role = %+v", got)
	}
	iamRole(t, st, acct1, "b")
	list, err := st.ListRoles(ctx, acct1, "", "", 1)
	must(t, "ListRoles", err)
	if len(list) != 1 || list[0].Name != "App" {
		t.Errorf("ListRoles limit 1 = %+v", list)
	}
	must(t, "DeleteRole", st.DeleteRole(ctx, acct1, "b"))
	wantErr(t, "DeleteRole twice", st.DeleteRole(ctx, acct1, "b"), store.ErrNotFound)
}

func testIAMInline(t *testing.T, st IAMStore) {
	ctx := t.Context()
	iamRole(t, st, acct1, "r")
	put := func(name string, size int) error {
		return st.PutInlinePolicy(ctx, acct1, store.RoleEntity, "r", &store.InlinePolicy{Name: name, Document: fmt.Sprintf(`{"n":%q}`, name), Size: size}, 100)
	}
	must(t, "put b", put("b", 60))
	must(t, "put a", put("A", 40))
	wantErr(t, "aggregate over quota", put("c", 1), store.ErrLimitExceeded)
	must(t, "replace b smaller (replaced size not counted)", put("B", 50))
	ps, err := st.ListInlinePolicies(ctx, acct1, store.RoleEntity, "r")
	must(t, "ListInlinePolicies", err)
	if len(ps) != 2 || ps[0].Name != "A" || ps[1].Name != "B" || ps[1].Size != 50 {
		t.Errorf("ListInlinePolicies = %+v %+v", ps[0], ps[1])
	}
	p, err := st.GetInlinePolicy(ctx, acct1, store.RoleEntity, "R", "b")
	must(t, "GetInlinePolicy", err)
	if p.Document != `{"n":"B"}` {
		t.Errorf("GetInlinePolicy = %+v", p)
	}
	_, err = st.GetInlinePolicy(ctx, acct1, store.RoleEntity, "r", "zz")
	wantErr(t, "GetInlinePolicy missing", err, store.ErrNotFound)
	wantErr(t, "Put on missing entity", st.PutInlinePolicy(ctx, acct1, store.UserEntity, "r", &store.InlinePolicy{Name: "x"}, 100), store.ErrNotFound)
	_, err = st.ListInlinePolicies(ctx, acct2, store.RoleEntity, "r")
	wantErr(t, "List in other account", err, store.ErrNotFound)
	must(t, "DeleteInlinePolicy", st.DeleteInlinePolicy(ctx, acct1, store.RoleEntity, "r", "a"))
	wantErr(t, "DeleteInlinePolicy twice", st.DeleteInlinePolicy(ctx, acct1, store.RoleEntity, "r", "a"), store.ErrNotFound)
}

func testIAMAttachments(t *testing.T, st IAMStore) {
	ctx := t.Context()
	iamUser(t, st, acct1, "u", "/")
	iamGroup(t, st, acct1, "g")
	iamRole(t, st, acct1, "r")
	p1 := iamPolicy(t, st, acct1, "p1")
	awsARN := "arn:aws:iam::aws:policy/ReadOnlyAccess"
	must(t, "attach p1 to role", st.AttachPolicy(ctx, acct1, store.RoleEntity, "r", p1, 2))
	must(t, "attach AWS policy", st.AttachPolicy(ctx, acct1, store.RoleEntity, "r", awsARN, 2))
	must(t, "attach again is a no-op at the limit", st.AttachPolicy(ctx, acct1, store.RoleEntity, "r", p1, 2))
	wantErr(t, "third attachment", st.AttachPolicy(ctx, acct1, store.RoleEntity, "r", iamPolicy(t, st, acct1, "p2"), 2), store.ErrLimitExceeded)
	wantErr(t, "missing local policy", st.AttachPolicy(ctx, acct1, store.UserEntity, "u", "arn:aws:iam::111111111111:policy/none", 10), store.ErrNotFound)
	wantErr(t, "other account's policy", st.AttachPolicy(ctx, acct2, store.UserEntity, "u", p1, 10), store.ErrNotFound)
	must(t, "attach to user", st.AttachPolicy(ctx, acct1, store.UserEntity, "u", p1, 10))
	must(t, "attach to group", st.AttachPolicy(ctx, acct1, store.GroupEntity, "g", p1, 10))
	arns, err := st.ListAttachedPolicies(ctx, acct1, store.RoleEntity, "r")
	must(t, "ListAttachedPolicies", err)
	if !reflect.DeepEqual(arns, []string{p1, awsARN}) {
		t.Errorf("ListAttachedPolicies = %v", arns)
	}
	es, err := st.ListPolicyEntities(ctx, acct1, p1, false)
	must(t, "ListPolicyEntities", err)
	var kinds []string
	for _, e := range es {
		kinds = append(kinds, string(e.Kind)+":"+e.Name)
	}
	if want := []string{"group:g", "role:r", "user:u"}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("ListPolicyEntities = %v", kinds)
	}
	_, err = st.UpdateUser(ctx, acct1, "u", func(u *store.IAMUser) error { u.PermissionsBoundary = awsARN; return nil })
	must(t, "set boundary", err)
	att, bnd, err := st.PolicyUsage(ctx, acct1, awsARN)
	must(t, "PolicyUsage", err)
	if att != 1 || bnd != 1 {
		t.Errorf("PolicyUsage = %d, %d", att, bnd)
	}
	es, err = st.ListPolicyEntities(ctx, acct1, awsARN, true)
	must(t, "ListPolicyEntities boundary", err)
	if len(es) != 1 || es[0].Kind != store.UserEntity || es[0].Name != "u" {
		t.Errorf("boundary entities = %+v", es)
	}
	att, _, err = st.PolicyUsage(ctx, acct2, awsARN)
	must(t, "PolicyUsage other account", err)
	if att != 0 {
		t.Errorf("other account counts %d attachments", att)
	}
	must(t, "DetachPolicy", st.DetachPolicy(ctx, acct1, store.RoleEntity, "r", p1))
	wantErr(t, "DetachPolicy twice", st.DetachPolicy(ctx, acct1, store.RoleEntity, "r", p1), store.ErrNotFound)
}

func testIAMManaged(t *testing.T, st IAMStore) {
	ctx := t.Context()
	p := &store.ManagedPolicy{AccountID: acct1, Name: "Pol", Path: "/a/", ID: "ANPAPOL", Description: "d", CreatedAt: base, UpdatedAt: base,
		Tags: []store.Tag{{Key: "k", Value: "v"}}}
	must(t, "CreatePolicy", st.CreatePolicy(ctx, p, "doc1"))
	if p.DefaultVersion != "v1" {
		t.Errorf("DefaultVersion = %q", p.DefaultVersion)
	}
	wantErr(t, "dup policy", st.CreatePolicy(ctx, &store.ManagedPolicy{AccountID: acct1, Name: "pol", Path: "/", ID: "ANPAX"}, "d"), store.ErrExists)
	got, err := st.GetPolicy(ctx, acct1, "POL")
	must(t, "GetPolicy", err)
	if got.Path != "/a/" || got.Description != "d" || got.DefaultVersion != "v1" || len(got.Tags) != 1 || got.AttachmentCount != 0 {
		t.Errorf("GetPolicy = %+v", got)
	}
	later := base.Add(time.Hour)
	for i := 2; i <= 3; i++ {
		v, err := st.CreatePolicyVersion(ctx, acct1, "pol", fmt.Sprintf("doc%d", i), i == 2, 3, later)
		must(t, "CreatePolicyVersion", err)
		if v.VersionID != fmt.Sprintf("v%d", i) || v.IsDefault != (i == 2) {
			t.Errorf("version = %+v", v)
		}
	}
	_, err = st.CreatePolicyVersion(ctx, acct1, "pol", "doc4", false, 3, later)
	wantErr(t, "too many versions", err, store.ErrLimitExceeded)
	got, _ = st.GetPolicy(ctx, acct1, "pol")
	if got.DefaultVersion != "v2" {
		t.Errorf("default after SetAsDefault = %s", got.DefaultVersion)
	}
	sameTime(t, "UpdatedAt", got.UpdatedAt, later)
	wantConflict(t, "delete default version", st.DeletePolicyVersion(ctx, acct1, "pol", "v2"), store.ConflictDefaultVersion)
	must(t, "DeletePolicyVersion", st.DeletePolicyVersion(ctx, acct1, "pol", "v3"))
	v, err := st.CreatePolicyVersion(ctx, acct1, "pol", "doc4", false, 3, later)
	must(t, "CreatePolicyVersion after delete", err)
	if v.VersionID != "v4" {
		t.Errorf("version ids are reused: %s", v.VersionID)
	}
	must(t, "SetDefaultPolicyVersion", st.SetDefaultPolicyVersion(ctx, acct1, "pol", "v4", later))
	wantErr(t, "SetDefault missing", st.SetDefaultPolicyVersion(ctx, acct1, "pol", "v9", later), store.ErrNotFound)
	vs, err := st.ListPolicyVersions(ctx, acct1, "pol")
	must(t, "ListPolicyVersions", err)
	var ids []string
	for _, v := range vs {
		ids = append(ids, fmt.Sprintf("%s:%v:%s", v.VersionID, v.IsDefault, v.Document))
	}
	if want := []string{"v4:true:doc4", "v2:false:doc2", "v1:false:doc1"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ListPolicyVersions = %v", ids)
	}
	pv, err := st.GetPolicyVersion(ctx, acct1, "pol", "v1")
	must(t, "GetPolicyVersion", err)
	sameTime(t, "version CreatedAt", pv.CreatedAt, base)
	_, err = st.GetPolicyVersion(ctx, acct1, "pol", "v3")
	wantErr(t, "deleted version", err, store.ErrNotFound)

	iamRole(t, st, acct1, "r")
	arn := "arn:aws:iam::111111111111:policy/a/Pol"
	must(t, "attach", st.AttachPolicy(ctx, acct1, store.RoleEntity, "r", arn, 10))
	iamPolicy(t, st, acct1, "other")
	list, err := st.ListPolicies(ctx, acct1, "/", "", true, 0)
	must(t, "ListPolicies onlyAttached", err)
	if len(list) != 1 || list[0].Name != "Pol" || list[0].AttachmentCount != 1 {
		t.Errorf("ListPolicies onlyAttached = %+v", list)
	}
	list, err = st.ListPolicies(ctx, acct1, "/a/", "", false, 0)
	must(t, "ListPolicies prefix", err)
	if len(list) != 1 {
		t.Errorf("ListPolicies /a/ = %d", len(list))
	}
	wantConflict(t, "DeletePolicy attached", st.DeletePolicy(ctx, acct1, "pol"), store.ConflictAttachments)
	must(t, "detach", st.DetachPolicy(ctx, acct1, store.RoleEntity, "r", arn))
	_, err = st.UpdateRole(ctx, acct1, "r", func(r *store.IAMRole) error { r.PermissionsBoundary = arn; return nil })
	must(t, "boundary", err)
	wantConflict(t, "DeletePolicy boundary", st.DeletePolicy(ctx, acct1, "pol"), store.ConflictBoundary)
	_, err = st.UpdateRole(ctx, acct1, "r", func(r *store.IAMRole) error { r.PermissionsBoundary = ""; return nil })
	must(t, "clear boundary", err)
	wantConflict(t, "DeletePolicy versions", st.DeletePolicy(ctx, acct1, "pol"), store.ConflictVersions)
	must(t, "delete v1", st.DeletePolicyVersion(ctx, acct1, "pol", "v1"))
	must(t, "delete v2", st.DeletePolicyVersion(ctx, acct1, "pol", "v2"))
	must(t, "DeletePolicy", st.DeletePolicy(ctx, acct1, "pol"))
	_, err = st.GetPolicy(ctx, acct1, "pol")
	wantErr(t, "deleted policy", err, store.ErrNotFound)
}

func testIAMProfiles(t *testing.T, st IAMStore) {
	ctx := t.Context()
	p := &store.InstanceProfile{AccountID: acct1, Name: "Web", Path: "/", ID: "AIPAWEB", CreatedAt: base}
	must(t, "CreateInstanceProfile", st.CreateInstanceProfile(ctx, p))
	wantErr(t, "dup profile", st.CreateInstanceProfile(ctx, &store.InstanceProfile{AccountID: acct1, Name: "web", Path: "/", ID: "AIPAX"}), store.ErrExists)
	iamRole(t, st, acct1, "r1")
	iamRole(t, st, acct1, "r2")
	must(t, "AddRoleToInstanceProfile", st.AddRoleToInstanceProfile(ctx, acct1, "web", "R1"))
	wantErr(t, "second role", st.AddRoleToInstanceProfile(ctx, acct1, "web", "r2"), store.ErrLimitExceeded)
	wantErr(t, "missing role", st.AddRoleToInstanceProfile(ctx, acct1, "web", "zz"), store.ErrNotFound)
	got, err := st.GetInstanceProfile(ctx, acct1, "WEB")
	must(t, "GetInstanceProfile", err)
	if !reflect.DeepEqual(got.Roles, []string{"r1"}) {
		t.Errorf("profile roles = %v", got.Roles)
	}
	ps, err := st.ListInstanceProfilesForRole(ctx, acct1, "r1")
	must(t, "ListInstanceProfilesForRole", err)
	if len(ps) != 1 || ps[0].Name != "Web" {
		t.Errorf("ListInstanceProfilesForRole = %+v", ps)
	}
	wantConflict(t, "DeleteRole in profile", st.DeleteRole(ctx, acct1, "r1"), store.ConflictInstanceProfiles)
	wantConflict(t, "DeleteInstanceProfile with role", st.DeleteInstanceProfile(ctx, acct1, "web"), store.ConflictRoles)
	wantErr(t, "remove role not in it", st.RemoveRoleFromInstanceProfile(ctx, acct1, "web", "r2"), store.ErrNotFound)
	must(t, "RemoveRoleFromInstanceProfile", st.RemoveRoleFromInstanceProfile(ctx, acct1, "web", "r1"))
	list, err := st.ListInstanceProfiles(ctx, acct1, "/", "", 0)
	must(t, "ListInstanceProfiles", err)
	if len(list) != 1 || list[0].Roles != nil {
		t.Errorf("ListInstanceProfiles = %+v", list)
	}
	must(t, "DeleteInstanceProfile", st.DeleteInstanceProfile(ctx, acct1, "web"))
	must(t, "DeleteRole", st.DeleteRole(ctx, acct1, "r1"))
}

func testIAMKeys(t *testing.T, st IAMStore) {
	ctx := t.Context()
	iamUser(t, st, acct1, "u", "/")
	key := func(id, user string) *store.AccessKey {
		return &store.AccessKey{ID: id, Secret: "secret-" + id, AccountID: acct1, UserName: user, Status: "Active", CreatedAt: base}
	}
	must(t, "key 1", st.CreateUserAccessKey(ctx, key("AKIA0000000000000001", "u"), 2))
	must(t, "key 2", st.CreateUserAccessKey(ctx, key("AKIA0000000000000002", "u"), 2))
	wantErr(t, "key 3", st.CreateUserAccessKey(ctx, key("AKIA0000000000000003", "u"), 2), store.ErrLimitExceeded)
	wantErr(t, "missing user", st.CreateUserAccessKey(ctx, key("AKIA0000000000000004", "nobody"), 2), store.ErrNotFound)
	wantErr(t, "taken id", st.CreateUserAccessKey(ctx, key("AKIA0000000000000001", ""), 2), store.ErrExists)
	must(t, "root key", st.CreateUserAccessKey(ctx, key("AKIA0000000000000005", ""), 2))
	ks, err := st.ListUserAccessKeys(ctx, acct1, "u")
	must(t, "ListUserAccessKeys", err)
	if len(ks) != 2 || ks[0].ID != "AKIA0000000000000001" || ks[0].Secret != "secret-AKIA0000000000000001" {
		t.Errorf("ListUserAccessKeys = %+v", ks)
	}
	ks, err = st.ListUserAccessKeys(ctx, acct1, "")
	must(t, "root keys", err)
	if len(ks) != 1 {
		t.Errorf("root keys = %d", len(ks))
	}
	must(t, "UpdateAccessKeyStatus", st.UpdateAccessKeyStatus(ctx, acct1, "u", "AKIA0000000000000001", "Inactive"))
	k, err := st.GetAccessKey(ctx, "AKIA0000000000000001")
	must(t, "GetAccessKey", err)
	if k.Status != "Inactive" {
		t.Errorf("status = %s", k.Status)
	}
	wantErr(t, "update key of another user", st.UpdateAccessKeyStatus(ctx, acct1, "", "AKIA0000000000000001", "Active"), store.ErrNotFound)
	wantErr(t, "delete key from another account", st.DeleteUserAccessKey(ctx, acct2, "u", "AKIA0000000000000001"), store.ErrNotFound)
	must(t, "DeleteUserAccessKey", st.DeleteUserAccessKey(ctx, acct1, "u", "AKIA0000000000000001"))
	_, err = st.GetAccessKey(ctx, "AKIA0000000000000001")
	wantErr(t, "deleted key", err, store.ErrNotFound)
}

func testIAMVersion(t *testing.T, st IAMStore) {
	ctx := t.Context()
	v0, err := st.IAMVersion(ctx, acct1)
	must(t, "IAMVersion", err)
	if v0 != 0 {
		t.Errorf("new account version = %d", v0)
	}
	iamUser(t, st, acct1, "u", "/")
	v1, _ := st.IAMVersion(ctx, acct1)
	_, err = st.UpdateUser(ctx, acct1, "u", func(u *store.IAMUser) error { u.Tags = nil; return nil })
	must(t, "UpdateUser", err)
	v2, _ := st.IAMVersion(ctx, acct1)
	must(t, "PutInlinePolicy", st.PutInlinePolicy(ctx, acct1, store.UserEntity, "u", &store.InlinePolicy{Name: "p", Document: "{}", Size: 2}, 100))
	v3, _ := st.IAMVersion(ctx, acct1)
	if !(v0 < v1 && v1 < v2 && v2 < v3) {
		t.Errorf("versions %d %d %d %d do not increase", v0, v1, v2, v3)
	}
	// A failed write does not bump; other accounts are unaffected.
	_ = st.CreateUser(ctx, &store.IAMUser{AccountID: acct1, Name: "U", Path: "/", ID: "AIDAX"})
	if v, _ := st.IAMVersion(ctx, acct1); v != v3 {
		t.Errorf("failed write bumped the version to %d", v)
	}
	if v, _ := st.IAMVersion(ctx, acct2); v != 0 {
		t.Errorf("other account's version = %d", v)
	}
}
