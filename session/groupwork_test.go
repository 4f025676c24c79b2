package session_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// groupWork starts group work on the discussion item with two new groups
// and the room group, and, unless placement places people itself, puts
// Matti and Liisa in the first group, Aino and Pekka in the second. It
// returns the groups: the two new ones, then the room group.
func (m *meeting) groupWork(t *testing.T, placement string, live bool, dots int) []string {
	t.Helper()
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"groups.start","item":%q,"groups":[{"name":"Ryhmä 1","topic":"Tilat"},{"name":"Ryhmä 2","topic":"Viestintä"}],"rooms":[%q],"placement":%q,"live":%t,"dots":%d}`,
		m.discuss, m.room, placement, live, dots))
	d := e.Data.(*session.GroupsStarted)
	g := []string{d.New[0].ID, d.New[1].ID, m.room}
	if placement == session.PlaceManual || placement == session.PlaceChoice {
		for who, grp := range map[session.Who]string{m.matti: g[0], m.liisa: g[0], m.aino: g[1], m.pekka: g[1]} {
			mustDo(t, m, m.fac, cmdf(t, `{"op":"group.move","participant":%q,"group":%q}`, who.ID, grp))
		}
	}
	return g
}

// sees says whether who's view of the table holds text anywhere.
func sees(t *testing.T, m *meeting, who session.Who, text string) bool {
	t.Helper()
	b, err := json.Marshal(m.tbl.ViewFor(who))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(b), text)
}

// TestMixedPlacementSpreadsSectors: mixed placement puts every sector in as
// many groups as it can, and groups differ in size by at most one.
func TestMixedPlacementSpreadsSectors(t *testing.T) {
	m := newMeeting(t)
	sectors := []string{"municipality", "association", "association", "resident", "business", "association", "municipality", "resident", "education"}
	for i, s := range sectors {
		m.join(t, fmt.Sprintf("Osallistuja %d", i), "", s, fmt.Sprintf("tok-mixed-%02d-0123456789abcdef", i))
	}
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"groups.start","item":%q,"groups":[{"name":"A"},{"name":"B"},{"name":"C"}],"placement":"mixed"}`, m.discuss))
	d := e.Data.(*session.GroupsStarted)
	size, bySector := map[string]int{}, map[string]map[string]int{}
	for p, g := range d.Members {
		s := m.tbl.Participants[p].Sector
		size[g]++
		if bySector[s] == nil {
			bySector[s] = map[string]int{}
		}
		bySector[s][g]++
	}
	if len(d.Members) != 13 {
		t.Fatalf("%d placed, want all 13", len(d.Members))
	}
	lo, hi := 99, 0
	for _, g := range d.Groups {
		lo, hi = min(lo, size[g]), max(hi, size[g])
	}
	if hi-lo > 1 {
		t.Errorf("group sizes %v", size)
	}
	for s, by := range bySector {
		total, most := 0, 0
		for _, n := range by {
			total += n
			most = max(most, n)
		}
		if want := (total + 2) / 3; most > want {
			t.Errorf("sector %s: %v, more than %d in one group", s, by, want)
		}
	}
	// Someone who joins now lands in the group with fewest of their sector.
	late := m.join(t, "Myöhäinen", "", "business", "tok-late-0123456789abcdef0123")
	if g := m.tbl.GroupOf(late); g == "" {
		t.Fatal("a late joiner was not placed")
	} else if by := bySector["business"]; by[g] > 0 && len(by) < 3 {
		t.Errorf("the late business joiner went to %s, where business already is: %v", g, by)
	}
}

