package session_test

import (
	"fmt"
	"testing"

	"github.com/poyta/poyta/session"
)

func TestJoin(t *testing.T) {
	m := newTable(t, demoInput())
	e := mustDo(t, m, m.guest, &session.Join{Name: "  Matti Meikäläinen ", Org: "Ähtärin Urheilijat ry", Sector: "association", TokenHash: session.HashSecret(mattiToken)})
	d := e.Data.(*session.ParticipantJoined)
	if e.Type != "participant.joined" || e.Actor != "guest" {
		t.Fatalf("event %q by %q", e.Type, e.Actor)
	}
	p := m.tbl.Participants[d.ID]
	if p == nil {
		t.Fatalf("participant %q not in the table", d.ID)
	}
	if p.Name != "Matti Meikäläinen" || p.Org != "Ähtärin Urheilijat ry" || p.Sector != "association" || p.Removed {
		t.Fatalf("participant = %+v", p)
	}
	if !p.Joined.Equal(m.clock.now) || p.TokenHash != session.HashSecret(mattiToken) {
		t.Fatalf("joined %v token hash %q", p.Joined, p.TokenHash)
	}
	who, err := m.tbl.Authenticate(session.RoleParticipant, mattiToken)
	if err != nil || who.ID != d.ID {
		t.Fatalf("the new participant's token does not authenticate: %+v %v", who, err)
	}

	// No sector means "other"; join order is kept.
	aino := m.join(t, "Aino Asukas", "", "", ainoToken)
	liisa := m.join(t, "Liisa Virtanen", "Ähtärin kaupunki", "municipality", liisaToken)
	if got := m.tbl.Participants[aino.ID].Sector; got != "other" {
		t.Fatalf("sector = %q, want other", got)
	}
	if want := []string{d.ID, aino.ID, liisa.ID}; fmt.Sprint(m.tbl.People) != fmt.Sprint(want) {
		t.Fatalf("people = %v, want %v", m.tbl.People, want)
	}

	// Every listed sector is accepted.
	for i, s := range session.Sectors {
		m.join(t, fmt.Sprintf("Edustaja %d", i), "", s, fmt.Sprintf("tok-sector-%d", i))
	}
}

func TestJoinRefusals(t *testing.T) {
	m := newMeeting(t)
	tok := session.HashSecret("tok-new")
	tests := []struct {
		name string
		who  session.Who
		cmd  *session.Join
		code string
	}{
		{"facilitator", m.fac, &session.Join{Name: "Sanna", TokenHash: tok}, session.CodeForbidden},
		{"participant", m.matti, &session.Join{Name: "Matti", TokenHash: tok}, session.CodeForbidden},
		{"scribe", m.scribe, &session.Join{Name: "Kirjuri", TokenHash: tok}, session.CodeForbidden},
		{"screen", m.screen, &session.Join{Name: "Näyttö", TokenHash: tok}, session.CodeForbidden},
		{"no token", m.guest, &session.Join{Name: "Matti"}, session.CodeInternal},
		{"short token", m.guest, &session.Join{Name: "Matti", TokenHash: "abc"}, session.CodeInternal},
		{"name missing", m.guest, &session.Join{Name: "  ", TokenHash: tok}, session.CodeMissingField},
		{"name too long", m.guest, &session.Join{Name: umlauts(session.MaxName + 1), TokenHash: tok}, session.CodeTooLong},
		{"name two lines", m.guest, &session.Join{Name: "Matti\nMeikäläinen", TokenHash: tok}, session.CodeInvalidText},
		{"name NUL", m.guest, &session.Join{Name: "Matti\x00", TokenHash: tok}, session.CodeInvalidText},
		{"name invalid UTF-8", m.guest, &session.Join{Name: "Matti \xc3", TokenHash: tok}, session.CodeInvalidText},
		{"org too long", m.guest, &session.Join{Name: "Matti", Org: umlauts(session.MaxOrg + 1), TokenHash: tok}, session.CodeTooLong},
		{"org control", m.guest, &session.Join{Name: "Matti", Org: "ry\x08", TokenHash: tok}, session.CodeInvalidText},
		{"sector", m.guest, &session.Join{Name: "Matti", Sector: "church", TokenHash: tok}, session.CodeInvalidValue},
		// A retried join: the token is Matti's already. No second Matti.
		{"token taken", m.guest, &session.Join{Name: "Matti", TokenHash: session.HashSecret(mattiToken)}, session.CodeAlreadyJoined},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			se := refuse(t, m, tc.who, tc.cmd, tc.code)
			if tc.code == session.CodeInternal && se.Kind != session.KindInternal {
				t.Fatalf("kind = %s", se.Kind)
			}
		})
	}
	// A name of exactly the limit in characters is fine, though twice as many bytes.
	m.join(t, umlauts(session.MaxName), umlauts(session.MaxOrg), "other", "tok-long")
}

func TestJoinTableFull(t *testing.T) {
	m := newMeeting(t) // four participants
	m.clock.max = 5
	m.join(t, "Viides Vieras", "", "", "tok-5")
	refuse(t, m, m.guest, &session.Join{Name: "Kuudes Vieras", TokenHash: session.HashSecret("tok-6")}, session.CodeTableFull)
	// Removed participants still count: the cap is on how many ever joined.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID))
	refuse(t, m, m.guest, &session.Join{Name: "Kuudes Vieras", TokenHash: session.HashSecret("tok-6")}, session.CodeTableFull)
	m.clock.max = 0 // the default cap
	m.join(t, "Kuudes Vieras", "", "", "tok-6")
}

