package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/static"
	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	addr            string
	db              string
	allowedOrigins  []string
	logLevel        string
	maxParticipants int
	shutdownTimeout time.Duration

	// ready, when set, receives the address actually listened on (tests use port 0).
	ready chan<- string
}

func newServeCmd() *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Host live tables and the web UI",
		Long: `Serve hosts live tables over websockets, with the web UI embedded, and
records every event in the SQLite file given by --db (created and migrated on
first start). SIGINT or SIGTERM stop it gracefully: commands in flight are
committed and browsers are told to reconnect.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd.Context(), cmd, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", ":8080", "address to listen on, host:port")
	f.StringVar(&o.db, "db", "poyta.db", "SQLite database file")
	f.StringArrayVar(&o.allowedOrigins, "allowed-origin", nil, "extra origin allowed to open websockets, e.g. https://poyta.example.fi (repeatable); the server's own origin is always allowed")
	f.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	f.IntVar(&o.maxParticipants, "max-participants", 10000, "most participants one table accepts")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 15*time.Second, "how long a graceful stop may take")
	return cmd
}

func runServe(ctx context.Context, cmd *cobra.Command, o *serveOptions) error {
	log, err := newLogger(cmd.ErrOrStderr(), o.logLevel)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	log.Info("database open", "path", o.db, "sqlite", db.SQLiteVersion())

	srv := live.New(live.Config{Store: db, Logger: log, Static: static.FS(),
		AllowedOrigins: o.allowedOrigins, MaxParticipants: o.maxParticipants})
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", o.addr, err)
	}
	log.Info("serving", "addr", ln.Addr().String())
	if o.ready != nil {
		o.ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
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
	if err := db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	log.Info("stopped")
	return nil
}
