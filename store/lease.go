package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Leases and fencing.
//
// Several nodes may share one PostgreSQL database, but a live table must
// have one owner at a time: the node whose hub decides its commands and
// appends its events. Ownership is a lease, one row per table: (table,
// node, epoch, expiry). The rules, the same on both engines:
//
//  1. AcquireLease(table, node, ttl) succeeds when the table has no lease,
//     when its lease has lapsed (the expiry has passed by the database's
//     clock), was released, or is already node's. It gives the table a new
//     epoch, one more than the last, so an epoch is never handed out twice,
//     and an expiry ttl from now. Otherwise it fails with ErrLeaseHeld and
//     returns the holder's lease, so the caller knows where to forward.
//     Acquiring again what one already holds also starts a new epoch, which
//     fences the holder's own appends made under the old one.
//  2. Every Batch carries an Epoch. Append refuses with ErrFenced, inside the
//     transaction that would write the batch, a batch whose Epoch is not the
//     table's current epoch or whose lease was released. Once another node
//     has acquired a table, nothing its former owner appends can commit, so
//     nothing it acknowledges after that can be lost. This is fencing by a
//     number checked where the write happens, not a lock the writer believes
//     it holds: a paused or cut-off owner is stopped by the database
//     however late it wakes up.
//  3. Expiry alone fences nobody: it only lets another node take over. An
//     owner whose lease lapsed and that nobody took over can still append
//     and renew (nobody else can have written to the table meanwhile).
//  4. Epoch 0 means "no lease in use". It is the current epoch of a table
//     that has never been leased, so a server that takes no leases (today's
//     single-node server, on either engine) appends with 0 and is not
//     affected by any of this. Once a table has been leased, epoch 0
//     is refused for good: every writer of a leased table must hold its
//     lease. Creating a table is not fenced (nobody can own it before it
//     exists); deleting and purging are not fenced either (the owner's next
//     append then fails with ErrNotFound).
//  5. RenewLease moves the expiry to ttl from now while the lease is still
//     the table's current one (same node and epoch, not released), lapsed
//     or not; otherwise it fails with ErrFenced. The epoch stays.
//  6. ReleaseLease ends a lease at once: another node may acquire the table
//     straight away, and the releaser's epoch is fenced from then on.
//
// Time: expiries are the database's clock, PostgreSQL's now(), so nodes'
// clocks never decide who owns a table. (SQLite is one machine: its clock is
// the node's.) A holder should not compare Expires with its own clock;
// it should count ttl on its own monotonic clock from before it sent the
// AcquireLease or RenewLease call, and stop acknowledging before that runs
// out (less a margin for clock rates): the database computed its expiry
// after receiving the call, so that local deadline comes first.
//
// Leases use no session state of the database (no advisory locks, no
// LISTEN): each call is one short transaction, so they work through a
// pooler such as PgBouncer in transaction mode, and a connection the server
// drops cannot take a lease away behind the holder's back.

// ErrFenced is returned, wrapped, by Append when the batch's Epoch is not
// the table's current lease epoch (another node took the table over, or the
// lease was released), and by RenewLease and ReleaseLease when the lease is
// no longer the table's current one. Nothing was written.
var ErrFenced = errors.New("fenced: not the table's current lease")

// ErrLeaseHeld is returned, wrapped, by AcquireLease when another node
// holds an unexpired lease on the table.
var ErrLeaseHeld = errors.New("lease held by another node")

// maxNodeName bounds a node's name, which is stored with every lease.
const maxNodeName = 255

// Lease is a table's lease as the store keeps it.
type Lease struct {
	Table   string
	Node    string    // the holder; "" if never taken or released
	Epoch   int64     // 0 if the table has never been leased
	Expires time.Time // by the database's clock, UTC, to the microsecond; zero if never taken
	// Held says that, when the lease was read, it was taken, not released
	// and not expired. Always true for a lease just acquired or renewed.
	Held bool
}

func validateLeaseArgs(table, node string, ttl time.Duration) error {
	switch {
	case table == "":
		return errors.New("empty table id")
	case node == "":
		return errors.New("empty node name")
	case len(node) > maxNodeName:
		return fmt.Errorf("node name longer than %d bytes", maxNodeName)
	case ttl < time.Millisecond:
		return fmt.Errorf("lease time %v: want 1ms or more", ttl)
	}
	return nil
}

