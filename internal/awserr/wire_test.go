package awserr

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteS3(t *testing.T) {
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/b/k", nil)
	WriteS3(w, r, New(NoSuchKey).With("Key", "a<b>&'c'").WithResource("/b/k"), "REQ", "HOST")
	body := w.Body.String()
	if w.Code != 404 || !strings.Contains(body, "<Code>NoSuchKey</Code>") || !strings.Contains(body, "<Key>a&lt;b&gt;&amp;'c'</Key>") ||
		!strings.Contains(body, "<RequestId>REQ</RequestId><HostId>HOST</HostId>") {
		t.Fatalf("%d %s", w.Code, body)
	}
	w = httptest.NewRecorder()
	WriteS3(w, httptest.NewRequest(http.MethodHead, "/b/k", nil), New(NoSuchKey), "REQ", "HOST")
	if w.Code != 404 || w.Body.Len() != 0 {
		t.Fatalf("HEAD error has a body: %q", w.Body.String())
	}
	w = httptest.NewRecorder()
	WriteS3(w, r, errString("boom"), "REQ", "HOST")
	if w.Code != 500 || strings.Contains(w.Body.String(), "boom") {
		t.Fatalf("internal error leaked its cause: %s", w.Body.String())
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestWriteQuery(t *testing.T) {
	w := httptest.NewRecorder()
	WriteQuery(w, New(NoSuchEntity, "The role with name x cannot be found."), "https://iam.amazonaws.com/doc/2010-05-08/", "REQ")
	want := `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name x cannot be found.</Message></Error><RequestId>REQ</RequestId></ErrorResponse>`
	if w.Code != 404 || w.Body.String() != want {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
}
