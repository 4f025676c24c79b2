package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/web"
	"github.com/poyta/poyta/store"
)

func TestHistogramQuantiles(t *testing.T) {
	var h shardedHist
	for v := int64(1); v <= 100000; v++ {
		h.record(int(v), v)
	}
	s := h.snapshot()
	for _, c := range []struct {
		q    float64
		want uint64
	}{{0.5, 50000}, {0.95, 95000}, {0.99, 99000}, {1, 100000}} {
		got := s.quantile(c.q)
		if d := float64(got) - float64(c.want); d > float64(c.want)/100 || d < -float64(c.want)/100 {
			t.Errorf("quantile %.2f = %d, want %d within 1%%", c.q, got, c.want)
		}
	}
	if s.n != 100000 || s.max != 100000 {
		t.Errorf("n %d max %d", s.n, s.max)
	}
	for v := uint64(0); v < 1<<20; v += 997 {
		if b := bucketOf(v); valueOf(b) > v+v/64+1 || valueOf(b)+valueOf(b)/64+1 < v {
			t.Fatalf("value %d in bucket %d of value %d", v, b, valueOf(b))
		}
	}
}

func TestLoopbackOnly(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"http://192.0.2.1:8080", "http://example.com", "ftp://127.0.0.1", "http://127.0.0.1:8080/x", "127.0.0.1:8080"} {
		if _, _, err := loopbackTarget(ctx, u); err == nil {
			t.Errorf("%s: accepted, want refused", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.0.0.5:1"} {
		if _, _, err := loopbackTarget(ctx, u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestParseMessages(t *testing.T) {
	r := &runState{o: &runOptions{}, errors: map[string]int64{}, closes: map[int]int64{}, base: time.Now()}
	tb := &table{run: r, facReplies: make(chan reply, 4), ideas: map[string][]string{}}
	tb.sendAt = make([]atomic.Int64, 10)
	tb.measureFrom.Store(100)
	c := &conn{run: r, t: tb, prefix: "L7", role: "participant"}
	c.lastSeq.Store(100)
	// An op sent, its ack, its event; then an event acknowledged to nobody yet.
	c.opN = 3
	c.sentOp[3].Store(3)
	c.sentAt[3].Store(r.now())
	tb.outstanding.Store(1)
	frame := `{"type":"ack","id":"L7-3","seq":101}` + "\n" +
		`{"type":"event","seq":101,"at":"2027-02-25T15:00:46Z","event":"vote.changed","data":{"item":"x","delta":1,"cast":1}}` + "\n" +
		`{"type":"event","seq":102,"at":"2027-02-25T15:00:46Z","event":"vote.changed","data":{"item":"x","delta":1,"cast":2}}` + "\n" +
		`{"type":"presence","counts":{"participants":1,"facilitators":1,"scribes":0,"screens":0,"bySector":{}}}`
	for _, m := range strings.Split(frame, "\n") {
		c.handle([]byte(m), r.now())
	}
	if tb.outstanding.Load() != 0 || r.acked.Load() != 1 || tb.maxSeq.Load() != 101 {
		t.Fatalf("ack not matched: outstanding %d, acked %d, max seq %d", tb.outstanding.Load(), r.acked.Load(), tb.maxSeq.Load())
	}
	if c.lastSeq.Load() != 102 || c.events.Load() != 2 || len(c.pending) != 1 || r.presence.Load() != 1 {
		t.Fatalf("last seq %d, events %d, pending %d, presence %d", c.lastSeq.Load(), c.events.Load(), len(c.pending), r.presence.Load())
	}
	c.resolve(true)
	if r.unmatched.Load() != 1 || r.lat.snapshot().n != 1 {
		t.Fatalf("unmatched %d, measured %d", r.unmatched.Load(), r.lat.snapshot().n)
	}
	// A gap and an error with an id.
	c.handle([]byte(`{"type":"event","seq":105,"at":"x","event":"e","data":{}}`), r.now())
	c.sentOp[4].Store(4)
	tb.outstanding.Store(1)
	c.handle([]byte(`{"type":"error","id":"L7-4","code":"wrong_phase","kind":"conflict","message":"m"}`), r.now())
	if c.gaps.Load() != 2 || r.errors["wrong_phase"] != 1 || tb.outstanding.Load() != 0 {
		t.Fatalf("gaps %d, errors %v, outstanding %d", c.gaps.Load(), r.errors, tb.outstanding.Load())
	}
}

// startServer runs a real server in this process on a temporary database.
func startServer(t *testing.T) string {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := live.New(live.Config{Store: db})
	hs := httptest.NewServer(web.New(web.Config{Store: db, Live: srv, TablesPerHour: web.DefaultTablesPerHour}).Handler())
	t.Cleanup(func() {
		hs.Close()
		srv.Shutdown(context.Background())
		db.Close()
	})
	return hs.URL
}

// runCmd runs "poyta-load run" with args and returns its JSON result.
func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	cmd := newRunCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line is not the JSON result: %v\n%s", err, out.String())
	}
	return res
}

// TestRunAgainstServer plays a short meeting against a real server in this
// process: everyone gets in, every op is acknowledged, every connection
// gets every event, and the report says so.
func TestRunAgainstServer(t *testing.T) {
	url := startServer(t)
	jsonOut := filepath.Join(t.TempDir(), "runs.jsonl")
	res := runCmd(t, "--url", url, "--tables", "2", "-n", "30", "--duration", "3s", "--ideas", "10", "--votes", "30",
		"--settle", "100ms", "--sources", "2", "--pid", strconv.Itoa(os.Getpid()), "--json-out", jsonOut, "--check", "--progress", "0")
	if !res.OK || res.In != 30 || res.Conns != 34 || res.OpsAcked == 0 || res.Latency.Count == 0 || res.Server == nil {
		t.Fatalf("result: %+v", res)
	}
	// Every connection of a table got every event of the meeting.
	if want := res.Events * 17; res.Deliveries != want {
		t.Errorf("deliveries %d, want %d (events × connections per table)", res.Deliveries, want)
	}
	svg := filepath.Join(t.TempDir(), "latency.svg")
	plot := newPlotCmd()
	plot.SetArgs([]string{"--out", svg, "--target", "15=50", jsonOut})
	if err := plot.Execute(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.Contains(b, []byte("<svg")) || !bytes.Contains(b, []byte("polyline")) {
		t.Fatalf("plot: %v %.200s", err, b)
	}
}

// TestGroupsAgainstServer plays group work against a real server, placed
// by the server (mixed) and by hand (manual): every group event reaches
// its group's members and the facilitators and nobody else, the other
// clients' seqs skip, and everyone gets the report-back with every pick.
func TestGroupsAgainstServer(t *testing.T) {
	url := startServer(t)
	for _, c := range []struct {
		placement    string
		tables, n, g string
	}{{"mixed", "1", "40", "4"}, {"manual", "2", "24", "3"}} {
		t.Run(c.placement, func(t *testing.T) {
			res := runCmd(t, "--url", url, "--tables", c.tables, "-n", c.n, "--groups", c.g, "--placement", c.placement,
				"--duration", "3s", "--ideas", "10", "--votes", "20", "--group-dots", "3", "--picks", "2",
				"--settle", "100ms", "--check", "--progress", "0")
			g := res.Group
			if !res.OK || g == nil || res.Latency.Count == 0 {
				t.Fatalf("result: %+v", res)
			}
			if g.Leaks != 0 || g.Lost != 0 || g.Unaudited != 0 || g.Skipped == 0 || res.Gaps != 0 {
				t.Errorf("audit: %+v, gaps %d", *g, res.Gaps)
			}
			// Every event reached exactly its audience.
			if g.Expected != res.Deliveries {
				t.Errorf("deliveries %d, the audiences call for %d", res.Deliveries, g.Expected)
			}
			if g.ReportBack.Count != uint64(res.Conns) || g.NoReportBack != 0 {
				t.Errorf("report-back reached %d of %d connections", g.ReportBack.Count, res.Conns)
			}
			if g.PlenaryWant == 0 || g.PlenaryIdeas != g.PlenaryWant {
				t.Errorf("plenary ideas %d, picked %d", g.PlenaryIdeas, g.PlenaryWant)
			}
		})
	}
}

// TestAudit shows that the audit finds a leak and a loss: a member who
// got another group's event, and a member who missed their own group's.
func TestAudit(t *testing.T) {
	r := &runState{o: &runOptions{groups: 2}, errors: map[string]int64{}, closes: map[int]int64{}, base: time.Now()}
	tb := &table{run: r, ideas: map[string][]string{}}
	tb.sendAt = make([]atomic.Int64, 10)
	tb.aud = make([]atomic.Int32, 10)
	tb.maxAud = make([]atomic.Int64, 3)
	tb.measureFrom.Store(100)
	mk := func(role string, group int32) *conn {
		c := &conn{run: r, t: tb, role: role, group: group, ws: new(websocket.Conn), got: make([]uint64, 1)}
		c.lastSeq.Store(100)
		return c
	}
	tb.fac, tb.scr = mk("facilitator", 0), mk("screen", 0)
	p1, p2 := mk("participant", 1), mk("participant", 2)
	tb.parts = []*conn{p1, p2}
	// Seq 101 is everyone's, 102 group 1's, 103 group 2's, 104 the report-back.
	for i, a := range []int32{audPublic, 1, 2, audPublic} {
		tb.aud[i].Store(a)
	}
	tb.maxSeq.Store(104)
	ev := func(c *conn, seq int, name string) {
		c.handle([]byte(`{"type":"event","seq":`+strconv.Itoa(seq)+`,"at":"x","event":"`+name+`","data":{}}`), r.now())
	}
	for _, seq := range []int{101, 102, 103} {
		ev(tb.fac, seq, "idea.added")
	}
	ev(tb.scr, 101, "table.edited")
	ev(p1, 101, "table.edited")
	ev(p1, 102, "idea.added")
	ev(p1, 103, "idea.added") // group 2's: a leak
	ev(p2, 101, "table.edited")
	// p2 misses 103, its own group's: lost.
	for _, c := range tb.all() {
		ev(c, 104, "groups.ended")
	}
	var g groupSide
	tb.audit(&g)
	want := groupSide{Expected: 4 + 2 + 2 + 4, Leaks: 1, Lost: 1, Skipped: 3}
	if g != want {
		t.Errorf("audit %+v, want %+v", g, want)
	}
	if p2.gaps.Load() != 0 || p2.lastSeq.Load() != 104 || p2.endedAt.Load() == 0 {
		t.Errorf("p2: gaps %d, last seq %d, report-back at %d", p2.gaps.Load(), p2.lastSeq.Load(), p2.endedAt.Load())
	}
	// Before the report-back each waits for its own last event.
	tb.maxSeq.Store(103)
	for k, s := range []int64{101, 102, 103} {
		tb.maxAud[k].Store(s)
	}
	for c, want := range map[*conn]int64{tb.fac: 103, tb.scr: 101, p1: 102, p2: 103} {
		if got := tb.lastFor(c); got != want {
			t.Errorf("lastFor %s of group %d: %d, want %d", c.role, c.group, got, want)
		}
	}
}
