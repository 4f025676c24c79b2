package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL backend's table index. Join codes and ids are unique by
// constraint, so two nodes creating tables at once can never hand out the
// same code: one insert wins and the other gets ErrConflict (and the live
// server draws a new code).

func (p *pgDB) createTable(ctx context.Context, info TableInfo, first Event) error {
	var closedAt *int64
	if info.Status == statusClosed {
		at := info.ClosedAt
		if at.IsZero() {
			at = first.Time
		}
		us := micros(at)
		closedAt = &us
	}
	var op *string
	if first.Op != "" {
		op = &first.Op
	}
	return p.writeTx(ctx, func(tx pgx.Tx) error {
		var q pgx.Batch
		q.Queue(`INSERT INTO tables (id, code, title, status, created_at, updated_at, closed_at, last_seq, series)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)`,
			info.ID, info.Code, info.Title, info.Status, micros(info.CreatedAt), micros(info.UpdatedAt), closedAt, info.Series)
		q.Queue(`INSERT INTO events (table_id, seq, at, actor, type, data, op) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			first.Table, first.Seq, micros(first.Time), first.Actor, first.Type, string(first.Data), op)
		return tx.SendBatch(ctx, &q).Close()
	})
}

func (p *pgDB) tableByID(ctx context.Context, id string) (TableInfo, error) {
	return p.tableWhere(ctx, "id = $1", id)
}

func (p *pgDB) tableByCode(ctx context.Context, code string) (TableInfo, error) {
	return p.tableWhere(ctx, "code = $1", code)
}

// tableWhere reads one table matching cond, which must be a constant.
func (p *pgDB) tableWhere(ctx context.Context, cond string, arg any) (TableInfo, error) {
	info, err := scanTable(p.pool.QueryRow(ctx, "SELECT "+tableColumns+" FROM tables WHERE "+cond, arg))
	if errors.Is(err, pgx.ErrNoRows) {
		return TableInfo{}, ErrNotFound
	}
	return info, err
}

func (p *pgDB) series(ctx context.Context, series string) ([]TableInfo, error) {
	return p.tableList(ctx, "SELECT "+tableColumns+" FROM tables WHERE series = $1 ORDER BY created_at, id", series)
}

func (p *pgDB) tables(ctx context.Context) ([]TableInfo, error) {
	return p.tableList(ctx, "SELECT "+tableColumns+" FROM tables ORDER BY created_at DESC, id")
}

// tableList reads the tables a constant query selects.
func (p *pgDB) tableList(ctx context.Context, query string, args ...any) ([]TableInfo, error) {
	rows, err := p.pool.Query(ctx, query, args...)
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

// deleteTable deletes the table row, which takes its snapshots and lease
// with it (ON DELETE CASCADE), and then its events (which have no foreign
// key: 0001_init.sql). Deleting the row first takes its lock, so an append
// in flight commits before and its events are deleted too, or waits and
// then finds no table.
func (p *pgDB) deleteTable(ctx context.Context, id string) error {
	return p.writeTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM tables WHERE id = $1", id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		_, err = tx.Exec(ctx, "DELETE FROM events WHERE table_id = $1", id)
		return err
	})
}

func (p *pgDB) redact(ctx context.Context, table string, floor int64, data map[int64][]byte) error {
	return p.writeTx(ctx, func(tx pgx.Tx) error {
		// The row lock orders this after any append in flight.
		tag, err := tx.Exec(ctx, "UPDATE tables SET snapshot_floor = greatest(snapshot_floor, $1) WHERE id = $2", floor, table)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		for seq, d := range data {
			if _, err := tx.Exec(ctx, "UPDATE events SET data = $1 WHERE table_id = $2 AND seq = $3", string(d), table, seq); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, "DELETE FROM snapshots WHERE table_id = $1", table)
		return err
	})
}

// purgeClosedBefore deletes the closed tables, and then their events. SKIP
// LOCKED makes purges on several nodes at once split the tables between
// them instead of waiting for each other and then finding them gone; a
// table being written right now is left for the next purge.
func (p *pgDB) purgeClosedBefore(ctx context.Context, t time.Time) ([]string, error) {
	type purged struct {
		id       string
		closedAt int64
	}
	var gone []purged
	err := p.writeTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH doomed AS (
				SELECT id FROM tables WHERE status = 'closed' AND closed_at < $1
				ORDER BY id FOR UPDATE SKIP LOCKED)
			DELETE FROM tables AS t USING doomed WHERE t.id = doomed.id
			RETURNING t.id, t.closed_at`, micros(t))
		if err != nil {
			return err
		}
		defer rows.Close()
		ids := []string{}
		for rows.Next() {
			var g purged
			var at sql.NullInt64
			if err := rows.Scan(&g.id, &at); err != nil {
				return err
			}
			g.closedAt = at.Int64
			gone = append(gone, g)
			ids = append(ids, g.id)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		_, err = tx.Exec(ctx, "DELETE FROM events WHERE table_id = ANY($1)", ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(gone, func(a, b purged) int {
		return cmp.Or(cmp.Compare(a.closedAt, b.closedAt), cmp.Compare(a.id, b.id))
	})
	ids := make([]string, len(gone))
	for i, g := range gone {
		ids[i] = g.id
	}
	return ids, nil
}
