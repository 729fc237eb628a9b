package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

func testConditionalPut(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	steps := []struct {
		name    string
		cond    store.Cond
		etag    string
		wantErr error  // nil: succeeds
		stored  string // ETag stored afterwards
	}{
		{"IfMatch on missing key", store.Cond{IfMatch: "x"}, "e0", store.ErrNotFound, ""},
		{"IfNoneMatch * on missing key", store.Cond{IfNoneMatch: "*"}, "e1", nil, "e1"},
		{"IfNoneMatch * on existing key", store.Cond{IfNoneMatch: "*"}, "e2", store.ErrPrecondition, "e1"},
		{"IfMatch wrong ETag", store.Cond{IfMatch: "e9"}, "e3", store.ErrPrecondition, "e1"},
		{"IfMatch ETag prefix", store.Cond{IfMatch: "e"}, "e3", store.ErrPrecondition, "e1"},
		{"IfMatch right ETag", store.Cond{IfMatch: "e1"}, "e4", nil, "e4"},
		{"IfMatch old ETag", store.Cond{IfMatch: "e1"}, "e5", store.ErrPrecondition, "e4"},
		{"no condition", store.Cond{}, "e6", nil, "e6"},
	}
	for i, s := range steps {
		blob := fmt.Sprintf("blob%d", i)
		orphans, err := st.PutObject(ctx, object("k", s.etag, blob), s.cond)
		if s.wantErr != nil {
			wantErr(t, s.name, err, s.wantErr)
			if len(orphans) != 0 {
				t.Errorf("%s: failed put returned orphans %q", s.name, orphans)
			}
		} else {
			must(t, s.name, err)
		}
		got, err := st.GetObject(ctx, "bkt", "k")
		if s.stored == "" {
			wantErr(t, s.name+": GetObject", err, store.ErrNotFound)
			continue
		}
		must(t, s.name+": GetObject", err)
		if got.ETag != s.stored {
			t.Errorf("%s: stored ETag %q, want %q", s.name, got.ETag, s.stored)
		}
	}
	_, err := st.PutObject(ctx, &store.Object{Bucket: "nobkt", Key: "k", LastModified: base}, store.Cond{IfMatch: "x"})
	wantErr(t, "IfMatch in missing bucket", err, store.ErrNoSuchBucket)
}

// race runs n functions at once and counts nil results; every other result
// must match allowed.
func race(t *testing.T, n int, allowed error, fn func(i int) error) (winner int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	winner, wins := -1, 0
	for i, err := range errs {
		switch {
		case err == nil:
			winner = i
			wins++
		case !errors.Is(err, allowed):
			t.Errorf("racer %d: %v, want %v", i, err, allowed)
		}
	}
	if wins != 1 {
		t.Fatalf("%d racers won, want exactly 1", wins)
	}
	return winner
}

func testRaceIfNoneMatch(t *testing.T, st store.Store) {
	setup(t, st)
	for round := range 5 {
		key := fmt.Sprintf("race-%d", round)
		w := race(t, 16, store.ErrPrecondition, func(i int) error {
			_, err := st.PutObject(t.Context(), object(key, fmt.Sprintf("etag-%d", i), fmt.Sprintf("blob-%d", i)), store.Cond{IfNoneMatch: "*"})
			return err
		})
		got, err := st.GetObject(t.Context(), "bkt", key)
		must(t, "GetObject", err)
		if want := fmt.Sprintf("blob-%d", w); got.Segments[0].BlobID != want {
			t.Errorf("stored blob %q, but the winner wrote %q", got.Segments[0].BlobID, want)
		}
	}
}

func testRaceIfMatch(t *testing.T, st store.Store) {
	setup(t, st)
	put(t, st, object("k", "e0", "b0"))
	w := race(t, 16, store.ErrPrecondition, func(i int) error {
		orphans, err := st.PutObject(t.Context(), object("k", fmt.Sprintf("e%d", i+1), fmt.Sprintf("b%d", i+1)), store.Cond{IfMatch: "e0"})
		if err == nil && (len(orphans) != 1 || orphans[0] != "b0") {
			t.Errorf("winner's orphans = %q, want [b0]", orphans)
		}
		return err
	})
	got, err := st.GetObject(t.Context(), "bkt", "k")
	must(t, "GetObject", err)
	if want := fmt.Sprintf("e%d", w+1); got.ETag != want {
		t.Errorf("stored ETag %q, winner wrote %q", got.ETag, want)
	}
}
