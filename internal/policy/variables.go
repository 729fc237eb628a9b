package policy

import "strings"

// Policy variables ("IAM policy elements: Variables and tags").
//
//   - ${key} is replaced by the value of the request context key. Only
//     policies with Version 2012-10-17 have variables; in older documents the
//     text is literal.
//   - ${*}, ${?} and ${$} stand for a literal *, ? and $.
//   - ${key, 'default'} uses default when the key has no value.
//   - A variable whose key is absent (and that has no default) has no value:
//     the policy value holding it matches nothing ("Policy variables with no
//     value"). Multivalued keys cannot be used as variables ("Single-valued
//     vs. multivalued context keys"), so a key with several values counts as
//     absent.

type tokKind uint8

const (
	tokLit  tokKind = iota // literal text
	tokStar                // * wildcard
	tokQ                   // ? wildcard
	tokVar                 // ${key}
)

type token struct {
	kind   tokKind
	s      string // literal text, or the lower-cased key of a variable
	def    string // default value of a variable
	hasDef bool
}

// parseVariable parses the inside of ${...}. It reports false when the text
// is not a variable, in which case the caller keeps it literally.
func parseVariable(inner string) (token, bool) {
	switch inner {
	case "*", "?", "$":
		return token{kind: tokLit, s: inner}, true
	}
	key, def, hasDef := inner, "", false
	if i := strings.IndexByte(inner, ','); i >= 0 {
		key = strings.TrimSpace(inner[:i])
		d := strings.TrimSpace(inner[i+1:])
		if len(d) < 2 || d[0] != '\'' || d[len(d)-1] != '\'' {
			return token{}, false
		}
		def, hasDef = d[1:len(d)-1], true
	}
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " ${}") {
		return token{}, false
	}
	return token{kind: tokVar, s: strings.ToLower(key), def: def, hasDef: hasDef}, true
}

// resolve returns the value of a variable token from ctx.
func (t *token) resolve(ctx *Context) (string, bool) {
	if v, ok := ctx.Get(t.s); ok && len(v) == 1 {
		return v[0], true
	}
	if t.hasDef {
		return t.def, true
	}
	return "", false
}
