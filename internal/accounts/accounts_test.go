package accounts

import (
	"regexp"
	"testing"
)

func TestGenerators(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		id := NewAccountID()
		if !regexp.MustCompile(`^[1-9][0-9]{11}$`).MatchString(id) {
			t.Fatalf("account id %q", id)
		}
		seen[id] = true
		if k := NewAccessKeyID("AKIA"); !regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`).MatchString(k) {
			t.Fatalf("access key id %q", k)
		}
		if s := NewSecret(); len(s) != 40 {
			t.Fatalf("secret length %d", len(s))
		}
		if c := NewCanonicalID(); !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(c) {
			t.Fatalf("canonical id %q", c)
		}
	}
	if len(seen) < 190 {
		t.Fatalf("account ids repeat: %d distinct of 200", len(seen))
	}
}
