package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// ring is how many of one connection's ops can be awaiting their ack at
// once and still be matched; a participant sends a few per second.
const ring = 16

// pend is an event that arrived before its sender's ack told when it was
// sent; it is matched on a later frame or at the end of the run.
type pend struct {
	seq int64
	at  int64 // ns since the run's base
}

// slow is an event's latency at one connection, for the slowest one.
type slow struct {
	d, seq, sent int64 // ns, and when it was sent: ns since the run's base
}

// conn is one websocket, as a browser tab holds it. One goroutine reads it;
// its table's driver goroutine is the only one that writes commands to it.
type conn struct {
	run    *runState
	t      *table
	idx    int
	role   string // facilitator, participant or screen
	token  string
	prefix string // op ids are prefix-N
	ws     *websocket.Conn
	pid    string // the participant's id, from the join
	helper bool   // a facilitator tab opened for setup only (groups.go)

	// In groups mode, the group the participant is in (1-based index into
	// the table's groups), 0 for none. Set by the driver before the meeting.
	group int32

	// Sender side: op numbers and when they were sent. Written by the
	// driver, cleared by the reader when the ack arrives.
	opN     uint64
	sentOp  [ring]atomic.Uint64
	sentAt  [ring]atomic.Int64
	sentAud [ring]atomic.Int32 // who the op's event is for: audPublic or a group index

	// Ballot on the current item (participants; driver goroutine only).
	ballotItem string
	ballot     []string

	// Reader side; only the reader goroutine writes these, others read the atomics.
	buf      []byte
	pending  []pend
	slowest  slow
	lastSeq  atomic.Int64
	events   atomic.Int64  // events received during the meeting
	frames   atomic.Int64  // websocket messages received during the meeting
	gaps     atomic.Int64  // events missing between two received ones (not in groups mode, where seqs skip by design)
	got      []uint64      // groups mode: bit i set when the meeting's event i arrived (reader only)
	endedAt  atomic.Int64  // groups mode: when groups.ended arrived, ns since the run's base
	dups     atomic.Int64  // events received twice or out of order
	closing  atomic.Bool   // we are closing it; its end is no drop
	code     atomic.Int64  // close code when the server ended it, 0 while open
	ready    chan struct{} // closed when the snapshot has arrived
	gotState bool          // reader's own copy of that
	readyErr error         // why the connection never got its state; set before done or ready closes
	done     chan struct{}
}

var (
	eventPrefix    = []byte(`{"type":"event","seq":`)
	ackPrefix      = []byte(`{"type":"ack","id":"`)
	presencePrefix = []byte(`{"type":"presence"`)
	seqField       = []byte(`","seq":`)
	eventField     = []byte(`"event":"`)
)

func newConn(r *runState, t *table, role, token, pid string) *conn {
	idx := int(r.conns.Add(1) - 1)
	return &conn{run: r, t: t, idx: idx, role: role, token: token, pid: pid,
		prefix: "L" + strconv.FormatInt(int64(idx), 36), ready: make(chan struct{}), done: make(chan struct{})}
}

// open dials the websocket, says hello and waits for the welcome and the
// snapshot, as a browser does.
func (c *conn) open(ctx context.Context) error {
	r := c.run
	ws, resp, err := r.dialer.DialContext(ctx, r.wsURL, http.Header{})
	if err != nil {
		if resp != nil {
			r.countError(fmt.Sprintf("http_%d", resp.StatusCode))
			return fmt.Errorf("websocket: HTTP %d", resp.StatusCode)
		}
		r.countError("dial")
		return err
	}
	c.ws = ws
	hello, _ := json.Marshal(map[string]any{"op": "hello", "table": c.t.id, "role": c.role, "token": c.token, "since": 0})
	ws.SetWriteDeadline(time.Now().Add(30 * time.Second))
	if err := ws.WriteMessage(websocket.TextMessage, hello); err != nil {
		ws.Close()
		c.ws = nil
		r.countError("hello_write")
		return err
	}
	go c.readLoop()
	select {
	case <-c.ready:
		return c.readyErr
	case <-c.done:
		if c.readyErr != nil {
			return c.readyErr
		}
		return errors.New("closed before the snapshot")
	case <-ctx.Done():
		c.close()
		return ctx.Err()
	}
}

// readLoop reads the connection, as a browser tab would, on a goroutine of
// its own. (An epoll reader for all connections was tried: on this kind of
// virtual machine a read that returns data costs most of what the
// goroutine's read, failed read and wake-up cost together, so it saved
// nothing.)
func (c *conn) readLoop() {
	defer close(c.done)
	for {
		_, rd, err := c.ws.NextReader()
		if err != nil {
			c.ended(err)
			if !c.gotState && c.readyErr == nil {
				c.readyErr = fmt.Errorf("connection ended before the snapshot: %w", err)
			}
			return
		}
		c.buf, err = readAll(rd, c.buf[:0])
		if err != nil {
			c.ended(err)
			return
		}
		c.message(c.buf, c.run.now())
		if cap(c.buf) > 64<<10 {
			c.buf = nil // a snapshot; do not keep its buffer
		}
	}
}

