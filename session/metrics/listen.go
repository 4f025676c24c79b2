package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Listener serves the metrics on an address of its own.
type Listener struct {
	srv  *http.Server
	addr string
	done chan struct{}
}

// Listen serves GET /metrics, and nothing else, on addr: a listener of its
// own, never the public port, so that what the numbers tell about the
// server is for whoever can reach that address (loopback, or a network
// only the monitoring reaches). Shutdown stops it.
func (m *Metrics) Listen(addr string, log *slog.Logger) (*Listener, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s: %w", addr, err)
	}
	l := &Listener{addr: ln.Addr().String(), done: make(chan struct{}),
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug)}}
	go func() {
		defer close(l.done)
		if err := l.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics listener", "err", err)
		}
	}()
	return l, nil
}

// Addr is the address the listener listens on, with the port it got.
func (l *Listener) Addr() string { return l.addr }

// Shutdown stops the listener, letting a scrape in progress finish until
// ctx ends.
func (l *Listener) Shutdown(ctx context.Context) error {
	err := l.srv.Shutdown(ctx)
	<-l.done
	if err != nil {
		return fmt.Errorf("metrics: shutdown: %w", err)
	}
	return nil
}
