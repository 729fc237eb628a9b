package iamapi_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/iamapi"
	"github.com/crossbucket/crossbucket/internal/identity"
	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

// BenchmarkGetRole serves GetRole without a network round trip: form
// parsing, authorization, one store read and the XML response.
func BenchmarkGetRole(b *testing.B) {
	st, err := sqlstore.Open(b.Context(), filepath.Join(b.TempDir(), "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := b.Context()
	if err := st.CreateAccount(ctx, &store.Account{ID: acctA, CanonicalID: strings.Repeat("a", 64), CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateRole(ctx, &store.IAMRole{AccountID: acctA, Name: "app", Path: "/", ID: "AROAAPP", CreatedAt: time.Now(),
		AssumeRolePolicy: trust, MaxSessionDuration: 3600}); err != nil {
		b.Fatal(err)
	}
	api := iamapi.New(iamapi.Config{Store: st})
	info := &identity.Request{ID: "R", Principal: &identity.Principal{Kind: identity.Root, AccountID: acctA, ARN: "arn:aws:iam::" + acctA + ":root"}}
	body := url.Values{"Action": {"GetRole"}, "Version": {"2010-05-08"}, "RoleName": {"app"}}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequestWithContext(identity.With(ctx, info), http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		api.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
