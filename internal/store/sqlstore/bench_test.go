package sqlstore

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

func benchStore(b *testing.B) *Store {
	b.Helper()
	st, err := Open(b.Context(), filepath.Join(b.TempDir(), "meta.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if err := st.CreateAccount(b.Context(), &store.Account{ID: "111111111111", CanonicalID: "c"}); err != nil {
		b.Fatal(err)
	}
	if err := st.CreateBucket(b.Context(), &store.Bucket{Name: "bkt", AccountID: "111111111111"}); err != nil {
		b.Fatal(err)
	}
	return st
}

func benchObject(key string) *store.Object {
	return &store.Object{Bucket: "bkt", Key: key, Size: 1024, ETag: "0123456789abcdef0123456789abcdef",
		ObjectMeta: store.ObjectMeta{ContentType: "application/octet-stream", StorageClass: "STANDARD",
			OwnerAccount: "111111111111", UserMeta: map[string]string{"a": "b"}},
		Segments: []store.Segment{{BlobID: "0123456789abcdef0123456789abcdef", Size: 1024}}}
}

// BenchmarkPutObject: one committed (fsynced) metadata write per op.
func BenchmarkPutObject(b *testing.B) {
	st := benchStore(b)
	i := 0
	for b.Loop() {
		if _, err := st.PutObject(b.Context(), benchObject(fmt.Sprintf("dir/key-%09d", i)), store.Cond{}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkPutObjectParallel: concurrent writers (serialized by the store).
func BenchmarkPutObjectParallel(b *testing.B) {
	st := benchStore(b)
	b.RunParallel(func(pb *testing.PB) {
		r := rand.Uint64()
		i := 0
		for pb.Next() {
			if _, err := st.PutObject(b.Context(), benchObject(fmt.Sprintf("k-%x-%d", r, i)), store.Cond{}); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

const benchKeys = 10_000

func benchFilled(b *testing.B) *Store {
	st := benchStore(b)
	err := st.inTx(b.Context(), func(tx *sql.Tx) error { // one commit, for a quick setup
		for i := range benchKeys {
			if _, err := putObject(b.Context(), tx, benchObject(fmt.Sprintf("dir/key-%09d", i)), store.Cond{}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkGetObject: point reads from a bucket of 10k objects.
func BenchmarkGetObject(b *testing.B) {
	st := benchFilled(b)
	for b.Loop() {
		if _, err := st.GetObject(b.Context(), "bkt", fmt.Sprintf("dir/key-%09d", rand.IntN(benchKeys))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkGetObjectParallel: point reads on all reader connections.
func BenchmarkGetObjectParallel(b *testing.B) {
	st := benchFilled(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := st.GetObject(b.Context(), "bkt", fmt.Sprintf("dir/key-%09d", rand.IntN(benchKeys))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

// BenchmarkListObjects1000: a full page of ListObjectsV2.
func BenchmarkListObjects1000(b *testing.B) {
	st := benchFilled(b)
	for b.Loop() {
		objs, err := st.ListObjects(b.Context(), "bkt", "dir/", fmt.Sprintf("dir/key-%09d", rand.IntN(benchKeys-1000)), 1000)
		if err != nil || len(objs) != 1000 {
			b.Fatal(len(objs), err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}
