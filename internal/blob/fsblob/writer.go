package fsblob

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// bufSize batches small writes into larger write syscalls; the bytes go to
// the temp file as they arrive, so memory stays bounded by this.
const bufSize = 256 << 10

var errDone = errors.New("fsblob: blob already committed or aborted")

// writer writes one blob to a temp file. Not safe for concurrent use.
type writer struct {
	s    *Store
	f    *os.File
	bw   *bufio.Writer
	done bool
}

func newWriter(s *Store, f *os.File) *writer {
	return &writer{s: s, f: f, bw: bufio.NewWriterSize(f, bufSize)}
}

// Write appends p to the blob.
func (w *writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, errDone
	}
	return w.bw.Write(p)
}

// ReadFrom appends all of r, letting large copies bypass the buffer.
func (w *writer) ReadFrom(r io.Reader) (int64, error) {
	if w.done {
		return 0, errDone
	}
	return w.bw.ReadFrom(r)
}

// Commit flushes and fsyncs the file, renames it into place under a new
// id and fsyncs the directory. On error the blob is discarded.
func (w *writer) Commit() (string, error) {
	if w.done {
		return "", errDone
	}
	w.done = true
	id := newID()
	if err := w.commit(id); err != nil {
		w.f.Close()
		os.Remove(w.f.Name())
		return "", fmt.Errorf("fsblob: commit: %w", err)
	}
	return id, nil
}

func (w *writer) commit(id string) error {
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if !w.s.noSync {
		if err := w.f.Sync(); err != nil {
			return err
		}
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	if err := w.s.ensureDirs(id); err != nil {
		return err
	}
	final, err := w.s.path(id)
	if err != nil {
		return err
	}
	// 128 random bits: an existing file is never overwritten in practice.
	if err := os.Rename(w.f.Name(), final); err != nil {
		return err
	}
	if w.s.noSync {
		return nil
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		os.Remove(final) // not durable, so not committed
		return err
	}
	return nil
}

// Abort discards the blob; after Commit or Abort it does nothing.
func (w *writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	cerr := w.f.Close()
	if err := os.Remove(w.f.Name()); err != nil {
		return fmt.Errorf("fsblob: abort: %w", err)
	}
	if cerr != nil {
		return fmt.Errorf("fsblob: abort: %w", cerr)
	}
	return nil
}
