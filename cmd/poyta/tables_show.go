package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/spf13/cobra"
)

type tablesShowOptions struct {
	db          string
	participant string
	json        bool
}

func newTablesShowCmd() *cobra.Command {
	o := &tablesShowOptions{}
	cmd := &cobra.Command{
		Use:   "show TABLE",
		Short: "Show a table's details, agenda and numbers",
		Long: `Show prints a table's details, agenda and numbers. With --participant it
prints instead everything stored about one participant (a person's right
of access, GDPR art. 15): their name, organisation and sector, their
ideas, dots, actions and groups, and the events they caused; --json gives
the same as JSON to hand over.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTablesShow(cmd.Context(), cmd, o, args[0])
		},
	}
	addDBFlag(cmd.Flags(), &o.db)
	cmd.Flags().StringVar(&o.participant, "participant", "", "show what is stored about this participant (name or id)")
	cmd.Flags().BoolVar(&o.json, "json", false, "with --participant: print JSON")
	return cmd
}

func runTablesShow(ctx context.Context, cmd *cobra.Command, o *tablesShowOptions, arg string) error {
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	info, t, err := tableOf(ctx, db, arg)
	if err != nil {
		return err
	}
	if o.participant != "" {
		return showParticipant(ctx, cmd.OutOrStdout(), db, t, o.participant, o.json)
	}
	if o.json {
		return fmt.Errorf("--json goes with --participant")
	}
	c := countTable(t)
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%s:\t%s\n", k, v)
		}
	}
	row("Title", terminalText(t.Title, 200))
	row("Theme", terminalText(t.Theme, 200))
	row("ID", info.ID)
	row("Join code", info.Code)
	when := strings.TrimSpace(t.Date + " " + t.Start)
	if t.End != "" {
		when += "–" + t.End
	}
	row("Date", when)
	row("Room", terminalText(t.Room, 200))
	row("Online", terminalText(t.Link, 200))
	row("Language", t.Lang)
	row("Facilitators", terminalText(strings.Join(t.Facilitators, ", "), 200))
	status := info.Status
	if !info.ClosedAt.IsZero() {
		status += " since " + info.ClosedAt.Local().Format(time.DateTime)
	}
	row("Status", status)
	row("Created", info.CreatedAt.Local().Format(time.DateTime))
	row("Events", fmt.Sprint(info.LastSeq))
	row("Participants", fmt.Sprint(c.participants)+bySector(t))
	row("Ideas", fmt.Sprint(c.ideas))
	row("Actions", fmt.Sprint(c.actions))
	row("Room groups", fmt.Sprint(len(t.Groups)))
	if err := w.Flush(); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, "\nAgenda:")
	for n, it := range t.Items {
		ideas := 0
		for _, i := range t.Ideas {
			if i.Item == it.ID && !i.Hidden && i.MergedInto == "" {
				ideas++
			}
		}
		cur := " "
		if it.ID == t.Current {
			cur = "*"
		}
		fmt.Fprintf(out, "%s %2d. %s  [%s, %d ideas, %d dots]\n", cur, n+1, terminalText(it.Title, 80), it.Phase, ideas, it.Cast)
	}
	return nil
}

// bySector is " (association 5, municipality 2, …)" in the order of
// session.Sectors.
func bySector(t *session.Table) string {
	n := map[string]int{}
	for _, p := range t.Participants {
		if !p.Removed {
			n[p.Sector]++
		}
	}
	var parts []string
	for _, s := range session.Sectors {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s, n[s]))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}
