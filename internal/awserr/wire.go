package awserr

import (
	"encoding/xml"
	"net/http"
	"strings"
)

// WriteS3 writes err as Amazon S3 does: an XML <Error> body with Code,
// Message, extra fields, Resource, RequestId and HostId. HEAD responses carry
// no body. The x-amz-request-id / x-amz-id-2 headers are set by the caller's
// middleware.
func WriteS3(w http.ResponseWriter, r *http.Request, err error, requestID, hostID string) {
	e := From(err)
	for k, v := range e.Headers {
		w.Header().Set(k, v)
	}
	if e.Code.Status == http.StatusNotModified || r.Method == http.MethodHead {
		w.WriteHeader(e.Code.Status)
		return
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<Error><Code>")
	esc(&b, e.Code.Name)
	b.WriteString("</Code><Message>")
	esc(&b, e.Msg())
	b.WriteString("</Message>")
	for _, f := range e.Fields {
		b.WriteString("<" + f.Name + ">")
		esc(&b, f.Value)
		b.WriteString("</" + f.Name + ">")
	}
	if e.Resource != "" {
		b.WriteString("<Resource>")
		esc(&b, e.Resource)
		b.WriteString("</Resource>")
	}
	b.WriteString("<RequestId>")
	esc(&b, requestID)
	b.WriteString("</RequestId><HostId>")
	esc(&b, hostID)
	b.WriteString("</HostId></Error>")
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(e.Code.Status)
	_, _ = w.Write([]byte(b.String()))
}

// WriteQuery writes err in the Query protocol's shape (IAM, STS, EC2-style
// services use <ErrorResponse>), with the service's XML namespace.
func WriteQuery(w http.ResponseWriter, err error, namespace, requestID string) {
	e := From(err)
	for k, v := range e.Headers {
		w.Header().Set(k, v)
	}
	typ := "Sender"
	if !e.Code.Sender {
		typ = "Receiver"
	}
	var b strings.Builder
	b.WriteString(`<ErrorResponse xmlns="`)
	esc(&b, namespace)
	b.WriteString(`"><Error><Type>` + typ + `</Type><Code>`)
	esc(&b, e.Code.Name)
	b.WriteString("</Code><Message>")
	esc(&b, e.Msg())
	b.WriteString("</Message></Error><RequestId>")
	esc(&b, requestID)
	b.WriteString("</RequestId></ErrorResponse>")
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(e.Code.Status)
	_, _ = w.Write([]byte(b.String()))
}

// esc writes s as XML character data, escaping only what must be escaped
// (AWS sends apostrophes and quotes in messages unescaped).
func esc(b *strings.Builder, s string) { _, _ = textEscaper.WriteString(b, s) }

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
