package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

var metricsListeningRe = regexp.MustCompile(`msg="metrics listening" addr=(\S+)`)

// startObserved runs `poyta serve --metrics-addr 127.0.0.1:0` on a free
// port and returns the process and the metrics listener's address.
func startObserved(t *testing.T, bin, db string) (*process, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--metrics-addr", "127.0.0.1:0")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan error, 1)}
	addrs := make(chan [2]string, 2)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.logs.WriteString(line + "\n")
			if m := servingRe.FindStringSubmatch(line); m != nil {
				addrs <- [2]string{"serving", m[1]}
			}
			if m := metricsListeningRe.FindStringSubmatch(line); m != nil {
				addrs <- [2]string{"metrics", m[1]}
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	var metricsAddr string
	for p.addr == "" || metricsAddr == "" {
		select {
		case a := <-addrs:
			if a[0] == "serving" {
				p.addr = a[1]
			} else {
				metricsAddr = a[1]
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("poyta serve did not start:\n%s", p.logs)
		}
	}
	return p, metricsAddr
}

// TestHealthAndMetrics runs the real binary with --metrics-addr: it is
// alive and ready, a short meeting over real websockets shows in a scrape
// of the metrics listener (events, connections, HTTP requests), and the
// public port has no /metrics.
func TestHealthAndMetrics(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPoyta(t)
	p, metricsAddr := startObserved(t, bin, filepath.Join(t.TempDir(), "poyta.db"))
	base := "http://" + p.addr
	get := func(url string) (int, string) {
		t.Helper()
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for path, want := range map[string]string{"/livez": `{"status":"ok"}`, "/readyz": `{"status":"ready"}`} {
		if code, body := get(base + path); code != http.StatusOK || strings.TrimSpace(body) != want {
			t.Fatalf("GET %s: %d %s", path, code, body)
		}
	}

	var tbl struct{ ID, Code, FacilitatorSecret string }
	post(t, base+"/api/tables", `{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Yhteistyösuunnitelma"}]}`, &tbl)
	var j struct{ Participant, Token string }
	post(t, base+"/api/join", `{"code":"`+tbl.Code+`","name":"Anu Hätinen","org":"Keski-Suomen Yhteisöjen Tuki ry","sector":"association"}`, &j)
	item := firstItem(t, p.addr, tbl.ID, tbl.FacilitatorSecret)
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+p.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	conn.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": j.Token})
	conn.WriteJSON(map[string]any{"id": "i1", "op": "idea.add", "item": item, "text": "Yhteinen tapahtumakalenteri"})
	for acked := false; !acked; {
		_, frame, err := conn.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for the ack: %v", err)
		}
		for _, line := range bytes.Split(frame, []byte("\n")) {
			var m struct{ Type, ID string }
			json.Unmarshal(line, &m)
			acked = acked || m.Type == "ack" && m.ID == "i1"
		}
	}

	if code, body := get(base + "/metrics"); code != http.StatusNotFound || strings.Contains(body, "poyta_") {
		t.Fatalf("GET /metrics on the public port: %d %.200s, want 404", code, body)
	}
	code, body := get("http://" + metricsAddr + "/metrics")
	if code != http.StatusOK {
		t.Fatalf("scrape: %d %.500s", code, body)
	}
	value := func(series string) float64 {
		for _, line := range strings.Split(body, "\n") {
			if rest, ok := strings.CutPrefix(line, series+" "); ok {
				v, err := strconv.ParseFloat(rest, 64)
				if err != nil {
					t.Fatalf("%q: %v", line, err)
				}
				return v
			}
		}
		t.Fatalf("no %s in the scrape:\n%s", series, body)
		return 0
	}
	for _, series := range []string{
		`poyta_events_committed_total`, // the join and the idea
		`poyta_websocket_connections{role="participant"}`,
		`poyta_websocket_joins_total{role="facilitator"}`,
		`poyta_live_tables`,
		`poyta_fanout_deliveries_total`,
		`poyta_commit_duration_seconds_count`,
		`poyta_http_requests_total{route="POST /api/tables",status="201"}`,
		`poyta_http_requests_total{route="GET /readyz",status="200"}`,
		`poyta_http_requests_total{route="GET /ws",status="101"}`,
	} {
		if v := value(series); v <= 0 {
			t.Errorf("%s = %v after a short meeting, want more than 0", series, v)
		}
	}
	if v := value(`poyta_events_committed_total`); v != 2 {
		t.Errorf("events committed: %v, want 2 (the join and the idea)", v)
	}
	if !regexp.MustCompile(`(?m)^poyta_build_info\{commit="[^"]*",go_version="go1\.[^"]+",sqlite_version="3\.\d+\.\d+",version="[^"]+"\} 1$`).MatchString(body) {
		t.Errorf("no build info in the scrape:\n%s", body)
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("poyta serve exited with %v\n%s", err, p.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("poyta serve did not exit after SIGTERM")
	}
	if _, err := http.Get("http://" + metricsAddr + "/metrics"); err == nil {
		t.Error("the metrics listener still answers after the server stopped")
	}
}

// TestMetricsAddrTaken: a metrics address that cannot be listened on
// stops the server from starting, with the reason.
func TestMetricsAddrTaken(t *testing.T) {
	stdout, stderr, err := runCmd(t, "", "serve", "--db", filepath.Join(t.TempDir(), "poyta.db"), "--addr", "127.0.0.1:0", "--metrics-addr", "no-port")
	if err == nil || !strings.Contains(err.Error(), "metrics") {
		t.Fatalf("--metrics-addr no-port: %v\n%s%s", err, stdout, stderr)
	}
}
