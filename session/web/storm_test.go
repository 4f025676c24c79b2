package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
)

var stormClients = flag.Int("storm-clients", 2000, "clients in TestReconnectStorm")

// foldClient is a lean protocol client that keeps its state the way a
// browser does: a snapshot, then every event folded in with View.Fold.
type foldClient struct {
	who   session.Who
	token string
	conn  *websocket.Conn

	mu     sync.Mutex
	view   *session.View
	err    error
	caught chan struct{} // signalled when seq reaches target
	target int64
}

func (c *foldClient) seq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.view == nil {
		return 0
	}
	return c.view.Seq
}

// connect opens a connection resuming from the client's state.
func (c *foldClient) connect(url, table string) error {
	d := websocket.Dialer{HandshakeTimeout: 30 * time.Second}
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		return err
	}
	c.conn = conn
	if err := conn.WriteJSON(map[string]any{"op": "hello", "table": table, "role": c.who.Role, "token": c.token, "since": c.seq()}); err != nil {
		return err
	}
	go c.read(conn)
	return nil
}

func (c *foldClient) read(conn *websocket.Conn) {
	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			return
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m struct {
				Type  string          `json:"type"`
				Seq   int64           `json:"seq"`
				At    time.Time       `json:"at"`
				Event string          `json:"event"`
				Data  json.RawMessage `json:"data"`
				State json.RawMessage `json:"state"`
				Code  string          `json:"code"`
			}
			if err := json.Unmarshal(line, &m); err != nil {
				c.fail(fmt.Errorf("bad message: %v", err))
				return
			}
			c.mu.Lock()
			switch m.Type {
			case "snapshot":
				v := new(session.View)
				if err := json.Unmarshal(m.State, v); err != nil {
					c.err = err
				}
				c.view = v
			case "event":
				e, err := session.DecodeEvent(m.Seq, m.At, "", m.Event, "", m.Data)
				if err == nil {
					err = c.view.Fold(e, c.who)
				}
				if err != nil && c.err == nil {
					c.err = fmt.Errorf("seq %d %s: %v", m.Seq, m.Event, err)
				}
			case "error":
				if c.err == nil {
					c.err = fmt.Errorf("server error %s", m.Code)
				}
			}
			if c.view != nil && c.target > 0 && c.view.Seq >= c.target {
				c.target = 0
				close(c.caught)
			}
			c.mu.Unlock()
		}
	}
}

func (c *foldClient) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

// waitFor returns a channel closed when the client has reached seq.
func (c *foldClient) waitFor(seq int64) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan struct{})
	if c.view != nil && c.view.Seq >= seq {
		close(ch)
		return ch
	}
	c.caught, c.target = ch, seq
	return ch
}

// TestReconnectStorm: thousands of participants lose their connections at
// once while the meeting goes on, and all reconnect at the same moment with
// their last seq. Each ends with exactly the state the server would give it
// (compared by hash of the view), with no gaps or duplicates on the way and
// no "database is locked" anywhere.
func TestReconnectStorm(t *testing.T) {
	n := *stormClients
	if testing.Short() {
		n = 200
	}
	var logs bytes.Buffer
	var logMu sync.Mutex
	cfg := testConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.RateBurst = 1000
	cfg.MaxConnsPerIP = 2 * n // everyone is on loopback here
	ts := startServer(t, "", cfg)
	in := demoTable()
	in.MultiDot = true
	tbl := ts.createTable(in)
	url := "ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws"

	// Join everyone, many at a time, as a crowd arriving would.
	clients := make([]*foldClient, n)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for i := range clients {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			sectors := session.Sectors
			var j Joined
			status, eb := ts.post("/api/join", JoinRequest{Code: tbl.Code, Name: fmt.Sprintf("Osallistuja %d", i+1), Org: "Kylätoimikunta", Sector: sectors[i%len(sectors)]}, &j)
			if status != 201 {
				t.Errorf("join %d: %d %+v", i, status, eb)
				return
			}
			clients[i] = &foldClient{who: session.Who{Role: session.RoleParticipant, ID: j.Participant}, token: j.Token}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	connectAll := func() {
		for _, c := range clients {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				if err := c.connect(url, tbl.ID); err != nil {
					c.fail(err)
				}
			}()
		}
		wg.Wait()
	}
	waitAll := func(seq int64) {
		for i, c := range clients {
			select {
			case <-c.waitFor(seq):
			case <-time.After(60 * time.Second):
				t.Fatalf("client %d stuck at seq %d, want %d (err %v)", i, c.seq(), seq, c.err)
			}
		}
	}
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	connectAll()
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})
	var ideas []string
	for _, text := range []string{"Yhteinen tapahtumakalenteri", "Kylätalot yhteiskäyttöön", "Järjestöjen info-ilta"} {
		fac.must("idea.add", map[string]any{"item": item, "text": text})
		var ia session.IdeaAdded
		fac.event("idea.added", &ia)
		ideas = append(ideas, ia.Idea)
	}
	last := fac.must("item.phase", map[string]any{"item": item, "phase": "vote"})
	waitAll(last)

	// Everyone drops at once.
	for _, c := range clients {
		c.conn.Close()
	}
	// The meeting goes on without them: ideas, room dots, a reveal.
	fac.must("group.add", map[string]any{"name": "Sali, pöytä 2"})
	var ga session.GroupAdded
	fac.event("group.added", &ga)
	for i := range 40 {
		fac.must("idea.add", map[string]any{"item": item, "text": fmt.Sprintf("Poissaolon aikana %d", i)})
	}
	fac.must("room.dots", map[string]any{"idea": ideas[0], "group": ga.Group.ID, "dots": 7})
	fac.must("item.reveal", map[string]any{"item": item, "revealed": true})

	// Everyone comes back at the same moment, resuming from their last seq.
	start := time.Now()
	connectAll()
	last = fac.must("item.notes", map[string]any{"item": item, "notes": "Myrskyn jälkeen"})
	waitAll(last)
	t.Logf("%d clients reconnected and caught up in %s", n, time.Since(start).Round(time.Millisecond))

	// Each client's folded state equals what the server would send it.
	want := make([][32]byte, n)
	err := ts.live.Read(context.Background(), tbl.ID, func(tb *session.Table) {
		for i, c := range clients {
			b, _ := json.Marshal(tb.ViewFor(c.who))
			want[i] = sha256.Sum256(b)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range clients {
		c.mu.Lock()
		b, _ := json.Marshal(c.view)
		err := c.err
		c.mu.Unlock()
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		if sha256.Sum256(b) != want[i] {
			t.Fatalf("client %d: folded state differs from the server's view", i)
		}
		c.conn.Close()
	}
	logMu.Lock()
	defer logMu.Unlock()
	if strings.Contains(strings.ToLower(logs.String()), "locked") {
		t.Fatalf("the log mentions a locked database:\n%s", logs.String())
	}
}

type lockedWriter struct {
	buf *bytes.Buffer
	mu  *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
