// Package live is the live runtime: one hub goroutine per loaded table that
// owns its state, the websocket clients connected to it, and the fan-out
// of what it commits. The HTTP routes around it are package web's.
package live

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/limit"
	"github.com/poyta/poyta/session/metrics"
	"github.com/poyta/poyta/store"
)

// Store is what live tables need from storage.
type Store interface {
	Append(ctx context.Context, b store.Batch) error
	Events(ctx context.Context, table string, afterSeq int64, limit int) ([]store.Event, error)
	LatestSnapshot(ctx context.Context, table string) (store.Snapshot, error)
	Ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error)
	Redact(ctx context.Context, table string, through int64, f func(store.Event) ([]byte, bool, error)) (int, error)
}

// Config holds the server's collaborators and limits. Zero values get
// the defaults from DefaultConfig.
type Config struct {
	Store  Store
	Logger *slog.Logger
	// Failures is the budget of failed attempts per client address, shared
	// with the HTTP layer: a hello with a wrong credential or an unknown
	// table spends from it. Nil makes one of the server's own.
	Failures *limit.PerAddress
	// Metrics counts what the runtime does (session/metrics); nil counts
	// nothing.
	Metrics *metrics.Metrics

	// Node, when set, makes this server one node of several on a shared
	// database: the URL other nodes reach it at, and the name its leases
	// carry. Before loading a table it takes the table's lease (Leases);
	// a table whose lease another node holds is forwarded there (route.go).
	// Empty: one node alone, no leases, every batch with epoch 0.
	Node     string
	Leases   Leases
	LeaseTTL time.Duration // how long a lease lasts unless renewed; DefaultLeaseTTL if 0

	MaxParticipants  int           // per table
	MaxConnsPerIP    int           // open websockets per remote address
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
	setDur(&c.LeaseTTL, DefaultLeaseTTL)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Failures == nil {
		c.Failures = limit.NewFailures()
	}
}

// Server runs live tables and their websocket clients.
type Server struct {
	cfg      Config
	log      *slog.Logger
	metrics  *metrics.Metrics // nil-safe
	ctx      context.Context  // ends when Shutdown begins; hubs stop with it
	clock0   time.Time        // the origin of clock, read once with its monotonic part
	stop     context.CancelFunc
	upgrader websocket.Upgrader
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
	if cfg.Node != "" && cfg.Leases == nil {
		panic("live: Config.Node without Config.Leases")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, metrics: cfg.Metrics, ctx: ctx, stop: stop, clock0: time.Now(), hubs: map[string]*hub{}, conns: map[string]int{}}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize: 1024,
		// Write buffers come from a pool and go back after each message, so an
		// idle connection holds none; shared frames need none at all.
		WriteBufferSize: 16 << 10,
		WriteBufferPool: &s.writeBuffers,
		// The HTTP layer checks the origin before it hands a request over.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return s
}

// clock is the time since the server started, on the monotonic clock:
// lease deadlines are counted on it, never on the wall clock.
func (s *Server) clock() time.Duration { return time.Since(s.clock0) }

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
		s.metrics.SetLiveTables(len(s.hubs))
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
	s.metrics.SetLiveTables(len(s.hubs))
	return true
}

// forget removes a hub that failed to load.
func (s *Server) forget(h *hub) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hubs[h.id] == h {
		delete(s.hubs, h.id)
		s.metrics.SetLiveTables(len(s.hubs))
	}
}

// LiveTables returns how many tables are loaded in memory.
func (s *Server) LiveTables() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.hubs)
}

// ServeWS upgrades an HTTP request to a websocket connection of a client
// at address ip, whose origin the caller has checked, and serves it until
// it ends.
func (s *Server) ServeWS(w http.ResponseWriter, r *http.Request, ip string) {
	// Count the pumps before upgrading, under the lock Shutdown takes, so
	// that Shutdown waits for every connection it did not refuse.
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
	c := &client{id: uuid.NewString()[:8], srv: s, conn: conn, wake: make(chan struct{}, 1),
		done: make(chan struct{}), registered: make(chan struct{}), ip: ip, entry: entryOf(r)}
	go c.writePump()
	go c.readPump()
}

// refused counts a refusal answered on a websocket, by its code.
func (s *Server) refused(err error) {
	if s.metrics != nil {
		s.metrics.Refused(metrics.WebSocket, session.AsError(err).Code)
	}
}

// OpenConns returns how many websockets are open.
func (s *Server) OpenConns() int {
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

// Call runs a command at a table for a caller that is not a websocket
// client (the HTTP layer's join) and returns the committed event, or the
// refusal. A table that does not exist is tables.ErrNoTable.
func (s *Server) Call(ctx context.Context, table string, who session.Who, cmd session.Command) (session.Event, error) {
	h, err := s.acquire(ctx, table)
	if err != nil {
		return session.Event{}, err
	}
	defer s.release(h)
	return h.call(ctx, who, cmd)
}

// Read runs f on the table's goroutine, where it may read the state and
// must not keep it.
func (s *Server) Read(ctx context.Context, table string, f func(*session.Table)) error {
	h, err := s.acquire(ctx, table)
	if err != nil {
		return err
	}
	defer s.release(h)
	return h.read(ctx, f)
}
