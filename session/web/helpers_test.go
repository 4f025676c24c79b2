package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/limit"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// waitFor bounds every wait in these tests; passing tests never reach it,
// and it is generous for the race detector on a loaded machine.
const waitFor = 20 * time.Second

// testServer is a real server on loopback with a real SQLite file: the
// live runtime and the HTTP layer wired as poyta serve wires them.
type testServer struct {
	t    *testing.T
	live *live.Server
	web  *Server
	http *httptest.Server
	db   *store.DB
	path string
}

// serverConfig is both layers' configuration in one, so that a test sets
// what it needs of either.
type serverConfig struct {
	live.Config
	Static         fs.FS
	AllowedOrigins []string
	TrustedProxies []netip.Prefix
	TablesPerHour  int
	// Budgets, when set, keeps the per-address budgets there, as a
	// cluster's nodes do (poyta serve --node).
	Budgets limit.Shared
}

// presenceCounts is the counts of a presence or welcome message.
type presenceCounts struct {
	Participants int            `json:"participants"`
	Facilitators int            `json:"facilitators"`
	Scribes      int            `json:"scribes"`
	Screens      int            `json:"screens"`
	BySector     map[string]int `json:"bySector"`
}

// eventually waits until cond holds, polling, for at most waitFor.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func mustOpenStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return db
}

func testConfig() serverConfig {
	return serverConfig{Config: live.Config{IdleTimeout: time.Minute, PresenceInterval: 20 * time.Millisecond},
		TablesPerHour: DefaultTablesPerHour}
}

func startServer(t *testing.T, path string, cfg serverConfig) *testServer {
	t.Helper()
	return startServerAt(t, path, cfg, Site{})
}

// startServerSite starts a server with the deployer's statement details.
func startServerSite(t *testing.T, cfg serverConfig, site Site) *testServer {
	t.Helper()
	return startServerAt(t, "", cfg, site)
}

func startServerAt(t *testing.T, path string, cfg serverConfig, site Site) *testServer {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "poyta.db")
	}
	db := mustOpenStore(t, path)
	failures := limit.NewFailures()
	if cfg.Budgets != nil {
		failures.Share(cfg.Budgets, "fail")
	}
	lc := cfg.Config
	lc.Store, lc.Failures = db, failures
	ts := &testServer{t: t, db: db, path: path}
	ts.live = live.New(lc)
	ts.web = New(Config{Store: db, Live: ts.live, Logger: lc.Logger, Failures: failures, Static: cfg.Static,
		AllowedOrigins: cfg.AllowedOrigins, TrustedProxies: cfg.TrustedProxies, TablesPerHour: cfg.TablesPerHour, Budgets: cfg.Budgets, Site: site,
		Metrics: lc.Metrics})
	ts.http = httptest.NewServer(ts.web.Handler())
	t.Cleanup(ts.stop)
	return ts
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	return startServer(t, "", testConfig())
}

