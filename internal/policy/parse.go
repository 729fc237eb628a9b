package policy

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
)

// Options tune validation.
type Options struct {
	// PrincipalExists, when set, is asked about each IAM user and role ARN
	// named in Principal or NotPrincipal; a false answer rejects the
	// document as AWS does ("Invalid principal in policy"). Nil skips the
	// check.
	PrincipalExists func(arn string) bool
	// Bucket is the bucket a bucket policy (KindResource) is attached to;
	// resources must lie in it. Empty skips the check.
	Bucket string
	// Managed validates an IAM managed policy (CreatePolicy): Version
	// 2012-10-17 is required and statement ids must be alphanumeric.
	Managed bool
}

// Parse validates doc as a policy of the given kind and compiles it. A
// document AWS would reject yields a *ValidationError carrying AWS's
// message; opts may be nil.
func Parse(doc string, kind Kind, opts *Options) (*Policy, error) {
	if opts == nil {
		opts = &Options{}
	}
	v := &validator{kind: kind, flavor: kind.flavor(), opts: opts}
	raw, err := v.decode(doc)
	if err != nil {
		return nil, err
	}
	if err := v.check(raw); err != nil {
		return nil, err
	}
	p := compile(raw, kind)
	p.doc = doc
	p.hash = sha256.Sum256([]byte(doc))
	return p, nil
}

// Validate reports whether doc is a valid policy of the given kind,
// returning AWS's *ValidationError when it is not.
func Validate(doc string, kind Kind, opts *Options) error {
	_, err := Parse(doc, kind, opts)
	return err
}

// rawPolicy is a decoded document whose element types have been checked.
type rawPolicy struct {
	version    string
	hasVersion bool
	id         string
	statements []*rawStatement
}

type rawStatement struct {
	present map[string]bool // elements present, by exact name
	sid     string
	effect  string
	// Action or NotAction, Resource or NotResource.
	actions   []string
	resources []string
	// Principal or NotPrincipal: entries in document order.
	principalStar bool // the bare string "*"
	principals    []rawPrincipal
	conditions    []rawCondition
}

type rawPrincipal struct{ key, value string }

type rawCondition struct {
	op     string
	key    string
	values []string
}

func (s *rawStatement) has(name string) bool { return s.present[name] }

type validator struct {
	kind   Kind
	flavor Flavor
	opts   *Options
}

func (v *validator) fail(iam, s3 string) *ValidationError {
	if v.flavor == FlavorS3 {
		return s3Err(s3)
	}
	return iamErr(iam)
}

func (v *validator) syntax() *ValidationError { return v.fail(msgIAMSyntax, msgS3Syntax) }

var errShape = errors.New("shape")

// decode parses the JSON and checks the type of every element.
func (v *validator) decode(doc string) (*rawPolicy, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return nil, v.fail(msgIAMSyntax, msgS3JSON)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, v.fail(msgIAMSyntax, msgS3JSON)
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, v.fail(msgIAMSyntax, msgS3JSON)
	}
	if v.kind == KindIdentity && hasPrincipalElement(obj) {
		return nil, iamErr(msgIAMNoPrincipal)
	}
	rp := &rawPolicy{}
	for k, val := range obj {
		switch k {
		case "Version":
			s, ok := val.(string)
			if !ok || (s != Version2012 && s != Version2008) {
				return nil, v.syntax()
			}
			rp.version, rp.hasVersion = s, true
		case "Id":
			s, ok := val.(string)
			if !ok {
				return nil, v.syntax()
			}
			rp.id = s
		case "Statement":
		default:
			return nil, v.syntax()
		}
	}
	st, ok := obj["Statement"]
	if !ok {
		return nil, v.fail(msgIAMSyntax, msgS3MissingStatement)
	}
	var list []any
	switch st := st.(type) {
	case map[string]any:
		list = []any{st}
	case []any:
		list = st
	default:
		return nil, v.syntax()
	}
	if len(list) == 0 {
		return nil, v.syntax()
	}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, v.syntax()
		}
		s, err := v.decodeStatement(m)
		if err != nil {
			return nil, err
		}
		rp.statements = append(rp.statements, s)
	}
	return rp, nil
}

