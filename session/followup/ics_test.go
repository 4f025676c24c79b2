package followup_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/followup"
)

// table is a table with three actions: one due, in progress, with an
// owner's report; one due and done; one without a due date.
func table(t *testing.T) *session.Table {
	t.Helper()
	n := 0
	now := time.Date(2027, 2, 25, 18, 0, 0, 0, time.UTC)
	env := session.Env{Now: now, NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }}
	var tb session.Table
	apply := func(e session.Event, err error) session.Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		return e
	}
	do := func(who session.Who, msg string) session.Event {
		t.Helper()
		_, _, cmd, err := session.ParseCommand([]byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		return apply(session.Decide(&tb, who, cmd, env))
	}
	apply(session.NewTable(session.NewTableInput{Title: "Ähtärin ja Soinin kumppanuuspöytä", Date: "2027-02-25", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Konkreettiset askeleet"}}}, session.Secrets{ID: "tbl-1", Code: "KP-AAAA-BBBB", Key: make([]byte, 32), FacilitatorSecret: "s"}, env))
	fac := session.Who{Role: session.RoleFacilitator}
	a := do(fac, fmt.Sprintf(`{"op":"action.add","item":%q,"title":"Kunnan tilat maksutta yhdistyksille; myös iltaisin, viikonloppuisin ja loma-aikoina (kesä\nja joulu)","due":"2027-04-30","owners":[{"org":"Ähtärin kaupunki"}]}`, tb.Items[0].ID)).Data.(*session.ActionAdded).Action.ID
	b := do(fac, `{"op":"action.add","title":"Yhdistysinfo kirjastolla","due":"2027-03-15","status":"done"}`).Data.(*session.ActionAdded).Action.ID
	do(fac, `{"op":"action.add","title":"Ilman määräaikaa"}`)
	do(fac, fmt.Sprintf(`{"op":"action.update","action":%q,"status":"in_progress","note":"Sopimus valmisteilla, päätös toukokuussa."}`, a))
	_ = b
	return &tb
}

// TestICSParses: the file parses with a real iCalendar parser, has one
// VTODO per action with a due date, with the right due dates, statuses
// and text, and the same UIDs on every export, so a re-import updates.
func TestICSParses(t *testing.T) {
	tb := table(t)
	var first, second bytes.Buffer
	if err := followup.ICS(&first, tb.Title, followup.Track([]*session.Table{tb}, time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)), time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	followup.ICS(&second, tb.Title, followup.Track([]*session.Table{tb}, time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC)), time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC))
	for _, line := range strings.Split(first.String(), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets: %q", len(line), line)
		}
	}
	uids := func(b []byte) map[string]*ical.Component {
		cal, err := ical.NewDecoder(bytes.NewReader(b)).Decode()
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, b)
		}
		out := map[string]*ical.Component{}
		for _, c := range cal.Children {
			if c.Name != ical.CompToDo {
				t.Errorf("a %s in the calendar", c.Name)
				continue
			}
			uid, _ := c.Props.Text(ical.PropUID)
			out[uid] = c
		}
		return out
	}
	a, b := uids(first.Bytes()), uids(second.Bytes())
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("%d and %d to-dos, want 2 (the actions with a due date)", len(a), len(b))
	}
	for uid := range a {
		if b[uid] == nil {
			t.Errorf("UID %s is not the same in the second export", uid)
		}
	}
	var inProgress *ical.Component
	for _, c := range a {
		if s, _ := c.Props.Text(ical.PropStatus); s == "IN-PROCESS" {
			inProgress = c
		}
	}
	if inProgress == nil {
		t.Fatal("no to-do IN-PROCESS")
	}
	summary, _ := inProgress.Props.Text(ical.PropSummary)
	if summary != "Kunnan tilat maksutta yhdistyksille; myös iltaisin, viikonloppuisin ja loma-aikoina (kesä\nja joulu)" {
		t.Errorf("summary %q", summary)
	}
	if due := inProgress.Props.Get(ical.PropDue); due == nil || due.Value != "20270430" {
		t.Errorf("due %+v", due)
	}
	desc, _ := inProgress.Props.Text(ical.PropDescription)
	for _, want := range []string{"Ähtärin kaupunki", "Konkreettiset askeleet", "Sopimus valmisteilla, päätös toukokuussa."} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
	if seq := inProgress.Props.Get("SEQUENCE"); seq == nil || seq.Value != "1" {
		t.Errorf("sequence %+v", seq)
	}
}
