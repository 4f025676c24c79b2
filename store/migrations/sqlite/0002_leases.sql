-- Leases (issue 16): which node owns a live table, until when, and in which epoch.
-- A table without a row here has never been leased: its epoch is 0.
-- The epoch only ever grows, so a former owner's epoch never comes back.

CREATE TABLE leases (
	table_id   TEXT    NOT NULL PRIMARY KEY REFERENCES tables (id) ON DELETE CASCADE,
	node       TEXT    NOT NULL,                   -- '' once released
	epoch      INTEGER NOT NULL CHECK (epoch > 0),
	expires_at INTEGER NOT NULL                    -- unix microseconds, by the database's clock
) STRICT;
