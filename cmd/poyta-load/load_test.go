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
	r := &runState{errors: map[string]int64{}, closes: map[int]int64{}, base: time.Now()}
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

// TestRunAgainstServer plays a short meeting against a real server in this
// process: everyone gets in, every op is acknowledged, every connection
// gets every event, and the report says so.
func TestRunAgainstServer(t *testing.T) {
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := live.New(live.Config{Store: db})
	hs := httptest.NewServer(web.New(web.Config{Store: db, Live: srv, TablesPerHour: web.DefaultTablesPerHour}).Handler())
	defer func() {
		hs.Close()
		srv.Shutdown(context.Background())
	}()
	jsonOut := filepath.Join(t.TempDir(), "runs.jsonl")
	cmd := newRunCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs([]string{"--url", hs.URL, "--tables", "2", "-n", "30", "--duration", "3s", "--ideas", "10", "--votes", "30",
		"--settle", "100ms", "--sources", "2", "--pid", strconv.Itoa(os.Getpid()), "--json-out", jsonOut, "--check", "--progress", "0"})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("run: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var res result
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("last line is not the JSON result: %v\n%s", err, out.String())
	}
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
