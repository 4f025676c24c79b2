package live

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

type reqKind int

const (
	reqCommand reqKind = iota
	reqJoin
	reqLeave
	reqQuery
)

// request is everything that reaches a hub, through one inbox so that a
// client's hello, its commands and its leaving keep their order.
type request struct {
	kind   reqKind
	client *Client // nil for HTTP callers

	// reqCommand
	who   session.Who
	opID  string
	cmd   session.Command
	reply chan result // for HTTP callers; buffered, 1

	// reqJoin
	hello hello

	// reqQuery
	query func(*session.Table)
	done  chan struct{}
}

// result is a command's outcome for an HTTP caller.
type result struct {
	event session.Event
	err   error
}

// hub is one live table. Its goroutine is the only owner of the table state
// and of the set of connected clients: no locks around either.
type hub struct {
	id    string
	srv   *Server
	log   *slog.Logger
	inbox chan *request

	loaded  chan struct{} // closed when loading finished; loadErr tells how
	loadErr error
	quit    chan struct{} // closed when the goroutine has exited
	refs    int           // guarded by srv.mu: clients and calls using the hub

	state    *session.Table
	ops      map[string]int64 // op key -> seq, for idempotent retries
	recent   []session.Event  // the last events, for resuming clients
	lastSnap int64            // seq of the last snapshot written or being written
	snapAt   time.Time        // when the last snapshot was made
	snapCost time.Duration    // how long encoding it took
	snapSize int              // and how big it was
	snapSlot chan struct{}    // holds a token while a snapshot is being written
	clients  map[*Client]struct{}
	byActor  map[string][]*Client // the clients of each actor, for events shaped for their actor
	online   map[string]int       // participant id -> open connections
	bySector map[string]int       // online participants per sector, kept as they come and go
	sectorOf map[string]string    // online participant id -> the sector counted for them
	roles    map[session.Role]int
	joined   map[string]bool // presence changes since the last presence message
	left     map[string]bool
	dirty    bool
	lastUsed time.Time
	broken   bool // the state could not be reloaded after a failed append

	out        outbox // committed, not yet sent (fanout.go)
	lastFlush  time.Time
	flushTimer *time.Timer
	flushArmed bool
}

func newHub(s *Server, id string) *hub {
	return &hub{
		id: id, srv: s, log: s.log.With("table", id),
		inbox:    make(chan *request, s.cfg.InboxSize),
		loaded:   make(chan struct{}),
		snapSlot: make(chan struct{}, 1),
		quit:     make(chan struct{}),
		clients:  map[*Client]struct{}{},
		byActor:  map[string][]*Client{},
		online:   map[string]int{},
		bySector: map[string]int{},
		sectorOf: map[string]string{},
		roles:    map[session.Role]int{},
		joined:   map[string]bool{},
		left:     map[string]bool{},
	}
}

func (h *hub) run(ctx context.Context) {
	defer close(h.quit)
	if err := h.load(ctx); err != nil {
		h.loadErr = err
		h.srv.forget(h)
		close(h.loaded)
		return
	}
	close(h.loaded)
	h.log.Debug("table loaded", "seq", h.state.Seq)
	h.lastUsed = time.Now()
	presence := time.NewTicker(h.srv.cfg.PresenceInterval)
	defer presence.Stop()
	idle := time.NewTicker(h.srv.cfg.IdleTimeout/2 + time.Millisecond)
	defer idle.Stop()
	h.flushTimer = time.NewTimer(time.Hour)
	h.flushTimer.Stop()
	defer h.flushTimer.Stop()
	for {
		select {
		case <-ctx.Done():
			h.shutdown()
			return
		case r := <-h.inbox:
			h.lastUsed = time.Now()
			h.handle(r)
			if h.broken {
				h.fail()
				return
			}
		case <-h.flushTimer.C:
			h.flushArmed = false
			h.flushOut()
		case <-presence.C:
			h.flushPresence()
		case <-idle.C:
			if len(h.clients) == 0 && time.Since(h.lastUsed) >= h.srv.cfg.IdleTimeout && h.srv.tryUnload(h) {
				h.snapshotOnExit()
				h.log.Debug("table unloaded", "seq", h.state.Seq)
				return
			}
		}
	}
}

