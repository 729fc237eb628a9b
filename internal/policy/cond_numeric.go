package policy

import "strconv"

// Numeric operators compare integers or decimals; policy variables are not
// supported. A value that is not a number never matches.

func parseNumber(s string) (float64, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// isDecimal accepts an optional sign, digits and an optional fraction,
// rejecting forms strconv would take but IAM does not (hex, Inf, NaN).
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits, dot := 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

func matchNumeric(op *operator, pv *condValue, v string) bool {
	n, ok := parseNumber(v)
	if !ok {
		return false
	}
	return compare(op.cmp, cmp3(n, pv.num))
}

func cmp3(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compare applies a comparison to the sign of request-value minus
// policy-value.
func compare(op cmpOp, c int) bool {
	switch op {
	case cmpLt:
		return c < 0
	case cmpLe:
		return c <= 0
	case cmpGt:
		return c > 0
	case cmpGe:
		return c >= 0
	}
	return c == 0
}
