package session_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

func itemIDs(tbl *session.Table) string {
	var ids []string
	for _, it := range tbl.Items {
		ids = append(ids, it.ID)
	}
	return strings.Join(ids, ",")
}

func TestAddItem(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"a1","op":"item.add","title":"Kahvitauko","timebox":15}`))
	d := e.Data.(*session.ItemAdded)
	if d.Index != 3 || itemIDs(m.tbl) != strings.Join([]string{m.greet, m.discuss, m.steps, d.Item.ID}, ",") {
		t.Fatalf("item added at %d, agenda %s", d.Index, itemIDs(m.tbl))
	}
	it := m.item(t, d.Item.ID)
	if it.Title != "Kahvitauko" || it.Timebox != 15 || it.Timer.Duration != 900 || it.Phase != session.PhaseCollect || it.Dots != 3 {
		t.Fatalf("item = %+v", it)
	}

	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Esittäytymiskierros","question":"Kuka olet\nja mistä tulet?","presenter":"Sanna","after":%q}`, m.greet))
	d = e.Data.(*session.ItemAdded)
	if d.Index != 1 || m.tbl.Items[1].ID != d.Item.ID || m.tbl.Items[1].Question != "Kuka olet\nja mistä tulet?" || m.tbl.Items[1].Presenter != "Sanna" {
		t.Fatalf("item after the greeting: index %d agenda %s", d.Index, itemIDs(m.tbl))
	}
	if m.tbl.Current != m.discuss {
		t.Fatal("adding an item changed the open item")
	}

	// On a table without agenda the first item becomes the open one.
	empty := newTable(t, session.NewTableInput{Title: "Soinin kyläilta"})
	e = mustDo(t, empty, empty.fac, cmdf(t, `{"op":"item.add","title":"Avaus"}`))
	if empty.tbl.Current != e.Data.(*session.ItemAdded).Item.ID {
		t.Fatalf("current = %q, want the first item", empty.tbl.Current)
	}
}

func TestAddItemRefusals(t *testing.T) {
	m := newMeeting(t)
	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"after unknown", `{"op":"item.add","title":"X","after":"id-999"}`, session.CodeNoItem},
		{"title missing", `{"op":"item.add","title":""}`, session.CodeMissingField},
		{"title too long", fmt.Sprintf(`{"op":"item.add","title":%q}`, umlauts(session.MaxTitle+1)), session.CodeTooLong},
		{"title two lines", `{"op":"item.add","title":"a\nb"}`, session.CodeInvalidText},
		{"question too long", fmt.Sprintf(`{"op":"item.add","title":"X","question":%q}`, umlauts(session.MaxQuestion+1)), session.CodeTooLong},
		{"presenter too long", fmt.Sprintf(`{"op":"item.add","title":"X","presenter":%q}`, umlauts(2*session.MaxName+1)), session.CodeTooLong},
		{"timebox negative", `{"op":"item.add","title":"X","timebox":-1}`, session.CodeInvalidValue},
		{"timebox too long", `{"op":"item.add","title":"X","timebox":1441}`, session.CodeInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	for len(m.tbl.Items) < session.MaxItems {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Kohta %d"}`, len(m.tbl.Items)+1))
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Yksi liikaa"}`), session.CodeTooMany)
}

func TestEditItem(t *testing.T) {
	m := newMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"title":"Avaus ja tervehdys","question":"Mitä kuuluu?","presenter":"Kaupunginjohtaja Heikki","timebox":10}`, m.greet))
	it := m.item(t, m.greet)
	if it.Title != "Avaus ja tervehdys" || it.Question != "Mitä kuuluu?" || it.Presenter != "Kaupunginjohtaja Heikki" || it.Timebox != 10 {
		t.Fatalf("item = %+v", it)
	}
	if it.Timer.Duration != 600 {
		t.Fatalf("a timer that never ran did not follow the new time box: %+v", it.Timer)
	}
	// Only the timebox: other fields stay.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"question":""}`, m.greet))
	if it.Question != "" || it.Title != "Avaus ja tervehdys" {
		t.Fatalf("item = %+v", it)
	}

	// A timer that has run keeps its duration when the time box changes.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"timebox":45}`, m.discuss))
	if d := m.item(t, m.discuss); d.Timebox != 45 || d.Timer.Duration != 30*60 {
		t.Fatalf("running timer changed by the time box: %+v", d)
	}

	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"unknown item", `{"op":"item.edit","item":"id-999","title":"X"}`, session.CodeNoItem},
		{"nothing", fmt.Sprintf(`{"op":"item.edit","item":%q}`, m.steps), session.CodeNoChange},
		{"title empty", fmt.Sprintf(`{"op":"item.edit","item":%q,"title":""}`, m.steps), session.CodeMissingField},
		{"question too long", fmt.Sprintf(`{"op":"item.edit","item":%q,"question":%q}`, m.steps, umlauts(session.MaxQuestion+1)), session.CodeTooLong},
		{"presenter too long", fmt.Sprintf(`{"op":"item.edit","item":%q,"presenter":%q}`, m.steps, umlauts(2*session.MaxName+1)), session.CodeTooLong},
		{"timebox", fmt.Sprintf(`{"op":"item.edit","item":%q,"timebox":-3}`, m.steps), session.CodeInvalidValue},
		{"participant", fmt.Sprintf(`{"op":"item.edit","item":%q,"title":"X"}`, m.steps), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			who := m.fac
			if tc.name == "participant" {
				who = m.matti
			}
			refuse(t, m, who, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
}

func TestMoveItem(t *testing.T) {
	m := newMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":2}`, m.greet))
	if got, want := itemIDs(m.tbl), strings.Join([]string{m.discuss, m.steps, m.greet}, ","); got != want {
		t.Fatalf("agenda = %s, want %s", got, want)
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":0}`, m.greet))
	if got, want := itemIDs(m.tbl), strings.Join([]string{m.greet, m.discuss, m.steps}, ","); got != want {
		t.Fatalf("agenda = %s, want %s", got, want)
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":1}`, m.steps))
	if got, want := itemIDs(m.tbl), strings.Join([]string{m.greet, m.steps, m.discuss}, ","); got != want {
		t.Fatalf("agenda = %s, want %s", got, want)
	}
	if m.tbl.Current != m.discuss {
		t.Fatal("moving changed the open item")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.move","item":"id-999","index":0}`), session.CodeNoItem)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":3}`, m.greet), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":-1}`, m.greet), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.move","item":%q,"index":0}`, m.greet), session.CodeNoChange)
}

func TestRemoveItem(t *testing.T) {
	m := newMeeting(t)
	extra := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Kahvitauko"}`)).Data.(*session.ItemAdded).Item.ID
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, m.greet))
	if got, want := itemIDs(m.tbl), strings.Join([]string{m.discuss, m.steps, extra}, ","); got != want {
		t.Fatalf("agenda = %s, want %s", got, want)
	}
	// Removing the open item opens the one that took its place …
	m.open(t, m.steps)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, m.steps))
	if m.tbl.Current != extra {
		t.Fatalf("current = %q, want the next item %q", m.tbl.Current, extra)
	}
	// … or the one before when it was the last.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, extra))
	if m.tbl.Current != m.discuss {
		t.Fatalf("current = %q, want the previous item %q", m.tbl.Current, m.discuss)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, extra), session.CodeNoItem)

	// Items with content are kept.
	m.idea(t, m.matti, "Maksuttomat tilat")
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, m.discuss), session.CodeItemNotEmpty)
	other := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Toimenpiteet"}`)).Data.(*session.ItemAdded).Item.ID
	m.action(t, `{"op":"action.add","item":%q,"title":"Yhteinen tapahtumakalenteri"}`, other)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.remove","item":%q}`, other), session.CodeItemNotEmpty)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"item.remove","item":%q}`, other), session.CodeForbidden)

	// Removing the last item leaves nothing open.
	solo := newTable(t, session.NewTableInput{Title: "Soinin kyläilta", Agenda: []session.ItemInput{{Title: "Ainoa"}}})
	mustDo(t, solo, solo.fac, cmdf(t, `{"op":"item.remove","item":%q}`, solo.tbl.Items[0].ID))
	if len(solo.tbl.Items) != 0 || solo.tbl.Current != "" {
		t.Fatalf("items %d current %q", len(solo.tbl.Items), solo.tbl.Current)
	}
}