// load rebuilds the table from the store, with the recent events for
// resuming clients and the op ids for idempotent retries.
func (h *hub) load(ctx context.Context) error {
	l, err := Load(ctx, h.srv.cfg.Store, h.id, h.srv.cfg.ResumeWindow)
	if err != nil {
		return err
	}
	ops, err := h.srv.cfg.Store.Ops(ctx, h.id, 0)
	if err != nil {
		return fmt.Errorf("live: load table: %w", err)
	}
	h.state, h.ops, h.recent, h.lastSnap = l.Table, ops, l.Recent, l.SnapSeq
	// After a reload the sectors may have changed back: count again.
	clear(h.bySector)
	clear(h.sectorOf)
	for id := range h.online {
		h.countOnline(id, 1)
	}
	return nil
}

// errNoTable is the answer for a table id that is not in the store.
var errNoTable = &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no such table"}

// handle serves one request and, for commands, everything already waiting
// behind it, so that they commit in one transaction (group commit).
func (h *hub) handle(r *request) {
	var batch []*request
	for {
		if r.kind == reqCommand {
			batch = append(batch, r)
		} else {
			h.commit(batch)
			batch = batch[:0]
			h.handleOther(r)
		}
		if len(batch) >= h.srv.cfg.MaxBatch {
			break
		}
		select {
		case r = <-h.inbox:
			continue
		default:
		}
		break
	}
	h.commit(batch)
}

func (h *hub) handleOther(r *request) {
	switch r.kind {
	case reqJoin:
		// The newcomer's state is the table's as of now: what is committed
		// before must go out first, to the others only.
		h.flushOut()
		h.join(r.client, r.hello)
	case reqLeave:
		h.leave(r.client)
	case reqQuery:
		r.query(h.state)
		close(r.done)
	}
}

type outcome struct {
	req *request
	ev  int   // index of the event it caused, -1 if none
	seq int64 // for a repeated op: the seq of its first result
	err error
}

