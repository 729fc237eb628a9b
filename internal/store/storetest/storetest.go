// Package storetest is the conformance suite every store.Store backend
// must pass: the semantics of the store package's doc comments (errors,
// byte ordering, orphaned blob ids, conditional writes, atomicity) as
// executable checks.
package storetest

import (
	"errors"
	"maps"
	"reflect"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

// Run runs the suite. open must return a new, empty store on each call;
// Run closes it when the subtest ends (Close must tolerate a second call if
// open also registers one).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"Accounts", testAccounts},
		{"AccessKeys", testAccessKeys},
		{"Times", testTimes},
		{"Buckets", testBuckets},
		{"BucketGlobalNamespace", testBucketNamespace},
		{"UpdateBucket", testUpdateBucket},
		{"DeleteBucket", testDeleteBucket},
		{"ListBuckets", testListBuckets},
		{"Objects", testObjects},
		{"ReplaceObject", testReplaceObject},
		{"UpdateObject", testUpdateObject},
		{"DeleteObject", testDeleteObject},
		{"ObjectKeys", testObjectKeys},
		{"ListObjectsOrder", testListObjectsOrder},
		{"ListObjectsPrefixPaging", testListObjectsPaging},
		{"ConditionalPut", testConditionalPut},
		{"ConditionalRaceIfNoneMatch", testRaceIfNoneMatch},
		{"ConditionalRaceIfMatch", testRaceIfMatch},
		{"Uploads", testUploads},
		{"Parts", testParts},
		{"ListUploads", testListUploads},
		{"CompleteUpload", testCompleteUpload},
		{"CompleteUploadConditional", testCompleteConditional},
		{"CompleteUploadRace", testCompleteRace},
		{"AbortUpload", testAbortUpload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := open(t)
			t.Cleanup(func() {
				if err := st.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			})
			tc.fn(t, st)
		})
	}
}

// base is a fixed, non-UTC, sub-millisecond time; stores return UTC and
// keep at least millisecond precision.
var base = time.Date(2024, 5, 6, 7, 8, 9, 123_456_789, time.FixedZone("X", 5*3600))

// wantErr fails unless err matches every target.
func wantErr(t *testing.T, what string, err error, targets ...error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got nil error, want %v", what, targets)
	}
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("%s: got %v, want %v", what, err, target)
		}
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// sameTime checks a stored time: UTC and equal to want within 1ms.
func sameTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
	if d := got.Sub(want); d < -time.Millisecond || d > time.Millisecond {
		t.Errorf("%s: %v, want %v", what, got, want.UTC())
	}
}

// normMeta makes empty maps nil so backends may return either.
func normMeta(m store.ObjectMeta) store.ObjectMeta {
	if len(m.UserMeta) == 0 {
		m.UserMeta = nil
	}
	if len(m.Tags) == 0 {
		m.Tags = nil
	}
	return m
}

// sameObject compares a stored object with what was put.
func sameObject(t *testing.T, got, want *store.Object) {
	t.Helper()
	if got == nil {
		t.Fatalf("object %q: got nil", want.Key)
	}
	sameTime(t, "LastModified of "+want.Key, got.LastModified, want.LastModified)
	g, w := *got, *want
	g.LastModified, w.LastModified = time.Time{}, time.Time{}
	g.ObjectMeta, w.ObjectMeta = normMeta(g.ObjectMeta), normMeta(w.ObjectMeta)
	if len(g.Segments) == 0 {
		g.Segments = nil
	}
	if len(w.Segments) == 0 {
		w.Segments = nil
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("object %q:\n got %+v\nwant %+v", want.Key, g, w)
	}
}

// sameIDs compares blob id lists as sets (orphans come in no set order)
// and rejects duplicates.
func sameIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	g := map[string]int{}
	for _, id := range got {
		g[id]++
		if g[id] > 1 {
			t.Fatalf("%s: duplicate id %q in %q", what, id, got)
		}
	}
	w := map[string]int{}
	for _, id := range want {
		w[id]++
	}
	if !maps.Equal(g, w) {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}
