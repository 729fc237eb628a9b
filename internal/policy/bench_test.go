package policy

import (
	"fmt"
	"strings"
	"testing"
)

// benchInput builds 10 identity policies of 10 statements each, every
// statement with conditions, plus a bucket policy; the request is allowed
// by the last statement of the last policy so every statement is looked at.
func benchInput(tb testing.TB) (*Input, *Request) {
	tb.Helper()
	in := &Input{}
	for p := 0; p < 10; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			action := fmt.Sprintf(`["s3:Get*","s3:List*","ec2:Describe%d*"]`, s)
			resource := fmt.Sprintf(`"arn:aws:s3:::bucket-%d-%d/*"`, p, s)
			if p == 9 && s == 9 {
				resource = `"arn:aws:s3:::bucket/${aws:username}/*"`
			}
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":%s,"Resource":%s,
				"Condition":{"StringEquals":{"aws:PrincipalTag/team":["red","blue"]},
				"IpAddress":{"aws:SourceIp":["10.0.0.0/8","192.0.2.0/24"]},
				"Bool":{"aws:SecureTransport":"true"}}}`, s, action, resource))
		}
		doc := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		pol, err := Parse(doc, KindIdentity, nil)
		if err != nil {
			tb.Fatal(err)
		}
		in.Identity = append(in.Identity, NamedPolicy{Name: fmt.Sprintf("arn:aws:iam::111122223333:policy/p%d", p), Policy: pol})
	}
	bp, err := Parse(`{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyInsecure","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::bucket/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Sid":"Other","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}]}`, KindResource, nil)
	if err != nil {
		tb.Fatal(err)
	}
	in.Resource = &NamedPolicy{Name: "bucket", Policy: bp}
	ctx := NewContext().
		Set("aws:PrincipalTag/team", "blue").
		Set("aws:SourceIp", "10.1.2.3").
		Set("aws:SecureTransport", "true").
		Set("aws:username", "alice")
	req := &Request{
		Principal:       Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:          "s3:GetObject",
		Resource:        "arn:aws:s3:::bucket/alice/report.csv",
		ResourceAccount: "111122223333",
		Context:         ctx,
	}
	return in, req
}

func BenchmarkEvaluate(b *testing.B) {
	in, req := benchInput(b)
	if d := Evaluate(in, req); !d.Allowed {
		b.Fatalf("benchmark request denied: %s", d.Explain())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Evaluate(in, req)
	}
}

func BenchmarkParse(b *testing.B) {
	in, _ := benchInput(b)
	doc := in.Identity[0].Policy.Document()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(doc, KindIdentity, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	in, _ := benchInput(b)
	doc := in.Identity[0].Policy.Document()
	c := NewCache(16)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.Parse(doc, KindIdentity, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEvaluateAllocs(t *testing.T) {
	in, req := benchInput(t)
	n := testing.AllocsPerRun(200, func() { Evaluate(in, req) })
	if n > 2 {
		t.Errorf("Evaluate allocates %v times per call, want at most 2", n)
	}
}

// BenchmarkEvaluateWorstCase makes every statement reach its conditions:
// all 100 statements match the action and resource, and their first
// condition fails, so each costs a context lookup and a comparison.
func BenchmarkEvaluateWorstCase(b *testing.B) {
	in := &Input{}
	for p := 0; p < 10; p++ {
		var stmts []string
		for s := 0; s < 10; s++ {
			stmts = append(stmts, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*",
				"Condition":{"StringEquals":{"aws:PrincipalTag/team":"team-%d-%d"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`, s, p, s))
		}
		pol, err := Parse(`{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`, KindIdentity, nil)
		if err != nil {
			b.Fatal(err)
		}
		in.Identity = append(in.Identity, NamedPolicy{Name: fmt.Sprint(p), Policy: pol})
	}
	req := &Request{
		Principal: Principal{Kind: PrincipalUser, ARN: "arn:aws:iam::111122223333:user/alice", Account: "111122223333"},
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::bucket/alice/report.csv",
		Context:   NewContext().Set("aws:PrincipalTag/team", "team-9-9").Set("aws:SourceIp", "10.1.2.3"),
	}
	if d := Evaluate(in, req); !d.Allowed {
		b.Fatalf("denied: %s", d.Explain())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Evaluate(in, req)
	}
}
