// Package metrics holds the server's Prometheus collectors: one *Metrics,
// made by the command that runs the server and handed to the live runtime
// and the HTTP layer in their configs, with its own registry (no global
// one) and its own listener. Every method is safe on a nil *Metrics and
// does nothing then, so tests and tools that want no metrics pass none.
//
// The methods are cheap enough for the hub's goroutine: each is a few
// atomic adds on collectors resolved when the Metrics is made; callers on
// hot paths count in plain integers and report once per flush or commit.
// docs/operations.md says what each metric means and what to alert on.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Transport is where a refusal was answered.
type Transport int

// The transports of refusals.
const (
	WebSocket Transport = iota // an error message on a websocket
	HTTP                       // an HTTP error response
	nTransports
)

// String is the transport's label value.
func (t Transport) String() string {
	if t == HTTP {
		return "http"
	}
	return "websocket"
}

// Queue is a bounded queue that can be full.
type Queue int

// The queues whose overflows are counted.
const (
	// Inbox is a table's inbox of commands, hellos and leavings. When it is
	// full the sender (a read pump, an HTTP call) waits: back-pressure,
	// nothing is lost.
	Inbox Queue = iota
	// Send is a client's send queue. When it is full the frame is not
	// queued: from the hub, the client is dropped as too slow; from the
	// read pump (its own refusals), the refusal is left unsent.
	Send
	nQueues
)

// String is the queue's label value.
func (q Queue) String() string {
	if q == Send {
		return "send"
	}
	return "inbox"
}

// roles are the roles of websocket connections, a closed set of labels;
// a test keeps it to the session package's roles (all but guest and owner,
// who have no websocket).
var roles = []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe, session.RoleScreen, session.RoleInterpreter}

// Build is what the build-info metric says about the running binary:
// what poyta version prints.
type Build struct {
	Version string // the release, the module's pseudo-version or "(devel)"
	Commit  string // the VCS revision, "" if the build recorded none
	Go      string // the Go toolchain, e.g. go1.26.8
	SQLite  string // the SQLite library linked in, e.g. 3.51.3 (also with a PostgreSQL database)
}

// commitBuckets are the bounds of the commit-duration histogram, in
// seconds: a commit on a healthy disk takes one or a few milliseconds
// (synchronous=FULL: one fsync), 0.25 s is the hub's slow commit.
var commitBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// Metrics is the server's collectors and their registry.
type Metrics struct {
	reg *prometheus.Registry

	liveTables    prometheus.Gauge
	conns         map[session.Role]prometheus.Gauge
	joins         map[session.Role]prometheus.Counter
	events        prometheus.Counter
	commitSeconds prometheus.Histogram
	slowCommits   prometheus.Counter
	failedCommits prometheus.Counter
	frames        prometheus.Counter
	deliveries    prometheus.Counter
	slowDropped   prometheus.Counter
	overflows     [nQueues]prometheus.Counter
	refusals      [nTransports]map[string]prometheus.Counter // by code; "other" for a code not in codes
	httpRequests  *prometheus.CounterVec
}

