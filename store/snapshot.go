package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// keepSnapshots is how many snapshots per table survive a save. Two, so a
// snapshot that turns out unreadable still leaves an older one to fall back on.
const keepSnapshots = 2

// Snapshot is a table's folded state, saved so a table can be loaded
// without replaying its whole log.
type Snapshot struct {
	Table   string // in a Batch, "" means the batch's table
	Seq     int64  // state after applying events up to and including Seq
	Version int    // format version of Data, chosen by the caller
	Data    []byte
}

// saveSnapshot stores s, replacing a snapshot at the same seq, and deletes
// all but the keepSnapshots newest snapshots of the table.
func saveSnapshot(ctx context.Context, tx *sql.Tx, table string, s Snapshot) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO snapshots (table_id, seq, version, data)
		VALUES (?, ?, ?, ?)
		ON CONFLICT (table_id, seq) DO UPDATE SET version = excluded.version, data = excluded.data`,
		table, s.Seq, s.Version, s.Data); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE table_id = ?1 AND seq < (
		SELECT MIN(seq) FROM (SELECT seq FROM snapshots WHERE table_id = ?1 ORDER BY seq DESC LIMIT ?2))`,
		table, keepSnapshots)
	return err
}

// LatestSnapshot returns the table's snapshot with the highest seq, or
// ErrNotFound if it has none.
func (db *DB) LatestSnapshot(ctx context.Context, table string) (Snapshot, error) {
	var s Snapshot
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = latestSnapshot(ctx, tx, table)
		return err
	})
	if err != nil {
		return Snapshot{}, fmt.Errorf("store: latest snapshot of %s: %w", table, err)
	}
	return s, nil
}

func latestSnapshot(ctx context.Context, tx *sql.Tx, table string) (Snapshot, error) {
	s := Snapshot{Table: table}
	err := tx.QueryRowContext(ctx, `SELECT seq, version, data FROM snapshots
		WHERE table_id = ? ORDER BY seq DESC LIMIT 1`, table).Scan(&s.Seq, &s.Version, &s.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return Snapshot{}, ErrNotFound
	}
	if err != nil {
		return Snapshot{}, err
	}
	return s, nil
}
