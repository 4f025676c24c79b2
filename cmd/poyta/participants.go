package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

// A participant's own data (GDPR): see everything stored about one person
// (tables show --participant) and erase their name, organisation and
// token (participants forget).

func newParticipantsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "participants",
		Short: "A participant's own data: forget one on request",
		Long: `Participants answers a person's requests about their own data. To see what
is stored about someone, use "poyta tables show TABLE --participant NAME|ID".`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newParticipantsForgetCmd())
	return cmd
}

type participantsForgetOptions struct {
	db  string
	yes bool
}

func newParticipantsForgetCmd() *cobra.Command {
	o := &participantsForgetOptions{}
	cmd := &cobra.Command{
		Use:   "forget TABLE NAME|ID",
		Short: "Erase a participant's name, organisation and token from a table",
		Long: `Forget erases one participant's name, organisation and token from a table,
on the person's request, while their ideas, dots and actions stay as
anonymous contributions, so that the table's record stays whole. The
person's link stops working. The events that named them are rewritten,
the table's snapshots deleted, and on SQLite the database's files keep no
byte of the name afterwards. Their sector stays, for the counts; what
others wrote about them (an idea, the notes) is not theirs and stays.

Name the person by their participant id (tables show TABLE --participant
lists it) or by their name. It asks for confirmation unless --yes is
given. Running it again for someone already forgotten finishes an erasure
that was cut short. A facilitator can do the same from the table's view
(op participant.forget). With several nodes, forget through the
facilitator's view: this command writes outside any node's lease.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runParticipantsForget(cmd.Context(), cmd, o, args[0], args[1])
		},
	}
	addDBFlag(cmd.Flags(), &o.db)
	cmd.Flags().BoolVarP(&o.yes, "yes", "y", false, "forget without asking")
	return cmd
}

func runParticipantsForget(ctx context.Context, cmd *cobra.Command, o *participantsForgetOptions, tableArg, who string) error {
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	out := cmd.OutOrStdout()
	for attempt := 0; ; attempt++ {
		info, t, err := tableOf(ctx, db, tableArg)
		if err != nil {
			return err
		}
		p, err := t.FindParticipant(who)
		if err != nil {
			return err
		}
		through := t.Seq
		if !p.Forgotten {
			if !o.yes && attempt == 0 {
				fmt.Fprintf(out, "Forget %s (%s) of %q (%s)? Their name, organisation and token are erased for good;\n"+
					"their ideas, dots and actions stay without a name. Type yes to forget: ",
					terminalText(orDash(p.Name), 80), terminalText(orDash(p.Org), 80), terminalText(t.Title, 80), info.Code)
				answer, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
				if a := strings.ToLower(strings.TrimSpace(answer)); a != "yes" && a != "y" {
					fmt.Fprintln(out)
					return errors.New("not forgotten: it was not confirmed")
				}
			}
			e, err := session.Decide(t, session.Who{Role: session.RoleFacilitator}, &session.ForgetParticipant{Participant: p.ID},
				session.Env{Now: time.Now(), NewID: uuid.NewString})
			if err != nil {
				return err
			}
			e.Seq = t.Seq + 1
			t.Apply(e)
			b, err := tables.Batch(t, []session.Event{e})
			if err != nil {
				return err
			}
			// A running server may have written meanwhile: then read again.
			if err := db.Append(ctx, b); errors.Is(err, store.ErrConflict) && attempt < 5 {
				continue
			} else if err != nil {
				return fmt.Errorf("forget %s: %w", p.ID, err)
			}
			through = e.Seq
		}
		n, err := db.Redact(ctx, info.ID, through, func(e store.Event) ([]byte, bool, error) {
			return session.Redact(e.Data, p.ID)
		})
		if err != nil {
			return fmt.Errorf("forget %s: the participant is forgotten in the table, but erasing the stored events failed (run this again): %w", p.ID, err)
		}
		fmt.Fprintf(out, "Forgot participant %s of %q: %d stored events rewritten, snapshots deleted.\n", p.ID, terminalText(t.Title, 80), n)
		return nil
	}
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// showParticipant prints what is stored about one participant, as text or
// as JSON.
func showParticipant(ctx context.Context, w io.Writer, db *store.DB, t *session.Table, who string, asJSON bool) error {
	p, err := t.FindParticipant(who)
	if err != nil {
		return err
	}
	d, err := tables.PersonalData(ctx, db, t, p)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s:\t%s\n", k, v) }
	row("Table", terminalText(d.Table.Title, 200)+" ("+d.Table.ID+")")
	row("Participant", d.Participant.ID)
	row("Name", terminalText(orDash(d.Participant.Name), 200))
	row("Organisation", terminalText(orDash(d.Participant.Org), 200))
	row("Sector", d.Participant.Sector)
	row("Joined", d.Participant.Joined.Local().Format(time.DateTime))
	state := "present"
	switch {
	case d.Participant.Forgotten:
		state = "forgotten"
	case d.Participant.Removed:
		state = "removed"
	}
	row("State", state)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nIdeas (%d):\n", len(d.Ideas))
	for _, i := range d.Ideas {
		flags := ""
		if i.Anonymous {
			flags += " [anonymous]"
		}
		if i.Hidden {
			flags += " [hidden]"
		}
		fmt.Fprintf(w, "  %s  %s: %s%s\n", i.Created.Local().Format(time.DateTime), terminalText(i.Item, 60), terminalText(i.Text, 300), flags)
	}
	fmt.Fprintf(w, "\nDots (%d ideas):\n", len(d.Votes))
	for _, v := range d.Votes {
		fmt.Fprintf(w, "  %d on %q (%s)\n", v.Dots, terminalText(v.Idea, 120), terminalText(v.Item, 60))
	}
	fmt.Fprintf(w, "\nActions (%d):\n", len(d.Actions))
	for _, a := range d.Actions {
		var as []string
		if a.Owner {
			as = append(as, "owner")
		}
		if a.Proposed {
			as = append(as, "proposed")
		}
		fmt.Fprintf(w, "  %s [%s, %s, due %s]\n", terminalText(a.Title, 200), strings.Join(as, ", "), a.Status, orDash(a.Due))
	}
	fmt.Fprintf(w, "\nGroups (%d):\n", len(d.Groups))
	for _, g := range d.Groups {
		rep := ""
		if g.Reporter {
			rep = " (reporter)"
		}
		fmt.Fprintf(w, "  %s: %s%s\n", terminalText(g.Item, 60), terminalText(g.Group, 60), rep)
	}
	fmt.Fprintf(w, "\nEvents they caused (%d):\n", len(d.Events))
	for _, e := range d.Events {
		fmt.Fprintf(w, "  %6d  %s  %s\n", e.Seq, e.At.Local().Format(time.DateTime), e.Type)
	}
	return nil
}
