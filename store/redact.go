package store

import (
	"context"
	"fmt"
)

// Redact rewrites what a table's stored events say, for erasing a
// person's data on request (GDPR): f sees each event with seq ≤ through
// and returns its new data when it changes. In one transaction the
// changed events are rewritten, every snapshot of the table is deleted
// (they were made from the old events) and the table's snapshot floor is
// raised to through, so that a snapshot of an older state, which a live
// server may still send, is refused (ErrConflict) rather than stored. On
// SQLite the rewritten bytes are then scrubbed from the files, as for a
// deleted table; on PostgreSQL they stay in its files until vacuum.
// It returns how many events changed.
func (db *DB) Redact(ctx context.Context, table string, through int64, f func(Event) ([]byte, bool, error)) (int, error) {
	events, err := db.Events(ctx, table, 0, 0)
	if err != nil {
		return 0, err
	}
	changed := map[int64][]byte{}
	for _, e := range events {
		if e.Seq > through {
			break
		}
		data, ok, err := f(e)
		if err != nil {
			return 0, fmt.Errorf("store: redact %s seq %d: %w", table, e.Seq, err)
		}
		if ok {
			changed[e.Seq] = data
		}
	}
	if err := db.be.redact(ctx, table, through, changed); err != nil {
		return 0, fmt.Errorf("store: redact %s: %w", table, err)
	}
	if err := db.be.scrub(ctx); err != nil {
		return len(changed), fmt.Errorf("store: table %s redacted, but: %w", table, err)
	}
	return len(changed), nil
}
