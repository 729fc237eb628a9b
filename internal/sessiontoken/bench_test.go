package sessiontoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"testing"
)

// BenchmarkOpen verifies a typical assumed-role token (session policy and
// tags included).
func BenchmarkOpen(b *testing.B) {
	c := newClock()
	r, _ := NewMemory(Options{Now: c.Now})
	in := sampleClaims(c.Now())
	tok, _ := r.Seal(in)
	now := c.Now()
	b.SetBytes(int64(len(tok)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Open(tok, in.AccessKeyID, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeal issues the same token.
func BenchmarkSeal(b *testing.B) {
	c := newClock()
	r, _ := NewMemory(Options{Now: c.Now})
	in := sampleClaims(c.Now())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Seal(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineHMAC is one HMAC-SHA256 over a token-sized input: the
// floor any signed-token scheme pays, for comparison with BenchmarkOpen.
func BenchmarkBaselineHMAC(b *testing.B) {
	c := newClock()
	r, _ := NewMemory(Options{Now: c.Now})
	tok, _ := r.Seal(sampleClaims(c.Now()))
	key := make([]byte, 32)
	msg := []byte(tok)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		_ = m.Sum(nil)
	}
}
