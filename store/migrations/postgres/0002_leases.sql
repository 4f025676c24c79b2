-- Leases (issue 16): which node owns a live table, until when, and in which epoch.
-- A table without a row here has never been leased: its epoch is 0.
-- The epoch only ever grows, so a former owner's epoch never comes back.
-- Expiries are the database's clock (now()), never a node's.

CREATE TABLE leases (
	table_id   text        COLLATE "C" NOT NULL PRIMARY KEY REFERENCES tables (id) ON DELETE CASCADE,
	node       text        NOT NULL,                   -- '' once released
	epoch      bigint      NOT NULL CHECK (epoch > 0),
	expires_at timestamptz NOT NULL
);
