-- The event log is the source of truth; tables and snapshots only make it fast to use.
-- Times are unix microseconds, UTC.

CREATE TABLE tables (
	id         TEXT    NOT NULL PRIMARY KEY,
	code       TEXT    NOT NULL UNIQUE,
	title      TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'locked', 'closed')),
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	closed_at  INTEGER,
	last_seq   INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
) STRICT;

CREATE INDEX tables_closed_at ON tables (closed_at);
CREATE INDEX tables_created_at ON tables (created_at);

CREATE TABLE events (
	table_id TEXT    NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL CHECK (seq > 0),
	at       INTEGER NOT NULL,
	actor    TEXT    NOT NULL,
	type     TEXT    NOT NULL,
	data     TEXT    NOT NULL,
	op       TEXT,
	PRIMARY KEY (table_id, seq)
) STRICT, WITHOUT ROWID;

-- An op key is a client's idempotency key: at most one event per table carries it.
CREATE UNIQUE INDEX events_op ON events (table_id, op) WHERE op IS NOT NULL;

-- A rowid table on purpose: snapshots are large blobs, which WITHOUT ROWID tables store badly.
CREATE TABLE snapshots (
	table_id TEXT    NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	seq      INTEGER NOT NULL CHECK (seq > 0),
	version  INTEGER NOT NULL,
	data     BLOB    NOT NULL,
	PRIMARY KEY (table_id, seq)
) STRICT;
