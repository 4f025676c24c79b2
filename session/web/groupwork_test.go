package web

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestGroupWorkOverTheWire: a private group's idea, vote and summary reach
// its members and the facilitator over their websockets and nothing of
// them another group's member or the room screen, neither live nor on
// resume; the report-back reaches everyone; a member who reconnects lands
// in their group.
func TestGroupWorkOverTheWire(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	pm := ts.join(tbl.Code, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	pl := ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})
	matti := ts.connect("matti", tbl.ID, session.RoleParticipant, pm.Token, 0)
	liisa := ts.connect("liisa", tbl.ID, session.RoleParticipant, pl.Token, 0)
	screen := ts.connect("screen", tbl.ID, session.RoleScreen, v.ScreenToken, 0)

	fac.must("groups.start", map[string]any{"item": item, "groups": []map[string]any{{"name": "Ryhmä 1"}, {"name": "Ryhmä 2"}},
		"placement": "manual", "dots": 2})
	var started session.GroupsStarted
	fac.event("groups.started", &started)
	g1, g2 := started.New[0].ID, started.New[1].ID
	fac.must("group.move", map[string]any{"participant": pm.Participant, "group": g1})
	fac.must("group.move", map[string]any{"participant": pl.Participant, "group": g2})
	idea := matti.must("idea.add", map[string]any{"item": item, "text": "Salainen ryhmäidea"})
	var got session.IdeaAdded
	matti.event("idea.added", &got)
	if got.Text != "Salainen ryhmäidea" || !got.Private || got.Group != g1 {
		t.Fatalf("the member got %+v", got)
	}
	matti.must("group.reporter", map[string]any{"participant": pm.Participant})
	matti.must("group.summary", map[string]any{"summary": "Ryhmän yksi yhteenveto"})
	last := liisa.must("idea.add", map[string]any{"item": item, "text": "Liisan oma ryhmäidea"})
	fac.waitSeq(last)
	marker := fac.must("groups.broadcast", map[string]any{"text": "Jatketaan"})
	// The others are sent nothing of group 1: Liisa gets her own group's
	// idea, the screen neither group's.
	for _, c := range []*wsClient{liisa, screen} {
		sawOwn := false
		for {
			m := c.expectFunc("event", func(map[string]json.RawMessage) bool { return true })
			if b, _ := json.Marshal(m); strings.Contains(string(b), "Salainen") || strings.Contains(string(b), "yhteenveto") {
				t.Fatalf("%s was sent group 1's content: %s", c.name, b)
			}
			var seq int64
			json.Unmarshal(m["seq"], &seq)
			if seq == idea {
				t.Fatalf("%s was sent seq %d, group 1's idea", c.name, seq)
			}
			sawOwn = sawOwn || seq == last
			if seq == marker {
				break
			}
		}
		if sawOwn != (c == liisa) {
			t.Errorf("%s was sent group 2's idea: %v", c.name, sawOwn)
		}
	}
	// On resume too: from before group 1's idea, Liisa is sent what she
	// missed of her own, and nothing of group 1.
	liisa.conn.Close()
	back := ts.connect("liisa-back", tbl.ID, session.RoleParticipant, pl.Token, idea-1)
	fac.must("groups.broadcast", map[string]any{"text": "Kaksi minuuttia"})
	for {
		m := back.expectFunc("event", func(map[string]json.RawMessage) bool { return true })
		if b, _ := json.Marshal(m); strings.Contains(string(b), "Salainen") || strings.Contains(string(b), "yhteenveto") {
			t.Fatalf("on resume Liisa was sent group 1's content: %s", b)
		}
		if str(m["event"]) == "groups.broadcast" {
			break
		}
	}
	// Report back: group 1's summary becomes everyone's.
	fac.must("groups.end", nil)
	var ended session.GroupsEnded
	screen.event("groups.ended", &ended)
	if len(ended.Reports) != 2 || ended.Reports[0].Summary != "Ryhmän yksi yhteenveto" {
		t.Fatalf("the screen got the report-back %+v", ended)
	}
}
