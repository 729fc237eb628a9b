package s3acl

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

func TestForPut(t *testing.T) {
	body := policy(idA, grantXML("Group", "<URI>"+AllUsers+"</URI>", "READ"))
	tests := []struct {
		name   string
		h      http.Header
		body   io.Reader
		want   ACL
		canned string
		err    *wantErr
	}{
		{name: "nothing", h: hdr(), err: &wantErr{code: awserr.MissingSecurityHeader, msg: "Your request was missing a required header", fields: map[string]string{"MissingHeaderName": "x-amz-acl"}}},
		{name: "nothing, empty body", h: hdr(), body: strings.NewReader(""), err: &wantErr{code: awserr.MissingSecurityHeader}},
		{name: "canned", h: hdr("X-Amz-Acl", "public-read"), canned: "public-read", want: ACL{Owner: ownerA, Grants: []Grant{fc(idA), grp(AllUsers, Read)}}},
		{name: "canned object acl", h: hdr("X-Amz-Acl", "bucket-owner-read"), canned: "bucket-owner-read", want: ACL{Owner: ownerA, Grants: []Grant{fc(idA), usr(idB, Read)}}},
		{name: "grants", h: hdr("X-Amz-Grant-Read-Acp", "id="+idC), want: ACL{Owner: ownerA, Grants: []Grant{usr(idC, ReadACP)}}},
		{name: "body", h: hdr(), body: strings.NewReader(body), want: ACL{Owner: ownerA, Grants: []Grant{grp(AllUsers, Read)}}},
		{name: "canned and grants", h: hdr("X-Amz-Acl", "private", "X-Amz-Grant-Read", "id="+idC), err: &wantErr{code: awserr.InvalidRequest}},
		{name: "canned and body", h: hdr("X-Amz-Acl", "private"), body: strings.NewReader(body), err: &wantErr{code: awserr.UnexpectedContent, msg: "This request does not support content"}},
		{name: "grants and body", h: hdr("X-Amz-Grant-Read", "id="+idC), body: strings.NewReader(body), err: &wantErr{code: awserr.UnexpectedContent}},
		{name: "bad canned", h: hdr("X-Amz-Acl", "nope"), err: &wantErr{code: awserr.InvalidArgument, fields: map[string]string{"ArgumentName": "x-amz-acl"}}},
		{name: "bad body", h: hdr(), body: strings.NewReader("<x/>"), err: &wantErr{code: awserr.MalformedACLError}},
		{name: "body gives away", h: hdr(), body: strings.NewReader(policy(idB, "")), err: &wantErr{code: awserr.AccessDenied}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, canned, err := ForPut(tt.h, tt.body, ownerA, ownerB, true, testResolver)
			checkErr(t, err, tt.err)
			if tt.err != nil {
				return
			}
			mustEqualACL(t, got, tt.want)
			if canned != tt.canned {
				t.Errorf("canned = %q, want %q", canned, tt.canned)
			}
		})
	}
}