// commit decides every command of the batch against the state, appends the
// resulting events in one store transaction, and only after the commit
// acknowledges the senders and broadcasts. If the store fails, the state
// is reloaded from the store and every sender gets an error: nothing is
// acknowledged that is not durable.
func (h *hub) commit(batch []*request) {
	if len(batch) == 0 {
		return
	}
	env := session.Env{Now: time.Now(), NewID: uuid.NewString, MaxParticipants: h.srv.cfg.MaxParticipants}
	outs := make([]outcome, len(batch))
	var events []session.Event
	var newOps []string
	for i, r := range batch {
		outs[i] = outcome{req: r, ev: -1}
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
		if err := h.append(events); err != nil {
			h.log.Error("append failed; nothing acknowledged", "events", len(events), "err", err)
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
		h.addEvent(e)
		switch e.Data.(type) {
		case *session.ParticipantRemoved, *session.GroupRemoved:
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
	b := store.Batch{Table: h.id, Events: make([]store.Event, len(events))}
	for i, e := range events {
		data, err := session.EncodeData(e)
		if err != nil {
			return err
		}
		b.Events[i] = store.Event{Table: h.id, Seq: e.Seq, Time: e.Time, Actor: e.Actor, Type: e.Type, Data: data, Op: e.Op}
		switch d := e.Data.(type) {
		case *session.TableEdited:
			if d.Title != nil {
				b.Title = h.state.Title
			}
		case *session.TableLocked, *session.TableClosed:
			b.Status = status(h.state)
		}
	}
	last := events[len(events)-1].Seq
	var snap *store.Snapshot
	if h.snapshotDue(last) {
		// Encoded here, where the state is the state at last; written after
		// the events, by writeSnapshot.
		start := time.Now()
		data, err := h.state.MarshalSnapshot()
		if err != nil {
			return err
		}
		h.snapAt, h.snapCost, h.snapSize = time.Now(), time.Since(start), len(data)
		snap = &store.Snapshot{Table: h.id, Seq: last, Version: session.SnapshotVersion, Data: data}
	}
	// The hub's context may be cancelled during shutdown; the last batch must still commit.
	start := time.Now()
	if err := h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), b); err != nil {
		return err
	}
	if d := time.Since(start); d > slowCommit {
		// Nothing reaches anyone while a commit waits: worth knowing.
		h.log.Warn("slow commit", "ms", d.Milliseconds(), "events", len(events))
	}
	if snap != nil {
		h.writeSnapshot(snap)
	}
	h.recent = append(h.recent, events...)
	if over := len(h.recent) - h.srv.cfg.ResumeWindow; over > h.srv.cfg.ResumeWindow/4 {
		h.recent = append(h.recent[:0:0], h.recent[over:]...)
	}
	return nil
}

// slowCommit is how long a commit may take before the hub logs it.
const slowCommit = 250 * time.Millisecond

// snapshotDue says whether to snapshot the table at seq last. A snapshot
// is due SnapshotEvery events after the last one, or, for a big table,
// after as many events as it takes for them to weigh (at 200 bytes an
// event) what the last snapshot weighed, up to ten times SnapshotEvery: so
// snapshots write no more than the events themselves, which matters because
// every byte written delays the commits queued behind it. And no more than
// 1% of the hub's time goes to encoding snapshots, unless ten times
// SnapshotEvery events have come. Never while one is being written.
func (h *hub) snapshotDue(last int64) bool {
	every, since := int64(h.srv.cfg.SnapshotEvery), last-h.lastSnap
	if len(h.snapSlot) > 0 || since < min(10*every, max(every, int64(h.snapSize)/200)) {
		return false
	}
	return since >= 10*every || time.Since(h.snapAt) >= 100*h.snapCost
}

// writeSnapshot stores a snapshot in a transaction of its own, on a
// goroutine, so that the hub goes on while megabytes are written and
// synced. The events it covers are already committed; if it fails, the
// next load only reads more events.
func (h *hub) writeSnapshot(snap *store.Snapshot) {
	h.snapSlot <- struct{}{} // free: snapshotDue checked it
	h.lastSnap = snap.Seq
	h.srv.wg.Add(1)
	go func() {
		defer h.srv.wg.Done()
		defer func() { <-h.snapSlot }()
		if err := h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), store.Batch{Table: h.id, Snapshot: snap}); err != nil {
			h.log.Warn("snapshot", "seq", snap.Seq, "err", err)
		}
	}()
}

func status(t *session.Table) string {
	switch {
	case t.Closed:
		return "closed"
	case t.Locked:
		return "locked"
	}
	return "open"
}

// reload replaces the in-memory state with what the store has, after a
// failed append left it ahead of the log.
func (h *hub) reload() error {
	return h.load(context.WithoutCancel(h.srv.ctx))
}

// fail unloads a hub whose state could not be restored from the store:
// clients are told to come back, and the next one loads the table afresh.
func (h *hub) fail() {
	h.srv.forget(h)
	for c := range h.clients {
		h.drop(c, closeInternal, "try again")
	}
}

// snapshotOnExit saves a snapshot when many events came after the last
// one, so the next load is quick. A failure only costs load time.
func (h *hub) snapshotOnExit() {
	if h.state == nil || h.state.Seq-h.lastSnap < int64(h.srv.cfg.SnapshotEvery)/4 {
		return
	}
	data, err := h.state.MarshalSnapshot()
	if err == nil {
		snap := &store.Snapshot{Table: h.id, Seq: h.state.Seq, Version: session.SnapshotVersion, Data: data}
		err = h.srv.cfg.Store.Append(context.WithoutCancel(h.srv.ctx), store.Batch{Table: h.id, Snapshot: snap})
	}
	if err != nil {
		h.log.Warn("snapshot on unload", "err", err)
	}
}

