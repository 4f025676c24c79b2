-- Redaction (issue 14): after a person's data was erased from a table's
-- events, no snapshot older than the erasure may be stored again.

ALTER TABLE tables ADD COLUMN snapshot_floor INTEGER NOT NULL DEFAULT 0;
