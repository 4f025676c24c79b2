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
	Series    string    // the id of the series' first table; CreateTable makes "" the table's own id
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
	if err := db.be.createTable(ctx, info, first); err != nil {
		return fmt.Errorf("store: create table %s: %w", info.ID, err)
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
	if info.Series == "" {
		info.Series = info.ID
	}
	return nil
}

const tableColumns = `id, code, title, status, created_at, updated_at, closed_at, last_seq, series`

// Table returns the table with the given id, or ErrNotFound.
func (db *DB) Table(ctx context.Context, id string) (TableInfo, error) {
	info, err := db.be.tableByID(ctx, id)
	if err != nil {
		return TableInfo{}, fmt.Errorf("store: table %s: %w", id, err)
	}
	return info, nil
}

// TableByCode returns the table whose stored join code is exactly code, or
// ErrNotFound. Normalising user input (case, dashes) is the caller's job.
func (db *DB) TableByCode(ctx context.Context, code string) (TableInfo, error) {
	info, err := db.be.tableByCode(ctx, code)
	if err != nil {
		return TableInfo{}, fmt.Errorf("store: table by code %q: %w", code, err)
	}
	return info, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanTable(s scanner) (TableInfo, error) {
	var info TableInfo
	var created, updated int64
	var closed sql.NullInt64
	if err := s.Scan(&info.ID, &info.Code, &info.Title, &info.Status,
		&created, &updated, &closed, &info.LastSeq, &info.Series); err != nil {
		return TableInfo{}, err
	}
	info.CreatedAt = fromMicros(created)
	info.UpdatedAt = fromMicros(updated)
	if closed.Valid {
		info.ClosedAt = fromMicros(closed.Int64)
	}
	return info, nil
}

// Series returns the tables of a series, oldest first: those made one
// from another, whose first table's id is series.
func (db *DB) Series(ctx context.Context, series string) ([]TableInfo, error) {
	out, err := db.be.series(ctx, series)
	if err != nil {
		return nil, fmt.Errorf("store: series %s: %w", series, err)
	}
	return out, nil
}

// Tables returns every table, newest first.
func (db *DB) Tables(ctx context.Context) ([]TableInfo, error) {
	out, err := db.be.tables(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	return out, nil
}

// DeleteTable removes a table with all its events, snapshots and lease, or
// returns ErrNotFound. On SQLite, when it returns nil, no byte of the table
// is left in the database's files (scrub); an error after the delete
// committed says so. On PostgreSQL the rows are gone for every reader when
// it returns, but their bytes stay in the server's data files until vacuum
// and later writes reuse the space, and in its write-ahead log and backups
// for as long as the server keeps those (docs/deploy.md).
func (db *DB) DeleteTable(ctx context.Context, id string) error {
	if err := db.be.deleteTable(ctx, id); err != nil {
		return fmt.Errorf("store: delete table %s: %w", id, err)
	}
	if err := db.be.scrub(ctx); err != nil {
		return fmt.Errorf("store: table %s deleted, but: %w", id, err)
	}
	return nil
}

// PurgeClosedBefore deletes every closed table whose ClosedAt is before t,
// with its events, snapshots and lease, in one transaction, and returns the
// ids it deleted, oldest closure first. They are scrubbed as DeleteTable's
// are; an error after the purge committed comes with the ids.
//
// Several nodes may purge the same database at once: each table is deleted
// by exactly one of them, and each returns only the ids it deleted. On
// PostgreSQL a table that another transaction is writing at that moment is
// left for the next purge rather than waited for.
func (db *DB) PurgeClosedBefore(ctx context.Context, t time.Time) ([]string, error) {
	ids, err := db.be.purgeClosedBefore(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("store: purge closed tables: %w", err)
	}
	if len(ids) > 0 {
		if err := db.be.scrub(ctx); err != nil {
			return ids, fmt.Errorf("store: closed tables purged, but: %w", err)
		}
	}
	return ids, nil
}
