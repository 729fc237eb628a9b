package stsapi

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/crossbucket/crossbucket/internal/awserr"
)

// Patterns of the STS API Reference (Java regular expressions there; \w is
// ASCII [A-Za-z0-9_]).
var (
	// RoleSessionName, SourceIdentity: [\w+=,.@-]*
	reSessionName = regexp.MustCompile(`^[A-Za-z0-9_+=,.@-]*$`)
	// ExternalId: [\w+=,.@:\/-]*
	reExternalID = regexp.MustCompile(`^[A-Za-z0-9_+=,.@:/-]*$`)
	// SerialNumber: [\w+=/:,.@-]*
	reSerial = regexp.MustCompile(`^[A-Za-z0-9_+=/:,.@-]*$`)
	// TokenCode: [\d]*
	reTokenCode = regexp.MustCompile(`^[0-9]*$`)
	// Tag keys (+) and values (*): [\p{L}\p{Z}\p{N}_.:/=+\-@]
	reTagKey   = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)
	reTagValue = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// Pattern texts as the messages quote them.
const (
	patSessionName = `[\w+=,.@-]*`
	patExternalID  = `[\w+=,.@:\/-]*`
	patSerial      = `[\w+=/:,.@-]*`
	patTokenCode   = `[\d]*`
	patTagKey      = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patTagValue    = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	patText        = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
)

// violations collects constraint failures and reports them the way AWS's
// request validation does: "N validation error(s) detected: Value 'V' at
// 'field' failed to satisfy constraint: Member must …; Value …".
type violations []string

func (v *violations) add(value, field, constraint string) {
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", value, field, constraint))
}

func (v *violations) missing(field string) {
	*v = append(*v, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", field))
}

func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return awserr.New(awserr.ValidationError, "1 validation error detected: "+v[0])
	}
	return awserr.Newf(awserr.ValidationError, "%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// str checks a string parameter: the pattern first, then the length
// bounds (in characters), as AWS lists them.
func (v *violations) str(value, field string, minLen, maxLen int, re *regexp.Regexp, pat string) {
	if re != nil && !re.MatchString(value) {
		v.add(value, field, "Member must satisfy regular expression pattern: "+pat)
	}
	n := utf8.RuneCountInString(value)
	if n < minLen {
		v.add(value, field, "Member must have length greater than or equal to "+strconv.Itoa(minLen))
	}
	if maxLen > 0 && n > maxLen {
		v.add(value, field, "Member must have length less than or equal to "+strconv.Itoa(maxLen))
	}
}

// text checks a free-text parameter (ARNs, policy documents): printable
// Unicode and length bounds.
func (v *violations) text(value, field string, minLen, maxLen int) {
	if !isText(value) {
		v.add(value, field, "Member must satisfy regular expression pattern: "+patText)
	}
	v.str(value, field, minLen, maxLen, nil, "")
}

// isText reports whether s matches patText: non-empty, valid UTF-8, tab,
// newline, carriage return or characters from U+0020 on, except the C1
// controls other than U+0085 and the non-characters U+FFFE/U+FFFF.
func isText(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r >= 0x20 && r <= 0x7e, r == 0x85:
		case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd, r >= 0x10000:
		default:
			return false
		}
	}
	return true
}

// duration checks an integer range parameter.
func (v *violations) intRange(n int, field string, minV, maxV int) {
	if n < minV {
		v.add(strconv.Itoa(n), field, "Member must have value greater than or equal to "+strconv.Itoa(minV))
	}
	if n > maxV {
		v.add(strconv.Itoa(n), field, "Member must have value less than or equal to "+strconv.Itoa(maxV))
	}
}

// listLen checks the number of members of a list parameter.
func (v *violations) listLen(items []string, field string, maxLen int) {
	if len(items) > maxLen {
		v.add("["+strings.Join(items, ", ")+"]", field, "Member must have length less than or equal to "+strconv.Itoa(maxLen))
	}
}
