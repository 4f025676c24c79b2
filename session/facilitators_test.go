package session_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestCoFacilitator: a co-facilitator has a link and an identity of their
// own (their events carry their actor), facilitators see them and their
// link, nobody else does, and they can be removed without changing the
// table's secret.
func TestCoFacilitator(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"facilitator.add","name":"Riikka Rinnakkainen"}`))
	added := e.Data.(*session.FacilitatorAdded)
	token := m.tbl.CoFacilitatorToken(added.Facilitator.ID)
	if added.Token != token || token == "" {
		t.Fatalf("the event's token %q, the table's %q", added.Token, token)
	}
	who, err := m.tbl.Authenticate(session.RoleFacilitator, token)
	if err != nil || who.ID != added.Facilitator.ID {
		t.Fatalf("the co-facilitator's link: %+v %v", who, err)
	}
	if who.Actor() != "f:"+who.ID || m.fac.Actor() != "facilitator" {
		t.Fatalf("actors %q and %q", who.Actor(), m.fac.Actor())
	}
	// What they do is theirs.
	notes := mustDo(t, m, who, cmdf(t, `{"op":"item.notes","item":%q,"notes":"Sannan muistiinpanot"}`, m.discuss))
	if notes.Actor != "f:"+who.ID {
		t.Errorf("a co-facilitator's event has actor %q", notes.Actor)
	}
	// Facilitators see them and their link; nobody else learns of them.
	if v := m.tbl.ViewFor(m.fac); len(v.CoFacilitators) != 1 || v.CoFacilitators[0].Token != token || v.CoFacilitators[0].Name != "Riikka Rinnakkainen" {
		t.Errorf("the facilitator's view: %+v", v.CoFacilitators)
	}
	for _, w := range []session.Who{m.matti, m.scribe, m.screen} {
		b, _ := json.Marshal(m.tbl.ViewFor(w))
		pb, _ := json.Marshal(session.Project(e, session.AudienceOf(w, e)))
		if strings.Contains(string(b)+string(pb), "Riikka Rinnakkainen") || strings.Contains(string(b)+string(pb), token) {
			t.Errorf("the %s learns of the co-facilitator", w.Role)
		}
	}
	// A second one, added by the first; nobody removes themselves; the
	// creator's secret is no co-facilitator's.
	second := mustDo(t, m, who, cmdf(t, `{"op":"facilitator.add","name":"Jukka Järjestäjä"}`)).Data.(*session.FacilitatorAdded).Facilitator.ID
	refuse(t, m, who, cmdf(t, `{"op":"facilitator.remove","facilitator":%q}`, who.ID), session.CodeForbidden)
	refuse(t, m, m.fac, cmdf(t, `{"op":"facilitator.remove","facilitator":"facilitator"}`), session.CodeNoFacilitator)
	refused(t, m, m.matti, cmdf(t, `{"op":"facilitator.add","name":"Matti"}`))
	mustDo(t, m, session.Who{Role: session.RoleFacilitator, ID: second}, cmdf(t, `{"op":"facilitator.remove","facilitator":%q}`, who.ID))

	// Removed: the link stops working and what they send is refused; the
	// creator's secret is unchanged.
	if _, err := m.tbl.Authenticate(session.RoleFacilitator, token); session.AsError(err).Code != session.CodeRemoved {
		t.Errorf("a removed co-facilitator's link: %v", err)
	}
	refuse(t, m, who, cmdf(t, `{"op":"item.notes","item":%q,"notes":"x"}`, m.discuss), session.CodeRemoved)
	if _, err := m.tbl.Authenticate(session.RoleFacilitator, facSecret); err != nil {
		t.Errorf("the creator's secret after a removal: %v", err)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"facilitator.remove","facilitator":%q}`, who.ID), session.CodeNoFacilitator)
	if v := m.tbl.ViewFor(m.fac); len(v.CoFacilitators) != 2 || !v.CoFacilitators[0].Removed || v.CoFacilitators[0].Token != "" {
		t.Errorf("after removal the facilitator's view: %+v", v.CoFacilitators)
	}
	for range session.MaxFacilitators - 1 {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"facilitator.add","name":"Apuri"}`))
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"facilitator.add","name":"Yksi liikaa"}`), session.CodeTooMany)
}
