package iamapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

func TestInlinePolicies(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("u")}))
	must[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx(t), &iam.CreateGroupInput{GroupName: aws.String("g")}))
	must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)}))

	// One table per kind: put, get (URL-encoded), list, replace, delete.
	type ops struct {
		kind string
		put  func(name, doc string) error
		get  func(name string) (string, error)
		list func() ([]string, error)
		del  func(name string) error
		max  int
	}
	all := []ops{
		{"user", func(n, d string) error {
			_, err := c.PutUserPolicy(ctx(t), &iam.PutUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String(n), PolicyDocument: aws.String(d)})
			return err
		}, func(n string) (string, error) {
			o, err := c.GetUserPolicy(ctx(t), &iam.GetUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String(n)})
			if err != nil {
				return "", err
			}
			if aws.ToString(o.UserName) != "u" {
				return "", fmt.Errorf("UserName = %q", aws.ToString(o.UserName))
			}
			return aws.ToString(o.PolicyDocument), nil
		}, func() ([]string, error) {
			o, err := c.ListUserPolicies(ctx(t), &iam.ListUserPoliciesInput{UserName: aws.String("u")})
			if err != nil {
				return nil, err
			}
			return o.PolicyNames, nil
		}, func(n string) error {
			_, err := c.DeleteUserPolicy(ctx(t), &iam.DeleteUserPolicyInput{UserName: aws.String("u"), PolicyName: aws.String(n)})
			return err
		}, 2048},
		{"group", func(n, d string) error {
			_, err := c.PutGroupPolicy(ctx(t), &iam.PutGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String(n), PolicyDocument: aws.String(d)})
			return err
		}, func(n string) (string, error) {
			o, err := c.GetGroupPolicy(ctx(t), &iam.GetGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String(n)})
			if err != nil {
				return "", err
			}
			if aws.ToString(o.GroupName) != "g" {
				return "", fmt.Errorf("GroupName = %q", aws.ToString(o.GroupName))
			}
			return aws.ToString(o.PolicyDocument), nil
		}, func() ([]string, error) {
			o, err := c.ListGroupPolicies(ctx(t), &iam.ListGroupPoliciesInput{GroupName: aws.String("g")})
			if err != nil {
				return nil, err
			}
			return o.PolicyNames, nil
		}, func(n string) error {
			_, err := c.DeleteGroupPolicy(ctx(t), &iam.DeleteGroupPolicyInput{GroupName: aws.String("g"), PolicyName: aws.String(n)})
			return err
		}, 5120},
		{"role", func(n, d string) error {
			_, err := c.PutRolePolicy(ctx(t), &iam.PutRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String(n), PolicyDocument: aws.String(d)})
			return err
		}, func(n string) (string, error) {
			o, err := c.GetRolePolicy(ctx(t), &iam.GetRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String(n)})
			if err != nil {
				return "", err
			}
			if aws.ToString(o.RoleName) != "r" {
				return "", fmt.Errorf("RoleName = %q", aws.ToString(o.RoleName))
			}
			return aws.ToString(o.PolicyDocument), nil
		}, func() ([]string, error) {
			o, err := c.ListRolePolicies(ctx(t), &iam.ListRolePoliciesInput{RoleName: aws.String("r")})
			if err != nil {
				return nil, err
			}
			return o.PolicyNames, nil
		}, func(n string) error {
			_, err := c.DeleteRolePolicy(ctx(t), &iam.DeleteRolePolicyInput{RoleName: aws.String("r"), PolicyName: aws.String(n)})
			return err
		}, 10240},
	}
	for _, o := range all {
		t.Run(o.kind, func(t *testing.T) {
			if err := o.put("b", s3Read); err != nil {
				t.Fatal(err)
			}
			if err := o.put("a", s3Read); err != nil {
				t.Fatal(err)
			}
			enc, err := o.get("B")
			if err != nil {
				t.Fatal(err)
			}
			if doc, _ := url.QueryUnescape(enc); doc != s3Read || enc == s3Read {
				t.Fatalf("document = %q", enc)
			}
			names, err := o.list()
			if err != nil || strings.Join(names, ",") != "a,b" {
				t.Fatalf("list = %v, %v", names, err)
			}
			_, err = o.get("zz")
			wantErr(t, "get missing", err, "NoSuchEntity", "The "+o.kind+" policy with name zz cannot be found.")
			err = o.put("c", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
			wantErr(t, "principal in identity policy", err, "MalformedPolicyDocument", "Policy document should not specify a principal.")
			// The aggregate of an entity's inline policies is limited.
			pad := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"%s","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`, strings.Repeat("x", o.max-150))
			err = o.put("big", pad)
			wantErr(t, "aggregate size", err, "LimitExceeded", fmt.Sprintf("Maximum policy size of %d bytes exceeded for %s %s", o.max, o.kind, map[string]string{"user": "u", "group": "g", "role": "r"}[o.kind]))
			for _, n := range []string{"a", "b"} {
				if err := o.del(n); err != nil {
					t.Fatal(err)
				}
			}
			if err := o.put("big", pad); err != nil {
				t.Fatalf("policy under the quota alone: %v", err)
			}
			if err := o.del("big"); err != nil {
				t.Fatal(err)
			}
			err = o.del("big")
			wantErr(t, "delete twice", err, "NoSuchEntity", "")
		})
	}
	_, err := c.PutUserPolicy(ctx(t), &iam.PutUserPolicyInput{UserName: aws.String("ghost"), PolicyName: aws.String("p"), PolicyDocument: aws.String(s3Read)})
	wantErr(t, "PutUserPolicy missing user", err, "NoSuchEntity", "The user with name ghost cannot be found.")
}

