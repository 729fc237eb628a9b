package sigv4

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// The canonical request, per the IAM User Guide "Create a signed AWS API
// request" and the S3 API Reference "Signature Calculations for the
// Authorization Header":
//
//	Method \n CanonicalURI \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n HashedPayload

// rawPath is the path of r exactly as the client sent it, still escaped.
func rawPath(r *http.Request) string {
	if u := r.RequestURI; strings.HasPrefix(u, "/") {
		if i := strings.IndexByte(u, '?'); i >= 0 {
			u = u[:i]
		}
		return u
	}
	if r.URL.Opaque != "" {
		// "//host/path" (the SDK's pre-escaped form) or "/path".
		p := r.URL.Opaque
		if strings.HasPrefix(p, "//") {
			p = p[2:]
			if i := strings.IndexByte(p, '/'); i >= 0 {
				return p[i:]
			}
			return "/"
		}
		return p
	}
	return r.URL.EscapedPath()
}

// canonicalURI builds the CanonicalURI of a raw (escaped) path. Each segment
// is decoded and encoded again strictly, so "/test$file.text" becomes
// "/test%24file.text" and an encoded slash inside a segment stays "%2F".
// S3 takes the path as it is: no normalization, one encoding, so keys such as
// "a//b" or "../x" keep their exact bytes. Other services normalize the path
// (RFC 3986 dot segments, empty segments dropped) and encode it twice.
func canonicalURI(raw string, s3 bool) string {
	if raw == "" {
		return "/"
	}
	segs := strings.Split(raw, "/")
	for i, s := range segs {
		segs[i] = unescapePath(s)
	}
	if !s3 {
		segs = normalizeSegments(segs, strings.HasSuffix(raw, "/"))
	}
	var b strings.Builder
	b.Grow(len(raw) + 16)
	for i, s := range segs {
		if i > 0 {
			b.WriteByte('/')
		}
		if s3 {
			uriEncode(&b, s)
		} else {
			var once strings.Builder
			uriEncode(&once, s)
			uriEncode(&b, once.String())
		}
	}
	out := b.String()
	if !strings.HasPrefix(out, "/") {
		out = "/" + out
	}
	return out
}

// normalizeSegments removes "." and ".." and empty segments of a decoded path
// (split on "/", first element empty for an absolute path).
func normalizeSegments(segs []string, trailingSlash bool) []string {
	out := []string{""}
	for _, s := range segs {
		switch s {
		case "", ".":
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
		}
	}
	if trailingSlash || len(out) == 1 {
		out = append(out, "")
	}
	return out
}

// uriEncode writes s with every byte except the unreserved characters
// (A-Z a-z 0-9 - . _ ~) as %XX with upper-case hex digits.
func uriEncode(b *strings.Builder, s string) {
	const hexUpper = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&15])
	}
}

func encoded(s string) string {
	var b strings.Builder
	uriEncode(&b, s)
	return b.String()
}

// canonicalQuery encodes every parameter but skip, then sorts by encoded name
// and value ("the sorting occurs after encoding"). A parameter without a value
// is "name=".
func canonicalQuery(q query, skip string) string {
	type kv struct{ k, v string }
	ps := make([]kv, 0, len(q))
	for _, p := range q {
		if skip != "" && p.name == skip {
			continue
		}
		ps = append(ps, kv{encoded(p.name), encoded(p.value)})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String()
}

// headerValues returns the values of a (lower-case) header name of r,
// including those net/http keeps outside r.Header.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		return []string{r.Host}
	case "content-length":
		if v := r.Header.Values("Content-Length"); len(v) > 0 {
			return v
		}
		if r.ContentLength > 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	case "transfer-encoding":
		if len(r.TransferEncoding) > 0 {
			return []string{strings.Join(r.TransferEncoding, ",")}
		}
	}
	return r.Header.Values(name)
}

// canonicalHeaders writes "name:value\n" for each signed header, in the
// order of SignedHeaders; values are trimmed, inner runs of spaces become
// one, and repeated headers are joined with ",".
func canonicalHeaders(b *strings.Builder, r *http.Request, names []string) {
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		for i, v := range headerValues(r, n) {
			if i > 0 {
				b.WriteByte(',')
			}
			writeTrimmed(b, v)
		}
		b.WriteByte('\n')
	}
}

// writeTrimmed writes v without leading and trailing whitespace and with
// every inner run of spaces and tabs as one space.
func writeTrimmed(b *strings.Builder, v string) {
	v = strings.Trim(v, " \t")
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' || c == '\t' {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
}

// canonicalRequest assembles the canonical request.
func canonicalRequest(r *http.Request, uri, query string, signed []string, signedRaw, payload string) string {
	var b strings.Builder
	b.Grow(len(uri) + len(query) + 64*len(signed) + len(payload) + 32)
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	canonicalHeaders(&b, r, signed)
	b.WriteByte('\n')
	b.WriteString(signedRaw)
	b.WriteByte('\n')
	b.WriteString(payload)
	return b.String()
}