func TestOpenItem(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.open","item":%q}`, m.steps))
	if e.Data.(*session.ItemOpened).Item != m.steps || m.tbl.Current != m.steps {
		t.Fatalf("current = %q", m.tbl.Current)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.open","item":%q}`, m.steps), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.open","item":"id-999"}`), session.CodeNoItem)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.open"}`), session.CodeNoItem)
	refuse(t, m, m.matti, cmdf(t, `{"op":"item.open","item":%q}`, m.greet), session.CodeForbidden)
	// Participants contribute only to the open item.
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Myöhässä"}`, m.discuss), session.CodeNotCurrent)
	m.ideaOn(t, m.matti, m.steps, "Toteuttajatiimiin kaksi järjestöä")
}

func TestSetPhase(t *testing.T) {
	m := newMeeting(t)
	for _, p := range []session.Phase{session.PhaseVote, session.PhaseActions, session.PhaseClosed, session.PhaseVote, session.PhaseCollect} {
		e := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":%q}`, m.discuss, p))
		if e.Data.(*session.ItemPhased).Phase != p || m.item(t, m.discuss).Phase != p {
			t.Fatalf("phase = %q, want %q", m.item(t, m.discuss).Phase, p)
		}
	}
	if m.item(t, m.greet).Phase != session.PhaseCollect {
		t.Fatal("another item's phase changed")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":"collect"}`, m.discuss), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":"brainstorm"}`, m.discuss), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":""}`, m.discuss), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":"id-999","phase":"vote"}`), session.CodeNoItem)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"item.phase","item":%q,"phase":"vote"}`, m.discuss), session.CodeForbidden)
}

func TestSetNotes(t *testing.T) {
	m := newMeeting(t)
	notes := "Päätökset:\r\n- Tilat maksutta järjestöille\n- Yhteinen kalenteri\t(kevät 2025)"
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":%q}`, m.discuss, notes))
	want := "Päätökset:\n- Tilat maksutta järjestöille\n- Yhteinen kalenteri\t(kevät 2025)"
	if e.Data.(*session.ItemNoted).Notes != want || m.item(t, m.discuss).Notes != want {
		t.Fatalf("notes = %q, want %q", m.item(t, m.discuss).Notes, want)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":%q}`, m.discuss, want), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":"id-999","notes":"x"}`), session.CodeNoItem)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":"\u0000"}`, m.discuss), session.CodeInvalidText)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":%q}`, m.discuss, umlauts(session.MaxNotes+1)), session.CodeTooLong)
	refuse(t, m, m.matti, cmdf(t, `{"op":"item.notes","item":%q,"notes":"Minun muistiinpanoni"}`, m.discuss), session.CodeForbidden)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"item.notes","item":%q,"notes":"Salin muistiinpanot"}`, m.discuss), session.CodeForbidden)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":%q}`, m.discuss, umlauts(session.MaxNotes)))
	// Notes can be emptied, and finished after the table is closed.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":""}`, m.discuss))
	if m.item(t, m.discuss).Notes != "" {
		t.Fatal("notes not emptied")
	}
}
