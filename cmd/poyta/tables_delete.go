package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

type tablesDeleteOptions struct {
	db  string
	yes bool
}

func newTablesDeleteCmd() *cobra.Command {
	o := &tablesDeleteOptions{}
	cmd := &cobra.Command{
		Use:   "delete TABLE",
		Short: "Delete a table and all its data, personal data included",
		Long: `Delete removes a table with its whole event log and snapshots: every name,
organisation, idea, vote and action of it. It asks for confirmation on
standard input unless --yes is given. There is no undo; take a backup first
if in doubt. Delete a table when no one is using it: a server that has it
open forgets it at its next write.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTablesDelete(cmd.Context(), cmd, o, args[0])
		},
	}
	addDBFlag(cmd.Flags(), &o.db)
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "delete without asking")
	return cmd
}

// errNotConfirmed is the answer when the person did not type yes.
var errNotConfirmed = errors.New("not deleted: the deletion was not confirmed")

func runTablesDelete(ctx context.Context, cmd *cobra.Command, o *tablesDeleteOptions, arg string) error {
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	info, t, err := tableOf(ctx, db, arg)
	if err != nil {
		return err
	}
	c := countTable(t)
	out := cmd.OutOrStdout()
	if !o.yes {
		fmt.Fprintf(out, "Delete %q (%s, %s)? Participants: %d, ideas: %d, actions: %d.\n"+
			"Everything about it, personal data included, is removed for good. Type yes to delete: ",
			terminalText(t.Title, 80), info.Code, info.ID, c.participants, c.ideas, c.actions)
		answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "yes" && a != "y" {
			fmt.Fprintln(out)
			return errNotConfirmed
		}
	}
	if err := db.DeleteTable(ctx, info.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "Deleted table %s (%s).\n", info.ID, info.Code)
	return nil
}
