package sigv4

import (
	"net/http"
	"strings"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

type mechanism int

const (
	mechAnonymous mechanism = iota
	mechHeaderV4
	mechQueryV4
	mechHeaderV2
	mechQueryV2
)

const (
	algorithmV4     = "AWS4-HMAC-SHA256"
	algorithmV4A    = "AWS4-ECDSA-P256-SHA256"
	headerAuth      = "Authorization"
	headerAmzDate   = "X-Amz-Date"
	headerToken     = "X-Amz-Security-Token"
	headerDecodedCL = "X-Amz-Decoded-Content-Length"
	headerTrailer   = "X-Amz-Trailer"

	paramAlgorithm     = "X-Amz-Algorithm"
	paramCredential    = "X-Amz-Credential"
	paramDate          = "X-Amz-Date"
	paramExpires       = "X-Amz-Expires"
	paramSignedHeaders = "X-Amz-SignedHeaders"
	paramSignature     = "X-Amz-Signature"
	paramToken         = "X-Amz-Security-Token"

	paramV2AccessKey = "AWSAccessKeyId"
	paramV2Expires   = "Expires"
	paramV2Signature = "Signature"
)

// msgOneMechanism is S3's answer to a request that carries more than one set
// of credentials.
const msgOneMechanism = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified"

// detect finds how r is authenticated. More than one mechanism, or an
// Authorization header of an unknown scheme, is an error: never a fall back
// to anonymous.
func detect(r *http.Request, q query) (mechanism, error) {
	auth, hasHeader := r.Header[headerAuth]
	v4q := q.has(paramAlgorithm) || q.has(paramCredential) || q.has(paramSignature) || q.has(paramSignedHeaders)
	v2q := q.has(paramV2Signature) || q.has(paramV2AccessKey)
	n := 0
	for _, b := range []bool{hasHeader, v4q, v2q} {
		if b {
			n++
		}
	}
	if n > 1 || len(auth) > 1 {
		e := awserr.New(awserr.InvalidArgument, msgOneMechanism)
		if hasHeader {
			e.With("ArgumentName", headerAuth).With("ArgumentValue", auth[0])
		}
		return 0, e
	}
	switch {
	case v4q:
		return mechQueryV4, nil
	case v2q:
		return mechQueryV2, nil
	case !hasHeader:
		return mechAnonymous, nil
	}
	h := auth[0]
	scheme, _, ok := strings.Cut(h, " ")
	switch {
	case !ok:
		return 0, awserr.New(awserr.InvalidArgument, "Authorization header is invalid -- one and only one ' ' (space) required.").
			With("ArgumentName", headerAuth).With("ArgumentValue", h)
	case scheme == algorithmV4:
		return mechHeaderV4, nil
	case scheme == "AWS":
		return mechHeaderV2, nil
	case scheme == algorithmV4A:
		return 0, awserr.New(awserr.NotImplemented, "The AWS4-ECDSA-P256-SHA256 (SigV4a) signing algorithm is not implemented.")
	default:
		return 0, awserr.New(awserr.InvalidArgument, "Unsupported Authorization Type").
			With("ArgumentName", headerAuth).With("ArgumentValue", h)
	}
}

// param is one query parameter, decoded.
type param struct {
	name, value string
	hasEq       bool // "name=" rather than "name"
}

// query is a request's query string in order, decoded as net/url does
// ('+' is a space). Undecodable escapes are kept literally.
type query []param

func parseQuery(raw string) query {
	var q query
	for raw != "" {
		var piece string
		piece, raw, _ = strings.Cut(raw, "&")
		if piece == "" {
			continue
		}
		k, v, eq := strings.Cut(piece, "=")
		q = append(q, param{name: unescapeQuery(k), value: unescapeQuery(v), hasEq: eq})
	}
	return q
}

func (q query) has(name string) bool {
	for _, p := range q {
		if p.name == name {
			return true
		}
	}
	return false
}

// get returns the first value of name.
func (q query) get(name string) string {
	for _, p := range q {
		if p.name == name {
			return p.value
		}
	}
	return ""
}

// unescapeQuery decodes %XX and '+'; an invalid escape stays as it is.
func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapePath decodes %XX ('+' stays); an invalid escape stays as it is.
func unescapePath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}
