package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The SQLite backend's event log and snapshots.

const insertEventSQL = `INSERT INTO events (table_id, seq, at, actor, type, data, op)
	VALUES (?, ?, ?, ?, ?, ?, ?)`

func eventArgs(e Event) []any {
	var op any
	if e.Op != "" {
		op = e.Op
	}
	return []any{e.Table, e.Seq, micros(e.Time), e.Actor, e.Type, string(e.Data), op}
}

// appendGroup writes the batches in one transaction on the writer
// connection. It uses its own context: the transaction serves several
// callers, none of whom may cancel it for the others.
func (s *sqliteDB) appendGroup(bs []Batch) error {
	ctx := context.Background()
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ins, err := tx.PrepareContext(ctx, insertEventSQL)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, b := range bs {
		if err := appendBatch(ctx, tx, ins, b); err != nil {
			return sqliteErr(err)
		}
	}
	return tx.Commit()
}

// appendBatch writes one batch: its events, the table row's new last_seq,
// updated_at, title and status, and its snapshot. Write transactions run
// one at a time on SQLite, so what it reads of the table and its lease
// stays true until the commit.
func appendBatch(ctx context.Context, tx *sql.Tx, ins *sql.Stmt, b Batch) error {
	var st tableState
	err := tx.QueryRowContext(ctx, `SELECT t.last_seq, t.status, t.snapshot_floor, COALESCE(l.epoch, 0), COALESCE(l.node = '', 0)
		FROM tables t LEFT JOIN leases l ON l.table_id = t.id WHERE t.id = ?`, b.Table).
		Scan(&st.lastSeq, &st.status, &st.floor, &st.epoch, &st.released)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("table %s: %w", b.Table, ErrNotFound)
	}
	if err != nil {
		return err
	}
	if _, err := st.admit(b); err != nil {
		return err
	}
	if n := len(b.Events); n > 0 {
		for _, e := range b.Events {
			if _, err := ins.ExecContext(ctx, eventArgs(e)...); err != nil {
				return fmt.Errorf("insert event seq %d: %w", e.Seq, err)
			}
		}
		end := b.Events[n-1]
		set := "last_seq = ?, updated_at = ?"
		args := []any{end.Seq, micros(end.Time)}
		if b.Title != "" {
			set += ", title = ?"
			args = append(args, b.Title)
		}
		if b.Status != "" {
			set += ", status = ?"
			args = append(args, b.Status)
		}
		if change, closedAt, _ := closedAtChange(b, st.status); change {
			set += ", closed_at = ?"
			args = append(args, closedAt)
		}
		args = append(args, b.Table)
		if _, err := tx.ExecContext(ctx, "UPDATE tables SET "+set+" WHERE id = ?", args...); err != nil {
			return fmt.Errorf("update table: %w", err)
		}
	}
	if b.Snapshot != nil {
		if err := saveSnapshot(ctx, tx, b.Table, *b.Snapshot); err != nil {
			return fmt.Errorf("save snapshot: %w", err)
		}
	}
	return nil
}

func (s *sqliteDB) events(ctx context.Context, table string, afterSeq int64, limit int) ([]Event, error) {
	var out []Event
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = readEvents(ctx, tx, table, afterSeq, limit)
		return err
	})
	return out, err
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

func (s *sqliteDB) ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error) {
	var out map[string]int64
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = readOps(ctx, tx, table, afterSeq)
		return err
	})
	return out, err
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

func (s *sqliteDB) latestSnapshot(ctx context.Context, table string) (Snapshot, error) {
	out := Snapshot{Table: table}
	err := s.reader.QueryRowContext(ctx, `SELECT seq, version, data FROM snapshots
		WHERE table_id = ? ORDER BY seq DESC LIMIT 1`, table).Scan(&out.Seq, &out.Version, &out.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return Snapshot{}, ErrNotFound
	}
	if err != nil {
		return Snapshot{}, err
	}
	return out, nil
}
