-- Budgets (issue 16): token buckets shared by the nodes of a cluster, for
-- the limits per client address (tables created, failed attempts). A key
-- is a keyed hash (HMAC-SHA-256 with budget_secret's key) of what the
-- server limits, never a client address itself. A row whose bucket is full
-- again (full_at has passed) means no more than no row, and is deleted.
-- Times are microseconds since 1970. (A SQLite file is one machine's: the
-- server keeps these limits in memory, but the store's contract is the same.)

CREATE TABLE budgets (
	key     BLOB    NOT NULL PRIMARY KEY,
	tokens  REAL    NOT NULL,
	at      INTEGER NOT NULL,
	full_at INTEGER NOT NULL
) STRICT;
CREATE INDEX budgets_full_at ON budgets (full_at);

CREATE TABLE budget_secret (
	one INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
	key BLOB    NOT NULL
) STRICT;
INSERT INTO budget_secret (one, key) VALUES (1, randomblob(32));
