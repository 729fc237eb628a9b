package ec2api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

func TestCLILifecycle(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	e := newEnv(t)
	const region = "eu-west-1"
	run := e.mustCLI(t, "AKIAROOTA", region, "ec2", "run-instances", "--image-id", "ami-12345678", "--instance-type", "t3.micro",
		"--count", "2", "--iam-instance-profile", "Name=app",
		"--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=env,Value=prod}]",
		"--metadata-options", "HttpTokens=required,HttpPutResponseHopLimit=1")
	if str(run, "OwnerId") != acctA || !strings.HasPrefix(str(run, "ReservationId"), "r-") || length(run, "Instances") != 2 {
		t.Fatalf("run-instances: %v", run)
	}
	i0 := get(run, "Instances", 0)
	id0, id1 := str(i0, "InstanceId"), str(run, "Instances", 1, "InstanceId")
	checks := map[string]string{
		"State.Name":             str(i0, "State", "Name"),
		"ImageId":                str(i0, "ImageId"),
		"InstanceType":           str(i0, "InstanceType"),
		"Placement":              str(i0, "Placement", "AvailabilityZone"),
		"IamInstanceProfile.Arn": str(i0, "IamInstanceProfile", "Arn"),
		"IamInstanceProfile.Id":  str(i0, "IamInstanceProfile", "Id"),
		"HttpTokens":             str(i0, "MetadataOptions", "HttpTokens"),
		"Architecture":           str(i0, "Architecture"),
	}
	want := map[string]string{
		"State.Name": "pending", "ImageId": "ami-12345678", "InstanceType": "t3.micro", "Placement": "eu-west-1a",
		"IamInstanceProfile.Arn": "arn:aws:iam::111122223333:instance-profile/app", "IamInstanceProfile.Id": "AIPAAPP111122223333",
		"HttpTokens": "required", "Architecture": "x86_64",
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("run-instances %s = %q, want %q", k, checks[k], w)
		}
	}
	if !validID("i-", id0) || len(id0) != 19 || id0 == id1 {
		t.Fatalf("instance ids %q %q", id0, id1)
	}
	if hop, _ := get(i0, "MetadataOptions", "HttpPutResponseHopLimit").(float64); hop != 1 {
		t.Errorf("hop limit %v", hop)
	}
	if length(i0, "Tags") != 2 || str(i0, "Tags", 0, "Key") != "Name" || str(i0, "Tags", 0, "Value") != "web" {
		t.Errorf("tags %v", get(i0, "Tags"))
	}
	for _, id := range []string{id0, id1} {
		if _, ok := e.md.Endpoint(id); !ok {
			t.Errorf("no metadata endpoint for %s", id)
		}
	}
	// The launched instance's metadata endpoint serves its role's credentials.
	ep, _ := e.md.Endpoint(id0)
	tok := httpDo(t, http.MethodPut, ep+"/latest/api/token", "X-Aws-Ec2-Metadata-Token-Ttl-Seconds", "60")
	if got := httpDo(t, http.MethodGet, ep+"/latest/meta-data/instance-id", "X-Aws-Ec2-Metadata-Token", tok); got != id0 {
		t.Fatalf("metadata instance-id %q, want %s", got, id0)
	}
	if got := httpDo(t, http.MethodGet, ep+"/latest/meta-data/iam/security-credentials/app-role", "X-Aws-Ec2-Metadata-Token", tok); !strings.Contains(got, `"AccessKeyId" : "ASIATEST"`) {
		t.Fatalf("metadata credentials %q", got)
	}

	// PassRole was asked for the profile's role.
	pr := e.authz.requests("iam:PassRole")
	if len(pr) != 1 || pr[0].Resource != "arn:aws:iam::111122223333:role/app-role" || pr[0].ResourceAccount != acctA ||
		strings.Join(pr[0].Context["iam:PassedToService"], ",") != "ec2.amazonaws.com" {
		t.Fatalf("PassRole requests: %+v", pr)
	}
	ri := e.authz.requests("ec2:RunInstances")
	if len(ri) != 1 || ri[0].Resource != "arn:aws:ec2:eu-west-1:111122223333:instance/*" {
		t.Fatalf("RunInstances requests: %+v", ri)
	}

	desc := e.mustCLI(t, "AKIAROOTA", region, "ec2", "describe-instances")
	if length(desc, "Reservations") != 1 || length(desc, "Reservations", 0, "Instances") != 2 ||
		str(desc, "Reservations", 0, "Instances", 0, "State", "Name") != "running" {
		t.Fatalf("describe-instances: %v", desc)
	}
	filtered := e.mustCLI(t, "AKIAROOTA", region, "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=w*",
		"Name=instance-state-name,Values=running", "Name=instance-id,Values="+id1)
	if length(filtered, "Reservations", 0, "Instances") != 1 || str(filtered, "Reservations", 0, "Instances", 0, "InstanceId") != id1 {
		t.Fatalf("filtered: %v", filtered)
	}
	none := e.mustCLI(t, "AKIAROOTA", region, "ec2", "describe-instances", "--filters", "Name=tag:env,Values=dev")
	if length(none, "Reservations") != 0 {
		t.Fatalf("tag:env=dev matched: %v", none)
	}
	// Instances belong to their account and region.
	if other := e.mustCLI(t, "AKIAROOTB", region, "ec2", "describe-instances"); length(other, "Reservations") != 0 {
		t.Fatalf("account B sees A's instances: %v", other)
	}
	if other := e.mustCLI(t, "AKIAROOTA", "us-east-1", "ec2", "describe-instances"); length(other, "Reservations") != 0 {
		t.Fatalf("us-east-1 sees eu-west-1's instances: %v", other)
	}
	if _, errText := e.cli(t, "AKIAROOTB", region, "ec2", "describe-instances", "--instance-ids", id0); !strings.Contains(errText, "InvalidInstanceID.NotFound") {
		t.Fatalf("account B describing A's instance: %s", errText)
	}

	assocs := e.mustCLI(t, "AKIAROOTA", region, "ec2", "describe-iam-instance-profile-associations")
	if length(assocs, "IamInstanceProfileAssociations") != 2 || str(assocs, "IamInstanceProfileAssociations", 0, "State") != "associated" {
		t.Fatalf("associations: %v", assocs)
	}
	var assoc0 string
	for i := range 2 {
		if str(assocs, "IamInstanceProfileAssociations", i, "InstanceId") == id0 {
			assoc0 = str(assocs, "IamInstanceProfileAssociations", i, "AssociationId")
		}
	}
	if !strings.HasPrefix(assoc0, "iip-assoc-") {
		t.Fatalf("association of %s: %q", id0, assoc0)
	}

	if _, errText := e.cli(t, "AKIAROOTA", region, "ec2", "associate-iam-instance-profile", "--instance-id", id0, "--iam-instance-profile", "Name=other"); !strings.Contains(errText, "IncorrectState") || !strings.Contains(errText, "There is an existing association for instance "+id0) {
		t.Fatalf("second association: %s", errText)
	}
	rep := e.mustCLI(t, "AKIAROOTA", region, "ec2", "replace-iam-instance-profile-association", "--association-id", assoc0,
		"--iam-instance-profile", "Arn=arn:aws:iam::111122223333:instance-profile/team/other")
	newAssoc := str(rep, "IamInstanceProfileAssociation", "AssociationId")
	if newAssoc == assoc0 || str(rep, "IamInstanceProfileAssociation", "State") != "associating" ||
		str(rep, "IamInstanceProfileAssociation", "IamInstanceProfile", "Arn") != "arn:aws:iam::111122223333:instance-profile/team/other" {
		t.Fatalf("replace: %v", rep)
	}
	if _, errText := e.cli(t, "AKIAROOTA", region, "ec2", "disassociate-iam-instance-profile", "--association-id", assoc0); !strings.Contains(errText, "InvalidAssociationID.NotFound") {
		t.Fatalf("disassociate replaced association: %s", errText)
	}
	dis := e.mustCLI(t, "AKIAROOTA", region, "ec2", "disassociate-iam-instance-profile", "--association-id", newAssoc)
	if str(dis, "IamInstanceProfileAssociation", "State") != "disassociating" || str(dis, "IamInstanceProfileAssociation", "InstanceId") != id0 {
		t.Fatalf("disassociate: %v", dis)
	}
	inst, err := e.st.GetInstance(t.Context(), id0)
	if err != nil || inst.Profile != nil {
		t.Fatalf("profile after disassociate: %+v %v", inst, err)
	}
	as := e.mustCLI(t, "AKIAROOTA", region, "ec2", "associate-iam-instance-profile", "--instance-id", id0, "--iam-instance-profile", "Name=app")
	if str(as, "IamInstanceProfileAssociation", "State") != "associating" || !strings.HasPrefix(str(as, "IamInstanceProfileAssociation", "AssociationId"), "iip-assoc-") {
		t.Fatalf("associate: %v", as)
	}

	term := e.mustCLI(t, "AKIAROOTA", region, "ec2", "terminate-instances", "--instance-ids", id0)
	if str(term, "TerminatingInstances", 0, "CurrentState", "Name") != "shutting-down" || str(term, "TerminatingInstances", 0, "PreviousState", "Name") != "running" {
		t.Fatalf("terminate: %v", term)
	}
	if _, ok := e.md.Endpoint(id0); ok {
		t.Fatal("metadata endpoint still open after terminate")
	}
	again := e.mustCLI(t, "AKIAROOTA", region, "ec2", "terminate-instances", "--instance-ids", id0)
	if str(again, "TerminatingInstances", 0, "CurrentState", "Name") != "terminated" {
		t.Fatalf("terminate again: %v", again)
	}
	gone := e.mustCLI(t, "AKIAROOTA", region, "ec2", "describe-instances", "--instance-ids", id0)
	if s := str(gone, "Reservations", 0, "Instances", 0, "State", "Name"); s != "terminated" || get(gone, "Reservations", 0, "Instances", 0, "IamInstanceProfile") != nil {
		t.Fatalf("terminated instance: %v", gone)
	}
	if _, errText := e.cli(t, "AKIAROOTA", region, "ec2", "associate-iam-instance-profile", "--instance-id", id0, "--iam-instance-profile", "Name=app"); !strings.Contains(errText, "IncorrectInstanceState") {
		t.Fatalf("associate on terminated: %s", errText)
	}
}