// TestPrivateGroupContent: in a private group work a group's ideas, votes,
// reporter, summary, picks, help call and video reach only its members,
// its scribe and the facilitators; report-back brings the picked ideas to
// the plenary, labelled with the group, and every summary to everyone.
func TestPrivateGroupContent(t *testing.T) {
	m := newMeeting(t)
	g := m.groupWork(t, session.PlaceManual, false, 2)
	idea := m.idea(t, m.matti, "Ryhmän yksi salainen idea")
	m.idea(t, m.aino, "Ryhmän kaksi oma idea")
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":%q}`, idea))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"group.reporter","participant":%q}`, m.liisa.ID))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"group.summary","summary":"Ryhmä yksi: tilat kaikkien käyttöön"}`))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"group.pick","idea":%q,"picked":true}`, idea))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"group.help","help":true}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.video","group":%q,"link":"https://meet.example.fi/salainen-huone"}`, g[0]))
	for _, text := range []string{"salainen idea", "tilat kaikkien", "salainen-huone"} {
		for _, who := range []session.Who{m.fac, m.matti, m.liisa} {
			if !sees(t, m, who, text) {
				t.Errorf("%s %s does not see %q", who.Role, who.ID, text)
			}
		}
		for _, who := range []session.Who{m.aino, m.pekka, m.scribe, m.screen} {
			if sees(t, m, who, text) {
				t.Errorf("%s %s sees %q of another group", who.Role, who.ID, text)
			}
		}
	}
	// Outside the group, its events carry nothing.
	for _, e := range m.events[len(m.events)-8:] {
		if e.Type == "idea.added" && e.Data.(*session.IdeaAdded).Group != g[0] {
			continue // group 2's own
		}
		if session.ProjectFor(e, m.aino, m.tbl.GroupOf(m.aino)) != nil || session.ProjectFor(e, m.screen, "") != nil {
			t.Errorf("%s reaches someone outside the group", e.Type)
		}
	}
	// Refusals: another group's space, voting there, a non-member as reporter.
	refuse(t, m, m.aino, cmdf(t, `{"op":"vote.add","idea":%q}`, idea), session.CodeNotInGroup)
	refuse(t, m, m.aino, cmdf(t, `{"op":"group.summary","group":%q,"summary":"x"}`, g[0]), session.CodeNotInGroup)
	refuse(t, m, m.fac, cmdf(t, `{"op":"group.reporter","group":%q,"participant":%q}`, g[0], m.aino.ID), session.CodeNotInGroup)
	refuse(t, m, m.matti, cmdf(t, `{"op":"group.summary","summary":"en ole raportoija"}`), session.CodeNotReporter)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":%q}`, idea), session.CodeAlreadyVoted)

	// Report back.
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"groups.end"}`))
	ended := e.Data.(*session.GroupsEnded)
	if len(ended.Ideas) != 1 || ended.Ideas[0].Origin != idea || ended.Ideas[0].Group != g[0] {
		t.Fatalf("reported ideas: %+v", ended.Ideas)
	}
	for _, who := range []session.Who{m.aino, m.screen} {
		if !sees(t, m, who, "Ryhmän yksi salainen idea") || !sees(t, m, who, "tilat kaikkien") {
			t.Errorf("after report-back %s does not see group 1's proposal and summary", who.Role)
		}
	}
	// The groups' own ideas are a record now; the plenary works on the reported ones.
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Myöhästynyt muutos"}`, idea), session.CodeGroupEnded)
	refuse(t, m, m.fac, cmdf(t, `{"op":"group.move","participant":%q,"group":%q}`, m.aino.ID, g[0]), session.CodeGroupWork)
	refuse(t, m, m.fac, cmdf(t, `{"op":"groups.start","item":%q,"groups":[{"name":"A"},{"name":"B"}],"placement":"random"}`, m.discuss), session.CodeGroupWork)
	m.phase(t, m.discuss, session.PhaseVote)
	mustDo(t, m, m.pekka, cmdf(t, `{"op":"vote.add","idea":%q}`, ended.Ideas[0].ID))
	m.phase(t, m.discuss, session.PhaseActions)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.add","title":"Tilat auki","ideas":[%q]}`, ended.Ideas[0].ID))
}

// TestMovesAndChoice: a moved participant's old group's content leaves
// their view and the new one's comes; with placement "choice" people
// choose their own group; a removed participant leaves their group.
func TestMovesAndChoice(t *testing.T) {
	m := newMeeting(t)
	g := m.groupWork(t, session.PlaceChoice, false, 0)
	m.idea(t, m.matti, "Ykkösryhmän idea")
	m.idea(t, m.aino, "Kakkosryhmän idea")
	mustDo(t, m, m.matti, cmdf(t, `{"op":"group.move","group":%q}`, g[1]))
	if sees(t, m, m.matti, "Ykkösryhmän idea") || !sees(t, m, m.matti, "Kakkosryhmän idea") {
		t.Error("the one who moved still sees the old group's ideas or not the new one's")
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"group.move","participant":%q,"group":%q}`, m.liisa.ID, g[1]), session.CodeForbidden)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.aino.ID))
	if m.tbl.GroupOf(m.aino) != "" {
		t.Error("a removed participant is still in a group")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"group.move","participant":%q,"group":%q}`, m.aino.ID, g[0]), session.CodeNoParticipant)
}

// TestLiveGroupWork: in a live group work everyone sees every group's
// ideas as they come.
func TestLiveGroupWork(t *testing.T) {
	m := newMeeting(t)
	m.groupWork(t, session.PlaceManual, true, 0)
	m.idea(t, m.matti, "Kaikkien nähtävä idea")
	for _, who := range []session.Who{m.aino, m.screen, m.scribe} {
		if !sees(t, m, who, "Kaikkien nähtävä idea") {
			t.Errorf("%s does not see a live group's idea", who.Role)
		}
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"vote.add","idea":"x"}`), session.CodeForbidden)
}

// TestHundredGroups: an online table of a thousand splits into a hundred
// groups of ten (issue 13's size), and the hall can still add a room group
// afterwards: online groups do not count against the room groups' cap.
func TestHundredGroups(t *testing.T) {
	m := newMeeting(t)
	for i := range 100 {
		m.join(t, fmt.Sprintf("Osallistuja %d", i), "", "resident", fmt.Sprintf("tok-hundred-%03d-0123456789abcdef", i))
	}
	var groups []string
	for i := range 100 {
		groups = append(groups, fmt.Sprintf(`{"name":"Ryhmä %d"}`, i+1))
	}
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"groups.start","item":%q,"groups":[%s],"placement":"random"}`, m.discuss, strings.Join(groups, ",")))
	if d := e.Data.(*session.GroupsStarted); len(d.New) != 100 {
		t.Fatalf("%d groups made, want 100", len(d.New))
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"groups.end"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Salin pöytä 2"}`))
}
