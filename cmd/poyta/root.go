package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "poyta",
		Short: "Pöytä runs partnership tables (kumppanuuspöytä)",
		Long: `Pöytä runs partnership tables (kumppanuuspöytä): facilitated meetings where a
municipality, associations, residents and businesses put ideas forward, vote
on them with dots and agree who does what. Participants join from a browser
with a link, QR code or join code; everything is recorded in one SQLite file
(or in PostgreSQL).

Every flag can also be set in the environment, named POYTA_ and the flag's
name in capitals with - as _: --db is POYTA_DB, --max-conns-per-ip is
POYTA_MAX_CONNS_PER_IP. A repeatable flag takes a comma-separated list
(POYTA_ALLOWED_ORIGIN=https://a.example,https://b.example); an empty variable
counts as unset; a flag on the command line wins over the environment. Only
--yes (and --help, --version) are never read from the environment.`,
		Version:       readBuildInfo().String(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return flagsFromEnv(cmd, osEnv)
		},
	}
	root.SetVersionTemplate("{{.Version}}")
	root.AddCommand(newServeCmd(), newExportCmd(), newTablesCmd(), newBackupCmd(),
		newHealthcheckCmd(), newVersionCmd(), newCopyCmd(), newParticipantsCmd())
	return root
}

// newLogger makes the process's logger: level is debug, info, warn or
// error; format is text (key=value, for people and journald) or json (one
// object a line, for log collectors).
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToLower(level))); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: l}
	switch strings.ToLower(format) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}
