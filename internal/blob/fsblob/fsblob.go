// Package fsblob keeps blobs as files in a local directory.
//
// Layout: dir/ab/cd/abcd… where abcd… is the blob id, 32 random lowercase
// hex characters (128 bits from crypto/rand), never derived from object
// keys. A blob is written to dir/tmp/ and on Commit is fsynced, renamed
// into place and its directory fsynced, so a blob id is only ever returned
// for whole, durable bytes. Open removes whatever is left in dir/tmp (an
// upload killed mid-way), so one directory must be used by one process.
package fsblob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/crossbucket/crossbucket/internal/blob"
)

var _ blob.Store = (*Store)(nil)

// ErrInvalidID is returned for an id that this store could never have
// made. Open's error also matches blob.ErrNotFound.
var ErrInvalidID = errors.New("fsblob: invalid blob id")

const (
	idLen  = 32 // hex characters
	tmpDir = "tmp"
)

// Store is a blob.Store in a directory. It is safe for concurrent use.
type Store struct {
	root string
	tmp  string
	// dirs remembers the fan-out directories this process has created or
	// seen and made durable, so each costs its fsyncs once.
	dirs sync.Map
	// noSync skips fsyncs (see NoSync).
	noSync bool
}

// Option configures Open.
type Option func(*Store)

// NoSync skips fsync: a committed blob survives a crash of the process
// (the bytes are in the kernel's page cache, renamed into place) but not
// a power loss. For test and CI use.
func NoSync() Option { return func(s *Store) { s.noSync = true } }

// Open opens (creating if needed) the blob directory and removes leftover
// temporary files.
func Open(dir string, opts ...Option) (*Store, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	s := &Store{root: root, tmp: filepath.Join(root, tmpDir)}
	for _, o := range opts {
		o(s)
	}
	if err := os.MkdirAll(s.tmp, 0o700); err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	entries, err := os.ReadDir(s.tmp)
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(s.tmp, e.Name())); err != nil {
			return nil, fmt.Errorf("fsblob: remove leftover temp file: %w", err)
		}
	}
	if len(entries) > 0 {
		slog.Info("fsblob: removed leftover temporary files", "dir", s.tmp, "count", len(entries))
	}
	return s, nil
}

// Create starts a new blob in the temp directory.
func (s *Store) Create(ctx context.Context) (blob.Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(s.tmp, "up-")
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	return newWriter(s, f), nil
}

// Open opens a committed blob. An unknown or invalid id gives an error
// matching blob.ErrNotFound.
func (s *Store) Open(id string) (blob.Reader, error) {
	p, err := s.path(id)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", blob.ErrNotFound, err)
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("fsblob: %s: %w", id, blob.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	return &reader{f: f, size: fi.Size()}, nil
}

// Delete removes a blob; a missing blob is not an error, an invalid id is
// ErrInvalidID.
func (s *Store) Delete(id string) error {
	p, err := s.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("fsblob: %w", err)
	}
	return nil
}

// path returns the file of a blob id, after checking the id is one this
// store could have made: exactly idLen lowercase hex characters, so no id
// can name a path outside the directory.
func (s *Store) path(id string) (string, error) {
	if !validID(id) {
		return "", fmt.Errorf("%w: %q", ErrInvalidID, id)
	}
	return filepath.Join(s.root, id[0:2], id[2:4], id), nil
}

func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func newID() string {
	var b [idLen / 2]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// ensureDirs creates dir/ab and dir/ab/cd for id if needed and makes their
// entries durable (fsync of each parent), once per process.
func (s *Store) ensureDirs(id string) error {
	a, ab := id[0:2], id[0:2]+"/"+id[2:4]
	if _, ok := s.dirs.Load(ab); ok {
		return nil
	}
	pa := filepath.Join(s.root, a)
	if _, ok := s.dirs.Load(a); !ok {
		if err := mkdirDurable(pa, s.root); err != nil {
			return err
		}
		s.dirs.Store(a, true)
	}
	if err := mkdirDurable(filepath.Join(pa, id[2:4]), pa); err != nil {
		return err
	}
	s.dirs.Store(ab, true)
	return nil
}

// mkdirDurable creates dir (if missing) and fsyncs its parent.
func mkdirDurable(dir, parent string) error {
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(parent)
}

// syncDir fsyncs a directory, making renames and creations in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
