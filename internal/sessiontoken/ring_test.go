package sessiontoken

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestRotateKeepsOldTokensUntilRetention(t *testing.T) {
	c := newClock()
	r, err := NewMemory(Options{Now: c.Now, MaxSessionLifetime: 36 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleClaims(c.Now())
	in.Expires = c.Now().Add(36 * time.Hour)
	old, _ := r.Seal(in)
	first := r.CurrentKeyID()

	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	if r.CurrentKeyID() == first {
		t.Fatal("Rotate did not change the current key")
	}
	fresh, _ := r.Seal(in)
	for name, tok := range map[string]string{"old": old, "new": fresh} {
		if _, err := r.Open(tok, in.AccessKeyID, c.Now()); err != nil {
			t.Fatalf("%s token after rotation: %v", name, err)
		}
	}

	// Just inside the retention, another rotation must keep the first key.
	c.Add(36*time.Hour + 30*time.Minute)
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	if ids := r.KeyIDs(); len(ids) != 3 || ids[0] != first {
		t.Fatalf("keys %v, want first key %d still held", ids, first)
	}
	// Past retention (36h + 1h grace) the first key goes.
	c.Add(time.Hour)
	if err := r.Rotate(); err != nil {
		t.Fatal(err)
	}
	for _, id := range r.KeyIDs() {
		if id == first {
			t.Fatal("retired key kept past its retention")
		}
	}
	if _, err := r.Open(old, in.AccessKeyID, c.Now()); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("token of a pruned key: %v, want ErrUnknownKey", err)
	}
}

func TestAutomaticRotation(t *testing.T) {
	c := newClock()
	r, _ := NewMemory(Options{Now: c.Now, RotateEvery: 24 * time.Hour})
	in := sampleClaims(c.Now())
	in.Expires = c.Now().Add(48 * time.Hour)
	tok1, _ := r.Seal(in)
	k1 := r.CurrentKeyID()
	c.Add(23 * time.Hour)
	_, _ = r.Seal(in)
	if r.CurrentKeyID() != k1 {
		t.Fatal("rotated before RotateEvery")
	}
	c.Add(time.Hour)
	tok2, _ := r.Seal(in)
	if r.CurrentKeyID() == k1 {
		t.Fatal("did not rotate after RotateEvery")
	}
	for _, tok := range []string{tok1, tok2} {
		if _, err := r.Open(tok, in.AccessKeyID, c.Now()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPersistedRingReload(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	r1, err := Load(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys", "sts.json")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	in := sampleClaims(c.Now())
	tok, _ := r1.Seal(in)

	// A restart (a second Load of the same directory) verifies old tokens.
	r2, err := Load(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if r2.CurrentKeyID() != r1.CurrentKeyID() {
		t.Fatalf("reloaded current key %d, want %d", r2.CurrentKeyID(), r1.CurrentKeyID())
	}
	if _, err := r2.Open(tok, in.AccessKeyID, c.Now()); err != nil {
		t.Fatalf("token after reload: %v", err)
	}

	// Another process rotates: r1 learns of the new key at its first unknown id.
	if err := r2.Rotate(); err != nil {
		t.Fatal(err)
	}
	tok2, _ := r2.Seal(in)
	c.Add(2 * time.Second) // past the unknown-key reload rate limit
	if _, err := r1.Open(tok2, in.AccessKeyID, c.Now()); err != nil {
		t.Fatalf("token of a key rotated by another ring: %v", err)
	}
	if _, err := r1.Open(tok, in.AccessKeyID, c.Now()); err != nil {
		t.Fatalf("old token after the other ring rotated: %v", err)
	}

	// No temp files are left behind.
	ents, _ := os.ReadDir(filepath.Join(dir, "keys"))
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Fatalf("temp file %s left behind", e.Name())
		}
	}
}

func TestPersistedRingPicksUpRotationWithinAMinute(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	r1, _ := Load(dir, Options{Now: c.Now})
	r2, _ := Load(dir, Options{Now: c.Now})
	if err := r2.Rotate(); err != nil {
		t.Fatal(err)
	}
	c.Add(time.Minute)
	if _, err := r1.Seal(sampleClaims(c.Now())); err != nil {
		t.Fatal(err)
	}
	if r1.CurrentKeyID() != r2.CurrentKeyID() {
		t.Fatalf("r1 seals with key %d, r2's current is %d", r1.CurrentKeyID(), r2.CurrentKeyID())
	}
}

func TestConcurrentRotationsLoseNoKey(t *testing.T) {
	dir := t.TempDir()
	c := newClock()
	rings := make([]*Ring, 4)
	for i := range rings {
		r, err := Load(dir, Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		rings[i] = r
	}
	var wg sync.WaitGroup
	for _, r := range rings {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if err := r.Rotate(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	final, err := Load(dir, Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(final.KeyIDs()); n != 1+len(rings)*5 {
		t.Fatalf("%d keys on disk, want %d (a rotation was lost)", n, 1+len(rings)*5)
	}
}

func TestLoadRejectsCorruptFile(t *testing.T) {
	cases := map[string]string{
		"not json":        "{",
		"bad version":     `{"version":9,"current":1,"keys":[]}`,
		"no current":      `{"version":1,"current":2,"keys":[{"id":1,"secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","created":"2026-01-01T00:00:00Z"}]}`,
		"short secret":    `{"version":1,"current":1,"keys":[{"id":1,"secret":"AAAA","created":"2026-01-01T00:00:00Z"}]}`,
		"retired current": `{"version":1,"current":1,"keys":[{"id":1,"secret":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","created":"2026-01-01T00:00:00Z","retired":"2026-01-02T00:00:00Z"}]}`,
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "keys"), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "keys", "sts.json"), []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := Load(dir, Options{}); err == nil {
				t.Fatal("Load accepted a corrupt key file")
			}
		})
	}
}

func TestKeyStringHidesSecret(t *testing.T) {
	c := newClock()
	r := mustRing(t, c)
	k := r.st.Load().current
	if s := k.String(); strings.Contains(s, string(k.secret)) || !strings.Contains(s, "1") {
		t.Fatalf("key String() = %q", s)
	}
}

func TestLoadTightensFileMode(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "keys", "sts.json")
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v after Load, want 0600", fi.Mode().Perm())
	}
}
