package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/spf13/cobra"
)

// writeSelfSigned writes a certificate for 127.0.0.1 and its key, and
// returns a pool that trusts it.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "poyta.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestServeHTTPS: with --tls-cert and --tls-key the server speaks HTTPS and
// secure websockets, and tells browsers to stay on HTTPS.
func TestServeHTTPS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeSelfSigned(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	o := &serveOptions{addr: "127.0.0.1:0", db: filepath.Join(dir, "poyta.db"), logLevel: "warn", maxParticipants: 100,
		maxConnsPerIP: 100, shutdownTimeout: 5 * time.Second, ready: ready, tls: tlsOptions{cert: certFile, key: keyFile}}
	cmd := &cobra.Command{}
	cmd.SetErr(&strings.Builder{})
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cmd, o) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	tlsCfg := &tls.Config{RootCAs: pool}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	resp, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("https healthz: %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	d := websocket.Dialer{TLSClientConfig: tlsCfg}
	conn, _, err := d.Dial("wss://"+addr+"/ws", nil)
	if err != nil {
		t.Fatalf("wss: %v", err)
	}
	conn.Close()
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("plain HTTP on the HTTPS port: %d, want 400", resp.StatusCode)
		}
	}
}

func TestTLSOptionsAreChecked(t *testing.T) {
	for _, o := range []tlsOptions{
		{cert: "c.pem"},
		{key: "k.pem"},
		{cert: "c.pem", key: "k.pem", acmeHosts: []string{"poyta.example.fi"}},
		{cert: "/nonexistent/c.pem", key: "/nonexistent/k.pem"},
	} {
		if _, err := o.config(nil); err == nil {
			t.Errorf("%+v was accepted", o)
		}
	}
	cfg, err := tlsOptions{acmeHosts: []string{"poyta.example.fi"}, acmeCache: filepath.Join(t.TempDir(), "certs")}.config(nil)
	if err != nil || cfg == nil || cfg.GetCertificate == nil {
		t.Fatalf("acme config: %v", err)
	}
	if cfg, err := (tlsOptions{}).config(nil); cfg != nil || err != nil {
		t.Fatalf("no TLS options: %v %v", cfg, err)
	}
}
