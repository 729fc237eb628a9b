package policy

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The testdata/*.txt files hold evaluation and validation cases in a small
// line format; see testdata/README.md.

type tcase struct {
	file, name string
	line       int
	lines      []string // directive lines with their JSON blocks joined
}

var directives = map[string]bool{
	"policy": true, "cond": true, "principal": true, "action": true, "resource": true,
	"owner": true, "ctx": true, "ctxempty": true, "setprincipal": true, "expect": true,
	"explain": true, "validate": true, "error": true, "valid": true, "stmt": true,
}

func loadCases(t *testing.T, pattern string) []tcase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files %s: %v", pattern, err)
	}
	var out []tcase
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var cur *tcase
		n := 0
		for sc.Scan() {
			n++
			line := sc.Text()
			trimmed := strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "==="):
				out = append(out, tcase{file: filepath.Base(f), name: strings.TrimSpace(line[3:]), line: n})
				cur = &out[len(out)-1]
			case cur == nil || trimmed == "" || strings.HasPrefix(line, "#"):
			case directives[firstWord(line)]:
				cur.lines = append(cur.lines, line)
			default:
				if len(cur.lines) == 0 {
					t.Fatalf("%s:%d: JSON outside a directive", f, n)
				}
				cur.lines[len(cur.lines)-1] += "\n" + line
			}
		}
		fh.Close()
	}
	return out
}

func firstWord(line string) string {
	if line == "" || line[0] == ' ' || line[0] == '\t' {
		return ""
	}
	w, _, _ := strings.Cut(line, " ")
	w, _, _ = strings.Cut(w, "\n")
	return w
}

// splitDirective returns the first line's words and the JSON that follows.
func splitDirective(s string) ([]string, string) {
	head, body, _ := strings.Cut(s, "\n")
	return fields(head), body
}

// fields splits on spaces, honouring double-quoted Go strings.
func fields(s string) []string {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out
		}
		if s[0] == '"' {
			if q, err := strconv.QuotedPrefix(s); err == nil {
				u, _ := strconv.Unquote(q)
				out = append(out, u)
				s = s[len(q):]
				continue
			}
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i:]
	}
}

func TestCases(t *testing.T) {
	cases := loadCases(t, "eval_*.txt")
	for _, c := range cases {
		t.Run(c.file+"/"+c.name, func(t *testing.T) { runEvalCase(t, c) })
	}
	t.Logf("%d evaluation cases", len(cases))
}

func runEvalCase(t *testing.T, c tcase) {
	where := fmt.Sprintf("%s:%d", c.file, c.line)
	in := &Input{}
	req := &Request{
		Principal: Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::bucket/key",
		Context:   NewContext(),
	}
	var expect []string
	var explains []string
	setPrincipal := false
	for _, l := range c.lines {
		w, body := splitDirective(l)
		switch w[0] {
		case "policy":
			addPolicy(t, where, in, w[1:], body)
		case "cond":
			doc := `{"Version":"2012-10-17","Statement":{"Sid":"C","Effect":"Allow","Action":"*","Resource":"*","Condition":` +
				strings.TrimSpace(strings.TrimPrefix(l, "cond")) + `}}`
			p, err := Parse(doc, KindIdentity, nil)
			if err != nil {
				t.Fatalf("%s: cond policy: %v", where, err)
			}
			in.Identity = append(in.Identity, NamedPolicy{Name: "cond", Policy: p})
		case "stmt":
			doc := `{"Version":"2012-10-17","Statement":` + strings.TrimSpace(strings.TrimPrefix(l, "stmt")) + `}`
			p, err := Parse(doc, KindIdentity, nil)
			if err != nil {
				t.Fatalf("%s: stmt policy: %v", where, err)
			}
			in.Identity = append(in.Identity, NamedPolicy{Name: "stmt", Policy: p})
		case "principal":
			req.Principal = parsePrincipal(t, where, w[1:])
		case "action":
			req.Action = w[1]
		case "resource":
			req.Resource = w[1]
		case "owner":
			req.ResourceAccount = w[1]
		case "ctx":
			req.Context.Set(w[1], w[2:]...)
		case "ctxempty":
			req.Context.Set(w[1])
		case "setprincipal":
			setPrincipal = true
		case "expect":
			expect = w[1:]
		case "explain":
			explains = append(explains, w[1])
		default:
			t.Fatalf("%s: unknown directive %q", where, w[0])
		}
	}
	if setPrincipal {
		req.Context.SetPrincipal(req.Principal)
	}
	if len(expect) == 0 {
		t.Fatalf("%s: no expect", where)
	}
	d := Evaluate(in, req)
	got := "implicit"
	switch {
	case d.Allowed:
		got = "allow"
	case d.Reason == ReasonExplicitDeny:
		got = "deny"
	}
	if got != expect[0] {
		t.Fatalf("%s: got %s, want %s\n%s", where, got, expect[0], d.Explain())
	}
	if len(expect) > 1 && expect[1] != "-" {
		if ty := typeWord(d.By.Type); ty != expect[1] {
			t.Errorf("%s: decided by %s, want %s\n%s", where, ty, expect[1], d.Explain())
		}
	}
	if len(expect) > 2 && expect[2] != "-" && d.By.Policy != expect[2] {
		t.Errorf("%s: decided by policy %q, want %q\n%s", where, d.By.Policy, expect[2], d.Explain())
	}
	if len(expect) > 3 && expect[3] != "-" {
		want := expect[3]
		st := d.By.Statement
		switch {
		case st == nil:
			t.Errorf("%s: no deciding statement, want %s", where, want)
		case strings.HasPrefix(want, "#"):
			if n, _ := strconv.Atoi(want[1:]); st.Index+1 != n {
				t.Errorf("%s: deciding statement #%d, want %s", where, st.Index+1, want)
			}
		case st.Sid != want:
			t.Errorf("%s: deciding statement %q, want %q", where, st.Sid, want)
		}
	}
	for _, e := range explains {
		if !strings.Contains(d.Explain(), e) {
			t.Errorf("%s: explanation %q lacks %q", where, d.Explain(), e)
		}
	}
}

func typeWord(t PolicyType) string {
	return [...]string{"none", "identity", "boundary", "session", "resource", "scp", "rcp"}[t]
}

func addPolicy(t *testing.T, where string, in *Input, w []string, body string) {
	t.Helper()
	if len(w) == 0 {
		t.Fatalf("%s: policy needs a type", where)
	}
	kind := KindIdentity
	switch w[0] {
	case "resource":
		kind = KindResource
	case "trust":
		kind = KindTrust
	case "rcp":
		kind = KindRCP
	}
	level := ""
	rest := w[1:]
	if w[0] == "scp" || w[0] == "rcp" {
		if len(rest) == 0 {
			t.Fatalf("%s: %s needs a level", where, w[0])
		}
		level, rest = rest[0], rest[1:]
	}
	name := w[0]
	if len(rest) > 0 {
		name = rest[0]
	}
	p, err := Parse(body, kind, nil)
	if err != nil {
		t.Fatalf("%s: policy %s: %v\n%s", where, name, err, body)
	}
	np := NamedPolicy{Name: name, Policy: p}
	switch w[0] {
	case "identity":
		in.Identity = append(in.Identity, np)
	case "boundary":
		in.Boundary = &np
	case "session":
		in.Session = append(in.Session, np)
	case "resource", "trust":
		in.Resource = &np
	case "scp":
		in.SCPs = addLevel(in.SCPs, level, np)
	case "rcp":
		in.RCPs = addLevel(in.RCPs, level, np)
	default:
		t.Fatalf("%s: unknown policy type %q", where, w[0])
	}
}

func addLevel(levels []OrgLevel, name string, np NamedPolicy) []OrgLevel {
	for i := range levels {
		if levels[i].Name == name {
			levels[i].Policies = append(levels[i].Policies, np)
			return levels
		}
	}
	return append(levels, OrgLevel{Name: name, Policies: []NamedPolicy{np}})
}

// parsePrincipal reads "principal KIND [ARN-or-name] [key=value...]".
func parsePrincipal(t *testing.T, where string, w []string) Principal {
	t.Helper()
	var p Principal
	kinds := map[string]PrincipalKind{"anonymous": PrincipalAnonymous, "root": PrincipalRoot, "user": PrincipalUser,
		"role": PrincipalAssumedRole, "federated": PrincipalFederatedUser, "service": PrincipalService, "webid": PrincipalWebIdentity}
	k, ok := kinds[w[0]]
	if !ok {
		t.Fatalf("%s: unknown principal kind %q", where, w[0])
	}
	p.Kind = k
	for _, a := range w[1:] {
		key, val, isKV := strings.Cut(a, "=")
		if !isKV {
			switch k {
			case PrincipalService:
				p.Service = a
			case PrincipalWebIdentity:
				p.Provider = a
			default:
				p.ARN = a
			}
			continue
		}
		switch key {
		case "issuer":
			p.IssuerARN = val
		case "account":
			p.Account = val
		case "canonical":
			p.CanonicalID = val
		default:
			t.Fatalf("%s: unknown principal attribute %q", where, key)
		}
	}
	if p.Account == "" && p.ARN != "" {
		var parts [6]string
		if splitARN(p.ARN, &parts) {
			p.Account = parts[4]
		}
	}
	if k == PrincipalAssumedRole && p.IssuerARN == "" {
		// arn:aws:sts::A:assumed-role/R/S -> arn:aws:iam::A:role/R
		var parts [6]string
		if splitARN(p.ARN, &parts) {
			seg := strings.Split(parts[5], "/")
			if len(seg) == 3 {
				p.IssuerARN = "arn:aws:iam::" + parts[4] + ":role/" + seg[1]
			}
		}
	}
	return p
}

func TestValidationCases(t *testing.T) {
	cases := loadCases(t, "validate_*.txt")
	for _, c := range cases {
		t.Run(c.file+"/"+c.name, func(t *testing.T) { runValidateCase(t, c) })
	}
	t.Logf("%d validation cases", len(cases))
}

func runValidateCase(t *testing.T, c tcase) {
	where := fmt.Sprintf("%s:%d", c.file, c.line)
	var doc string
	kind := KindIdentity
	opts := &Options{}
	var want *string
	for _, l := range c.lines {
		w, body := splitDirective(l)
		switch w[0] {
		case "validate":
			switch w[1] {
			case "identity":
				kind = KindIdentity
			case "resource":
				kind = KindResource
			case "trust":
				kind = KindTrust
			case "rcp":
				kind = KindRCP
			default:
				t.Fatalf("%s: unknown kind %q", where, w[1])
			}
			for _, a := range w[2:] {
				key, val, _ := strings.Cut(a, "=")
				switch key {
				case "managed":
					opts.Managed = true
				case "bucket":
					opts.Bucket = val
				case "exists":
					known := map[string]bool{}
					for _, s := range strings.Split(val, ",") {
						known[s] = true
					}
					opts.PrincipalExists = func(a string) bool { return known[a] }
				default:
					t.Fatalf("%s: unknown option %q", where, a)
				}
			}
			doc = body
		case "error":
			msg := strings.TrimSpace(strings.TrimPrefix(l, "error"))
			want = &msg
		case "valid":
			empty := ""
			want = &empty
		default:
			t.Fatalf("%s: unknown directive %q", where, w[0])
		}
	}
	if want == nil {
		t.Fatalf("%s: no expectation", where)
	}
	p, err := Parse(doc, kind, opts)
	switch {
	case *want == "" && err != nil:
		t.Fatalf("%s: unexpected error %v", where, err)
	case *want != "" && err == nil:
		t.Fatalf("%s: valid, want error %q", where, *want)
	case *want != "":
		ve, ok := err.(*ValidationError)
		if !ok {
			t.Fatalf("%s: error %T %v is not a *ValidationError", where, err, err)
		}
		if ve.Message != *want {
			t.Fatalf("%s: error %q, want %q", where, ve.Message, *want)
		}
		if ve.Flavor != kind.flavor() {
			t.Errorf("%s: flavor %v, want %v", where, ve.Flavor, kind.flavor())
		}
	default:
		// A valid policy always evaluates.
		_ = p.Evaluate(&Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	}
}
