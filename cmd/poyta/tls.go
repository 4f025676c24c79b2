package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

// tlsOptions are the ways poyta serve can speak HTTPS itself: a certificate
// and key from files (e.g. from the municipality's CA or certbot), or
// certificates from Let's Encrypt for public host names. Without them it
// speaks plain HTTP, for a reverse proxy in front (docs/deploy.md).
type tlsOptions struct {
	cert, key string
	acmeHosts []string
	acmeCache string
	acmeEmail string
}

// config returns the TLS configuration, or nil for plain HTTP.
func (o tlsOptions) config(log *slog.Logger) (*tls.Config, error) {
	switch {
	case (o.cert == "") != (o.key == ""):
		return nil, errors.New("--tls-cert and --tls-key go together")
	case o.cert != "" && len(o.acmeHosts) > 0:
		return nil, errors.New("use either --tls-cert/--tls-key or --acme-host, not both")
	case o.cert != "":
		r := &certReloader{cert: o.cert, key: o.key, log: log}
		if err := r.load(); err != nil {
			return nil, err
		}
		return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: r.get}, nil
	case len(o.acmeHosts) > 0:
		if err := os.MkdirAll(o.acmeCache, 0o700); err != nil {
			return nil, fmt.Errorf("--acme-cache %s: %w", o.acmeCache, err)
		}
		m := &autocert.Manager{Prompt: autocert.AcceptTOS, HostPolicy: autocert.HostWhitelist(o.acmeHosts...),
			Cache: autocert.DirCache(o.acmeCache), Email: o.acmeEmail}
		cfg := m.TLSConfig() // answers the TLS-ALPN-01 challenge on this listener
		cfg.MinVersion = tls.VersionTLS12
		return cfg, nil
	}
	return nil, nil
}

// certReloader serves a certificate from files and picks up a renewed one
// (certbot replaces the files) without a restart.
type certReloader struct {
	cert, key string
	log       *slog.Logger

	mu      sync.Mutex
	current *tls.Certificate
	modTime time.Time
	checked time.Time
}

func (r *certReloader) load() error {
	c, err := tls.LoadX509KeyPair(r.cert, r.key)
	if err != nil {
		return fmt.Errorf("load TLS certificate: %w", err)
	}
	fi, err := os.Stat(r.cert)
	if err != nil {
		return fmt.Errorf("load TLS certificate: %w", err)
	}
	r.current, r.modTime = &c, fi.ModTime()
	return nil
}

func (r *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if time.Since(r.checked) > time.Minute {
		r.checked = time.Now()
		if fi, err := os.Stat(r.cert); err == nil && !fi.ModTime().Equal(r.modTime) {
			if err := r.load(); err != nil {
				r.log.Warn("keeping the old TLS certificate", "err", err)
			} else {
				r.log.Info("TLS certificate reloaded", "file", r.cert)
			}
		}
	}
	return r.current, nil
}
