package live

import (
	"context"
	"time"

	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// snapshots decides when a table's state is worth a snapshot and
// remembers the last one. It belongs to the hub's goroutine.
type snapshots struct {
	every int64         // events between snapshots, at least
	last  int64         // seq of the last snapshot written or being written
	at    time.Time     // when the last snapshot was encoded
	cost  time.Duration // how long encoding it took
	size  int           // and how big it was
	slot  chan struct{} // holds a token while a snapshot is being written
}

func newSnapshots(every int) snapshots {
	return snapshots{every: int64(every), slot: make(chan struct{}, 1)}
}

// due says whether to snapshot the table at seq last. A snapshot is due
// every events after the last one, or, for a big table, after as many
// events as it takes for them to weigh (at 200 bytes an event) what the
// last snapshot weighed, up to ten times every: so snapshots write no more
// than the events themselves, which matters because every byte written
// delays the commits queued behind it. And no more than 1% of the hub's
// time goes to encoding snapshots, unless ten times every events have
// come. Never while one is being written.
func (s *snapshots) due(last int64) bool {
	since := last - s.last
	if len(s.slot) > 0 || since < min(10*s.every, max(s.every, int64(s.size)/200)) {
		return false
	}
	return since >= 10*s.every || time.Since(s.at) >= 100*s.cost
}

// take encodes a snapshot of the hub's table now, as due said to.
func (h *hub) takeSnapshot() (*store.Snapshot, error) {
	start := time.Now()
	snap, err := tables.Snapshot(h.state)
	if err != nil {
		return nil, err
	}
	h.snaps.at, h.snaps.cost, h.snaps.size = time.Now(), time.Since(start), len(snap.Data)
	return snap, nil
}

// writeSnapshot stores a snapshot in a transaction of its own, on a
// goroutine, so that the hub goes on while megabytes are written and
// synced. The events it covers are already committed; if it fails, the
// next load only reads more events.
func (h *hub) writeSnapshot(snap *store.Snapshot) {
	h.snaps.slot <- struct{}{} // free: due checked it
	h.snaps.last = snap.Seq
	h.srv.wg.Add(1)
	go func() {
		defer h.srv.wg.Done()
		defer func() { <-h.snaps.slot }()
		if err := h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), store.Batch{Table: h.id, Snapshot: snap, Epoch: h.lease.epochOf()}); err != nil {
			h.log.Warn("snapshot", "seq", snap.Seq, "err", err)
		}
	}()
}

// snapshotOnExit saves a snapshot when many events came after the last
// one, so the next load is quick. A failure only costs load time.
func (h *hub) snapshotOnExit() {
	if h.state == nil || h.state.Seq-h.snaps.last < h.snaps.every/4 {
		return
	}
	snap, err := tables.Snapshot(h.state)
	if err == nil {
		err = h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), store.Batch{Table: h.id, Snapshot: snap, Epoch: h.lease.epochOf()})
	}
	if err != nil {
		h.log.Warn("snapshot on unload", "err", err)
	}
}
