-- A resident link may allow rewind (回看) of its own window: how many minutes back a resident may play, 0 = none
-- (the default: residents watch live only unless the issuer says otherwise). Issue #17.
ALTER TABLE share_links ADD COLUMN rewind_minutes BIGINT NOT NULL DEFAULT 0;
