package policy

// String operators: StringEquals, StringNotEquals, StringEqualsIgnoreCase,
// StringNotEqualsIgnoreCase, StringLike, StringNotLike. Equals operators
// compare exactly (a * is a literal character); Like operators treat * and
// ? as wildcards; values may hold policy variables.

func matchString(op *operator, pv *condValue, v string, ctx *Context) bool {
	return pv.pat.match(v, ctx, op.fold)
}
