package live

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

type outcome struct {
	cmd *command
	ev  int   // index of the event it caused, -1 if none
	seq int64 // for a repeated op: the seq of its first result
	err error
}

// commit decides every command of the batch against the state, appends the
// resulting events in one store transaction, and only after the commit
// acknowledges the senders and broadcasts. If the store fails, the state
// is reloaded from the store and every sender gets an error: nothing is
// acknowledged that is not durable.
func (h *hub) commit(batch []*command) {
	if len(batch) == 0 {
		return
	}
	env := session.Env{Now: time.Now(), NewID: uuid.NewString, MaxParticipants: h.srv.cfg.MaxParticipants}
	outs := make([]outcome, len(batch))
	var events []session.Event
	var newOps []string
	for i, r := range batch {
		outs[i] = outcome{cmd: r, ev: -1}
		key := ""
		if r.opID != "" {
			key = r.who.Actor() + " " + r.opID
			if seq, ok := h.ops[key]; ok {
				outs[i].seq = seq
				continue
			}
		}
		e, err := session.Decide(h.state, r.who, r.cmd, env)
		if err != nil {
			outs[i].err = err
			continue
		}
		e.Seq, e.Op = h.state.Seq+1, key
		h.state.Apply(e)
		if key != "" {
			h.ops[key] = e.Seq
			newOps = append(newOps, key)
		}
		events = append(events, e)
		outs[i].ev = len(events) - 1
	}
	if len(events) > 0 {
		err := errLeaseLost
		if h.lease.valid() {
			err = h.append(events)
		}
		if err != nil {
			lost := errors.Is(err, errLeaseLost) || errors.Is(err, store.ErrFenced)
			if lost {
				h.lease.lose(err.Error())
			} else {
				h.log.Error("append failed; nothing acknowledged", "events", len(events), "err", err)
			}
			for _, k := range newOps {
				delete(h.ops, k)
			}
			unavailable := &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable,
				Message: "the server could not save this; nothing was changed, please try again"}
			// Refusals in the batch were decided against state that is now
			// gone, so they are answered the same way: try again.
			for i := range outs {
				outs[i].ev, outs[i].seq, outs[i].err = -1, 0, unavailable
			}
			h.beginCommit()
			h.reply(outs, nil)
			h.flushOut()
			if lost {
				// Another node may own the table now: its log is the truth.
				h.lost = true
				return
			}
			if err := h.reload(); err != nil {
				h.log.Error("reload after failed append; unloading the table", "err", err)
				h.broken = true
			}
			return
		}
	}
	h.beginCommit()
	h.reply(outs, events)
	urgent := false
	for _, e := range events {
		h.regroup(e)
		h.addEvent(e)
		switch e.Data.(type) {
		case *session.ParticipantRemoved, *session.ParticipantForgotten, *session.GroupRemoved, *session.FacilitatorRemoved:
			urgent = true // those removed get the event before their connection closes
		}
	}
	if urgent {
		h.flushOut()
	} else {
		h.requestFlush()
	}
	for _, e := range events {
		h.after(e)
	}
}

// append writes events to the store, with a snapshot when one is due.
func (h *hub) append(events []session.Event) error {
	b, err := tables.Batch(h.state, events)
	if err != nil {
		return err
	}
	b.Epoch = h.lease.epochOf()
	var snap *store.Snapshot
	if h.snaps.due(h.state.Seq) {
		// Encoded here, where the state is the state after the events;
		// written after them, by writeSnapshot.
		if snap, err = h.takeSnapshot(); err != nil {
			return err
		}
	}
	// The hub's context may be cancelled during shutdown; the last batch must still commit.
	start := time.Now()
	if err := h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), b); err != nil {
		h.srv.metrics.CommitFailed()
		return err
	}
	d := time.Since(start)
	if d > slowCommit {
		// Nothing reaches anyone while a commit waits: worth knowing.
		h.log.Warn("slow commit", "ms", d.Milliseconds(), "events", len(events))
	}
	h.srv.metrics.Committed(len(events), d, d > slowCommit)
	if snap != nil {
		h.writeSnapshot(snap)
	}
	h.resume.add(events)
	return nil
}

// errLeaseLost is why a commit is refused when the table's lease is no
// longer surely this node's.
var errLeaseLost = errors.New("live: the table's lease is not this node's any more")

// slowCommit is how long a commit may take before the hub logs it.
const slowCommit = 250 * time.Millisecond

// reply answers HTTP callers at once and queues the websocket clients'
// acks and errors for the next flush, ahead of the commit's events.
func (h *hub) reply(outs []outcome, events []session.Event) {
	for _, o := range outs {
		var ack []byte
		res := result{err: o.err}
		switch {
		case o.err != nil:
			ack = errorBytes(o.cmd.opID, o.err)
			if o.cmd.client != nil {
				// An HTTP caller's refusal is counted when the HTTP layer answers it.
				h.srv.refused(o.err)
			}
			if e := session.AsError(o.err); e.Kind == session.KindInternal {
				h.log.Warn("command failed", "op", o.cmd.opID, "code", e.Code)
			}
		case o.ev >= 0:
			res.event = events[o.ev]
			ack = encode(ackMsg{Type: "ack", ID: o.cmd.opID, Seq: res.event.Seq})
		default:
			res.event = session.Event{Seq: o.seq}
			ack = encode(ackMsg{Type: "ack", ID: o.cmd.opID, Seq: o.seq, Dup: true})
		}
		if o.cmd.reply != nil {
			o.cmd.reply <- res
		}
		if c := o.cmd.client; c != nil {
			h.addReply(c, ack)
		}
	}
}

// after applies the consequences of an event for connections and presence.
func (h *hub) after(e session.Event) {
	switch d := e.Data.(type) {
	case *session.ParticipantRemoved:
		for _, c := range slices.Clone(h.byActor[session.Who{Role: session.RoleParticipant, ID: d.Participant}.Actor()]) {
			h.drop(c, closePolicy, "removed")
		}
	case *session.GroupRemoved:
		for _, c := range slices.Clone(h.byActor[session.Who{Role: session.RoleScribe, ID: d.Group}.Actor()]) {
			h.drop(c, closePolicy, "removed")
		}
	case *session.FacilitatorRemoved:
		for _, c := range slices.Clone(h.byActor[session.Who{Role: session.RoleFacilitator, ID: d.Facilitator}.Actor()]) {
			h.drop(c, closePolicy, "removed")
		}
	case *session.ParticipantForgotten:
		for _, c := range slices.Clone(h.byActor[session.Who{Role: session.RoleParticipant, ID: d.Participant}.Actor()]) {
			h.drop(c, closePolicy, "removed")
		}
		h.redact(d.Participant, e.Seq)
	case *session.ParticipantUpdated:
		h.presence.resector(d.Participant, d.Sector)
	}
}

// redact erases a forgotten participant from the table's stored events
// before seq, and their snapshots, on the hub's goroutine so that no
// snapshot of the state before is written meanwhile (the store would
// refuse it anyway). A failure is logged: the state is erased and the
// event stored, and running "poyta participants forget" again finishes
// the erasure.
func (h *hub) redact(participant string, seq int64) {
	n, err := h.srv.cfg.Store.Redact(context.WithoutCancel(h.srv.ctx), h.id, seq, func(e store.Event) ([]byte, bool, error) {
		return session.Redact(e.Data, participant)
	})
	if err != nil {
		h.log.Error("erasing a forgotten participant from the stored events failed", "participant", participant, "err", err)
		return
	}
	h.log.Info("participant forgotten", "participant", participant, "events", n)
}