// message handles one websocket message: one or more server messages
// separated by newlines, received at now.
func (c *conn) message(frame []byte, now int64) {
	if c.t.measureFrom.Load() < c.lastSeq.Load() {
		c.frames.Add(1)
	}
	if len(c.pending) > 0 {
		c.resolve(false)
	}
	for len(frame) > 0 {
		var msg []byte
		if i := bytes.IndexByte(frame, '\n'); i >= 0 {
			msg, frame = frame[:i], frame[i+1:]
		} else {
			msg, frame = frame, nil
		}
		if c.handle(msg, now) && !c.gotState {
			c.gotState = true
			close(c.ready)
		}
	}
}

// readAll reads one websocket message into buf, reusing its space.
func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
			if cap(buf) < 4096 {
				buf = make([]byte, 0, 4096)
			}
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// handle takes one server message; it returns true once the connection
// has its initial state. The frequent messages (events, acks, presence)
// are recognised by their prefix, which the server's encoding fixes, so
// the receive path neither decodes JSON nor allocates.
func (c *conn) handle(msg []byte, now int64) bool {
	switch {
	case bytes.HasPrefix(msg, eventPrefix):
		seq, _ := parseInt(msg[len(eventPrefix):])
		c.onEvent(seq, now, msg)
	case bytes.HasPrefix(msg, ackPrefix):
		rest := msg[len(ackPrefix):]
		q := bytes.IndexByte(rest, '"')
		if q < 0 || !bytes.HasPrefix(rest[q:], seqField) {
			c.run.countError("bad_ack")
			return false
		}
		seq, _ := parseInt(rest[q+len(seqField):])
		c.onReply(rest[:q], seq, "", now)
	case bytes.HasPrefix(msg, presencePrefix):
		c.run.presence.Add(1)
	default:
		return c.slow(msg, now)
	}
	return false
}

// slow decodes the rare messages: welcome, snapshot, error.
func (c *conn) slow(msg []byte, now int64) bool {
	var m struct {
		Type  string          `json:"type"`
		ID    string          `json:"id"`
		Code  string          `json:"code"`
		Seq   int64           `json:"seq"`
		State json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		c.run.countError("bad_message_from_server")
		return false
	}
	switch m.Type {
	case "welcome":
		c.lastSeq.Store(m.Seq)
	case "snapshot":
		c.lastSeq.Store(m.Seq)
		if c.role == "facilitator" {
			c.t.onSnapshot(m.State)
		}
		return true
	case "error":
		c.run.countError(m.Code)
		if m.ID != "" {
			c.onReply([]byte(m.ID), 0, m.Code, now)
		} else if !c.gotState {
			c.readyErr = fmt.Errorf("server error %s", m.Code)
		}
	default:
		c.run.countError("unknown_message")
	}
	return false
}

func (c *conn) onEvent(seq, now int64, msg []byte) {
	last := c.lastSeq.Load()
	groups := c.run.o.groups > 0
	switch {
	case seq <= last:
		c.dups.Add(1)
		return
	case seq > last+1 && !groups:
		// With group work a client is not sent other groups' private
		// events, so its seqs skip; the audit at the end counts what it
		// should have had (audit in groups.go).
		c.gaps.Add(seq - last - 1)
	}
	c.lastSeq.Store(seq)
	name := eventName(msg)
	if c.role == "facilitator" && !c.helper {
		switch string(name) {
		case "idea.added":
			c.t.onIdea(msg)
		case "groups.started":
			c.t.onGroupsStarted(msg)
		case "groups.ended":
			c.t.onGroupsEnded(msg)
		}
	}
	t := c.t
	from := t.measureFrom.Load()
	if seq <= from {
		return
	}
	c.events.Add(1)
	i := seq - from - 1
	if i >= int64(len(t.sendAt)) {
		c.run.unmeasured.Add(1)
		return
	}
	if c.got != nil {
		c.got[i>>6] |= 1 << (i & 63)
	}
	if groups && string(name) == "groups.ended" {
		// The report-back is measured on its own (report-back latency),
		// not among the group events.
		c.endedAt.Store(now)
		return
	}
	if sent := t.sendAt[i].Load(); sent != 0 {
		c.latency(seq, sent, now)
		return
	}
	if len(c.pending) >= 1<<14 {
		// Never acknowledged to anyone we know of: count it and move on.
		c.run.unmatched.Add(1)
		copy(c.pending, c.pending[1:])
		c.pending = c.pending[:len(c.pending)-1]
	}
	c.pending = append(c.pending, pend{seq: seq, at: now})
}

