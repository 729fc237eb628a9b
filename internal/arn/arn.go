// Package arn parses, formats and matches Amazon Resource Names.
//
// An ARN has six colon-separated components:
//
//	arn:partition:service:region:account-id:resource
//
// The resource component is everything after the fifth colon and may itself
// contain colons and slashes. Matching follows the IAM rules for the Resource
// element and the Arn condition operators ("IAM JSON policy elements:
// Condition operators", ARN section): each of the six components is matched
// separately, and each may contain the wildcards * (any run of characters)
// and ? (any single character). Matching is case-sensitive.
package arn

import (
	"errors"
	"strings"
)

// ARN is a parsed Amazon Resource Name.
type ARN struct {
	Partition string // "aws", "aws-cn", ...
	Service   string // "s3", "iam", "sts", ...
	Region    string // empty for global services such as IAM and S3
	Account   string // 12-digit account id; empty for S3 buckets
	Resource  string // everything after the fifth colon
}

// ErrMalformed is returned by Parse for strings that are not ARNs.
var ErrMalformed = errors.New("arn: malformed ARN")

// Parse splits s into its components. It requires the "arn" prefix and six
// components; it does not check that the service or account are known.
func Parse(s string) (ARN, error) {
	var p [6]string
	if !Split(s, &p) || p[0] != "arn" || p[1] == "" || p[2] == "" {
		return ARN{}, ErrMalformed
	}
	return ARN{Partition: p[1], Service: p[2], Region: p[3], Account: p[4], Resource: p[5]}, nil
}

// String formats a as "arn:partition:service:region:account:resource".
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// Split cuts s into the six ARN components without allocating. The sixth
// component keeps any further colons. It reports false when s has fewer than
// five colons.
func Split(s string, out *[6]string) bool {
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return false
		}
		out[i] = s[:j]
		s = s[j+1:]
	}
	out[5] = s
	return true
}

// Match reports whether value matches pattern component by component. The
// pattern "*" matches every value, ARN or not. Neither side needs to be a
// well-formed ARN beyond having six components.
//
//	Match("arn:aws:s3:::bucket", "arn:aws:s3:::bucket2")   == false
//	Match("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/obj") == false
//	Match("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b") == true
func Match(pattern, value string) bool {
	if pattern == "*" {
		return true
	}
	var p, v [6]string
	if !Split(pattern, &p) || !Split(value, &v) {
		return false
	}
	for i := range p {
		if !Wildcard(p[i], v[i], false) {
			return false
		}
	}
	return true
}

// Wildcard reports whether s matches pattern, where * matches any run of
// characters (including none) and ? matches exactly one character. With fold
// set, ASCII letters compare case-insensitively.
func Wildcard(pattern, s string, fold bool) bool {
	// Iterative matcher with single-star backtracking: linear in practice
	// and allocation-free.
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		if p < len(pattern) {
			switch c := pattern[p]; c {
			case '*':
				star, mark = p, i
				p++
				continue
			case '?':
				p++
				i += runeLen(s, i)
				continue
			default:
				if eqByte(c, s[i], fold) {
					p++
					i++
					continue
				}
			}
		}
		if star < 0 {
			return false
		}
		p = star + 1
		mark += runeLen(s, mark)
		i = mark
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// runeLen returns the byte length of the UTF-8 sequence starting at s[i], so
// that ? consumes one character rather than one byte.
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

func eqByte(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	return lower(a) == lower(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