func TestUnknownParticipantIsUnauthorized(t *testing.T) {
	m := newMeeting(t)
	ghost := session.Who{Role: session.RoleParticipant, ID: "id-999"}
	refuse(t, m, ghost, cmdf(t, `{"op":"hand.raise"}`), session.CodeUnauthorized)
	refuse(t, m, ghost, cmdf(t, `{"op":"idea.add","item":%q,"text":"Kummitus"}`, m.discuss), session.CodeUnauthorized)
	scribeless := session.Who{Role: session.RoleScribe, ID: "id-999"}
	refuse(t, m, scribeless, cmdf(t, `{"op":"idea.add","item":%q,"text":"Kummitus"}`, m.discuss), session.CodeRemoved)
}

func TestUpdateParticipant(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.liisa, cmdf(t, `{"id":"u1","op":"participant.update","name":"Liisa Virtanen-Koski","org":"Ähtärin kaupunki, vapaa-aikatoimi","sector":"municipality"}`))
	d := e.Data.(*session.ParticipantUpdated)
	if d.Participant != m.liisa.ID {
		t.Fatalf("event updates %q, want the caller %q", d.Participant, m.liisa.ID)
	}
	p := m.tbl.Participants[m.liisa.ID]
	if p.Name != "Liisa Virtanen-Koski" || p.Org != "Ähtärin kaupunki, vapaa-aikatoimi" || p.Sector != "municipality" {
		t.Fatalf("profile = %+v", p)
	}
	if q := m.tbl.Participants[m.matti.ID]; q.Name != "Matti Meikäläinen" {
		t.Fatal("another participant changed")
	}
	// An empty sector becomes "other"; the org can be cleared.
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"participant.update","name":"Liisa Virtanen-Koski"}`))
	if p.Org != "" || p.Sector != "other" {
		t.Fatalf("profile = %+v", p)
	}
	// A locked table does not stop fixing one's own name.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"participant.update","name":"Liisa V.","sector":"municipality"}`))

	tests := []struct {
		name string
		who  session.Who
		msg  string
		code string
	}{
		{"same profile", m.matti, `{"op":"participant.update","name":"Matti Meikäläinen","org":"Ähtärin Urheilijat ry","sector":"association"}`, session.CodeNoChange},
		{"same after trimming", m.matti, `{"op":"participant.update","name":" Matti Meikäläinen ","org":"Ähtärin Urheilijat ry ","sector":"association"}`, session.CodeNoChange},
		{"name missing", m.matti, `{"op":"participant.update","name":""}`, session.CodeMissingField},
		{"name too long", m.matti, fmt.Sprintf(`{"op":"participant.update","name":%q}`, umlauts(session.MaxName+1)), session.CodeTooLong},
		{"org too long", m.matti, fmt.Sprintf(`{"op":"participant.update","name":"Matti","org":%q}`, umlauts(session.MaxOrg+1)), session.CodeTooLong},
		{"sector", m.matti, `{"op":"participant.update","name":"Matti","sector":"sports"}`, session.CodeInvalidValue},
		{"facilitator", m.fac, `{"op":"participant.update","name":"Sanna"}`, session.CodeForbidden},
		{"scribe", m.scribe, `{"op":"participant.update","name":"Kirjuri"}`, session.CodeForbidden},
		{"guest", m.guest, `{"op":"participant.update","name":"Vieras"}`, session.CodeForbidden},
		{"screen", m.screen, `{"op":"participant.update","name":"Näyttö"}`, session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.matti, cmdf(t, `{"op":"participant.update","name":"Matti M."}`), session.CodeClosed)
}

func TestRemoveParticipant(t *testing.T) {
	m := newMeeting(t)
	idea := m.idea(t, m.aino, "Kylätalolle lisää vuoroja")
	mustDo(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.matti.ID))

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID))
	if e.Data.(*session.ParticipantRemoved).Participant != m.aino.ID {
		t.Fatalf("event = %+v", e.Data)
	}
	p := m.tbl.Participants[m.aino.ID]
	if !p.Removed {
		t.Fatal("participant not marked removed")
	}
	if len(m.tbl.Queue) != 1 || m.tbl.Queue[0].Participant != m.liisa.ID {
		t.Fatalf("queue = %+v, want only Liisa left", m.tbl.Queue)
	}
	if m.tbl.Floor != m.matti.ID {
		t.Fatal("removing someone else took the floor away")
	}
	// What they wrote stays, but they can do nothing more.
	if m.tbl.Ideas[idea] == nil || m.tbl.Ideas[idea].Author != m.aino.ID {
		t.Fatal("the removed participant's idea is gone")
	}
	refuse(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Vielä yksi"}`, m.discuss), session.CodeRemoved)
	refuse(t, m, m.aino, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Muutettu"}`, idea), session.CodeRemoved)
	refuse(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`), session.CodeRemoved)
	refuse(t, m, m.aino, cmdf(t, `{"op":"participant.update","name":"Aino A."}`), session.CodeRemoved)
	if _, err := m.tbl.Authenticate(session.RoleParticipant, ainoToken); session.AsError(err).Code != session.CodeRemoved {
		t.Fatalf("removed participant authenticates: %v", err)
	}

	// Removing whoever has the floor ends the turn.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.matti.ID))
	if m.tbl.Floor != "" || !m.tbl.FloorSince.IsZero() {
		t.Fatalf("floor = %q since %v after removing the speaker", m.tbl.Floor, m.tbl.FloorSince)
	}

	refuse(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":"id-999"}`), session.CodeNoParticipant)
	refuse(t, m, m.fac, cmdf(t, `{"op":"participant.remove"}`), session.CodeNoParticipant)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.pekka.ID), session.CodeForbidden)
	if se := refuse(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID), session.CodeNoChange); se.Kind != session.KindInvalid {
		t.Fatalf("removing twice is %s, want invalid", se.Kind)
	}
}
