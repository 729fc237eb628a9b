package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/crossbucket/crossbucket/internal/blob/fsblob"
	"github.com/crossbucket/crossbucket/internal/store/sqlstore"
)

const defaultDataDir = "crossbucket-data"

// openMeta opens (creating if needed) the metadata database of a data dir.
func openMeta(ctx context.Context, dir string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	st, err := sqlstore.Open(ctx, filepath.Join(dir, "meta.db"), opts...)
	if err != nil {
		return nil, fmt.Errorf("open metadata: %w", err)
	}
	return st, nil
}

// openBlobs opens the object byte store of a data dir.
func openBlobs(dir string, opts ...fsblob.Option) (*fsblob.Store, error) {
	b, err := fsblob.Open(filepath.Join(dir, "blobs"), opts...)
	if err != nil {
		return nil, fmt.Errorf("open blobs: %w", err)
	}
	return b, nil
}
