-- Budgets (issue 16): token buckets shared by the nodes of a cluster, for
-- the limits per client address (tables created, failed attempts). A key
-- is a keyed hash (HMAC-SHA-256 with budget_secret's key) of what the
-- server limits, never a client address itself. A row whose bucket is full
-- again (full_at has passed) means no more than no row, and is deleted.
-- Times are the database's clock (now()), never a node's.

CREATE TABLE budgets (
	key     bytea            NOT NULL PRIMARY KEY,
	tokens  double precision NOT NULL,
	at      timestamptz      NOT NULL,
	full_at timestamptz      NOT NULL
);
CREATE INDEX budgets_full_at ON budgets (full_at);

CREATE TABLE budget_secret (
	one boolean NOT NULL PRIMARY KEY DEFAULT true CHECK (one),
	key bytea   NOT NULL
);
INSERT INTO budget_secret (key)
	VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