func TestManagedPolicies(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	cp := must[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx(t), &iam.CreatePolicyInput{
		PolicyName: aws.String("Read"), Path: aws.String("/team/"), PolicyDocument: aws.String(s3Read), Description: aws.String("d"),
	}))
	arn := "arn:aws:iam::111111111111:policy/team/Read"
	if aws.ToString(cp.Policy.Arn) != arn || aws.ToString(cp.Policy.DefaultVersionId) != "v1" || !cp.Policy.IsAttachable ||
		!strings.HasPrefix(aws.ToString(cp.Policy.PolicyId), "ANPA") {
		t.Fatalf("CreatePolicy = %+v", cp.Policy)
	}
	_, err := c.CreatePolicy(ctx(t), &iam.CreatePolicyInput{PolicyName: aws.String("read"), PolicyDocument: aws.String(s3Read)})
	wantErr(t, "CreatePolicy dup", err, "EntityAlreadyExists", "A policy called read already exists. Duplicate names are not allowed.")
	_, err = c.CreatePolicy(ctx(t), &iam.CreatePolicyInput{PolicyName: aws.String("old"),
		PolicyDocument: aws.String(`{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)})
	wantErr(t, "managed policy version 2008", err, "MalformedPolicyDocument", "")
	_, err = c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::111111111111:policy/Read")})
	wantErr(t, "GetPolicy wrong path", err, "NoSuchEntity", "Policy arn:aws:iam::111111111111:policy/Read was not found.")
	_, err = c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: aws.String("not-an-arn-at-all-xx")})
	wantErr(t, "GetPolicy bad ARN", err, "InvalidInput", "ARN not-an-arn-at-all-xx is not valid.")

	// Versions: up to five; ids are never reused.
	for i := 2; i <= 5; i++ {
		v := must[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion")(c.CreatePolicyVersion(ctx(t), &iam.CreatePolicyVersionInput{
			PolicyArn: aws.String(arn), PolicyDocument: aws.String(s3Read), SetAsDefault: i == 3}))
		if want := fmt.Sprintf("v%d", i); aws.ToString(v.PolicyVersion.VersionId) != want || v.PolicyVersion.IsDefaultVersion != (i == 3) {
			t.Fatalf("version %d = %+v", i, v.PolicyVersion)
		}
	}
	_, err = c.CreatePolicyVersion(ctx(t), &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(s3Read)})
	wantErr(t, "sixth version", err, "LimitExceeded", "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	gp := must[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))
	if aws.ToString(gp.Policy.DefaultVersionId) != "v3" || aws.ToString(gp.Policy.Description) != "d" {
		t.Fatalf("GetPolicy = %+v", gp.Policy)
	}
	_, err = c.DeletePolicyVersion(ctx(t), &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v3")})
	wantErr(t, "delete default version", err, "DeleteConflict", "Cannot delete the default version of a policy.")
	must[*iam.DeletePolicyVersionOutput](t, "DeletePolicyVersion")(c.DeletePolicyVersion(ctx(t), &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")}))
	v6 := must[*iam.CreatePolicyVersionOutput](t, "CreatePolicyVersion v6")(c.CreatePolicyVersion(ctx(t), &iam.CreatePolicyVersionInput{PolicyArn: aws.String(arn), PolicyDocument: aws.String(s3Read)}))
	if aws.ToString(v6.PolicyVersion.VersionId) != "v6" {
		t.Fatalf("version after a delete = %s", aws.ToString(v6.PolicyVersion.VersionId))
	}
	must[*iam.SetDefaultPolicyVersionOutput](t, "SetDefaultPolicyVersion")(c.SetDefaultPolicyVersion(ctx(t), &iam.SetDefaultPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v6")}))
	lv := must[*iam.ListPolicyVersionsOutput](t, "ListPolicyVersions")(c.ListPolicyVersions(ctx(t), &iam.ListPolicyVersionsInput{PolicyArn: aws.String(arn)}))
	var vids []string
	for _, v := range lv.Versions {
		vids = append(vids, aws.ToString(v.VersionId))
		if v.IsDefaultVersion != (aws.ToString(v.VersionId) == "v6") {
			t.Errorf("IsDefaultVersion of %s = %v", aws.ToString(v.VersionId), v.IsDefaultVersion)
		}
	}
	if strings.Join(vids, ",") != "v6,v4,v3,v2,v1" {
		t.Fatalf("ListPolicyVersions = %v", vids)
	}
	gv := must[*iam.GetPolicyVersionOutput](t, "GetPolicyVersion")(c.GetPolicyVersion(ctx(t), &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v2")}))
	if doc, _ := url.QueryUnescape(aws.ToString(gv.PolicyVersion.Document)); doc != s3Read {
		t.Fatalf("GetPolicyVersion document = %q", doc)
	}
	_, err = c.GetPolicyVersion(ctx(t), &iam.GetPolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String("v5")})
	wantErr(t, "deleted version", err, "NoSuchEntity", "")
	_, err = c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantErr(t, "DeletePolicy with versions", err, "DeleteConflict",
		"This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")

	// Attachments, to all three kinds; AWS managed policies too.
	must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("u")}))
	must[*iam.CreateGroupOutput](t, "CreateGroup")(c.CreateGroup(ctx(t), &iam.CreateGroupInput{GroupName: aws.String("g")}))
	must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust)}))
	must[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx(t), &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)}))
	must[*iam.AttachGroupPolicyOutput](t, "AttachGroupPolicy")(c.AttachGroupPolicy(ctx(t), &iam.AttachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(arn)}))
	must[*iam.AttachRolePolicyOutput](t, "AttachRolePolicy")(c.AttachRolePolicy(ctx(t), &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}))
	s3ro := "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
	must[*iam.AttachRolePolicyOutput](t, "AttachRolePolicy AWS")(c.AttachRolePolicy(ctx(t), &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(s3ro)}))
	_, err = c.AttachRolePolicy(ctx(t), &iam.AttachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicy")})
	wantErr(t, "attach unknown AWS policy", err, "NoSuchEntity", "Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.")
	la := must[*iam.ListAttachedRolePoliciesOutput](t, "ListAttachedRolePolicies")(c.ListAttachedRolePolicies(ctx(t), &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("r")}))
	if len(la.AttachedPolicies) != 2 || aws.ToString(la.AttachedPolicies[0].PolicyName) != "Read" || aws.ToString(la.AttachedPolicies[1].PolicyArn) != s3ro {
		t.Fatalf("ListAttachedRolePolicies = %+v", la.AttachedPolicies)
	}
	le := must[*iam.ListEntitiesForPolicyOutput](t, "ListEntitiesForPolicy")(c.ListEntitiesForPolicy(ctx(t), &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(arn)}))
	if len(le.PolicyUsers) != 1 || len(le.PolicyGroups) != 1 || len(le.PolicyRoles) != 1 || aws.ToString(le.PolicyRoles[0].RoleName) != "r" {
		t.Fatalf("ListEntitiesForPolicy = %+v", le)
	}
	gp = must[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: aws.String(arn)}))
	if aws.ToInt32(gp.Policy.AttachmentCount) != 3 {
		t.Fatalf("AttachmentCount = %d", aws.ToInt32(gp.Policy.AttachmentCount))
	}
	aw := must[*iam.GetPolicyOutput](t, "GetPolicy AWS")(c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: aws.String(s3ro)}))
	if aws.ToInt32(aw.Policy.AttachmentCount) != 1 || aws.ToString(aw.Policy.DefaultVersionId) != "v3" {
		t.Fatalf("AWS policy = %+v", aw.Policy)
	}
	awv := must[*iam.GetPolicyVersionOutput](t, "GetPolicyVersion AWS")(c.GetPolicyVersion(ctx(t), &iam.GetPolicyVersionInput{PolicyArn: aws.String(s3ro), VersionId: aws.String("v3")}))
	if doc, _ := url.QueryUnescape(aws.ToString(awv.PolicyVersion.Document)); !strings.Contains(doc, `"s3:Get*"`) {
		t.Fatalf("AWS policy document = %q", doc)
	}
	_, err = c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: aws.String(s3ro)})
	wantErr(t, "delete AWS policy", err, "AccessDenied", "")
	_, err = c.DeleteRole(ctx(t), &iam.DeleteRoleInput{RoleName: aws.String("r")})
	wantErr(t, "DeleteRole attached", err, "DeleteConflict", "Cannot delete entity, must detach all policies first.")
	for _, v := range []string{"v1", "v2", "v3", "v4"} {
		must[*iam.DeletePolicyVersionOutput](t, "DeletePolicyVersion")(c.DeletePolicyVersion(ctx(t), &iam.DeletePolicyVersionInput{PolicyArn: aws.String(arn), VersionId: aws.String(v)}))
	}
	_, err = c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: aws.String(arn)})
	wantErr(t, "DeletePolicy attached", err, "DeleteConflict", "Cannot delete a policy attached to entities.")

	// OnlyAttached and scopes.
	lp := must[*iam.ListPoliciesOutput](t, "ListPolicies Local")(c.ListPolicies(ctx(t), &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}))
	if len(lp.Policies) != 1 {
		t.Fatalf("Local policies = %d", len(lp.Policies))
	}
	lp = must[*iam.ListPoliciesOutput](t, "ListPolicies attached")(c.ListPolicies(ctx(t), &iam.ListPoliciesInput{OnlyAttached: true}))
	if len(lp.Policies) != 2 {
		t.Fatalf("attached policies = %d", len(lp.Policies))
	}
	var all []string
	var marker *string
	for {
		lp = must[*iam.ListPoliciesOutput](t, "ListPolicies page")(c.ListPolicies(ctx(t), &iam.ListPoliciesInput{MaxItems: aws.Int32(4), Marker: marker}))
		for _, p := range lp.Policies {
			all = append(all, aws.ToString(p.PolicyName))
		}
		if !lp.IsTruncated {
			break
		}
		marker = lp.Marker
	}
	if want := "AdministratorAccess,AmazonS3FullAccess,AmazonS3ReadOnlyAccess,IAMFullAccess,IAMReadOnlyAccess,ReadOnlyAccess,Read"; strings.Join(all, ",") != want {
		t.Fatalf("ListPolicies All = %v", all)
	}

	must[*iam.DetachRolePolicyOutput](t, "DetachRolePolicy")(c.DetachRolePolicy(ctx(t), &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}))
	_, err = c.DetachRolePolicy(ctx(t), &iam.DetachRolePolicyInput{RoleName: aws.String("r"), PolicyArn: aws.String(arn)})
	wantErr(t, "detach twice", err, "NoSuchEntity", "Policy "+arn+" was not found.")
	must[*iam.DetachUserPolicyOutput](t, "DetachUserPolicy")(c.DetachUserPolicy(ctx(t), &iam.DetachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(arn)}))
	must[*iam.DetachGroupPolicyOutput](t, "DetachGroupPolicy")(c.DetachGroupPolicy(ctx(t), &iam.DetachGroupPolicyInput{GroupName: aws.String("g"), PolicyArn: aws.String(arn)}))
	must[*iam.DeletePolicyOutput](t, "DeletePolicy")(c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: aws.String(arn)}))

	// At most 10 managed policies per entity.
	for i := 0; i < 10; i++ {
		p := must[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx(t), &iam.CreatePolicyInput{PolicyName: aws.String(fmt.Sprintf("p%d", i)), PolicyDocument: aws.String(s3Read)}))
		must[*iam.AttachUserPolicyOutput](t, "AttachUserPolicy")(c.AttachUserPolicy(ctx(t), &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: p.Policy.Arn}))
	}
	_, err = c.AttachUserPolicy(ctx(t), &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: aws.String(s3ro)})
	wantErr(t, "eleventh policy", err, "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10")
}

func TestBoundaries(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	bnd := "arn:aws:iam::aws:policy/AmazonS3FullAccess"
	must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(trust), PermissionsBoundary: aws.String(bnd)}))
	gr := must[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("r")}))
	if gr.Role.PermissionsBoundary == nil || aws.ToString(gr.Role.PermissionsBoundary.PermissionsBoundaryArn) != bnd ||
		gr.Role.PermissionsBoundary.PermissionsBoundaryType != types.PermissionsBoundaryAttachmentTypePolicy {
		t.Fatalf("role boundary = %+v", gr.Role.PermissionsBoundary)
	}
	must[*iam.DeleteRolePermissionsBoundaryOutput](t, "DeleteRolePermissionsBoundary")(c.DeleteRolePermissionsBoundary(ctx(t), &iam.DeleteRolePermissionsBoundaryInput{RoleName: aws.String("r")}))
	gr = must[*iam.GetRoleOutput](t, "GetRole")(c.GetRole(ctx(t), &iam.GetRoleInput{RoleName: aws.String("r")}))
	if gr.Role.PermissionsBoundary != nil {
		t.Fatal("boundary still set")
	}

	cp := must[*iam.CreatePolicyOutput](t, "CreatePolicy")(c.CreatePolicy(ctx(t), &iam.CreatePolicyInput{PolicyName: aws.String("b"), PolicyDocument: aws.String(s3Read)}))
	must[*iam.CreateUserOutput](t, "CreateUser")(c.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("u")}))
	must[*iam.PutUserPermissionsBoundaryOutput](t, "PutUserPermissionsBoundary")(c.PutUserPermissionsBoundary(ctx(t), &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: cp.Policy.Arn}))
	gu := must[*iam.GetUserOutput](t, "GetUser")(c.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("u")}))
	if gu.User.PermissionsBoundary == nil || aws.ToString(gu.User.PermissionsBoundary.PermissionsBoundaryArn) != aws.ToString(cp.Policy.Arn) {
		t.Fatalf("user boundary = %+v", gu.User.PermissionsBoundary)
	}
	gp := must[*iam.GetPolicyOutput](t, "GetPolicy")(c.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: cp.Policy.Arn}))
	if aws.ToInt32(gp.Policy.PermissionsBoundaryUsageCount) != 1 {
		t.Fatalf("PermissionsBoundaryUsageCount = %d", aws.ToInt32(gp.Policy.PermissionsBoundaryUsageCount))
	}
	_, err := c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn})
	wantErr(t, "DeletePolicy used as boundary", err, "DeleteConflict", "")
	_, err = c.PutUserPermissionsBoundary(ctx(t), &iam.PutUserPermissionsBoundaryInput{UserName: aws.String("u"), PermissionsBoundary: aws.String("arn:aws:iam::111111111111:policy/none")})
	wantErr(t, "missing boundary policy", err, "NoSuchEntity", "Scope ARN: arn:aws:iam::111111111111:policy/none does not exist or is not attachable.")
	must[*iam.DeleteUserPermissionsBoundaryOutput](t, "DeleteUserPermissionsBoundary")(c.DeleteUserPermissionsBoundary(ctx(t), &iam.DeleteUserPermissionsBoundaryInput{UserName: aws.String("u")}))
	must[*iam.DeletePolicyOutput](t, "DeletePolicy")(c.DeletePolicy(ctx(t), &iam.DeletePolicyInput{PolicyArn: cp.Policy.Arn}))
}

func TestInstanceProfiles(t *testing.T) {
	e := newEnv(t)
	c := e.root(acctA)
	ip := must[*iam.CreateInstanceProfileOutput](t, "CreateInstanceProfile")(c.CreateInstanceProfile(ctx(t), &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("web"), Path: aws.String("/p/")}))
	if aws.ToString(ip.InstanceProfile.Arn) != "arn:aws:iam::111111111111:instance-profile/p/web" || !strings.HasPrefix(aws.ToString(ip.InstanceProfile.InstanceProfileId), "AIPA") {
		t.Fatalf("CreateInstanceProfile = %+v", ip.InstanceProfile)
	}
	_, err := c.CreateInstanceProfile(ctx(t), &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String("WEB")})
	wantErr(t, "dup profile", err, "EntityAlreadyExists", "Instance Profile WEB already exists.")
	for _, r := range []string{"r1", "r2"} {
		must[*iam.CreateRoleOutput](t, "CreateRole")(c.CreateRole(ctx(t), &iam.CreateRoleInput{RoleName: aws.String(r), AssumeRolePolicyDocument: aws.String(trust)}))
	}
	must[*iam.AddRoleToInstanceProfileOutput](t, "AddRoleToInstanceProfile")(c.AddRoleToInstanceProfile(ctx(t), &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("r1")}))
	_, err = c.AddRoleToInstanceProfile(ctx(t), &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("r2")})
	wantErr(t, "second role", err, "LimitExceeded", "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	gi := must[*iam.GetInstanceProfileOutput](t, "GetInstanceProfile")(c.GetInstanceProfile(ctx(t), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	if len(gi.InstanceProfile.Roles) != 1 || aws.ToString(gi.InstanceProfile.Roles[0].RoleName) != "r1" {
		t.Fatalf("profile roles = %+v", gi.InstanceProfile.Roles)
	}
	lr := must[*iam.ListInstanceProfilesForRoleOutput](t, "ListInstanceProfilesForRole")(c.ListInstanceProfilesForRole(ctx(t), &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String("r1")}))
	if len(lr.InstanceProfiles) != 1 {
		t.Fatalf("ListInstanceProfilesForRole = %d", len(lr.InstanceProfiles))
	}
	_, err = c.DeleteRole(ctx(t), &iam.DeleteRoleInput{RoleName: aws.String("r1")})
	wantErr(t, "DeleteRole in profile", err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	_, err = c.DeleteInstanceProfile(ctx(t), &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantErr(t, "DeleteInstanceProfile with role", err, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first.")
	must[*iam.RemoveRoleFromInstanceProfileOutput](t, "RemoveRoleFromInstanceProfile")(c.RemoveRoleFromInstanceProfile(ctx(t), &iam.RemoveRoleFromInstanceProfileInput{InstanceProfileName: aws.String("web"), RoleName: aws.String("r1")}))
	li := must[*iam.ListInstanceProfilesOutput](t, "ListInstanceProfiles")(c.ListInstanceProfiles(ctx(t), &iam.ListInstanceProfilesInput{}))
	if len(li.InstanceProfiles) != 1 || len(li.InstanceProfiles[0].Roles) != 0 {
		t.Fatalf("ListInstanceProfiles = %+v", li.InstanceProfiles)
	}
	must[*iam.DeleteInstanceProfileOutput](t, "DeleteInstanceProfile")(c.DeleteInstanceProfile(ctx(t), &iam.DeleteInstanceProfileInput{InstanceProfileName: aws.String("web")}))
	_, err = c.GetInstanceProfile(ctx(t), &iam.GetInstanceProfileInput{InstanceProfileName: aws.String("web")})
	wantErr(t, "deleted profile", err, "NoSuchEntity", "Instance Profile web cannot be found.")
}

// TestAccountIsolation: each account sees and touches only its own entities.
func TestAccountIsolation(t *testing.T) {
	e := newEnv(t)
	a, b := e.root(acctA), e.root(acctB)
	must[*iam.CreateUserOutput](t, "CreateUser A")(a.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("alice")}))
	cp := must[*iam.CreatePolicyOutput](t, "CreatePolicy A")(a.CreatePolicy(ctx(t), &iam.CreatePolicyInput{PolicyName: aws.String("pa"), PolicyDocument: aws.String(s3Read)}))

	_, err := b.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("alice")})
	wantErr(t, "B gets A's user", err, "NoSuchEntity", "The user with name alice cannot be found.")
	_, err = b.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("alice")})
	wantErr(t, "B deletes A's user", err, "NoSuchEntity", "")
	lu := must[*iam.ListUsersOutput](t, "ListUsers B")(b.ListUsers(ctx(t), &iam.ListUsersInput{}))
	if len(lu.Users) != 0 {
		t.Fatalf("B lists %d users", len(lu.Users))
	}
	_, err = b.GetPolicy(ctx(t), &iam.GetPolicyInput{PolicyArn: cp.Policy.Arn})
	wantErr(t, "B gets A's policy", err, "NoSuchEntity", "")
	// The same name is free in another account.
	must[*iam.CreateUserOutput](t, "CreateUser B")(b.CreateUser(ctx(t), &iam.CreateUserInput{UserName: aws.String("alice")}))
	_, err = b.AttachUserPolicy(ctx(t), &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: cp.Policy.Arn})
	wantErr(t, "B attaches A's policy", err, "NoSuchEntity", "Policy "+aws.ToString(cp.Policy.Arn)+" does not exist or is not attachable.")
	must[*iam.DeleteUserOutput](t, "DeleteUser B")(b.DeleteUser(ctx(t), &iam.DeleteUserInput{UserName: aws.String("alice")}))
	must[*iam.GetUserOutput](t, "A's user survives")(a.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("alice")}))
}

// TestAuthorization: with the OwnerOnly placeholder, an IAM user of the
// account is refused, with IAM's AccessDenied wording, before anything
// about the entity (even its absence) is revealed.
func TestAuthorization(t *testing.T) {
	e := newEnv(t)
	u := e.client("USER" + acctA)
	_, err := u.GetUser(ctx(t), &iam.GetUserInput{UserName: aws.String("nobody")})
	wantErr(t, "user calls GetUser", err, "AccessDenied",
		"User: arn:aws:iam::111111111111:user/caller is not authorized to perform: iam:GetUser on resource: arn:aws:iam::111111111111:user/nobody")
	_, err = u.ListRoles(ctx(t), &iam.ListRolesInput{})
	wantErr(t, "user calls ListRoles", err, "AccessDenied", "")
	_, err = e.client("ANON").ListRoles(ctx(t), &iam.ListRolesInput{})
	wantErr(t, "anonymous", err, "MissingAuthenticationToken", "")
}

// TestQueryProtocol: raw requests get IAM's Query-protocol errors.
func TestQueryProtocol(t *testing.T) {
	e := newEnv(t)
	post := func(body string) (int, string) {
		req, _ := http.NewRequestWithContext(ctx(t), http.MethodPost, e.srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=ROOT"+acctA+"/20240101/us-east-1/iam/aws4_request")
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post("Action=Bogus&Version=2010-05-08")
	if code != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") || !strings.Contains(body, `xmlns="https://iam.amazonaws.com/doc/2010-05-08/"`) {
		t.Fatalf("unknown action: %d %s", code, body)
	}
	code, body = post("Action=GetRole&Version=2010-05-08")
	if code != 400 || !strings.Contains(body, "Value null at 'roleName' failed to satisfy constraint: Member must not be null") {
		t.Fatalf("missing RoleName: %d %s", code, body)
	}
	code, body = post("Action=ListRoles&Version=2010-05-08")
	if code != 200 || !strings.Contains(body, "<ListRolesResult><Roles></Roles><IsTruncated>false</IsTruncated></ListRolesResult>") ||
		!strings.Contains(body, "<RequestId>REQ1</RequestId>") {
		t.Fatalf("ListRoles: %d %s", code, body)
	}
}
