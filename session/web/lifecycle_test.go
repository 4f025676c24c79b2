package web

import (
	"encoding/json"
	"flag"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
)

var cycles = flag.Int("cycles", 10000, "connect/disconnect cycles in TestNoLeaksAfterManyConnections")

// TestNoLeaksAfterManyConnections: after thousands of clients come and go,
// the server's goroutines and heap are back where they started.
func TestNoLeaksAfterManyConnections(t *testing.T) {
	cfg := testConfig()
	cfg.IdleTimeout = 20 * time.Millisecond
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	url := "ws" + strings.TrimPrefix(ts.http.URL, "http") + "/ws"
	hello := map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": p.Token}

	cycle := func() {
		conn, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatalf("dial: %v", err)
		}
		conn.WriteJSON(hello)
		if _, _, err := conn.ReadMessage(); err != nil { // welcome and snapshot
			t.Fatalf("read: %v", err)
		}
		conn.Close()
	}
	settle := func() (int, uint64) {
		// Wait for the server's side of closed connections and the idle
		// table to go away, then measure.
		deadline := time.Now().Add(10 * time.Second)
		var g int
		for {
			runtime.GC()
			g = runtime.NumGoroutine()
			if ts.live.LiveTables() == 0 && ts.live.OpenConns() == 0 || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return g, ms.HeapInuse
	}
	for range 50 {
		cycle()
	}
	g0, heap0 := settle()
	start := time.Now()
	n := *cycles
	if testing.Short() {
		n = 500
	}
	for range n {
		cycle()
	}
	took := time.Since(start)
	g1, heap1 := settle()
	t.Logf("%d cycles in %s; goroutines %d → %d; heap in use %.1f → %.1f MiB", n, took.Round(time.Millisecond), g0, g1, float64(heap0)/(1<<20), float64(heap1)/(1<<20))
	if g1 > g0+5 {
		t.Fatalf("goroutines grew from %d to %d after %d connections", g0, g1, n)
	}
	if heap1 > heap0+8<<20 {
		t.Fatalf("heap grew from %d to %d bytes after %d connections", heap0, heap1, n)
	}
}

// TestHalfOpenConnectionIsDetected: a client that vanishes without closing
// (no FIN, no pong) is noticed by ping/pong and leaves the table.
func TestHalfOpenConnectionIsDetected(t *testing.T) {
	cfg := testConfig()
	cfg.PingPeriod = 50 * time.Millisecond
	cfg.PongWait = 200 * time.Millisecond
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Kadonnut Kalle", "", "resident")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)

	// A raw client that says hello and then never reads again, so it never
	// answers a ping: to the server it looks like a vanished phone.
	raw, err := net.Dial("tcp", strings.TrimPrefix(ts.http.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ws, _, err := websocket.NewClient(raw, mustURL(t, ts), nil, 1024, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ws.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": p.Token})
	fac.waitPresence(func(pc presenceCounts) bool { return pc.Participants == 1 })
	// From here on nothing is read, so pongs are never sent.
	fac.waitPresence(func(pc presenceCounts) bool { return pc.Participants == 0 })
}

// TestNonReadingClientIsDroppedQuickly: a client that stops reading during
// a busy meeting is dropped, while a reading client keeps getting every event.
func TestNonReadingClientIsDroppedQuickly(t *testing.T) {
	cfg := testConfig()
	cfg.WriteTimeout = 500 * time.Millisecond
	cfg.RateBurst, cfg.RatePerSecond = 100000, 100000
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	p := ts.join(tbl.Code, "Hidas Hilkka", "", "resident")
	q := ts.join(tbl.Code, "Nopea Niina", "", "resident")
	reader := ts.connect("reader", tbl.ID, session.RoleParticipant, q.Token, 0)
	stuck, _, err := ts.dial("stuck", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer stuck.Close()
	stuck.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": p.Token})
	fac.waitPresence(func(pc presenceCounts) bool { return pc.Participants == 2 })
	start := time.Now()
	big := strings.Repeat("muistio ", 1200)
	var last int64
	for i := 0; fac.lastPresence().Participants == 2; i++ {
		if time.Since(start) > 10*time.Second {
			t.Fatal("the client that stopped reading was not dropped within 10 s")
		}
		last = fac.must("item.notes", map[string]any{"item": v.Items[0].ID, "notes": big + itoa(i)})
	}
	t.Logf("dropped after %s", time.Since(start).Round(time.Millisecond))
	reader.waitSeq(last)
}
