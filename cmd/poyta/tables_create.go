package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

type tablesCreateOptions struct {
	db          string
	from        string
	url         string
	input       session.NewTableInput
	agendaItems []string
}

func newTablesCreateCmd() *cobra.Command {
	o := &tablesCreateOptions{}
	cmd := &cobra.Command{
		Use:   "create --title TITLE [--from TABLE]",
		Short: "Create a table, or the next table of a series",
		Long: `Create makes a new table and prints its facilitator link (keep it safe: it
is the key to the table), its join code and links. With --from it continues a
series: the earlier table's agenda is copied unless --item is given, and the
earlier table's open actions are brought to a follow-up item at the top of
the agenda for review. Works while poyta serve runs on the same database.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTablesCreate(cmd.Context(), cmd.OutOrStdout(), o)
		},
	}
	f := cmd.Flags()
	addDBFlag(f, &o.db)
	f.StringVar(&o.from, "from", "", "earlier table of the series (id or join code)")
	f.StringVar(&o.url, "url", "http://localhost:8080", "the server's public address, for the printed links")
	f.StringVar(&o.input.Title, "title", "", "title of the table (required)")
	f.StringVar(&o.input.Theme, "theme", "", "theme; with --from the earlier theme by default")
	f.StringVar(&o.input.Date, "date", "", "date, YYYY-MM-DD")
	f.StringVar(&o.input.Start, "start", "", "start time, HH:MM")
	f.StringVar(&o.input.End, "end", "", "end time, HH:MM")
	f.StringVar(&o.input.Room, "room", "", "the room, if any")
	f.StringVar(&o.input.Link, "link", "", "the online meeting link, if any")
	f.StringVar(&o.input.Lang, "lang", "", "language: fi, sv or en (default fi, or the earlier table's)")
	f.StringVar(&o.input.Facilitator, "facilitator", "", "the facilitator's name")
	f.BoolVar(&o.input.AllowAnonymous, "anonymous", false, "allow anonymous ideas")
	f.IntVar(&o.input.Dots, "dots", 0, "dots per person (default 3)")
	f.StringArrayVar(&o.agendaItems, "item", nil, `agenda item "title" or "title|question|minutes" (repeatable)`)
	return cmd
}

func runTablesCreate(ctx context.Context, out io.Writer, o *tablesCreateOptions) error {
	for _, it := range o.agendaItems {
		parts := strings.SplitN(it, "|", 3)
		in := session.ItemInput{Title: parts[0]}
		if len(parts) > 1 {
			in.Question = parts[1]
		}
		if len(parts) > 2 {
			if _, err := fmt.Sscan(parts[2], &in.Timebox); err != nil {
				return fmt.Errorf("--item %q: the time box must be minutes", it)
			}
		}
		o.input.Agenda = append(o.input.Agenda, in)
	}
	db, err := store.Open(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var prev *session.Table
	if o.from != "" {
		if _, prev, err = tableOf(ctx, db, o.from); err != nil {
			return err
		}
	}
	c, err := tables.Create(ctx, db, o.input, prev)
	if err != nil {
		return err
	}
	base := strings.TrimRight(o.url, "/")
	fmt.Fprintf(out, "Table      %s\nJoin code  %s\nJoin link  %s%s\nScreen     %s%s\nFacilitator link (the key to the table; keep it safe):\n  %s%s\n",
		c.ID, c.Code, base, c.JoinLink, base, c.ScreenLink, base, c.FacilitatorLink)
	if prev != nil {
		fmt.Fprintf(out, "Continues %q: %d open actions brought for review.\n", prev.Title, c.FollowUps)
	}
	return nil
}
