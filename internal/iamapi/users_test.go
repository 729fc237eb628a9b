package iamapi_test

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestUsers(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	out := must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{
		UserName: aws.String("Alice"), Path: aws.String("/eng/"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}},
	}))
	u := out.User
	if aws.ToString(u.Arn) != "arn:aws:iam::111111111111:user/eng/Alice" || aws.ToString(u.Path) != "/eng/" ||
		!strings.HasPrefix(aws.ToString(u.UserId), "AIDA") || len(aws.ToString(u.UserId)) != 21 || u.CreateDate == nil {
		t.Fatalf("CreateUser = %+v", u)
	}
	_, err := c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("alice")})
	wantErr(t, "CreateUser same name other case", err, "EntityAlreadyExists", "User with name alice already exists.")

	// Lookups ignore case and keep the stored case.
	got := must[*iam.GetUserOutput](t, "GetUser")(c.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("ALICE")}))
	if aws.ToString(got.User.UserName) != "Alice" || len(got.User.Tags) != 1 {
		t.Fatalf("GetUser = %+v", got.User)
	}
	_, err = c.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("bob")})
	wantErr(t, "GetUser missing", err, "NoSuchEntity", "The user with name bob cannot be found.")

	// GetUser without a name answers for the root.
	me := must[*iam.GetUserOutput](t, "GetUser self")(c.GetUser(ctx(t), &iam.GetUserInput{}))
	if aws.ToString(me.User.Arn) != "arn:aws:iam::111111111111:root" || aws.ToString(me.User.UserId) != acctA {
		t.Fatalf("GetUser self = %+v", me.User)
	}

	_, err = c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("bad name!")})
	wantErr(t, "CreateUser bad name", err, "ValidationError",
		`1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)
	_, err = c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String(strings.Repeat("a", 65)), Path: aws.String("nopath")})
	wantErr(t, "CreateUser two errors", err, "ValidationError", "")
	if !strings.HasPrefix(err.Error(), "") || !strings.Contains(err.Error(), "2 validation errors detected") {
		t.Fatalf("two errors: %v", err)
	}

	// Pagination: 7 users, pages of 3.
	for _, n := range []string{"u5", "u1", "u4", "u3", "u2", "u6"} {
		must[*iam.CreateUserOutput](t, "CreateUser "+n)(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String(n)}))
	}
	var names []string
	var marker *string
	pages := 0
	for {
		lo := must[*iam.ListUsersOutput](t, "ListUsers")(c.ListUsers(ctx(t), &iam.ListUsersInput{MaxItems: aws.Int32(3), Marker: marker}))
		pages++
		for _, u := range lo.Users {
			names = append(names, aws.ToString(u.UserName))
			if u.Tags != nil || u.PermissionsBoundary != nil {
				t.Errorf("ListUsers shows tags or boundary of %s", aws.ToString(u.UserName))
			}
		}
		if !lo.IsTruncated {
			if lo.Marker != nil {
				t.Error("last page has a marker")
			}
			break
		}
		marker = lo.Marker
	}
	if want := []string{"Alice", "u1", "u2", "u3", "u4", "u5", "u6"}; !reflect.DeepEqual(names, want) || pages != 3 {
		t.Fatalf("ListUsers pages = %d, names %v", pages, names)
	}
	lo := must[*iam.ListUsersOutput](t, "ListUsers prefix")(c.ListUsers(ctx(t), &iam.ListUsersInput{PathPrefix: aws.String("/eng")}))
	if len(lo.Users) != 1 {
		t.Fatalf("ListUsers /eng = %d users", len(lo.Users))
	}
	_, err = c.ListUsers(ctx(t), &iam.ListUsersInput{MaxItems: aws.Int32(1001)})
	wantErr(t, "ListUsers MaxItems", err, "ValidationError",
		"1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000")

	// Rename and move.
	must[*iam.UpdateUserOutput](t, "UpdateUser")(c.UpdateUser(ctx(t), &iam.UpdateUserInput{UserName: aws.String("u6"), NewUserName: aws.String("u7"), NewPath: aws.String("/x/")}))
	got = must[*iam.GetUserOutput](t, "GetUser u7")(c.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("u7")}))
	if aws.ToString(got.User.Arn) != "arn:aws:iam::111111111111:user/x/u7" {
		t.Fatalf("renamed user = %s", aws.ToString(got.User.Arn))
	}
	_, err = c.UpdateUser(ctx(t), &iam.UpdateUserInput{UserName: aws.String("u7"), NewUserName: aws.String("U1")})
	wantErr(t, "UpdateUser to taken name", err, "EntityAlreadyExists", "")

	// Tags.
	must[*iam.TagUserOutput](t, "TagUser")(c.TagUser(ctx(t), &iam.TagUserInput{UserName: aws.String("alice"),
		Tags: []types.Tag{{Key: aws.String("TEAM"), Value: aws.String("red")}, {Key: aws.String("env"), Value: aws.String("dev")}}}))
	tl := must[*iam.ListUserTagsOutput](t, "ListUserTags")(c.ListUserTags(ctx(t), &iam.ListUserTagsInput{UserName: aws.String("alice")}))
	if len(tl.Tags) != 2 || aws.ToString(tl.Tags[0].Value) != "red" {
		t.Fatalf("tags after TagUser = %+v", tl.Tags)
	}
	must[*iam.UntagUserOutput](t, "UntagUser")(c.UntagUser(ctx(t), &iam.UntagUserInput{UserName: aws.String("alice"), TagKeys: []string{"team"}}))
	tl = must[*iam.ListUserTagsOutput](t, "ListUserTags")(c.ListUserTags(ctx(t), &iam.ListUserTagsInput{UserName: aws.String("alice")}))
	if len(tl.Tags) != 1 || aws.ToString(tl.Tags[0].Key) != "env" {
		t.Fatalf("tags after UntagUser = %+v", tl.Tags)
	}
	_, err = c.TagUser(ctx(t), &iam.TagUserInput{UserName: aws.String("alice"),
		Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("1")}, {Key: aws.String("K"), Value: aws.String("2")}}})
	wantErr(t, "TagUser duplicate keys", err, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.")

	must[*iam.DeleteUserOutput](t, "DeleteUser")(c.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("u1")}))
	_, err = c.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("u1")})
	wantErr(t, "DeleteUser twice", err, "NoSuchEntity", "The user with name u1 cannot be found.")
}

func TestAccessKeys(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("bob")}))
	var ids []string
	for i := 0; i < 2; i++ {
		k := must[*iam.CreateAccessKeyOutput](t, "CreateAccessKey")(c.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{UserName: aws.String("bob")}))
		id, secret := aws.ToString(k.AccessKey.AccessKeyId), aws.ToString(k.AccessKey.SecretAccessKey)
		if !strings.HasPrefix(id, "AKIA") || len(id) != 20 || len(secret) != 40 || k.AccessKey.Status != types.StatusTypeActive {
			t.Fatalf("CreateAccessKey = %s %q %s", id, secret, k.AccessKey.Status)
		}
		ids = append(ids, id)
	}
	_, err := c.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{UserName: aws.String("bob")})
	wantErr(t, "third key", err, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2")
	_, err = c.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{UserName: aws.String("nobody")})
	wantErr(t, "key of missing user", err, "NoSuchEntity", "The user with name nobody cannot be found.")

	lk := must[*iam.ListAccessKeysOutput](t, "ListAccessKeys")(c.ListAccessKeys(ctx(t), &iam.ListAccessKeysInput{UserName: aws.String("bob")}))
	if len(lk.AccessKeyMetadata) != 2 {
		t.Fatalf("ListAccessKeys = %d keys", len(lk.AccessKeyMetadata))
	}
	must[*iam.UpdateAccessKeyOutput](t, "UpdateAccessKey")(c.UpdateAccessKey(ctx(t), &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(ids[0]), Status: types.StatusTypeInactive}))
	k, err := e.st.GetAccessKey(ctx(t), ids[0])
	if err != nil || k.Status != "Inactive" || k.UserName != "bob" {
		t.Fatalf("stored key after UpdateAccessKey = %+v, %v", k, err)
	}
	lu := must[*iam.GetAccessKeyLastUsedOutput](t, "GetAccessKeyLastUsed")(c.GetAccessKeyLastUsed(ctx(t), &iam.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(ids[1])}))
	if aws.ToString(lu.UserName) != "bob" || aws.ToString(lu.AccessKeyLastUsed.ServiceName) != "N/A" {
		t.Fatalf("GetAccessKeyLastUsed = %+v", lu)
	}
	_, err = c.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantErr(t, "DeleteUser with keys", err, "DeleteConflict", "Cannot delete entity, must delete access keys first.")
	_, err = e.root(acctB).DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(ids[0])})
	wantErr(t, "other account deletes the key", err, "NoSuchEntity", "The Access Key with id "+ids[0]+" cannot be found.")
	for _, id := range ids {
		must[*iam.DeleteAccessKeyOutput](t, "DeleteAccessKey")(c.DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(id)}))
	}
	_, err = c.DeleteAccessKey(ctx(t), &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: aws.String(ids[0])})
	wantErr(t, "DeleteAccessKey twice", err, "NoSuchEntity", "")
	must[*iam.DeleteUserOutput](t, "DeleteUser")(c.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("bob")}))

	// Without UserName the root manages its own keys.
	rk := must[*iam.CreateAccessKeyOutput](t, "CreateAccessKey root")(c.CreateAccessKey(ctx(t), &iam.CreateAccessKeyInput{}))
	k, err = e.st.GetAccessKey(ctx(t), aws.ToString(rk.AccessKey.AccessKeyId))
	if err != nil || k.UserName != "" || k.AccountID != acctA {
		t.Fatalf("root key = %+v, %v", k, err)
	}
}

func TestGroups(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	g := must[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx(t), &iam.CreateGroupInput{GroupName: aws.String("Devs")}))
	if !strings.HasPrefix(aws.ToString(g.Group.GroupId), "AGPA") || aws.ToString(g.Group.Arn) != "arn:aws:iam::111111111111:group/Devs" {
		t.Fatalf("CreateGroup = %+v", g.Group)
	}
	_, err := c.CreateGroup(ctx(t), &iam.CreateGroupInput{GroupName: aws.String("DEVS")})
	wantErr(t, "CreateGroup dup", err, "EntityAlreadyExists", "Group with name DEVS already exists.")
	for _, u := range []string{"ann", "ben"} {
		must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String(u)}))
		must[*iam.AddUserToGroupOutput](t, "AddUserToGroup")(c.AddUserToGroup(ctx(t), &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String(u)}))
	}
	// Adding twice is a no-op.
	must[*iam.AddUserToGroupOutput](t, "AddUserToGroup again")(c.AddUserToGroup(ctx(t), &iam.AddUserToGroupInput{GroupName: aws.String("devs"), UserName: aws.String("ann")}))
	_, err = c.AddUserToGroup(ctx(t), &iam.AddUserToGroupInput{GroupName: aws.String("nogroup"), UserName: aws.String("ann")})
	wantErr(t, "AddUserToGroup missing group", err, "NoSuchEntity", "The group with name nogroup cannot be found.")
	gg := must[*iam.GetGroupOutput](t, "GetGroup")(c.GetGroup(ctx(t), &iam.GetGroupInput{GroupName: aws.String("devs"), MaxItems: aws.Int32(1)}))
	if len(gg.Users) != 1 || !gg.IsTruncated || aws.ToString(gg.Users[0].UserName) != "ann" {
		t.Fatalf("GetGroup page 1 = %+v", gg)
	}
	gg = must[*iam.GetGroupOutput](t, "GetGroup 2")(c.GetGroup(ctx(t), &iam.GetGroupInput{GroupName: aws.String("devs"), Marker: gg.Marker}))
	if len(gg.Users) != 1 || gg.IsTruncated || aws.ToString(gg.Users[0].UserName) != "ben" {
		t.Fatalf("GetGroup page 2 = %+v", gg)
	}
	lg := must[*iam.ListGroupsForUserOutput](t, "ListGroupsForUser")(c.ListGroupsForUser(ctx(t), &iam.ListGroupsForUserInput{UserName: aws.String("ben")}))
	if len(lg.Groups) != 1 || aws.ToString(lg.Groups[0].GroupName) != "Devs" {
		t.Fatalf("ListGroupsForUser = %+v", lg.Groups)
	}
	_, err = c.DeleteGroup(ctx(t), &iam.DeleteGroupInput{GroupName: aws.String("devs")})
	wantErr(t, "DeleteGroup with members", err, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	_, err = c.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("ann")})
	wantErr(t, "DeleteUser in group", err, "DeleteConflict", "Cannot delete entity, must remove users from group first.")
	for _, u := range []string{"ann", "ben"} {
		must[*iam.RemoveUserFromGroupOutput](t, "RemoveUserFromGroup")(c.RemoveUserFromGroup(ctx(t), &iam.RemoveUserFromGroupInput{GroupName: aws.String("devs"), UserName: aws.String(u)}))
	}
	lgs := must[*iam.ListGroupsOutput](t, "ListGroups")(c.ListGroups(ctx(t), &iam.ListGroupsInput{}))
	if len(lgs.Groups) != 1 {
		t.Fatalf("ListGroups = %d", len(lgs.Groups))
	}
	must[*iam.DeleteGroupOutput](t, "DeleteGroup")(c.DeleteGroup(ctx(t), &iam.DeleteGroupInput{GroupName: aws.String("devs")}))
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	r := must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx(t), &iam.CreateRoleInput{
		RoleName: aws.String("app"), Path: aws.String("/svc/"), AssumeRolePolicyDocument: aws.String(trust),
		Description: aws.String("the app"), Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}},
	}))
	if aws.ToString(r.Role.Arn) != "arn:aws:iam::111111111111:role/svc/app" || aws.ToInt32(r.Role.MaxSessionDuration) != 3600 ||
		!strings.HasPrefix(aws.ToString(r.Role.RoleId), "AROA") {
		t.Fatalf("CreateRole = %+v", r.Role)
	}
	gr := must[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("APP")}))
	doc, err := url.QueryUnescape(aws.ToString(gr.Role.AssumeRolePolicyDocument))
	if err != nil || doc != trust {
		t.Fatalf("trust policy round trip = %q, %v", doc, err)
	}
	if strings.ContainsAny(aws.ToString(gr.Role.AssumeRolePolicyDocument), "{\"") {
		t.Fatal("trust policy is not URL-encoded")
	}
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("App"), AssumeRolePolicyDocument: aws.String(trust)})
	wantErr(t, "CreateRole dup", err, "EntityAlreadyExists", "Role with name App already exists.")
	_, err = c.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("nope")})
	wantErr(t, "GetRole missing", err, "NoSuchEntity", "The role with name nope cannot be found.")
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(trust), MaxSessionDuration: aws.Int32(100)})
	wantErr(t, "MaxSessionDuration", err, "ValidationError",
		"1 validation error detected: Value '100' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600")
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(s3Read)})
	wantErr(t, "identity policy as trust policy", err, "MalformedPolicyDocument", "")
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String("{not json")})
	wantErr(t, "bad JSON trust", err, "MalformedPolicyDocument", "")
	ghost := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:role/ghost"},"Action":"sts:AssumeRole"}]}`
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(ghost)})
	wantErr(t, "trust naming a missing role", err, "MalformedPolicyDocument", `Invalid principal in policy: "AWS":"arn:aws:iam::222222222222:role/ghost"`)
	big := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalTag/x":"` + strings.Repeat("y", 2100) + `"}}}]}`
	_, err = c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r2"), AssumeRolePolicyDocument: aws.String(big)})
	wantErr(t, "trust too big", err, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048")

	must[*iam.UpdateRoleOutput](t, "UpdateRole")(c.UpdateRole(ctx(t), &iam.UpdateRoleInput{RoleName: aws.String("app"), MaxSessionDuration: aws.Int32(43200), Description: aws.String("new")}))
	trust2 := strings.Replace(trust, "ec2.amazonaws.com", "lambda.amazonaws.com", 1)
	must[*iam.UpdateAssumeRolePolicyOutput](t, "UpdateAssumeRolePolicy")(c.UpdateAssumeRolePolicy(ctx(t), &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("app"), PolicyDocument: aws.String(trust2)}))
	gr = must[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("app")}))
	doc, _ = url.QueryUnescape(aws.ToString(gr.Role.AssumeRolePolicyDocument))
	if aws.ToInt32(gr.Role.MaxSessionDuration) != 43200 || aws.ToString(gr.Role.Description) != "new" || doc != trust2 || len(gr.Role.Tags) != 1 {
		t.Fatalf("role after updates = %+v", gr.Role)
	}
	must[*iam.TagRoleOutput](t, "TagRole")(c.TagRole(ctx(t), &iam.TagRoleInput{RoleName: aws.String("app"), Tags: []types.Tag{{Key: aws.String("c"), Value: aws.String("d")}}}))
	must[*iam.UntagRoleOutput](t, "UntagRole")(c.UntagRole(ctx(t), &iam.UntagRoleInput{RoleName: aws.String("app"), TagKeys: []string{"a"}}))
	rt := must[*iam.ListRoleTagsOutput](t, "ListRoleTags")(c.ListRoleTags(ctx(t), &iam.ListRoleTagsInput{RoleName: aws.String("app")}))
	if len(rt.Tags) != 1 || aws.ToString(rt.Tags[0].Key) != "c" {
		t.Fatalf("ListRoleTags = %+v", rt.Tags)
	}
	lr := must[*iam.ListRolesOutput](t, "ListRoles")(c.ListRoles(ctx(t), &iam.ListRolesInput{}))
	if len(lr.Roles) != 1 || lr.Roles[0].Tags != nil {
		t.Fatalf("ListRoles = %+v", lr.Roles)
	}
	must[*iam.PutRolePolicyOutput](t, "PutRolePolicy")(c.PutRolePolicy(ctx(t), &iam.PutRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("p"), PolicyDocument: aws.String(s3Read)}))
	_, err = c.DeleteRole(ctx(t), &iam.DeleteRoleInput{RoleName: aws.String("app")})
	wantErr(t, "DeleteRole with inline policy", err, "DeleteConflict", "Cannot delete entity, must delete policies first.")
	must[*iam.DeleteRolePolicyOutput](t, "DeleteRolePolicy")(c.DeleteRolePolicy(ctx(t), &iam.DeleteRolePolicyInput{RoleName: aws.String("app"), PolicyName: aws.String("p")}))
	must[*iam.DeleteRoleOutput](t, "DeleteRole")(c.DeleteRole(ctx(t), &iam.DeleteRoleInput{RoleName: aws.String("app")}))
}
