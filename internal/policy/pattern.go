package policy

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
)

// pattern is a compiled string from a policy (a resource component or a
// condition value). Simple patterns, with no variables and no escaped
// characters, are matched straight from raw; the others go through their
// tokens.
type pattern struct {
	raw   string
	wild  bool    // * and ? are wildcards
	toks  []token // nil for simple patterns
	vars  bool    // toks holds at least one variable
	fixed bool    // no wildcards at all: plain equality
	// prefix is literal text every match starts with (case-sensitive
	// matching only), used to reject most values cheaply.
	prefix string
}

// compilePattern compiles s. With vars set, ${...} variables are
// recognised; with wild set, * and ? outside variables are wildcards.
func compilePattern(s string, vars, wild bool) pattern {
	p := pattern{raw: s, wild: wild}
	if !vars || !strings.Contains(s, "${") {
		p.fixed = !wild || !strings.ContainsAny(s, "*?")
		p.prefix = s
		if i := strings.IndexAny(s, "*?"); wild && i >= 0 {
			p.prefix = s[:i]
		}
		return p
	}
	var toks []token
	lit := func(text string) {
		if text == "" {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].kind == tokLit {
			toks[n-1].s += text
			return
		}
		toks = append(toks, token{kind: tokLit, s: text})
	}
	rest := s
	for rest != "" {
		i := strings.Index(rest, "${")
		if i < 0 {
			p.addWild(&toks, rest, lit)
			break
		}
		p.addWild(&toks, rest[:i], lit)
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			p.addWild(&toks, rest[i:], lit)
			break
		}
		tok, ok := parseVariable(rest[i+2 : i+j])
		switch {
		case !ok:
			p.addWild(&toks, rest[i:i+j+1], lit)
		case tok.kind == tokLit:
			lit(tok.s)
		default:
			toks = append(toks, tok)
			p.vars = true
		}
		rest = rest[i+j+1:]
	}
	p.toks = toks
	if len(toks) > 0 && toks[0].kind == tokLit {
		p.prefix = toks[0].s
	}
	p.fixed = true
	for _, t := range toks {
		if t.kind == tokStar || t.kind == tokQ {
			p.fixed = false
		}
	}
	return p
}

// addWild appends text, splitting out wildcards when p.wild is set.
func (p *pattern) addWild(toks *[]token, text string, lit func(string)) {
	if !p.wild {
		lit(text)
		return
	}
	for text != "" {
		i := strings.IndexAny(text, "*?")
		if i < 0 {
			lit(text)
			return
		}
		lit(text[:i])
		if text[i] == '*' {
			*toks = append(*toks, token{kind: tokStar})
		} else {
			*toks = append(*toks, token{kind: tokQ})
		}
		text = text[i+1:]
	}
}

// seg is a token with its variable resolved.
type seg struct {
	kind tokKind
	s    string
}

// match reports whether s matches the pattern. fold makes ASCII letters
// compare case-insensitively (Unicode folding is used for simple fixed
// patterns). A pattern holding a variable with no value matches nothing.
func (p *pattern) match(s string, ctx *Context, fold bool) bool {
	if p.toks == nil {
		switch {
		case !p.fixed:
			return arn.Wildcard(p.raw, s, fold)
		case fold:
			return strings.EqualFold(p.raw, s)
		default:
			return p.raw == s
		}
	}
	var buf [16]seg
	segs := buf[:0]
	for i := range p.toks {
		t := &p.toks[i]
		if t.kind == tokVar {
			v, ok := t.resolve(ctx)
			if !ok {
				return false
			}
			segs = append(segs, seg{kind: tokLit, s: v})
			continue
		}
		segs = append(segs, seg{kind: t.kind, s: t.s})
	}
	if p.fixed {
		return matchFixed(segs, s, fold)
	}
	return matchSegs(segs, s, fold)
}

// resolved returns the pattern text with variables substituted, for
// explanations and for callers that need the literal value.
func (p *pattern) resolved(ctx *Context) (string, bool) {
	if p.toks == nil {
		return p.raw, true
	}
	var b strings.Builder
	for i := range p.toks {
		t := &p.toks[i]
		switch t.kind {
		case tokVar:
			v, ok := t.resolve(ctx)
			if !ok {
				return "", false
			}
			b.WriteString(v)
		case tokStar:
			b.WriteByte('*')
		case tokQ:
			b.WriteByte('?')
		default:
			b.WriteString(t.s)
		}
	}
	return b.String(), true
}

func matchFixed(segs []seg, s string, fold bool) bool {
	for _, g := range segs {
		if len(g.s) > len(s) {
			return false
		}
		head := s[:len(g.s)]
		if fold {
			if !strings.EqualFold(head, g.s) {
				return false
			}
		} else if head != g.s {
			return false
		}
		s = s[len(g.s):]
	}
	return s == ""
}

// matchSegs is the wildcard matcher of arn.Wildcard generalised to a
// sequence of segments, so that resolved variables and escaped characters
// stay literal.
func matchSegs(segs []seg, s string, fold bool) bool {
	type pos struct{ si, off int }
	n := len(segs)
	norm := func(p pos) pos {
		for p.si < n && segs[p.si].kind == tokLit && p.off >= len(segs[p.si].s) {
			p.si++
			p.off = 0
		}
		return p
	}
	p := norm(pos{})
	star, haveStar, mark := pos{}, false, 0
	i := 0
	for i < len(s) {
		if p.si < n {
			g := &segs[p.si]
			switch g.kind {
			case tokStar:
				star, haveStar, mark = norm(pos{p.si + 1, 0}), true, i
				p = star
				continue
			case tokQ:
				p = norm(pos{p.si + 1, 0})
				i += runeLen(s, i)
				continue
			default:
				c := g.s[p.off]
				if c == s[i] || (fold && lowerASCII(c) == lowerASCII(s[i])) {
					p = norm(pos{p.si, p.off + 1})
					i++
					continue
				}
			}
		}
		if !haveStar {
			return false
		}
		p = star
		mark += runeLen(s, mark)
		i = mark
	}
	for p.si < n && segs[p.si].kind == tokStar {
		p = norm(pos{p.si + 1, 0})
	}
	return p.si == n
}

func runeLen(s string, i int) int {
	c := s[i]
	n := 1
	switch {
	case c >= 0xF0:
		n = 4
	case c >= 0xE0:
		n = 3
	case c >= 0xC0:
		n = 2
	}
	if i+n > len(s) {
		return len(s) - i
	}
	return n
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
