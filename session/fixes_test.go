package session_test

import (
	"fmt"
	"testing"

	"github.com/poyta/poyta/session"
)

// An edit that sets every field to what it already is changes nothing and
// is refused, so the log only holds real changes.
func TestEditsThatChangeNothingAreRefused(t *testing.T) {
	m := newMeeting(t)
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.edit","title":%q,"dots":3,"allowAnonymous":true}`, demoTitle), session.CodeNoChange)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","title":%q,"theme":"Uusi teema"}`, demoTitle))
	d := e.Data.(*session.TableEdited)
	if d.Title != nil || d.Theme == nil || *d.Theme != "Uusi teema" {
		t.Fatalf("edited fields: title %v, theme %v; only the theme changed", d.Title, d.Theme)
	}
	it := m.item(t, m.discuss)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"title":%q,"question":%q}`, m.discuss, it.Title, it.Question), session.CodeNoChange)
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"title":%q,"timebox":45}`, m.discuss, it.Title))
	if d := e.Data.(*session.ItemEdited); d.Title != nil || d.Timebox == nil || *d.Timebox != 45 {
		t.Fatalf("item edit carries %+v; only the time box changed", d)
	}
	a := m.action(t, `{"op":"action.add","title":"Tilavarausohjeet","due":"2025-05-31"}`)
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"title":"Tilavarausohjeet","status":"open"}`, a), session.CodeNoChange)
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"title":"Tilavarausohjeet","status":"done"}`, a))
	if d := e.Data.(*session.ActionEdited); d.Title != nil || d.Status == nil {
		t.Fatalf("action edit carries %+v; only the status changed", d)
	}
}

// A guest (someone not yet joined) may only join: anything else is
// forbidden, whatever it names.
func TestGuestMayOnlyJoin(t *testing.T) {
	m := newMeeting(t)
	for _, msg := range []string{
		`{"op":"idea.add","item":"no-such-item","text":"x"}`,
		`{"op":"vote.add","idea":"no-such-idea"}`,
		`{"op":"hand.raise"}`,
		fmt.Sprintf(`{"op":"idea.add","item":%q,"text":"x"}`, m.discuss),
	} {
		refuse(t, m, m.guest, cmdf(t, "%s", msg), session.CodeForbidden)
	}
}

// The scribe of a room group sees the group's count whole even when the
// facilitator recorded it, as its snapshot view does (in myVotes).
func TestScribeSeesDotsRecordedForItsGroup(t *testing.T) {
	m := newMeeting(t)
	idea := m.idea(t, m.matti, "Kylätalot yhteiskäyttöön")
	m.phase(t, m.discuss, session.PhaseVote)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":7}`, idea, m.room))
	if got := session.AudienceOf(m.scribe, e); got != session.AudienceSelf {
		t.Fatalf("the group's scribe gets audience %v, want self", got)
	}
	d := session.Project(e, session.AudienceOf(m.scribe, e)).(*session.RoomDotsRecorded)
	if d.Idea != idea || d.Dots != 7 {
		t.Fatalf("the scribe sees %+v", d)
	}
	if pub := session.Project(e, session.AudienceOf(m.matti, e)).(*session.RoomDotsRecorded); pub.Idea != "" || pub.Dots != 0 {
		t.Fatalf("a participant sees the count before the reveal: %+v", pub)
	}
	if v := m.tbl.ViewFor(m.scribe); v.MyVotes[m.discuss][idea] != 7 {
		t.Fatalf("the scribe's own counts are %v", v.MyVotes)
	}
}
