package store

import (
	"context"
	"database/sql"
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

const insertEventSQL = `INSERT INTO events (table_id, seq, at, actor, type, data, op)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

func eventArgs(e Event) []any {
	var op any
	if e.Op != "" {
		op = e.Op
	}
	return []any{e.Table, e.Seq, micros(e.Time), e.Actor, e.Type, string(e.Data), op}
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
// An unknown table gives ErrNotFound.
//
// If ctx ends before the writer has taken the batch, Append returns ctx's
// error and nothing is written; after that, Append waits for the verdict,
// so a nil error always means committed and an error means not committed.
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
		if err := db.appendTx(live); err == nil {
			for _, r := range live {
				r.done <- nil
			}
			return
		}
	}
	for _, r := range live {
		r.done <- db.appendTx([]*appendReq{r})
	}
}

// appendTx writes reqs in one transaction on the writer connection. It uses
// its own context: the transaction serves several callers, none of whom may
// cancel it for the others.
func (db *DB) appendTx(reqs []*appendReq) error {
	ctx := context.Background()
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, insertEventSQL)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, r := range reqs {
		if err := appendBatch(ctx, tx, ins, r.b); err != nil {
			return mapErr(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	db.commits.Add(1)
	return nil
}

// appendBatch writes one batch: its events, the table row's new last_seq,
// updated_at, title and status, and its snapshot.
func appendBatch(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, b Batch) error {
	var last int64
	var status string
	err := tx.QueryRowContext(ctx, "SELECT last_seq, status FROM tables WHERE id = ?", b.Table).Scan(&last, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("table %s: %w", b.Table, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if n := len(b.Events); n > 0 {
		if first := b.Events[0].Seq; first != last+1 {
			return fmt.Errorf("%w: batch starts at seq %d but the log ends at %d", ErrConflict, first, last)
		}
		for _, e := range b.Events {
			if _, err := ins.ExecContext(ctx, eventArgs(e)...); err != nil {
				return fmt.Errorf("insert event seq %d: %w", e.Seq, err)
			}
		}
		end := b.Events[n-1]
		last = end.Seq
		set := "last_seq = ?, updated_at = ?"
		args := []any{end.Seq, micros(end.Time)}
		if b.Title != "" {
			set += ", title = ?"
			args = append(args, b.Title)
		}
		if b.Status != "" {
			set += ", status = ?"
			args = append(args, b.Status)
			switch {
			case b.Status != statusClosed:
				set += ", closed_at = NULL"
			case status != statusClosed:
				set += ", closed_at = ?"
				args = append(args, micros(end.Time))
			}
		}
		args = append(args, b.Table)
		if _, err := tx.ExecContext(ctx, "UPDATE tables SET "+set+" WHERE id = ?", args...); err != nil {
			return fmt.Errorf("update table: %w", err)
		}
	}
	if b.Snapshot != nil {
		if b.Snapshot.Seq > last {
			return fmt.Errorf("snapshot at seq %d is past the end of the log (%d)", b.Snapshot.Seq, last)
		}
		if err := saveSnapshot(ctx, tx, b.Table, *b.Snapshot); err != nil {
			return fmt.Errorf("save snapshot: %w", err)
		}
	}
	return nil
}

// Events returns up to limit events of table with seq > afterSeq, in seq
// order; limit <= 0 means no limit. An unknown table, like a table with no
// newer events, gives an empty slice.
func (db *DB) Events(ctx context.Context, table string, afterSeq int64, limit int) ([]Event, error) {
	var out []Event
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = readEvents(ctx, tx, table, afterSeq, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: events of %s: %w", table, err)
	}
	return out, nil
}

func readEvents(ctx context.Context, tx *sql.Tx, table string, afterSeq int64, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor, type, data, op FROM events
		WHERE table_id = ? AND seq > ? ORDER BY seq LIMIT ?`, table, afterSeq, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Event{}
	for rows.Next() {
		e := Event{Table: table}
		var at int64
		var data string
		var op sql.NullString
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Type, &data, &op); err != nil {
			return nil, err
		}
		e.Time = fromMicros(at)
		e.Data = []byte(data)
		e.Op = op.String
		out = append(out, e)
	}
	return out, rows.Err()
}

// Ops returns the op keys of table's events with seq > afterSeq, each with
// the seq of the event that carries it.
func (db *DB) Ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error) {
	var out map[string]int64
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = readOps(ctx, tx, table, afterSeq)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: ops of %s: %w", table, err)
	}
	return out, nil
}

func readOps(ctx context.Context, tx *sql.Tx, table string, afterSeq int64) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT op, seq FROM events
		WHERE table_id = ? AND seq > ? AND op IS NOT NULL`, table, afterSeq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[string]int64)
	for rows.Next() {
		var op string
		var seq int64
		if err := rows.Scan(&op, &seq); err != nil {
			return nil, err
		}
		out[op] = seq
	}
	return out, rows.Err()
}
