package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/store/storetest"
)

// buildPoyta compiles the real binary once per test run.
func buildPoyta(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "poyta")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

type process struct {
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
	done chan error
}

var servingRe = regexp.MustCompile(`msg=serving addr=(\S+)`)

// startPoyta runs `poyta serve` on a free port and waits until it listens.
func startPoyta(t *testing.T, bin, db string) *process {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "debug")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, logs: &bytes.Buffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.logs.WriteString(line + "\n")
			if m := servingRe.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { cmd.Process.Kill() })
	select {
	case p.addr = <-addr:
	case <-time.After(20 * time.Second):
		t.Fatalf("poyta serve did not start:\n%s", p.logs)
	}
	return p
}

func post(t *testing.T, url string, body string, out any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, b)
	}
	json.Unmarshal(b, out)
}

// TestServeStopsGracefully runs the real binary: a participant's idea is
// acknowledged, SIGTERM closes the connection with 1001 "going away", the
// process exits cleanly, and a restarted server on the same file has the idea.
func TestServeStopsGracefully(t *testing.T) {
	testServeStopsGracefully(t, filepath.Join(t.TempDir(), "poyta.db"))
}

// TestServeStopsGracefullyOnPostgres: the same with --db postgres://….
func TestServeStopsGracefullyOnPostgres(t *testing.T) {
	url, _ := storetest.Postgres(t)
	p := testServeStopsGracefully(t, url)
	if !strings.Contains(p.logs.String(), "engine=postgres") {
		t.Errorf("the server does not say it runs on PostgreSQL:\n%s", p.logs)
	}
}

// testServeStopsGracefully runs the test above on the database db and
// returns the first server, which has exited (so its logs are complete).
func testServeStopsGracefully(t *testing.T, db string) *process {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPoyta(t)
	p := startPoyta(t, bin, db)
	base := "http://" + p.addr

	var tbl struct{ ID, Code, FacilitatorSecret string }
	post(t, base+"/api/tables", `{"title":"Mikkelin kumppanuustalon suunnittelupöytä","agenda":[{"title":"Mitä kumppanuustalo tarjoaa?"}]}`, &tbl)
	var joined struct{ Participant, Token string }
	post(t, base+"/api/join", `{"code":"`+tbl.Code+`","name":"Pirjo Mäkelä","org":"Mikkelin Seudun Omaishoitajat ry","sector":"association"}`, &joined)

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+p.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": joined.Token})
	var item string
	var acked bool
	readUntil := func(want func(map[string]json.RawMessage) bool) error {
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return err
			}
			for _, line := range bytes.Split(frame, []byte("\n")) {
				var m map[string]json.RawMessage
				json.Unmarshal(line, &m)
				if want(m) {
					return nil
				}
			}
		}
	}
	err = readUntil(func(m map[string]json.RawMessage) bool {
		if string(m["type"]) == `"snapshot"` {
			var s struct {
				State struct{ Items []struct{ ID string } }
			}
			b, _ := json.Marshal(m)
			json.Unmarshal(b, &s)
			item = s.State.Items[0].ID
			return true
		}
		return false
	})
	if err != nil || item == "" {
		t.Fatalf("no snapshot: %v", err)
	}
	conn.WriteJSON(map[string]any{"id": "i1", "op": "idea.add", "item": item, "text": "Yhteinen kahvila ja kokoustilat"})
	readUntil(func(m map[string]json.RawMessage) bool {
		acked = string(m["type"]) == `"ack"`
		return acked
	})
	if !acked {
		t.Fatal("idea not acknowledged")
	}

	p.cmd.Process.Signal(syscall.SIGTERM)
	err = readUntil(func(map[string]json.RawMessage) bool { return false })
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("on SIGTERM the connection ended with %v, want close 1001", err)
	}
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("poyta serve exited with %v\n%s", err, p.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("poyta serve did not exit after SIGTERM")
	}
	if strings.Contains(p.logs.String(), tbl.FacilitatorSecret) || strings.Contains(p.logs.String(), joined.Token) {
		t.Fatal("a credential appeared in the server log")
	}

	p2 := startPoyta(t, bin, db)
	conn2, _, err := websocket.DefaultDialer.Dial("ws://"+p2.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	conn2.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "facilitator", "token": tbl.FacilitatorSecret})
	conn = conn2
	found := false
	readUntil(func(m map[string]json.RawMessage) bool {
		if string(m["type"]) == `"snapshot"` {
			found = bytes.Contains(m["state"], []byte("Yhteinen kahvila ja kokoustilat"))
			return true
		}
		return false
	})
	if !found {
		t.Fatal("the acknowledged idea is missing after restart")
	}
	return p
}

// TestServeRefusesCorruptDatabase: a file that is not a database is never
// overwritten; the server says why it will not start.
func TestServeRefusesCorruptDatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "poyta.db")
	garbage := bytes.Repeat([]byte("not a database "), 100)
	os.WriteFile(db, garbage, 0o600)
	cmd := newRootCmd()
	var stderr bytes.Buffer
	cmd.SetErr(&stderr)
	cmd.SetArgs([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"})
	err := cmd.Execute()
	if err == nil {
		t.Fatal("serve started on a corrupt database")
	}
	if got, _ := os.ReadFile(db); !bytes.Equal(got, garbage) {
		t.Fatal("the corrupt file was modified")
	}
	if !strings.Contains(err.Error(), "database") {
		t.Fatalf("unclear error: %v", err)
	}
}

// TestHelp: the commands explain their flags.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}} {
		cmd := newRootCmd()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetArgs(args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		for _, want := range map[string][]string{"--help": {"serve"}, "serve": {"--addr", "--db", "--allowed-origin", "--log-level", "--max-participants"}}[args[0]] {
			if !strings.Contains(out.String(), want) {
				t.Errorf("poyta %v does not mention %s", args, want)
			}
		}
	}
	cmd := newRootCmd()
	cmd.SetArgs([]string{"serve", "--log-level", "loud"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "log-level") {
		t.Fatalf("a bad log level: %v", err)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := parsePrefixes([]string{"127.0.0.1", "10.0.0.0/8", "::1", "192.168.1.7/24"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.0.1/32", "10.0.0.0/8", "::1/128", "192.168.1.0/24"}
	for i, p := range got {
		if p.String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, p, want[i])
		}
	}
	if _, err := parsePrefixes([]string{"proxy.example"}); err == nil {
		t.Fatal("a host name was accepted as a trusted proxy")
	}
}
