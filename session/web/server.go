// Package web is the HTTP layer: the routes of the API, the websocket
// endpoint that hands connections to the live runtime, the web UI's pages
// and files, the mapping of error codes to HTTP statuses, and the limits
// per client address.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/poyta/poyta/session/limit"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// Store is what the HTTP layer needs from storage: creating tables,
// finding them by join code, and loading an earlier table of a series.
type Store interface {
	tables.Creator
	tables.Reader
	TableByCode(ctx context.Context, code string) (store.TableInfo, error)
	Series(ctx context.Context, series string) ([]store.TableInfo, error)
}

// DefaultTablesPerHour is how many tables one address may create: that
// many at once, then that many an hour.
const DefaultTablesPerHour = 60

// Config holds the HTTP layer's collaborators and settings.
type Config struct {
	Store  Store
	Live   *live.Server
	Logger *slog.Logger
	// Failures is the budget of failed attempts per client address, the
	// same one the live runtime spends from.
	Failures       *limit.PerAddress
	Static         fs.FS          // the web UI; nil serves none
	AllowedOrigins []string       // extra origins allowed to open websockets, e.g. "https://poyta.example.fi"
	TrustedProxies []netip.Prefix // reverse proxies whose X-Forwarded-For is believed
	// Peers are the other nodes of a cluster (live.Config.Node): the
	// client address in a request they forward is believed, as a trusted
	// proxy's is. Nobody else's.
	Peers         []netip.Prefix
	TablesPerHour int  // tables one address may create: that many at once, then that many an hour; 0 for no limit
	Site          Site // the deployer's part of the accessibility statement and the privacy notice
}

// Server answers the HTTP routes.
type Server struct {
	cfg      Config
	log      *slog.Logger
	live     *live.Server
	failures *limit.PerAddress
	creates  *limit.PerAddress // tables created per address; nil for no limit
	updates  *limit.PerAddress // owners' reports per address
	// forwarder carries requests for tables another node serves (forward.go).
	forwarder http.RoundTripper
}

// New makes the HTTP layer.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Failures == nil {
		cfg.Failures = limit.NewFailures()
	}
	s := &Server{cfg: cfg, log: cfg.Logger, live: cfg.Live, failures: cfg.Failures, updates: newUpdateLimit(), forwarder: newForwarder()}
	if n := cfg.TablesPerHour; n > 0 {
		s.creates = limit.NewPerAddress(float64(n), n, tooManyTables)
	}
	return s
}

// Handler returns the HTTP routes: the API, the websocket and the web UI.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("POST /api/tables", s.handleCreate)
	// A table's routes are served by the node that serves the table (forward.go).
	mux.HandleFunc("GET /api/join/{code}", s.owned(byCode, s.handleLookup))
	mux.HandleFunc("POST /api/join", s.owned(byBodyCode, s.handleJoin))
	mux.HandleFunc("GET /api/tables/{id}/minutes", s.owned(byID, s.handleMinutes))
	mux.HandleFunc("POST /api/tables/{id}/import", s.owned(byID, s.handleImport))
	mux.HandleFunc("GET /api/tables/{id}/actions.ics", s.owned(byID, s.handleICS))
	mux.HandleFunc("GET /api/tables/{id}/decidim/{kind}", s.owned(byID, s.handleDecidim))
	mux.HandleFunc("GET /api/tables/{id}/series", s.owned(byID, s.handleSeries))
	mux.HandleFunc("GET /api/tables/{id}/series/report", s.owned(byID, s.handleSeriesReport))
	mux.HandleFunc("GET /api/tables/{id}/series/actions.ics", s.owned(byID, s.handleSeriesICS))
	mux.HandleFunc("GET /api/tables/{id}/update", s.owned(byID, s.handleOwnerGet))
	mux.HandleFunc("POST /api/tables/{id}/update", s.owned(byID, s.handleOwnerPost))
	mux.HandleFunc("GET /ws", s.handleWS)
	s.routeStatements(mux) // the accessibility statement and the privacy notice: statements.go
	s.routePrint(mux)      // the poster and the paper idea forms: print.go
	s.routePages(mux)      // web UI pages, files and the join QR code: pages.go
	return securityHeaders(mux)
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// handleWS hands a websocket request from an allowed origin to the live
// runtime.
func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	if !s.checkOrigin(r) {
		s.log.Debug("websocket from a foreign origin refused", "origin", r.Header.Get("Origin"))
		http.Error(w, "Forbidden", http.StatusForbidden)
		return
	}
	s.live.ServeWS(w, r, s.remoteIP(r))
}

// checkOrigin accepts websocket upgrades from our own pages, from the
// configured origins, and from non-browser clients that send no Origin.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	for _, o := range s.cfg.AllowedOrigins {
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return true
		}
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.User != nil || u.Path != "" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// remoteIP is the address limits are counted against. Behind a trusted
// reverse proxy it is the last address in X-Forwarded-For that is not
// itself a trusted proxy; otherwise the TCP peer. Headers from anyone else
// are ignored, so a client cannot choose its own address.
func (s *Server) remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if _, err := netip.ParseAddr(hop); err != nil {
			break
		}
		if !s.trusted(hop) {
			return hop
		}
	}
	return host
}

func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	for _, p := range s.cfg.Peers {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "liveTables": s.live.LiveTables()})
}
