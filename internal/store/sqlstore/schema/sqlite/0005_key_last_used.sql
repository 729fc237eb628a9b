-- When, where and for which service each access key was last used
-- (IAM GetAccessKeyLastUsed). 0 / '' mean never.
ALTER TABLE access_keys ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE access_keys ADD COLUMN last_used_service TEXT NOT NULL DEFAULT '';
ALTER TABLE access_keys ADD COLUMN last_used_region TEXT NOT NULL DEFAULT '';
