package fsblob

import (
	"io"
	"os"
)

// reader reads a committed blob straight from its file. Read and Seek
// share an offset; ReadAt is independent and safe for concurrent use.
type reader struct {
	f    *os.File
	size int64
}

func (r *reader) Read(p []byte) (int, error)              { return r.f.Read(p) }
func (r *reader) ReadAt(p []byte, off int64) (int, error) { return r.f.ReadAt(p, off) }
func (r *reader) Seek(off int64, whence int) (int64, error) {
	return r.f.Seek(off, whence)
}
func (r *reader) Close() error { return r.f.Close() }

// Size is the blob's length in bytes.
func (r *reader) Size() int64 { return r.size }

// WriteTo copies the rest of the blob to w, letting the os package use
// sendfile/splice where w allows it.
func (r *reader) WriteTo(w io.Writer) (int64, error) { return r.f.WriteTo(w) }
