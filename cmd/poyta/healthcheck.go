package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

type healthcheckOptions struct {
	addr    string
	url     string
	path    string
	timeout time.Duration
}

func newHealthcheckCmd() *cobra.Command {
	o := &healthcheckOptions{}
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Check that a running server answers; exit 0 if it does, 1 if not",
		Long: `Healthcheck asks a running poyta serve for GET /healthz and exits 0 when it
answers 200 OK, 1 otherwise: a container's health check without curl. By
default it asks the server on this machine at the port of --addr, the same
flag (and POYTA_ADDR) that poyta serve listens on; --url names another
server, e.g. https://poyta.example.fi for a server that speaks HTTPS itself.`,
		Example: `  poyta healthcheck
  POYTA_ADDR=127.0.0.1:9000 poyta healthcheck
  poyta healthcheck --url https://poyta.example.fi`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHealthcheck(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", ":8080", "the address poyta serve listens on (its --addr); checked on this machine's loopback")
	f.StringVar(&o.url, "url", "", "the server's base URL, e.g. http://127.0.0.1:8080 (default: from --addr)")
	f.StringVar(&o.path, "path", "/healthz", "the path to ask")
	f.DurationVar(&o.timeout, "timeout", 5*time.Second, "how long to wait for the answer")
	return cmd
}

func runHealthcheck(ctx context.Context, out io.Writer, o *healthcheckOptions) error {
	base := o.url
	if base == "" {
		host, port, err := net.SplitHostPort(o.addr)
		if err != nil {
			return fmt.Errorf("--addr %q: want host:port, e.g. :8080", o.addr)
		}
		// A server listening on every address answers on loopback too.
		if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
			host = "127.0.0.1"
			if ip != nil && ip.To4() == nil {
				host = "::1"
			}
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	url := strings.TrimRight(base, "/") + "/" + strings.TrimLeft(o.path, "/")
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s: %s", url, resp.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(out, "%s: %s %s\n", url, resp.Status, strings.TrimSpace(string(body)))
	return nil
}
