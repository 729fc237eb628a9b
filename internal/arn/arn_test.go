package arn

import "testing"

func TestParseAndString(t *testing.T) {
	cases := []struct {
		in   string
		want ARN
		ok   bool
	}{
		{"arn:aws:s3:::bucket", ARN{"aws", "s3", "", "", "bucket"}, true},
		{"arn:aws:s3:::bucket/a:b/c", ARN{"aws", "s3", "", "", "bucket/a:b/c"}, true},
		{"arn:aws:iam::111122223333:user/alice", ARN{"aws", "iam", "", "111122223333", "user/alice"}, true},
		{"arn:aws:sts::111122223333:assumed-role/r/s", ARN{"aws", "sts", "", "111122223333", "assumed-role/r/s"}, true},
		{"arn:aws:logs:us-east-1:111122223333:log-group:g:*", ARN{"aws", "logs", "us-east-1", "111122223333", "log-group:g:*"}, true},
		{"arn:aws:s3::bucket", ARN{}, false},
		{"nope:aws:s3:::bucket", ARN{}, false},
		{"arn::s3:::bucket", ARN{}, false},
		{"arn:aws::::x", ARN{}, false},
		{"", ARN{}, false},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if (err == nil) != c.ok {
			t.Errorf("Parse(%q) err = %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if !c.ok {
			continue
		}
		if got != c.want {
			t.Errorf("Parse(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if got.String() != c.in {
			t.Errorf("String() = %q, want %q", got.String(), c.in)
		}
	}
}

func TestMatch(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket2", false},
		{"arn:aws:s3:::bucket", "arn:aws:s3:::bucket/obj", false},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/obj", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::bucket*", "arn:aws:s3:::bucket/x", true},
		{"arn:aws:s3:::*", "arn:aws:s3:::any/thing", true},
		{"arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar-logs", true},
		{"arn:aws:s3:::*log*", "arn:aws:s3:::carlossalazar", false},
		{"arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::bcket", false},
		{"arn:aws:s3:::b?cket", "arn:aws:s3:::büket", false},
		{"arn:aws:s3:::b?ket", "arn:aws:s3:::büket", true},
		{"*", "anything at all", true},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:user/alice", true},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::111122223333:role/alice", false},
		{"arn:*:iam::111122223333:root", "arn:aws:iam::111122223333:root", true},
		// The ARN doc example: component-wise matching keeps * inside one component.
		{"arn:aws:someservice:*:111122223333:finance/*", "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt", false},
		{"arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:g:log-stream:s", true},
		{"arn:aws:s3:::bucket", "not-an-arn", false},
		{"not-an-arn", "not-an-arn", false},
	}
	for _, c := range cases {
		if got := Match(c.pattern, c.value); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}

func TestWildcard(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"", "", false, true},
		{"", "a", false, false},
		{"*", "", false, true},
		{"**", "abc", false, true},
		{"a*c", "abbbc", false, true},
		{"a*c", "abbbd", false, false},
		{"s3:Get*", "s3:GetObject", false, true},
		{"S3:get*", "s3:GetObject", true, true},
		{"S3:get*", "s3:GetObject", false, false},
		{"iam:*Report", "iam:GetOrganizationsAccessReport", true, true},
		{"iam:*Report", "iam:GetReports", true, false},
		{"?", "", false, false},
		{"*a*b*c*", "xxaxxbxxcxx", false, true},
		{"*a*b*c*", "xxaxxcxxbxx", false, false},
	}
	for _, c := range cases {
		if got := Wildcard(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("Wildcard(%q, %q, %v) = %v, want %v", c.pattern, c.s, c.fold, got, c.want)
		}
	}
}

func TestMatchAllocs(t *testing.T) {
	n := testing.AllocsPerRun(100, func() {
		Match("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/obj")
	})
	if n != 0 {
		t.Errorf("Match allocates %v times", n)
	}
}

func FuzzWildcard(f *testing.F) {
	f.Add("a*b?c", "axxbyc")
	f.Fuzz(func(t *testing.T, p, s string) {
		if !Wildcard("*", s, false) {
			t.Fatal("* must match everything")
		}
		if !Wildcard(s, s, false) && !containsWild(s) {
			t.Fatalf("literal %q must match itself", s)
		}
		Wildcard(p, s, true)
	})
}

func containsWild(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '*' || s[i] == '?' {
			return true
		}
	}
	return false
}
