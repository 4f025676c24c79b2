package session_test

import (
	"testing"

	"github.com/poyta/poyta/session"
)

// seriesOf makes the next table of a series from m's table, with the same
// four participants and room group, as the next municipality's table would
// have its own people. The previous table gets three actions first: one
// done, one open with a participant and an organisation as owners, one in
// progress.
func seriesOf(t *testing.T, m *meeting) *meeting {
	t.Helper()
	done := m.action(t, `{"op":"action.add","title":"Tapahtumakalenteri verkkoon","owners":[{"org":"Ähtärin kaupunki"}]}`)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"status":"done"}`, done))
	m.action(t, `{"op":"action.add","title":"Kylätalojen varausohjeet yhteen paikkaan","due":"2025-06-30","owners":[{"participant":%q,"org":"Ähtärin kaupunki"},{"org":"Soinin kunta"}]}`, m.liisa.ID)
	prog := m.action(t, `{"op":"action.add","title":"Järjestöjen info-ilta syksyllä"}`)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"status":"in_progress"}`, prog))

	in := demoInput()
	in.Title, in.Date, in.Agenda, in.Theme = "Alajärven kumppanuuspöytä", "2025-03-11", nil, ""
	c := newClock()
	sec := demoSecrets()
	sec.ID, sec.Code = "tbl-alajarvi", "KP-2222-3333"
	e, err := session.NewTableFrom(in, sec, m.tbl, c.env())
	if err != nil {
		t.Fatalf("NewTableFrom: %v", err)
	}
	tbl := new(session.Table)
	tbl.Apply(e)
	n := &meeting{tbl: tbl, clock: c, events: []session.Event{e},
		fac: m.fac, screen: m.screen, guest: m.guest}
	n.greet, n.discuss, n.steps = tbl.Items[1].ID, tbl.Items[2].ID, tbl.Items[3].ID
	n.matti = n.join(t, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association", mattiToken)
	n.liisa = n.join(t, "Liisa Virtanen", "Ähtärin kaupunki", "municipality", liisaToken)
	n.aino = n.join(t, "Aino Asukas", "", "resident", ainoToken)
	n.pekka = n.join(t, "Pekka Korhonen", "Soinin Marttayhdistys ry", "association", pekkaToken)
	n.room = mustDo(t, n, n.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 2"}`)).Data.(*session.GroupAdded).Group.ID
	n.scribe = session.Who{Role: session.RoleScribe, ID: n.room}
	n.open(t, n.discuss)
	return n
}

func TestNewTableFromCopiesAgendaAndOpenActions(t *testing.T) {
	prev := newMeeting(t)
	n := seriesOf(t, prev)
	tbl := n.tbl
	if tbl.Theme != demoTheme || tbl.Title != "Alajärven kumppanuuspöytä" {
		t.Fatalf("title %q, theme %q: the theme should come from the earlier table", tbl.Title, tbl.Theme)
	}
	if len(tbl.Items) != len(prev.tbl.Items)+1 || tbl.Items[0].Title != "Edellisen pöydän toimenpiteiden seuranta" || tbl.FollowItem != tbl.Items[0].ID {
		t.Fatalf("agenda: %d items, first %q; want the follow-up item first and the earlier agenda after it", len(tbl.Items), tbl.Items[0].Title)
	}
	for i, it := range prev.tbl.Items {
		if c := tbl.Items[i+1]; c.Title != it.Title || c.Question != it.Question || c.Timebox != it.Timebox || c.ID == it.ID {
			t.Errorf("item %d copied as %+v from %+v", i, c, it)
		}
	}
	if len(tbl.FollowUps) != 2 {
		t.Fatalf("%d follow-ups, want the 2 actions not done", len(tbl.FollowUps))
	}
	f := tbl.FollowUps[0]
	if f.Title != "Kylätalojen varausohjeet yhteen paikkaan" || f.Due != "2025-06-30" || f.Status != session.StatusOpen ||
		f.Table != prev.tbl.ID || f.TableTitle != demoTitle || f.Outcome != "" {
		t.Fatalf("follow-up = %+v", f)
	}
	if len(f.Owners) != 2 || f.Owners[0].Name != "Liisa Virtanen" || f.Owners[0].Org != "Ähtärin kaupunki" || f.Owners[1].Label() != "Soinin kunta" {
		t.Fatalf("owners = %+v", f.Owners)
	}
	if tbl.FollowUps[1].Status != session.StatusInProgress {
		t.Fatalf("second follow-up = %+v", tbl.FollowUps[1])
	}
	// Swedish and English tables get the item in their language.
	in := demoInput()
	in.Lang = "sv"
	e, err := session.NewTableFrom(in, demoSecrets(), n.tbl, newClock().env())
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Data.(*session.TableCreated); d.Items[0].Title != "Uppföljning av föregående bords åtgärder" || len(d.FollowUps) != 0 {
		// n.tbl has no actions of its own: no follow-up item then.
		if len(d.FollowUps) == 0 && d.Items[0].Title == demoInput().Agenda[0].Title {
			return
		}
		t.Fatalf("swedish: first item %q, %d follow-ups", d.Items[0].Title, len(d.FollowUps))
	}
}

func TestMarkFollowUp(t *testing.T) {
	n := seriesOf(t, newMeeting(t))
	f := n.tbl.FollowUps[0].Action
	mustDo(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"done","note":"Ohjeet julkaistu maaliskuussa."}`, f))
	if got := n.tbl.FollowUps[0]; got.Outcome != session.OutcomeDone || got.Note != "Ohjeet julkaistu maaliskuussa." {
		t.Fatalf("follow-up = %+v", got)
	}
	refuse(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"done","note":"Ohjeet julkaistu maaliskuussa."}`, f), session.CodeNoChange)
	refuse(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":"id-none","outcome":"done"}`), session.CodeNoAction)
	refuse(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"maybe"}`, f), session.CodeInvalidValue)
	refuse(t, n, n.liisa, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"dropped"}`, f), session.CodeForbidden)
	refuse(t, n, n.fac, cmdf(t, `{"op":"item.remove","item":%q}`, n.tbl.FollowItem), session.CodeItemNotEmpty)

	// Carrying it on makes it an action of this table, once.
	actions := len(n.tbl.Actions)
	e := mustDo(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"carried"}`, f))
	c := e.Data.(*session.FollowUpMarked).Carried
	if c == nil || len(n.tbl.Actions) != actions+1 || n.tbl.FollowUps[0].Carried != c.ID {
		t.Fatalf("carried action %+v, %d actions", c, len(n.tbl.Actions))
	}
	a := n.actionByID(t, c.ID)
	if a.Title != "Kylätalojen varausohjeet yhteen paikkaan" || a.Item != n.tbl.FollowItem || a.Status != session.StatusOpen ||
		len(a.Owners) != 2 || a.Owners[0].Org != "Liisa Virtanen (Ähtärin kaupunki)" || a.Owners[0].Participant != "" {
		t.Fatalf("carried action = %+v", a)
	}
	mustDo(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"dropped"}`, f))
	e = mustDo(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"carried","note":"Jatkuu"}`, f))
	if e.Data.(*session.FollowUpMarked).Carried != nil || len(n.tbl.Actions) != actions+1 {
		t.Fatal("carrying on twice made a second action")
	}
	// The review can be finished after the meeting is closed.
	mustDo(t, n, n.fac, cmdf(t, `{"op":"table.close"}`))
	mustDo(t, n, n.fac, cmdf(t, `{"op":"followup.mark","action":%q,"outcome":"dropped","note":"Ei resursseja."}`, n.tbl.FollowUps[1].Action))

	// Everyone sees the review; folding it keeps the view equal to the server's.
	v := n.tbl.ViewFor(n.aino)
	if len(v.FollowUps) != 2 || v.FollowUps[1].Outcome != session.OutcomeDropped {
		t.Fatalf("participant's follow-ups = %+v", v.FollowUps)
	}
}

func TestNewTableFromWithoutOpenActions(t *testing.T) {
	prev := newMeeting(t)
	e, err := session.NewTableFrom(demoInput(), demoSecrets(), prev.tbl, newClock().env())
	if err != nil {
		t.Fatal(err)
	}
	d := e.Data.(*session.TableCreated)
	if len(d.FollowUps) != 0 || d.FollowItem != "" || d.Items[0].Title != demoInput().Agenda[0].Title {
		t.Fatalf("no open actions: %d follow-ups, first item %q", len(d.FollowUps), d.Items[0].Title)
	}
}
