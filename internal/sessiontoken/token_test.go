package sessiontoken

import (
	"encoding/base64"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func sampleClaims(now time.Time) *Claims {
	return &Claims{
		Kind:              AssumedRole,
		AccountID:         "111122223333",
		CanonicalID:       "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
		AccessKeyID:       "ASIAQWERTYUIOPASDFGH",
		SecretAccessKey:   "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		IssuedAt:          now,
		Expires:           now.Add(time.Hour),
		RoleARN:           "arn:aws:iam::111122223333:role/team/deploy",
		RoleID:            "AROAEXAMPLEID1234567",
		SessionName:       "alice@example.com",
		IdentityTags:      []Tag{{"team", "blue"}},
		Policy:            `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`,
		PolicyARNs:        []string{"arn:aws:iam::111122223333:policy/p1"},
		Tags:              []Tag{{"Project", "x"}, {"CostCenter", ""}},
		TransitiveTagKeys: []string{"Project"},
		SourceIdentity:    "alice",
		MFA:               true,
		Chained:           true,
		UserARN:           "",
	}
}

func mustRing(t testing.TB, c *clock) *Ring {
	t.Helper()
	r, err := NewMemory(Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSealOpenRoundTrip(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	cases := map[string]*Claims{
		"assumed role": sampleClaims(c.Now()),
		"user session": {Kind: UserSession, AccountID: "111122223333", AccessKeyID: "ASIAUSER", SecretAccessKey: "s",
			IssuedAt: c.Now(), Expires: c.Now().Add(36 * time.Hour), UserARN: "arn:aws:iam::111122223333:user/bob",
			UserID: "AIDAEXAMPLE", UserName: "bob", IdentityTags: []Tag{{"k", "v"}}},
		"root session": {Kind: RootSession, AccountID: "111122223333", AccessKeyID: "ASIAROOT", SecretAccessKey: "s",
			IssuedAt: c.Now(), Expires: c.Now().Add(time.Hour)},
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			tok, err := r.Seal(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Open(tok, in.AccessKeyID, c.Now())
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !reflect.DeepEqual(got, in) {
				t.Fatalf("claims differ:\n got %+v\nwant %+v", got, in)
			}
		})
	}
}

func TestSealTwiceDiffers(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	in := sampleClaims(c.Now())
	a, _ := r.Seal(in)
	b, _ := r.Seal(in)
	if a == b {
		t.Fatal("two seals of the same claims produced the same token (nonce reuse)")
	}
}

func TestOpenRejectsEveryFlippedByte(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	in := sampleClaims(c.Now())
	tok, err := r.Seal(in)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(tok)
	for i := range raw {
		for _, mask := range []byte{0x01, 0x80} {
			b := append([]byte(nil), raw...)
			b[i] ^= mask
			got, err := r.Open(base64.StdEncoding.EncodeToString(b), in.AccessKeyID, c.Now())
			if err == nil || got != nil {
				t.Fatalf("byte %d ^ %#x: Open accepted a tampered token", i, mask)
			}
			if errors.Is(err, ErrExpired) {
				t.Fatalf("byte %d: tampered token reported as expired", i)
			}
		}
	}
	// Truncation and extension.
	for _, b := range [][]byte{raw[:len(raw)-1], append(append([]byte(nil), raw...), 0)} {
		if _, err := r.Open(base64.StdEncoding.EncodeToString(b), in.AccessKeyID, c.Now()); err == nil {
			t.Fatal("Open accepted a truncated or extended token")
		}
	}
}

func TestOpenErrors(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	other := mustRing(t, c) // a ring with unrelated key 1
	in := sampleClaims(c.Now())
	tok, _ := r.Seal(in)
	otherTok, _ := other.Seal(in)

	// A token naming a key id the ring does not hold.
	raw, _ := base64.StdEncoding.DecodeString(tok)
	raw[4] = 99
	unknown := base64.StdEncoding.EncodeToString(raw)

	tests := []struct {
		name  string
		token string
		akid  string
		at    time.Time
		want  error
	}{
		{"valid", tok, in.AccessKeyID, c.Now(), nil},
		{"last valid second", tok, in.AccessKeyID, in.Expires.Add(-time.Second), nil},
		{"wrong access key", tok, "ASIAOTHERKEY00000000", c.Now(), ErrWrongAccessKey},
		{"empty access key", tok, "", c.Now(), ErrWrongAccessKey},
		{"expired at expiry", tok, in.AccessKeyID, in.Expires, ErrExpired},
		{"expired later", tok, in.AccessKeyID, in.Expires.Add(time.Hour), ErrExpired},
		{"wrong AKID beats expiry", tok, "ASIAOTHER", in.Expires.Add(time.Hour), ErrWrongAccessKey},
		{"unknown key id", unknown, in.AccessKeyID, c.Now(), ErrUnknownKey},
		{"other ring's key", otherTok, in.AccessKeyID, c.Now(), ErrInvalid},
		{"not base64", "%%%", in.AccessKeyID, c.Now(), ErrMalformed},
		{"empty", "", in.AccessKeyID, c.Now(), ErrMalformed},
		{"too short", base64.StdEncoding.EncodeToString([]byte{1, 0, 0, 0, 1}), in.AccessKeyID, c.Now(), ErrMalformed},
		{"bad version", base64.StdEncoding.EncodeToString(append([]byte{2}, raw[1:]...)), in.AccessKeyID, c.Now(), ErrMalformed},
		{"huge", string(make([]byte, MaxTokenLen+1)), in.AccessKeyID, c.Now(), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Open(tt.token, tt.akid, tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open error = %v, want %v", err, tt.want)
			}
			if (err == nil) != (got != nil) {
				t.Fatalf("claims %v with error %v", got, err)
			}
		})
	}
}

func TestSealRequiresKeyAndKind(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	for _, in := range []*Claims{{Kind: AssumedRole}, {AccessKeyID: "ASIA"}} {
		if _, err := r.Seal(in); err == nil {
			t.Fatalf("Seal(%+v) succeeded", in)
		}
	}
}

func TestUnmarshalRejectsTrailingAndShort(t *testing.T) {
	c := newClock()
	b := sampleClaims(c.Now()).marshal(nil)
	if _, err := unmarshalClaims(append(b, 0)); err == nil {
		t.Fatal("trailing byte accepted")
	}
	for i := 0; i < len(b); i++ {
		if _, err := unmarshalClaims(b[:i]); err == nil {
			t.Fatalf("prefix of %d bytes accepted", i)
		}
	}
}

func TestSealMinPads(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	in := sampleClaims(c.Now())
	plain, _ := r.Seal(in)
	for _, minLen := range []int{0, 10, len(plain), len(plain) + 1, len(plain) + 2, len(plain) + 3, 2000, 4096, 5000} {
		tok, err := r.SealMin(in, minLen)
		if err != nil {
			t.Fatal(err)
		}
		want := min(minLen, MaxMinTokenLen)
		if len(tok) < want || (want > len(plain) && len(tok) > want+4) {
			t.Fatalf("minLen %d: token of %d bytes", minLen, len(tok))
		}
		got, err := r.Open(tok, in.AccessKeyID, c.Now())
		if err != nil || !reflect.DeepEqual(got, in) {
			t.Fatalf("minLen %d: Open = %v, %v", minLen, got, err)
		}
	}
}
