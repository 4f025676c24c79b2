package main

import (
	"bufio"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeFromEnvWithJSONLogs runs the real binary configured only by
// its environment, the way a container or the Debian package's
// /etc/default/poyta does, with JSON logs; poyta healthcheck finds it by
// the same POYTA_ADDR, and fails once it is gone.
func TestServeFromEnvWithJSONLogs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPoyta(t)
	db := filepath.Join(t.TempDir(), "poyta.db")
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a free port, given back at once
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	env := append(os.Environ(), "POYTA_ADDR="+addr, "POYTA_DB="+db, "POYTA_LOG_FORMAT=json", "POYTA_LOG_LEVEL=debug")

	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	serving := make(chan map[string]any, 1)
	bad := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var rec map[string]any
			if err := json.Unmarshal(sc.Bytes(), &rec); err != nil || rec["time"] == nil || rec["level"] == nil {
				select {
				case bad <- sc.Text():
				default:
				}
				continue
			}
			if rec["msg"] == "serving" {
				serving <- rec
			}
		}
	}()
	select {
	case rec := <-serving:
		if rec["addr"] != addr {
			t.Fatalf("serving on %v, want POYTA_ADDR %s", rec["addr"], addr)
		}
	case line := <-bad:
		t.Fatalf("a log line that is not a JSON record: %s", line)
	case <-time.After(20 * time.Second):
		t.Fatal("poyta serve did not start")
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("POYTA_DB not used: %v", err)
	}

	check := exec.Command(bin, "healthcheck")
	check.Env = env
	out, err := check.CombinedOutput()
	if err != nil || !strings.Contains(string(out), `200 OK {"liveTables":0,"status":"ok"}`) {
		t.Fatalf("healthcheck of a running server: %v\n%s", err, out)
	}

	cmd.Process.Kill()
	cmd.Wait()
	check = exec.Command(bin, "healthcheck", "--timeout", "2s")
	check.Env = env
	out, err = check.CombinedOutput()
	if code := check.ProcessState.ExitCode(); err == nil || code != 1 || !strings.Contains(string(out), "healthcheck") {
		t.Fatalf("healthcheck of a stopped server: exit %d, %v\n%s", code, err, out)
	}
}

// TestHealthcheck: the answer's status decides; --url and --path name
// what to ask.
func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	var asked string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.Path
		w.WriteHeader(status)
		w.Write([]byte(`{"status":"x"}`))
	}))
	defer srv.Close()

	out, _, err := runCmd(t, "", "healthcheck", "--url", srv.URL+"/")
	if err != nil || asked != "/healthz" || !strings.Contains(out, "200 OK") {
		t.Fatalf("healthy: %v, asked %s\n%s", err, asked, out)
	}
	status = http.StatusServiceUnavailable
	_, _, err = runCmd(t, "", "healthcheck", "--url", srv.URL, "--path", "readyz")
	if err == nil || asked != "/readyz" || !strings.Contains(err.Error(), "503") {
		t.Fatalf("unhealthy: %v, asked %s", err, asked)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	status = http.StatusOK
	for _, addr := range []string{":" + port, "0.0.0.0:" + port, "127.0.0.1:" + port} {
		if _, _, err := runCmd(t, "", "healthcheck", "--addr", addr); err != nil {
			t.Errorf("--addr %s: %v", addr, err)
		}
	}
	if _, _, err := runCmd(t, "", "healthcheck", "--addr", "8080"); err == nil {
		t.Error("--addr without a port was accepted")
	}
}
