package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL backend's leases. Each call is one transaction that first
// locks the table's row, the same row an append locks before it reads the
// lease (postgres_event.go): so a lease change and an append never
// interleave, and an append that waited for a takeover sees the new epoch.
// Times are the server's now(), the start of the transaction: a takeover
// decided on it is, if anything, late, and an expiry computed from it is
// never earlier than the holder's own deadline (lease.go).

func (p *pgDB) acquireLease(ctx context.Context, table, node string, ttl time.Duration) (Lease, error) {
	var out Lease
	err := p.writeTx(ctx, func(tx pgx.Tx) error {
		cur, err := pgLease(ctx, tx, table, true)
		if err != nil {
			return err
		}
		if !mayAcquire(cur, node) {
			out = cur
			return ErrLeaseHeld
		}
		out = Lease{Table: table, Node: node, Epoch: cur.Epoch + 1, Held: true}
		return tx.QueryRow(ctx, `INSERT INTO leases (table_id, node, epoch, expires_at)
				VALUES ($1, $2, $3, now() + $4::bigint * interval '1 microsecond')
			ON CONFLICT (table_id) DO UPDATE SET node = excluded.node, epoch = excluded.epoch, expires_at = excluded.expires_at
			RETURNING expires_at`, table, node, out.Epoch, ttl.Microseconds()).Scan(&out.Expires)
	})
	if errors.Is(err, ErrLeaseHeld) {
		return out, err
	}
	if err != nil {
		return Lease{}, err
	}
	out.Expires = out.Expires.UTC()
	return out, nil
}

func (p *pgDB) renewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error) {
	out := Lease{Table: l.Table, Node: l.Node, Epoch: l.Epoch, Held: true}
	err := p.writeTx(ctx, func(tx pgx.Tx) error {
		cur, err := pgLease(ctx, tx, l.Table, true)
		if err != nil {
			return err
		}
		if !isCurrent(cur, l) {
			return leaseLost(cur, l)
		}
		return tx.QueryRow(ctx, `UPDATE leases SET expires_at = now() + $2::bigint * interval '1 microsecond'
			WHERE table_id = $1 RETURNING expires_at`, l.Table, ttl.Microseconds()).Scan(&out.Expires)
	})
	if err != nil {
		return Lease{}, err
	}
	out.Expires = out.Expires.UTC()
	return out, nil
}

func (p *pgDB) releaseLease(ctx context.Context, l Lease) error {
	return p.writeTx(ctx, func(tx pgx.Tx) error {
		cur, err := pgLease(ctx, tx, l.Table, true)
		if err != nil {
			return err
		}
		if !isCurrent(cur, l) {
			return leaseLost(cur, l)
		}
		_, err = tx.Exec(ctx, "UPDATE leases SET node = '', expires_at = now() WHERE table_id = $1", l.Table)
		return err
	})
}

func (p *pgDB) lease(ctx context.Context, table string) (Lease, error) {
	var out Lease
	err := pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		var err error
		out, err = pgLease(ctx, tx, table, false)
		return err
	})
	return out, err
}

// pgLease reads table's lease, with Held as of the server's now();
// ErrNotFound if there is no such table. With lock, it first locks the
// table's row, and the lease is read after the lock is granted.
func pgLease(ctx context.Context, tx pgx.Tx, table string, lock bool) (Lease, error) {
	q := "SELECT 1 FROM tables WHERE id = $1"
	if lock {
		q += " FOR NO KEY UPDATE"
	}
	var one int
	err := tx.QueryRow(ctx, q, table).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return Lease{}, ErrNotFound
	}
	if err != nil {
		return Lease{}, err
	}
	l := Lease{Table: table}
	err = tx.QueryRow(ctx, `SELECT node, epoch, expires_at, node <> '' AND expires_at > now()
		FROM leases WHERE table_id = $1`, table).Scan(&l.Node, &l.Epoch, &l.Expires, &l.Held)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, nil
	}
	if err != nil {
		return Lease{}, err
	}
	l.Expires = l.Expires.UTC()
	return l, nil
}
