package sqlstore

import (
	"embed"
	"errors"
	"io/fs"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is everything that differs between SQL engines. The queries in
// this package are written in the common subset of SQLite and PostgreSQL
// ($n placeholders, ON CONFLICT … DO UPDATE, BIGINT times, no LIKE), so a
// PostgreSQL backend adds a dialect value (driver, schema files with
// COLLATE "C" text or bytea keys, error classifier) and a connection setup;
// the queries stay as they are. One semantic difference to mind: SQLite's
// BEGIN IMMEDIATE serializes all writers, which is what makes the
// read-check-write of conditional puts atomic; PostgreSQL needs its write
// transactions at SERIALIZABLE (retrying serialization failures) or an
// advisory lock per (bucket, key). storetest's race tests catch a miss.
type dialect struct {
	name string
	// schema holds the migrations, named NNNN_description.sql, applied in order.
	schema fs.FS
	// isUnique reports a unique / primary key violation.
	isUnique func(error) bool
	// isForeignKey reports a foreign key violation.
	isForeignKey func(error) bool
}

//go:embed schema/sqlite/*.sql
var sqliteSchema embed.FS

var sqliteDialect = &dialect{
	name:   "sqlite",
	schema: mustSub(sqliteSchema, "schema/sqlite"),
	isUnique: func(err error) bool {
		c := sqliteCode(err)
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	},
	isForeignKey: func(err error) bool {
		return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	},
}

// sqliteCode returns the extended result code of a SQLite error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func mustSub(f fs.FS, dir string) fs.FS {
	s, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return s
}
