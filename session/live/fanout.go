package live

import (
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
)

// The hub's fan-out. What the hub commits is not sent at once: it goes
// into the outbox, and a flush sends everything in it as one frame per
// client. A flush follows a commit at once when the table has been quiet
// for Config.FlushInterval; otherwise it waits for the rest of that
// interval, so that a busy table sends at most one frame per client per
// interval however many events it commits. Each event is encoded once per
// audience (public, facilitator) into one buffer per audience, and every
// client of that audience gets the same bytes: one shared, prepared frame.
// Only a client with something of its own in the flush (an ack, an error,
// an event shaped for it alone) gets a frame of its own, made of its own
// messages and slices of its audience's buffer.

// outbox is what the hub has committed and not yet sent.
type outbox struct {
	pub, fac []byte    // the pending events as each audience sees them, "\n"-separated
	spans    []span    // where each pending event is in pub and fac
	commits  []int     // the index in spans of each pending commit's first event
	owners   []*client // clients with an ownOut
	npub     int       // pending events with a public form
	nfac     int       // and with a facilitators' form
}

// fanCount is what the hub has queued to clients since it last reported
// to the metrics: plain integers on the hub's goroutine, reported once per
// flush, so that counting costs the fan-out next to nothing.
type fanCount struct {
	frames, messages int
}

// reportFanout hands the counts to the metrics.
func (h *hub) reportFanout() {
	h.srv.metrics.Fanout(h.fan.frames, h.fan.messages)
	h.fan = fanCount{}
}

type span struct{ pub0, pub1, fac0, fac1 int }

// ownOut is what one client gets besides its audience's events.
type ownOut struct {
	replies []ownMsg // acks and errors, at the index of their commit
	events  []ownMsg // events shaped for this client alone, at their index in spans
}

type ownMsg struct {
	at int
	b  []byte
}

func (h *hub) ownOf(c *client) *ownOut {
	if c.own == nil {
		c.own = &ownOut{}
		h.out.owners = append(h.out.owners, c)
	}
	return c.own
}

// beginCommit starts a commit's part of the outbox; its replies go first.
func (h *hub) beginCommit() {
	h.out.commits = append(h.out.commits, len(h.out.spans))
}

// addReply queues an ack or error for the client, in the current commit.
func (h *hub) addReply(c *client, b []byte) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	o := h.ownOf(c)
	o.replies = append(o.replies, ownMsg{at: len(h.out.commits) - 1, b: b})
}

// addEvent queues an event for every client, shaped for each audience and
// encoded at most once per audience.
func (h *hub) addEvent(e session.Event) {
	ob := &h.out
	facs := h.presence.roles[session.RoleFacilitator]
	pubData := session.Project(e, session.AudiencePublic)
	var pub []byte
	if len(h.clients) > facs && pubData != nil {
		pub = eventBytes(e, pubData)
	}
	var fac []byte
	if facs > 0 {
		if d := session.Project(e, session.AudienceFacilitator); d != pubData || pub == nil {
			fac = eventBytes(e, d)
		} else {
			fac = pub
		}
	}
	if pub != nil {
		ob.npub++
	}
	if fac != nil {
		ob.nfac++
	}
	var sp span
	ob.pub, sp.pub0, sp.pub1 = appendMsg(ob.pub, pub)
	ob.fac, sp.fac0, sp.fac1 = appendMsg(ob.fac, fac)
	ob.spans = append(ob.spans, sp)
	actor := session.SelfActor(e)
	if actor != "" {
		var self []byte
		for _, c := range h.byActor[actor] {
			if self == nil {
				self = eventBytes(e, session.Project(e, session.AudienceSelf))
			}
			o := h.ownOf(c)
			o.events = append(o.events, ownMsg{at: len(ob.spans) - 1, b: self})
		}
	}
	// A group's shape goes to its members, in place of the public one
	// (for a private group's content, in place of nothing).
	for _, g := range session.GroupsOf(e) {
		var shape []byte
		for _, c := range h.byGroup[g] {
			if c.who.Role == session.RoleFacilitator || actor != "" && c.actor == actor {
				continue
			}
			if shape == nil {
				shape = eventBytes(e, session.ProjectGroup(e, g))
			}
			o := h.ownOf(c)
			o.events = append(o.events, ownMsg{at: len(ob.spans) - 1, b: shape})
		}
	}
}

