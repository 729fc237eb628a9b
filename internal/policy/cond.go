package policy

import "strings"

// Condition evaluation ("IAM JSON policy elements: Condition operators",
// "Conditions with multiple context keys or values", "Single-valued vs.
// multivalued context keys"):
//
//   - Operators in a Condition block are ANDed, and so are the keys under
//     one operator; the values listed for one key are ORed, and for a
//     negated operator they are NORed (the key's value must match none).
//   - A key absent from the request context makes a condition false, except
//     that a negated operator (StringNotEquals, ArnNotLike, ...) is then
//     true, ...IfExists is true, and Null tests presence itself.
//   - ForAnyValue: is true when at least one request value satisfies the
//     operator, and false when the key is absent or has no values.
//     ForAllValues: is true when every request value satisfies it, and
//     also when the key is absent or empty.
//   - Without a set qualifier, a key with several values is satisfied when
//     any value matches (negated operators: when none matches).

type family uint8

const (
	famString family = iota
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famArn
	famNull
)

type cmpOp uint8

const (
	cmpEq cmpOp = iota
	cmpLt
	cmpLe
	cmpGt
	cmpGe
)

type setOp uint8

const (
	setNone setOp = iota
	setAny        // ForAnyValue:
	setAll        // ForAllValues:
)

// operator is a parsed condition operator name.
type operator struct {
	name     string
	fam      family
	neg      bool
	fold     bool // IgnoreCase string operators
	like     bool // wildcards allowed
	cmp      cmpOp
	ifExists bool
	set      setOp
}

var baseOperators = map[string]operator{
	"StringEquals":              {fam: famString},
	"StringNotEquals":           {fam: famString, neg: true},
	"StringEqualsIgnoreCase":    {fam: famString, fold: true},
	"StringNotEqualsIgnoreCase": {fam: famString, neg: true, fold: true},
	"StringLike":                {fam: famString, like: true},
	"StringNotLike":             {fam: famString, neg: true, like: true},
	"NumericEquals":             {fam: famNumeric},
	"NumericNotEquals":          {fam: famNumeric, neg: true},
	"NumericLessThan":           {fam: famNumeric, cmp: cmpLt},
	"NumericLessThanEquals":     {fam: famNumeric, cmp: cmpLe},
	"NumericGreaterThan":        {fam: famNumeric, cmp: cmpGt},
	"NumericGreaterThanEquals":  {fam: famNumeric, cmp: cmpGe},
	"DateEquals":                {fam: famDate},
	"DateNotEquals":             {fam: famDate, neg: true},
	"DateLessThan":              {fam: famDate, cmp: cmpLt},
	"DateLessThanEquals":        {fam: famDate, cmp: cmpLe},
	"DateGreaterThan":           {fam: famDate, cmp: cmpGt},
	"DateGreaterThanEquals":     {fam: famDate, cmp: cmpGe},
	"Bool":                      {fam: famBool},
	"BinaryEquals":              {fam: famBinary},
	"IpAddress":                 {fam: famIP},
	"NotIpAddress":              {fam: famIP, neg: true},
	"ArnEquals":                 {fam: famArn, like: true},
	"ArnLike":                   {fam: famArn, like: true},
	"ArnNotEquals":              {fam: famArn, neg: true, like: true},
	"ArnNotLike":                {fam: famArn, neg: true, like: true},
	"Null":                      {fam: famNull},
}

// parseOperator parses names such as "ForAllValues:StringLikeIfExists".
func parseOperator(name string) (operator, bool) {
	base, set := name, setNone
	if rest, ok := strings.CutPrefix(base, "ForAnyValue:"); ok {
		base, set = rest, setAny
	} else if rest, ok := strings.CutPrefix(base, "ForAllValues:"); ok {
		base, set = rest, setAll
	}
	ifExists := false
	if rest, ok := strings.CutSuffix(base, "IfExists"); ok {
		base, ifExists = rest, true
	}
	op, ok := baseOperators[base]
	if !ok || (ifExists && op.fam == famNull) {
		return operator{}, false
	}
	op.name, op.set, op.ifExists = name, set, ifExists
	return op, true
}

// condValue is one compiled policy value of a condition.
type condValue struct {
	raw  string
	ok   bool // parsed; values that do not parse never match
	pat  pattern
	arn  [6]pattern
	num  float64
	date dateValue
	ip   ipValue
	bin  []byte
	null bool
}

// condition is one (operator, key, values) triple of a Condition block.
type condition struct {
	op     operator
	key    string // lower-cased
	rawKey string
	values []condValue
}

// eval evaluates the condition against ctx.
func (c *condition) eval(ctx *Context) bool {
	vals, present := ctx.Get(c.key)
	if c.op.fam == famNull {
		return c.evalNull(present)
	}
	if !present {
		switch {
		case c.op.ifExists:
			return true
		case c.op.set == setAll:
			return true
		case c.op.set == setAny:
			return false
		}
		return c.op.neg
	}
	switch c.op.set {
	case setAll:
		for _, v := range vals {
			if c.positive(v, ctx) == c.op.neg {
				return false
			}
		}
		return true
	case setAny:
		for _, v := range vals {
			if c.positive(v, ctx) != c.op.neg {
				return true
			}
		}
		return false
	}
	for _, v := range vals {
		if c.positive(v, ctx) {
			return !c.op.neg
		}
	}
	return c.op.neg
}

// positive reports whether request value v matches any policy value under
// the operator with its negation stripped.
func (c *condition) positive(v string, ctx *Context) bool {
	for i := range c.values {
		pv := &c.values[i]
		if !pv.ok {
			continue
		}
		var m bool
		switch c.op.fam {
		case famString:
			m = matchString(&c.op, pv, v, ctx)
		case famNumeric:
			m = matchNumeric(&c.op, pv, v)
		case famDate:
			m = matchDate(&c.op, pv, v)
		case famBool:
			m = matchBool(pv, v, ctx)
		case famBinary:
			m = matchBinary(pv, v)
		case famIP:
			m = matchIP(pv, v)
		case famArn:
			m = matchArn(pv, v, ctx)
		}
		if m {
			return true
		}
	}
	return false
}

// compileValue parses one policy value for the operator's family. vars
// says whether the document has policy variables (Version 2012-10-17).
func compileValue(op *operator, raw string, vars bool) condValue {
	cv := condValue{raw: raw}
	switch op.fam {
	case famString:
		cv.pat, cv.ok = compilePattern(raw, vars, op.like), true
	case famNumeric:
		cv.num, cv.ok = parseNumber(raw)
	case famDate:
		cv.date, cv.ok = parseDate(raw)
	case famBool:
		cv.pat, cv.ok = compilePattern(raw, vars, false), true
	case famBinary:
		cv.bin, cv.ok = parseBinary(raw)
	case famIP:
		cv.ip, cv.ok = parseIPValue(raw)
	case famArn:
		cv.arn, cv.ok = compileArnValue(raw, vars)
	case famNull:
		cv.null, cv.ok = parseNullValue(raw)
	}
	return cv
}

// matchConditions ANDs all conditions of a statement.
func (s *Statement) matchConditions(ctx *Context) bool {
	for i := range s.conditions {
		if !s.conditions[i].eval(ctx) {
			return false
		}
	}
	return true
}
