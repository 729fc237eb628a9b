package policy

import (
	"errors"
	"testing"
)

var fuzzSeeds = []string{
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`,
	`{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["a*","${*}"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`,
	`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:role/r"],"Service":"ec2.amazonaws.com"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},"NumericLessThanEquals":{"s3:max-keys":"10"},"Null":{"aws:TokenIssueTime":"true"}}}}`,
	`{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}}`,
	`{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:*:${aws:username, 'x'}"},"BinaryEquals":{"a:b":"AAAA"},"Bool":{"a:c":true}}}}`,
	`{`, `[]`, `{"Version":"2012-10-17","Statement":[]}`,
}

// FuzzParse checks that parsing never panics, that failures are
// *ValidationError, and that every policy that validates evaluates.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, doc string, k uint8) {
		kind := Kind(k % 4)
		p, err := Parse(doc, kind, &Options{Bucket: "b"})
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Message == "" {
				t.Fatalf("error %v is not a ValidationError", err)
			}
			return
		}
		for _, pk := range []PrincipalKind{PrincipalAnonymous, PrincipalUser, PrincipalAssumedRole, PrincipalService} {
			req := &Request{
				Principal: Principal{Kind: pk, ARN: "arn:aws:sts::111122223333:assumed-role/r/s", Account: "111122223333",
					IssuerARN: "arn:aws:iam::111122223333:role/r", Service: "ec2.amazonaws.com"},
				Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", ResourceAccount: "444455556666",
				Context: NewContext().Set("aws:username", "alice").Set("aws:TagKeys", "a", "b"),
			}
			p.Evaluate(req)
			in := &Input{Identity: []NamedPolicy{{Name: "p", Policy: p}}, Resource: &NamedPolicy{Name: "r", Policy: p}, Boundary: &NamedPolicy{Policy: p}}
			_ = Evaluate(in, req).Explain()
		}
	})
}

// FuzzEvaluate drives evaluation with arbitrary request fields against
// policies that use every element.
func FuzzEvaluate(f *testing.F) {
	f.Add("s3:GetObject", "arn:aws:s3:::b/alice/k", "alice", "10.1.2.3", "2026-01-01T00:00:00Z", uint8(2), "111122223333")
	f.Add("", "", "", "", "", uint8(0), "")
	f.Add("S3:*", "*", "${*}", "::1", "12", uint8(5), "x")
	var pols []*Policy
	for _, s := range fuzzSeeds {
		for k := Kind(0); k < 4; k++ {
			if p, err := Parse(s, k, nil); err == nil {
				pols = append(pols, p)
			}
		}
	}
	if len(pols) == 0 {
		f.Fatal("no seed policy parsed")
	}
	f.Fuzz(func(t *testing.T, action, resource, user, ip, now string, kind uint8, account string) {
		ctx := NewContext().Set("aws:username", user).Set("aws:SourceIp", ip).Set("aws:CurrentTime", now).
			Set("s3:max-keys", now).Set("aws:SourceArn", resource).Set("aws:TagKeys", user, ip)
		req := &Request{
			Principal: Principal{Kind: PrincipalKind(kind % 7), ARN: resource, Account: account, IssuerARN: resource, Service: user, Provider: user},
			Action:    action, Resource: resource, ResourceAccount: "111122223333", Context: ctx,
		}
		for _, p := range pols {
			np := NamedPolicy{Name: "p", Policy: p}
			in := &Input{Identity: []NamedPolicy{np}, Resource: &np, Session: []NamedPolicy{np},
				SCPs: []OrgLevel{{Name: "Root", Policies: []NamedPolicy{np}}}}
			d := Evaluate(in, req)
			if d.Allowed && d.Reason != ReasonAllowed {
				t.Fatalf("allowed with reason %v", d.Reason)
			}
			_ = d.Explain()
		}
	})
}
