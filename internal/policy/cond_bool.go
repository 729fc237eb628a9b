package policy

// Bool compares "true" or "false" (case-insensitively); policy variables
// are supported.

func matchBool(pv *condValue, v string, ctx *Context) bool {
	return pv.pat.match(v, ctx, true)
}
