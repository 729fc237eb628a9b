-- Initial schema. Text columns use SQLite's default BINARY collation, so
-- keys and names compare by their UTF-8 bytes (S3 order). PostgreSQL: use
-- COLLATE "C" (or bytea for object keys, since text cannot hold NUL).
-- Times are Unix nanoseconds, UTC.

CREATE TABLE accounts (
	id           TEXT    NOT NULL PRIMARY KEY,
	alias        TEXT    NOT NULL,
	canonical_id TEXT    NOT NULL UNIQUE,
	created_at   BIGINT  NOT NULL
);

CREATE TABLE access_keys (
	id         TEXT   NOT NULL PRIMARY KEY,
	secret     TEXT   NOT NULL,
	account_id TEXT   NOT NULL REFERENCES accounts (id),
	user_name  TEXT   NOT NULL,
	status     TEXT   NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX access_keys_by_account ON access_keys (account_id, user_name);

CREATE TABLE buckets (
	name                TEXT   NOT NULL PRIMARY KEY,
	account_id          TEXT   NOT NULL REFERENCES accounts (id),
	region              TEXT   NOT NULL,
	created_at          BIGINT NOT NULL,
	ownership           TEXT   NOT NULL,
	public_access_block TEXT,            -- JSON; NULL when none is configured
	policy              TEXT   NOT NULL,
	acl                 TEXT   NOT NULL
);
CREATE INDEX buckets_by_account ON buckets (account_id, name);

CREATE TABLE objects (
	bucket        TEXT   NOT NULL REFERENCES buckets (name),
	object_key    TEXT   NOT NULL,
	size          BIGINT NOT NULL,
	etag          TEXT   NOT NULL,
	last_modified BIGINT NOT NULL,
	checksum      TEXT   NOT NULL,
	meta          TEXT   NOT NULL, -- JSON of store.ObjectMeta
	segments      TEXT   NOT NULL, -- JSON of []store.Segment
	PRIMARY KEY (bucket, object_key)
);

CREATE TABLE uploads (
	id            TEXT   NOT NULL PRIMARY KEY,
	bucket        TEXT   NOT NULL REFERENCES buckets (name),
	object_key    TEXT   NOT NULL,
	initiated     BIGINT NOT NULL,
	initiator_arn TEXT   NOT NULL,
	initiator_id  TEXT   NOT NULL,
	meta          TEXT   NOT NULL -- JSON of store.ObjectMeta
);
CREATE INDEX uploads_by_key ON uploads (bucket, object_key, initiated, id);

CREATE TABLE parts (
	upload_id     TEXT    NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
	number        INTEGER NOT NULL,
	blob_id       TEXT    NOT NULL,
	size          BIGINT  NOT NULL,
	etag          TEXT    NOT NULL,
	checksum      TEXT    NOT NULL,
	last_modified BIGINT  NOT NULL,
	PRIMARY KEY (upload_id, number)
);