// reply answers HTTP callers at once and queues the websocket clients'
// acks and errors for the next flush, ahead of the commit's events.
func (h *hub) reply(outs []outcome, events []session.Event) {
	for _, o := range outs {
		var ack []byte
		res := result{err: o.err}
		switch {
		case o.err != nil:
			ack = errorBytes(o.req.opID, o.err)
			if e := session.AsError(o.err); e.Kind == session.KindInternal {
				h.log.Warn("command failed", "op", o.req.opID, "code", e.Code)
			}
		case o.ev >= 0:
			res.event = events[o.ev]
			ack = encode(ackMsg{Type: "ack", ID: o.req.opID, Seq: res.event.Seq})
		default:
			res.event = session.Event{Seq: o.seq}
			ack = encode(ackMsg{Type: "ack", ID: o.req.opID, Seq: o.seq, Dup: true})
		}
		if o.req.reply != nil {
			o.req.reply <- res
		}
		if c := o.req.client; c != nil {
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
	case *session.ParticipantUpdated:
		if h.online[d.Participant] > 0 {
			h.dirty = true
			if h.sectorOf[d.Participant] != d.Sector {
				h.countOnline(d.Participant, -1)
				h.countOnline(d.Participant, 1)
			}
		}
	}
}

// join authenticates a client's hello, registers it and brings it up to date.
func (h *hub) join(c *Client, hl hello) {
	who, err := h.state.Authenticate(hl.Role, hl.Token)
	if err != nil {
		if session.AsError(err).Code == session.CodeUnauthorized {
			h.srv.codes.spend(c.ip, time.Now())
		}
		c.enqueue(errorBytes("", err))
		c.close(closePolicy, session.AsError(err).Code)
		return
	}
	c.who, c.actor = who, who.Actor()
	h.clients[c] = struct{}{}
	h.byActor[c.actor] = append(h.byActor[c.actor], c)
	h.roles[who.Role]++
	if who.Role == session.RoleParticipant {
		if h.online[who.ID]++; h.online[who.ID] == 1 {
			h.countOnline(who.ID, 1)
			h.joined[who.ID] = true
			delete(h.left, who.ID)
		}
	}
	h.dirty = true
	w := welcomeMsg{Type: "welcome", Table: h.id, Role: who.Role, You: who.ID, Seq: h.state.Seq,
		Counts: h.counts(), Server: time.Now().UTC()}
	if who.Role == session.RoleFacilitator {
		// Only facilitators see who is online; everyone sees the counts.
		w.Online = h.onlineList()
	}
	var buf bytes.Buffer
	if missed, ok := h.missed(hl.Since); ok {
		w.Resume = "events"
		buf.Write(encode(w))
		for _, e := range missed {
			buf.WriteByte('\n')
			buf.Write(eventBytes(e, session.Project(e, session.AudienceOf(who, e))))
		}
	} else {
		w.Resume = "snapshot"
		buf.Write(encode(w))
		buf.WriteByte('\n')
		buf.Write(encode(snapshotMsg{Type: "snapshot", Seq: h.state.Seq, State: h.state.ViewFor(who)}))
	}
	h.send(c, partsFrame(buf.Bytes()))
	close(c.registered)
	h.log.Debug("client joined", "client", c.id, "role", who.Role, "since", hl.Since, "resume", w.Resume)
}

// missed returns the events after since when the hub still has all of
// them; otherwise the client needs a snapshot.
func (h *hub) missed(since int64) ([]session.Event, bool) {
	if since <= 0 || since > h.state.Seq {
		return nil, false
	}
	if since == h.state.Seq {
		return nil, true
	}
	if len(h.recent) == 0 || h.recent[0].Seq > since+1 {
		return nil, false
	}
	return h.recent[since+1-h.recent[0].Seq:], true
}

func (h *hub) leave(c *Client) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	if cs := h.byActor[c.actor]; len(cs) <= 1 {
		delete(h.byActor, c.actor)
	} else {
		i := slices.Index(cs, c)
		cs[i] = cs[len(cs)-1]
		cs[len(cs)-1] = nil
		h.byActor[c.actor] = cs[:len(cs)-1]
	}
	h.roles[c.who.Role]--
	if c.who.Role == session.RoleParticipant {
		if h.online[c.who.ID]--; h.online[c.who.ID] <= 0 {
			h.countOnline(c.who.ID, -1)
			delete(h.online, c.who.ID)
			if h.joined[c.who.ID] {
				delete(h.joined, c.who.ID)
			} else {
				h.left[c.who.ID] = true
			}
		}
	}
	h.dirty = true
}

