package ec2api

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

// post sends a form request as key's account root ("" for anonymous).
func post(t *testing.T, e *env, key, form string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.srv.URL+"/", strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if key != "" {
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+key+"/20240101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// ec2Error is EC2's error document.
type ec2Error struct {
	XMLName xml.Name `xml:"Response"`
	Errors  []struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Errors>Error"`
	RequestID string `xml:"RequestID"`
}

func TestErrorShape(t *testing.T) {
	e := newEnv(t)
	e.authz.setDeny("ec2:DescribeInstances")
	tests := []struct {
		name   string
		key    string
		form   string
		status int
		code   string
		msg    string
	}{
		{"unknown action", "AKIAROOTA", "Action=RebootEverything&Version=2016-11-15", 400, "InvalidAction", "The action RebootEverything is not valid for this web service."},
		{"no action", "AKIAROOTA", "Version=2016-11-15", 400, "MissingAction", ""},
		{"anonymous", "", "Action=DescribeInstances&Version=2016-11-15", 401, "AuthFailure", "AWS was not able to validate the provided access credentials"},
		{"malformed id", "AKIAROOTA", "Action=TerminateInstances&InstanceId.1=i-xyz", 400, "InvalidInstanceID.Malformed", `Invalid id: "i-xyz"`},
		{"no instance id", "AKIAROOTA", "Action=TerminateInstances", 400, "MissingParameter", "The request must contain the parameter InstanceId"},
		{"denied", "AKIAROOTA", "Action=DescribeInstances", 403, "UnauthorizedOperation",
			"You are not authorized to perform this operation. User: arn:aws:iam::111122223333:root is not authorized to perform: ec2:DescribeInstances on resource: *"},
		{"missing image", "AKIAROOTA", "Action=RunInstances&MinCount=1&MaxCount=1", 400, "MissingParameter", "The request must contain the parameter ImageId"},
		{"max below min", "AKIAROOTA", "Action=RunInstances&ImageId=ami-12345678&MinCount=3&MaxCount=2", 400, "InvalidParameterValue", ""},
		{"bad max results", "AKIAROOTB", "Action=DescribeIamInstanceProfileAssociations&MaxResults=2", 400, "InvalidParameterValue", ""},
		{"bad token", "AKIAROOTB", "Action=DescribeIamInstanceProfileAssociations&NextToken=%25%25", 400, "InvalidPaginationToken", ""},
		{"ids and max results", "AKIAROOTB", "Action=DescribeInstances&InstanceId.1=i-0123456789abcdef0&MaxResults=5", 400, "InvalidParameterCombination", ""},
		{"bad tag key", "AKIAROOTA", "Action=RunInstances&ImageId=ami-12345678&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=aws:x&TagSpecification.1.Tag.1.Value=v", 400, "InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use"},
		{"bad resource type", "AKIAROOTA", "Action=RunInstances&ImageId=ami-12345678&MinCount=1&MaxCount=1&TagSpecification.1.ResourceType=bucket&TagSpecification.1.Tag.1.Key=k", 400, "InvalidParameterValue", "'bucket' is not a valid taggable resource type for this operation."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, e, tc.key, tc.form)
			var doc ec2Error
			if err := xml.Unmarshal([]byte(body), &doc); err != nil {
				t.Fatalf("body %q: %v", body, err)
			}
			if status != tc.status || len(doc.Errors) != 1 || doc.Errors[0].Code != tc.code || doc.RequestID == "" {
				t.Fatalf("got %d %+v, want %d %s", status, doc, tc.status, tc.code)
			}
			if tc.msg != "" && !strings.HasPrefix(doc.Errors[0].Message, tc.msg) {
				t.Fatalf("message %q, want %q", doc.Errors[0].Message, tc.msg)
			}
			if !strings.HasPrefix(body, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<Response><Errors><Error><Code>") {
				t.Fatalf("not EC2's error layout: %s", body)
			}
		})
	}
}

func TestResponseShape(t *testing.T) {
	e := newEnv(t)
	status, body := post(t, e, "AKIAROOTA", "Action=RunInstances&Version=2016-11-15&ImageId=ami-12345678&InstanceType=t4g.nano&MinCount=1&MaxCount=1&MetadataOptions.HttpTokens=optional")
	if status != http.StatusOK {
		t.Fatalf("%d %s", status, body)
	}
	for _, want := range []string{
		`<RunInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>`,
		`<instanceState><code>0</code><name>pending</name></instanceState>`,
		`<placement><availabilityZone>us-east-1a</availabilityZone>`,
		`<architecture>arm64</architecture>`,
		`<httpTokens>optional</httpTokens>`,
		`<privateDnsName>ip-172-31-`,
		`.ec2.internal</privateDnsName>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("RunInstances response lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<iamInstanceProfile>") {
		t.Errorf("instance without profile shows one:\n%s", body)
	}
}

// httpDo sends a request with one header and returns the body of a 200.
func httpDo(t *testing.T, method, url, header, value string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(header, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, b)
	}
	return string(b)
}
