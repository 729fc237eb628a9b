package sqlstore

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// sqliteDSNs turns a path or file: URI into the writer's and the readers'
// connection strings (modernc.org/sqlite syntax: repeated _pragma=… are run
// on every new connection, busy_timeout first; _txlock=immediate makes
// BeginTx issue BEGIN IMMEDIATE).
func sqliteDSNs(dsn string, busy time.Duration, relaxed bool) (writer, reader string, err error) {
	uri, err := sqliteURI(dsn)
	if err != nil {
		return "", "", err
	}
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	common := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)", busy.Milliseconds())
	sync := "FULL"
	if relaxed {
		sync = "NORMAL"
	}
	writer = uri + sep + common + "&_pragma=journal_mode(WAL)&_pragma=synchronous(" + sync + ")&_txlock=immediate"
	reader = uri + sep + common + "&_pragma=query_only(1)"
	return writer, reader, nil
}

// sqliteURI returns dsn as a file: URI, creating a missing database file
// with mode 0600 when dsn is a plain path.
func sqliteURI(dsn string) (string, error) {
	if dsn == "" {
		return "", errors.New("sqlstore: empty database path")
	}
	if strings.HasPrefix(dsn, "file:") {
		if strings.HasPrefix(dsn, "file::memory:") || strings.Contains(dsn, "mode=memory") {
			return "", errors.New("sqlstore: in-memory databases are not supported")
		}
		return dsn, nil
	}
	if dsn == ":memory:" {
		return "", errors.New("sqlstore: in-memory databases are not supported")
	}
	abs, err := filepath.Abs(dsn)
	if err != nil {
		return "", fmt.Errorf("sqlstore: %w", err)
	}
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return "", fmt.Errorf("sqlstore: %w", err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("sqlstore: %w", err)
	}
	// Escape '?', '#' and '%' so they stay part of the path.
	return "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath(), nil
}
