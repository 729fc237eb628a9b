package sessiontoken

import (
	"encoding/base64"
	"reflect"
	"testing"
)

// FuzzOpen feeds arbitrary tokens to Open, including tokens that decode to
// authentic ciphertext headers: it must never panic and never accept a
// token it did not seal unchanged.
func FuzzOpen(f *testing.F) {
	c := newClock()
	r, err := NewMemory(Options{Now: c.Now})
	if err != nil {
		f.Fatal(err)
	}
	in := sampleClaims(c.Now())
	tok, _ := r.Seal(in)
	raw, _ := base64.StdEncoding.DecodeString(tok)
	f.Add(tok)
	f.Add("")
	f.Add("AQAAAAE=")
	f.Add(base64.StdEncoding.EncodeToString(raw[:len(raw)/2]))
	f.Fuzz(func(t *testing.T, s string) {
		got, err := r.Open(s, in.AccessKeyID, c.Now())
		if err == nil && s != tok {
			t.Fatalf("Open accepted a token it did not issue: %q", s)
		}
		if err == nil && got == nil {
			t.Fatal("nil claims without error")
		}
	})
}

// FuzzUnmarshalClaims checks the plaintext decoder on its own, since the
// AEAD keeps fuzzed inputs from ever reaching it through Open.
func FuzzUnmarshalClaims(f *testing.F) {
	c := newClock()
	f.Add(sampleClaims(c.Now()).marshal(nil))
	f.Add([]byte{1, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		cl, err := unmarshalClaims(b)
		if err == nil {
			// What decodes must survive a re-encoding unchanged.
			again, err := unmarshalClaims(cl.marshal(nil))
			if err != nil {
				t.Fatalf("re-encoded claims do not decode: %v", err)
			}
			if !reflect.DeepEqual(again, cl) {
				t.Fatalf("round trip changed claims: %+v vs %+v", again, cl)
			}
		}
	})
}