func hasPrincipalElement(obj map[string]any) bool {
	var list []any
	switch st := obj["Statement"].(type) {
	case map[string]any:
		list = []any{st}
	case []any:
		list = st
	}
	for _, item := range list {
		if m, ok := item.(map[string]any); ok {
			if _, ok := m["Principal"]; ok {
				return true
			}
			if _, ok := m["NotPrincipal"]; ok {
				return true
			}
		}
	}
	return false
}

func (v *validator) decodeStatement(m map[string]any) (*rawStatement, error) {
	s := &rawStatement{present: make(map[string]bool, len(m))}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
			"Resource", "NotResource", "Condition":
			s.present[k] = true
		default:
			return nil, v.syntax()
		}
	}
	if s.has("Action") && s.has("NotAction") || s.has("Resource") && s.has("NotResource") ||
		s.has("Principal") && s.has("NotPrincipal") {
		return nil, v.syntax()
	}
	if val, ok := m["Sid"]; ok {
		str, ok := val.(string)
		if !ok {
			return nil, v.syntax()
		}
		s.sid = str
	}
	if val, ok := m["Effect"]; ok {
		str, ok := val.(string)
		if !ok {
			return nil, v.syntax()
		}
		s.effect = str
	}
	var err error
	for _, name := range []string{"Action", "NotAction"} {
		if val, ok := m[name]; ok {
			if s.actions, err = stringList(val); err != nil {
				return nil, v.syntax()
			}
		}
	}
	for _, name := range []string{"Resource", "NotResource"} {
		if val, ok := m[name]; ok {
			if s.resources, err = stringList(val); err != nil {
				return nil, v.syntax()
			}
		}
	}
	for _, name := range []string{"Principal", "NotPrincipal"} {
		if val, ok := m[name]; ok {
			if err := v.decodePrincipal(s, val); err != nil {
				return nil, err
			}
		}
	}
	if val, ok := m["Condition"]; ok {
		if err := v.decodeCondition(s, val); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// stringList accepts a string or an array of strings.
func stringList(val any) ([]string, error) {
	switch val := val.(type) {
	case string:
		return []string{val}, nil
	case []any:
		out := make([]string, 0, len(val))
		for _, e := range val {
			s, ok := e.(string)
			if !ok {
				return nil, errShape
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, errShape
}

func (v *validator) decodePrincipal(s *rawStatement, val any) error {
	switch val := val.(type) {
	case string:
		if val != "*" {
			// Only the wildcard may stand alone; everything else
			// needs a principal type such as "AWS".
			return v.syntax()
		}
		s.principalStar = true
		return nil
	case map[string]any:
		keys := sortedKeys(val)
		if len(keys) == 0 {
			return v.fail(msgIAMSyntax, msgS3InvalidPrincipal)
		}
		for _, k := range keys {
			list, err := stringList(val[k])
			if err != nil {
				return v.syntax()
			}
			for _, e := range list {
				s.principals = append(s.principals, rawPrincipal{key: k, value: e})
			}
		}
		return nil
	}
	return v.syntax()
}

func (v *validator) decodeCondition(s *rawStatement, val any) error {
	block, ok := val.(map[string]any)
	if !ok {
		return v.syntax()
	}
	for _, op := range sortedKeys(block) {
		keys, ok := block[op].(map[string]any)
		if !ok {
			return v.syntax()
		}
		if _, ok := parseOperator(op); !ok {
			if len(keys) == 0 {
				continue // an unknown operator with no keys is ignored
			}
			return v.syntax()
		}
		for _, key := range sortedKeys(keys) {
			values, err := conditionValues(keys[key])
			if err != nil {
				return v.syntax()
			}
			s.conditions = append(s.conditions, rawCondition{op: op, key: key, values: values})
		}
	}
	return nil
}

// conditionValues accepts a string, a number, a boolean or an array of
// those, and returns their text.
func conditionValues(val any) ([]string, error) {
	one := func(e any) (string, bool) {
		switch e := e.(type) {
		case string:
			return e, true
		case json.Number:
			return e.String(), true
		case bool:
			if e {
				return "true", true
			}
			return "false", true
		}
		return "", false
	}
	if list, ok := val.([]any); ok {
		out := make([]string, 0, len(list))
		for _, e := range list {
			s, ok := one(e)
			if !ok {
				return nil, errShape
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(val)
	if !ok {
		return nil, errShape
	}
	return []string{s}, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
