package main

import (
	"context"
	"fmt"

	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

type backupOptions struct {
	db string
}

func newBackupCmd() *cobra.Command {
	o := &backupOptions{}
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the database to a new file",
		Long: `Backup writes a consistent copy of the database to FILE, which must not exist
yet. It is safe while poyta serve runs: the copy is the database as it was
at one moment, and the server keeps writing meanwhile. The copy is an
ordinary Pöytä database; to restore, stop the server and put the copy in
place of the database file. For a PostgreSQL database use PostgreSQL's own
tools (pg_dump, or pg_basebackup with WAL archiving): this command refuses.`,
		Example: `  poyta backup /var/backups/poyta-$(date +%F).db`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBackup(cmd.Context(), cmd, o, args[0])
		},
	}
	addDBFlag(cmd.Flags(), &o.db)
	return cmd
}

func runBackup(ctx context.Context, cmd *cobra.Command, o *backupOptions, dest string) error {
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, dest); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Backup of %s written to %s.\n", store.Redact(o.db), dest)
	return nil
}
