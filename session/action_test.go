package session_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// actionsMeeting is the demo table with two ideas on the discussion item,
// which is in the actions phase.
func actionsMeeting(t *testing.T) (*meeting, []string) {
	t.Helper()
	m := newMeeting(t)
	ideas := []string{
		m.idea(t, m.matti, "Liikuntapaikat maksutta lasten harrastuksille"),
		m.idea(t, m.liisa, "Yhteinen tapahtumakalenteri järjestöille"),
	}
	m.phase(t, m.discuss, session.PhaseActions)
	return m, ideas
}

func ownerList(a *session.Action) string {
	var out []string
	for _, o := range a.Owners {
		out = append(out, o.Participant+"/"+o.Org)
	}
	return strings.Join(out, ", ")
}

func TestAddActionByFacilitator(t *testing.T) {
	m, ideas := actionsMeeting(t)
	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"a1","op":"action.add","item":%q,
		"title":"Selvitetään liikuntatilojen maksuttomuus",
		"ideas":[%q,%q,%q],
		"owners":[{"participant":%q},{"org":"Ähtärin seurakunta"},{"participant":%q,"org":"Ähtärin Urheilijat ry"}],
		"due":"2025-06-30","status":"in_progress"}`,
		m.discuss, ideas[0], ideas[1], ideas[0], m.liisa.ID, m.matti.ID))
	d := e.Data.(*session.ActionAdded)
	a := m.actionByID(t, d.Action.ID)
	if a.Item != m.discuss || a.Title != "Selvitetään liikuntatilojen maksuttomuus" || a.Due != "2025-06-30" || a.Status != session.StatusInProgress {
		t.Fatalf("action = %+v", a)
	}
	if !slices.Equal(a.Ideas, []string{ideas[0], ideas[1]}) {
		t.Fatalf("ideas = %v, want each once in order", a.Ideas)
	}
	want := m.liisa.ID + "/, /Ähtärin seurakunta, " + m.matti.ID + "/Ähtärin Urheilijat ry"
	if got := ownerList(a); got != want {
		t.Fatalf("owners = %s, want %s", got, want)
	}
	for _, o := range a.Owners {
		if o.ID == "" {
			t.Fatal("an owner without id cannot be unassigned")
		}
	}
	if a.ProposedBy != "" || !a.Created.Equal(m.clock.now) {
		t.Fatalf("proposedBy %q created %v", a.ProposedBy, a.Created)
	}
	if !slices.Equal(m.tbl.ActionOrder, []string{a.ID}) {
		t.Fatalf("action order = %v", m.tbl.ActionOrder)
	}

	// A free-standing action, in any phase, defaults to open.
	m.phase(t, m.discuss, session.PhaseCollect)
	id := m.action(t, `{"op":"action.add","title":"Seuraava kumppanuuspöytä syksyllä"}`)
	if b := m.actionByID(t, id); b.Item != "" || b.Status != session.StatusOpen || len(b.Owners) != 0 || b.Ideas == nil {
		t.Fatalf("free action = %+v", b)
	}
	// Limits count characters.
	m.action(t, `{"op":"action.add","title":%q}`, umlauts(session.MaxAction))
}

func TestAddActionRefusals(t *testing.T) {
	m, ideas := actionsMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.pekka.ID))
	many := func(n int, f func(i int) string) string {
		var parts []string
		for i := range n {
			parts = append(parts, f(i))
		}
		return strings.Join(parts, ",")
	}
	tooManyIdeas := many(session.MaxActionIdeas+1, func(int) string { return fmt.Sprintf("%q", ideas[0]) })
	tooManyOwners := many(session.MaxOwners+1, func(i int) string { return fmt.Sprintf(`{"org":"Yhdistys %d"}`, i) })

	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"volunteering facilitator", `{"op":"action.add","title":"X","volunteer":true}`, session.CodeInvalidValue},
		{"unknown item", `{"op":"action.add","item":"id-999","title":"X"}`, session.CodeNoItem},
		{"title missing", `{"op":"action.add","title":" "}`, session.CodeMissingField},
		{"title too long", fmt.Sprintf(`{"op":"action.add","title":%q}`, umlauts(session.MaxAction+1)), session.CodeTooLong},
		{"title control", `{"op":"action.add","title":"X\u001b"}`, session.CodeInvalidText},
		{"due", `{"op":"action.add","title":"X","due":"kesäkuu"}`, session.CodeInvalidValue},
		{"status", `{"op":"action.add","title":"X","status":"waiting"}`, session.CodeInvalidValue},
		{"too many ideas", `{"op":"action.add","title":"X","ideas":[` + tooManyIdeas + `]}`, session.CodeTooMany},
		{"unknown idea", `{"op":"action.add","title":"X","ideas":["id-999"]}`, session.CodeNoIdea},
		{"too many owners", `{"op":"action.add","title":"X","owners":[` + tooManyOwners + `]}`, session.CodeTooMany},
		{"unknown participant", `{"op":"action.add","title":"X","owners":[{"participant":"id-999"}]}`, session.CodeNoParticipant},
		{"removed participant", fmt.Sprintf(`{"op":"action.add","title":"X","owners":[{"participant":%q}]}`, m.pekka.ID), session.CodeNoParticipant},
		{"owner without anything", `{"op":"action.add","title":"X","owners":[{}]}`, session.CodeMissingField},
		{"owner org too long", fmt.Sprintf(`{"op":"action.add","title":"X","owners":[{"org":%q}]}`, umlauts(session.MaxOrg+1)), session.CodeTooLong},
		{"same participant twice", fmt.Sprintf(`{"op":"action.add","title":"X","owners":[{"participant":%q},{"participant":%q,"org":"Ähtärin kaupunki"}]}`, m.liisa.ID, m.liisa.ID), session.CodeAlreadyOwner},
		{"same org twice", `{"op":"action.add","title":"X","owners":[{"org":"Ähtärin seurakunta"},{"org":" Ähtärin seurakunta"}]}`, session.CodeAlreadyOwner},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	m.action(t, `{"op":"action.add","title":"X","owners":[%s]}`, many(session.MaxOwners, func(i int) string { return fmt.Sprintf(`{"org":"Yhdistys %d"}`, i) }))
	refuse(t, m, m.guest, cmdf(t, `{"op":"action.add","title":"X"}`), session.CodeForbidden)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"action.add","title":"X"}`), session.CodeForbidden)
}

