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
with a link, QR code or join code; everything is recorded in one SQLite file.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newExportCmd(), newTablesCmd(), newBackupCmd())
	return root
}

// newLogger makes the process's logger; level is debug, info, warn or error.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToLower(level))); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
