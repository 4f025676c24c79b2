package web

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// The health routes, for load balancers, container engines and systemd:
//
//	GET /livez   the process answers; touches nothing else
//	GET /readyz  the database takes writes now (store.Ready); 503 if not
//	GET /healthz the process answers, and how many tables are loaded
//
// docs/operations.md says what to do with each.

// readyFor is how long a successful readiness check stands, and
// readyTimeout how long one may wait for the database's writer.
const (
	readyFor     = time.Second
	readyTimeout = 2 * time.Second
)

// readiness runs the store's readiness check for GET /readyz, one at a
// time, and lets a success stand for readyFor. The check takes the single
// writer connection for a moment, and /readyz is on the public port: so
// however often it is asked, the writer spends at most one check a second
// on it while the database is fine. A failure is checked again next time.
type readiness struct {
	mu   sync.Mutex
	okAt time.Time
	now  func() time.Time // time.Now unless a test sets it
}

func (rd *readiness) check(ctx context.Context, st Store) error {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	now := time.Now
	if rd.now != nil {
		now = rd.now
	}
	if !rd.okAt.IsZero() && now().Sub(rd.okAt) < readyFor {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	if err := st.Ready(ctx); err != nil {
		return err
	}
	rd.okAt = now()
	return nil
}

// healthBody is what the health routes answer.
type healthBody struct {
	Status string `json:"status"`           // "ok", "ready" or "unavailable"
	Reason string `json:"reason,omitempty"` // why not ready
}

func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, healthBody{Status: "ok"})
}

func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	if err := s.ready.check(r.Context(), s.cfg.Store); err != nil {
		s.log.Warn("not ready", "err", err)
		// Store.Ready's errors are short and name no path.
		writeJSON(w, http.StatusServiceUnavailable, healthBody{Status: "unavailable", Reason: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, healthBody{Status: "ready"})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "liveTables": s.live.LiveTables()})
}
