// Package live runs live tables: one hub goroutine per table that owns its
// state, the websocket clients connected to it, and the HTTP API around them.
package live

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// Store is what live tables need from storage.
type Store interface {
	CreateTable(ctx context.Context, info store.TableInfo, first store.Event) error
	TableByCode(ctx context.Context, code string) (store.TableInfo, error)
	Append(ctx context.Context, b store.Batch) error
	Events(ctx context.Context, table string, afterSeq int64, limit int) ([]store.Event, error)
	LatestSnapshot(ctx context.Context, table string) (store.Snapshot, error)
	Ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error)
}

// Config holds the server's collaborators and limits. Zero values get
// the defaults from DefaultConfig.
type Config struct {
	Store          Store
	Logger         *slog.Logger
	Static         fs.FS          // the web UI; nil serves none
	AllowedOrigins []string       // extra origins allowed to open websockets, e.g. "https://poyta.example.fi"
	TrustedProxies []netip.Prefix // reverse proxies whose X-Forwarded-For is believed

	MaxParticipants  int           // per table
	MaxConnsPerIP    int           // open websockets per remote address
	TablesPerHour    int           // tables one address may create: that many at once, then that many an hour; negative for no limit
	MaxMessage       int           // bytes per client frame
	SendQueue        int           // frames (flushes) queued per client before it is dropped as too slow
	MaxQueueBytes    int           // bytes queued per client before it is dropped as too slow
	InboxSize        int           // commands queued per table
	MaxBatch         int           // commands per group commit
	RatePerSecond    int           // messages per connection per second
	RateBurst        int           // burst above the rate
	ResumeWindow     int           // events kept in memory for resuming clients
	SnapshotEvery    int           // events between snapshots
	IdleTimeout      time.Duration // a table with no clients is unloaded after this
	PresenceInterval time.Duration
	// FlushInterval is the shortest time between two frames a table sends
	// a client: what it commits within it goes out together, one frame per
	// client. A table that has been quiet for longer sends at once.
	// Negative: a frame after every commit. FlushPerClient lengthens the
	// interval by this much per connected client, up to MaxFlushInterval
	// (hub.flushGap).
	FlushInterval    time.Duration
	FlushPerClient   time.Duration
	MaxFlushInterval time.Duration
	HelloTimeout     time.Duration
	PongWait         time.Duration
	PingPeriod       time.Duration
	WriteTimeout     time.Duration
}

// DefaultConfig returns the production defaults.
func DefaultConfig() Config {
	return Config{
		MaxParticipants:  session.DefaultMaxPeople,
		MaxConnsPerIP:    2000,
		TablesPerHour:    60,
		MaxMessage:       64 << 10,
		SendQueue:        256,
		MaxQueueBytes:    8 << 20,
		InboxSize:        4096,
		MaxBatch:         1024,
		RatePerSecond:    20,
		RateBurst:        40,
		ResumeWindow:     2000,
		SnapshotEvery:    1000,
		IdleTimeout:      2 * time.Minute,
		PresenceInterval: time.Second,
		FlushInterval:    10 * time.Millisecond,
		FlushPerClient:   20 * time.Microsecond,
		MaxFlushInterval: 250 * time.Millisecond,
		HelloTimeout:     10 * time.Second,
		PongWait:         60 * time.Second,
		PingPeriod:       25 * time.Second,
		WriteTimeout:     10 * time.Second,
	}
}

func (c *Config) fill() {
	d := DefaultConfig()
	setInt := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	setDur := func(v *time.Duration, def time.Duration) {
		if *v <= 0 {
			*v = def
		}
	}
	setInt(&c.MaxParticipants, d.MaxParticipants)
	setInt(&c.MaxConnsPerIP, d.MaxConnsPerIP)
	if c.TablesPerHour == 0 {
		c.TablesPerHour = d.TablesPerHour
	}
	setInt(&c.MaxMessage, d.MaxMessage)
	setInt(&c.SendQueue, d.SendQueue)
	setInt(&c.MaxQueueBytes, d.MaxQueueBytes)
	setInt(&c.InboxSize, d.InboxSize)
	setInt(&c.MaxBatch, d.MaxBatch)
	setInt(&c.RatePerSecond, d.RatePerSecond)
	setInt(&c.RateBurst, d.RateBurst)
	setInt(&c.ResumeWindow, d.ResumeWindow)
	setInt(&c.SnapshotEvery, d.SnapshotEvery)
	setDur(&c.IdleTimeout, d.IdleTimeout)
	setDur(&c.PresenceInterval, d.PresenceInterval)
	if c.FlushInterval == 0 {
		c.FlushInterval = d.FlushInterval
	}
	setDur(&c.FlushPerClient, d.FlushPerClient)
	setDur(&c.MaxFlushInterval, d.MaxFlushInterval)
	setDur(&c.HelloTimeout, d.HelloTimeout)
	setDur(&c.PongWait, d.PongWait)
	setDur(&c.PingPeriod, d.PingPeriod)
	setDur(&c.WriteTimeout, d.WriteTimeout)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Server serves live tables over HTTP and websockets.
type Server struct {
	cfg      Config
	log      *slog.Logger
	ctx      context.Context // ends when Shutdown begins; hubs stop with it
	stop     context.CancelFunc
	upgrader websocket.Upgrader
	codes    *ipLimiter // failed join-code and table lookups per address
	creates  *ipLimiter // tables created per address; nil for no limit
	// writeBuffers is shared by every connection: a buffer goes back after
	// each message, so an idle connection holds none.
	writeBuffers sync.Pool

	mu      sync.Mutex
	hubs    map[string]*hub
	conns   map[string]int // open websockets per remote address
	closing bool
	wg      sync.WaitGroup // hubs and client pumps
}

// New makes a server. Call Shutdown to stop it.
func New(cfg Config) *Server {
	cfg.fill()
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, log: cfg.Logger, ctx: ctx, stop: stop, hubs: map[string]*hub{}, conns: map[string]int{},
		codes: newIPLimiter(30, 20)}
	if n := cfg.TablesPerHour; n > 0 {
		s.creates = newIPLimiter(float64(n)/60, n)
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize: 1024,
		// Write buffers come from a pool and go back after each message, so an
		// idle connection holds none; shared frames need none at all.
		WriteBufferSize: 16 << 10,
		WriteBufferPool: &s.writeBuffers,
		CheckOrigin:     s.checkOrigin,
	}
	return s
}