// drop disconnects a client; it resumes by reconnecting.
func (h *hub) drop(c *Client, code int, reason string) {
	h.leave(c)
	c.close(code, reason)
}

func (h *hub) onlineList() []string {
	out := make([]string, 0, len(h.online))
	for id := range h.online {
		out = append(out, id)
	}
	return out
}

func (h *hub) counts() presenceCounts {
	return presenceCounts{Participants: len(h.online), Facilitators: h.roles[session.RoleFacilitator],
		Scribes: h.roles[session.RoleScribe], Screens: h.roles[session.RoleScreen], BySector: maps.Clone(h.bySector)}
}

// countOnline counts a participant who came online (n = 1), under their
// sector now, or went offline (n = -1), under the sector they were counted in.
func (h *hub) countOnline(id string, n int) {
	if n > 0 {
		if p := h.state.Participants[id]; p != nil {
			h.sectorOf[id] = p.Sector
			h.bySector[p.Sector]++
		}
		return
	}
	sector, ok := h.sectorOf[id]
	if !ok {
		return
	}
	delete(h.sectorOf, id)
	if h.bySector[sector]--; h.bySector[sector] <= 0 {
		delete(h.bySector, sector)
	}
}

// flushPresence tells everyone who came and went since the last message;
// at most one presence message per interval however many people join.
func (h *hub) flushPresence() {
	if !h.dirty {
		return
	}
	h.dirty = false
	counts := presenceMsg{Type: "presence", Counts: h.counts()}
	full := counts
	for id := range h.joined {
		full.Online = append(full.Online, id)
	}
	for id := range h.left {
		full.Offline = append(full.Offline, id)
	}
	clear(h.joined)
	clear(h.left)
	// Events committed before go out first; presence is a frame of its own.
	h.flushOut()
	pub, fac := newSharedFrame(encode(counts)), newSharedFrame(encode(full))
	for c := range h.clients {
		if c.who.Role == session.RoleFacilitator {
			h.send(c, sharedOf(fac))
		} else {
			h.send(c, sharedOf(pub))
		}
	}
}

// shutdown commits what is already queued, then closes every client with
// "going away" so browsers know to reconnect.
func (h *hub) shutdown() {
	for {
		select {
		case r := <-h.inbox:
			h.handle(r)
			continue
		default:
		}
		break
	}
	h.flushOut()
	for c := range h.clients {
		h.drop(c, closeGoingAway, "server restarting")
	}
	h.snapshotOnExit()
}

// call runs a command for an HTTP caller and waits for its committed outcome.
func (h *hub) call(ctx context.Context, who session.Who, cmd session.Command) (session.Event, error) {
	r := &request{kind: reqCommand, who: who, cmd: cmd, reply: make(chan result, 1)}
	select {
	case h.inbox <- r:
	case <-h.quit:
		return session.Event{}, errStopped
	case <-ctx.Done():
		return session.Event{}, ctx.Err()
	}
	select {
	case res := <-r.reply:
		return res.event, res.err
	case <-h.quit:
		return session.Event{}, errStopped
	}
}

// read runs f on the hub's goroutine, where it may read the state.
func (h *hub) read(ctx context.Context, f func(*session.Table)) error {
	r := &request{kind: reqQuery, query: f, done: make(chan struct{})}
	select {
	case h.inbox <- r:
	case <-h.quit:
		return errStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-r.done:
		return nil
	case <-h.quit:
		return errStopped
	}
}

var errStopped = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the server is restarting; try again"}
