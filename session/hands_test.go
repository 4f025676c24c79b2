package session_test

import (
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

func queueOrder(tbl *session.Table) string {
	var ids []string
	for _, h := range tbl.Queue {
		ids = append(ids, h.Participant)
	}
	return strings.Join(ids, ",")
}

func TestSpeakingQueue(t *testing.T) {
	m := newMeeting(t)
	raisedAt := m.clock.now
	e := mustDo(t, m, m.matti, cmdf(t, `{"id":"h1","op":"hand.raise"}`))
	if d := e.Data.(*session.HandChanged); d.Participant != m.matti.ID || !d.Raised || !d.At.Equal(raisedAt) {
		t.Fatalf("raise event = %+v", d)
	}
	m.clock.advance(time.Second)
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.raise"}`))
	m.clock.advance(time.Second)
	mustDo(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`))
	if got, want := queueOrder(m.tbl), strings.Join([]string{m.matti.ID, m.liisa.ID, m.aino.ID}, ","); got != want {
		t.Fatalf("queue = %s, want %s", got, want)
	}
	if !m.tbl.Queue[0].At.Equal(raisedAt) {
		t.Fatalf("hand raised at %v, want %v", m.tbl.Queue[0].At, raisedAt)
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`), session.CodeInQueue)

	// Lower one's own hand, with or without naming oneself.
	e = mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.lower"}`))
	if d := e.Data.(*session.HandChanged); d.Participant != m.liisa.ID || d.Raised {
		t.Fatalf("lower event = %+v", d)
	}
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.lower","participant":%q}`, m.liisa.ID))
	refuse(t, m, m.liisa, cmdf(t, `{"op":"hand.lower"}`), session.CodeNotInQueue)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"hand.lower","participant":%q}`, m.matti.ID), session.CodeNotOwner)

	// The facilitator lowers anyone's.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"hand.lower","participant":%q}`, m.aino.ID))
	if got := queueOrder(m.tbl); got != m.matti.ID {
		t.Fatalf("queue = %s, want only Matti", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"hand.lower","participant":%q}`, m.aino.ID), session.CodeNotInQueue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"hand.lower"}`), session.CodeNotInQueue)

	// Giving the floor takes the speaker out of the queue.
	mustDo(t, m, m.pekka, cmdf(t, `{"op":"hand.raise"}`))
	m.clock.advance(time.Minute)
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.matti.ID))
	if d := e.Data.(*session.FloorGiven); d.Participant != m.matti.ID || !d.At.Equal(m.clock.now) {
		t.Fatalf("floor event = %+v", d)
	}
	if m.tbl.Floor != m.matti.ID || !m.tbl.FloorSince.Equal(m.clock.now) || queueOrder(m.tbl) != m.pekka.ID {
		t.Fatalf("floor %q since %v queue %s", m.tbl.Floor, m.tbl.FloorSince, queueOrder(m.tbl))
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.matti.ID), session.CodeNoChange)
	// Someone not in the queue may get the floor too.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.liisa.ID))
	if m.tbl.Floor != m.liisa.ID || queueOrder(m.tbl) != m.pekka.ID {
		t.Fatalf("floor %q queue %s", m.tbl.Floor, queueOrder(m.tbl))
	}
	// An empty participant ends the turn.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":""}`))
	if m.tbl.Floor != "" || !m.tbl.FloorSince.IsZero() {
		t.Fatalf("floor %q since %v after ending the turn", m.tbl.Floor, m.tbl.FloorSince)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"floor.give"}`), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":"id-999"}`), session.CodeNoParticipant)

	// Clearing lowers every hand.
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"queue.clear"}`))
	if e.Type != "queue.cleared" || len(m.tbl.Queue) != 0 {
		t.Fatalf("queue after clear = %v", m.tbl.Queue)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"queue.clear"}`), session.CodeNoChange)

	// A removed participant's hand is lowered and cannot get the floor.
	mustDo(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID))
	if got := queueOrder(m.tbl); got != m.matti.ID {
		t.Fatalf("queue after removal = %s", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.aino.ID), session.CodeNoParticipant)
	refuse(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`), session.CodeRemoved)
}

func TestSpeakingQueueRoles(t *testing.T) {
	m := newMeeting(t)
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	tests := []struct {
		name string
		who  session.Who
		msg  string
		code string
	}{
		{"facilitator raises", m.fac, `{"op":"hand.raise"}`, session.CodeForbidden},
		{"scribe raises", m.scribe, `{"op":"hand.raise"}`, session.CodeForbidden},
		{"guest raises", m.guest, `{"op":"hand.raise"}`, session.CodeForbidden},
		{"scribe lowers", m.scribe, `{"op":"hand.lower","participant":"` + m.matti.ID + `"}`, session.CodeForbidden},
		{"guest lowers", m.guest, `{"op":"hand.lower","participant":"` + m.matti.ID + `"}`, session.CodeForbidden},
		{"participant gives floor", m.liisa, `{"op":"floor.give","participant":"` + m.liisa.ID + `"}`, session.CodeForbidden},
		{"participant clears", m.liisa, `{"op":"queue.clear"}`, session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	// The queue survives a lock; lowering one's hand is still possible.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.lower"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.fac, cmdf(t, `{"op":"hand.lower","participant":%q}`, m.matti.ID), session.CodeClosed)
	refuse(t, m, m.fac, cmdf(t, `{"op":"queue.clear"}`), session.CodeClosed)
}
