// Package blobtest is the conformance suite for blob.Store backends.
package blobtest

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/crossbucket/crossbucket/internal/blob"
)

// Run runs the suite. open must return a new, empty store on each call.
func Run(t *testing.T, open func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"CommitAndRead", testCommitAndRead},
		{"ReaderSeekAndReadAt", testReaderSeek},
		{"WriterLifecycle", testWriterLifecycle},
		{"Delete", testDelete},
		{"ConcurrentWriters", testConcurrentWriters},
		{"ConcurrentReadAt", testConcurrentReadAt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// Data returns n deterministic pseudo-random bytes for seed.
func Data(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// Write stores data in writes of at most chunk bytes and commits it.
func Write(t testing.TB, s blob.Store, data []byte, chunk int) string {
	t.Helper()
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	defer w.Abort()
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		n, err := w.Write(data[off:end])
		if err != nil || n != end-off {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	id, err := w.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if id == "" {
		t.Fatal("Commit returned an empty id")
	}
	return id
}

// ReadAll opens a blob and returns its bytes, checking Size.
func ReadAll(t testing.TB, s blob.Store, id string) []byte {
	t.Helper()
	r, err := s.Open(id)
	if err != nil {
		t.Fatalf("Open(%q): %v", id, err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %q: %v", id, err)
	}
	if r.Size() != int64(len(b)) {
		t.Fatalf("Size() = %d, read %d bytes", r.Size(), len(b))
	}
	return b
}

func testCommitAndRead(t *testing.T, s blob.Store) {
	ids := map[string]bool{}
	for _, tc := range []struct{ size, chunk int }{
		{0, 1}, {1, 1}, {100, 7}, {4096, 4096}, {1<<20 + 7, 1000}, {3<<20 + 1, 1 << 20},
	} {
		data := Data(uint64(tc.size), tc.size)
		id := Write(t, s, data, tc.chunk)
		if ids[id] {
			t.Fatalf("id %q returned twice", id)
		}
		ids[id] = true
		if got := ReadAll(t, s, id); !bytes.Equal(got, data) {
			t.Errorf("blob of %d bytes written in %d-byte writes read back differently", tc.size, tc.chunk)
		}
	}
	// Equal content gets distinct ids (ids are generated, not derived).
	a, b := Write(t, s, []byte("same"), 4), Write(t, s, []byte("same"), 4)
	if a == b {
		t.Errorf("two blobs share id %q", a)
	}
}

func testReaderSeek(t *testing.T, s blob.Store) {
	data := Data(1, 10000)
	id := Write(t, s, data, 333)
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, tc := range []struct {
		off     int64
		n       int
		want    int
		wantEOF bool
	}{
		{0, 10, 10, false}, {9990, 10, 10, false}, {9995, 10, 5, true}, {10000, 1, 0, true}, {5000, 5000, 5000, false},
	} {
		buf := make([]byte, tc.n)
		n, err := r.ReadAt(buf, tc.off)
		if n != tc.want || (err == io.EOF) != tc.wantEOF || (err != nil && err != io.EOF) {
			t.Errorf("ReadAt(%d bytes at %d) = %d, %v", tc.n, tc.off, n, err)
		}
		if !bytes.Equal(buf[:n], data[tc.off:tc.off+int64(n)]) {
			t.Errorf("ReadAt(%d bytes at %d) returned wrong bytes", tc.n, tc.off)
		}
	}
	for _, tc := range []struct {
		off    int64
		whence int
		pos    int64
	}{
		{100, io.SeekStart, 100}, {50, io.SeekCurrent, 150}, {-10, io.SeekEnd, 9990}, {0, io.SeekStart, 0},
	} {
		pos, err := r.Seek(tc.off, tc.whence)
		if err != nil || pos != tc.pos {
			t.Fatalf("Seek(%d, %d) = %d, %v; want %d", tc.off, tc.whence, pos, err, tc.pos)
		}
		rest, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(rest, data[pos:]) {
			t.Errorf("read after Seek to %d: %d bytes, %v", pos, len(rest), err)
		}
		if _, err := r.Seek(pos, io.SeekStart); err != nil {
			t.Fatal(err)
		}
	}
	if r.Size() != 10000 {
		t.Errorf("Size = %d", r.Size())
	}
}

func testWriterLifecycle(t *testing.T, s blob.Store) {
	// Abort, then nothing more is accepted; Abort is repeatable.
	w, err := s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("discard me")); err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Abort succeeded")
	}
	if id, err := w.Commit(); err == nil {
		t.Errorf("Commit after Abort returned id %q", id)
	}

	// Commit, then Abort is a no-op and the blob stays.
	w, err = s.Create(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("keep"))
	id, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if _, err := w.Write([]byte("x")); err == nil {
		t.Error("Write after Commit succeeded")
	}
	if _, err := w.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	if got := ReadAll(t, s, id); string(got) != "keep" {
		t.Errorf("blob after Abort-after-Commit = %q", got)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	id := Write(t, s, []byte("bye"), 3)
	other := Write(t, s, []byte("stay"), 4)
	// An open reader keeps working after Delete (POSIX semantics).
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := s.Delete(id); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Open(id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(id); err != nil {
		t.Errorf("Delete of a missing blob: %v", err)
	}
	if got := ReadAll(t, s, other); string(got) != "stay" {
		t.Errorf("Delete removed another blob: %q", got)
	}
	if _, err := s.Open("no-such-blob"); err == nil {
		t.Error("Open of an unknown id succeeded")
	}
}

func testConcurrentWriters(t *testing.T, s blob.Store) {
	const n = 16
	ids := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			ids[i] = Write(t, s, Data(uint64(100+i), 200_000+i), 1000+i)
		})
	}
	close(start)
	wg.Wait()
	seen := map[string]bool{}
	for i, id := range ids {
		if seen[id] {
			t.Fatalf("concurrent writers got the same id %q", id)
		}
		seen[id] = true
		if !bytes.Equal(ReadAll(t, s, id), Data(uint64(100+i), 200_000+i)) {
			t.Errorf("writer %d: blob content mixed up", i)
		}
	}
}

func testConcurrentReadAt(t *testing.T, s blob.Store) {
	data := Data(7, 1<<20)
	id := Write(t, s, data, 1<<16)
	r, err := s.Open(id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			buf := make([]byte, 4096)
			for i := range 64 {
				off := int64((g*64 + i) * 2048 % (len(data) - len(buf)))
				if _, err := r.ReadAt(buf, off); err != nil {
					t.Errorf("ReadAt %d: %v", off, err)
					return
				}
				if !bytes.Equal(buf, data[off:off+int64(len(buf))]) {
					t.Errorf("ReadAt %d: wrong bytes", off)
					return
				}
			}
		})
	}
	wg.Wait()
}
