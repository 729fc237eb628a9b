package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"strconv"
	"strings"
)

// migration is one schema file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations reads the dialect's schema files, NNNN_description.sql, in
// version order.
func migrations(d *dialect) ([]migration, error) {
	names, err := fs.Glob(d.schema, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: bad migration name %q", n)
		}
		b, err := fs.ReadFile(d.schema, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: n, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i := range ms {
		if ms[i].version != i+1 {
			return nil, fmt.Errorf("sqlstore: migrations must be numbered 1..n, found %q", ms[i].name)
		}
	}
	return ms, nil
}

// migrate brings the schema up to date in one write transaction, so two
// processes opening a new database at once do not both apply it. A
// database newer than this binary is refused rather than misread.
func migrate(ctx context.Context, db *sql.DB, d *dialect, log *slog.Logger) error {
	ms, err := migrations(d)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	var cur int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&cur); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	if cur > len(ms) {
		return fmt.Errorf("sqlstore: database schema version %d is newer than this program supports (%d)", cur, len(ms))
	}
	for _, m := range ms[cur:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return fmt.Errorf("sqlstore: migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM schema_version`); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, m.version); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
		level := slog.LevelDebug // a new database
		if cur > 0 {
			level = slog.LevelInfo // an upgrade
		}
		log.Log(ctx, level, "sqlstore: applied schema migration", "dialect", d.name, "migration", m.name)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return nil
}
