package session_test

import (
	"fmt"
	"testing"

	"github.com/poyta/poyta/session"
)

func TestGroups(t *testing.T) {
	m := newMeeting(t)
	if len(m.tbl.Groups) != 1 || m.tbl.Groups[0].Name != "Sali, pöytä 2" || m.tbl.Groups[0].Removed {
		t.Fatalf("groups = %+v", m.tbl.Groups)
	}
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":" Sali, pöytä 3 "}`))
	g3 := e.Data.(*session.GroupAdded).Group
	if g3.Name != "Sali, pöytä 3" || len(m.tbl.Groups) != 2 || m.tbl.Groups[1].ID != g3.ID {
		t.Fatalf("groups = %+v", m.tbl.Groups)
	}
	idea := m.idea(t, m.scribe, "Kyläkoulun tilat iltaisin")

	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.rename","group":%q,"name":"Sali, eturivi"}`, m.room))
	if m.tbl.Groups[0].Name != "Sali, eturivi" {
		t.Fatalf("renamed group = %+v", m.tbl.Groups[0])
	}
	if m.ideaByID(t, idea).Group != m.room {
		t.Fatal("the group's idea lost its label")
	}

	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.remove","group":%q}`, m.room))
	if !m.tbl.Groups[0].Removed || m.ideaByID(t, idea).Group != m.room {
		t.Fatal("group not removed, or its ideas lost their label")
	}
	// The scribe link ends.
	refuse(t, m, m.scribe, cmdf(t, `{"op":"idea.add","item":%q,"text":"x"}`, m.discuss), session.CodeRemoved)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"x"}`, idea), session.CodeRemoved)

	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"add name missing", `{"op":"group.add","name":""}`, session.CodeMissingField},
		{"add name too long", fmt.Sprintf(`{"op":"group.add","name":%q}`, umlauts(session.MaxGroupName+1)), session.CodeTooLong},
		{"add name two lines", `{"op":"group.add","name":"Sali\n3"}`, session.CodeInvalidText},
		{"rename removed", fmt.Sprintf(`{"op":"group.rename","group":%q,"name":"Uusi"}`, m.room), session.CodeNoGroup},
		{"rename unknown", `{"op":"group.rename","group":"id-999","name":"Uusi"}`, session.CodeNoGroup},
		{"rename same", fmt.Sprintf(`{"op":"group.rename","group":%q,"name":"Sali, pöytä 3"}`, g3.ID), session.CodeNoChange},
		{"rename empty", fmt.Sprintf(`{"op":"group.rename","group":%q,"name":" "}`, g3.ID), session.CodeMissingField},
		{"rename too long", fmt.Sprintf(`{"op":"group.rename","group":%q,"name":%q}`, g3.ID, umlauts(session.MaxGroupName+1)), session.CodeTooLong},
		{"remove removed", fmt.Sprintf(`{"op":"group.remove","group":%q}`, m.room), session.CodeNoGroup},
		{"remove unknown", `{"op":"group.remove","group":"id-999"}`, session.CodeNoGroup},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":%q}`, umlauts(session.MaxGroupName)))

	// The cap counts removed groups too.
	for len(m.tbl.Groups) < session.MaxGroups {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Pöytä %d"}`, len(m.tbl.Groups)+1))
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Yksi liikaa"}`), session.CodeTooMany)
}

