package policy

import (
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	c := NewCache(2)
	doc := func(n string) string {
		return `{"Version":"2012-10-17","Statement":{"Sid":"` + n + `","Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	}
	p1, err := c.Parse(doc("A"), KindIdentity, nil)
	if err != nil {
		t.Fatal(err)
	}
	p1b, _ := c.Parse(doc("A"), KindIdentity, nil)
	if p1 != p1b {
		t.Error("same document compiled twice")
	}
	if p, _ := c.Parse(doc("A"), KindRCP, nil); p == p1 {
		t.Error("kinds share a cache entry")
	}
	c.Parse(doc("B"), KindIdentity, nil)
	c.Parse(doc("C"), KindIdentity, nil)
	if c.Len() != 2 {
		t.Errorf("Len = %d, want 2", c.Len())
	}
	if _, err := c.Parse(`{`, KindIdentity, nil); err == nil {
		t.Error("invalid document accepted")
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if _, err := c.Parse(doc(string(rune('A'+(i+j)%5))), KindIdentity, nil); err != nil {
					t.Error(err)
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestValidationErrorCode(t *testing.T) {
	_, err := Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`, KindResource, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Code() != "MalformedPolicy" || ve.Flavor != FlavorS3 {
		t.Fatalf("got %#v", err)
	}
	_, err = Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`, KindIdentity, nil)
	if !errors.As(err, &ve) || ve.Code() != "MalformedPolicyDocument" || ve.Error() != msgIAMNeedResources {
		t.Fatalf("got %#v", err)
	}
}

func TestSize(t *testing.T) {
	if n := Size("{ \"a\" :\n\t\"b c\" }"); n != 10 {
		t.Errorf("Size = %d, want 10", n)
	}
}

func TestParseDate(t *testing.T) {
	ok := []string{"2020", "2020-02", "2020-02-29", "2020-02-29T10:00Z", "2020-02-29T10:00:01Z",
		"2020-02-29T10:00:01.123456789Z", "2020-02-29T10:00:01+05:30", "2020-02-29T10:00:01-0700", "0", "1700000000"}
	for _, s := range ok {
		if _, good := parseDate(s); !good {
			t.Errorf("parseDate(%q) failed", s)
		}
	}
	bad := []string{"", "2021-02-29", "2020-13-01", "2020-01-01T25:00Z", "2020-01-01T10", "yesterday", "2020-01-01T10:00:00Zjunk", "-1"}
	for _, s := range bad {
		if _, good := parseDate(s); good {
			t.Errorf("parseDate(%q) succeeded", s)
		}
	}
	a, _ := parseDate("1970-01-02T00:00:00Z")
	if a.sec != 86400 {
		t.Errorf("epoch day 1 = %d", a.sec)
	}
	b, _ := parseDate("2023-11-14T22:13:20Z")
	if b.sec != 1700000000 {
		t.Errorf("2023-11-14T22:13:20Z = %d", b.sec)
	}
}

func TestPatternVariables(t *testing.T) {
	ctx := NewContext().Set("aws:username", "alice").Set("multi", "a", "b")
	cases := []struct {
		pat, s     string
		vars, wild bool
		want       bool
	}{
		{"home/${aws:username}/*", "home/alice/x", true, true, true},
		{"home/${aws:username}/*", "home/bob/x", true, true, false},
		{"home/${aws:username}/*", "home/${aws:username}/x", false, true, true},
		{"${aws:missing}", "", true, false, false},
		{"${aws:missing, 'd'}", "d", true, false, true},
		{"${multi}", "a", true, false, false},
		{"a${*}b${?}c${$}", "a*b?c$", true, true, true},
		{"${unterminated", "${unterminated", true, false, true},
		{"${bad default, x}", "${bad default, x}", true, false, true},
		{"*${aws:username}", "xxalice", true, true, true},
		{"?${aws:username}", "xalice", true, true, true},
	}
	for _, c := range cases {
		p := compilePattern(c.pat, c.vars, c.wild)
		if got := p.match(c.s, ctx, false); got != c.want {
			t.Errorf("pattern %q vs %q = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
	p := compilePattern("home/${aws:username}/${*}", true, true)
	if s, ok := p.resolved(ctx); !ok || s != "home/alice/*" {
		t.Errorf("resolved = %q %v", s, ok)
	}
}

func TestContext(t *testing.T) {
	c := NewContext().Set("AWS:UserName", "a")
	if v, ok := c.Get("aws:username"); !ok || v[0] != "a" {
		t.Error("lookup of lower-case key failed")
	}
	if _, ok := c.Get("Aws:Username"); !ok {
		t.Error("lookup of mixed-case key failed")
	}
	c.Set("aws:username", "b")
	if v, _ := c.Get("aws:username"); v[0] != "b" || len(c.Keys()) != 1 {
		t.Error("Set did not replace")
	}
	c.Delete("AWS:USERNAME")
	if _, ok := c.Get("aws:username"); ok {
		t.Error("Delete failed")
	}
	var nilCtx *Context
	if _, ok := nilCtx.Get("x"); ok {
		t.Error("nil context has keys")
	}
	c.SetPrincipal(Principal{Kind: PrincipalAssumedRole, ARN: "arn:aws:sts::1:assumed-role/r/s", Account: "1", IssuerARN: "arn:aws:iam::1:role/r"})
	if v, _ := c.Get("aws:PrincipalArn"); v[0] != "arn:aws:iam::1:role/r" {
		t.Errorf("aws:PrincipalArn = %v", v)
	}
}

func TestExplainAndResults(t *testing.T) {
	id, _ := Parse(`{"Version":"2012-10-17","Statement":{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`, KindIdentity, nil)
	bp, _ := Parse(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, KindResource, nil)
	in := &Input{Identity: []NamedPolicy{{Name: "arn:aws:iam::444455556666:policy/read", Policy: id}}, Resource: &NamedPolicy{Policy: bp}}
	req := &Request{
		Principal:       Principal{Kind: PrincipalAssumedRole, ARN: "arn:aws:sts::444455556666:assumed-role/x/s", Account: "444455556666", IssuerARN: "arn:aws:iam::444455556666:role/x"},
		Action:          "s3:GetObject",
		Resource:        "arn:aws:s3:::b/k",
		ResourceAccount: "111122223333",
	}
	d := Evaluate(in, req)
	want := "denied: no statement in the bucket policy of 111122223333 allows s3:GetObject on arn:aws:s3:::b/k for arn:aws:sts::444455556666:assumed-role/x/s, and the request crosses accounts"
	if d.Explain() != want || d.String() != want {
		t.Errorf("Explain =\n%s\nwant\n%s", d.Explain(), want)
	}
	if !d.IdentityAllowed() || d.ResourceAllowed() || d.ResourceDenied() || !d.CrossAccount {
		t.Errorf("per-type results wrong: %+v", d)
	}
	if r := bp.Evaluate(req); r.Effect != NoMatch {
		t.Errorf("bucket policy alone = %v", r.Effect)
	}
	if r := EvaluatePolicies(in.Identity, req); !r.Allowed() || r.Statement.Sid != "Read" {
		t.Errorf("identity result = %+v", r)
	}
	req.ResourceAccount = ""
	d = Evaluate(in, req)
	if !d.Allowed || !strings.Contains(d.Explain(), `statement "Read" of identity-based policy arn:aws:iam::444455556666:policy/read allows`) {
		t.Errorf("Explain = %s", d.Explain())
	}
}

func TestIsPublic(t *testing.T) {
	cases := []struct {
		doc  string
		want bool
	}{
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, true},
		{`{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}}`, false},
		{`{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, false},
		{`{"Statement":{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}}`, false},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}}`, false},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1"}}}}`, false},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:SourceVpce":"vpce-*"}}}}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1"}}}}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLE:*"}}}}`, true},
		{`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:userid":"AIDAEXAMPLE"}}}}`, false},
		{`{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`, true},
	}
	for _, c := range cases {
		p, err := Parse(c.doc, KindResource, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.doc, err)
		}
		if got := IsPublic(p); got != c.want {
			t.Errorf("IsPublic(%s) = %v, want %v", c.doc, got, c.want)
		}
	}
}