// eventName finds an event message's type: the server writes "event"
// right after "seq" and "at", so it is near the start.
func eventName(msg []byte) []byte {
	head := msg[:min(len(msg), 128)]
	k := bytes.Index(head, eventField)
	if k < 0 {
		return nil
	}
	rest := msg[k+len(eventField):]
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return nil
	}
	return rest[:q]
}

// latency records an event's latency at this connection and remembers the
// slowest, for the report.
func (c *conn) latency(seq, sent, got int64) {
	d := got - sent
	c.run.lat.record(c.idx, d/1000)
	if d > c.slowest.d {
		c.slowest = slow{d: d, seq: seq, sent: sent}
	}
}

// resolve matches events received before their sender's ack; at the end
// of the run (final) what is left is counted as unmatched.
func (c *conn) resolve(final bool) {
	t := c.t
	from := t.measureFrom.Load()
	keep := c.pending[:0]
	for _, p := range c.pending {
		if sent := t.sendAt[p.seq-from-1].Load(); sent != 0 {
			c.latency(p.seq, sent, p.at)
			continue
		}
		if final {
			c.run.unmatched.Add(1)
			continue
		}
		keep = append(keep, p)
	}
	c.pending = keep
}

// onReply matches an ack or error to the op it answers.
func (c *conn) onReply(id []byte, seq int64, code string, now int64) {
	dash := bytes.LastIndexByte(id, '-')
	if dash < 0 || string(id[:dash]) != c.prefix {
		c.run.unknownAcks.Add(1)
		return
	}
	n, ok := parseInt(id[dash+1:])
	if !ok {
		c.run.unknownAcks.Add(1)
		return
	}
	slot := uint64(n) % ring
	if !c.sentOp[slot].CompareAndSwap(uint64(n), 0) {
		c.run.unknownAcks.Add(1)
		return
	}
	sent := c.sentAt[slot].Load()
	aud := c.sentAud[slot].Load()
	t := c.t
	t.outstanding.Add(-1)
	if code == "" {
		c.run.ack.record(c.idx, (now-sent)/1000)
		c.run.acked.Add(1)
		if from := t.measureFrom.Load(); seq > from && seq-from-1 < int64(len(t.sendAt)) {
			t.sendAt[seq-from-1].Store(sent)
			if t.aud != nil {
				t.aud[seq-from-1].Store(aud)
			}
		}
		raise(&t.maxSeq, seq)
		if t.maxAud != nil {
			raise(&t.maxAud[max(0, aud)], seq)
		}
	}
	if c.role == "facilitator" && !c.helper {
		select {
		case t.facReplies <- reply{n: uint64(n), seq: seq, code: code}:
		default:
		}
	}
}

// ended records why the server closed the connection, unless we did.
func (c *conn) ended(err error) {
	if c.closing.Load() {
		return
	}
	code := int64(websocket.CloseAbnormalClosure)
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		code = int64(ce.Code)
	}
	c.code.Store(code)
	c.run.countClose(int(code))
	// Its unanswered ops will never be answered: stop waiting for them.
	for i := range c.sentOp {
		if n := c.sentOp[i].Load(); n != 0 && c.sentOp[i].CompareAndSwap(n, 0) {
			c.t.outstanding.Add(-1)
			c.run.unanswered.Add(1)
		}
	}
}

// raise sets m to v if v is higher.
func raise(m *atomic.Int64, v int64) {
	for {
		old := m.Load()
		if v <= old || m.CompareAndSwap(old, v) {
			return
		}
	}
}

// send writes one command whose event is for aud (audPublic or a group's
// index); only the table's driver calls it. The op's send time is recorded
// just before the write.
func (c *conn) send(b []byte, aud int32) error {
	c.opN++
	n := c.opN
	slot := n % ring
	if old := c.sentOp[slot].Swap(n); old != 0 {
		c.run.overwritten.Add(1)
		c.t.outstanding.Add(-1)
	}
	sent := c.run.now()
	c.sentAt[slot].Store(sent)
	c.sentAud[slot].Store(aud)
	c.t.outstanding.Add(1)
	c.run.sent.Add(1)
	c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		if c.sentOp[slot].CompareAndSwap(n, 0) {
			c.t.outstanding.Add(-1)
		}
		c.run.countError("write")
		return err
	}
	return nil
}

// live reports whether the connection is open and has its state.
func (c *conn) live() bool {
	if c.ws == nil || c.code.Load() != 0 || c.closing.Load() {
		return false
	}
	select {
	case <-c.ready:
		return c.readyErr == nil
	default:
		return false
	}
}

// close ends the connection from our side with a normal closure.
func (c *conn) close() {
	if c.ws == nil || !c.closing.CompareAndSwap(false, true) {
		return
	}
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(2*time.Second))
	select {
	case <-c.done:
	case <-time.After(3 * time.Second):
	}
	c.ws.Close()
}

// parseInt reads the decimal digits at the start of b.
func parseInt(b []byte) (int64, bool) {
	var n int64
	i := 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	return n, i > 0
}
