package s3acl

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// docOwnerID is the canonical id used throughout the S3 API Reference examples.
const docOwnerID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"

// The sample ACL of the S3 User Guide "Access control list (ACL) overview",
// with its placeholder ids replaced by well-formed ones.
var userGuideSample = `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner>
    <ID>` + idA + `</ID>
    <DisplayName>display-name</DisplayName>
  </Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>` + idA + `</ID>
        <DisplayName>display-name</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>

    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>` + idB + `</ID>
        <DisplayName>display-name</DisplayName>
      </Grantee>
      <Permission>WRITE</Permission>
    </Grant>

    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>` + idC + `</ID>
        <DisplayName>display-name</DisplayName>
      </Grantee>
      <Permission>READ</Permission>
    </Grant>

    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">
        <URI>http://acs.amazonaws.com/groups/global/AllUsers</URI> 
      </Grantee>
      <Permission>READ</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">
        <URI>http://acs.amazonaws.com/groups/s3/LogDelivery</URI>
      </Grantee>
      <Permission>WRITE</Permission>
    </Grant>

  </AccessControlList>
</AccessControlPolicy>`

// The PutObjectAcl request example of the S3 API Reference: grants by email.
var putObjectACLExample = `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner>
    <ID>` + docOwnerID + `</ID>
    <DisplayName>CustomersName@amazon.com</DisplayName>
  </Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">
        <ID>` + docOwnerID + `</ID>
        <DisplayName>CustomersName@amazon.com</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="AmazonCustomerByEmail">
        <EmailAddress>xyz@amazon.com</EmailAddress>
      </Grantee>
      <Permission>WRITE_ACP</Permission>
    </Grant>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="AmazonCustomerByEmail">
        <EmailAddress>xyz@amazon.com</EmailAddress>
      </Grantee>
      <Permission>READ</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`

// The GetBucketAcl response example of the S3 API Reference.
var getBucketACLExample = `<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Owner>
    <ID>` + docOwnerID + `</ID>
    <DisplayName>CustomersName@amazon.com</DisplayName>
  </Owner>
  <AccessControlList>
    <Grant>
      <Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
			xsi:type="CanonicalUser">
        <ID>` + docOwnerID + `</ID>
        <DisplayName>CustomersName@amazon.com</DisplayName>
      </Grantee>
      <Permission>FULL_CONTROL</Permission>
    </Grant>
  </AccessControlList>
</AccessControlPolicy>`

func TestParsePolicyDocExamples(t *testing.T) {
	acl, err := ParsePolicy(strings.NewReader(userGuideSample), ownerA, testResolver)
	if err != nil {
		t.Fatal(err)
	}
	mustEqualACL(t, acl, ACL{Owner: ownerA, Grants: []Grant{fc(idA), usr(idB, Write), usr(idC, Read), grp(AllUsers, Read), grp(LogDelivery, Write)}})
	if acl.Owner != ownerA {
		t.Errorf("owner = %+v: the body's display name must not replace the owner's", acl.Owner)
	}
	for _, g := range acl.Grants {
		if g.Grantee.DisplayName != "" {
			t.Errorf("display name %q taken from the body", g.Grantee.DisplayName)
		}
	}

	docOwner := Owner{ID: docOwnerID}
	r := Resolver{Email: func(e string) (string, bool) { return idC, e == "xyz@amazon.com" }}
	acl, err = ParsePolicy(strings.NewReader(putObjectACLExample), docOwner, r)
	if err != nil {
		t.Fatal(err)
	}
	mustEqualACL(t, acl, ACL{Owner: docOwner, Grants: []Grant{fc(docOwnerID), usr(idC, WriteACP), usr(idC, Read)}})
}

// tokens flattens XML into comparable tokens, dropping whitespace-only text.
func tokens(t *testing.T, s string) []string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	var out []string
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("%v in %s", err, s)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := "<" + x.Name.Space + ":" + x.Name.Local
			for _, a := range x.Attr {
				e += " " + a.Name.Space + ":" + a.Name.Local + "=" + a.Value
			}
			out = append(out, e)
		case xml.EndElement:
			out = append(out, "</"+x.Name.Local)
		case xml.CharData:
			if s := string(bytes.TrimSpace(x)); s != "" {
				out = append(out, s)
			}
		case xml.ProcInst:
			out = append(out, "?"+x.Target+" "+string(x.Inst))
		}
	}
}

