package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	_ "github.com/mattn/go-sqlite3"
)

var crashRounds = flag.Int("crash-rounds", 20, "SIGKILL rounds in TestCrashLosesNothing")

// crashClient is a participant that keeps writing and remembers which of
// its ops were acknowledged, with the seq the server gave them.
type crashClient struct {
	name, token, actor, idea string
	n                        int               // ops made so far
	pending                  map[string]string // op id → text, sent but not acknowledged
	order                    []string          // pending op ids in the order made
	acked                    map[string]int64  // op id → seq
	dups                     int               // retries answered "already applied"
	mu                       sync.Mutex        // guards the fields above between the reader and the sender
}

// TestCrashLosesNothing kills the real server with SIGKILL at random moments
// while participants write, restarts it on the same file, and checks that
// every acknowledged op is in the log exactly once with its seq, that ops
// whose ack was lost are applied once when retried, that seqs have no gaps,
// and that SQLite's integrity check passes.
func TestCrashLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts the real binary")
	}
	bin := buildPoyta(t)
	db := filepath.Join(t.TempDir(), "poyta.db")
	p := startPoyta(t, bin, db)
	base := "http://" + p.addr
	var tbl struct{ ID, Code, FacilitatorSecret string }
	post(t, base+"/api/tables", `{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Yhteistyösuunnitelma"}]}`, &tbl)

	// 16 participants at 15 ops/s each: 240 writes/s, under the server's
	// per-connection rate limit (20/s), so every refusal is a bug.
	const nClients = 16
	clients := make([]*crashClient, nClients)
	for i := range clients {
		var j struct{ Participant, Token string }
		post(t, base+"/api/join", fmt.Sprintf(`{"code":%q,"name":"Osallistuja %d","sector":"association"}`, tbl.Code, i+1), &j)
		clients[i] = &crashClient{name: fmt.Sprintf("c%d", i), token: j.Token, actor: "p:" + j.Participant,
			pending: map[string]string{}, acked: map[string]int64{}}
	}
	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	var item string
	start := time.Now()
	for round := 0; round <= *crashRounds; round++ {
		if round > 0 {
			p = startPoyta(t, bin, db)
		}
		if item == "" {
			item = firstItem(t, p.addr, tbl.ID, tbl.FacilitatorSecret)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		last := round == *crashRounds
		for _, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.drive(ctx, t, p.addr, tbl.ID, item, !last)
			}()
		}
		if last {
			// The final round: no kill and no new ops; every client retries
			// what is pending until it is acknowledged.
			deadline := time.Now().Add(20 * time.Second)
			for _, c := range clients {
				for c.pendingCount() > 0 && time.Now().Before(deadline) {
					time.Sleep(10 * time.Millisecond)
				}
			}
		} else {
			time.Sleep(time.Duration(150+rng.IntN(500)) * time.Millisecond)
			p.cmd.Process.Signal(syscall.SIGKILL)
			<-p.done
		}
		cancel()
		wg.Wait()
		if last {
			p.cmd.Process.Signal(syscall.SIGTERM)
			<-p.done
		}
	}
	elapsed := time.Since(start)

	// Every acknowledged op is in the log exactly once, at its seq.
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	rows, err := conn.Query("SELECT seq, coalesce(op, '') FROM events WHERE table_id = ? ORDER BY seq", tbl.ID)
	if err != nil {
		t.Fatal(err)
	}
	byOp := map[string]int64{}
	var prev int64
	for rows.Next() {
		var seq int64
		var op string
		rows.Scan(&seq, &op)
		if seq != prev+1 {
			t.Fatalf("seq %d follows %d: a gap", seq, prev)
		}
		prev = seq
		if op != "" {
			if _, dup := byOp[op]; dup {
				t.Fatalf("op %q is in the log twice", op)
			}
			byOp[op] = seq
		}
	}
	total, dups := 0, 0
	for _, c := range clients {
		dups += c.dups
		if len(c.pending) > 0 {
			t.Errorf("%s: %d ops never acknowledged even after retries", c.name, len(c.pending))
		}
		for id, seq := range c.acked {
			total++
			if got, ok := byOp[c.actor+" "+id]; !ok || got != seq {
				t.Fatalf("%s: op %s acknowledged with seq %d, in the log at %d (present %v)", c.name, id, seq, got, ok)
			}
		}
	}
	t.Logf("%d SIGKILL rounds, %d acknowledged ops checked (%d of them retries whose first ack was lost), %d events, %.0f acknowledged writes/s overall (restarts included)",
		*crashRounds, total, dups, prev, float64(total)/elapsed.Seconds())
}

