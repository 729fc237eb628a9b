// Package blob holds object bytes. Blobs are addressed by generated ids,
// never by object keys, and become visible only when whole and durable.
package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound is returned for an unknown blob id.
var ErrNotFound = errors.New("blob: not found")

// Store keeps immutable blobs.
type Store interface {
	// Create starts a new blob. Write to it, then Commit (durable, returns
	// the id) or Abort (discards everything written).
	Create(ctx context.Context) (Writer, error)
	// Open opens a committed blob for reading at any offset.
	Open(id string) (Reader, error)
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(id string) error
}

// Writer receives a blob's bytes.
type Writer interface {
	io.Writer
	// Commit makes the bytes durable (fsync) and returns the blob id.
	Commit() (id string, err error)
	// Abort discards the blob. Safe to call after Commit (no-op).
	Abort() error
}

// Reader reads a committed blob.
type Reader interface {
	io.ReaderAt
	io.ReadSeekCloser
	Size() int64
}
