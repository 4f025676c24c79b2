-- The event log is the source of truth; tables and snapshots only make it fast to use.
-- The same schema as migrations/sqlite/0001_init.sql. Times are unix microseconds, UTC.
-- Ids, codes and op keys compare and sort byte by byte (COLLATE "C"), as in SQLite,
-- whatever the database's locale.

CREATE TABLE tables (
	id         text   COLLATE "C" NOT NULL PRIMARY KEY,
	code       text   COLLATE "C" NOT NULL UNIQUE,
	title      text   NOT NULL DEFAULT '',
	status     text   NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'locked', 'closed')),
	created_at bigint NOT NULL,
	updated_at bigint NOT NULL,
	closed_at  bigint,
	last_seq   bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

CREATE INDEX tables_closed_at ON tables (closed_at);
CREATE INDEX tables_created_at ON tables (created_at);

-- No foreign key to tables here, unlike SQLite: PostgreSQL checks one row at a time, which
-- halved the rate of group commits (measured with BenchmarkAppend). The store keeps the rule
-- itself: an append locks its table's row and finds it before inserting, and a delete removes
-- the table's row first (under the same lock) and then its events, in one transaction.
CREATE TABLE events (
	table_id text   COLLATE "C" NOT NULL,
	seq      bigint NOT NULL CHECK (seq > 0),
	at       bigint NOT NULL,
	actor    text   NOT NULL,
	type     text   NOT NULL,
	data     text   NOT NULL,
	op       text   COLLATE "C",
	PRIMARY KEY (table_id, seq)
);

-- An op key is a client's idempotency key: at most one event per table carries it.
CREATE UNIQUE INDEX events_op ON events (table_id, op) WHERE op IS NOT NULL;

CREATE TABLE snapshots (
	table_id text    COLLATE "C" NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
	seq      bigint  NOT NULL CHECK (seq > 0),
	version  integer NOT NULL,
	data     bytea   NOT NULL,
	PRIMARY KEY (table_id, seq)
);
