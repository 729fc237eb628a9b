package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
	"github.com/crossbucket/crossbucket/internal/store/storetest"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestTwoHandles: two Stores on one file (as the server and the CLI are)
// see each other's commits at once and share conditional-write atomicity.
func TestTwoHandles(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "meta.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	if err := a.CreateAccount(ctx, &store.Account{ID: "111111111111", CanonicalID: "c1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.GetAccount(ctx, "111111111111"); err != nil {
		t.Fatalf("second handle does not see the account: %v", err)
	}
	if err := b.CreateBucket(ctx, &store.Bucket{Name: "bkt", AccountID: "111111111111"}); err != nil {
		t.Fatal(err)
	}
	stores := []*Store{a, b}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 16 {
		wg.Go(func() {
			o := &store.Object{Bucket: "bkt", Key: "k", ETag: fmt.Sprint(i)}
			_, err := stores[i%2].PutObject(ctx, o, store.Cond{IfNoneMatch: "*"})
			switch {
			case err == nil:
				mu.Lock()
				wins++
				mu.Unlock()
			case !errors.Is(err, store.ErrPrecondition):
				t.Errorf("put %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d winners across two handles, want 1", wins)
	}
}

// TestOtherProcess: an account created by another process (the CLI) is
// visible to an open Store (the server) at once.
func TestOtherProcess(t *testing.T) {
	if path := os.Getenv("SQLSTORE_CHILD_DB"); path != "" {
		st, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.CreateAccount(context.Background(), &store.Account{ID: "222222222222", CanonicalID: "c2"}); err != nil {
			t.Fatal(err)
		}
		return
	}
	st := openTemp(t)
	if _, err := st.GetAccount(t.Context(), "222222222222"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("before: %v", err)
	}
	path := filepath.Join(filepath.Dir(dbPath(t, st)), "meta.db")
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestOtherProcess$")
	cmd.Env = append(os.Environ(), "SQLSTORE_CHILD_DB="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if _, err := st.GetAccount(t.Context(), "222222222222"); err != nil {
		t.Fatalf("account made by another process not seen: %v", err)
	}
}

// dbPath returns the main database file of st.
func dbPath(t *testing.T, st *Store) string {
	t.Helper()
	var seq int
	var name, file string
	if err := st.r.QueryRowContext(t.Context(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

func TestPragmas(t *testing.T) {
	st := openTemp(t)
	ctx := t.Context()
	for _, tc := range []struct {
		db         *sql.DB
		pragma     string
		want       string
		connection string
	}{
		{st.w, "journal_mode", "wal", "writer"},
		{st.w, "synchronous", "2", "writer"}, // FULL
		{st.w, "foreign_keys", "1", "writer"},
		{st.w, "busy_timeout", "10000", "writer"},
		{st.r, "query_only", "1", "reader"},
		{st.r, "foreign_keys", "1", "reader"},
		{st.r, "journal_mode", "wal", "reader"},
	} {
		var got string
		if err := tc.db.QueryRowContext(ctx, "PRAGMA "+tc.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s PRAGMA %s = %q, want %q", tc.connection, tc.pragma, got, tc.want)
		}
	}
	fi, err := os.Stat(dbPath(t, st))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("database file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestOpenDSNs(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		dsn string
		ok  bool
	}{
		{filepath.Join(dir, "plain.db"), true},
		{filepath.Join(dir, "odd ?#%name.db"), true},
		{"file:" + filepath.Join(dir, "uri.db"), true},
		{"file:" + filepath.Join(dir, "uri2.db") + "?cache=private", true},
		{":memory:", false},
		{"file::memory:", false},
		{"file:x?mode=memory", false},
		{"", false},
		{filepath.Join(dir, "missing-dir", "x.db"), false},
	} {
		st, err := Open(t.Context(), tc.dsn)
		if (err == nil) != tc.ok {
			t.Errorf("Open(%q): err %v, want ok=%v", tc.dsn, err, tc.ok)
		}
		if err == nil {
			st.Close()
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "odd ?#%name.db")); err != nil {
		t.Errorf("odd path not used verbatim: %v", err)
	}
}

func TestMigrations(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "meta.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAccount(ctx, &store.Account{ID: "111111111111", CanonicalID: "c"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Reopening keeps the data and applies nothing twice.
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	if _, err := st.GetAccount(ctx, "111111111111"); err != nil {
		t.Fatalf("data lost on reopen: %v", err)
	}
	var n int
	if err := st.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_version`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("schema_version rows = %d, %v", n, err)
	}
	// A database from a newer program is refused.
	if _, err := st.w.ExecContext(ctx, `UPDATE schema_version SET version = 999`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, err := Open(ctx, path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

func TestConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "meta.db")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			st, err := Open(t.Context(), path)
			if err != nil {
				t.Errorf("concurrent Open: %v", err)
				return
			}
			st.Close()
		})
	}
	wg.Wait()
}

// TestInvalidUTF8Refused: JSON columns would silently replace invalid
// UTF-8, so such metadata is an error rather than lost data.
func TestInvalidUTF8Refused(t *testing.T) {
	st := openTemp(t)
	ctx := t.Context()
	if err := st.CreateAccount(ctx, &store.Account{ID: "111111111111", CanonicalID: "c"}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateBucket(ctx, &store.Bucket{Name: "bkt", AccountID: "111111111111"}); err != nil {
		t.Fatal(err)
	}
	for _, meta := range []store.ObjectMeta{
		{UserMeta: map[string]string{"k": "\xff"}},
		{UserMeta: map[string]string{"\xfe": "v"}},
		{Tags: map[string]string{"t": "a\xc3"}},
		{ContentType: "text/\x80"},
	} {
		_, err := st.PutObject(ctx, &store.Object{Bucket: "bkt", Key: "k", ObjectMeta: meta}, store.Cond{})
		if err == nil || !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("PutObject with %+v: %v", meta, err)
		}
	}
	if _, err := st.GetObject(ctx, "bkt", "k"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("refused object was stored: %v", err)
	}
}

func TestForeignKeys(t *testing.T) {
	st := openTemp(t)
	ctx := t.Context()
	err := st.CreateAccessKey(ctx, &store.AccessKey{ID: "AKIA1", AccountID: "999999999999"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateAccessKey for missing account: %v", err)
	}
	err = st.CreateBucket(ctx, &store.Bucket{Name: "b", AccountID: "999999999999"})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CreateBucket for missing account: %v", err)
	}
}

func TestZeroTimesSet(t *testing.T) {
	st := openTemp(t)
	ctx := t.Context()
	a := &store.Account{ID: "111111111111", CanonicalID: "c"}
	before := time.Now()
	if err := st.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.CreatedAt.Before(before.Add(-time.Second)) || a.CreatedAt.Location() != time.UTC {
		t.Errorf("zero CreatedAt set to %v", a.CreatedAt)
	}
	got, _ := st.GetAccount(ctx, a.ID)
	if got == nil || !got.CreatedAt.Equal(a.CreatedAt) {
		t.Errorf("stored CreatedAt %v, set %v", got, a.CreatedAt)
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"a/", "a0", true},
		{"a%", "a&", true},
		{"é", "\xc3\xaa", true},
		{"\U0010FFFF", "\xf4\x8f\xbf\xc0", true},
		{"a\xff", "b", true},
		{"\xff\xff", "", false},
	} {
		got, ok := prefixEnd(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestListObjectsPlan: listing is an index range scan on (bucket, key),
// bounded on both sides for a prefix, with no sort step.
func TestListObjectsPlan(t *testing.T) {
	st := openTemp(t)
	for _, tc := range []struct {
		prefix, after string
		want          string
	}{
		{"a/", "", "(bucket=? AND object_key>? AND object_key<?)"},
		{"a/", "a/b", "(bucket=? AND object_key>? AND object_key<?)"},
		{"", "x", "(bucket=? AND object_key>?)"},
		{"%_", "", "(bucket=? AND object_key>? AND object_key<?)"},
	} {
		q, args := listObjectsQuery("bkt", tc.prefix, tc.after, 1000)
		rows, err := st.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, "SEARCH objects USING INDEX") || !strings.Contains(got, tc.want) || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan for prefix %q after %q: %s", tc.prefix, tc.after, got)
		}
	}
}

func TestRelaxedSync(t *testing.T) {
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"), WithRelaxedSync())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var got string
	if err := st.w.QueryRowContext(t.Context(), "PRAGMA synchronous").Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got != "1" { // NORMAL
		t.Fatalf("synchronous = %s with WithRelaxedSync, want 1 (NORMAL)", got)
	}
}
