package live

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/limit"
	"github.com/poyta/poyta/session/metrics"
)

// Close codes the server uses. Browsers reconnect and resume on every one
// of them except closePolicy.
const (
	closeGoingAway = websocket.CloseGoingAway       // 1001: the server is stopping or restarting
	closePolicy    = websocket.ClosePolicyViolation // 1008: bad credential, removed, or abuse
	closeTooBig    = websocket.CloseMessageTooBig   // 1009: a frame over the read limit
	closeInternal  = websocket.CloseInternalServerErr
	closeSlow      = 4000 // the client could not keep up; reconnect and resume
)

var newline = []byte{'\n'}

// client is one websocket connection. Its read pump feeds the hub; its
// write pump drains the bounded send queue. Only the hub (or a failing
// pump) ends it, through close.
type client struct {
	id   string
	srv  *Server
	conn *websocket.Conn
	done chan struct{} // closed by close
	once sync.Once
	code int
	text string
	hub  *hub
	ip   string
	// entry is what the upgrade request said that forwarding passes on.
	entry entryInfo
	// lease is the lease of the table the client joined (nil before, and
	// on a server without leases): the write pump sends nothing once it is
	// lost, so that no acknowledgement leaves after another node may own
	// the table.
	lease atomic.Pointer[tableLease]

	// The send queue: frames for the write pump, bounded by
	// Config.SendQueue frames and Config.MaxQueueBytes bytes (frame.go).
	// It holds no memory while empty, unlike a buffered channel.
	qmu    sync.Mutex
	queue  []frame
	spare  []frame
	qbytes int
	wake   chan struct{} // buffered 1: something was queued

	// Set by the hub when it accepts the hello, before registered is closed;
	// read-only afterwards.
	who   session.Who
	actor string

	// Owned by the hub goroutine: the group in group work whose content
	// this client receives (session.Table.GroupOf), kept up to date in the
	// order of the events (session.Regroup).
	group      string
	registered chan struct{}

	// Owned by the hub goroutine: what this client gets of its own in the
	// next flush (acks, errors, events shaped for it alone); nil if nothing.
	own *ownOut
}

func (c *client) close(code int, text string) {
	c.once.Do(func() {
		c.code, c.text = code, text
		close(c.done)
	})
}

// enqueue queues a message from outside the hub (the read pump's own
// refusals); when the queue is full it is dropped, and the hub will notice.
func (c *client) enqueue(b []byte) {
	if !c.push(partsFrame(b), c.srv.cfg.SendQueue, c.srv.cfg.MaxQueueBytes) {
		c.srv.metrics.QueueFull(metrics.Send)
	}
}

func (c *client) readPump() {
	s := c.srv
	defer func() {
		if c.hub != nil {
			c.hub.submit(&leaving{client: c}, nil)
			s.release(c.hub)
		}
		c.close(closeGoingAway, "")
		s.wg.Done()
	}()
	c.conn.SetReadLimit(int64(s.cfg.MaxMessage))
	c.conn.SetReadDeadline(time.Now().Add(s.cfg.HelloTimeout))
	hl, raw, err := c.readHello()
	if err != nil {
		c.refuse(err)
		return
	}
	// Wrong credentials and table ids count as failures of the address, like
	// wrong join codes, so that guessing them is rate-limited.
	if err := s.cfg.Failures.Check(c.ip); err != nil {
		c.refuse(err)
		return
	}
	h := c.route(hl, raw) // nil: refused, or served by another node (forward.go)
	if h == nil {
		return
	}
	c.hub = h
	c.lease.Store(h.lease)
	if !h.submit(&joining{client: c, hello: hl}, c.done) {
		return
	}
	select {
	case <-c.registered:
	case <-c.done:
		return
	case <-h.quit:
		return
	}
	c.conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	})
	limiter := limit.NewConn(s.cfg.RatePerSecond, s.cfg.RateBurst)
	for {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				s.metrics.Refused(metrics.WebSocket, session.CodeTooLarge)
				c.close(closeTooBig, "message too large")
			}
			return
		}
		if !limiter.Allow(time.Now()) {
			// Inline, not aside: a flood must be refused as fast as it comes.
			s.metrics.Refused(metrics.WebSocket, session.CodeRateLimited)
			if limiter.Flooding() {
				c.close(closePolicy, "flooding")
				return
			}
			if limiter.Answer() {
				id, _, _, _ := session.ParseCommand(msg)
				c.enqueue(errorBytes(id, limit.Refusal))
			}
			continue
		}
		var id, op string
		var cmd session.Command
		aside(func() { id, op, cmd, err = session.ParseCommand(msg) })
		if err != nil {
			if op == "hello" {
				err = &session.Error{Kind: session.KindInvalid, Code: session.CodeAlreadyJoined, Message: "already joined"}
			}
			s.refused(err)
			c.enqueue(errorBytes(id, err))
			continue
		}
		if !h.submit(&command{client: c, who: c.who, opID: id, cmd: cmd}, c.done) {
			return
		}
	}
}

// readHello reads the first message, the hello, and returns it decoded
// and as it came (for forwarding).
func (c *client) readHello() (hello, []byte, error) {
	_, msg, err := c.conn.ReadMessage()
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return hello{}, nil, &session.Error{Kind: session.KindInvalid, Code: session.CodeNotJoined, Message: "no hello in time"}
	}
	if err != nil {
		return hello{}, nil, err
	}
	var hl hello
	aside(func() { err = decodeHello(msg, &hl) })
	if err != nil {
		return hello{}, nil, err
	}
	return hl, msg, nil
}

// aside runs f on a goroutine of its own and waits for it. Decoding JSON
// takes a deep stack, and a goroutine's stack, once grown, stays grown
// until a garbage collection finds it mostly unused; on the read pump,
// which mostly sits idle in a read, that would be kilobytes per connection.
func aside(f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
}

// refuse tells the client why its hello failed and closes the connection.
func (c *client) refuse(err error) {
	var e *session.Error
	switch {
	case errors.Is(err, context.Canceled) || err == errStopped:
		c.close(closeGoingAway, "server restarting")
		return
	case errors.Is(err, websocket.ErrReadLimit):
		c.srv.metrics.Refused(metrics.WebSocket, session.CodeTooLarge)
		c.close(closeTooBig, "message too large")
		return
	case !errors.As(err, &e):
		var ce *websocket.CloseError
		if !errors.As(err, &ce) && !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
			// Not the client going away: our failure (e.g. the table could not be loaded).
			c.srv.log.Error("hello failed", "client", c.id, "err", err)
			e = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable, Message: "the table could not be opened; try again"}
			break
		}
		c.close(closeGoingAway, "")
		return
	}
	c.srv.refused(e)
	c.enqueue(errorBytes("", e))
	code := closePolicy
	if e.Kind == session.KindInternal {
		code = closeInternal
	}
	c.close(code, e.Code)
}

func (c *client) writePump() {
	s := c.srv
	ticker := time.NewTicker(s.cfg.PingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
		s.connClosed(c.ip)
		s.wg.Done()
	}()
	for {
		select {
		case <-c.lease.Load().lostC():
			c.close(closeGoingAway, "table moved")
		case <-c.wake:
			if err := c.writeQueued(); err != nil {
				c.close(closeGoingAway, "")
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.close(closeGoingAway, "")
				return
			}
		case <-c.done:
			// Deliver what is queued (acks for committed commands among it),
			// then say goodbye with the reason.
			if err := c.writeQueued(); err != nil {
				return
			}
			msg := websocket.FormatCloseMessage(c.code, c.text)
			c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(s.cfg.WriteTimeout))
			return
		}
	}
}
