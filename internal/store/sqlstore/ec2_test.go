package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/storetest"
)

func TestEC2Conformance(t *testing.T) {
	storetest.RunEC2(t, func(t *testing.T) store.EC2 {
		st, err := Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}
