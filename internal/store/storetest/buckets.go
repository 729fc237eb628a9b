package storetest

import (
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

func testBuckets(t *testing.T, st store.Store) {
	ctx := t.Context()
	account(t, st, "111111111111")
	full := &store.Bucket{Name: "full", AccountID: "111111111111", Region: "eu-west-1", CreatedAt: base,
		Ownership: "ObjectWriter", PublicAccessBlock: &store.PublicAccessBlock{BlockPublicAcls: true, RestrictPublicBuckets: true},
		Policy: `{"Version":"2012-10-17","Statement":[]}`, ACL: "<acl/>"}
	bare := &store.Bucket{Name: "bare", AccountID: "111111111111", Region: "us-east-1", CreatedAt: base}
	for _, b := range []*store.Bucket{full, bare} {
		must(t, "CreateBucket "+b.Name, st.CreateBucket(ctx, b))
		got, err := st.GetBucket(ctx, b.Name)
		must(t, "GetBucket "+b.Name, err)
		sameTime(t, "CreatedAt", got.CreatedAt, base)
		g, w := *got, *b
		g.CreatedAt, w.CreatedAt = base, base
		if !reflect.DeepEqual(g, w) {
			t.Errorf("GetBucket %s:\n got %+v\nwant %+v", b.Name, g, w)
		}
	}
	_, err := st.GetBucket(ctx, "missing")
	wantErr(t, "GetBucket missing", err, store.ErrNoSuchBucket, store.ErrNotFound)
	_, err = st.GetBucket(ctx, "FULL")
	wantErr(t, "GetBucket is case-sensitive", err, store.ErrNoSuchBucket)
}

func testBucketNamespace(t *testing.T, st store.Store) {
	ctx := t.Context()
	account(t, st, "111111111111")
	account(t, st, "222222222222")
	bucket(t, st, "shared", "111111111111")
	for _, acct := range []string{"111111111111", "222222222222"} {
		err := st.CreateBucket(ctx, &store.Bucket{Name: "shared", AccountID: acct, Region: "us-west-2", CreatedAt: base})
		wantErr(t, "CreateBucket taken name by "+acct, err, store.ErrExists)
	}
	b, err := st.GetBucket(ctx, "shared")
	must(t, "GetBucket", err)
	if b.AccountID != "111111111111" || b.Region != "us-east-1" {
		t.Errorf("a failed CreateBucket changed the bucket: %+v", b)
	}

	// Racing creates of one name from many accounts: exactly one wins.
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			acct := "111111111111"
			if i%2 == 1 {
				acct = "222222222222"
			}
			<-start
			errs[i] = st.CreateBucket(ctx, &store.Bucket{Name: "race", AccountID: acct, Region: "us-east-1", CreatedAt: base})
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case !errors.Is(err, store.ErrExists):
			t.Errorf("racing CreateBucket: %v", err)
		}
	}
	if wins != 1 {
		t.Errorf("racing CreateBucket: %d winners, want 1", wins)
	}
}

func testUpdateBucket(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	b, err := st.UpdateBucket(ctx, "bkt", func(b *store.Bucket) error {
		b.Policy = "policy-1"
		b.PublicAccessBlock = &store.PublicAccessBlock{BlockPublicPolicy: true, IgnorePublicAcls: true}
		b.Ownership = ""
		return nil
	})
	must(t, "UpdateBucket", err)
	if b.Policy != "policy-1" || b.Name != "bkt" {
		t.Errorf("UpdateBucket returned %+v", b)
	}
	got, err := st.GetBucket(ctx, "bkt")
	must(t, "GetBucket", err)
	if got.Policy != "policy-1" || got.Ownership != "" || got.AccountID != "111111111111" ||
		!reflect.DeepEqual(got.PublicAccessBlock, &store.PublicAccessBlock{BlockPublicPolicy: true, IgnorePublicAcls: true}) {
		t.Errorf("after UpdateBucket: %+v", got)
	}

	// Clearing the PublicAccessBlock stores "none" again.
	_, err = st.UpdateBucket(ctx, "bkt", func(b *store.Bucket) error { b.PublicAccessBlock = nil; return nil })
	must(t, "UpdateBucket clear", err)
	if got, _ := st.GetBucket(ctx, "bkt"); got == nil || got.PublicAccessBlock != nil {
		t.Errorf("PublicAccessBlock not cleared: %+v", got)
	}

	// An error from fn is returned and nothing is written.
	boom := errors.New("boom")
	_, err = st.UpdateBucket(ctx, "bkt", func(b *store.Bucket) error { b.Policy = "policy-2"; return boom })
	wantErr(t, "UpdateBucket fn error", err, boom)
	if got, _ := st.GetBucket(ctx, "bkt"); got == nil || got.Policy != "policy-1" {
		t.Errorf("failed UpdateBucket wrote: %+v", got)
	}
	called := false
	_, err = st.UpdateBucket(ctx, "missing", func(*store.Bucket) error { called = true; return nil })
	wantErr(t, "UpdateBucket missing", err, store.ErrNoSuchBucket)
	if called {
		t.Error("UpdateBucket called fn for a missing bucket")
	}

	// Concurrent read-modify-write updates are serialized: none is lost.
	const n = 16
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, err := st.UpdateBucket(ctx, "bkt", func(b *store.Bucket) error { b.ACL += "x"; return nil })
			if err != nil {
				t.Errorf("concurrent UpdateBucket: %v", err)
			}
		})
	}
	wg.Wait()
	if got, _ := st.GetBucket(ctx, "bkt"); got == nil || len(got.ACL) != n {
		t.Errorf("concurrent UpdateBucket lost updates: ACL %q", got.ACL)
	}
}

