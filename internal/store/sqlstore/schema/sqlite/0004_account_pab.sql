-- Account-level S3 Block Public Access (S3 Control PutPublicAccessBlock),
-- one row per account that has one (internal/store/s3control.go).

CREATE TABLE account_public_access_blocks (
	account_id              TEXT    NOT NULL PRIMARY KEY,
	block_public_acls       INTEGER NOT NULL,
	ignore_public_acls      INTEGER NOT NULL,
	block_public_policy     INTEGER NOT NULL,
	restrict_public_buckets INTEGER NOT NULL
);
