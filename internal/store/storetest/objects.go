package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

func testObjects(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	o := &store.Object{
		Bucket: "bkt", Key: "dir/file.txt", Size: 21, ETag: "0123456789abcdef0123456789abcdef-2",
		LastModified: base, Checksum: "AAAAAA==",
		ObjectMeta: store.ObjectMeta{
			ContentType: "text/plain; charset=utf-8", ContentEncoding: "gzip", ContentDisposition: `attachment; filename="f.txt"`,
			ContentLanguage: "de", CacheControl: "no-cache", Expires: "Wed, 21 Oct 2015 07:28:00 GMT",
			UserMeta: map[string]string{"color": "blue", "ünï": "çødé ✓", "empty": ""}, StorageClass: "STANDARD_IA",
			OwnerAccount: "111111111111", ACL: "<acl/>", Tags: map[string]string{"k1": "v1", "k 2": "v=2&"},
			ChecksumAlgorithm: "CRC32C", ChecksumType: "COMPOSITE",
		},
		Segments: []store.Segment{{BlobID: "b1", Size: 10, ETag: "e1", Checksum: "c1"}, {BlobID: "b2", Size: 11, ETag: "e2", Checksum: "c2"}},
	}
	want := *o
	orphans := put(t, st, o)
	sameIDs(t, "PutObject new orphans", orphans)
	got, err := st.GetObject(ctx, "bkt", "dir/file.txt")
	must(t, "GetObject", err)
	sameObject(t, got, &want)

	_, err = st.GetObject(ctx, "bkt", "dir/file.tx")
	wantErr(t, "GetObject missing key", err, store.ErrNotFound)
	if errors.Is(err, store.ErrNoSuchBucket) {
		t.Errorf("GetObject missing key reports a missing bucket: %v", err)
	}
	_, err = st.GetObject(ctx, "nobkt", "dir/file.txt")
	wantErr(t, "GetObject missing bucket", err, store.ErrNoSuchBucket)
	_, err = st.PutObject(ctx, &store.Object{Bucket: "nobkt", Key: "k", LastModified: base}, store.Cond{})
	wantErr(t, "PutObject missing bucket", err, store.ErrNoSuchBucket)
	_, err = st.ListObjects(ctx, "nobkt", "", "", 0)
	wantErr(t, "ListObjects missing bucket", err, store.ErrNoSuchBucket)

	// The same key in another bucket is another object.
	bucket(t, st, "other", "111111111111")
	_, err = st.GetObject(ctx, "other", "dir/file.txt")
	wantErr(t, "GetObject in other bucket", err, store.ErrNotFound)
	list, err := st.ListObjects(ctx, "other", "", "", 0)
	must(t, "ListObjects empty bucket", err)
	if len(list) != 0 {
		t.Errorf("empty bucket lists %d objects", len(list))
	}

	// Listing returns the full object too.
	list, err = st.ListObjects(ctx, "bkt", "", "", 0)
	must(t, "ListObjects", err)
	if len(list) != 1 {
		t.Fatalf("ListObjects = %d objects, want 1", len(list))
	}
	sameObject(t, list[0], &want)

	// A zero-byte object has no segments.
	empty := &store.Object{Bucket: "bkt", Key: "empty", ETag: "d41d8cd98f00b204e9800998ecf8427e", LastModified: base}
	put(t, st, empty)
	got, err = st.GetObject(ctx, "bkt", "empty")
	must(t, "GetObject empty", err)
	sameObject(t, got, empty)
}

func testReplaceObject(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	put(t, st, object("k", "e1", "a1", "a2", "a3"))
	orphans := put(t, st, object("k", "e2", "b1"))
	sameIDs(t, "replace orphans", orphans, "a1", "a2", "a3")
	got, err := st.GetObject(ctx, "bkt", "k")
	must(t, "GetObject", err)
	if got.ETag != "e2" || len(got.Segments) != 1 || got.Segments[0].BlobID != "b1" {
		t.Errorf("after replace: %+v", got)
	}
	// A blob the new version keeps is not an orphan.
	orphans = put(t, st, object("k", "e3", "b1", "c1"))
	sameIDs(t, "replace keeping a blob", orphans)
	orphans = put(t, st, object("k", "e4"))
	sameIDs(t, "replace with empty object", orphans, "b1", "c1")
	list, err := st.ListObjects(ctx, "bkt", "", "", 0)
	must(t, "ListObjects", err)
	if len(list) != 1 {
		t.Errorf("replacing made %d objects", len(list))
	}
}

