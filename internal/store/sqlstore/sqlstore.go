// Package sqlstore keeps crossbucket's metadata (store.Store) in SQL. The
// SQLite backend (modernc.org/sqlite, pure Go) is the default: one database
// file in the data dir, in WAL mode, that several processes may open at
// once (the server and the `crossbucket account` CLI). Nothing is cached in
// the process, so a row committed by one process is seen by the next
// statement of every other.
//
// Writes go through a single connection and start with BEGIN IMMEDIATE, so
// they are serialized within the process by the pool and across processes
// by SQLite's write lock (waited for up to the busy timeout); a conditional
// write checks and writes inside that one transaction, so two racing
// If-None-Match: * puts have exactly one winner. Reads use a separate pool
// of query-only connections and see the last committed state.
//
// Durability: synchronous=FULL. In WAL mode NORMAL survives an application
// crash but may lose the last commits on power loss or an OS crash
// (https://www.sqlite.org/pragma.html#pragma_synchronous); object bytes
// are fsynced before their metadata is written, and metadata acknowledged
// to a client must be as durable as they are, so each commit syncs the WAL.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"github.com/crossbucket/crossbucket/internal/store"
)

var _ store.Store = (*Store)(nil)

// Store is a store.Store on a SQL database. It is safe for concurrent use.
type Store struct {
	w    *sql.DB // exactly one connection; every write goes through it
	r    *sql.DB // query-only connections for reads
	d    *dialect
	log  *slog.Logger
	once sync.Once
	cerr error

	prepOnce sync.Once
	getObj   *sql.Stmt // prepared GetObject query (see getObjectStmt)
}

// Option configures Open.
type Option func(*options)

type options struct {
	busyTimeout time.Duration
	readers     int
	log         *slog.Logger
	relaxed     bool
}

// WithRelaxedSync trades power-loss durability for speed: synchronous=NORMAL,
// under which WAL commits survive a crash of the process but the last
// commits may be lost if the machine loses power. For test and CI use.
func WithRelaxedSync() Option {
	return func(o *options) { o.relaxed = true }
}

// WithBusyTimeout sets how long a statement waits for another connection's
// (or process's) lock before failing with "database is locked". Default 10s.
func WithBusyTimeout(d time.Duration) Option {
	return func(o *options) { o.busyTimeout = d }
}

// WithReaders sets the size of the read connection pool. Default
// max(4, GOMAXPROCS).
func WithReaders(n int) Option {
	return func(o *options) { o.readers = n }
}

// WithLogger sets the logger for schema migrations. Default slog.Default().
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.log = l }
}

// Open opens (creating and migrating if needed) the SQLite database at dsn:
// a file path, or a "file:" URI (query parameters are kept; this package
// appends its own pragmas). In-memory databases are refused: the reader
// and writer pools must share one file. A new file is created with mode
// 0600 since it holds secret access keys.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	o := options{busyTimeout: 10 * time.Second, readers: max(4, runtime.GOMAXPROCS(0)), log: slog.Default()}
	for _, f := range opts {
		f(&o)
	}
	if o.readers < 1 {
		o.readers = 1
	}
	wdsn, rdsn, err := sqliteDSNs(dsn, o.busyTimeout, o.relaxed)
	if err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", wdsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, d: sqliteDialect, log: o.log}
	if err := migrate(ctx, w, s.d, o.log); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", rdsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	r.SetMaxOpenConns(o.readers)
	r.SetMaxIdleConns(o.readers)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("sqlstore: open readers: %w", err)
	}
	s.r = r
	return s, nil
}

// Close closes the database. It is safe to call more than once.
func (s *Store) Close() error {
	s.once.Do(func() {
		s.prepOnce.Do(func() {}) // no statement is prepared after Close
		var serr error
		if s.getObj != nil {
			serr = s.getObj.Close()
		}
		s.cerr = errors.Join(serr, s.r.Close(), s.w.Close())
	})
	return s.cerr
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE), committing when fn
// returns nil and rolling back otherwise (also when fn panics).
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = tx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// wrap adds context to an unexpected database error; store sentinel errors
// pass through unchanged.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	for _, e := range sentinels {
		if errors.Is(err, e) {
			return err
		}
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

var sentinels = []error{
	store.ErrNotFound, store.ErrExists, store.ErrNoSuchBucket, store.ErrNoSuchUpload,
	store.ErrBucketNotEmpty, store.ErrPrecondition,
}
