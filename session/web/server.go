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
	"github.com/poyta/poyta/session/metrics"
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
	// Ready says whether the database takes writes now (GET /readyz).
	Ready(ctx context.Context) error
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
	TablesPerHour int // tables one address may create: that many at once, then that many an hour; 0 for no limit
	// Budgets, when set, keeps the tables-per-hour budget in the database
	// the nodes of a cluster share, so that it holds across them (give
	// Failures the same with limit.PerAddress.Share); nil keeps it in this
	// node's memory.
	Budgets limit.Shared
	Site    Site // the deployer's part of the accessibility statement and the privacy notice
	// Metrics counts requests by route and status, and refusals by code
	// (session/metrics); nil counts nothing.
	Metrics *metrics.Metrics
}

// Server answers the HTTP routes.
type Server struct {
	cfg      Config
	log      *slog.Logger
	live     *live.Server
	failures *limit.PerAddress
	creates  *limit.PerAddress // tables created per address; nil for no limit
	updates  *limit.PerAddress // owners' reports per address
	metrics  *metrics.Metrics  // nil-safe
	ready    readiness         // health.go
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
	s := &Server{cfg: cfg, log: cfg.Logger, live: cfg.Live, failures: cfg.Failures, updates: newUpdateLimit(), metrics: cfg.Metrics, forwarder: newForwarder()}
	if n := cfg.TablesPerHour; n > 0 {
		s.creates = limit.NewPerAddress(float64(n), n, tooManyTables)
		if cfg.Budgets != nil {
			s.creates.Share(cfg.Budgets, "create")
		}
	}
	return s
}

// route is a pattern of http.ServeMux and its handler.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes are the HTTP layer's routes. The OpenAPI document (openapi.yaml)
// describes every one; its test holds it to that.
//
// A table's routes are wrapped in owned: they are served by the node that
// serves the table (forward.go).
func (s *Server) routes() []route {
	rs := []route{
		{"GET /healthz", s.handleHealth},
		{"GET /livez", s.handleLive},
		{"GET /readyz", s.handleReady},
		{"GET /api/openapi.yaml", s.handleOpenAPI},
		{"POST /api/tables", s.handleCreate},
		{"GET /api/join/{code}", s.owned(byCode, s.handleLookup)},
		{"POST /api/join", s.owned(byBodyCode, s.handleJoin)},
		{"GET /api/tables/{id}/minutes", s.owned(byID, s.handleMinutes)},
		{"POST /api/tables/{id}/import", s.owned(byID, s.handleImport)},
		{"GET /api/tables/{id}/actions.ics", s.owned(byID, s.handleICS)},
		{"GET /api/tables/{id}/decidim/{kind}", s.owned(byID, s.handleDecidim)},
		{"GET /api/tables/{id}/series", s.owned(byID, s.handleSeries)},
		{"GET /api/tables/{id}/series/report", s.owned(byID, s.handleSeriesReport)},
		{"GET /api/tables/{id}/series/actions.ics", s.owned(byID, s.handleSeriesICS)},
		{"GET /api/tables/{id}/participants/{pid}", s.owned(byID, s.handlePersonalData)},
		{"GET /api/tables/{id}/update", s.owned(byID, s.handleOwnerGet)},
		{"POST /api/tables/{id}/update", s.owned(byID, s.handleOwnerPost)},
		{"GET /ws", s.handleWS},
	}
	rs = append(rs, s.statementRoutes()...) // the accessibility statement and the privacy notice: statements.go
	rs = append(rs, s.printRoutes()...)     // the poster and the paper idea forms: print.go
	return append(rs, s.pageRoutes()...)    // web UI pages, files and the join QR code: pages.go
}

// Handler returns the HTTP routes: the API, the websocket and the web UI.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes() {
		mux.HandleFunc(r.pattern, r.handler)
	}
	return s.instrument(securityHeaders(mux))
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
