package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

func testUploads(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	u := upload(t, st, "up1", "dir/k", base)
	got, err := st.GetUpload(ctx, "bkt", "dir/k", "up1")
	must(t, "GetUpload", err)
	sameTime(t, "Initiated", got.Initiated, base)
	g, w := *got, *u
	g.Initiated, w.Initiated = base, base
	if !reflect.DeepEqual(g, w) {
		t.Errorf("GetUpload:\n got %+v\nwant %+v", g, w)
	}
	for _, tc := range []struct{ bucket, key, id string }{
		{"bkt", "dir/k", "up2"}, {"bkt", "dir/K", "up1"}, {"bkt", "dir/", "up1"},
	} {
		_, err := st.GetUpload(ctx, tc.bucket, tc.key, tc.id)
		wantErr(t, fmt.Sprintf("GetUpload %v", tc), err, store.ErrNoSuchUpload)
	}
	_, err = st.GetUpload(ctx, "nobkt", "dir/k", "up1")
	wantErr(t, "GetUpload missing bucket", err, store.ErrNoSuchBucket)
	err = st.CreateUpload(ctx, &store.Upload{ID: "up9", Bucket: "nobkt", Key: "k", Initiated: base})
	wantErr(t, "CreateUpload missing bucket", err, store.ErrNoSuchBucket)
	err = st.CreateUpload(ctx, &store.Upload{ID: "up1", Bucket: "bkt", Key: "other", Initiated: base})
	wantErr(t, "CreateUpload duplicate id", err, store.ErrExists)
}

func testParts(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	upload(t, st, "up1", "k", base)
	upload(t, st, "up2", "k", base)
	for n := 5; n >= 1; n-- {
		if orphan := part(t, st, "up1", n, fmt.Sprintf("p%d", n)); orphan != "" {
			t.Errorf("new part %d orphaned %q", n, orphan)
		}
	}
	part(t, st, "up2", 1, "other-upload")
	if orphan := part(t, st, "up1", 2, "p2-new"); orphan != "p2" {
		t.Errorf("replacing part 2 orphaned %q, want p2", orphan)
	}
	if orphan := part(t, st, "up1", 2, "p2-new"); orphan != "" {
		t.Errorf("re-putting the same blob orphaned %q", orphan)
	}
	_, err := st.PutPart(ctx, &store.Part{UploadID: "nope", Number: 1, BlobID: "x", LastModified: base})
	wantErr(t, "PutPart unknown upload", err, store.ErrNoSuchUpload)

	all, err := st.ListParts(ctx, "up1", 0, 0)
	must(t, "ListParts", err)
	var nums []int
	for _, p := range all {
		nums = append(nums, p.Number)
	}
	if !reflect.DeepEqual(nums, []int{1, 2, 3, 4, 5}) {
		t.Fatalf("ListParts numbers = %v", nums)
	}
	p2 := all[1]
	sameTime(t, "part LastModified", p2.LastModified, base)
	if p2.UploadID != "up1" || p2.BlobID != "p2-new" || p2.Size != 200 || p2.ETag != "etag2" || p2.Checksum != "ck" {
		t.Errorf("part 2 = %+v", p2)
	}
	for _, tc := range []struct {
		after, limit int
		want         []int
	}{
		{0, 2, []int{1, 2}}, {2, 2, []int{3, 4}}, {4, 2, []int{5}}, {5, 2, nil}, {3, 0, []int{4, 5}}, {0, 1000, []int{1, 2, 3, 4, 5}},
	} {
		got, err := st.ListParts(ctx, "up1", tc.after, tc.limit)
		must(t, "ListParts page", err)
		var nums []int
		for _, p := range got {
			nums = append(nums, p.Number)
		}
		if !reflect.DeepEqual(nums, tc.want) {
			t.Errorf("ListParts(after %d, limit %d) = %v, want %v", tc.after, tc.limit, nums, tc.want)
		}
	}
	upload(t, st, "up3", "k", base)
	got, err := st.ListParts(ctx, "up3", 0, 0)
	must(t, "ListParts of upload without parts", err)
	if len(got) != 0 {
		t.Errorf("ListParts of new upload = %d parts", len(got))
	}
	_, err = st.ListParts(ctx, "nope", 0, 0)
	wantErr(t, "ListParts unknown upload", err, store.ErrNoSuchUpload)
}

func testListUploads(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	bucket(t, st, "other", "111111111111")
	// Same-key uploads are ordered by initiation time, then id — not by id alone.
	type up struct {
		id, key string
		at      time.Duration
	}
	ups := []up{
		{"u-z", "b", 1 * time.Second}, {"u-a", "b", 2 * time.Second}, {"u-m", "b", 2 * time.Second},
		{"u-b", "a", 5 * time.Second}, {"u-c", "a%", 0}, {"u-d", "a_", 0}, {"u-e", "c/d", 0}, {"u-f", "é", 0},
	}
	order := []string{"u-b", "u-c", "u-d", "u-z", "u-a", "u-m", "u-e", "u-f"} // (key, initiated, id)
	for _, u := range ups {
		upload(t, st, u.id, u.key, base.Add(u.at))
	}
	must(t, "CreateUpload other bucket", st.CreateUpload(ctx, &store.Upload{ID: "u-o", Bucket: "other", Key: "b", Initiated: base}))
	ids := func(us []*store.Upload) []string {
		var out []string
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	tests := []struct {
		prefix, keyMarker, idMarker string
		limit                       int
		want                        []string
	}{
		{"", "", "", 0, order},
		{"", "", "", 3, order[:3]},
		{"", "", "u-a", 0, order}, // id marker without key marker: ignored
		{"a", "", "", 0, order[:3]},
		{"a%", "", "", 0, order[1:2]},
		{"a_", "", "", 0, order[2:3]},
		{"b", "", "", 0, order[3:6]},
		{"", "a_", "", 0, order[3:]},
		{"", "b", "", 0, order[6:]},
		{"", "b", "u-z", 0, order[4:]},
		{"", "b", "u-a", 0, order[5:]},
		{"", "b", "u-m", 0, order[6:]},
		{"", "b", "u-a", 1, order[5:6]},
		{"b", "b", "u-z", 0, order[4:6]},
		{"", "é", "", 0, nil},
	}
	for _, tc := range tests {
		got, err := st.ListUploads(ctx, "bkt", tc.prefix, tc.keyMarker, tc.idMarker, tc.limit)
		must(t, "ListUploads", err)
		if !reflect.DeepEqual(ids(got), tc.want) {
			t.Errorf("ListUploads(prefix %q, key-marker %q, upload-id-marker %q, limit %d) = %q, want %q",
				tc.prefix, tc.keyMarker, tc.idMarker, tc.limit, ids(got), tc.want)
		}
	}
	// Paging with (key, id) of the last upload as markers visits each once.
	for _, page := range []int{1, 2, 3} {
		var all []string
		km, im := "", ""
		for i := 0; i <= len(order); i++ {
			got, err := st.ListUploads(ctx, "bkt", "", km, im, page)
			must(t, "ListUploads page", err)
			if len(got) == 0 {
				break
			}
			all = append(all, ids(got)...)
			km, im = got[len(got)-1].Key, got[len(got)-1].ID
		}
		if !reflect.DeepEqual(all, order) {
			t.Errorf("paging uploads by %d = %q, want %q", page, all, order)
		}
	}
	_, err := st.ListUploads(ctx, "nobkt", "", "", "", 0)
	wantErr(t, "ListUploads missing bucket", err, store.ErrNoSuchBucket)
}
