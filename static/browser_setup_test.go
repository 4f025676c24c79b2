package static_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/poyta/poyta/session/tables"
)

// A table set up through the HTTP API and the websocket, as other clients
// would make it, so that a browser test can start from a meeting in full
// swing without clicking it together first.
type apiTable struct {
	t       *testing.T
	site    *site
	created tables.Created
	fac     *wsClient
}

// createTable posts the create input (JSON) and connects as its facilitator.
func (s *site) createTable(t *testing.T, input string) *apiTable {
	t.Helper()
	resp, err := http.Post(s.url+"/api/tables", "application/json", strings.NewReader(input))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		t.Fatalf("create table: %s %s", resp.Status, b.String())
	}
	tb := &apiTable{t: t, site: s}
	if err := json.NewDecoder(resp.Body).Decode(&tb.created); err != nil {
		t.Fatal(err)
	}
	tb.fac = s.dial(t, tb.created.ID, "facilitator", tb.created.FacilitatorSecret)
	return tb
}

// item returns the id of the agenda item at index n.
func (tb *apiTable) item(n int) string {
	tb.t.Helper()
	var v struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	tb.fac.state(&v)
	if n >= len(v.Items) {
		tb.t.Fatalf("the table has %d items, not %d", len(v.Items), n+1)
	}
	return v.Items[n].ID
}

// join adds a participant over HTTP and connects them.
func (tb *apiTable) join(name, org, sector string) *wsClient {
	tb.t.Helper()
	token := fmt.Sprintf("tok%031d", atomic.AddInt64(&tokens, 1))
	body, _ := json.Marshal(map[string]string{"code": tb.created.Code, "name": name, "org": org, "sector": sector, "token": token})
	resp, err := http.Post(tb.site.url+"/api/join", "application/json", bytes.NewReader(body))
	if err != nil {
		tb.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Table, Participant, Token string }
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusCreated {
		tb.t.Fatalf("join %s: %s", name, resp.Status)
	}
	c := tb.site.dial(tb.t, tb.created.ID, "participant", out.Token)
	c.you = out.Participant
	c.token = out.Token
	return c
}

var tokens int64

// wsClient is one connection speaking the protocol: it sends ops and waits
// for their acks.
type wsClient struct {
	t     *testing.T
	site  *site
	table string
	role  string
	c     *websocket.Conn
	you   string
	token string
	n     int
	snap  json.RawMessage
	seq   int64                      // the last event's seq
	last  map[string]json.RawMessage // the latest event data, by event type
}

func (s *site) dial(t *testing.T, table, role, token string) *wsClient {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	hello, _ := json.Marshal(map[string]any{"op": "hello", "table": table, "role": role, "token": token, "since": 0})
	if err := c.WriteMessage(websocket.TextMessage, hello); err != nil {
		t.Fatal(err)
	}
	w := &wsClient{t: t, c: c, last: map[string]json.RawMessage{}, site: s, table: table, role: role, token: token}
	w.read(func(m wsMsg) bool {
		if m.Type == "error" {
			t.Fatalf("hello as %s refused: %s", role, m.Code)
		}
		if m.Type == "welcome" {
			w.you = m.You
		}
		return m.Type == "snapshot"
	})
	return w
}

type wsMsg struct {
	Type  string          `json:"type"`
	ID    string          `json:"id"`
	Code  string          `json:"code"`
	You   string          `json:"you"`
	Event string          `json:"event"`
	Seq   int64           `json:"seq"`
	Data  json.RawMessage `json:"data"`
	State json.RawMessage `json:"state"`
}

// read reads messages until done says so.
func (w *wsClient) read(done func(wsMsg) bool) {
	w.t.Helper()
	w.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, frame, err := w.c.ReadMessage()
		if err != nil {
			w.t.Fatalf("read: %v", err)
		}
		for _, line := range strings.Split(string(frame), "\n") {
			var m wsMsg
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			if m.Type == "snapshot" {
				w.snap = m.State
			}
			if m.Type == "event" {
				w.last[m.Event] = m.Data
				w.seq = m.Seq
			}
			if done(m) {
				return
			}
		}
	}
}

// do sends an op and waits for its ack; a refusal fails the test.
func (w *wsClient) do(op string, fields map[string]any) {
	w.t.Helper()
	if err := w.try(op, fields); err != "" {
		w.t.Fatalf("%s %v: refused: %s", op, fields, err)
	}
}

// try sends an op and returns the refusal's code, or "".
func (w *wsClient) try(op string, fields map[string]any) string {
	w.t.Helper()
	w.n++
	id := fmt.Sprintf("test-%d", w.n)
	msg := map[string]any{"id": id, "op": op}
	for k, v := range fields {
		msg[k] = v
	}
	b, _ := json.Marshal(msg)
	if err := w.c.WriteMessage(websocket.TextMessage, b); err != nil {
		w.t.Fatal(err)
	}
	code, acked := "", int64(-1)
	w.read(func(m wsMsg) bool {
		if m.ID == id && m.Type == "error" {
			code = m.Code
			return true
		}
		if m.ID == id && m.Type == "ack" {
			acked = m.Seq
		}
		// The op's own event may come before or after its ack.
		return acked >= 0 && w.seq >= acked
	})
	return code
}

// state decodes the snapshot this connection got at its hello into v.
func (w *wsClient) state(v any) {
	w.t.Helper()
	if err := json.Unmarshal(w.snap, v); err != nil {
		w.t.Fatal(err)
	}
}

// fresh decodes a new snapshot of this credential's view into v.
func (w *wsClient) fresh(v any) {
	w.t.Helper()
	_, snap, err := w.site.snapshot(w.role, w.table, w.token)
	if err != nil {
		w.t.Fatal(err)
	}
	if err := json.Unmarshal(snap, v); err != nil {
		w.t.Fatal(err)
	}
}

// added returns the id in the data of the last event of the type (such as
// idea.added), for ops whose ack carries no id.
func (w *wsClient) added(event string) string {
	w.t.Helper()
	var d map[string]json.RawMessage
	json.Unmarshal(w.last[event], &d)
	for _, k := range []string{"idea", "action", "group"} {
		var id string
		if json.Unmarshal(d[k], &id) == nil && id != "" {
			return id
		}
		var obj struct{ ID string }
		if json.Unmarshal(d[k], &obj) == nil && obj.ID != "" {
			return obj.ID
		}
	}
	w.t.Fatalf("no %s event seen", event)
	return ""
}

// next waits for the next event of the type and returns its data.
func (w *wsClient) next(event string) json.RawMessage {
	w.t.Helper()
	var data json.RawMessage
	w.read(func(m wsMsg) bool {
		if m.Type == "event" && m.Event == event {
			data = m.Data
			return true
		}
		return false
	})
	return data
}
