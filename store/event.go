package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Event is one entry of a table's append-only log.
type Event struct {
	Table string    // table id (uuid string)
	Seq   int64     // 1-based, gapless per table, assigned by the caller
	Time  time.Time // stored as unix microseconds; read back in UTC
	Actor string    // e.g. "facilitator", "p:<uuid>", "scribe:<uuid>", "system"
	Type  string    // e.g. "idea.added"
	Data  []byte    // JSON, stored as TEXT
	Op    string    // optional idempotency key; "" means none (stored as NULL)
}

// Batch is one table's events to append atomically, with the changes to the
// table's index row and an optional snapshot that go with them.
type Batch struct {
	Table  string
	Events []Event // seqs must continue the table's log; each Event.Table is Table or ""
	Title  string  // if non-empty, becomes the table's title
	// Status, if non-empty, becomes the table's status. Moving to "closed"
	// sets ClosedAt to the last event's time; moving away clears it.
	Status   string
	Snapshot *Snapshot // optional; only the 2 newest snapshots per table are kept
	// Epoch is the epoch of the writer's lease on the table (AcquireLease),
	// or 0 for a writer that takes no leases. The store refuses the batch
	// with ErrFenced unless it is the table's current epoch: see lease.go.
	Epoch int64
}

const (
	// A group commit takes at most this many requests or, roughly, events.
	maxGroupReqs   = 256
	maxGroupEvents = 10000
)

// errClosed is returned by Append after Close.
var errClosed = errors.New("database is closed")

// appendReq is one Append call waiting for the writer goroutine.
type appendReq struct {
	ctx  context.Context
	b    Batch
	done chan error // buffered, so the writer never waits for a caller
}

func validateEvent(e Event) error {
	switch {
	case e.Seq < 1:
		return fmt.Errorf("event seq %d: want 1 or more", e.Seq)
	case e.Time.IsZero():
		return fmt.Errorf("event seq %d: zero time", e.Seq)
	case e.Actor == "":
		return fmt.Errorf("event seq %d: empty actor", e.Seq)
	case e.Type == "":
		return fmt.Errorf("event seq %d: empty type", e.Seq)
	}
	return nil
}

// validateBatch checks what can be checked without the database, so a
// malformed batch never reaches, or spoils, a group commit.
func validateBatch(b Batch) error {
	if b.Table == "" {
		return errors.New("empty table id")
	}
	if b.Epoch < 0 {
		return fmt.Errorf("negative epoch %d", b.Epoch)
	}
	if b.Status != "" && !validStatus(b.Status) {
		return fmt.Errorf("invalid status %q", b.Status)
	}
	if len(b.Events) == 0 && (b.Title != "" || b.Status != "") {
		// The log is the source of truth: every change to the table needs
		// an event that records it.
		return errors.New("title or status change without an event")
	}
	for i, e := range b.Events {
		if e.Table != "" && e.Table != b.Table {
			return fmt.Errorf("event seq %d belongs to table %q", e.Seq, e.Table)
		}
		if err := validateEvent(e); err != nil {
			return err
		}
		if i > 0 && e.Seq != b.Events[i-1].Seq+1 {
			return fmt.Errorf("%w: event seqs %d and %d are not consecutive", ErrConflict, b.Events[i-1].Seq, e.Seq)
		}
	}
	if s := b.Snapshot; s != nil {
		switch {
		case s.Table != "" && s.Table != b.Table:
			return fmt.Errorf("snapshot belongs to table %q", s.Table)
		case s.Seq < 1:
			return fmt.Errorf("snapshot seq %d: want 1 or more", s.Seq)
		case len(s.Data) == 0:
			return errors.New("empty snapshot data")
		}
	}
	return nil
}

// Append writes b atomically and returns once it is committed to disk.
// Concurrent Appends are combined into one transaction (group commit); a
// batch that fails is retried on its own, so one caller's error never fails
// another's batch. The first event's seq must be the table's LastSeq+1,
// otherwise Append returns ErrConflict, as it does for a duplicate op key.
// An unknown table gives ErrNotFound. A batch whose Epoch is not the
// table's current lease epoch gives ErrFenced (see AcquireLease); the check
// runs in the transaction that would write the batch.
//
// If ctx ends before the writer has taken the batch, Append returns ctx's
// error and nothing is written; after that, Append waits for the verdict,
// so a nil error always means committed. An error means not committed,
// with one exception on PostgreSQL: when the connection breaks while the
// COMMIT is under way, the server may have committed without being able to
// say so. A caller that gets an error should therefore read the log again
// before deciding what was written (the live hub reloads the table).
func (db *DB) Append(ctx context.Context, b Batch) error {
	if err := validateBatch(b); err != nil {
		return fmt.Errorf("store: append to %s: %w", b.Table, err)
	}
	for i := range b.Events {
		if b.Events[i].Table == "" {
			// Copy before filling in, so the caller's slice is not changed.
			events := make([]Event, len(b.Events))
			copy(events, b.Events)
			for j := range events {
				events[j].Table = b.Table
			}
			b.Events = events
			break
		}
	}
	r := &appendReq{ctx: ctx, b: b, done: make(chan error, 1)}
	if err := db.submit(ctx, r); err != nil {
		return fmt.Errorf("store: append to %s: %w", b.Table, err)
	}
	if err := <-r.done; err != nil {
		return fmt.Errorf("store: append to %s: %w", b.Table, err)
	}
	return nil
}

