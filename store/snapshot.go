package store

import (
	"context"
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

// LatestSnapshot returns the table's snapshot with the highest seq, or
// ErrNotFound if it has none.
func (db *DB) LatestSnapshot(ctx context.Context, table string) (Snapshot, error) {
	s, err := db.be.latestSnapshot(ctx, table)
	if err != nil {
		return Snapshot{}, fmt.Errorf("store: latest snapshot of %s: %w", table, err)
	}
	return s, nil
}
