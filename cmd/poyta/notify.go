package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
)

// systemd tells a service of Type=notify where to report in NOTIFY_SOCKET
// (a unix datagram socket; a leading @ names one in the abstract
// namespace), and with WatchdogSec= how often to prove it is alive in
// WATCHDOG_USEC. This is the whole of the protocol poyta needs
// (sd_notify(3)): READY=1 once the database is open and the port
// listens, WATCHDOG=1 at half the watchdog interval while the server
// answers, STOPPING=1 when a graceful stop begins.

// notifier sends state changes to the service manager. A nil *notifier
// (no NOTIFY_SOCKET: not under systemd) ignores every call.
type notifier struct {
	conn     *net.UnixConn
	log      *slog.Logger
	watchdog time.Duration // 0 when systemd asked for no watchdog

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// newNotifier connects to the socket systemd gave, if any. It unsets the
// variables, as sd_notify's unset_environment does, so that no process
// poyta starts reports on its behalf.
func newNotifier(log *slog.Logger) (*notifier, error) {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return nil, nil
	}
	usec, pid := os.Getenv("WATCHDOG_USEC"), os.Getenv("WATCHDOG_PID")
	os.Unsetenv("NOTIFY_SOCKET")
	os.Unsetenv("WATCHDOG_USEC")
	os.Unsetenv("WATCHDOG_PID")
	if path[0] != '/' && path[0] != '@' {
		return nil, fmt.Errorf("NOTIFY_SOCKET %q: want a socket path or @abstract name", path)
	}
	// Go maps a leading @ to the abstract namespace itself.
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return nil, fmt.Errorf("NOTIFY_SOCKET: %w", err)
	}
	n := &notifier{conn: conn, log: log}
	if usec != "" && (pid == "" || pid == strconv.Itoa(os.Getpid())) {
		us, err := strconv.ParseInt(usec, 10, 64)
		if err != nil || us <= 0 {
			conn.Close()
			return nil, fmt.Errorf("WATCHDOG_USEC %q: want a positive number of microseconds", usec)
		}
		n.watchdog = time.Duration(us) * time.Microsecond
	}
	return n, nil
}

// send reports state, one or more "KEY=value" lines.
func (n *notifier) send(state string) {
	if n == nil {
		return
	}
	if _, err := n.conn.Write([]byte(state)); err != nil {
		n.log.Warn("systemd notification failed", "state", state, "err", err)
	}
}

// ready tells systemd the service is up and starts the watchdog, which
// sends WATCHDOG=1 every half interval as long as alive answers within
// that half interval. A server that stops answering misses its pings,
// and systemd restarts it after WatchdogSec.
func (n *notifier) ready(addr string, alive func(context.Context) error) {
	if n == nil {
		return
	}
	n.send(fmt.Sprintf("READY=1\nSTATUS=serving on %s\nMAINPID=%d", addr, os.Getpid()))
	if n.watchdog == 0 {
		return
	}
	every := n.watchdog / 2
	ctx, cancel := context.WithCancel(context.Background())
	n.stop = cancel
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			cctx, ccancel := context.WithTimeout(ctx, every)
			err := alive(cctx)
			ccancel()
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				n.log.Warn("watchdog: the server does not answer; systemd will restart it if this goes on", "err", err)
				continue
			}
			n.send("WATCHDOG=1")
		}
	}()
}

// stopping tells systemd a graceful stop has begun and ends the watchdog.
func (n *notifier) stopping() {
	if n == nil {
		return
	}
	if n.stop != nil {
		n.stop()
		n.wg.Wait()
		n.stop = nil
	}
	n.send("STOPPING=1")
}

func (n *notifier) close() {
	if n == nil {
		return
	}
	if n.stop != nil {
		n.stop()
		n.wg.Wait()
	}
	n.conn.Close()
}

// handlerAnswers asks h for GET path in-process, without the network:
// the watchdog's proof that the server's handlers still run, whether it
// speaks HTTP or HTTPS.
func handlerAnswers(h http.Handler, path string) func(context.Context) error {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, path, nil)
		if err != nil {
			return err
		}
		req.RemoteAddr = "127.0.0.1:0"
		done := make(chan int, 1)
		go func() {
			w := &statusWriter{header: http.Header{}}
			h.ServeHTTP(w, req)
			done <- w.status()
		}()
		select {
		case code := <-done:
			if code != http.StatusOK {
				return fmt.Errorf("GET %s answered %d", path, code)
			}
			return nil
		case <-ctx.Done():
			return fmt.Errorf("GET %s: no answer: %w", path, ctx.Err())
		}
	}
}

// statusWriter is the http.ResponseWriter of handlerAnswers: it keeps the
// status and drops the body.
type statusWriter struct {
	header http.Header
	code   int
}

func (w *statusWriter) Header() http.Header { return w.header }
func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *statusWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}
func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}