// fenced is the error for a batch of epoch e refused by a table in state st.
func fenced(e int64, st tableState) error {
	if st.released {
		return fmt.Errorf("%w: batch of epoch %d, but the lease of epoch %d was released", ErrFenced, e, st.epoch)
	}
	return fmt.Errorf("%w: batch of epoch %d, but the table's current epoch is %d", ErrFenced, e, st.epoch)
}

// AcquireLease makes node the owner of table for ttl (1ms or more), with a
// new epoch, if the table's lease is free, lapsed, released or already
// node's. If another node holds it, AcquireLease returns that node's lease
// and an error wrapping ErrLeaseHeld. An unknown table gives ErrNotFound.
// The rules are at the top of lease.go.
func (db *DB) AcquireLease(ctx context.Context, table, node string, ttl time.Duration) (Lease, error) {
	if err := validateLeaseArgs(table, node, ttl); err != nil {
		return Lease{}, fmt.Errorf("store: acquire lease on %s: %w", table, err)
	}
	l, err := db.be.acquireLease(ctx, table, node, ttl)
	if err != nil {
		return l, fmt.Errorf("store: acquire lease on %s for %s: %w", table, node, err)
	}
	return l, nil
}

// RenewLease moves l's expiry to ttl from now, by the database's clock, if
// l is still the table's current lease (lapsed or not); otherwise it
// returns an error wrapping ErrFenced. The epoch does not change.
func (db *DB) RenewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error) {
	if err := validateLeaseArgs(l.Table, l.Node, ttl); err != nil {
		return Lease{}, fmt.Errorf("store: renew lease on %s: %w", l.Table, err)
	}
	out, err := db.be.renewLease(ctx, l, ttl)
	if err != nil {
		return Lease{}, fmt.Errorf("store: renew lease on %s for %s (epoch %d): %w", l.Table, l.Node, l.Epoch, err)
	}
	return out, nil
}

// ReleaseLease gives l up: the table can be acquired at once, and appends
// with l's epoch are refused from now on. It returns an error wrapping
// ErrFenced if l is no longer the table's current lease.
func (db *DB) ReleaseLease(ctx context.Context, l Lease) error {
	if err := validateLeaseArgs(l.Table, l.Node, time.Millisecond); err != nil {
		return fmt.Errorf("store: release lease on %s: %w", l.Table, err)
	}
	if err := db.be.releaseLease(ctx, l); err != nil {
		return fmt.Errorf("store: release lease on %s for %s (epoch %d): %w", l.Table, l.Node, l.Epoch, err)
	}
	return nil
}

// Lease returns the table's lease as it is now: who holds it, in which
// epoch, until when, and whether it is held at all (Held). A table that was
// never leased has a zero Lease but for Table. An unknown table gives
// ErrNotFound.
func (db *DB) Lease(ctx context.Context, table string) (Lease, error) {
	l, err := db.be.lease(ctx, table)
	if err != nil {
		return Lease{}, fmt.Errorf("store: lease of %s: %w", table, err)
	}
	return l, nil
}

// mayAcquire says whether node may take a table whose lease is cur.
func mayAcquire(cur Lease, node string) bool {
	return !cur.Held || cur.Node == node
}

// isCurrent says whether l is still the table's current lease, cur: the
// same node and epoch, not released. Expiry does not matter (rule 3).
func isCurrent(cur, l Lease) bool {
	return cur.Node != "" && cur.Node == l.Node && cur.Epoch == l.Epoch
}

// leaseLost is the error for renewing or releasing l when the table's
// lease is cur.
func leaseLost(cur, l Lease) error {
	switch {
	case cur.Epoch == 0:
		return fmt.Errorf("%w: the table has never been leased", ErrFenced)
	case cur.Epoch != l.Epoch:
		return fmt.Errorf("%w: the table's lease is in epoch %d now", ErrFenced, cur.Epoch)
	case cur.Node == "":
		return fmt.Errorf("%w: the lease was released", ErrFenced)
	}
	return fmt.Errorf("%w: the lease of epoch %d is %s's", ErrFenced, cur.Epoch, cur.Node)
}
