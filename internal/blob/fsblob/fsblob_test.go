package fsblob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/crossbucket/crossbucket/internal/blob"
	"github.com/crossbucket/crossbucket/internal/blob/blobtest"
)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { s, _ := openTemp(t); return s })
}

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLayout(t *testing.T) {
	s, dir := openTemp(t)
	id := blobtest.Write(t, s, []byte("hello"), 5)
	if !validID(id) {
		t.Fatalf("Commit returned id %q outside the id alphabet", id)
	}
	want := filepath.Join(id[0:2], id[2:4], id)
	if got := files(t, dir); len(got) != 1 || got[0] != want {
		t.Fatalf("files = %q, want [%s]", got, want)
	}
	fi, err := os.Stat(filepath.Join(dir, want))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("blob mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	s, dir := openTemp(t)
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(bytes.Repeat([]byte("x"), 1<<20))
	if got := files(t, dir); len(got) != 1 || !strings.HasPrefix(got[0], tmpDir+string(filepath.Separator)) {
		t.Fatalf("during the write: files %q, want one temp file", got)
	}
	if err := w.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); len(got) != 0 {
		t.Fatalf("after Abort: files %q", got)
	}
}

// TestLeftoversRemovedAtOpen: an upload killed mid-way leaves a temp file,
// which the next Open removes; committed blobs stay.
func TestLeftoversRemovedAtOpen(t *testing.T) {
	s, dir := openTemp(t)
	id := blobtest.Write(t, s, []byte("committed"), 9)
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("half an upload")) // never committed nor aborted: the process "dies"
	if err := os.WriteFile(filepath.Join(dir, tmpDir, "stray"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, tmpDir, "straydir", "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, tmpDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("temp dir after Open has %d entries", len(entries))
	}
	if got := blobtest.ReadAll(t, s2, id); string(got) != "committed" {
		t.Errorf("committed blob after reopen = %q", got)
	}
}

func TestInvalidIDs(t *testing.T) {
	s, dir := openTemp(t)
	// A file outside the store that a traversal would reach.
	victim := filepath.Join(filepath.Dir(dir), "victim")
	if err := os.WriteFile(victim, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	good := blobtest.Write(t, s, []byte("x"), 1)
	bad := []string{
		"", ".", "..", "../victim", "/etc/passwd", "a/b", `a\b`, "tmp",
		strings.Repeat("0", 31), strings.Repeat("0", 33), strings.ToUpper(good), good + "\x00",
		good[:31] + "\x00", good[:31] + "/", good[:30] + "..", "../../" + good[:26], good[:31] + "g",
		"..%2F" + good[:27], good[:2] + "/" + good[3:],
	}
	for _, id := range bad {
		if _, err := s.Open(id); !errors.Is(err, ErrInvalidID) || !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrInvalidID and blob.ErrNotFound", id, err)
		}
		if err := s.Delete(id); !errors.Is(err, ErrInvalidID) {
			t.Errorf("Delete(%q) = %v, want ErrInvalidID", id, err)
		}
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "precious" {
		t.Fatalf("file outside the store touched: %q, %v", b, err)
	}
	if got := blobtest.ReadAll(t, s, good); string(got) != "x" {
		t.Errorf("valid blob after bad ids = %q", got)
	}
}

// TestLargeBlobStreams writes 64 MiB in 4 KiB writes: the bytes reach the
// temp file as they are written and memory stays small.
func TestLargeBlobStreams(t *testing.T) {
	const size, chunk = 64 << 20, 4 << 10
	s, dir := openTemp(t)
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	chunkData := blobtest.Data(3, chunk)
	h := sha256.New()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for off := 0; off < size; off += chunk {
		chunkData[0] = byte(off >> 12) // vary the content
		if _, err := w.Write(chunkData); err != nil {
			t.Fatal(err)
		}
		h.Write(chunkData)
	}
	runtime.ReadMemStats(&after)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("writing 64 MiB allocated %d bytes; the writer buffers", alloc)
	}
	tmp := files(t, dir)
	if len(tmp) != 1 {
		t.Fatalf("files during write: %q", tmp)
	}
	fi, err := os.Stat(filepath.Join(dir, tmp[0]))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() < size-bufSize {
		t.Errorf("temp file holds %d of %d bytes before Commit: not streamed", fi.Size(), size)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != size {
		t.Fatalf("Size = %d", r.Size())
	}
	h2 := sha256.New()
	if _, err := io.Copy(h2, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
		t.Error("64 MiB blob read back differently")
	}
}

// TestReadFrom: io.Copy into the writer uses its ReadFrom and keeps all bytes.
func TestReadFrom(t *testing.T) {
	s, _ := openTemp(t)
	data := blobtest.Data(9, 3<<20+5)
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data[:10]) // leaves bytes in the buffer before ReadFrom
	if _, err := io.Copy(w, bytes.NewReader(data[10:])); err != nil {
		t.Fatal(err)
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(blobtest.ReadAll(t, s, id), data) {
		t.Error("blob written via ReadFrom differs")
	}
}

func TestCreateCanceled(t *testing.T) {
	s, dir := openTemp(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.Create(ctx); err == nil {
		t.Error("Create with a canceled context succeeded")
	}
	if got := files(t, dir); len(got) != 0 {
		t.Errorf("files after canceled Create: %q", got)
	}
}