func TestCLIErrors(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	e := newEnv(t)
	const region = "us-east-1"
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"malformed id", []string{"ec2", "describe-instances", "--instance-ids", "i-123"}, `InvalidInstanceID.Malformed) when calling the DescribeInstances operation: Invalid id: "i-123"`},
		{"unknown id", []string{"ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0"}, "(InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist"},
		{"unknown ids", []string{"ec2", "terminate-instances", "--instance-ids", "i-0123456789abcdef0", "i-0123456789abcdef1"}, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist"},
		{"unknown profile", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--iam-instance-profile", "Name=nope"}, "(InvalidParameterValue) when calling the RunInstances operation: Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"},
		{"other account's profile", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--iam-instance-profile", "Arn=arn:aws:iam::444455556666:instance-profile/app"}, "Invalid IAM Instance Profile ARN"},
		{"name and arn", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--iam-instance-profile", "Name=app,Arn=arn:aws:iam::111122223333:instance-profile/app"}, "(InvalidParameterCombination)"},
		{"bad ami", []string{"ec2", "run-instances", "--image-id", "ubuntu"}, `(InvalidAMIID.Malformed) when calling the RunInstances operation: Invalid id: "ubuntu"`},
		{"bad http tokens", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--metadata-options", "HttpTokens=sometimes"}, "(InvalidParameterValue)"},
		{"bad filter", []string{"ec2", "describe-instances", "--filters", "Name=colour,Values=red"}, "The filter 'colour' is invalid"},
		{"unknown association", []string{"ec2", "disassociate-iam-instance-profile", "--association-id", "iip-assoc-0123456789abcdef0"}, "(InvalidAssociationID.NotFound)"},
		{"too many", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--count", "51"}, "(InstanceLimitExceeded)"},
		{"dry run", []string{"ec2", "run-instances", "--image-id", "ami-12345678", "--dry-run"}, "(DryRunOperation) when calling the RunInstances operation: Request would have succeeded, but DryRun flag is set."},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				out, errText := e.cli(t, "AKIAROOTA", region, tc.args...)
				if !strings.Contains(errText, tc.want) {
					t.Fatalf("got %v %q, want error containing %q", out, errText, tc.want)
				}
			})
		}
	})
	if insts, _ := e.st.ListInstances(t.Context(), store.InstanceQuery{}); len(insts) != 0 {
		t.Fatalf("failed requests launched %d instances", len(insts))
	}
}

