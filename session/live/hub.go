package live

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
	"github.com/poyta/poyta/session/tables"
)

// request is what reaches a hub, through one inbox so that a client's
// hello, its commands and its leaving keep their order: a *command, a
// *joining, a *leaving or a *query.
type request interface{ request() }

// command is a client's or an HTTP caller's command.
type command struct {
	client *client // nil for HTTP callers
	who    session.Who
	opID   string
	cmd    session.Command
	reply  chan result // for HTTP callers; buffered, 1
}

// joining is a client's hello.
type joining struct {
	client *client
	hello  hello
}

// leaving is a client whose connection ended.
type leaving struct{ client *client }

// query reads the state on the hub's goroutine.
type query struct {
	f    func(*session.Table)
	done chan struct{}
}

func (*command) request() {}
func (*joining) request() {}
func (*leaving) request() {}
func (*query) request()   {}

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
	inbox chan request

	loaded  chan struct{} // closed when loading finished; loadErr tells how
	loadErr error
	quit    chan struct{} // closed when the goroutine has exited
	refs    int           // guarded by srv.mu: clients and calls using the hub

	state    *session.Table
	ops      map[string]int64 // op key -> seq, for idempotent retries
	resume   resumeWindow
	snaps    snapshots
	presence presence
	clients  map[*client]struct{}
	byActor  clientIndex // the clients of each actor, for events shaped for their actor
	byGroup  clientIndex // the clients in each group of the group work, for its content
	lastUsed time.Time
	broken   bool           // the state could not be reloaded after a failed append
	lease    *tableLease    // nil on a server that takes no leases
	lost     bool           // the lease is lost: leave at once (abandon)
	progress map[string]int // the groups' progress last told

	out   outbox     // committed, not yet sent (fanout.go)
	flush flushClock // when the outbox goes out (fanout.go)
	fan   fanCount   // queued to clients, not yet reported to the metrics (fanout.go)
}

func newHub(s *Server, id string) *hub {
	return &hub{
		id: id, srv: s, log: s.log.With("table", id),
		inbox:    make(chan request, s.cfg.InboxSize),
		loaded:   make(chan struct{}),
		quit:     make(chan struct{}),
		resume:   resumeWindow{size: s.cfg.ResumeWindow},
		snaps:    newSnapshots(s.cfg.SnapshotEvery),
		presence: newPresence(),
		clients:  map[*client]struct{}{},
		byActor:  clientIndex{},
		byGroup:  clientIndex{},
	}
}