// appendMsg adds a message to an audience buffer and says where it is.
func appendMsg(buf, msg []byte) ([]byte, int, int) {
	if msg == nil {
		return buf, len(buf), len(buf)
	}
	if len(buf) > 0 {
		buf = append(buf, '\n')
	}
	start := len(buf)
	buf = append(buf, msg...)
	return buf, start, len(buf)
}

// flushClock times the flushes of a hub's outbox.
type flushClock struct {
	last  time.Time     // when the outbox last went out
	timer *time.Timer   // fires when a flush put off by requestFlush is due
	armed bool          // the timer is set
	gap   time.Duration // the gap it was set for
}

func (f *flushClock) start() {
	f.timer = time.NewTimer(time.Hour)
	f.timer.Stop()
}

func (f *flushClock) stop() { f.timer.Stop() }

// flushed notes a flush at now and disarms the timer.
func (f *flushClock) flushed(now time.Time) {
	if f.armed {
		f.timer.Stop()
		f.armed = false
	}
	f.last = now
}

// requestFlush flushes now if the last flush is at least the flush gap
// ago, and otherwise makes sure a flush comes when it has passed. A commit
// that widens what the flush writes (a public event after a group's)
// puts an armed flush off to the longer gap.
func (h *hub) requestFlush() {
	iv := h.flushGap()
	since := time.Since(h.flush.last)
	if iv < 0 || since >= iv {
		h.flushOut()
		return
	}
	if !h.flush.armed || iv > h.flush.gap {
		h.flush.armed, h.flush.gap = true, iv
		h.flush.timer.Reset(iv - since)
	}
}

// flushGap is the shortest time between two flushes: FlushInterval, or
// FlushPerClient for each client the flush writes to if that is longer,
// up to MaxFlushInterval. Every flush costs a write for every client it
// writes to, so a big table sends fewer, fuller frames; this keeps the
// frames per second a table causes below a bound whatever its size. A
// flush that only a few clients get (a private group's events, which go
// to the group and the facilitators) costs only their writes, and need
// not wait as long as one to everyone.
func (h *hub) flushGap() time.Duration {
	c := h.srv.cfg
	if c.FlushInterval < 0 {
		return c.FlushInterval
	}
	return min(max(c.FlushInterval, time.Duration(h.writes())*c.FlushPerClient), max(c.FlushInterval, c.MaxFlushInterval))
}

// writes is how many clients the next flush writes to: everyone when the
// outbox holds an event the public gets; otherwise the facilitators, when
// it holds one for them, and the clients with something of their own (at
// most that many: a facilitator may be both).
func (h *hub) writes() int {
	ob := &h.out
	if len(ob.pub) > 0 {
		return len(h.clients)
	}
	n := len(ob.owners)
	if len(ob.fac) > 0 {
		n += h.presence.roles[session.RoleFacilitator]
	}
	return min(n, len(h.clients))
}

// flushOut sends the outbox: one frame per client.
func (h *hub) flushOut() {
	ob := &h.out
	h.flush.flushed(time.Now())
	if len(ob.spans) == 0 && len(ob.owners) == 0 {
		ob.commits = ob.commits[:0]
		return
	}
	var pub, fac *sharedFrame
	if len(ob.spans) > 0 {
		if len(ob.pub) > 0 {
			pub = newSharedFrame(ob.pub)
		}
		if len(ob.fac) > 0 {
			fac = newSharedFrame(ob.fac)
		}
		for c := range h.clients {
			if c.own != nil {
				continue
			}
			if c.who.Role == session.RoleFacilitator {
				if fac != nil {
					h.send(c, sharedOf(fac))
				}
			} else if pub != nil {
				h.send(c, sharedOf(pub))
			}
		}
		h.countShared(pub != nil, fac != nil)
	}
	for _, c := range ob.owners {
		if _, ok := h.clients[c]; ok {
			if parts := h.render(c); len(parts) > 0 {
				h.sendCounted(c, partsFrame(parts...), h.ownMessages(c))
			}
		}
		c.own = nil
	}
	h.reportFanout()
	// Buffers that went out belong to their frames now; the next flush
	// starts new ones.
	ob.pub, ob.fac = nextBuffer(ob.pub), nextBuffer(ob.fac)
	ob.spans, ob.commits = ob.spans[:0], ob.commits[:0]
	ob.npub, ob.nfac = 0, 0
	clear(ob.owners)
	ob.owners = ob.owners[:0]
}