func testDeleteBucket(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	account(t, st, "222222222222")
	put(t, st, object("k", "e", "blob-k"))
	_, err := st.DeleteBucket(ctx, "bkt")
	wantErr(t, "DeleteBucket non-empty", err, store.ErrBucketNotEmpty)
	if _, err := st.GetObject(ctx, "bkt", "k"); err != nil {
		t.Fatalf("object gone after failed DeleteBucket: %v", err)
	}
	_, err = st.DeleteObject(ctx, "bkt", "k")
	must(t, "DeleteObject", err)

	upload(t, st, "up1", "a", base)
	upload(t, st, "up2", "b", base)
	part(t, st, "up1", 1, "p1-1")
	part(t, st, "up1", 2, "p1-2")
	part(t, st, "up2", 1, "p2-1")
	orphans, err := st.DeleteBucket(ctx, "bkt")
	must(t, "DeleteBucket with uploads", err)
	sameIDs(t, "DeleteBucket orphans", orphans, "p1-1", "p1-2", "p2-1")
	_, err = st.GetBucket(ctx, "bkt")
	wantErr(t, "GetBucket after delete", err, store.ErrNoSuchBucket)
	_, err = st.ListParts(ctx, "up1", 0, 0)
	wantErr(t, "ListParts after DeleteBucket", err, store.ErrNoSuchUpload)
	_, err = st.DeleteBucket(ctx, "bkt")
	wantErr(t, "DeleteBucket missing", err, store.ErrNoSuchBucket)

	// The name is free again, for any account, and starts empty.
	bucket(t, st, "bkt", "222222222222")
	ups, err := st.ListUploads(ctx, "bkt", "", "", "", 0)
	must(t, "ListUploads", err)
	if len(ups) != 0 {
		t.Errorf("recreated bucket has %d uploads", len(ups))
	}
	orphans, err = st.DeleteBucket(ctx, "bkt")
	must(t, "DeleteBucket empty", err)
	sameIDs(t, "DeleteBucket empty orphans", orphans)
}

func testListBuckets(t *testing.T, st store.Store) {
	ctx := t.Context()
	account(t, st, "111111111111")
	account(t, st, "222222222222")
	mine := []string{"a-1", "a-2", "a.b", "b-1", "bb", "c"} // byte order
	for _, n := range []string{"c", "a-2", "bb", "a-1", "b-1", "a.b"} {
		bucket(t, st, n, "111111111111")
	}
	bucket(t, st, "a-3-theirs", "222222222222")
	bucket(t, st, "z-theirs", "222222222222")

	tests := []struct {
		prefix, after string
		limit         int
		want          []string
	}{
		{"", "", 0, mine},
		{"", "", 2, mine[:2]},
		{"", "a-2", 0, mine[2:]},
		{"", "a-2", 2, mine[2:4]},
		{"", "c", 0, nil},
		{"a", "", 0, mine[:3]},
		{"a-", "", 0, mine[:2]},
		{"a-", "a-1", 0, mine[1:2]},
		{"b", "a", 0, mine[3:5]},
		{"b", "zzz", 0, nil},
		{"x", "", 0, nil},
		{"a-3", "", 0, nil}, // the other account's
	}
	for _, tc := range tests {
		got, err := st.ListBuckets(ctx, "111111111111", tc.prefix, tc.after, tc.limit)
		must(t, "ListBuckets", err)
		var names []string
		for _, b := range got {
			names = append(names, b.Name)
			if b.AccountID != "111111111111" {
				t.Errorf("ListBuckets returned %s of account %s", b.Name, b.AccountID)
			}
		}
		if !reflect.DeepEqual(names, tc.want) {
			t.Errorf("ListBuckets(prefix %q, after %q, limit %d) = %q, want %q", tc.prefix, tc.after, tc.limit, names, tc.want)
		}
	}
	got, err := st.ListBuckets(ctx, "333333333333", "", "", 0)
	must(t, "ListBuckets unknown account", err)
	if len(got) != 0 {
		t.Errorf("ListBuckets of an account without buckets = %d buckets", len(got))
	}
}