func (h *hub) run(ctx context.Context) {
	defer close(h.quit)
	if err := h.open(ctx); err != nil {
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
	h.flush.start()
	defer h.flush.stop()
	for {
		select {
		case <-ctx.Done():
			h.shutdown()
			return
		case r := <-h.inbox:
			h.lastUsed = time.Now()
			h.handle(r)
			if h.lost {
				h.abandon()
				return
			}
			if h.broken {
				h.fail()
				return
			}
		case <-h.lease.lostC():
			h.abandon()
			return
		case <-h.flush.timer.C:
			h.flush.armed = false
			h.flushOut()
		case <-presence.C:
			h.flushPresence()
		case <-idle.C:
			if len(h.clients) == 0 && time.Since(h.lastUsed) >= h.srv.cfg.IdleTimeout && h.srv.tryUnload(h) {
				h.snapshotOnExit()
				h.releaseLease()
				h.log.Debug("table unloaded", "seq", h.state.Seq)
				return
			}
		}
	}
}

// open takes the table's lease, when the server takes leases, and loads
// the table under it.
func (h *hub) open(ctx context.Context) error {
	l, err := h.srv.takeLease(ctx, h.id, h.log, func() { h.srv.forget(h) })
	if err != nil {
		return err
	}
	h.lease = l
	if err := h.load(ctx); err != nil {
		l.end(true)
		return err
	}
	return nil
}

// releaseLease gives the lease up once the hub has written its last
// snapshot, so that another node may take the table at once.
func (h *hub) releaseLease() {
	if h.lease == nil {
		return
	}
	h.snaps.slot <- struct{}{} // a snapshot still being written goes first
	h.lease.end(true)
}

// abandon leaves a table whose lease is lost: another node may own it by
// now. Nothing more is committed or sent (the write pumps check the lease
// too); the clients are closed and resume wherever the table is served next.
func (h *hub) abandon() {
	h.srv.forget(h)
	h.lease.end(false)
	for c := range h.clients {
		h.drop(c, closeGoingAway, "table moved")
	}
}

// load rebuilds the table from the store, with the recent events for
// resuming clients and the op ids for idempotent retries.
func (h *hub) load(ctx context.Context) error {
	l, err := tables.Load(ctx, h.srv.cfg.Store, h.id, h.srv.cfg.ResumeWindow)
	if err != nil {
		return err
	}
	ops, err := h.srv.cfg.Store.Ops(ctx, h.id, 0)
	if err != nil {
		return fmt.Errorf("live: load table: %w", err)
	}
	h.state, h.ops, h.resume.events, h.snaps.last = l.Table, ops, l.Recent, l.SnapSeq
	h.presence.recount(func(id string) (string, bool) {
		if p := h.state.Participants[id]; p != nil {
			return p.Sector, true
		}
		return "", false
	})
	return nil
}

// handle serves one request and, for commands, everything already waiting
// behind it, so that they commit in one transaction (group commit).
func (h *hub) handle(r request) {
	var batch []*command
	for {
		if c, ok := r.(*command); ok {
			batch = append(batch, c)
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

func (h *hub) handleOther(r request) {
	switch r := r.(type) {
	case *joining:
		// The newcomer's state is the table's as of now: what is committed
		// before must go out first, to the others only.
		h.flushOut()
		h.join(r.client, r.hello)
	case *leaving:
		h.leave(r.client)
	case *query:
		r.f(h.state)
		close(r.done)
	}
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
	h.lease.end(true)
	for c := range h.clients {
		h.drop(c, closeInternal, "try again")
	}
}

// join authenticates a client's hello, registers it and brings it up to date.
func (h *hub) join(c *client, hl hello) {
	who, err := h.state.Authenticate(hl.Role, hl.Token)
	if err != nil {
		if session.AsError(err).Code == session.CodeUnauthorized {
			h.srv.cfg.Failures.SpendSoon(c.ip) // the hub does not wait on a cluster's shared budget
		}
		h.srv.refused(err)
		c.enqueue(errorBytes("", err))
		c.close(closePolicy, session.AsError(err).Code)
		return
	}
	c.who, c.actor = who, who.Actor()
	h.clients[c] = struct{}{}
	h.byActor.add(c.actor, c)
	c.group = h.state.GroupOf(who)
	h.byGroup.add(c.group, c)
	sector := ""
	if p := h.state.Participants[who.ID]; p != nil && who.Role == session.RoleParticipant {
		sector = p.Sector
	}
	h.presence.arrive(who, sector)
	h.srv.metrics.Joined(who.Role)
	w := welcomeMsg{Type: "welcome", Table: h.id, Role: who.Role, You: who.ID, Seq: h.state.Seq,
		Counts: h.presence.counts(), Progress: h.state.Progress(), Server: time.Now().UTC()}
	if who.Role == session.RoleFacilitator {
		// Only facilitators see who is online; everyone sees the counts.
		w.Online = h.presence.onlineList()
	}
	var buf bytes.Buffer
	msgs := 1 // the welcome, then the snapshot or the missed events
	if missed, ok := h.resume.missed(hl.Since, h.state.Seq); ok {
		w.Resume = "events"
		buf.Write(encode(w))
		for _, e := range missed {
			// What the client's group gets now: a group's earlier content,
			// which the client missed while in another group, is nothing
			// it must fold (a move brings the new group's content along).
			if data := session.ProjectFor(e, who, c.group); data != nil {
				buf.WriteByte('\n')
				buf.Write(eventBytes(e, data))
				msgs++
			}
		}
	} else {
		w.Resume = "snapshot"
		buf.Write(encode(w))
		buf.WriteByte('\n')
		buf.Write(encode(snapshotMsg{Type: "snapshot", Seq: h.state.Seq, State: h.state.ViewFor(who)}))
		msgs++
	}
	h.sendCounted(c, partsFrame(buf.Bytes()), msgs)
	h.reportFanout()
	close(c.registered)
	h.log.Debug("client joined", "client", c.id, "role", who.Role, "since", hl.Since, "resume", w.Resume)
}

func (h *hub) leave(c *client) {
	if _, ok := h.clients[c]; !ok {
		return
	}
	delete(h.clients, c)
	h.srv.metrics.Left(c.who.Role)
	h.byActor.remove(c.actor, c)
	h.byGroup.remove(c.group, c)
	h.presence.depart(c.who)
}

// clientIndex finds clients by a key (an actor, a group): a client is
// under one key at a time; "" is no key.
type clientIndex map[string][]*client

func (x clientIndex) add(key string, c *client) {
	if key != "" {
		x[key] = append(x[key], c)
	}
}

func (x clientIndex) remove(key string, c *client) {
	cs := x[key]
	i := slices.Index(cs, c)
	if i < 0 {
		return
	}
	if len(cs) == 1 {
		delete(x, key)
		return
	}
	cs[i] = cs[len(cs)-1]
	cs[len(cs)-1] = nil
	x[key] = cs[:len(cs)-1]
}

// regroup moves clients to the group e puts them in, before e goes out.
func (h *hub) regroup(e session.Event) {
	switch e.Data.(type) {
	case *session.GroupsStarted, *session.GroupsEnded, *session.GroupMoved, *session.ParticipantRemoved, *session.ParticipantForgotten:
	default:
		return
	}
	for c := range h.clients {
		if g := session.Regroup(e, c.who, c.group); g != c.group {
			h.byGroup.remove(c.group, c)
			c.group = g
			h.byGroup.add(g, c)
		}
	}
}

// drop disconnects a client; it resumes by reconnecting.
func (h *hub) drop(c *client, code int, reason string) {
	h.leave(c)
	c.close(code, reason)
}

// flushPresence tells everyone who came and went since the last message;
// at most one presence message per interval however many people join.
func (h *hub) flushPresence() {
	if p := h.state.Progress(); !maps.Equal(p, h.progress) {
		h.progress = p
		h.presence.dirty = true
	}
	pub, fac, changed := h.presence.messages()
	if !changed {
		return
	}
	pub.Progress, fac.Progress = h.progress, h.progress
	// Events committed before go out first; presence is a frame of its own.
	h.flushOut()
	pubFrame, facFrame := newSharedFrame(encode(pub)), newSharedFrame(encode(fac))
	for c := range h.clients {
		if c.who.Role == session.RoleFacilitator {
			h.sendCounted(c, sharedOf(facFrame), 1)
		} else {
			h.sendCounted(c, sharedOf(pubFrame), 1)
		}
	}
	h.reportFanout()
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
	h.releaseLease()
}

// call runs a command for an HTTP caller and waits for its committed outcome.
func (h *hub) call(ctx context.Context, who session.Who, cmd session.Command) (session.Event, error) {
	r := &command{who: who, cmd: cmd, reply: make(chan result, 1)}
	if !h.submit(r, ctx.Done()) {
		if err := ctx.Err(); err != nil {
			return session.Event{}, err
		}
		return session.Event{}, errStopped
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
	r := &query{f: f, done: make(chan struct{})}
	if !h.submit(r, ctx.Done()) {
		if err := ctx.Err(); err != nil {
			return err
		}
		return errStopped
	}
	select {
	case <-r.done:
		return nil
	case <-h.quit:
		return errStopped
	}
}

// submit puts r into the hub's inbox. A full inbox makes the sender wait,
// which is the back-pressure the inbox is for; each wait is counted. False
// means the hub quit or stop was closed before r got in.
func (h *hub) submit(r request, stop <-chan struct{}) bool {
	select {
	case h.inbox <- r:
		return true
	default:
	}
	h.srv.metrics.QueueFull(metrics.Inbox)
	select {
	case h.inbox <- r:
		return true
	case <-h.quit:
		return false
	case <-stop:
		return false
	}
}

var errStopped = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the server is restarting; try again"}
