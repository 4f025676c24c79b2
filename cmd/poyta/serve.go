package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/poyta/poyta/session/limit"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/metrics"
	"github.com/poyta/poyta/session/web"
	"github.com/poyta/poyta/static"
	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	addr            string
	db              string
	allowedOrigins  []string
	logLevel        string
	logFormat       string
	maxParticipants int
	maxConnsPerIP   int
	tablesPerHour   int
	trustedProxies  []string
	tls             tlsOptions
	shutdownTimeout time.Duration
	pprof           string        // loopback address for the Go profiler; "" for none
	metricsAddr     string        // address for Prometheus metrics; "" for none
	retention       retention     // closed tables older than this are purged; 0 keeps them
	purgeEvery      time.Duration // how often to purge; an hour unless a test says otherwise
	site            web.Site      // the deployer's part of the accessibility statement and the privacy notice
	node            string        // this node's URL in a cluster; "" for one node alone
	peers           []string      // addresses or CIDRs of the other nodes
	leaseTTL        time.Duration // how long a table's lease lasts unless renewed

	// ready, when set, receives the address actually listened on (tests use port 0).
	ready chan<- string
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Host live tables and the web UI",
		Long: `Serve hosts live tables over websockets, with the web UI embedded, and
records every event in the database given by --db: a SQLite file (created and
migrated on first start) or a PostgreSQL database named by a postgres:// URL
(migrated on start). SIGINT or SIGTERM stop it gracefully: commands in flight
are committed and browsers are told to reconnect.

Several nodes may serve one PostgreSQL database: give each --node, the URL the
others reach it at, and --peer for the others' addresses. Each live table is
served by the node that holds its lease; the others forward its websockets and
HTTP calls there, and take the table over when its lease lapses.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", ":8080", "address to listen on, host:port")
	addDBFlag(f, &o.db)
	f.StringArrayVar(&o.allowedOrigins, "allowed-origin", nil, "extra origin allowed to open websockets, e.g. https://poyta.example.fi (repeatable); the server's own origin is always allowed")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.StringVar(&o.logFormat, "log-format", "text", "log format: text (key=value) or json (one object a line, for log collectors)")
	defaults := live.DefaultConfig()
	f.IntVar(&o.maxParticipants, "max-participants", defaults.MaxParticipants, "most participants one table accepts")
	f.IntVar(&o.maxConnsPerIP, "max-conns-per-ip", defaults.MaxConnsPerIP, "most websockets open from one client address")
	f.IntVar(&o.tablesPerHour, "tables-per-hour", web.DefaultTablesPerHour, "most tables one client address may create: that many at once, then that many an hour; 0 for no limit")
	f.StringArrayVar(&o.trustedProxies, "trusted-proxy", nil, "address or CIDR of a reverse proxy whose X-Forwarded-For names the client, e.g. 127.0.0.1 (repeatable)")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 15*time.Second, "how long a graceful stop may take")
	f.StringVar(&o.tls.cert, "tls-cert", "", "serve HTTPS with this certificate (PEM; reloaded when the file changes)")
	f.StringVar(&o.tls.key, "tls-key", "", "the private key of --tls-cert (PEM)")
	f.StringArrayVar(&o.tls.acmeHosts, "acme-host", nil, "serve HTTPS with a Let's Encrypt certificate for this public host name (repeatable; needs --addr :443 reachable from the internet)")
	f.StringVar(&o.tls.acmeCache, "acme-cache", "poyta-certs", "directory for the certificates of --acme-host")
	f.StringVar(&o.tls.acmeEmail, "acme-email", "", "contact address for Let's Encrypt (optional)")
	f.StringVar(&o.pprof, "pprof", "", "serve the Go profiler (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060; off by default")
	f.StringVar(&o.site.Organisation, "org", "", "the organisation that runs this Pöytä, for the accessibility statement and the privacy notice")
	f.StringVar(&o.site.Feedback, "accessibility-feedback", "", "where accessibility feedback goes: an e-mail address or a web address")
	f.StringVar(&o.site.Reviewed, "accessibility-reviewed", "", "when you last reviewed the accessibility statement, YYYY-MM-DD")
	f.StringVar(&o.site.PrivacyEmail, "privacy-contact", "", "where people ask about their data or have it erased")
	f.StringVar(&o.site.DPO, "dpo", "", "the data protection officer's contact, if any")
	f.StringVar(&o.metricsAddr, "metrics-addr", "", "serve Prometheus metrics at /metrics on this address of their own, e.g. 127.0.0.1:9090; never on --addr; off by default")
	f.StringVar(&o.node, "node", "", "serve as one node of several on a PostgreSQL database: this node's URL as the other nodes reach it, e.g. http://10.0.0.5:8080")
	f.StringArrayVar(&o.peers, "peer", nil, "address or CIDR of the other nodes, whose forwarded requests name the client in X-Forwarded-For (repeatable; with --node)")
	f.DurationVar(&o.leaseTTL, "lease-ttl", live.DefaultLeaseTTL, "with --node: how long a table's lease lasts unless renewed; a node that dies holds its tables this long")
	f.Var(&o.retention, "retention", "delete closed tables this long after closing, e.g. 365d or 720h; checked at start and hourly; 0 keeps them forever")
	return cmd
}

func runServe(ctx context.Context, cmd *cobra.Command, o *serveOptions) error {
	log, err := newLogger(cmd.ErrOrStderr(), o.logLevel, o.logFormat)
	if err != nil {
		return err
	}
	sd, err := newNotifier(log) // systemd's Type=notify; nil when not under systemd
	if err != nil {
		return err
	}
	defer sd.close()
	proxies, err := parsePrefixes(o.trustedProxies)
	if err != nil {
		return err
	}
	peers, err := parsePrefixes(o.peers)
	if err != nil {
		return err
	}
	if err := o.checkNode(); err != nil {
		return err
	}
	tlsConfig, err := o.tls.config(log)
	if err != nil {
		return err
	}
	if o.pprof != "" {
		_, stop, err := startPprof(o.pprof, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	db, err := store.Open(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database open", "db", store.Redact(o.db), "engine", db.Engine(), "version", db.Version())
	var leases live.Leases
	switch {
	case o.node != "" && db.Engine() != "postgres":
		return fmt.Errorf("--node needs a PostgreSQL database (--db postgres://…): a SQLite file is one machine's")
	case o.node != "":
		leases = db
		log.Info("serving as a node of a cluster", "node", o.node, "lease_ttl", o.leaseTTL)
	case db.Engine() == "postgres":
		log.Info("serving alone: only one poyta serve without --node may use this database")
	}
	stopRetention := startRetention(ctx, db, log, time.Duration(o.retention), o.purgeEvery)
	defer stopRetention()

	var m *metrics.Metrics // nil: nothing counted
	if o.metricsAddr != "" {
		bi := readBuildInfo() // what poyta version prints
		m = metrics.New(metrics.Build{Version: bi.Version, Commit: bi.Commit, Go: bi.Go, SQLite: bi.SQLite})
		ml, err := m.Listen(o.metricsAddr, log)
		if err != nil {
			return err
		}
		log.Info("metrics listening", "addr", ml.Addr())
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			defer cancel()
			ml.Shutdown(sctx)
		}()
	}

	failures := limit.NewFailures() // one budget per address for the API and the websockets
	var budgets limit.Shared        // nil: this node's memory
	if o.node != "" {
		// A cluster's nodes spend from one budget per address, in the
		// database: a client spreading its requests over the nodes gets
		// no more than from one.
		budgets = db
		failures.Share(db, "fail")
	}
	srv := live.New(live.Config{Store: db, Logger: log, Failures: failures, Metrics: m,
		Node: o.node, Leases: leases, LeaseTTL: o.leaseTTL,
		MaxParticipants: o.maxParticipants, MaxConnsPerIP: o.maxConnsPerIP})
	api := web.New(web.Config{Store: db, Live: srv, Logger: log, Failures: failures, Static: static.FS(),
		AllowedOrigins: o.allowedOrigins, TrustedProxies: proxies, Peers: peers, TablesPerHour: o.tablesPerHour, Budgets: budgets, Site: o.siteInfo(), Metrics: m})
	hs := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		// Handshake failures and the like are the client's problem: debug level.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	scheme := "http"
	if tlsConfig != nil {
		ln, scheme = tls.NewListener(ln, tlsConfig), "https"
	}
	log.Info("serving", "addr", ln.Addr().String(), "scheme", scheme)
	if o.ready != nil {
		o.ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// The database is open and the port listens: ready.
	sd.ready(ln.Addr().String(), handlerAnswers(hs.Handler, "/healthz"))

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sd.stopping()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.shutdownTimeout)
	defer cancel()
	// Stop taking new requests first, then let the live tables commit what
	// they have and say goodbye, then close the database.
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("http shutdown", "err", err)
	}
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("live shutdown", "err", err)
	}
	stopRetention()
	if err := db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	log.Info("stopped")
	return nil
}

// parsePrefixes reads --trusted-proxy values: single addresses or CIDRs.
func parsePrefixes(vals []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range vals {
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy %q: want an address or a CIDR like 10.0.0.0/8", v)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// siteInfo is the deployer's part of the statements, with the retention.
func (o *serveOptions) siteInfo() web.Site {
	s := o.site
	if o.retention > 0 {
		s.Retention, s.RetentionText = time.Duration(o.retention), o.retention.String()
	}
	return s
}

// checkNode checks the cluster flags: --node an http(s) URL with a host,
// --peer only with it, a lease long enough to renew.
func (o *serveOptions) checkNode() error {
	if o.node == "" {
		if len(o.peers) > 0 {
			return fmt.Errorf("--peer needs --node")
		}
		return nil
	}
	u, err := url.Parse(o.node)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("--node %q: want this node's base URL, e.g. http://10.0.0.5:8080", o.node)
	}
	o.node = strings.TrimSuffix(o.node, "/")
	if o.leaseTTL < 500*time.Millisecond {
		return fmt.Errorf("--lease-ttl %v: want 500ms or more", o.leaseTTL)
	}
	return nil
}
