-- Emulated EC2 instances (internal/store/ec2.go). The columns that queries
-- select on are kept beside a JSON document of the whole store.Instance.
-- association_id is NULL when the instance has no instance profile; it is
-- unique across instances. Times are Unix nanoseconds, UTC.

CREATE TABLE ec2_instances (
	id               TEXT    NOT NULL PRIMARY KEY,
	account_id       TEXT    NOT NULL,
	region           TEXT    NOT NULL,
	state            TEXT    NOT NULL,
	state_changed_at BIGINT  NOT NULL,
	association_id   TEXT    UNIQUE,
	imds_port        INTEGER NOT NULL,
	data             TEXT    NOT NULL -- JSON of store.Instance
);
CREATE INDEX ec2_instances_by_owner ON ec2_instances (account_id, region, id);
CREATE INDEX ec2_instances_by_state ON ec2_instances (state, id);
