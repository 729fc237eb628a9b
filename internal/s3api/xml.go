package s3api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// s3NS is the namespace of every S3 response document.
const s3NS = "http://s3.amazonaws.com/doc/2006-03-01/"

// maxXMLBody bounds the XML request bodies held in memory (CreateBucket,
// DeleteObjects, CompleteMultipartUpload).
const maxXMLBody = 4 << 20

// writeXML writes v as an S3 XML response document.
func writeXML(w http.ResponseWriter, status int, v any) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).Encode(v); err != nil {
		return awserr.Internal(err)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
	return nil
}

// readBody reads a bounded request body: MaxMessageLengthExceeded past
// limit, the body's own error (a bad signature or chunk) as it is.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, awserr.New(awserr.MaxMessageLengthExceeded)
	}
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, bodyErr(err)
	}
	if int64(len(b)) > limit {
		return nil, awserr.New(awserr.MaxMessageLengthExceeded)
	}
	return b, nil
}

// bodyErr maps an error reading the request body: the verifier's
// *awserr.Error as is, anything else (a client gone, a short body) as
// IncompleteBody.
func bodyErr(err error) error {
	var e *awserr.Error
	if errors.As(err, &e) {
		return e
	}
	return withCause(awserr.New(awserr.IncompleteBody), err)
}

// decodeXML parses an XML request document into v: MalformedXML when it
// is not well formed or its root element is not root.
func decodeXML(b []byte, root string, v any) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		t, err := d.Token()
		if err != nil {
			return awserr.New(awserr.MalformedXML)
		}
		if se, ok := t.(xml.StartElement); ok {
			if se.Name.Local != root {
				return awserr.New(awserr.MalformedXML)
			}
			if err := d.DecodeElement(v, &se); err != nil {
				return awserr.New(awserr.MalformedXML)
			}
			return nil
		}
	}
}

// isoTime formats t as S3 XML timestamps are: UTC with milliseconds.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// httpTime formats t for Last-Modified and friends (RFC 1123, GMT).
func httpTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

// owner is an S3 Owner / Initiator element.
type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

// withCause keeps an internal cause on e for the logs.
func withCause(e *awserr.Error, err error) *awserr.Error {
	e.Cause = err
	return e
}