func TestAddActionTableCap(t *testing.T) {
	m, _ := actionsMeeting(t)
	for n := len(m.tbl.Actions); n < session.MaxActions; n++ {
		m.tbl.Apply(session.Event{Seq: m.tbl.Seq + 1, Type: "action.added", Data: &session.ActionAdded{
			Action: session.Action{ID: fmt.Sprintf("bulk-%d", n), Title: "Täyte", Status: session.StatusOpen}}})
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.add","title":"Yksi liikaa"}`), session.CodeTooMany)
	refuse(t, m, m.matti, cmdf(t, `{"op":"action.add","title":"Yksi liikaa"}`), session.CodeTooMany)
}

func TestProposeAction(t *testing.T) {
	m, ideas := actionsMeeting(t)
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"action.add","title":"Urheiluseurojen yhteinen esittelypäivä","ideas":[%q],"due":"2025-08-15","volunteer":true}`, ideas[0]))
	a := m.actionByID(t, e.Data.(*session.ActionAdded).Action.ID)
	if a.Item != m.discuss {
		t.Fatalf("a proposal without item belongs to %q, want the open item", a.Item)
	}
	if a.ProposedBy != m.matti.ID || a.Status != session.StatusOpen || a.Due != "2025-08-15" {
		t.Fatalf("proposal = %+v", a)
	}
	if len(a.Owners) != 1 || a.Owners[0].Participant != m.matti.ID || a.Owners[0].Org != "" {
		t.Fatalf("volunteer owners = %s", ownerList(a))
	}
	e = mustDo(t, m, m.liisa, cmdf(t, `{"op":"action.add","item":%q,"title":"Kaupungin tilavarausohjeet selkeiksi"}`, m.discuss))
	if b := m.actionByID(t, e.Data.(*session.ActionAdded).Action.ID); len(b.Owners) != 0 || b.ProposedBy != m.liisa.ID {
		t.Fatalf("proposal without volunteering = %+v", b)
	}

	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"with owners", fmt.Sprintf(`{"op":"action.add","title":"X","owners":[{"participant":%q}]}`, m.liisa.ID), session.CodeForbidden},
		{"with status", `{"op":"action.add","title":"X","status":"done"}`, session.CodeForbidden},
		{"item not in actions phase", fmt.Sprintf(`{"op":"action.add","item":%q,"title":"X"}`, m.steps), session.CodeWrongPhase},
		{"unknown item", `{"op":"action.add","item":"id-999","title":"X"}`, session.CodeNoItem},
		{"title missing", `{"op":"action.add","title":""}`, session.CodeMissingField},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.aino, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.aino, cmdf(t, `{"op":"action.add","title":"Liian aikaisin"}`), session.CodeWrongPhase)
	m.phase(t, m.discuss, session.PhaseActions)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	refuse(t, m, m.aino, cmdf(t, `{"op":"action.add","title":"Lukittu"}`), session.CodeLocked)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))

	// Any item in the actions phase, not only the open one.
	m.phase(t, m.steps, session.PhaseActions)
	mustDo(t, m, m.aino, cmdf(t, `{"op":"action.add","item":%q,"title":"Nuorten edustaja toteuttajatiimiin"}`, m.steps))

	// With no agenda at all there is nothing to propose to.
	empty := newTable(t, session.NewTableInput{Title: "Tyhjä pöytä"})
	p := empty.join(t, "Aino Asukas", "", "", ainoToken)
	refuse(t, empty, p, cmdf(t, `{"op":"action.add","title":"X"}`), session.CodeNoItem)
}

func TestEditAction(t *testing.T) {
	m, _ := actionsMeeting(t)
	proposal := mustDo(t, m, m.matti, cmdf(t, `{"op":"action.add","title":"Esittelypäivä","volunteer":true}`)).Data.(*session.ActionAdded).Action.ID
	assigned := m.action(t, `{"op":"action.add","item":%q,"title":"Tilavarausohjeet","owners":[{"participant":%q},{"org":"Ähtärin kaupunki"}]}`, m.discuss, m.liisa.ID)

	// The proposer edits title and due date.
	m.clock.advance(time.Minute)
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"action.edit","action":%q,"title":"Seurojen esittelypäivä torilla","due":"2025-08-16"}`, proposal))
	d := e.Data.(*session.ActionEdited)
	if d.Title == nil || d.Due == nil || d.Status != nil || d.Item != nil {
		t.Fatalf("edit event = %+v", d)
	}
	if a := m.actionByID(t, proposal); a.Title != "Seurojen esittelypäivä torilla" || a.Due != "2025-08-16" {
		t.Fatalf("action = %+v", a)
	}
	// An owner sets the status.
	mustDo(t, m, m.matti, cmdf(t, `{"op":"action.edit","action":%q,"status":"in_progress"}`, proposal))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"action.edit","action":%q,"status":"done"}`, assigned))
	if m.actionByID(t, assigned).Status != session.StatusDone {
		t.Fatal("the owner's status did not stick")
	}
	// The facilitator edits everything, moves the action and detaches it.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"title":"Tilavarausohjeet selkeiksi","due":"","status":"open","item":%q}`, assigned, m.steps))
	if a := m.actionByID(t, assigned); a.Title != "Tilavarausohjeet selkeiksi" || a.Status != session.StatusOpen || a.Item != m.steps || a.Due != "" {
		t.Fatalf("action = %+v", a)
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"item":""}`, assigned))
	if m.actionByID(t, assigned).Item != "" {
		t.Fatal("the action was not detached from its item")
	}

	edit := func(format string, args ...any) session.Command { return cmdf(t, format, args...) }
	tests := []struct {
		name string
		who  session.Who
		cmd  session.Command
		code string
	}{
		{"unknown action", m.fac, edit(`{"op":"action.edit","action":"id-999","title":"X"}`), session.CodeNoAction},
		{"nothing", m.fac, edit(`{"op":"action.edit","action":%q}`, proposal), session.CodeNoChange},
		{"title empty", m.fac, edit(`{"op":"action.edit","action":%q,"title":""}`, proposal), session.CodeMissingField},
		{"title too long", m.fac, edit(`{"op":"action.edit","action":%q,"title":%q}`, proposal, umlauts(session.MaxAction+1)), session.CodeTooLong},
		{"due", m.fac, edit(`{"op":"action.edit","action":%q,"due":"31.12.2025"}`, proposal), session.CodeInvalidValue},
		{"status", m.fac, edit(`{"op":"action.edit","action":%q,"status":"cancelled"}`, proposal), session.CodeInvalidValue},
		{"unknown item", m.fac, edit(`{"op":"action.edit","action":%q,"item":"id-999"}`, proposal), session.CodeNoItem},
		{"not the proposer", m.liisa, edit(`{"op":"action.edit","action":%q,"title":"Minun nyt"}`, proposal), session.CodeNotOwner},
		{"proposer of nothing", m.matti, edit(`{"op":"action.edit","action":%q,"due":"2025-12-31"}`, assigned), session.CodeNotOwner},
		{"not an owner", m.aino, edit(`{"op":"action.edit","action":%q,"status":"done"}`, proposal), session.CodeNotOwner},
		{"org owner is not the participant", m.matti, edit(`{"op":"action.edit","action":%q,"status":"done"}`, assigned), session.CodeNotOwner},
		{"participant moves", m.matti, edit(`{"op":"action.edit","action":%q,"item":%q}`, proposal, m.steps), session.CodeForbidden},
		{"owner bad status", m.matti, edit(`{"op":"action.edit","action":%q,"status":"valmis"}`, proposal), session.CodeInvalidValue},
		{"proposer nothing", m.matti, edit(`{"op":"action.edit","action":%q}`, proposal), session.CodeNoChange},
		{"scribe", m.scribe, edit(`{"op":"action.edit","action":%q,"status":"done"}`, proposal), session.CodeForbidden},
		{"guest", m.guest, edit(`{"op":"action.edit","action":%q,"status":"done"}`, proposal), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, tc.cmd, tc.code)
		})
	}

	// The proposer's edits are for the actions phase; the owner's status is not.
	m.phase(t, m.discuss, session.PhaseClosed)
	refuse(t, m, m.matti, edit(`{"op":"action.edit","action":%q,"title":"Myöhässä"}`, proposal), session.CodeWrongPhase)
	mustDo(t, m, m.matti, edit(`{"op":"action.edit","action":%q,"status":"done"}`, proposal))

	// After the table closes only the facilitator follows up.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.matti, edit(`{"op":"action.edit","action":%q,"status":"open"}`, proposal), session.CodeClosed)
	refuse(t, m, m.matti, edit(`{"op":"action.edit","action":%q,"title":"Suljetun jälkeen"}`, proposal), session.CodeClosed)
	mustDo(t, m, m.fac, edit(`{"op":"action.edit","action":%q,"status":"open","title":"Esittelypäivä 2026"}`, proposal))
}

func TestAssignOwner(t *testing.T) {
	m, _ := actionsMeeting(t)
	a := m.action(t, `{"op":"action.add","item":%q,"title":"Yhteinen tapahtumakalenteri"}`, m.discuss)

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"participant":%q}`, a, m.liisa.ID))
	if d := e.Data.(*session.ActionOwnerAdded); d.Action != a || d.Owner.Participant != m.liisa.ID || d.Owner.ID == "" {
		t.Fatalf("assign event = %+v", d)
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"org":"Ähtärin seurakunta"}`, a))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"participant":%q,"org":"Soinin Marttayhdistys ry"}`, a, m.pekka.ID))
	want := m.liisa.ID + "/, /Ähtärin seurakunta, " + m.pekka.ID + "/Soinin Marttayhdistys ry"
	if got := ownerList(m.actionByID(t, a)); got != want {
		t.Fatalf("owners = %s, want %s", got, want)
	}

	tests := []struct {
		name string
		who  session.Who
		msg  string
		code string
	}{
		{"same participant", m.fac, fmt.Sprintf(`{"op":"action.assign","action":%q,"participant":%q,"org":"Ähtärin kaupunki"}`, a, m.liisa.ID), session.CodeAlreadyOwner},
		{"same org", m.fac, fmt.Sprintf(`{"op":"action.assign","action":%q,"org":"Ähtärin seurakunta"}`, a), session.CodeAlreadyOwner},
		{"unknown participant", m.fac, fmt.Sprintf(`{"op":"action.assign","action":%q,"participant":"id-999"}`, a), session.CodeNoParticipant},
		{"nobody", m.fac, fmt.Sprintf(`{"op":"action.assign","action":%q}`, a), session.CodeMissingField},
		{"unknown action", m.fac, fmt.Sprintf(`{"op":"action.assign","action":"id-999","participant":%q}`, m.matti.ID), session.CodeNoAction},
		{"participant", m.matti, fmt.Sprintf(`{"op":"action.assign","action":%q,"participant":%q}`, a, m.aino.ID), session.CodeForbidden},
		{"scribe", m.scribe, fmt.Sprintf(`{"op":"action.assign","action":%q,"org":"Sali"}`, a), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID))
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"participant":%q}`, a, m.aino.ID), session.CodeNoParticipant)

	for n := len(m.actionByID(t, a).Owners); n < session.MaxOwners; n++ {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"org":"Yhdistys %d"}`, a, n))
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"org":"Yksi liikaa"}`, a), session.CodeTooMany)
	refuse(t, m, m.matti, cmdf(t, `{"op":"action.volunteer","action":%q}`, a), session.CodeTooMany)
}

func TestUnassignOwner(t *testing.T) {
	m, _ := actionsMeeting(t)
	a := m.action(t, `{"op":"action.add","item":%q,"title":"Kalenteri","owners":[{"participant":%q},{"org":"Ähtärin seurakunta"}]}`, m.discuss, m.liisa.ID)
	owners := slices.Clone(m.actionByID(t, a).Owners)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.unassign","action":%q,"owner":%q}`, a, owners[0].ID))
	if d := e.Data.(*session.ActionOwnerRemoved); d.Owner != owners[0].ID || d.Action != a {
		t.Fatalf("unassign event = %+v", d)
	}
	if got := ownerList(m.actionByID(t, a)); got != "/Ähtärin seurakunta" {
		t.Fatalf("owners = %s", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.unassign","action":%q,"owner":%q}`, a, owners[0].ID), session.CodeNoOwner)
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.unassign","action":"id-999","owner":%q}`, owners[1].ID), session.CodeNoAction)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"action.unassign","action":%q,"owner":%q}`, a, owners[1].ID), session.CodeForbidden)
	// Also after the table is closed, to follow up.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.unassign","action":%q,"owner":%q}`, a, m.actionByID(t, a).Owners[0].ID))
	if len(m.actionByID(t, a).Owners) != 0 {
		t.Fatal("owner not removed after close")
	}
}

func TestVolunteer(t *testing.T) {
	m, _ := actionsMeeting(t)
	a := m.action(t, `{"op":"action.add","item":%q,"title":"Urheiluseurojen esittelypäivä"}`, m.discuss)
	free := m.action(t, `{"op":"action.add","title":"Seuraava kumppanuuspöytä"}`)

	e := mustDo(t, m, m.liisa, cmdf(t, `{"op":"action.volunteer","action":%q}`, a))
	if o := e.Data.(*session.ActionOwnerAdded).Owner; o.Participant != m.liisa.ID || o.Org != "" {
		t.Fatalf("volunteer owner = %+v", o)
	}
	// As an organisation: the participant's own organisation.
	e = mustDo(t, m, m.matti, cmdf(t, `{"op":"action.volunteer","action":%q,"org":true}`, a))
	if o := e.Data.(*session.ActionOwnerAdded).Owner; o.Participant != m.matti.ID || o.Org != "Ähtärin Urheilijat ry" {
		t.Fatalf("org volunteer owner = %+v", o)
	}
	want := m.liisa.ID + "/, " + m.matti.ID + "/Ähtärin Urheilijat ry"
	if got := ownerList(m.actionByID(t, a)); got != want {
		t.Fatalf("owners = %s, want %s", got, want)
	}
	// An action without item follows the open item's phase.
	mustDo(t, m, m.pekka, cmdf(t, `{"op":"action.volunteer","action":%q,"org":true}`, free))

	tests := []struct {
		name string
		who  session.Who
		msg  string
		code string
	}{
		{"twice", m.liisa, fmt.Sprintf(`{"op":"action.volunteer","action":%q}`, a), session.CodeAlreadyOwner},
		{"again as org", m.liisa, fmt.Sprintf(`{"op":"action.volunteer","action":%q,"org":true}`, a), session.CodeAlreadyOwner},
		{"org without org", m.aino, fmt.Sprintf(`{"op":"action.volunteer","action":%q,"org":true}`, a), session.CodeMissingField},
		{"unknown action", m.aino, `{"op":"action.volunteer","action":"id-999"}`, session.CodeNoAction},
		{"facilitator", m.fac, fmt.Sprintf(`{"op":"action.volunteer","action":%q}`, a), session.CodeForbidden},
		{"scribe", m.scribe, fmt.Sprintf(`{"op":"action.volunteer","action":%q}`, a), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, cmdf(t, "%s", tc.msg), tc.code)
		})
	}

	// Unvolunteer takes back one's own.
	e = mustDo(t, m, m.liisa, cmdf(t, `{"op":"action.unvolunteer","action":%q}`, a))
	if got := ownerList(m.actionByID(t, a)); got != m.matti.ID+"/Ähtärin Urheilijat ry" {
		t.Fatalf("owners after unvolunteer = %s", got)
	}
	mustDo(t, m, m.matti, cmdf(t, `{"op":"action.unvolunteer","action":%q}`, a))
	if len(m.actionByID(t, a).Owners) != 0 {
		t.Fatal("volunteering for the organisation was not taken back")
	}
	refuse(t, m, m.liisa, cmdf(t, `{"op":"action.unvolunteer","action":%q}`, a), session.CodeNoOwner)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"action.unvolunteer","action":"id-999"}`), session.CodeNoAction)
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.unvolunteer","action":%q}`, a), session.CodeForbidden)

	// Only in the actions phase.
	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.aino, cmdf(t, `{"op":"action.volunteer","action":%q}`, a), session.CodeWrongPhase)
	refuse(t, m, m.pekka, cmdf(t, `{"op":"action.unvolunteer","action":%q}`, free), session.CodeWrongPhase)
	m.phase(t, m.discuss, session.PhaseActions)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	refuse(t, m, m.aino, cmdf(t, `{"op":"action.volunteer","action":%q}`, a), session.CodeLocked)
}

func TestRemoveAction(t *testing.T) {
	m, _ := actionsMeeting(t)
	a := m.action(t, `{"op":"action.add","title":"Kalenteri"}`)
	b := m.action(t, `{"op":"action.add","title":"Esittelypäivä"}`)
	refuse(t, m, m.matti, cmdf(t, `{"op":"action.remove","action":%q}`, a), session.CodeForbidden)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.remove","action":%q}`, a))
	if e.Data.(*session.ActionRemoved).Action != a || m.tbl.Actions[a] != nil || !slices.Equal(m.tbl.ActionOrder, []string{b}) {
		t.Fatalf("actions after remove: %v", m.tbl.ActionOrder)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.remove","action":%q}`, a), session.CodeNoAction)
}
