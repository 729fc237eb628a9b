package policy

import (
	"strings"

	"github.com/crossbucket/crossbucket/internal/arn"
)

// resourcePattern is a compiled Resource or NotResource entry. ARNs match
// component by component, with wildcards inside each component; policy
// variables may appear only in the resource component, after the fifth
// colon ("IAM policy elements: Variables and tags", Resource element).
type resourcePattern struct {
	any   bool
	valid bool      // has six components
	head  [5]string // arn, partition, service, region, account
	tail  pattern   // resource component
	// When the first five components hold no wildcards, literal is
	// "arn:partition:service:region:account:" plus the literal start of
	// the resource component: a request ARN that lacks this prefix cannot
	// match, and one that has it already matches the first five.
	literal     string
	headLiteral bool
}

func compileResource(s string, vars bool) resourcePattern {
	if s == "*" {
		return resourcePattern{any: true, valid: true}
	}
	var parts [6]string
	if !arn.Split(s, &parts) {
		return resourcePattern{}
	}
	r := resourcePattern{valid: true}
	copy(r.head[:], parts[:5])
	r.tail = compilePattern(parts[5], vars, true)
	r.headLiteral = !strings.ContainsAny(strings.Join(parts[:5], ""), "*?")
	if r.headLiteral {
		r.literal = strings.Join(parts[:5], ":") + ":" + r.tail.prefix
	}
	return r
}

// splitResource is the request resource cut into ARN components once per
// evaluation.
type splitResource struct {
	raw   string
	parts [6]string
	ok    bool
}

func newSplitResource(s string) splitResource {
	r := splitResource{raw: s}
	r.ok = arn.Split(s, &r.parts)
	return r
}

func (r *resourcePattern) match(res *splitResource, ctx *Context) bool {
	if r.any {
		return true
	}
	if !r.valid || !res.ok {
		return false
	}
	parts := &res.parts
	if r.headLiteral {
		if !strings.HasPrefix(res.raw, r.literal) {
			return false
		}
		return r.tail.match(parts[5], ctx, false)
	}
	if p := r.tail.prefix; !strings.HasPrefix(parts[5], p) {
		return false
	}
	for i := 0; i < 5; i++ {
		h := r.head[i]
		if h == parts[i] {
			continue
		}
		if !strings.ContainsAny(h, "*?") || !arn.Wildcard(h, parts[i], false) {
			return false
		}
	}
	return r.tail.match(parts[5], ctx, false)
}

// matchResource applies the statement's Resource or NotResource element. A
// statement with neither (a trust policy) applies to every resource.
func (s *Statement) matchResource(resource *splitResource, ctx *Context) bool {
	if !s.hasResource {
		return true
	}
	for i := range s.resources {
		if s.resources[i].match(resource, ctx) {
			return !s.notResource
		}
	}
	return s.notResource
}
