package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Table statuses stored in tables.status.
const (
	statusOpen   = "open"
	statusLocked = "locked"
	statusClosed = "closed"
)

// TableInfo is the index entry of one table. Times have microsecond
// precision and come back in UTC.
type TableInfo struct {
	ID        string
	Code      string // join code, unique, e.g. "KP-4F7K-9QX2"
	Title     string
	Status    string // "open", "locked" or "closed"
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  time.Time // zero if not closed
	LastSeq   int64     // highest seq in the table's event log
}

func validStatus(s string) bool {
	return s == statusOpen || s == statusLocked || s == statusClosed
}

// micros converts t to the stored form, unix microseconds.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros converts a stored time back, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// CreateTable inserts the table row and its first event, which must have
// seq 1, in one transaction. Zero CreatedAt and UpdatedAt default to the
// first event's time, an empty Status to "open"; info.LastSeq is ignored.
// It returns ErrConflict if the id or the join code is taken.
func (db *DB) CreateTable(ctx context.Context, info TableInfo, first Event) error {
	if first.Table == "" {
		first.Table = info.ID
	}
	if err := validateCreate(&info, first); err != nil {
		return fmt.Errorf("store: create table: %w", err)
	}
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		return createTable(ctx, tx, info, first)
	})
	if err != nil {
		return fmt.Errorf("store: create table %s: %w", info.ID, mapErr(err))
	}
	return nil
}

func validateCreate(info *TableInfo, first Event) error {
	switch {
	case info.ID == "":
		return errors.New("empty table id")
	case info.Code == "":
		return errors.New("empty join code")
	case first.Table != info.ID:
		return fmt.Errorf("first event belongs to table %q, not %q", first.Table, info.ID)
	case first.Seq != 1:
		return fmt.Errorf("first event has seq %d, want 1", first.Seq)
	}
	if err := validateEvent(first); err != nil {
		return err
	}
	if info.Status == "" {
		info.Status = statusOpen
	}
	if !validStatus(info.Status) {
		return fmt.Errorf("invalid status %q", info.Status)
	}
	if info.CreatedAt.IsZero() {
		info.CreatedAt = first.Time
	}
	if info.UpdatedAt.IsZero() {
		info.UpdatedAt = first.Time
	}
	return nil
}

func createTable(ctx context.Context, tx *sql.Tx, info TableInfo, first Event) error {
	var closedAt sql.NullInt64
	if info.Status == statusClosed {
		at := info.ClosedAt
		if at.IsZero() {
			at = first.Time
		}
		closedAt = sql.NullInt64{Int64: micros(at), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO tables
		(id, code, title, status, created_at, updated_at, closed_at, last_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
		info.ID, info.Code, info.Title, info.Status,
		micros(info.CreatedAt), micros(info.UpdatedAt), closedAt)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertEventSQL, eventArgs(first)...)
	return err
}

const tableColumns = `id, code, title, status, created_at, updated_at, closed_at, last_seq`

// Table returns the table with the given id, or ErrNotFound.
func (db *DB) Table(ctx context.Context, id string) (TableInfo, error) {
	var info TableInfo
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		info, err = tableWhere(ctx, tx, "id = ?", id)
		return err
	})
	if err != nil {
		return TableInfo{}, fmt.Errorf("store: table %s: %w", id, err)
	}
	return info, nil
}

// TableByCode returns the table whose stored join code is exactly code, or
// ErrNotFound. Normalising user input (case, dashes) is the caller's job.
func (db *DB) TableByCode(ctx context.Context, code string) (TableInfo, error) {
	var info TableInfo
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		info, err = tableWhere(ctx, tx, "code = ?", code)
		return err
	})
	if err != nil {
		return TableInfo{}, fmt.Errorf("store: table by code %q: %w", code, err)
	}
	return info, nil
}

// tableWhere reads one table matching cond, which must be a constant.
func tableWhere(ctx context.Context, tx *sql.Tx, cond string, arg any) (TableInfo, error) {
	row := tx.QueryRowContext(ctx, "SELECT "+tableColumns+" FROM tables WHERE "+cond, arg)
	info, err := scanTable(row)
	if errors.Is(err, sql.ErrNoRows) {
		return TableInfo{}, ErrNotFound
	}
	return info, err
}

// Tables returns every table, newest first.
func (db *DB) Tables(ctx context.Context) ([]TableInfo, error) {
	var out []TableInfo
	err := db.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = listTables(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	return out, nil
}

func listTables(ctx context.Context, tx *sql.Tx) ([]TableInfo, error) {
	rows, err := tx.QueryContext(ctx, "SELECT "+tableColumns+" FROM tables ORDER BY created_at DESC, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []TableInfo{}
	for rows.Next() {
		info, err := scanTable(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	return out, rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanTable(s scanner) (TableInfo, error) {
	var info TableInfo
	var created, updated int64
	var closed sql.NullInt64
	if err := s.Scan(&info.ID, &info.Code, &info.Title, &info.Status,
		&created, &updated, &closed, &info.LastSeq); err != nil {
		return TableInfo{}, err
	}
	info.CreatedAt = fromMicros(created)
	info.UpdatedAt = fromMicros(updated)
	if closed.Valid {
		info.ClosedAt = fromMicros(closed.Int64)
	}
	return info, nil
}

// DeleteTable removes a table with all its events and snapshots, or returns
// ErrNotFound. When it returns nil, no byte of the table is left in the
// database's files (scrub); an error after the delete committed says so.
func (db *DB) DeleteTable(ctx context.Context, id string) error {
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		return deleteTable(ctx, tx, id)
	})
	if err != nil {
		return fmt.Errorf("store: delete table %s: %w", id, err)
	}
	if err := db.scrub(ctx); err != nil {
		return fmt.Errorf("store: table %s deleted, but: %w", id, err)
	}
	return nil
}

// deleteTable deletes children explicitly rather than relying on the
// cascade alone, so a connection without foreign keys still deletes all.
func deleteTable(ctx context.Context, tx *sql.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM events WHERE table_id = ?", id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM snapshots WHERE table_id = ?", id); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM tables WHERE id = ?", id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// PurgeClosedBefore deletes every closed table whose ClosedAt is before t,
// with its events and snapshots, in one transaction, and returns the ids it
// deleted, oldest closure first. They are scrubbed as DeleteTable's are;
// an error after the purge committed comes with the ids.
func (db *DB) PurgeClosedBefore(ctx context.Context, t time.Time) ([]string, error) {
	var ids []string
	err := db.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = purgeClosedBefore(ctx, tx, t)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: purge closed tables: %w", err)
	}
	if len(ids) > 0 {
		if err := db.scrub(ctx); err != nil {
			return ids, fmt.Errorf("store: closed tables purged, but: %w", err)
		}
	}
	return ids, nil
}

func purgeClosedBefore(ctx context.Context, tx *sql.Tx, t time.Time) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM tables
		WHERE status = 'closed' AND closed_at < ? ORDER BY closed_at, id`, micros(t))
	if err != nil {
		return nil, err
	}
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if err := deleteTable(ctx, tx, id); err != nil {
			return nil, fmt.Errorf("delete %s: %w", id, err)
		}
	}
	return ids, nil
}