// Shutdown stops every live table: what is queued commits, every client
// gets "going away" (1001), and Shutdown waits for it all or for ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.stop()
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("live: shutdown: %w", ctx.Err())
	}
}

// acquire returns the live hub of a table, loading it if needed. The caller
// must release it.
func (s *Server) acquire(ctx context.Context, id string) (*hub, error) {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil, errStopped
	}
	h := s.hubs[id]
	if h == nil {
		h = newHub(s, id)
		s.hubs[id] = h
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			h.run(s.ctx)
		}()
	}
	h.refs++
	s.mu.Unlock()
	select {
	case <-h.loaded:
	case <-ctx.Done():
		s.release(h)
		return nil, ctx.Err()
	}
	if h.loadErr != nil {
		s.release(h)
		return nil, h.loadErr
	}
	return h, nil
}

func (s *Server) release(h *hub) {
	s.mu.Lock()
	h.refs--
	s.mu.Unlock()
}

// tryUnload removes an idle hub from the registry unless someone is using
// it; the hub stops only if it returns true.
func (s *Server) tryUnload(h *hub) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h.refs > 0 {
		return false
	}
	delete(s.hubs, h.id)
	return true
}

// forget removes a hub that failed to load.
func (s *Server) forget(h *hub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hubs[h.id] == h {
		delete(s.hubs, h.id)
	}
}

// LiveTables returns how many tables are loaded in memory.
func (s *Server) LiveTables() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hubs)
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

// Handler returns the HTTP routes: the API, the websocket and the web UI.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("POST /api/tables", s.handleCreate)
	mux.HandleFunc("GET /api/join/{code}", s.handleLookup)
	mux.HandleFunc("POST /api/join", s.handleJoin)
	mux.HandleFunc("GET /api/tables/{id}/minutes", s.handleMinutes)
	mux.HandleFunc("GET /ws", s.handleWS)
	s.routePages(mux) // web UI pages and the join QR code: pages.go
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

func (s *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	// Count the pumps before upgrading, under the lock Shutdown takes, so
	// that Shutdown waits for every connection it did not refuse.
	ip := s.remoteIP(r)
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		http.Error(w, "server restarting", http.StatusServiceUnavailable)
		return
	}
	if s.conns[ip] >= s.cfg.MaxConnsPerIP {
		s.mu.Unlock()
		s.log.Warn("too many connections from one address", "count", s.cfg.MaxConnsPerIP)
		http.Error(w, "too many connections from your address", http.StatusTooManyRequests)
		return
	}
	s.conns[ip]++
	s.wg.Add(2)
	s.mu.Unlock()
	conn, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		// Upgrade has already answered with an HTTP error.
		s.log.Debug("websocket upgrade refused", "err", err)
		s.connClosed(ip)
		s.wg.Add(-2)
		return
	}
	c := &Client{id: uuid.NewString()[:8], srv: s, conn: conn, wake: make(chan struct{}, 1),
		done: make(chan struct{}), registered: make(chan struct{}), ip: ip}
	go c.writePump()
	go c.readPump()
}

// openConns returns how many websockets are open.
func (s *Server) openConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.conns {
		n += c
	}
	return n
}

func (s *Server) connClosed(ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[ip]--; s.conns[ip] <= 0 {
		delete(s.conns, ip)
	}
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
	if len(s.cfg.TrustedProxies) == 0 || !s.trusted(host) {
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
	return false
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "liveTables": s.LiveTables()})
}