func testUpdateObject(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	put(t, st, object("k", "e1", "b1"))
	later := base.Add(time.Hour)
	o, err := st.UpdateObject(ctx, "bkt", "k", func(o *store.Object) error {
		o.Tags = map[string]string{"t": "1"}
		o.ACL = "acl-2"
		o.UserMeta = map[string]string{"m": "2"}
		o.LastModified = later
		return nil
	})
	must(t, "UpdateObject", err)
	if o.ACL != "acl-2" || o.Key != "k" {
		t.Errorf("UpdateObject returned %+v", o)
	}
	got, err := st.GetObject(ctx, "bkt", "k")
	must(t, "GetObject", err)
	want := object("k", "e1", "b1")
	want.Tags, want.ACL, want.UserMeta, want.LastModified = map[string]string{"t": "1"}, "acl-2", map[string]string{"m": "2"}, later
	sameObject(t, got, want)

	boom := errors.New("boom")
	_, err = st.UpdateObject(ctx, "bkt", "k", func(o *store.Object) error { o.ACL = "acl-3"; return boom })
	wantErr(t, "UpdateObject fn error", err, boom)
	if got, _ := st.GetObject(ctx, "bkt", "k"); got == nil || got.ACL != "acl-2" {
		t.Errorf("failed UpdateObject wrote: %+v", got)
	}
	_, err = st.UpdateObject(ctx, "bkt", "nokey", func(*store.Object) error { return nil })
	wantErr(t, "UpdateObject missing key", err, store.ErrNotFound)
	_, err = st.UpdateObject(ctx, "nobkt", "k", func(*store.Object) error { return nil })
	wantErr(t, "UpdateObject missing bucket", err, store.ErrNoSuchBucket)
}

func testDeleteObject(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	put(t, st, object("k", "e1", "b1", "b2"))
	put(t, st, object("k2", "e2", "c1"))
	orphans, err := st.DeleteObject(ctx, "bkt", "k")
	must(t, "DeleteObject", err)
	sameIDs(t, "DeleteObject orphans", orphans, "b1", "b2")
	_, err = st.GetObject(ctx, "bkt", "k")
	wantErr(t, "GetObject deleted", err, store.ErrNotFound)
	orphans, err = st.DeleteObject(ctx, "bkt", "k")
	must(t, "DeleteObject again", err)
	sameIDs(t, "DeleteObject again orphans", orphans)
	_, err = st.DeleteObject(ctx, "nobkt", "k")
	wantErr(t, "DeleteObject missing bucket", err, store.ErrNoSuchBucket)
	if _, err := st.GetObject(ctx, "bkt", "k2"); err != nil {
		t.Errorf("DeleteObject removed another key: %v", err)
	}
}

// oddKeys are legal S3 keys that trip up path handling, LIKE patterns,
// collations and C strings.
var oddKeys = []string{
	"a", "a/", "a//b", "a/b", "../x", "./x", "/leading", "%2F", "%", "_", "a%b", "a_b", `a\b`, `\`,
	"a b", "a+b", "a?b", "a#b", "a*", "tab\tkey", "line\nbreak", "nul\x00key", "\x00", "\x01",
	"B", "b", "é", "e\u0301", "€", "😀", "\uFFFD", "\U0010FFFF", "日本語/キー", "a\U0010FFFF",
	strings.Repeat("k", 1024), strings.Repeat("€", 341) + "x", strings.Repeat("%", 1024),
}

func testObjectKeys(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	for i, k := range oddKeys {
		put(t, st, object(k, "etag", "blob-"+string(rune('A'+i))))
	}
	for i, k := range oddKeys {
		got, err := st.GetObject(ctx, "bkt", k)
		if err != nil {
			t.Errorf("GetObject(%q): %v", k, err)
			continue
		}
		if got.Key != k || got.Segments[0].BlobID != "blob-"+string(rune('A'+i)) {
			t.Errorf("GetObject(%q) = key %q blob %q", k, got.Key, got.Segments[0].BlobID)
		}
	}
	// Near misses of stored keys are distinct keys.
	for _, k := range []string{"A", "a/b/", "nul", "nul\x00", "e", "%2f", strings.Repeat("k", 1023)} {
		_, err := st.GetObject(ctx, "bkt", k)
		wantErr(t, "GetObject near miss "+k, err, store.ErrNotFound)
	}
	orphans, err := st.DeleteObject(ctx, "bkt", "nul\x00key")
	must(t, "DeleteObject NUL key", err)
	if len(orphans) != 1 {
		t.Errorf("DeleteObject NUL key orphans = %q", orphans)
	}
	if _, err := st.GetObject(ctx, "bkt", "nul\x00key"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("NUL key not deleted: %v", err)
	}
}
