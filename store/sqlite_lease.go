package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The SQLite backend's leases. Write transactions run one at a time, so a
// lease change and an append never overlap; the clock is the machine's.

func (s *sqliteDB) acquireLease(ctx context.Context, table, node string, ttl time.Duration) (Lease, error) {
	var out Lease
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		cur, err := sqliteLease(ctx, tx, table, now)
		if err != nil {
			return err
		}
		if !mayAcquire(cur, node) {
			out = cur
			return ErrLeaseHeld
		}
		out = Lease{Table: table, Node: node, Epoch: cur.Epoch + 1, Expires: fromMicros(micros(now.Add(ttl))), Held: true}
		_, err = tx.ExecContext(ctx, `INSERT INTO leases (table_id, node, epoch, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (table_id) DO UPDATE SET node = excluded.node, epoch = excluded.epoch, expires_at = excluded.expires_at`,
			table, node, out.Epoch, micros(out.Expires))
		return err
	})
	if errors.Is(err, ErrLeaseHeld) {
		return out, err
	}
	if err != nil {
		return Lease{}, err
	}
	return out, nil
}

func (s *sqliteDB) renewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error) {
	var out Lease
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		cur, err := sqliteLease(ctx, tx, l.Table, now)
		if err != nil {
			return err
		}
		if !isCurrent(cur, l) {
			return leaseLost(cur, l)
		}
		out = Lease{Table: l.Table, Node: l.Node, Epoch: l.Epoch, Expires: fromMicros(micros(now.Add(ttl))), Held: true}
		_, err = tx.ExecContext(ctx, "UPDATE leases SET expires_at = ? WHERE table_id = ?", micros(out.Expires), l.Table)
		return err
	})
	if err != nil {
		return Lease{}, err
	}
	return out, nil
}

func (s *sqliteDB) releaseLease(ctx context.Context, l Lease) error {
	return s.writeTx(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		cur, err := sqliteLease(ctx, tx, l.Table, now)
		if err != nil {
			return err
		}
		if !isCurrent(cur, l) {
			return leaseLost(cur, l)
		}
		_, err = tx.ExecContext(ctx, "UPDATE leases SET node = '', expires_at = ? WHERE table_id = ?", micros(now), l.Table)
		return err
	})
}

func (s *sqliteDB) lease(ctx context.Context, table string) (Lease, error) {
	var out Lease
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = sqliteLease(ctx, tx, table, time.Now())
		return err
	})
	return out, err
}

// sqliteLease reads table's lease as of now; ErrNotFound if there is no
// such table.
func sqliteLease(ctx context.Context, tx *sql.Tx, table string, now time.Time) (Lease, error) {
	var node sql.NullString
	var epoch, expires sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT l.node, l.epoch, l.expires_at
		FROM tables t LEFT JOIN leases l ON l.table_id = t.id WHERE t.id = ?`, table).Scan(&node, &epoch, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, ErrNotFound
	}
	if err != nil {
		return Lease{}, err
	}
	l := Lease{Table: table}
	if epoch.Valid {
		l.Node, l.Epoch, l.Expires = node.String, epoch.Int64, fromMicros(expires.Int64)
		l.Held = l.Node != "" && expires.Int64 > micros(now)
	}
	return l, nil
}
