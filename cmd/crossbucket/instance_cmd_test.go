package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

func TestInstanceEndpoint(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlstore.Open(t.Context(), filepath.Join(dir, "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	insts := []*store.Instance{
		{ID: "i-0000000000000000a", AccountID: "111122223333", Region: "us-east-1", State: store.InstanceRunning, IMDSPort: 41234, Metadata: store.MetadataOptions{HTTPEndpoint: "enabled"}},
		{ID: "i-0000000000000000b", AccountID: "111122223333", Region: "us-east-1", State: store.InstanceTerminated, IMDSPort: 41235},
		{ID: "i-0000000000000000c", AccountID: "111122223333", Region: "us-east-1", State: store.InstanceRunning},
	}
	if err := st.CreateInstances(t.Context(), insts); err != nil {
		t.Fatal(err)
	}
	st.Close()
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"endpoint", "i-0000000000000000a", "--data-dir", dir}, 0, "http://127.0.0.1:41234\n"},
		{[]string{"endpoint", "--data-dir", dir, "i-0000000000000000a"}, 0, "http://127.0.0.1:41234\n"},
		{[]string{"endpoint", "i-0000000000000000b", "--data-dir", dir}, 1, ""},
		{[]string{"endpoint", "i-0000000000000000c", "--data-dir", dir}, 1, ""},
		{[]string{"endpoint", "i-0000000000000000f", "--data-dir", dir}, 1, ""},
		{[]string{"endpoint", "--data-dir", dir}, 2, ""},
		{[]string{"nope"}, 2, ""},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := runInstance(t.Context(), tc.args, &out, &errb)
		if code != tc.code || out.String() != tc.out {
			t.Errorf("%v: %d %q (%s), want %d %q", tc.args, code, out.String(), errb.String(), tc.code, tc.out)
		}
		t.Logf("%v -> %d %s", tc.args, code, errb.String())
	}
}
