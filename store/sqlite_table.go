package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The SQLite backend's table index.

func (s *sqliteDB) createTable(ctx context.Context, info TableInfo, first Event) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		return createTable(ctx, tx, info, first)
	})
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
		(id, code, title, status, created_at, updated_at, closed_at, last_seq, series)
		VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`,
		info.ID, info.Code, info.Title, info.Status,
		micros(info.CreatedAt), micros(info.UpdatedAt), closedAt, info.Series)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertEventSQL, eventArgs(first)...)
	return err
}

func (s *sqliteDB) tableByID(ctx context.Context, id string) (TableInfo, error) {
	return s.tableWhere(ctx, "id = ?", id)
}

func (s *sqliteDB) tableByCode(ctx context.Context, code string) (TableInfo, error) {
	return s.tableWhere(ctx, "code = ?", code)
}

// tableWhere reads one table matching cond, which must be a constant.
func (s *sqliteDB) tableWhere(ctx context.Context, cond string, arg any) (TableInfo, error) {
	row := s.reader.QueryRowContext(ctx, "SELECT "+tableColumns+" FROM tables WHERE "+cond, arg)
	info, err := scanTable(row)
	if errors.Is(err, sql.ErrNoRows) {
		return TableInfo{}, ErrNotFound
	}
	return info, err
}

func (s *sqliteDB) series(ctx context.Context, series string) ([]TableInfo, error) {
	return s.tableList(ctx, "SELECT "+tableColumns+" FROM tables WHERE series = ? ORDER BY created_at, id", series)
}

func (s *sqliteDB) tables(ctx context.Context) ([]TableInfo, error) {
	return s.tableList(ctx, "SELECT "+tableColumns+" FROM tables ORDER BY created_at DESC, id")
}

// tableList reads the tables a constant query selects.
func (s *sqliteDB) tableList(ctx context.Context, query string, args ...any) ([]TableInfo, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
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

func (s *sqliteDB) deleteTable(ctx context.Context, id string) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		return deleteTable(ctx, tx, id)
	})
}

func (s *sqliteDB) purgeClosedBefore(ctx context.Context, t time.Time) ([]string, error) {
	var ids []string
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = purgeClosedBefore(ctx, tx, t)
		return err
	})
	return ids, err
}

func (s *sqliteDB) redact(ctx context.Context, table string, floor int64, data map[int64][]byte) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "UPDATE tables SET snapshot_floor = max(snapshot_floor, ?) WHERE id = ?", floor, table)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		for seq, d := range data {
			if _, err := tx.ExecContext(ctx, "UPDATE events SET data = ? WHERE table_id = ? AND seq = ?", string(d), table, seq); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM snapshots WHERE table_id = ?", table)
		return err
	})
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
	if _, err := tx.ExecContext(ctx, "DELETE FROM leases WHERE table_id = ?", id); err != nil {
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
