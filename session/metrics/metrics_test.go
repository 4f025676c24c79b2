package metrics

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestNilIsSafe: a server without metrics calls the same methods.
func TestNilIsSafe(t *testing.T) {
	var m *Metrics
	m.SetLiveTables(3)
	m.Joined(session.RoleParticipant)
	m.Left(session.RoleParticipant)
	m.Committed(4, time.Millisecond, true)
	m.CommitFailed()
	m.Fanout(10, 20)
	m.SlowClientDropped()
	m.QueueFull(Inbox)
	m.Refused(HTTP, session.CodeNoTable)
	m.HTTPRequest("GET /livez", 200)
}

func TestCounts(t *testing.T) {
	m := New(Build{Version: "v1.2.3", Commit: "abc123", Go: "go1.26.8", SQLite: "3.51.3"})
	m.SetLiveTables(2)
	m.Joined(session.RoleParticipant)
	m.Joined(session.RoleParticipant)
	m.Joined(session.RoleFacilitator)
	m.Left(session.RoleParticipant)
	m.Joined(session.RoleGuest) // never a connection's role: not counted
	m.Committed(5, 3*time.Millisecond, false)
	m.Committed(1, 300*time.Millisecond, true)
	m.CommitFailed()
	m.Fanout(3, 7)
	m.Fanout(0, 0)
	m.SlowClientDropped()
	m.QueueFull(Send)
	m.QueueFull(Send)
	m.Refused(WebSocket, session.CodeWrongPhase)
	m.Refused(HTTP, session.CodeNoTable)
	m.Refused(HTTP, "made_up_code")
	m.HTTPRequest("POST /api/tables", 201)
	m.HTTPRequest("", 404)

	for _, c := range []struct {
		name string
		got  float64
		want float64
	}{
		{"live tables", testutil.ToFloat64(m.liveTables), 2},
		{"participant connections", testutil.ToFloat64(m.conns[session.RoleParticipant]), 1},
		{"facilitator connections", testutil.ToFloat64(m.conns[session.RoleFacilitator]), 1},
		{"participant joins", testutil.ToFloat64(m.joins[session.RoleParticipant]), 2},
		{"events", testutil.ToFloat64(m.events), 6},
		{"slow commits", testutil.ToFloat64(m.slowCommits), 1},
		{"failed commits", testutil.ToFloat64(m.failedCommits), 1},
		{"frames", testutil.ToFloat64(m.frames), 3},
		{"deliveries", testutil.ToFloat64(m.deliveries), 7},
		{"slow clients", testutil.ToFloat64(m.slowDropped), 1},
		{"send overflows", testutil.ToFloat64(m.overflows[Send]), 2},
		{"inbox overflows", testutil.ToFloat64(m.overflows[Inbox]), 0},
		{"wrong_phase over websockets", testutil.ToFloat64(m.refusals[WebSocket][session.CodeWrongPhase]), 1},
		{"no_such_table over HTTP", testutil.ToFloat64(m.refusals[HTTP][session.CodeNoTable]), 1},
		{"unknown code over HTTP", testutil.ToFloat64(m.refusals[HTTP][otherCode]), 1},
		{"created", testutil.ToFloat64(m.httpRequests.WithLabelValues("POST /api/tables", "201")), 1},
		{"unmatched", testutil.ToFloat64(m.httpRequests.WithLabelValues("unmatched", "404")), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if n := testutil.CollectAndCount(m.commitSeconds); n != 1 {
		t.Errorf("commit histogram: %d series", n)
	}
}

// TestEveryMetricIsPoytasAndExplained: our metrics are named poyta_… and
// each has a HELP text.
func TestEveryMetricIsPoytasAndExplained(t *testing.T) {
	m := New(Build{Version: "(devel)", Go: "go1.26.8", SQLite: "3.51.3"})
	m.HTTPRequest("GET /livez", 200)
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	var ours []string
	for _, mf := range mfs {
		name := mf.GetName()
		if strings.HasPrefix(name, "go_") || strings.HasPrefix(name, "process_") {
			continue
		}
		if !strings.HasPrefix(name, "poyta_") {
			t.Errorf("metric %s is not prefixed poyta_", name)
		}
		if len(mf.GetHelp()) < 20 {
			t.Errorf("metric %s: HELP %q explains too little", name, mf.GetHelp())
		}
		ours = append(ours, name)
	}
	want := []string{"poyta_build_info", "poyta_commit_duration_seconds", "poyta_commits_failed_total",
		"poyta_commits_slow_total", "poyta_events_committed_total", "poyta_fanout_deliveries_total",
		"poyta_fanout_frames_total", "poyta_http_requests_total", "poyta_live_tables", "poyta_queue_overflows_total",
		"poyta_refusals_total", "poyta_slow_clients_dropped_total", "poyta_websocket_connections", "poyta_websocket_joins_total"}
	slices.Sort(ours)
	if !slices.Equal(ours, want) {
		t.Errorf("metrics:\n got %v\nwant %v (docs/operations.md documents each)", ours, want)
	}
}

// TestCodesAreComplete: every error code of the protocol has a label of
// its own.
func TestCodesAreComplete(t *testing.T) {
	src, err := os.ReadFile("../../session/errors.go")
	if err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile(`\bCode\w+\s*=\s*"([^"]+)"`).FindAllSubmatch(src, -1)
	if len(found) == 0 {
		t.Fatal("found no error codes in ../../session/errors.go")
	}
	for _, f := range found {
		if !slices.Contains(codes, string(f[1])) {
			t.Errorf("error code %q is missing from codes in session/metrics/codes.go", f[1])
		}
	}
	if len(codes) != len(found) {
		t.Errorf("codes has %d entries, session/errors.go %d codes", len(codes), len(found))
	}
}

// TestRolesAreComplete: every role a websocket can have has its label.
func TestRolesAreComplete(t *testing.T) {
	files, err := filepath.Glob("../../session/*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bRole\w+\s+Role\s*=\s*"([^"]+)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			n++
			// A guest (joining over HTTP) and an action's owner (reporting
			// through an update link) never open a websocket.
			if r := session.Role(m[1]); r != session.RoleGuest && r != session.RoleOwner && !slices.Contains(roles, r) {
				t.Errorf("role %q is missing from roles in session/metrics/metrics.go", r)
			}
		}
	}
	if n < 5 {
		t.Fatalf("found %d roles in ../../session/*.go", n)
	}
}

// TestListenServesOnlyMetrics: the listener answers /metrics and nothing else.
func TestListenServesOnlyMetrics(t *testing.T) {
	m := New(Build{Version: "(devel)", Go: "go1.26.8", SQLite: "3.51.3"})
	l, err := m.Listen("127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Shutdown(context.Background())
	get := func(method, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+l.Addr()+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("GET", "/metrics")
	if status != 200 || !strings.Contains(body, `poyta_build_info{commit="",go_version="go1.26.8",sqlite_version="3.51.3",version="(devel)"} 1`) {
		t.Fatalf("GET /metrics: %d\n%.2000s", status, body)
	}
	if !strings.Contains(body, "# HELP poyta_live_tables ") || !strings.Contains(body, "go_goroutines") {
		t.Errorf("GET /metrics lacks HELP or the Go collector:\n%.2000s", body)
	}
	for _, p := range []string{"/", "/healthz", "/api/tables", "/metrics/x", "/debug/pprof/"} {
		if status, _ := get("GET", p); status != http.StatusNotFound {
			t.Errorf("GET %s on the metrics listener: %d, want 404", p, status)
		}
	}
	if status, _ := get("POST", "/metrics"); status != http.StatusMethodNotAllowed {
		t.Errorf("POST /metrics: %d, want 405", status)
	}
	if err := l.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + l.Addr() + "/metrics"); err == nil {
		t.Error("the listener still answers after Shutdown")
	}
}
