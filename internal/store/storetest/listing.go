package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
)

// expectList is the reference ListObjects: byte order (Go compares strings
// by bytes), prefix and > after, at most limit.
func expectList(keys []string, prefix, after string, limit int) []string {
	var out []string
	for _, k := range slices.Sorted(slices.Values(keys)) {
		if strings.HasPrefix(k, prefix) && k > after {
			out = append(out, k)
		}
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func testListObjectsOrder(t *testing.T, st store.Store) {
	setup(t, st)
	for _, k := range oddKeys {
		put(t, st, object(k, "e", "b"))
	}
	got, err := st.ListObjects(t.Context(), "bkt", "", "", 0)
	must(t, "ListObjects", err)
	if want := expectList(oddKeys, "", "", 0); !reflect.DeepEqual(keysOf(got), want) {
		t.Errorf("ListObjects order:\n got %q\nwant %q", keysOf(got), want)
	}
}

// listKeys is a key set with many shared prefixes, wildcard characters
// and multi-byte boundaries.
var listKeys = []string{
	"", // placeholder, dropped below (S3 keys are non-empty)
	"a", "a%", "a%b", "a%%", "a_", "a_b", "a__", "ab", "a/", "a/b", "a/b/c", "a//", "a//b", "a0", "a\x7f",
	"a\u0080", "a\u07ff", "a\u0800", "a\uffff", "a\U00010000", "a\U0010FFFF", "a\U0010FFFFz",
	"b", "b%", "%", "%%", "%a", "_", "__", "_a", `\`, `\%`, `\_`, "x/y/z", "é", "éa", "ê", "😀", "😀/x", "😁",
	"\U0010FFFF", "\U0010FFFF\U0010FFFF",
}

func testListObjectsPaging(t *testing.T, st store.Store) {
	ctx := t.Context()
	setup(t, st)
	keys := listKeys[1:]
	for _, k := range keys {
		put(t, st, object(k, "e", "b"))
	}
	prefixes := []string{"", "a", "a%", "a_", "a/", "a//", "a/b", "%", "_", `\`, "é", "😀", "\U0010FFFF", "a\U0010FFFF",
		"a\u07ff", "a\uffff", "b", "c", "zzz", "a%b", "ab"}
	afters := []string{"", "a", "a%", "a/", "a/b", "a_b", "b", "é", "😀", "\U0010FFFF", "zz", "\x00", "0"}
	for _, p := range prefixes {
		for _, a := range afters {
			for _, limit := range []int{0, 1, 2, 5, 1000} {
				got, err := st.ListObjects(ctx, "bkt", p, a, limit)
				must(t, "ListObjects", err)
				if want := expectList(keys, p, a, limit); !reflect.DeepEqual(keysOf(got), want) {
					t.Errorf("ListObjects(prefix %q, after %q, limit %d):\n got %q\nwant %q", p, a, limit, keysOf(got), want)
				}
			}
		}
		// Paging with the last key as the next marker visits every key once.
		for _, page := range []int{1, 2, 3, 7} {
			var all []string
			after := ""
			for i := 0; ; i++ {
				if i > len(keys)+1 {
					t.Fatalf("paging prefix %q by %d does not end", p, page)
				}
				got, err := st.ListObjects(ctx, "bkt", p, after, page)
				must(t, "ListObjects page", err)
				if len(got) > page {
					t.Fatalf("page of %d for limit %d", len(got), page)
				}
				if len(got) == 0 {
					break
				}
				all = append(all, keysOf(got)...)
				after = got[len(got)-1].Key
			}
			if want := expectList(keys, p, "", 0); !reflect.DeepEqual(all, want) {
				t.Errorf("paging prefix %q by %d:\n got %q\nwant %q", p, page, all, want)
			}
		}
	}
	// A big page of long keys.
	for i := range 300 {
		put(t, st, object(fmt.Sprintf("long/%04d/", i)+strings.Repeat("x", 1000), "e", "b"))
	}
	got, err := st.ListObjects(ctx, "bkt", "long/", "", 1000)
	must(t, "ListObjects long", err)
	if len(got) != 300 || !slices.IsSortedFunc(got, func(a, b *store.Object) int { return strings.Compare(a.Key, b.Key) }) {
		t.Errorf("ListObjects long keys: %d objects, sorted=%v", len(got), slices.IsSortedFunc(got, func(a, b *store.Object) int { return strings.Compare(a.Key, b.Key) }))
	}
}
