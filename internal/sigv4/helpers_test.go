package sigv4

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// The AWS documentation's example credentials.
const (
	docAKID   = "AKIAIOSFODNN7EXAMPLE"
	docSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
)

// docTime is the time of the SigV4 examples: 20130524T000000Z.
var docTime = time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)

// keys is a Lookup over fixed secrets; an unknown key is InvalidAccessKeyId.
func keys(m map[string]string) Lookup {
	return func(_ context.Context, akid, _ string) (string, error) {
		if s, ok := m[akid]; ok {
			return s, nil
		}
		return "", awserr.New(awserr.InvalidAccessKeyID).With("AWSAccessKeyId", akid)
	}
}

var docKeys = keys(map[string]string{docAKID: docSecret})

// serverRequest builds a request as net/http's server hands it over.
func serverRequest(method, target, body string, headers ...string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// readBody reads res.Body to its end.
func readBody(t *testing.T, res *Result) ([]byte, error) {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	return b, err
}

// code returns the AWS error code of err, or "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Code.Name
	}
	return "non-aws: " + err.Error()
}

// field returns the value of an extra field of an *awserr.Error.
func field(err error, name string) string {
	var e *awserr.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			if f.Name == name {
				return f.Value
			}
		}
	}
	return ""
}

func message(err error) string {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e.Msg()
	}
	return ""
}
