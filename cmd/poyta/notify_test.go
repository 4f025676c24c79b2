package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// notifySocket listens where a service manager would: a unix datagram
// socket whose messages arrive on the returned channel.
func notifySocket(t *testing.T, path string) <-chan string {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	msgs := make(chan string, 100)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			msgs <- string(buf[:n])
		}
	}()
	return msgs
}

func nextMessage(t *testing.T, msgs <-chan string, within time.Duration) string {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(within):
		t.Fatalf("no notification within %v", within)
		return ""
	}
}

// TestServeNotifiesSystemd runs the real binary as systemd runs a
// Type=notify service with WatchdogSec=: READY=1 comes once the database
// exists and the port accepts connections, WATCHDOG=1 repeats at half the
// interval, STOPPING=1 comes on SIGTERM, and the process exits cleanly.
func TestServeNotifiesSystemd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPoyta(t)
	dir := t.TempDir()
	msgs := notifySocket(t, filepath.Join(dir, "notify"))
	db := filepath.Join(dir, "poyta.db")

	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+filepath.Join(dir, "notify"), "WATCHDOG_USEC=200000",
		"POYTA_ADDR=127.0.0.1:0", "POYTA_DB="+db)
	var logs strings.Builder
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })

	ready := nextMessage(t, msgs, 20*time.Second)
	var addr string
	var pid int
	for _, line := range strings.Split(ready, "\n") {
		fmt.Sscanf(line, "STATUS=serving on %s", &addr)
		fmt.Sscanf(line, "MAINPID=%d", &pid)
	}
	if !strings.HasPrefix(ready, "READY=1\n") || addr == "" || pid != cmd.Process.Pid {
		t.Fatalf("first notification %q, want READY=1 with the address and the main pid %d", ready, cmd.Process.Pid)
	}
	// Both true already when READY=1 was sent; nothing in between opens them.
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("READY=1 before the database exists: %v", err)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("READY=1 but %s does not accept connections: %v", addr, err)
	}
	c.Close()

	start := time.Now()
	for i := 0; i < 3; i++ {
		if m := nextMessage(t, msgs, 5*time.Second); m != "WATCHDOG=1" {
			t.Fatalf("notification %q, want WATCHDOG=1", m)
		}
	}
	// Three pings at 100 ms take at least 300 ms; not much less.
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("three watchdog pings in %v: more often than half of WATCHDOG_USEC", d)
	}

	cmd.Process.Signal(syscall.SIGTERM)
	for {
		m := nextMessage(t, msgs, 10*time.Second)
		if m == "STOPPING=1" {
			break
		}
		if m != "WATCHDOG=1" {
			t.Fatalf("notification %q while stopping", m)
		}
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no exit after SIGTERM")
	}
}

// TestNotifierAbstractSocket: NOTIFY_SOCKET=@name is a socket in the
// abstract namespace, as systemd gives it to services in containers.
func TestNotifierAbstractSocket(t *testing.T) {
	name := fmt.Sprintf("@poyta-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	msgs := notifySocket(t, name)
	t.Setenv("NOTIFY_SOCKET", name)
	t.Setenv("WATCHDOG_USEC", "1000000")
	t.Setenv("WATCHDOG_PID", "1") // another process's watchdog: not ours
	n, err := newNotifier(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	if n.watchdog != 0 {
		t.Errorf("took the watchdog of pid 1: %v", n.watchdog)
	}
	if os.Getenv("NOTIFY_SOCKET") != "" {
		t.Error("NOTIFY_SOCKET left for child processes")
	}
	n.send("STATUS=test")
	if m := nextMessage(t, msgs, 5*time.Second); m != "STATUS=test" {
		t.Fatalf("got %q", m)
	}
}

// TestWatchdogNeedsAnAnswer: while the server does not answer, no
// WATCHDOG=1 is sent, so systemd restarts a hung server.
func TestWatchdogNeedsAnAnswer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notify")
	msgs := notifySocket(t, path)
	t.Setenv("NOTIFY_SOCKET", path)
	t.Setenv("WATCHDOG_USEC", "40000")
	t.Setenv("WATCHDOG_PID", fmt.Sprint(os.Getpid()))
	n, err := newNotifier(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer n.close()
	var healthy, asked atomic.Int32
	n.ready("127.0.0.1:1", func(ctx context.Context) error {
		asked.Add(1)
		if healthy.Load() == 0 {
			<-ctx.Done() // hangs until the half interval is over
			return ctx.Err()
		}
		return nil
	})
	if m := nextMessage(t, msgs, 5*time.Second); !strings.HasPrefix(m, "READY=1\n") {
		t.Fatalf("got %q", m)
	}
	for asked.Load() < 5 {
		select {
		case m := <-msgs:
			t.Fatalf("%q while the server did not answer", m)
		case <-time.After(10 * time.Millisecond):
		}
	}
	healthy.Store(1)
	if m := nextMessage(t, msgs, 5*time.Second); m != "WATCHDOG=1" {
		t.Fatalf("got %q once the server answered", m)
	}
	n.stopping()
	for m := nextMessage(t, msgs, 5*time.Second); m != "STOPPING=1"; m = nextMessage(t, msgs, 5*time.Second) {
		if m != "WATCHDOG=1" {
			t.Fatalf("got %q", m)
		}
	}
	select {
	case m := <-msgs:
		t.Fatalf("%q after STOPPING=1", m)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestNoNotifySocket: outside systemd nothing is sent and nothing fails.
func TestNoNotifySocket(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n, err := newNotifier(slog.Default())
	if n != nil || err != nil {
		t.Fatalf("newNotifier without NOTIFY_SOCKET = %v, %v", n, err)
	}
	n.ready("x", func(context.Context) error { return errors.New("unused") })
	n.stopping()
	n.close()
}