// submit hands r to the writer goroutine. The read lock keeps Close from
// closing the channel between the closed check and the send.
func (db *DB) submit(ctx context.Context, r *appendReq) error {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if db.closed {
		return errClosed
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case db.reqs <- r:
		db.handed.Add(1)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runWriter is the writer goroutine: it takes one request, adds whatever
// else is already waiting, and commits them together. It returns when Close
// has closed the channel and every request in it has been answered.
func (db *DB) runWriter() {
	defer close(db.stopped)
	for first := range db.reqs {
		group := []*appendReq{first}
		events := len(first.b.Events)
	fill:
		for len(group) < maxGroupReqs && events < maxGroupEvents {
			select {
			case r, ok := <-db.reqs:
				if !ok {
					break fill
				}
				group = append(group, r)
				events += len(r.b.Events)
			default:
				break fill
			}
		}
		db.commitGroup(group)
	}
}

// commitGroup writes the group in one transaction. If that fails it rolls
// back and writes each request in its own transaction, so only the faulty
// ones fail.
func (db *DB) commitGroup(group []*appendReq) {
	live := make([]*appendReq, 0, len(group))
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			r.done <- err // not written, and the caller has given up
			continue
		}
		live = append(live, r)
	}
	if len(live) > 1 {
		bs := make([]Batch, len(live))
		for i, r := range live {
			bs[i] = r.b
		}
		if err := db.be.appendGroup(bs); err == nil {
			db.commits.Add(1)
			for _, r := range live {
				r.done <- nil
			}
			return
		}
	}
	for _, r := range live {
		err := db.be.appendGroup([]Batch{r.b})
		if err == nil {
			db.commits.Add(1)
		}
		r.done <- err
	}
}

// tableState is what deciding on a batch needs to know of its table, read
// inside the transaction that appends it.
type tableState struct {
	lastSeq  int64
	status   string
	epoch    int64 // of the table's lease; 0 if it was never leased
	released bool  // the lease of that epoch was released
	floor    int64 // no snapshot older than this: Redact
}

// admit decides, inside the append transaction, whether b may be written
// to a table in state st, and returns the state after it. The fence comes
// first: a writer that lost its lease learns that, not that its seqs clash.
func (st tableState) admit(b Batch) (tableState, error) {
	if b.Epoch != st.epoch || st.released {
		return st, fenced(b.Epoch, st)
	}
	if n := len(b.Events); n > 0 {
		if first := b.Events[0].Seq; first != st.lastSeq+1 {
			return st, fmt.Errorf("%w: batch starts at seq %d but the log ends at %d", ErrConflict, first, st.lastSeq)
		}
		st.lastSeq = b.Events[n-1].Seq
	}
	if b.Snapshot != nil && b.Snapshot.Seq > st.lastSeq {
		return st, fmt.Errorf("snapshot at seq %d is past the end of the log (%d)", b.Snapshot.Seq, st.lastSeq)
	}
	if b.Snapshot != nil && b.Snapshot.Seq < st.floor {
		return st, fmt.Errorf("%w: snapshot at seq %d is older than the redaction at seq %d", ErrConflict, b.Snapshot.Seq, st.floor)
	}
	return st, nil
}

// closedAtChange works out what a batch does to the table's closed_at:
// moving to "closed" sets it to the last event's time (unless the table is
// already closed), moving anywhere else clears it. It also returns the
// status the table has after the batch.
func closedAtChange(b Batch, status string) (change bool, closedAt *int64, after string) {
	if b.Status == "" || len(b.Events) == 0 {
		return false, nil, status
	}
	switch {
	case b.Status != statusClosed:
		return true, nil, b.Status
	case status != statusClosed:
		at := micros(b.Events[len(b.Events)-1].Time)
		return true, &at, b.Status
	}
	return false, nil, b.Status
}

// Events returns up to limit events of table with seq > afterSeq, in seq
// order; limit <= 0 means no limit. An unknown table, like a table with no
// newer events, gives an empty slice.
func (db *DB) Events(ctx context.Context, table string, afterSeq int64, limit int) ([]Event, error) {
	out, err := db.be.events(ctx, table, afterSeq, limit)
	if err != nil {
		return nil, fmt.Errorf("store: events of %s: %w", table, err)
	}
	return out, nil
}

// Ops returns the op keys of table's events with seq > afterSeq, each with
// the seq of the event that carries it.
func (db *DB) Ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error) {
	out, err := db.be.ops(ctx, table, afterSeq)
	if err != nil {
		return nil, fmt.Errorf("store: ops of %s: %w", table, err)
	}
	return out, nil
}
