package iamapi

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Parameter constraints from the IAM API Reference (each action's "Request
// Parameters": Length Constraints and Pattern).
var (
	reName       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	rePath       = regexp.MustCompile(`^(/|/[\x{21}-\x{7E}]+/)$`)
	rePathPrefix = regexp.MustCompile(`^/[\x{21}-\x{7F}]*$`)
	reDesc       = regexp.MustCompile(`^[\x{09}\x{0A}\x{0D}\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)
	reDoc        = regexp.MustCompile(`^[\x{09}\x{0A}\x{0D}\x{20}-\x{FF}]+$`)
	reKeyID      = regexp.MustCompile(`^\w+$`)
	reVersionID  = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
	reMarker     = regexp.MustCompile(`^[\x{20}-\x{FF}]+$`)
	reTagKey     = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)
	reTagValue   = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// The patterns as the IAM API Reference prints them, for messages.
const (
	patName       = `[\w+=,.@-]+`
	patPath       = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	patPathPrefix = `\u002F[\u0021-\u007F]*`
	patDesc       = `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*`
	patDoc        = `[\u0009\u000A\u000D\u0020-\u00FF]+`
	patKeyID      = `[\w]+`
	patVersionID  = `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`
	patTagKey     = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patTagValue   = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
)

// validator collects constraint violations in AWS's ValidationError form:
// "N validation error(s) detected: Value 'x' at 'member' failed to satisfy
// constraint: Member must …; …".
type validator struct{ errs []string }

func (v *validator) add(value *string, member, constraint string) {
	val := "null"
	if value != nil {
		val = "'" + *value + "'"
	}
	v.errs = append(v.errs, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: Member must %s", val, member, constraint))
}

// str checks an optional or required string parameter.
func (v *validator) str(val string, present bool, member string, required bool, minLen, maxLen int, re *regexp.Regexp, pattern string) {
	if !present {
		if required {
			v.add(nil, member, "not be null")
		}
		return
	}
	n := utf8.RuneCountInString(val)
	switch {
	case n < minLen:
		v.add(&val, member, fmt.Sprintf("have length greater than or equal to %d", minLen))
	case maxLen > 0 && n > maxLen:
		v.add(&val, member, fmt.Sprintf("have length less than or equal to %d", maxLen))
	case re != nil && !re.MatchString(val):
		v.add(&val, member, "satisfy regular expression pattern: "+pattern)
	}
}

// intRange checks an integer parameter's bounds.
func (v *validator) intRange(n int, member string, lo, hi int) {
	s := fmt.Sprint(n)
	if n < lo {
		v.add(&s, member, fmt.Sprintf("have value greater than or equal to %d", lo))
	} else if n > hi {
		v.add(&s, member, fmt.Sprintf("have value less than or equal to %d", hi))
	}
}

func (v *validator) enum(val string, present bool, member string, required bool, allowed ...string) {
	if !present {
		if required {
			v.add(nil, member, "not be null")
		}
		return
	}
	for _, a := range allowed {
		if val == a {
			return
		}
	}
	v.add(&val, member, "satisfy enum value set: ["+strings.Join(allowed, ", ")+"]")
}

func (v *validator) err() error {
	switch len(v.errs) {
	case 0:
		return nil
	case 1:
		return awserr.New(awserr.ValidationError, "1 validation error detected: "+v.errs[0])
	}
	return awserr.Newf(awserr.ValidationError, "%d validation errors detected: %s", len(v.errs), strings.Join(v.errs, "; "))
}

// Parameter helpers on the request.

func (c *call) param(name string) (string, bool) {
	vs, ok := c.q.Values[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// name validates an IAM entity name parameter (users, roles: 64; groups,
// policies, instance profiles: 128).
func (v *validator) name(c *call, param, member string, maxLen int, required bool) string {
	s, ok := c.param(param)
	v.str(s, ok, member, required, 1, maxLen, reName, patName)
	return s
}

// path validates a Path parameter; absent means "/".
func (v *validator) path(c *call) string {
	s, ok := c.param("Path")
	v.str(s, ok, "path", false, 1, 512, rePath, patPath)
	if !ok {
		return "/"
	}
	return s
}

// pathPrefix validates a PathPrefix parameter; absent means "/".
func (v *validator) pathPrefix(c *call) string {
	s, ok := c.param("PathPrefix")
	v.str(s, ok, "pathPrefix", false, 1, 512, rePathPrefix, patPathPrefix)
	if !ok {
		return "/"
	}
	return s
}

// document validates a policy document parameter.
func (v *validator) document(c *call, param, member string) string {
	s, ok := c.param(param)
	v.str(s, ok, member, true, 1, 131072, reDoc, patDoc)
	return s
}

// policyARN validates a PolicyArn parameter (length 20..2048).
func (v *validator) policyARN(c *call, param, member string, required bool) string {
	s, ok := c.param(param)
	v.str(s, ok, member, required, 20, 2048, nil, "")
	return s
}
