package session_test

import (
	"errors"
	"testing"

	"github.com/poyta/poyta/session"
)

// FuzzParseAndDecide feeds arbitrary client messages through ParseCommand
// and, when they parse, through Decide for every role. Nothing may panic,
// and every refusal must be a *session.Error with a code.
func FuzzParseAndDecide(f *testing.F) {
	for _, seed := range []string{
		`{"id":"c1","op":"idea.add","item":"id-2","text":"Liikuntapaikat maksutta"}`,
		`{"id":"c2","op":"idea.add","item":"id-2","text":"Nuorten ääni","anonymous":true}`,
		`{"id":"c3","op":"vote.add","idea":"id-10"}`,
		`{"id":"c4","op":"vote.remove","idea":"id-9"}`,
		`{"id":"c5","op":"room.dots","idea":"id-10","group":"id-8","dots":7}`,
		`{"id":"c6","op":"idea.merge","idea":"id-10","into":"id-9"}`,
		`{"id":"c7","op":"action.add","title":"Kalenteri","ideas":["id-9"],"owners":[{"org":"Ähtärin kaupunki"}],"volunteer":true}`,
		`{"id":"c8","op":"action.volunteer","action":"id-12","org":true}`,
		`{"id":"c9","op":"timer.start","item":"id-2","seconds":300}`,
		`{"id":"c10","op":"item.move","item":"id-1","index":-1}`,
		`{"id":"c11","op":"table.edit","dots":0,"facilitators":[""]}`,
		`{"id":"c12","op":"floor.give","participant":"id-4"}`,
		`{"id":"c13","op":"hand.lower","participant":"id-6"}`,
		`{"id":"c14","op":"item.remove","item":"id-3"}`,
		`{"id":"c15","op":"idea.delete","idea":"id-11"}`,
		`{"id":"c16","op":"group.remove","group":"id-8"}`,
		`{"op":"table.close"}`,
		`{"op":"vote.add","idea":"id-9","delta":5}`,
		`{"op":"idea.add","text":"\u0000"}`,
		`{"op":`,
		`[]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		_, _, cmd, err := session.ParseCommand(msg)
		if err != nil {
			var se *session.Error
			if !errors.As(err, &se) || se.Code == "" {
				t.Fatalf("ParseCommand error %v is not a coded *session.Error", err)
			}
			return
		}
		m := fuzzMeeting(t)
		for _, who := range []session.Who{m.fac, m.matti, m.aino, m.scribe, m.screen, m.guest} {
			e, err := session.Decide(m.tbl, who, cmd, m.clock.env())
			if err != nil {
				var se *session.Error
				if !errors.As(err, &se) || se.Code == "" || se.Kind == "" {
					t.Fatalf("Decide as %s: error %v is not a coded *session.Error", who.Role, err)
				}
				continue
			}
			if e.Data == nil || e.Type == "" {
				t.Fatalf("Decide as %s: event without data: %+v", who.Role, e)
			}
			e.Seq = m.tbl.Seq + 1
			m.tbl.Apply(e)
			// Whatever happened must survive the log.
			if _, err := session.EncodeData(e); err != nil {
				t.Fatalf("EncodeData(%s): %v", e.Type, err)
			}
			m.tbl.ViewFor(who)
			session.Project(e, session.AudienceOf(who, e))
		}
	})
}

// fuzzMeeting is the demo table with ideas, votes, room dots and an action
// on the discussion item, which is in the vote phase. Its ids are those the
// seeds use: items id-1…id-3, Matti id-4, Aino id-6, the room group id-8,
// ideas id-9 (Matti's), id-10 (Aino's), id-11 (the group's), action id-12.
func fuzzMeeting(t *testing.T) *meeting {
	t.Helper()
	m := newMeeting(t)
	a := m.idea(t, m.matti, "Liikuntapaikat maksutta")
	b := m.idea(t, m.aino, "Nuorten ääni kuuluviin")
	m.idea(t, m.scribe, "Kyläkoulun tilat")
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.matti, a)
	m.vote(t, m.aino, b)
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":3}`, a))
	act := m.action(t, `{"op":"action.add","item":%q,"title":"Kalenteri","ideas":[%q]}`, m.discuss, a)
	mustDo(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`))
	if a != "id-9" || b != "id-10" || act != "id-12" || m.room != "id-8" || m.matti.ID != "id-4" || m.aino.ID != "id-6" {
		t.Fatalf("fuzz seeds name ids that changed: ideas %s %s action %s group %s", a, b, act, m.room)
	}
	return m
}
