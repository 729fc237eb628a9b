package storetest

import (
	"fmt"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

// completed is the object a CompleteUpload of parts 1 and 3 builds.
func completed(key string) *store.Object {
	o := object(key, "md5s-2")
	o.Segments = []store.Segment{{BlobID: "p1", Size: 100, ETag: "etag1", Checksum: "ck"}, {BlobID: "p3", Size: 300, ETag: "etag3", Checksum: "ck"}}
	o.Size = 400
	o.ChecksumAlgorithm, o.ChecksumType = "CRC32", "COMPOSITE"
	return o
}

func testCompleteUpload(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	put(t, st, object("k", "old", "old-1", "old-2"))
	upload(t, st, "up1", "k", base)
	part(t, st, "up1", 1, "p1")
	part(t, st, "up1", 2, "p2")
	part(t, st, "up1", 3, "p3")
	upload(t, st, "up2", "k", base) // another upload of the same key stays

	// Wrong key or bucket: no such upload, and nothing changes.
	_, err := st.CompleteUpload(ctx, "up1", completed("other"), store.Cond{})
	wantErr(t, "CompleteUpload wrong key", err, store.ErrNoSuchUpload)
	_, err = st.CompleteUpload(ctx, "nope", completed("k"), store.Cond{})
	wantErr(t, "CompleteUpload unknown id", err, store.ErrNoSuchUpload)
	bad := completed("k")
	bad.Bucket = "nobkt"
	_, err = st.CompleteUpload(ctx, "up1", bad, store.Cond{})
	wantErr(t, "CompleteUpload missing bucket", err, store.ErrNoSuchBucket)
	if _, err := st.GetObject(ctx, "bkt", "other"); err == nil {
		t.Fatal("failed CompleteUpload stored an object")
	}

	want := completed("k")
	orphans, err := st.CompleteUpload(ctx, "up1", want, store.Cond{})
	must(t, "CompleteUpload", err)
	sameIDs(t, "CompleteUpload orphans", orphans, "p2", "old-1", "old-2")
	got, err := st.GetObject(ctx, "bkt", "k")
	must(t, "GetObject", err)
	sameObject(t, got, completed("k"))
	_, err = st.GetUpload(ctx, "bkt", "k", "up1")
	wantErr(t, "GetUpload after complete", err, store.ErrNoSuchUpload)
	_, err = st.ListParts(ctx, "up1", 0, 0)
	wantErr(t, "ListParts after complete", err, store.ErrNoSuchUpload)
	_, err = st.PutPart(ctx, &store.Part{UploadID: "up1", Number: 4, BlobID: "late", LastModified: base})
	wantErr(t, "PutPart after complete", err, store.ErrNoSuchUpload)
	_, err = st.CompleteUpload(ctx, "up1", completed("k"), store.Cond{})
	wantErr(t, "CompleteUpload twice", err, store.ErrNoSuchUpload)
	if _, err := st.GetUpload(ctx, "bkt", "k", "up2"); err != nil {
		t.Errorf("completing up1 removed up2: %v", err)
	}
	ups, err := st.ListUploads(ctx, "bkt", "", "", "", 0)
	must(t, "ListUploads", err)
	if len(ups) != 1 || ups[0].ID != "up2" {
		t.Errorf("uploads after complete: %d", len(ups))
	}
}

func testCompleteConditional(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	put(t, st, object("k", "cur", "cur-blob"))
	upload(t, st, "up1", "k", base)
	part(t, st, "up1", 1, "p1")
	part(t, st, "up1", 3, "p3")
	for _, c := range []store.Cond{{IfNoneMatch: "*"}, {IfMatch: "nope"}} {
		_, err := st.CompleteUpload(ctx, "up1", completed("k"), c)
		wantErr(t, fmt.Sprintf("CompleteUpload %+v", c), err, store.ErrPrecondition)
	}
	// The failed completes left the upload, its parts and the object alone.
	parts, err := st.ListParts(ctx, "up1", 0, 0)
	must(t, "ListParts after failed complete", err)
	if len(parts) != 2 {
		t.Errorf("parts after failed complete: %d", len(parts))
	}
	got, err := st.GetObject(ctx, "bkt", "k")
	must(t, "GetObject", err)
	if got.ETag != "cur" {
		t.Errorf("failed complete replaced the object: %q", got.ETag)
	}
	orphans, err := st.CompleteUpload(ctx, "up1", completed("k"), store.Cond{IfMatch: "cur"})
	must(t, "CompleteUpload IfMatch", err)
	sameIDs(t, "orphans", orphans, "cur-blob")

	upload(t, st, "up2", "new", base)
	part(t, st, "up2", 1, "p1")
	part(t, st, "up2", 3, "p3")
	_, err = st.CompleteUpload(ctx, "up2", completed("new"), store.Cond{IfMatch: "x"})
	wantErr(t, "CompleteUpload IfMatch missing key", err, store.ErrNotFound)
	orphans, err = st.CompleteUpload(ctx, "up2", completed("new"), store.Cond{IfNoneMatch: "*"})
	must(t, "CompleteUpload IfNoneMatch new key", err)
	sameIDs(t, "orphans", orphans)
}

func testCompleteRace(t *testing.T, st store.Store) {
	setup(t, st)
	upload(t, st, "up1", "k", base)
	part(t, st, "up1", 1, "p1")
	part(t, st, "up1", 2, "p2")
	part(t, st, "up1", 3, "p3")
	// Many completes of one upload: one wins, the rest find no upload.
	race(t, 8, store.ErrNoSuchUpload, func(int) error {
		orphans, err := st.CompleteUpload(t.Context(), "up1", completed("k"), store.Cond{})
		if err == nil && (len(orphans) != 1 || orphans[0] != "p2") {
			t.Errorf("winner's orphans = %q, want [p2]", orphans)
		}
		return err
	})
	// Completes of different uploads of one key with If-None-Match: one wins.
	for i := range 8 {
		id := fmt.Sprintf("u%d", i)
		upload(t, st, id, "fresh", base)
		part(t, st, id, 1, "p1")
		part(t, st, id, 3, "p3")
	}
	race(t, 8, store.ErrPrecondition, func(i int) error {
		_, err := st.CompleteUpload(t.Context(), fmt.Sprintf("u%d", i), completed("fresh"), store.Cond{IfNoneMatch: "*"})
		return err
	})
}

func testAbortUpload(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	upload(t, st, "up1", "k", base)
	part(t, st, "up1", 1, "p1")
	part(t, st, "up1", 2, "p2")
	part(t, st, "up1", 2, "p2b") // p2 is orphaned by PutPart, not by the abort
	_, err := st.AbortUpload(ctx, "bkt", "other", "up1")
	wantErr(t, "AbortUpload wrong key", err, store.ErrNoSuchUpload)
	_, err = st.AbortUpload(ctx, "nobkt", "k", "up1")
	wantErr(t, "AbortUpload missing bucket", err, store.ErrNoSuchBucket)
	orphans, err := st.AbortUpload(ctx, "bkt", "k", "up1")
	must(t, "AbortUpload", err)
	sameIDs(t, "AbortUpload orphans", orphans, "p1", "p2b")
	_, err = st.GetUpload(ctx, "bkt", "k", "up1")
	wantErr(t, "GetUpload after abort", err, store.ErrNoSuchUpload)
	_, err = st.ListParts(ctx, "up1", 0, 0)
	wantErr(t, "ListParts after abort", err, store.ErrNoSuchUpload)
	_, err = st.AbortUpload(ctx, "bkt", "k", "up1")
	wantErr(t, "AbortUpload twice", err, store.ErrNoSuchUpload)
	_, err = st.CompleteUpload(ctx, "up1", completed("k"), store.Cond{})
	wantErr(t, "CompleteUpload after abort", err, store.ErrNoSuchUpload)
	if _, err := st.GetObject(ctx, "bkt", "k"); err == nil {
		t.Error("abort created an object")
	}
}
