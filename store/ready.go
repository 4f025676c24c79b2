package store

import (
	"context"
	"errors"
	"fmt"
)

// Ready reports whether the database can take the server's writes now:
// the store is open, its schema is the newest this program carries, and
// the writer connection can begin a write transaction and write in it.
// The write changes no row and the transaction is rolled back, so a check
// costs the writer a few tens of microseconds and leaves nothing behind.
//
// It catches a closed store, a schema another release has changed, a file
// that SQLite opened read-only (its permissions, an immutable file) and a
// writer that cannot get the write lock before ctx ends (a long commit,
// another process holding the lock). It cannot catch a full disk: nothing
// reaches the disk until a commit. Its errors are short and name no path.
func (db *DB) Ready(ctx context.Context) error {
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return errors.New("store: ready: the database is closed")
	}
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("store: ready: %w", err)
	}
	want := 0
	if len(ms) > 0 {
		want = ms[len(ms)-1].version
	}
	// The writer's transactions begin IMMEDIATE: this takes the write lock.
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: ready: begin a write: %w", err)
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return fmt.Errorf("store: ready: read the schema version: %w", err)
	}
	if have != want {
		return fmt.Errorf("store: ready: the schema is version %d, this program's is %d", have, want)
	}
	// BEGIN IMMEDIATE succeeds even on a file SQLite could open only for
	// reading; a write statement does not, although it matches no row.
	if _, err := tx.ExecContext(ctx, "UPDATE schema_migrations SET applied_at = applied_at WHERE version < 0"); err != nil {
		return fmt.Errorf("store: ready: write: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("store: ready: roll back: %w", err)
	}
	return nil
}
