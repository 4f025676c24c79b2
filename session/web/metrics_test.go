package web

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
	"github.com/poyta/poyta/static"
)

// scrape reads the metrics listener's text format into series → value.
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape: %s", resp.Status)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("scrape: %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// TestMetricsOfAMeeting: a short meeting over real websockets, then a
// scrape of the metrics listener: tables, connections by role, events,
// commits, fan-out, refusals by code and transport, HTTP requests by
// route pattern; and the public port has no /metrics.
func TestMetricsOfAMeeting(t *testing.T) {
	m := metrics.New(metrics.Build{Version: "(devel)", Go: runtime.Version(), SQLite: "3.51.3"})
	ml, err := m.Listen("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer ml.Shutdown(context.Background())
	cfg := testConfig()
	cfg.Metrics = m
	cfg.Static = static.FS()
	ts := startServer(t, "", cfg)

	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	if err := json.Unmarshal(fac.expect("snapshot")["state"], &v); err != nil {
		t.Fatal(err)
	}
	item := v.Items[1].ID
	c := ts.connect("liisa", tbl.ID, session.RoleParticipant, p.Token, 0)
	fac.must("item.open", map[string]any{"item": item})
	c.must("idea.add", map[string]any{"item": item, "text": "Kylätalot yhteiskäyttöön"})
	var idea session.IdeaAdded
	fac.event("idea.added", &idea)
	c.refused(session.CodeWrongPhase, "vote.add", map[string]any{"idea": idea.Idea})
	if code, _ := ts.post("/api/join", JoinRequest{Code: "KP-ZZZZ-ZZZZ", Name: "Arvaaja"}, nil); code != http.StatusNotFound {
		t.Fatalf("join with an unknown code: %d", code)
	}
	for _, path := range []string{"/metrics", "/debug/pprof/", "/api/metrics"} {
		resp, err := http.Get(ts.http.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || strings.Contains(string(b), "poyta_") {
			t.Fatalf("GET %s on the public port: %d %.200s, want 404", path, resp.StatusCode, b)
		}
	}

	got := scrape(t, ml.Addr())
	for series, want := range map[string]float64{
		`poyta_live_tables`: 1,
		`poyta_websocket_connections{role="facilitator"}`:                                                              1,
		`poyta_websocket_connections{role="participant"}`:                                                              1,
		`poyta_websocket_joins_total{role="participant"}`:                                                              1,
		`poyta_events_committed_total`:                                                                                 3, // joined, item opened, idea
		`poyta_commit_duration_seconds_count`:                                                                          3,
		`poyta_commits_failed_total`:                                                                                   0,
		`poyta_refusals_total{code="wrong_phase",transport="websocket"}`:                                               1,
		`poyta_refusals_total{code="no_such_table",transport="http"}`:                                                  1,
		`poyta_http_requests_total{route="POST /api/tables",status="201"}`:                                             1,
		`poyta_http_requests_total{route="POST /api/join",status="201"}`:                                               1,
		`poyta_http_requests_total{route="POST /api/join",status="404"}`:                                               1,
		`poyta_http_requests_total{route="GET /ws",status="101"}`:                                                      2,
		`poyta_http_requests_total{route="GET /",status="404"}`:                                                        3,
		`poyta_queue_overflows_total{queue="inbox"}`:                                                                   0,
		`poyta_slow_clients_dropped_total`:                                                                             0,
		`poyta_refusals_total{code="internal",transport="http"}`:                                                       0,
		`poyta_refusals_total{code="other",transport="websocket"}`:                                                     0,
		`poyta_websocket_connections{role="screen"}`:                                                                   0,
		`poyta_build_info{commit="",go_version="` + runtime.Version() + `",sqlite_version="3.51.3",version="(devel)"}`: 1,
	} {
		if v, ok := got[series]; !ok || v != want {
			t.Errorf("%s = %v (present: %v), want %v", series, v, ok, want)
		}
	}
	// Every frame carries at least one message; the welcomes and snapshots
	// alone are four messages.
	if f, d := got["poyta_fanout_frames_total"], got["poyta_fanout_deliveries_total"]; f < 2 || d < f+2 {
		t.Errorf("fan-out: %v frames, %v deliveries", f, d)
	}
	for series := range got {
		if strings.HasPrefix(series, "poyta_http_requests_total{") && strings.Contains(series, `route="/`) {
			t.Errorf("a route label is a raw path: %s", series)
		}
	}

	// Connections that end leave the gauges.
	c.conn.Close()
	fac.conn.Close()
	eventually(t, "the connections to leave the gauges", func() bool {
		g := scrape(t, ml.Addr())
		return g[`poyta_websocket_connections{role="facilitator"}`] == 0 && g[`poyta_websocket_connections{role="participant"}`] == 0
	})
}
