package policy

import "github.com/crossbucket/crossbucket/internal/arn"

// ARN operators: ArnEquals and ArnLike behave identically, as do ArnNotEquals
// and ArnNotLike. Each of the six colon-separated components is matched
// separately and case-sensitively, with * and ? wildcards; policy variables
// are supported.

func compileArnValue(s string, vars bool) ([6]pattern, bool) {
	var parts [6]string
	var out [6]pattern
	if !arn.Split(s, &parts) {
		if s == "*" {
			for i := range out {
				out[i] = compilePattern("*", false, true)
			}
			return out, true
		}
		return out, false
	}
	for i, p := range parts {
		out[i] = compilePattern(p, vars, true)
	}
	return out, true
}

func matchArn(pv *condValue, v string, ctx *Context) bool {
	var parts [6]string
	if !arn.Split(v, &parts) {
		return false
	}
	for i := range parts {
		if !pv.arn[i].match(parts[i], ctx, false) {
			return false
		}
	}
	return true
}
