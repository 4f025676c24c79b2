package session_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// moderated is the demo meeting with pre-moderation on.
func moderated(t *testing.T) *meeting {
	t.Helper()
	m := newMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","moderated":true}`))
	return m
}

// TestModeratedIdeaWaits: at a moderated table a participant's idea
// reaches only facilitators and its author, marked waiting; nobody else's
// view, the room screen's included, holds it or its text, until a
// facilitator approves it.
func TestModeratedIdeaWaits(t *testing.T) {
	m := moderated(t)
	id := m.idea(t, m.matti, "Kaikki kokoukset lauantaisin kello kuusi aamulla")
	if !m.ideaByID(t, id).Pending {
		t.Fatal("a participant's idea at a moderated table does not wait for review")
	}
	has := func(who session.Who) (bool, bool) {
		v := m.tbl.ViewFor(who)
		for _, i := range v.Ideas {
			if i.ID == id {
				return true, i.Pending
			}
		}
		b, _ := json.Marshal(v)
		if strings.Contains(string(b), "lauantaisin") {
			t.Fatalf("the %s view holds the waiting idea's text without the idea", who.Role)
		}
		return false, false
	}
	for _, c := range []struct {
		name string
		who  session.Who
		sees bool
	}{{"facilitator", m.fac, true}, {"author", m.matti, true}, {"another participant", m.liisa, false},
		{"scribe", m.scribe, false}, {"room screen", m.screen, false}} {
		if got, pending := has(c.who); got != c.sees || got && !pending {
			t.Errorf("%s: has the idea %v (pending %v), want %v", c.name, got, pending, c.sees)
		}
	}
	// Its event is the same: others get nothing of it.
	e := m.events[len(m.events)-1]
	pub := session.Project(e, session.AudiencePublic).(*session.IdeaAdded)
	if pub.Idea != "" || pub.Text != "" || pub.Author != "" || pub.Profile != nil || !pub.Pending {
		t.Errorf("the public shape of a waiting idea: %+v", pub)
	}
	if session.AudienceOf(m.matti, e) != session.AudienceSelf {
		t.Error("the author does not get the waiting idea as their own")
	}

	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.approve","idea":%q}`, id))
	if m.ideaByID(t, id).Pending {
		t.Fatal("approved, the idea still waits")
	}
	if got, _ := has(m.screen); !got {
		t.Fatal("the room screen does not get the approved idea")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.approve","idea":%q}`, id), session.CodeNoChange)
}

// TestModerationRules: what a waiting idea cannot do yet, what its author
// still can, and hiding as the other way to review it.
func TestModerationRules(t *testing.T) {
	m := moderated(t)
	waiting := m.idea(t, m.matti, "Odottava idea")
	approved := m.idea(t, m.liisa, "Hyväksytty idea")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.approve","idea":%q}`, approved))

	// The author may still edit or withdraw a waiting idea, and its new
	// text goes to the same few.
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Odottava idea, korjattu"}`, waiting))
	if p := session.Project(e, session.AudiencePublic).(*session.IdeaEdited); p.Text != "" || p.Author != "" {
		t.Errorf("the public gets the new text of a waiting idea: %+v", p)
	}
	if session.AudienceOf(m.matti, e) != session.AudienceSelf {
		t.Error("the author does not get the new text of their waiting idea")
	}
	// Once approved, only a facilitator changes it.
	refuse(t, m, m.liisa, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Muutettu"}`, approved), session.CodeIdeaApproved)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"idea.delete","idea":%q}`, approved), session.CodeIdeaApproved)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Fasilitaattori muutti"}`, approved))
	// Scribes' and facilitators' ideas do not wait.
	if m.ideaByID(t, m.idea(t, m.scribe, "Salin idea")).Pending || m.ideaByID(t, m.idea(t, m.fac, "Fasilitaattorin idea")).Pending {
		t.Error("a scribe's or a facilitator's idea waits for review")
	}

	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, waiting, approved), session.CodeIdeaPending)
	refuse(t, m, m.fac, cmdf(t, `{"op":"action.add","title":"Toimenpide","ideas":[%q]}`, waiting), session.CodeIdeaPending)
	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.aino, cmdf(t, `{"op":"vote.add","idea":%q}`, waiting), session.CodeIdeaPending)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":3}`, waiting), session.CodeIdeaPending)

	// Hiding is a review too: the idea waits no more, and unhiding shows it.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, waiting))
	if m.ideaByID(t, waiting).Pending {
		t.Error("a hidden idea still waits for review")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.approve","idea":%q}`, waiting), session.CodeNoChange)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, waiting))
	found := false
	for _, i := range m.tbl.ViewFor(m.aino).Ideas {
		found = found || i.ID == waiting
	}
	if !found {
		t.Error("an idea hidden while waiting and then unhidden does not reach everyone")
	}

	// Only facilitators approve.
	m.phase(t, m.discuss, session.PhaseCollect)
	other := m.idea(t, m.pekka, "Toinen odottava")
	for _, who := range []session.Who{m.pekka, m.liisa, m.scribe, m.screen} {
		refused(t, m, who, cmdf(t, `{"op":"idea.approve","idea":%q}`, other))
	}
	// Turning moderation off leaves waiting ideas waiting, and new ones do not wait.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","moderated":false}`))
	if !m.ideaByID(t, other).Pending {
		t.Error("turning moderation off approved a waiting idea")
	}
	if m.ideaByID(t, m.idea(t, m.pekka, "Vapaasti")).Pending {
		t.Error("an idea added after moderation was turned off waits")
	}
}