// firstItem returns the table's first agenda item id, seen by the facilitator.
func firstItem(t *testing.T, addr, table, secret string) string {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.WriteJSON(map[string]any{"op": "hello", "table": table, "role": "facilitator", "token": secret})
	for {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m struct {
				Type  string
				State struct{ Items []struct{ ID string } }
			}
			json.Unmarshal(line, &m)
			if m.Type == "snapshot" {
				return m.State.Items[0].ID
			}
		}
	}
}

// drive connects, resends everything pending with the same op ids, then
// sends 15 new ops a second, at most 8 in flight, until ctx ends or the
// connection dies.
func (c *crashClient) pendingCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.pending)
}

func (c *crashClient) drive(ctx context.Context, t *testing.T, addr, table, item string, more bool) {
	d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
	conn, _, err := d.DialContext(ctx, "ws://"+addr+"/ws", nil)
	if err != nil {
		return
	}
	defer conn.Close()
	go func() {
		<-ctx.Done()
		conn.Close()
	}()
	if conn.WriteJSON(map[string]any{"op": "hello", "table": table, "role": "participant", "token": c.token}) != nil {
		return
	}
	mu := &c.mu
	inflight := 0
	send := func(id string) bool {
		msg := map[string]any{"id": id, "op": "idea.edit", "idea": c.idea, "text": c.pending[id]}
		if c.idea == "" || id == c.order[0] && c.pending[id][:4] == "add:" {
			msg = map[string]any{"id": id, "op": "idea.add", "item": item, "text": c.pending[id]}
		}
		return conn.WriteJSON(msg) == nil
	}
	welcomed := make(chan struct{})
	done := make(chan struct{})
	// The reader must be gone before the next round's drive starts.
	defer func() {
		conn.Close()
		<-done
	}()
	go func() {
		defer close(done)
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return
			}
			for _, line := range bytes.Split(frame, []byte("\n")) {
				var m struct {
					Type, ID, Code, Event string
					Seq                   int64
					Dup                   bool
					Data                  struct{ Idea, Author string }
				}
				json.Unmarshal(line, &m)
				mu.Lock()
				switch m.Type {
				case "welcome":
					close(welcomed)
				case "ack":
					if _, ok := c.pending[m.ID]; ok {
						if m.Dup {
							c.dups++
						}
						c.acked[m.ID] = m.Seq
						delete(c.pending, m.ID)
						inflight--
					}
				case "error":
					t.Errorf("%s: op %s refused: %s", c.name, m.ID, m.Code)
					delete(c.pending, m.ID)
					inflight--
				case "event":
					if m.Event == "idea.added" && "p:"+m.Data.Author == c.actor && c.idea == "" {
						c.idea = m.Data.Idea
					}
				}
				mu.Unlock()
			}
		}
	}()
	select {
	case <-welcomed:
	case <-done:
		return
	}
	mu.Lock()
	// Retry what was sent before the crash, oldest first, same op ids.
	var retry []string
	for _, id := range c.order {
		if _, ok := c.pending[id]; ok {
			retry = append(retry, id)
		}
	}
	c.order = retry
	for _, id := range retry {
		inflight++
		if !send(id) {
			mu.Unlock()
			return
		}
	}
	mu.Unlock()
	tick := time.NewTicker(time.Second / 15)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-done:
			return
		case <-tick.C:
		}
		mu.Lock()
		if !more || inflight >= 8 || (c.idea == "" && len(c.acked)+len(c.pending) > 0) {
			mu.Unlock()
			continue
		}
		c.n++
		id := fmt.Sprintf("%s-%d", c.name, c.n)
		text := fmt.Sprintf("edit:%s versio %d", c.name, c.n)
		if c.idea == "" {
			text = "add:" + c.name + " alkuperäinen idea"
		}
		c.pending[id] = text
		c.order = append(c.order, id)
		inflight++
		ok := send(id)
		mu.Unlock()
		if !ok {
			return
		}
	}
}
