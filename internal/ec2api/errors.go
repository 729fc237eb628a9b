package ec2api

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/crossbucket/crossbucket/internal/authz"
	"github.com/crossbucket/crossbucket/internal/awserr"
	"github.com/crossbucket/crossbucket/internal/policy"
)

// WriteError writes err as EC2 does ("Error codes for the Amazon EC2 API",
// example error response):
//
//	<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>
//
// Internal causes never reach the wire.
func WriteError(w http.ResponseWriter, err error, requestID string) {
	e := awserr.From(err)
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<Response><Errors><Error><Code>")
	esc(&b, e.Code.Name)
	b.WriteString("</Code><Message>")
	esc(&b, e.Msg())
	b.WriteString("</Message></Error></Errors><RequestID>")
	esc(&b, requestID)
	b.WriteString("</RequestID></Response>")
	for k, v := range e.Headers {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(e.Code.Status)
	_, _ = w.Write([]byte(b.String()))
}

func esc(b *strings.Builder, s string) { _ = xml.EscapeText(b, []byte(s)) }

// errf makes an EC2 error with a formatted message.
func errf(code *awserr.Code, format string, args ...any) error {
	return awserr.Newf(code, format, args...)
}

// malformedID is InvalidXxxID.Malformed's message for a bad id.
func malformedID(code *awserr.Code, id string) error {
	return errf(code, "Invalid id: %q", id)
}

// instancesNotFound is InvalidInstanceID.NotFound for one or more ids.
func instancesNotFound(ids []string) error {
	if len(ids) == 1 {
		return errf(awserr.EC2InvalidInstanceIDNotFound, "The instance ID '%s' does not exist", ids[0])
	}
	return errf(awserr.EC2InvalidInstanceIDNotFound, "The instance IDs '%s' do not exist", strings.Join(ids, ", "))
}

// unauthorized is UnauthorizedOperation with the reason AWS states ("User:
// … is not authorized to perform: … on resource: … because …").
func unauthorized(who, action, resource string, d *authz.Decision) error {
	msg := fmt.Sprintf("You are not authorized to perform this operation. User: %s is not authorized to perform: %s on resource: %s", who, action, resource)
	if pd := d.Policy; pd != nil {
		switch pd.Reason {
		case policy.ReasonExplicitDeny:
			msg += " with an explicit deny in " + article(pd.By.Type.String())
		case policy.ReasonImplicitDeny:
			if t := pd.By.Type.String(); t != "" {
				msg += " because no " + t + " allows the " + action + " action"
			}
		}
	}
	return awserr.New(awserr.EC2UnauthorizedOperation, msg)
}

func article(s string) string {
	if s == "" {
		return "a policy"
	}
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + s
	}
	return "a " + s
}