// New makes the collectors, in a registry of their own with Go's runtime
// and process collectors beside them.
func New(b Build) *Metrics {
	reg := prometheus.NewRegistry()
	f := func(c prometheus.Collector) { reg.MustRegister(c) }
	m := &Metrics{reg: reg}
	f(collectors.NewGoCollector())
	f(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	info := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "poyta_build_info",
		Help: "Always 1; the labels say which binary runs: its version and commit, the Go toolchain and the SQLite library."},
		[]string{"version", "commit", "go_version", "sqlite_version"})
	info.WithLabelValues(b.Version, b.Commit, b.Go, b.SQLite).Set(1)
	f(info)

	m.liveTables = prometheus.NewGauge(prometheus.GaugeOpts{Name: "poyta_live_tables",
		Help: "Tables loaded in memory, each with its hub goroutine: tables with someone connected, and idle ones until they unload."})
	f(m.liveTables)

	conns := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "poyta_websocket_connections",
		Help: "Open websocket connections whose hello was accepted, by role."}, []string{"role"})
	joins := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "poyta_websocket_joins_total",
		Help: "Hellos accepted, by role: new connections and reconnections (a dropped client comes back with one)."}, []string{"role"})
	m.conns, m.joins = map[session.Role]prometheus.Gauge{}, map[session.Role]prometheus.Counter{}
	for _, r := range roles {
		m.conns[r] = conns.WithLabelValues(string(r))
		m.joins[r] = joins.WithLabelValues(string(r))
	}
	f(conns)
	f(joins)

	m.events = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_events_committed_total",
		Help: "Events committed by live tables, each an accepted command, durable before it was acknowledged (a table's first event, written by its creation, is not among them)."})
	m.commitSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "poyta_commit_duration_seconds",
		Help:    "How long a table's append took, from handing its batch to the store until it was durable, group commit and fsync included.",
		Buckets: commitBuckets})
	m.slowCommits = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_commits_slow_total",
		Help: "Appends that took longer than 250 ms, the slow-commit warning in the log; nothing reaches the table's clients meanwhile."})
	m.failedCommits = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_commits_failed_total",
		Help: "Appends that failed: nothing was acknowledged, every command of the batch got unavailable and the table reloaded."})
	f(m.events)
	f(m.commitSeconds)
	f(m.slowCommits)
	f(m.failedCommits)

	m.frames = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_fanout_frames_total",
		Help: "Websocket frames queued to clients: flushes of committed events, presence, welcomes; one frame carries one or more messages."})
	m.deliveries = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_fanout_deliveries_total",
		Help: "Messages queued to clients inside those frames: each event, ack, error, presence, welcome or snapshot counted once per client it goes to."})
	m.slowDropped = prometheus.NewCounter(prometheus.CounterOpts{Name: "poyta_slow_clients_dropped_total",
		Help: "Clients disconnected (close 4000) because their send queue was full; they reconnect and resume."})
	f(m.frames)
	f(m.deliveries)
	f(m.slowDropped)

	overflows := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "poyta_queue_overflows_total",
		Help: "Times a bounded queue was full: inbox (a table's commands; the sender waited) or send (a client's frames; the frame was not queued)."},
		[]string{"queue"})
	for q := range nQueues {
		m.overflows[q] = overflows.WithLabelValues(q.String())
	}
	f(overflows)

	refusals := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "poyta_refusals_total",
		Help: "Requests and commands refused, by error code (docs/protocol.md §10) and by transport: websocket error messages and HTTP error responses."},
		[]string{"transport", "code"})
	for t := range nTransports {
		m.refusals[t] = map[string]prometheus.Counter{}
		for _, c := range append(codes[:len(codes):len(codes)], otherCode) {
			m.refusals[t][c] = refusals.WithLabelValues(t.String(), c)
		}
	}
	f(refusals)

	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "poyta_http_requests_total",
		Help: "HTTP requests answered on the public port, by route pattern (\"unmatched\" for none) and status; a websocket upgrade is one request, status 101."},
		[]string{"route", "status"})
	f(m.httpRequests)
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is the registry of the collectors, for tests that read them.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// SetLiveTables sets how many tables are loaded.
func (m *Metrics) SetLiveTables(n int) {
	if m != nil {
		m.liveTables.Set(float64(n))
	}
}

// Joined counts a connection of role whose hello was accepted.
func (m *Metrics) Joined(role session.Role) {
	if m == nil {
		return
	}
	if g := m.conns[role]; g != nil {
		g.Inc()
		m.joins[role].Inc()
	}
}

// Left counts a joined connection of role that ended.
func (m *Metrics) Left(role session.Role) {
	if m == nil {
		return
	}
	if g := m.conns[role]; g != nil {
		g.Dec()
	}
}

// Committed counts an append of events that took took; slow says it took
// longer than the hub's slow-commit threshold.
func (m *Metrics) Committed(events int, took time.Duration, slow bool) {
	if m == nil {
		return
	}
	m.events.Add(float64(events))
	m.commitSeconds.Observe(took.Seconds())
	if slow {
		m.slowCommits.Inc()
	}
}

// CommitFailed counts an append that failed.
func (m *Metrics) CommitFailed() {
	if m != nil {
		m.failedCommits.Inc()
	}
}

// Fanout counts frames queued to clients and the messages in them.
func (m *Metrics) Fanout(frames, messages int) {
	if m == nil || frames == 0 {
		return
	}
	m.frames.Add(float64(frames))
	m.deliveries.Add(float64(messages))
}

// SlowClientDropped counts a client disconnected for a full send queue.
func (m *Metrics) SlowClientDropped() {
	if m != nil {
		m.slowDropped.Inc()
	}
}

// QueueFull counts a bounded queue found full.
func (m *Metrics) QueueFull(q Queue) {
	if m != nil && q >= 0 && q < nQueues {
		m.overflows[q].Inc()
	}
}

// Refused counts a refusal with an error code, answered over t. A code
// outside the known set counts as "other".
func (m *Metrics) Refused(t Transport, code string) {
	if m == nil || t < 0 || t >= nTransports {
		return
	}
	c := m.refusals[t][code]
	if c == nil {
		c = m.refusals[t][otherCode]
	}
	c.Inc()
}

// HTTPRequest counts an HTTP request answered with status; route is the
// pattern of the route that served it, "" for none.
func (m *Metrics) HTTPRequest(route string, status int) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	m.httpRequests.WithLabelValues(route, strconv.Itoa(status)).Inc()
}
