-- IAM entities (internal/store/iam.go). Names are unique within an account
-- ignoring case: name_lower is the name lower-cased (IAM names are ASCII),
-- and lists are ordered by it. References between entities use their
-- unique ids (AIDA…, AGPA…, AROA…, ANPA…, AIPA…), which survive renames.
-- Tags are JSON arrays of {"Key","Value"}. Times are Unix nanoseconds, UTC.

-- iam_versions counts every IAM write of an account, so readers can cache.
CREATE TABLE iam_versions (
	account_id TEXT   NOT NULL PRIMARY KEY REFERENCES accounts (id),
	version    BIGINT NOT NULL
);

CREATE TABLE iam_users (
	account_id TEXT   NOT NULL REFERENCES accounts (id),
	name_lower TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	path       TEXT   NOT NULL,
	id         TEXT   NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	boundary   TEXT   NOT NULL, -- managed policy ARN, '' when none
	tags       TEXT   NOT NULL,
	PRIMARY KEY (account_id, name_lower)
);

CREATE TABLE iam_groups (
	account_id TEXT   NOT NULL REFERENCES accounts (id),
	name_lower TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	path       TEXT   NOT NULL,
	id         TEXT   NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (account_id, name_lower)
);

CREATE TABLE iam_group_members (
	group_id TEXT NOT NULL REFERENCES iam_groups (id),
	user_id  TEXT NOT NULL REFERENCES iam_users (id),
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX iam_group_members_by_user ON iam_group_members (user_id);

CREATE TABLE iam_roles (
	account_id  TEXT   NOT NULL REFERENCES accounts (id),
	name_lower  TEXT   NOT NULL,
	name        TEXT   NOT NULL,
	path        TEXT   NOT NULL,
	id          TEXT   NOT NULL UNIQUE,
	created_at  BIGINT NOT NULL,
	trust       TEXT   NOT NULL,
	description TEXT   NOT NULL,
	max_session BIGINT NOT NULL,
	boundary    TEXT   NOT NULL,
	tags        TEXT   NOT NULL,
	PRIMARY KEY (account_id, name_lower)
);

-- Inline policies of users, groups and roles, by the entity's id.
CREATE TABLE iam_inline_policies (
	entity_id  TEXT   NOT NULL,
	name_lower TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	document   TEXT   NOT NULL,
	size       BIGINT NOT NULL,
	PRIMARY KEY (entity_id, name_lower)
);

-- Managed policies (customer's or AWS's, by ARN) attached to entities.
CREATE TABLE iam_attachments (
	account_id  TEXT   NOT NULL REFERENCES accounts (id),
	entity_id   TEXT   NOT NULL,
	entity_kind TEXT   NOT NULL, -- user, group, role
	policy_arn  TEXT   NOT NULL,
	attached_at BIGINT NOT NULL,
	PRIMARY KEY (entity_id, policy_arn)
);
CREATE INDEX iam_attachments_by_policy ON iam_attachments (account_id, policy_arn);

CREATE TABLE iam_policies (
	account_id      TEXT   NOT NULL REFERENCES accounts (id),
	name_lower      TEXT   NOT NULL,
	name            TEXT   NOT NULL,
	path            TEXT   NOT NULL,
	arn             TEXT   NOT NULL,
	id              TEXT   NOT NULL UNIQUE,
	description     TEXT   NOT NULL,
	default_version TEXT   NOT NULL,
	next_version    BIGINT NOT NULL, -- number of the next version id (never reused)
	created_at      BIGINT NOT NULL,
	updated_at      BIGINT NOT NULL,
	tags            TEXT   NOT NULL,
	PRIMARY KEY (account_id, name_lower)
);

CREATE TABLE iam_policy_versions (
	policy_id  TEXT   NOT NULL REFERENCES iam_policies (id),
	version_id TEXT   NOT NULL,
	number     BIGINT NOT NULL,
	document   TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (policy_id, version_id)
);

CREATE TABLE iam_instance_profiles (
	account_id TEXT   NOT NULL REFERENCES accounts (id),
	name_lower TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	path       TEXT   NOT NULL,
	id         TEXT   NOT NULL UNIQUE,
	created_at BIGINT NOT NULL,
	tags       TEXT   NOT NULL,
	PRIMARY KEY (account_id, name_lower)
);

CREATE TABLE iam_instance_profile_roles (
	profile_id TEXT NOT NULL PRIMARY KEY REFERENCES iam_instance_profiles (id),
	role_id    TEXT NOT NULL REFERENCES iam_roles (id)
);
CREATE INDEX iam_instance_profile_roles_by_role ON iam_instance_profile_roles (role_id);
