package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

func newTablesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tables",
		Short: "List, show and delete tables",
		Long: `Tables manages the tables in the database: list them, show one, or delete
one with all its data. A table is named by its id or its join code in any
spelling. These commands work while poyta serve runs on the same file.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newTablesListCmd(), newTablesShowCmd(), newTablesCreateCmd(), newTablesDeleteCmd())
	return cmd
}

type tablesListOptions struct {
	db string
}

func newTablesListCmd() *cobra.Command {
	o := &tablesListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every table, newest first",
		Long: `List prints every table, newest first: its id, join code, title, date,
participants, ideas (not counting hidden ones), actions and status (open,
locked or closed).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTablesList(cmd.Context(), cmd, o)
		},
	}
	addDBFlag(cmd.Flags(), &o.db)
	return cmd
}

func runTablesList(ctx context.Context, cmd *cobra.Command, o *tablesListOptions) error {
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	infos, err := db.Tables(ctx)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if len(infos) == 0 {
		fmt.Fprintf(out, "No tables in %s.\n", store.Redact(o.db))
		return nil
	}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCODE\tTITLE\tDATE\tPARTICIPANTS\tIDEAS\tACTIONS\tSTATUS")
	for _, info := range infos {
		t, err := loadTable(ctx, db, info.ID)
		if err != nil {
			return err
		}
		c := countTable(t)
		date := t.Date
		if date == "" {
			date = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", info.ID, info.Code, terminalText(t.Title, 40), date,
			c.participants, c.ideas, c.actions, info.Status)
	}
	return w.Flush()
}
