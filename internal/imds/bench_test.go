package imds

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkMetadata measures the handler (no network): a token PUT, a
// plain item GET (token check + instance read), and the credentials GET
// served from the cache (profile and role read + trust policy check).
func BenchmarkMetadata(b *testing.B) {
	e := newEnv(b)
	e.iam.addRole("app-role", "/", trustEC2)
	e.iam.addProfile("app", "/", "app-role")
	e.launch("i-0123456789abcdef0", "app", "required")
	h := e.m.Handler("i-0123456789abcdef0")
	tok, err := e.m.key.issue("i-0123456789abcdef0", time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	serve := func(b *testing.B, method, path string, hdr map[string]string) {
		req := httptest.NewRequest(method, path, nil)
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
		}
	}
	b.Run("token", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(b, http.MethodPut, tokenPath, map[string]string{headerTTL: "21600"})
		}
	})
	b.Run("instance-id", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(b, http.MethodGet, "/latest/meta-data/instance-id", map[string]string{headerToken: tok})
		}
	})
	b.Run("credentials-cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve(b, http.MethodGet, "/latest/meta-data/iam/security-credentials/app-role", map[string]string{headerToken: tok})
		}
	})
}