func TestRecordDots(t *testing.T) {
	m, ideas := votingMeeting(t)
	other := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 3"}`)).Data.(*session.GroupAdded).Group.ID
	m.vote(t, m.matti, ideas[0])

	e := mustDo(t, m, m.scribe, cmdf(t, `{"id":"r1","op":"room.dots","idea":%q,"dots":7}`, ideas[0]))
	d := e.Data.(*session.RoomDotsRecorded)
	if d.Group != m.room || d.Dots != 7 || d.Cast != 8 || d.Item != m.discuss || e.Actor != "scribe:"+m.room {
		t.Fatalf("room.dots event = %+v by %q", d, e.Actor)
	}
	i := m.ideaByID(t, ideas[0])
	if i.RoomDots[m.room] != 7 || i.Votes != 1 || i.Total() != 8 || m.item(t, m.discuss).Cast != 8 {
		t.Fatalf("idea = votes %d room %v total %d", i.Votes, i.RoomDots, i.Total())
	}

	// Recording again corrects the count; it does not add.
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":5}`, ideas[0], m.room))
	if i.RoomDots[m.room] != 5 || i.Total() != 6 || m.item(t, m.discuss).Cast != 6 {
		t.Fatalf("after correcting: room %v total %d cast %d", i.RoomDots, i.Total(), m.item(t, m.discuss).Cast)
	}

	// The facilitator records for a given group.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":2}`, ideas[0], other))
	if i.RoomDots[other] != 2 || i.Total() != 8 {
		t.Fatalf("room dots = %v", i.RoomDots)
	}
	res := m.tbl.Results(m.discuss)
	if res[0].Idea != ideas[0] || res[0].Total != 8 || res[0].RoomDots[m.room] != 5 || res[0].RoomDots[other] != 2 {
		t.Fatalf("results = %+v", res[0])
	}

	// Zero removes the group's count.
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":0}`, ideas[0]))
	if _, ok := i.RoomDots[m.room]; ok || i.Total() != 3 || m.item(t, m.discuss).Cast != 3 {
		t.Fatalf("after zero: room %v total %d", i.RoomDots, i.Total())
	}
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":%d}`, ideas[1], session.MaxRoomDots))

	dots := func(format string, args ...any) session.Command { return cmdf(t, format, args...) }
	tests := []struct {
		name string
		who  session.Who
		cmd  session.Command
		code string
	}{
		{"unknown idea", m.scribe, dots(`{"op":"room.dots","idea":"id-999","dots":1}`), session.CodeNoIdea},
		{"scribe for another group", m.scribe, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, ideas[2], other), session.CodeForbidden},
		{"same count", m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":%d}`, ideas[1], session.MaxRoomDots), session.CodeNoChange},
		{"zero when none", m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":0}`, ideas[2]), session.CodeNoChange},
		{"negative", m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":-1}`, ideas[2]), session.CodeInvalidValue},
		{"too many", m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":%d}`, ideas[2], session.MaxRoomDots+1), session.CodeInvalidValue},
		{"facilitator without group", m.fac, dots(`{"op":"room.dots","idea":%q,"dots":1}`, ideas[2]), session.CodeNoGroup},
		{"facilitator unknown group", m.fac, dots(`{"op":"room.dots","idea":%q,"group":"id-999","dots":1}`, ideas[2]), session.CodeNoGroup},
		{"participant", m.matti, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, ideas[2], m.room), session.CodeForbidden},
		{"guest", m.guest, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, ideas[2], m.room), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, tc.cmd, tc.code)
		})
	}

	// Hidden ideas take no dots.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, ideas[3]))
	refuse(t, m, m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":1}`, ideas[3]), session.CodeIdeaHidden)
	refuse(t, m, m.fac, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, ideas[3], m.room), session.CodeIdeaHidden)

	// A scribe records only in the vote phase of the open item; the
	// facilitator corrects counts at any time.
	m.phase(t, m.discuss, session.PhaseActions)
	refuse(t, m, m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":4}`, ideas[2]), session.CodeWrongPhase)
	mustDo(t, m, m.fac, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":4}`, ideas[2], m.room))
	m.phase(t, m.discuss, session.PhaseVote)
	m.open(t, m.steps)
	refuse(t, m, m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":6}`, ideas[2]), session.CodeNotCurrent)
	m.open(t, m.discuss)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	refuse(t, m, m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":6}`, ideas[2]), session.CodeLocked)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))

	// A removed group's scribe is refused; the facilitator can no longer record for it either.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.remove","group":%q}`, m.room))
	refuse(t, m, m.scribe, dots(`{"op":"room.dots","idea":%q,"dots":6}`, ideas[2]), session.CodeRemoved)
	refuse(t, m, m.fac, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":6}`, ideas[2], m.room), session.CodeNoGroup)
	// What the group recorded still counts.
	if m.ideaByID(t, ideas[2]).RoomDots[m.room] != 4 {
		t.Fatal("the removed group's dots are gone")
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.fac, dots(`{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, ideas[2], other), session.CodeClosed)
}