func nextBuffer(sent []byte) []byte {
	if len(sent) == 0 {
		return sent
	}
	return make([]byte, 0, min(cap(sent), 64<<10))
}

// render makes a client's own frame: for each commit, its replies, then the
// commit's events, its own shapes in place of its audience's. Runs of the
// audience's events are slices of the shared buffer, not copies.
func (h *hub) render(c *client) [][]byte {
	ob := &h.out
	o := c.own
	fac := c.who.Role == session.RoleFacilitator
	run := func(parts [][]byte, from, to int) [][]byte {
		if from >= to {
			return parts
		}
		a, b := ob.spans[from], ob.spans[to-1]
		if fac {
			if b.fac1 > a.fac0 {
				parts = append(parts, ob.fac[a.fac0:b.fac1])
			}
		} else if b.pub1 > a.pub0 {
			parts = append(parts, ob.pub[a.pub0:b.pub1])
		}
		return parts
	}
	parts := make([][]byte, 0, len(o.replies)+2*len(o.events)+2)
	ri, ei := 0, 0
	for k, first := range ob.commits {
		end := len(ob.spans)
		if k+1 < len(ob.commits) {
			end = ob.commits[k+1]
		}
		for ; ri < len(o.replies) && o.replies[ri].at == k; ri++ {
			parts = append(parts, o.replies[ri].b)
		}
		from := first
		for ; ei < len(o.events) && o.events[ei].at < end; ei++ {
			at := o.events[ei].at
			parts = run(parts, from, at)
			parts = append(parts, o.events[ei].b)
			from = at + 1
		}
		parts = run(parts, from, end)
	}
	return parts
}

// send queues a frame for a client without ever blocking the hub, and
// says whether it did. A client whose queue is full, or holds more bytes
// than allowed, is disconnected and will resume later. The caller counts
// what was sent (h.fan).
func (h *hub) send(c *client, f frame) bool {
	if _, ok := h.clients[c]; !ok {
		return false
	}
	if !c.push(f, h.srv.cfg.SendQueue, h.srv.cfg.MaxQueueBytes) {
		h.log.Info("dropping slow client", "client", c.id, "frames", c.queued())
		h.srv.metrics.QueueFull(metrics.Send)
		h.srv.metrics.SlowClientDropped()
		h.drop(c, closeSlow, "too slow, resume")
		return false
	}
	return true
}

// countShared counts the shared frames the loop of flushOut just queued,
// without counting in that loop, which is the fan-out's whole cost: every
// client still registered and not an owner got its audience's frame, as a
// client whose queue was full was dropped, hence unregistered. The
// presence counts say how many clients of each audience are registered.
func (h *hub) countShared(pub, fac bool) {
	facs, pubs := h.presence.roles[session.RoleFacilitator], len(h.clients)
	pubs -= facs
	for _, c := range h.out.owners {
		if _, ok := h.clients[c]; !ok {
			continue
		}
		if c.who.Role == session.RoleFacilitator {
			facs--
		} else {
			pubs--
		}
	}
	if pub {
		h.fan.frames += pubs
		h.fan.messages += pubs * h.out.npub
	}
	if fac {
		h.fan.frames += facs
		h.fan.messages += facs * h.out.nfac
	}
}

// ownMessages counts the messages of an owner's frame: its audience's
// events and its replies, and its own shapes of events of which its
// audience gets nothing (a private group's content); its other own shapes
// take the place of its audience's (render).
func (h *hub) ownMessages(c *client) int {
	fac := c.who.Role == session.RoleFacilitator
	n := h.out.npub
	if fac {
		n = h.out.nfac
	}
	n += len(c.own.replies)
	for _, m := range c.own.events {
		sp := h.out.spans[m.at]
		if fac && sp.fac1 == sp.fac0 || !fac && sp.pub1 == sp.pub0 {
			n++
		}
	}
	return n
}

// sendCounted sends a frame of msgs messages and counts it if it went.
func (h *hub) sendCounted(c *client, f frame, msgs int) {
	if h.send(c, f) {
		h.fan.frames++
		h.fan.messages += msgs
	}
}
