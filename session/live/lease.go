package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// Leases is what a node of a cluster needs from storage to own tables
// (store/lease.go has the rules). A server without a Node takes no leases.
type Leases interface {
	AcquireLease(ctx context.Context, table, node string, ttl time.Duration) (store.Lease, error)
	RenewLease(ctx context.Context, l store.Lease, ttl time.Duration) (store.Lease, error)
	ReleaseLease(ctx context.Context, l store.Lease) error
	Lease(ctx context.Context, table string) (store.Lease, error)
}

// DefaultLeaseTTL is how long a lease lasts unless renewed.
const DefaultLeaseTTL = 10 * time.Second

// leaseMargin is how long before its lease can lapse in the database a
// node stops acknowledging: the database counts the ttl from when it got
// the call, the node from before it sent it, and the margin covers clocks
// that run at slightly different rates and the node's own reaction.
func leaseMargin(ttl time.Duration) time.Duration { return ttl / 5 }

// Elsewhere is the error for a table whose lease another node holds: the
// caller forwards to Node, or, if it was itself forwarded, tells the client
// to try again. For the HTTP layer and the protocol it is "unavailable".
type Elsewhere struct{ Node string }

func (e *Elsewhere) Error() string { return "table served by node " + e.Node }

// Unwrap makes an Elsewhere that reaches a client an "unavailable": try again.
func (e *Elsewhere) Unwrap() error { return errMoved }

var errMoved = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the table is moving to another server; try again"}

// tableLease is a hub's hold on its table: the lease's epoch, which every
// batch carries, and the local deadline before which the hub may commit
// and its clients may be sent anything. Its own goroutine renews the lease
// every third of the ttl; if a renewal does not succeed before the
// deadline, or the store says another node has the table (fenced), the
// lease is lost: lost is closed, the hub leaves the registry, and every
// write pump of the table closes its connection without sending more.
//
// A nil *tableLease is a server that takes no leases (one node): always
// valid, epoch 0, never lost.
type tableLease struct {
	srv    *Server
	log    *slog.Logger
	epoch  int64
	onLose func() // called once, when the lease is lost

	deadline atomic.Int64 // srv.clock() before which the lease is surely ours
	lost     chan struct{}
	loseOnce sync.Once

	ctx    context.Context // ends with end: cancels a renewal under way
	cancel context.CancelFunc
	ended  chan struct{} // closed by end
	endOne sync.Once
	// release is set by end(true) before ended is closed: the renewer
	// releases the lease on its way out.
	release atomic.Bool
}

// takeLease acquires table's lease for this node, if the server takes
// leases; onLose runs once if it is lost. A lease held by another node is
// *Elsewhere; an unknown table tables.ErrNoTable.
func (s *Server) takeLease(ctx context.Context, table string, log *slog.Logger, onLose func()) (*tableLease, error) {
	if s.cfg.Node == "" {
		return nil, nil
	}
	ttl := s.cfg.LeaseTTL
	sent := s.clock()
	l, err := s.cfg.Leases.AcquireLease(ctx, table, s.cfg.Node, ttl)
	switch {
	case errors.Is(err, store.ErrLeaseHeld):
		return nil, &Elsewhere{Node: l.Node}
	case errors.Is(err, store.ErrNotFound):
		return nil, tables.ErrNoTable
	case err != nil:
		return nil, fmt.Errorf("live: take the lease: %w", err)
	}
	k := &tableLease{srv: s, log: log, epoch: l.Epoch, onLose: onLose, lost: make(chan struct{}), ended: make(chan struct{})}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	k.deadline.Store(int64(sent + ttl - leaseMargin(ttl)))
	s.wg.Add(1)
	go k.renew(l)
	log.Debug("lease taken", "epoch", l.Epoch)
	return k, nil
}

// valid says whether the lease is surely still this node's now.
func (k *tableLease) valid() bool {
	if k == nil {
		return true
	}
	select {
	case <-k.lost:
		return false
	default:
	}
	return k.srv.clock() < time.Duration(k.deadline.Load())
}

// epochOf is the epoch batches carry: 0 without leases.
func (k *tableLease) epochOf() int64 {
	if k == nil {
		return 0
	}
	return k.epoch
}

// lostC is closed when the lease is lost; nil (never ready) without leases.
func (k *tableLease) lostC() <-chan struct{} {
	if k == nil {
		return nil
	}
	return k.lost
}

// lose marks the lease lost, once: nothing more is committed or sent.
func (k *tableLease) lose(why string) {
	if k == nil {
		return
	}
	k.loseOnce.Do(func() {
		k.log.Warn("lease lost; closing the table's connections", "epoch", k.epoch, "why", why)
		close(k.lost)
		if k.onLose != nil {
			k.onLose()
		}
	})
}

// end stops renewing; with release, the lease is given up too, so that
// another node may take the table at once (after an idle unload or at
// shutdown, once the last snapshot is written). It does not wait.
func (k *tableLease) end(release bool) {
	if k == nil {
		return
	}
	k.endOne.Do(func() {
		k.release.Store(release)
		close(k.ended)
		if !release {
			k.cancel()
		}
	})
}

// renew runs on a goroutine of its own until the lease is lost or ended.
func (k *tableLease) renew(l store.Lease) {
	s := k.srv
	defer s.wg.Done()
	defer k.cancel()
	ttl := s.cfg.LeaseTTL
	every, retry := ttl/3, max(ttl/20, 10*time.Millisecond)
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-k.ended:
			if k.release.Load() {
				k.giveUp(l)
			}
			return
		case <-k.lost:
			return
		case <-t.C:
		}
		sent := s.clock()
		left := time.Duration(k.deadline.Load()) - sent
		if left <= 0 {
			k.lose("the lease could not be renewed in time")
			return
		}
		// A renewal that cannot finish before the deadline is of no use.
		ctx, cancel := context.WithTimeout(k.ctx, left)
		nl, err := s.cfg.Leases.RenewLease(ctx, l, ttl)
		cancel()
		switch {
		case err == nil:
			l = nl
			k.deadline.Store(int64(sent + ttl - leaseMargin(ttl)))
			t.Reset(every)
		case errors.Is(err, store.ErrFenced) || errors.Is(err, store.ErrNotFound):
			k.lose(err.Error())
			return
		case k.ctx.Err() != nil:
			// Ended meanwhile: the next round says how.
			t.Reset(0)
		default:
			if s.clock() >= time.Duration(k.deadline.Load()) {
				k.lose(fmt.Sprintf("the lease could not be renewed in time: %v", err))
				return
			}
			k.log.Warn("lease renewal failed; retrying", "epoch", k.epoch, "err", err)
			t.Reset(retry)
		}
	}
}

// giveUp releases the lease, unless it is already lost.
func (k *tableLease) giveUp(l store.Lease) {
	if !k.valid() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), k.srv.cfg.LeaseTTL)
	defer cancel()
	// The store fences the epoch from here on. What the hub committed
	// before is still being delivered, and may be: it is durable.
	if err := k.srv.cfg.Leases.ReleaseLease(ctx, l); err != nil {
		k.log.Warn("lease release failed; it lapses by itself", "epoch", k.epoch, "err", err)
		return
	}
	k.log.Debug("lease released", "epoch", k.epoch)
}