func TestPolicyXMLMatchesGetBucketACLExample(t *testing.T) {
	o := Owner{ID: docOwnerID, DisplayName: "CustomersName@amazon.com"}
	got := PolicyXML(Private(o))
	if want := tokens(t, getBucketACLExample); strings.Join(tokens(t, got), "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant tokens\n%s", got, strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(got, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner>`) {
		t.Errorf("prefix: %s", got)
	}
}

func TestPolicyXMLExact(t *testing.T) {
	a := ACL{Owner: Owner{ID: idA}, Grants: []Grant{
		{Grantee: Grantee{Type: CanonicalUser, ID: idA, DisplayName: "a&b"}, Permission: FullControl},
		grp(AllUsers, Read),
		{Grantee: Grantee{Type: ByEmail, Email: "x<y>@example.com"}, Permission: ReadACP},
	}}
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + idA + `</ID></Owner><AccessControlList>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>` + idA + `</ID><DisplayName>a&amp;b</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>` +
		`<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="AmazonCustomerByEmail"><EmailAddress>x&lt;y&gt;@example.com</EmailAddress></Grantee><Permission>READ_ACP</Permission></Grant>` +
		`</AccessControlList></AccessControlPolicy>`
	if got := PolicyXML(a); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	// An ACL without grants still has the list element.
	if got := PolicyXML(ACL{Owner: Owner{ID: idA}}); !strings.Contains(got, "<AccessControlList></AccessControlList>") {
		t.Errorf("empty ACL: %s", got)
	}
}

func TestPolicyXMLRoundTrip(t *testing.T) {
	for _, name := range CannedNames {
		for _, obj := range []bool{false, true} {
			a, err := Canned(name, ownerA, ownerB, obj)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParsePolicy(strings.NewReader(PolicyXML(a.WithDisplayNames(func(string) string { return "n" }))), ownerA, testResolver)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			mustEqualACL(t, back, a)
		}
	}
}

// policy builds an AccessControlPolicy body with the given owner and grants XML.
func policy(ownerID, grants string) string {
	return `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>` + ownerID + `</ID></Owner><AccessControlList>` + grants + `</AccessControlList></AccessControlPolicy>`
}

func grantXML(typ, inner, perm string) string {
	return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="` + typ + `">` + inner + `</Grantee><Permission>` + perm + `</Permission></Grant>`
}

func TestParsePolicy(t *testing.T) {
	malformed := &wantErr{code: awserr.MalformedACLError, msg: "The XML you provided was not well-formed or did not validate against our published schema"}
	ownerGrant := grantXML("CanonicalUser", "<ID>"+idA+"</ID>", "FULL_CONTROL")
	tests := []struct {
		name string
		body string
		want []Grant
		err  *wantErr
	}{
		{name: "owner only", body: policy(idA, ownerGrant), want: []Grant{fc(idA)}},
		{name: "no grants", body: policy(idA, ""), want: []Grant{}},
		{name: "no namespace", body: `<AccessControlPolicy><Owner><ID>` + idA + `</ID></Owner><AccessControlList>` + ownerGrant + `</AccessControlList></AccessControlPolicy>`, want: []Grant{fc(idA)}},
		{name: "unbound xsi prefix", body: policy(idA, `<Grant><Grantee xsi:type="Group"><URI>`+AllUsers+`</URI></Grantee><Permission>READ</Permission></Grant>`), want: []Grant{grp(AllUsers, Read)}},
		{name: "whitespace around values", body: policy(" "+idA+"\n", grantXML("Group", "<URI> "+AuthenticatedUsers+" </URI>", " READ_ACP ")), want: []Grant{grp(AuthenticatedUsers, ReadACP)}},
		{name: "elements in any order", body: `<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><AccessControlList><Grant><Permission>WRITE_ACP</Permission><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><DisplayName>x</DisplayName><ID>` + idB + `</ID></Grantee></Grant></AccessControlList><Owner><DisplayName>y</DisplayName><ID>` + idA + `</ID></Owner></AccessControlPolicy>`, want: []Grant{usr(idB, WriteACP)}},
		{name: "comment and trailing whitespace", body: "<!-- c -->" + policy(idA, ownerGrant) + "\n\n", want: []Grant{fc(idA)}},
		{name: "email", body: policy(idA, grantXML("AmazonCustomerByEmail", "<EmailAddress>bob@example.com</EmailAddress>", "READ")), want: []Grant{usr(idB, Read)}},

		{name: "empty", body: "", err: malformed},
		{name: "not xml", body: "hello", err: malformed},
		{name: "truncated", body: policy(idA, ownerGrant)[:60], err: malformed},
		{name: "wrong root", body: strings.ReplaceAll(policy(idA, ownerGrant), "AccessControlPolicy", "AccessControlList2"), err: malformed},
		{name: "wrong namespace", body: strings.Replace(policy(idA, ownerGrant), "2006-03-01", "2010-01-01", 1), err: malformed},
		{name: "doctype", body: `<!DOCTYPE x [<!ENTITY e "e">]>` + policy(idA, ownerGrant), err: malformed},
		{name: "trailing element", body: policy(idA, ownerGrant) + "<x/>", err: malformed},
		{name: "trailing text", body: policy(idA, ownerGrant) + "x", err: malformed},
		{name: "missing owner", body: `<AccessControlPolicy><AccessControlList>` + ownerGrant + `</AccessControlList></AccessControlPolicy>`, err: malformed},
		{name: "two owners", body: `<AccessControlPolicy><Owner><ID>` + idA + `</ID></Owner><Owner><ID>` + idA + `</ID></Owner><AccessControlList/></AccessControlPolicy>`, err: malformed},
		{name: "missing list", body: `<AccessControlPolicy><Owner><ID>` + idA + `</ID></Owner></AccessControlPolicy>`, err: malformed},
		{name: "unknown element", body: strings.Replace(policy(idA, ownerGrant), "<Owner>", "<Extra/><Owner>", 1), err: malformed},
		{name: "unknown element in grant", body: policy(idA, strings.Replace(ownerGrant, "<Permission>", "<Foo/><Permission>", 1)), err: malformed},
		{name: "bad permission", body: policy(idA, grantXML("CanonicalUser", "<ID>"+idA+"</ID>", "read")), err: malformed},
		{name: "missing permission", body: policy(idA, `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>`+idA+`</ID></Grantee></Grant>`), err: malformed},
		{name: "two permissions", body: policy(idA, strings.Replace(ownerGrant, "</Grant>", "<Permission>READ</Permission></Grant>", 1)), err: malformed},
		{name: "missing grantee", body: policy(idA, `<Grant><Permission>READ</Permission></Grant>`), err: malformed},
		{name: "two grantees", body: policy(idA, `<Grant><Grantee xsi:type="Group"><URI>`+AllUsers+`</URI></Grantee><Grantee xsi:type="Group"><URI>`+AllUsers+`</URI></Grantee><Permission>READ</Permission></Grant>`), err: malformed},
		{name: "no xsi:type", body: policy(idA, `<Grant><Grantee><ID>`+idA+`</ID></Grantee><Permission>READ</Permission></Grant>`), err: malformed},
		{name: "unknown xsi:type", body: policy(idA, grantXML("Canonical User", "<ID>"+idA+"</ID>", "READ")), err: malformed},
		{name: "canonical user without ID", body: policy(idA, grantXML("CanonicalUser", "<URI>"+AllUsers+"</URI>", "READ")), err: malformed},
		{name: "group without URI", body: policy(idA, grantXML("Group", "<ID>"+idA+"</ID>", "READ")), err: malformed},
		{name: "email without address", body: policy(idA, grantXML("AmazonCustomerByEmail", "<ID>"+idA+"</ID>", "READ")), err: malformed},
		{name: "101 grants", body: policy(idA, strings.Repeat(ownerGrant, 101)), err: malformed},
		{name: "100 grants", body: policy(idA, strings.Repeat(ownerGrant, 100)), want: func() []Grant {
			g := make([]Grant, 100)
			for i := range g {
				g[i] = fc(idA)
			}
			return g
		}()},

		{name: "owner id malformed", body: policy("_foo", ownerGrant), err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentName": "CanonicalUser/ID", "ArgumentValue": "_foo"}}},
		{name: "owner id missing", body: `<AccessControlPolicy><Owner><DisplayName>x</DisplayName></Owner><AccessControlList/></AccessControlPolicy>`, err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id"}},
		{name: "giveaway", body: policy(idB, grantXML("CanonicalUser", "<ID>"+idB+"</ID>", "FULL_CONTROL")), err: &wantErr{code: awserr.AccessDenied, msg: "Access Denied"}},
		{name: "grantee id of no account", body: policy(idA, grantXML("CanonicalUser", "<ID>"+idGhost+"</ID>", "READ")), err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentName": "CanonicalUser/ID", "ArgumentValue": idGhost}}},
		{name: "grantee id malformed", body: policy(idA, grantXML("CanonicalUser", "<ID>_foo</ID>", "FULL_CONTROL")), err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid id", fields: map[string]string{"ArgumentValue": "_foo"}}},
		{name: "group unknown", body: policy(idA, grantXML("Group", "<URI>http://acs.amazonaws.com/groups/global/Nobody</URI>", "READ")), err: &wantErr{code: awserr.InvalidArgument, msg: "Invalid group uri", fields: map[string]string{"ArgumentName": "Group/URI", "ArgumentValue": "http://acs.amazonaws.com/groups/global/Nobody"}}},
		{name: "email unknown", body: policy(idA, grantXML("AmazonCustomerByEmail", "<EmailAddress>eve@example.com</EmailAddress>", "READ")), err: &wantErr{code: awserr.UnresolvableGrantByEmailAddress}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePolicy(strings.NewReader(tt.body), ownerA, testResolver)
			checkErr(t, err, tt.err)
			if tt.err == nil {
				mustEqualACL(t, got, ACL{Owner: ownerA, Grants: tt.want})
			}
		})
	}
}

func TestParsePolicyBodyLimit(t *testing.T) {
	big := policy(idA, "") + strings.Repeat(" ", MaxBodyBytes)
	_, err := ParsePolicy(strings.NewReader(big), ownerA, testResolver)
	checkErr(t, err, &wantErr{code: awserr.MaxMessageLengthExceeded})
	_, err = ParsePolicy(nil, ownerA, testResolver)
	checkErr(t, err, &wantErr{code: awserr.MalformedACLError})
	_, err = ParsePolicy(failingReader{}, ownerA, testResolver)
	checkErr(t, err, &wantErr{code: awserr.InternalError})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