func TestCLIPassRoleDenied(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	e := newEnv(t)
	e.authz.setDeny("iam:PassRole")
	_, errText := e.cli(t, "AKIAROOTA", "us-east-1", "ec2", "run-instances", "--image-id", "ami-12345678", "--iam-instance-profile", "Name=app")
	want := "(UnauthorizedOperation) when calling the RunInstances operation: You are not authorized to perform this operation. User: arn:aws:iam::111122223333:root is not authorized to perform: iam:PassRole on resource: arn:aws:iam::111122223333:role/app-role"
	if !strings.Contains(errText, want) {
		t.Fatalf("got %q", errText)
	}
	// A profile without a role passes no role; no profile needs none.
	for _, args := range [][]string{{"--iam-instance-profile", "Name=empty"}, nil} {
		out := e.mustCLI(t, "AKIAROOTA", "us-east-1", append([]string{"ec2", "run-instances", "--image-id", "ami-12345678"}, args...)...)
		if length(out, "Instances") != 1 {
			t.Fatalf("run-instances %v: %v", args, out)
		}
	}
	e.authz.setDeny("ec2:TerminateInstances")
	insts, _ := e.st.ListInstances(t.Context(), store.InstanceQuery{})
	if _, errText := e.cli(t, "AKIAROOTA", "us-east-1", "ec2", "terminate-instances", "--instance-ids", insts[0].ID); !strings.Contains(errText, "(UnauthorizedOperation)") ||
		!strings.Contains(errText, "arn:aws:ec2:us-east-1:111122223333:instance/"+insts[0].ID) {
		t.Fatalf("denied terminate: %s", errText)
	}
	if got, _ := e.st.GetInstance(t.Context(), insts[0].ID); got.State != store.InstanceRunning {
		t.Fatalf("denied terminate changed the state to %s", got.State)
	}
}

func TestCLIPaging(t *testing.T) {
	requireCLI(t)
	t.Parallel()
	e := newEnv(t)
	e.mustCLI(t, "AKIAROOTA", "us-east-1", "ec2", "run-instances", "--image-id", "ami-12345678", "--count", "7")
	all := e.mustCLI(t, "AKIAROOTA", "us-east-1", "ec2", "describe-instances", "--page-size", "5")
	n := 0
	for i := range length(all, "Reservations") {
		n += length(all, "Reservations", i, "Instances")
	}
	if n != 7 {
		t.Fatalf("paged describe-instances found %d instances, want 7: %v", n, all)
	}
	// The first page stops at five with a token.
	code, body := post(t, e, "AKIAROOTA", "Action=DescribeInstances&Version=2016-11-15&MaxResults=5")
	if code != http.StatusOK || strings.Count(body, "<instanceId>") != 5 || !strings.Contains(body, "<nextToken>") {
		t.Fatalf("first page: %d %s", code, body)
	}
}