// stop shuts the server down the way poyta serve does; safe to call twice.
func (ts *testServer) stop() {
	if ts.http == nil {
		return
	}
	ts.http.Config.SetKeepAlivesEnabled(false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ts.live.Shutdown(ctx); err != nil {
		ts.t.Errorf("shutdown: %v", err)
	}
	ts.http.CloseClientConnections()
	ts.http.Close()
	if err := ts.db.Close(); err != nil {
		ts.t.Errorf("close store: %v", err)
	}
	ts.http = nil
}

func (ts *testServer) post(path string, body any, out any) (int, errorBody) {
	ts.t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(ts.http.URL+path, "application/json", bytes.NewReader(b))
	if err != nil {
		ts.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var eb errorBody
	if resp.StatusCode >= 300 {
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			ts.t.Fatalf("POST %s: decode: %v", path, err)
		}
	}
	return resp.StatusCode, eb
}

// demoTable is the Ähtäri–Soini table from shared/examples.
func demoTable() session.NewTableInput {
	return session.NewTableInput{
		Title: "Ähtärin ja Soinin kumppanuuspöytä", Theme: "Millainen on järjestöystävällinen kunta?",
		Date: "2027-02-25", Start: "17:00", End: "19:00", Link: "https://teams.example.fi/kumppanuuspoyta",
		Lang: "fi", Facilitator: "Anu Hätinen", AllowAnonymous: true, Dots: 3,
		Agenda: []session.ItemInput{
			{Title: "Kaupungin tervehdys", Presenter: "vs. kaupunginjohtaja, Ähtäri", Timebox: 10},
			{Title: "Keskustelu: järjestöystävällinen kunta", Question: "Mikä tekisi kunnastamme järjestöystävällisemmän?", Timebox: 50},
			{Title: "Konkreettiset yhteistyön askeleet ja toteuttajatiimi", Timebox: 30},
		},
	}
}

func (ts *testServer) createTable(in session.NewTableInput) tables.Created {
	ts.t.Helper()
	var out tables.Created
	if code, eb := ts.post("/api/tables", in, &out); code != http.StatusCreated {
		ts.t.Fatalf("create table: %d %+v", code, eb)
	}
	return out
}

func (ts *testServer) join(code, name, org, sector string) Joined {
	ts.t.Helper()
	var out Joined
	if status, eb := ts.post("/api/join", JoinRequest{Code: code, Name: name, Org: org, Sector: sector}, &out); status != http.StatusCreated {
		ts.t.Fatalf("join %s: %d %+v", name, status, eb)
	}
	return out
}

// wsClient is a protocol client as a browser would be: it reads frames,
// splits them into messages and keeps what it saw.
type wsClient struct {
	t     *testing.T
	name  string
	conn  *websocket.Conn
	msgs  chan map[string]json.RawMessage
	mu    sync.Mutex
	seq   int64 // last event or snapshot seq seen
	seqs  []int64
	ops   int
	close chan *websocket.CloseError

	presence        presenceCounts // the latest counts, guarded by mu
	presenceChanged chan struct{}
}

func (ts *testServer) dial(name string, header http.Header) (*websocket.Conn, *http.Response, error) {
	url := "ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws"
	return websocket.DefaultDialer.Dial(url, header)
}

// connect dials, says hello and waits for the welcome.
func (ts *testServer) connect(name, table string, role session.Role, token string, since int64) *wsClient {
	ts.t.Helper()
	conn, _, err := ts.dial(name, nil)
	if err != nil {
		ts.t.Fatalf("%s: dial: %v", name, err)
	}
	c := &wsClient{t: ts.t, name: name, conn: conn, msgs: make(chan map[string]json.RawMessage, 10000),
		close: make(chan *websocket.CloseError, 1), presenceChanged: make(chan struct{}, 1)}
	go c.readLoop()
	ts.t.Cleanup(func() { conn.Close() })
	c.sendRaw(map[string]any{"op": "hello", "table": table, "role": role, "token": token, "since": since})
	w := c.expect("welcome")
	if got := str(w["role"]); got != string(role) {
		ts.t.Fatalf("%s: welcome role %q, want %q", name, got, role)
	}
	return c
}

func (c *wsClient) readLoop() {
	defer close(c.msgs)
	for {
		_, frame, err := c.conn.ReadMessage()
		if err != nil {
			if ce, ok := err.(*websocket.CloseError); ok {
				c.close <- ce
			}
			return
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(line, &m); err != nil {
				c.t.Errorf("%s: bad message %q: %v", c.name, line, err)
				continue
			}
			if t := str(m["type"]); t == "presence" || t == "welcome" {
				var pc presenceCounts
				json.Unmarshal(m["counts"], &pc)
				c.mu.Lock()
				c.presence = pc
				c.mu.Unlock()
				select {
				case c.presenceChanged <- struct{}{}:
				default:
				}
			}
			if t := str(m["type"]); t == "event" || t == "snapshot" {
				var seq int64
				json.Unmarshal(m["seq"], &seq)
				c.mu.Lock()
				if t == "event" {
					c.seqs = append(c.seqs, seq)
				}
				c.seq = seq
				c.mu.Unlock()
			}
			c.msgs <- m
		}
	}
}

func str(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}

func (c *wsClient) sendRaw(v any) {
	c.t.Helper()
	if err := c.conn.WriteJSON(v); err != nil {
		c.t.Fatalf("%s: write: %v", c.name, err)
	}
}

// next returns the next message of the given type, skipping others
// (presence, events, …) unless they match.
func (c *wsClient) expect(typ string) map[string]json.RawMessage {
	c.t.Helper()
	return c.expectFunc(typ, func(map[string]json.RawMessage) bool { return true })
}

func (c *wsClient) expectFunc(typ string, ok func(map[string]json.RawMessage) bool) map[string]json.RawMessage {
	c.t.Helper()
	timeout := time.After(waitFor)
	for {
		select {
		case m, open := <-c.msgs:
			if !open {
				c.t.Fatalf("%s: connection ended while waiting for %s", c.name, typ)
			}
			if (typ == "" || str(m["type"]) == typ) && ok(m) {
				return m
			}
		case <-timeout:
			c.t.Fatalf("%s: no %s within %s", c.name, typ, waitFor)
		}
	}
}

// event waits for the event of a given type and decodes its data.
func (c *wsClient) event(name string, data any) int64 {
	c.t.Helper()
	m := c.expectFunc("event", func(m map[string]json.RawMessage) bool { return str(m["event"]) == name })
	if data != nil {
		if err := json.Unmarshal(m["data"], data); err != nil {
			c.t.Fatalf("%s: decode %s: %v", c.name, name, err)
		}
	}
	var seq int64
	json.Unmarshal(m["seq"], &seq)
	return seq
}

type reply struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Seq     int64  `json:"seq"`
	Dup     bool   `json:"dup"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// do sends a command and waits for its ack or error.
func (c *wsClient) do(op string, fields map[string]any) reply {
	c.t.Helper()
	c.ops++
	id := fmt.Sprintf("%s-%d", c.name, c.ops)
	return c.doID(id, op, fields)
}

func (c *wsClient) doID(id, op string, fields map[string]any) reply {
	c.t.Helper()
	msg := map[string]any{"id": id, "op": op}
	for k, v := range fields {
		msg[k] = v
	}
	c.sendRaw(msg)
	m := c.expectFunc("", func(m map[string]json.RawMessage) bool {
		t := str(m["type"])
		return (t == "ack" || t == "error") && str(m["id"]) == id
	})
	var r reply
	b, _ := json.Marshal(m)
	json.Unmarshal(b, &r)
	return r
}

// must sends a command that has to succeed and returns its seq.
func (c *wsClient) must(op string, fields map[string]any) int64 {
	c.t.Helper()
	r := c.do(op, fields)
	if r.Type != "ack" {
		c.t.Fatalf("%s: %s refused: %s (%s)", c.name, op, r.Code, r.Message)
	}
	return r.Seq
}

// refused sends a command that has to be refused with code.
func (c *wsClient) refused(code, op string, fields map[string]any) {
	c.t.Helper()
	r := c.do(op, fields)
	if r.Type != "error" || r.Code != code {
		c.t.Fatalf("%s: %s: got %s %q (%s), want error %q", c.name, op, r.Type, r.Code, r.Message, code)
	}
}

// waitSeq reads messages until the client has seen events up to seq.
func (c *wsClient) waitSeq(seq int64) {
	c.t.Helper()
	if c.lastSeq() >= seq {
		return
	}
	c.expectFunc("", func(m map[string]json.RawMessage) bool {
		var s int64
		json.Unmarshal(m["seq"], &s)
		t := str(m["type"])
		return (t == "event" || t == "snapshot") && s >= seq
	})
}

// lastPresence returns the latest presence counts the client has seen.
func (c *wsClient) lastPresence() presenceCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.presence
}

func mustURL(t *testing.T, ts *testServer) *url.URL {
	t.Helper()
	u, err := url.Parse("ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// waitPresence waits until the latest presence counts satisfy ok.
func (c *wsClient) waitPresence(ok func(presenceCounts) bool) {
	c.t.Helper()
	timeout := time.After(waitFor)
	for {
		c.mu.Lock()
		pc := c.presence
		c.mu.Unlock()
		if ok(pc) {
			return
		}
		select {
		case <-c.presenceChanged:
		case <-timeout:
			c.t.Fatalf("%s: presence never got there; last %+v", c.name, pc)
		}
	}
}

func (c *wsClient) lastSeq() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

func (c *wsClient) eventSeqs() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int64(nil), c.seqs...)
}

// snapshot reconnects from scratch and returns the server's view for this credential.
func (ts *testServer) snapshot(table string, role session.Role, token string) (session.View, json.RawMessage) {
	ts.t.Helper()
	c := ts.connect("snap", table, role, token, 0)
	m := c.expect("snapshot")
	var v session.View
	if err := json.Unmarshal(m["state"], &v); err != nil {
		ts.t.Fatalf("decode snapshot: %v", err)
	}
	c.conn.Close()
	return v, m["state"]
}
