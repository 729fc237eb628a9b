package s3acl

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// S3Namespace is the XML namespace of S3 request and response bodies.
const S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// xsiNamespace is the XML Schema instance namespace of xsi:type.
const xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

// MaxBodyBytes bounds the XML bodies this package reads. 100 grants take
// well under 64 KiB; anything past 1 MiB is rejected unread.
const MaxBodyBytes = 1 << 20

// readBody reads at most MaxBodyBytes from r; a longer body is
// MaxMessageLengthExceeded. A nil reader is an empty body.
func readBody(r io.Reader) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxBodyBytes+1))
	if err != nil {
		return nil, awserr.Internal(err)
	}
	if len(b) > MaxBodyBytes {
		return nil, awserr.New(awserr.MaxMessageLengthExceeded)
	}
	return b, nil
}

var errSchema = errors.New("s3acl: body does not match the schema")

// decodeRoot decodes the single root element of b, which must be named
// root in the S3 namespace (or in none), into v. Anything but whitespace,
// comments and processing instructions around the root, and any DOCTYPE,
// is an error.
func decodeRoot(b []byte, root string, v any) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	var start *xml.StartElement
	for start == nil {
		tok, err := d.Token()
		if err != nil {
			return errSchema // io.EOF included: no root element
		}
		switch t := tok.(type) {
		case xml.StartElement:
			start = &t
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errSchema
			}
		case xml.Directive:
			return errSchema
		}
	}
	if start.Name.Local != root || (start.Name.Space != "" && start.Name.Space != S3Namespace) {
		return errSchema
	}
	if err := d.DecodeElement(v, start); err != nil {
		return errSchema
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errSchema
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return errSchema
			}
		case xml.Comment, xml.ProcInst:
		default:
			return errSchema
		}
	}
}

// anyElem catches child elements a schema does not allow.
type anyElem struct {
	XMLName xml.Name
}

// one returns the single value of an element that must occur exactly once,
// trimmed of surrounding whitespace.
func one(vals []string) (string, bool) {
	if len(vals) != 1 {
		return "", false
	}
	return strings.TrimSpace(vals[0]), true
}

// optional returns the value of an element that may occur at most once.
func optional(vals []string) (string, bool) {
	switch len(vals) {
	case 0:
		return "", true
	case 1:
		return strings.TrimSpace(vals[0]), true
	}
	return "", false
}

// esc writes s XML-escaped, copying it straight through when no character
// needs escaping.
func esc(b *strings.Builder, s string) {
	if strings.IndexFunc(s, needsEscape) < 0 {
		b.WriteString(s)
		return
	}
	_ = xml.EscapeText(b, []byte(s))
}

// needsEscape reports whether xml.EscapeText would change r: markup,
// quotes, line breaks, tabs and characters XML cannot carry.
func needsEscape(r rune) bool {
	switch r {
	case '<', '>', '&', '\'', '"', '\t', '\n', '\r':
		return true
	}
	return r < 0x20 || r == 0xFFFD || r >= 0xD800 && r < 0xE000 || r > 0x10FFFF || r == 0xFFFE || r == 0xFFFF
}

// xmlHeader starts every response body, as encoding/xml and S3 write it.
const xmlHeader = xml.Header
