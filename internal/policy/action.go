package policy

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
)

// actionPattern is a compiled Action or NotAction entry. Action names are
// case-insensitive and may hold * and ? ("IAM JSON policy elements:
// Action").
type actionPattern struct {
	pat    string // lower-cased
	prefix string // literal text before the first wildcard
	wild   bool
	any    bool // "*"
	simple bool // prefix followed by a single trailing *
}

func compileAction(s string) actionPattern {
	l := strings.ToLower(s)
	a := actionPattern{pat: l, wild: strings.ContainsAny(l, "*?"), any: l == "*"}
	a.prefix = l
	if i := strings.IndexAny(l, "*?"); i >= 0 {
		a.prefix = l[:i]
		a.simple = i == len(l)-1 && l[i] == '*'
	}
	return a
}

func (a *actionPattern) match(action string) bool {
	switch {
	case a.any:
		return true
	case !a.wild:
		return len(action) == len(a.pat) && hasPrefixFold(action, a.pat)
	case !hasPrefixFold(action, a.prefix):
		return false
	case a.simple:
		return true
	}
	return arn.Wildcard(a.pat, action, true)
}

// hasPrefixFold reports whether s starts with the lower-case ASCII prefix,
// ignoring ASCII case in s.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// matchAction applies the statement's Action or NotAction element.
func (s *Statement) matchAction(action string) bool {
	for i := range s.actions {
		if s.actions[i].match(action) {
			return !s.notAction
		}
	}
	return s.notAction
}
