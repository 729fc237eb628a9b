package principals

import (
	"context"
	"testing"
)

// BenchmarkResolve compares, in one run, resolving a request's principal
// from session credentials (AEAD open of the sealed token, no store) with
// resolving it from a long-term key held in the cache.
func BenchmarkResolve(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	role := f.roleClaims()
	tok := f.seal(b, role)
	if _, err := f.res.Resolve(ctx, "s3", "AKIAUSER0000000000AA", ""); err != nil { // warm the cache
		b.Fatal(err)
	}
	b.Run("session", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.res.Resolve(ctx, "s3", role.AccessKeyID, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("long-term-cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.res.Resolve(ctx, "s3", "AKIAUSER0000000000AA", ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}
