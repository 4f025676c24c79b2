package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// Forwarding a websocket to the node that serves its table. The node the
// client reached (the entry) reads the hello itself, so it knows the table
// whatever the URL says; then it dials the owner's /ws as the client would,
// sends the same hello and relays messages both ways until either side
// closes. The owner sees one ordinary connection and applies every rule to
// it: origin (the entry passes Origin and Host on), the hello, the message
// rate, connections and failures per client address (the entry passes the
// address in X-Forwarded-For, which the owner believes only from a
// configured peer). The entry keeps its own read limit and keepalive with
// the client and pings the owner, so that a client whose owner froze is
// closed within a lease ttl and reconnects. Whatever the owner closes the
// connection with reaches the client unchanged; an owner that vanishes
// closes it with 1001 "table moved".

// ForwardPatience is how long a request (a hello, an HTTP call) may wait
// for its table to be served somewhere: its owner's lease lapsing (at most
// a ttl) and the takeover.
func (s *Server) ForwardPatience() time.Duration { return 2*s.cfg.LeaseTTL + 5*time.Second }

// dialTimeout bounds connecting to an owner, handshake included.
func (s *Server) dialTimeout() time.Duration {
	return min(5*time.Second, max(s.cfg.LeaseTTL/2, time.Second))
}

// entryInfo is what the entry passes on of the client's upgrade request.
type entryInfo struct {
	origin, host string
	forwarded    bool // the request came forwarded: it is never sent on
}

func entryOf(r *http.Request) entryInfo {
	return entryInfo{origin: r.Header.Get("Origin"), host: r.Host, forwarded: r.Header.Get(ForwardedHeader) != ""}
}

// ownerRefused is an owner's answer to a forwarded upgrade other than the
// upgrade itself.
type ownerRefused struct{ status int }

func (e *ownerRefused) Error() string { return fmt.Sprintf("the owner answered %d", e.status) }

// route finds the hub for the client's hello. If another node serves the
// table, route serves the connection by relaying it there and returns nil;
// it returns nil too when it has refused the hello.
func (c *client) route(hl hello, raw []byte) *hub {
	s := c.srv
	ctx, cancel := context.WithTimeout(s.ctx, s.ForwardPatience())
	defer cancel()
	for {
		h, owner, err := s.locate(ctx, hl.Table, c.entry.forwarded)
		if err != nil {
			if errors.Is(err, tables.ErrNoTable) {
				s.cfg.Failures.Spend(c.ip)
			}
			c.refuse(err)
			return nil
		}
		if h != nil {
			return h
		}
		up, err := c.dialOwner(ctx, owner, hl.Table)
		if err == nil {
			cancel()
			c.relay(up, raw)
			return nil
		}
		var or *ownerRefused
		if errors.As(err, &or) && or.status != http.StatusServiceUnavailable {
			c.refuse(refusalOf(or.status))
			return nil
		}
		// The owner is gone, frozen or stopping: its lease lapses or is
		// released within a ttl, and then this node may take the table.
		s.log.Info("the table's node does not answer; waiting for its lease to lapse", "table", hl.Table, "node", owner, "err", err)
		wctx, wcancel := context.WithTimeout(ctx, s.cfg.LeaseTTL)
		err = s.AwaitLapse(wctx, hl.Table, owner)
		wcancel()
		switch {
		case ctx.Err() != nil:
			c.refuse(errMoved)
			return nil
		case errors.Is(err, tables.ErrNoTable):
			c.refuse(err)
			return nil
		}
	}
}

// refusalOf is what the client hears when the owner refused the upgrade.
func refusalOf(status int) error {
	switch status {
	case http.StatusTooManyRequests:
		return &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many connections from your address"}
	case http.StatusForbidden:
		return &session.Error{Kind: session.KindForbidden, Code: session.CodeForbidden, Message: "origin not allowed"}
	}
	return errMoved
}

// dialOwner opens the websocket to the owner of table, as the client.
func (c *client) dialOwner(ctx context.Context, owner, table string) (*websocket.Conn, error) {
	u, err := wsURL(owner)
	if err != nil {
		return nil, err
	}
	hd := http.Header{}
	hd.Set(ForwardedHeader, c.srv.cfg.Node)
	hd.Set("X-Forwarded-For", c.ip)
	if c.entry.origin != "" {
		hd.Set("Origin", c.entry.origin)
	}
	if c.entry.host != "" {
		hd.Set("Host", c.entry.host)
	}
	d := websocket.Dialer{HandshakeTimeout: c.srv.dialTimeout(), ReadBufferSize: 4 << 10, WriteBufferSize: 4 << 10}
	conn, resp, err := d.DialContext(ctx, u+"/ws?table="+url.QueryEscape(table), hd)
	if err != nil {
		if resp != nil {
			return nil, &ownerRefused{status: resp.StatusCode}
		}
		return nil, err
	}
	return conn, nil
}

// wsURL turns a node's http(s) URL into its websocket base URL.
func wsURL(node string) (string, error) {
	switch {
	case strings.HasPrefix(node, "http://"):
		return "ws://" + strings.TrimSuffix(node[len("http://"):], "/"), nil
	case strings.HasPrefix(node, "https://"):
		return "wss://" + strings.TrimSuffix(node[len("https://"):], "/"), nil
	}
	return "", fmt.Errorf("live: node %q: not an http or https URL", node)
}

// relay carries the connection between the client and the owner: the
// client's messages up on this goroutine (the read pump's), the owner's
// down into the client's queue, which the write pump sends as always.
func (c *client) relay(up *websocket.Conn, hello []byte) {
	s := c.srv
	defer up.Close()
	up.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
	if err := up.WriteMessage(websocket.TextMessage, hello); err != nil {
		c.close(closeGoingAway, "table moved")
		return
	}
	down := make(chan struct{})
	go func() {
		defer close(down)
		c.relayDown(up)
	}()
	stop := context.AfterFunc(s.ctx, func() { c.close(closeGoingAway, "server restarting") })
	defer stop()
	c.conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(s.cfg.PongWait))
	})
	for {
		typ, msg, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.close(closeTooBig, "message too large")
			}
			break
		}
		up.SetWriteDeadline(time.Now().Add(s.cfg.WriteTimeout))
		if err := up.WriteMessage(typ, msg); err != nil {
			break
		}
	}
	up.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseGoingAway, ""), time.Now().Add(time.Second))
	up.Close()
	<-down
}

// relayDown queues what the owner sends for the client, and passes its
// close on. It pings the owner: one that stops answering for a lease ttl
// has frozen or lost the table, and the client had better reconnect.
func (c *client) relayDown(up *websocket.Conn) {
	s := c.srv
	wait := max(s.cfg.LeaseTTL, time.Second)
	up.SetReadDeadline(time.Now().Add(wait))
	up.SetPongHandler(func(string) error { return up.SetReadDeadline(time.Now().Add(wait)) })
	var wg sync.WaitGroup
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(wait / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if up.WriteControl(websocket.PingMessage, nil, time.Now().Add(s.cfg.WriteTimeout)) != nil {
					return
				}
			}
		}
	}()
	defer wg.Wait()
	defer close(done)
	for {
		_, msg, err := up.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code != websocket.CloseNoStatusReceived && ce.Code != websocket.CloseAbnormalClosure {
				c.close(ce.Code, ce.Text)
			} else {
				c.close(closeGoingAway, "table moved")
			}
			return
		}
		up.SetReadDeadline(time.Now().Add(wait))
		if !c.push(partsFrame(msg), s.cfg.SendQueue, s.cfg.MaxQueueBytes) {
			c.close(closeSlow, "too slow, resume")
			return
		}
	}
}
