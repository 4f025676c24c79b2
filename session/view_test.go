package session_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return b
}

// secrets are strings that must never reach a client of the demo meeting.
func secrets(m *meeting) []string {
	return []string{
		facSecret, session.HashSecret(facSecret), m.tbl.FacilitatorHash,
		base64.StdEncoding.EncodeToString(demoKey), base64.RawURLEncoding.EncodeToString(demoKey),
		mattiToken, liisaToken, ainoToken, pekkaToken,
		session.HashSecret(mattiToken), session.HashSecret(liisaToken), session.HashSecret(ainoToken), session.HashSecret(pekkaToken),
	}
}

func assertNoSecrets(t *testing.T, what string, b []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && bytes.Contains(b, []byte(s)) {
			t.Errorf("%s contains the secret %q:\n%s", what, s, b)
		}
	}
}

func TestProjectTableCreated(t *testing.T) {
	m := newMeeting(t)
	e := m.events[0]
	for _, aud := range []session.Audience{session.AudiencePublic, session.AudienceFacilitator, session.AudienceSelf} {
		d := session.Project(e, aud).(*session.TableCreated)
		if d.Key != nil || d.FacilitatorHash != "" {
			t.Fatalf("audience %d: projection carries key %x or hash %q", aud, d.Key, d.FacilitatorHash)
		}
		if d.Title != demoTitle || len(d.Items) != 3 {
			t.Fatalf("audience %d: projection lost the table: %+v", aud, d)
		}
		// Facilitators fold the screen token into their view; nobody else gets it.
		want := ""
		if aud == session.AudienceFacilitator {
			want = m.tbl.ScreenToken()
		}
		if d.ScreenToken != want {
			t.Fatalf("audience %d: screen token %q, want %q", aud, d.ScreenToken, want)
		}
		b := mustJSON(t, d)
		assertNoSecrets(t, "projected table.created", b, secrets(m)...)
		if bytes.Contains(b, []byte(`"key"`)) || bytes.Contains(b, []byte(`"facilitatorHash"`)) {
			t.Errorf("projected table.created has secret fields: %s", b)
		}
	}
	// The stored event keeps its secrets: projecting copies.
	if d := e.Data.(*session.TableCreated); d.FacilitatorHash == "" || d.Key == nil {
		t.Fatal("Project changed the event in the log")
	}
	stored := mustJSON(t, e.Data)
	if !bytes.Contains(stored, []byte(m.tbl.FacilitatorHash)) {
		t.Fatal("the stored event lost the facilitator hash; the table could not be rebuilt")
	}
}

func TestProjectParticipantJoined(t *testing.T) {
	m := newMeeting(t)
	var joined session.Event
	for _, e := range m.events {
		if d, ok := e.Data.(*session.ParticipantJoined); ok && d.ID == m.matti.ID {
			joined = e
		}
	}
	if session.SelfActor(joined) != m.matti.Actor() {
		t.Fatalf("the joiner is not the event's self: %q", session.SelfActor(joined))
	}
	for _, aud := range []session.Audience{session.AudiencePublic, session.AudienceFacilitator, session.AudienceSelf} {
		d := session.Project(joined, aud).(*session.ParticipantJoined)
		// Others learn only that someone joined, and from which sector.
		wantName := aud != session.AudiencePublic
		if d.TokenHash != "" || (d.Name == "Matti Meikäläinen") != wantName || (d.Org == "Ähtärin Urheilijat ry") != wantName || d.Sector != "association" {
			t.Fatalf("audience %d: %+v", aud, d)
		}
		b := mustJSON(t, d)
		assertNoSecrets(t, "projected participant.joined", b, secrets(m)...)
		if bytes.Contains(b, []byte("tokenHash")) {
			t.Errorf("projection has a tokenHash field: %s", b)
		}
	}
	if joined.Data.(*session.ParticipantJoined).TokenHash != session.HashSecret(mattiToken) {
		t.Fatal("Project changed the event in the log")
	}
}

func TestProjectAnonymousIdea(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Nuorten ääni kuuluviin","anonymous":true}`, m.discuss))
	if got := session.SelfActor(e); got != "p:"+m.aino.ID {
		t.Fatalf("SelfActor = %q, want the author", got)
	}
	audiences := []struct {
		who  session.Who
		want session.Audience
	}{
		{m.aino, session.AudienceSelf},
		{m.matti, session.AudiencePublic},
		{m.fac, session.AudienceFacilitator},
		{m.screen, session.AudiencePublic},
		{m.scribe, session.AudiencePublic},
	}
	for _, a := range audiences {
		if got := session.AudienceOf(a.who, e); got != a.want {
			t.Errorf("AudienceOf(%s %s) = %d, want %d", a.who.Role, a.who.ID, got, a.want)
		}
	}
	for _, aud := range []session.Audience{session.AudiencePublic, session.AudienceFacilitator} {
		d := session.Project(e, aud).(*session.IdeaAdded)
		if d.Author != "" || !d.Anonymous || d.Text != "Nuorten ääni kuuluviin" {
			t.Fatalf("audience %d sees %+v", aud, d)
		}
		if b := mustJSON(t, d); bytes.Contains(b, []byte(`"author"`)) {
			t.Fatalf("audience %d JSON names the author: %s", aud, b)
		}
	}
	if d := session.Project(e, session.AudienceSelf).(*session.IdeaAdded); d.Author != m.aino.ID {
		t.Fatalf("the author does not see their own idea whole: %+v", d)
	}
	if e.Data.(*session.IdeaAdded).Author != m.aino.ID {
		t.Fatal("Project changed the event in the log")
	}

	// A named idea has nothing private.
	e = mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Liikuntapaikat maksutta"}`, m.discuss))
	if session.SelfActor(e) != "" {
		t.Fatalf("SelfActor of a named idea = %q", session.SelfActor(e))
	}
	if d := session.Project(e, session.AudiencePublic).(*session.IdeaAdded); d.Author != m.matti.ID {
		t.Fatalf("public projection of a named idea = %+v", d)
	}
	if session.AudienceOf(m.matti, e) != session.AudiencePublic || session.AudienceOf(m.fac, e) != session.AudienceFacilitator {
		t.Fatal("AudienceOf of an event without anything private")
	}
}

func TestProjectVotes(t *testing.T) {
	m, ideas := votingMeeting(t)
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[2]))
	if session.SelfActor(e) != "p:"+m.matti.ID || session.AudienceOf(m.matti, e) != session.AudienceSelf {
		t.Fatal("the voter is not the event's self")
	}
	if session.AudienceOf(m.liisa, e) != session.AudiencePublic || session.AudienceOf(m.fac, e) != session.AudienceFacilitator ||
		session.AudienceOf(m.screen, e) != session.AudiencePublic {
		t.Fatal("AudienceOf a vote")
	}

	pub := session.Project(e, session.AudiencePublic).(*session.VoteChanged)
	if pub.Voter != "" || pub.Idea != "" || pub.Votes != 0 || pub.Cast != 1 || pub.Item != m.discuss {
		t.Fatalf("public vote before reveal = %+v", pub)
	}
	b := mustJSON(t, pub)
	if bytes.Contains(b, []byte(`"voter"`)) || bytes.Contains(b, []byte(`"idea"`)) || bytes.Contains(b, []byte(m.matti.ID+`"`)) {
		t.Fatalf("public vote JSON = %s", b)
	}
	fac := session.Project(e, session.AudienceFacilitator).(*session.VoteChanged)
	if fac.Voter != "" || fac.Idea != ideas[2] || fac.Votes != 1 {
		t.Fatalf("facilitator's vote = %+v", fac)
	}
	if b := mustJSON(t, fac); bytes.Contains(b, []byte(`"voter"`)) {
		t.Fatalf("facilitator's vote JSON = %s", b)
	}
	self := session.Project(e, session.AudienceSelf).(*session.VoteChanged)
	if self.Voter != m.matti.ID || self.Idea != ideas[2] || self.Votes != 0 {
		t.Fatalf("voter's own vote before the reveal = %+v; the voter learns their dot, not the idea's tally", self)
	}
	if e.Data.(*session.VoteChanged).Voter != m.matti.ID {
		t.Fatal("Project changed the event in the log")
	}

	// After the reveal everyone sees which idea, still not who.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss))
	e = mustDo(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[2]))
	pub = session.Project(e, session.AudiencePublic).(*session.VoteChanged)
	if pub.Voter != "" || pub.Idea != ideas[2] || pub.Votes != 2 || !pub.Revealed {
		t.Fatalf("public vote after reveal = %+v", pub)
	}
	if b := mustJSON(t, pub); bytes.Contains(b, []byte(`"voter"`)) {
		t.Fatalf("public vote JSON after reveal = %s", b)
	}
}

func TestProjectRoomDots(t *testing.T) {
	m, ideas := votingMeeting(t)
	other := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 3"}`)).Data.(*session.GroupAdded).Group.ID
	otherScribe := session.Who{Role: session.RoleScribe, ID: other}
	e := mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":6}`, ideas[0]))
	if session.SelfActor(e) != "scribe:"+m.room || session.AudienceOf(m.scribe, e) != session.AudienceSelf ||
		session.AudienceOf(otherScribe, e) != session.AudiencePublic || session.AudienceOf(m.matti, e) != session.AudiencePublic {
		t.Fatal("audiences of room dots")
	}
	pub := session.Project(e, session.AudiencePublic).(*session.RoomDotsRecorded)
	if pub.Idea != "" || pub.Dots != 0 || pub.Cast != 6 || pub.Group != m.room {
		t.Fatalf("public room dots before reveal = %+v", pub)
	}
	for _, aud := range []session.Audience{session.AudienceFacilitator, session.AudienceSelf} {
		if d := session.Project(e, aud).(*session.RoomDotsRecorded); d.Idea != ideas[0] || d.Dots != 6 {
			t.Fatalf("audience %d room dots = %+v", aud, d)
		}
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss))
	e = mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":2}`, ideas[1]))
	if d := session.Project(e, session.AudiencePublic).(*session.RoomDotsRecorded); d.Idea != ideas[1] || d.Dots != 2 {
		t.Fatalf("public room dots after reveal = %+v", d)
	}
}

func TestProjectMergeAndUnhide(t *testing.T) {
	m := newMeeting(t)
	target := m.idea(t, m.liisa, "Järjestöyhdyshenkilö kaupungille")
	dup := mustDo(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yhteyshenkilö järjestöille","anonymous":true}`, m.discuss)).Data.(*session.IdeaAdded).Idea
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.matti, dup)
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":3}`, dup))

	// Hide and bring back the anonymous idea before the reveal.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, dup))
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, dup))
	self := session.Project(e, session.AudienceSelf).(*session.IdeaHidden)
	if session.SelfActor(e) != m.aino.Actor() || self.Restored.Author != m.aino.ID {
		t.Fatalf("the anonymous author does not get the restored idea as theirs: self %q, %+v", session.SelfActor(e), self.Restored)
	}
	if self.Restored.Votes != 0 || self.Restored.RoomDots != nil {
		t.Fatalf("the anonymous author sees the restored idea's tally before the reveal: %+v", self.Restored)
	}
	for _, aud := range []session.Audience{session.AudiencePublic, session.AudienceFacilitator} {
		d := session.Project(e, aud).(*session.IdeaHidden)
		if d.Restored == nil || d.Restored.Author != "" || !d.Restored.Anonymous || d.Restored.Text != "Yhteyshenkilö järjestöille" {
			t.Fatalf("audience %d restored = %+v", aud, d.Restored)
		}
		b := mustJSON(t, d)
		if bytes.Contains(b, []byte(`"author":"`+m.aino.ID+`"`)) {
			t.Fatalf("audience %d: restored idea names the anonymous author: %s", aud, b)
		}
		if aud == session.AudiencePublic && (d.Restored.Votes != 0 || d.Restored.RoomDots != nil) {
			t.Fatalf("public sees the tally before reveal: %+v", d.Restored)
		}
		if aud == session.AudienceFacilitator && (d.Restored.Votes != 1 || d.Restored.RoomDots[m.room] != 3) {
			t.Fatalf("facilitator lost the tally: %+v", d.Restored)
		}
	}
	if r := e.Data.(*session.IdeaHidden).Restored; r.Author != m.aino.ID || r.Votes != 1 {
		t.Fatal("Project changed the event in the log")
	}
	if session.SelfActor(e) == "" {
		t.Fatal("unhiding an anonymous idea has no self")
	}
	// Hiding carries nothing private.
	hide := mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, target))
	if session.Project(hide, session.AudiencePublic) != hide.Data {
		t.Fatal("hiding was copied although it has nothing private")
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, target))

	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, dup, target))
	if d := session.Project(e, session.AudiencePublic).(*session.IdeaMerged); d.Votes != 0 || d.RoomDots != nil || d.Into != target {
		t.Fatalf("public merge before reveal = %+v", d)
	}
	if d := session.Project(e, session.AudienceFacilitator).(*session.IdeaMerged); d.Votes != 1 || d.RoomDots[m.room] != 3 {
		t.Fatalf("facilitator's merge = %+v", d)
	}
	if d := e.Data.(*session.IdeaMerged); d.Votes != 1 {
		t.Fatal("Project changed the event in the log")
	}

	// After the reveal the tallies are public.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss))
	again := m.idea(t, m.fac, "Järjestöjen yhteyshenkilö")
	m.vote(t, m.liisa, again)
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, again, target))
	if d := session.Project(e, session.AudiencePublic).(*session.IdeaMerged); d.Votes != 2 || d.RoomDots[m.room] != 3 || !d.Revealed {
		t.Fatalf("public merge after reveal = %+v", d)
	}
}

// viewMeeting has ideas of every kind and votes of several people on the
// discussion item, which is in the vote phase and not yet revealed.
type viewMeeting struct {
	*meeting
	named, anonAino, anonMatti, scribeIdea, hidden string
	other                                          string // a second room group
}

func newViewMeeting(t *testing.T) *viewMeeting {
	t.Helper()
	m := newMeeting(t)
	v := &viewMeeting{meeting: m}
	v.named = m.idea(t, m.liisa, "Avustushaku yhdelle lomakkeelle")
	v.anonAino = mustDo(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Nuorten ääni kuuluviin","anonymous":true}`, m.discuss)).Data.(*session.IdeaAdded).Idea
	v.anonMatti = mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Seurojen salivuorot","anonymous":true}`, m.discuss)).Data.(*session.IdeaAdded).Idea
	v.scribeIdea = m.idea(t, m.scribe, "Kyläkoulun tilat")
	v.hidden = m.idea(t, m.pekka, "Aiheen ohi")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, v.hidden))
	v.other = mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 3"}`)).Data.(*session.GroupAdded).Group.ID
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.matti, v.named)
	m.vote(t, m.matti, v.anonAino)
	m.vote(t, m.aino, v.anonMatti)
	m.vote(t, m.liisa, v.anonMatti)
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":5}`, v.scribeIdea))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":2}`, v.scribeIdea, v.other))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	return v
}

func ideaView(t *testing.T, v *session.View, id string) *session.IdeaView {
	t.Helper()
	for i := range v.Ideas {
		if v.Ideas[i].ID == id {
			return &v.Ideas[i]
		}
	}
	return nil
}

// assertAnonymous checks the JSON of a view: no anonymous idea names its
// author unless it is the caller's own.
func assertAnonymous(t *testing.T, b []byte, self string) {
	t.Helper()
	var raw struct {
		Ideas []map[string]any `json:"ideas"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, i := range raw.Ideas {
		if i["anonymous"] == true {
			if author, ok := i["author"]; ok && (self == "" || author != self) {
				t.Errorf("anonymous idea %v names author %v in JSON", i["id"], author)
			}
		}
	}
}

func TestViewForParticipant(t *testing.T) {
	v := newViewMeeting(t)
	view := v.tbl.ViewFor(v.matti)

	if ideaView(t, view, v.hidden) != nil {
		t.Fatal("a participant sees a hidden idea")
	}
	if iv := ideaView(t, view, v.anonAino); iv == nil || iv.Author != "" || iv.Mine || !iv.Anonymous {
		t.Fatalf("someone else's anonymous idea = %+v", iv)
	}
	if iv := ideaView(t, view, v.anonMatti); iv == nil || iv.Author != v.matti.ID || !iv.Mine {
		t.Fatalf("own anonymous idea = %+v", iv)
	}
	if iv := ideaView(t, view, v.named); iv == nil || iv.Author != v.liisa.ID || iv.Mine {
		t.Fatalf("someone else's named idea = %+v", iv)
	}
	for _, iv := range view.Ideas {
		if iv.Votes != 0 || iv.RoomDots != nil {
			t.Fatalf("vote counts visible before the reveal: %+v", iv)
		}
	}
	want := map[string]int{v.named: 1, v.anonAino: 1}
	got := view.MyVotes[v.discuss]
	if len(view.MyVotes) != 1 || len(got) != len(want) || got[v.named] != 1 || got[v.anonAino] != 1 {
		t.Fatalf("MyVotes = %v, want %v", view.MyVotes, want)
	}
	if view.ScreenToken != "" {
		t.Fatal("a participant got the screen token")
	}
	for _, g := range view.Groups {
		if g.ScribeToken != "" {
			t.Fatal("a participant got a scribe token")
		}
	}
	// Matti is named by his idea and his raised hand; Liisa is herself.
	// Aino (only anonymous ideas) and Pekka (nothing) are counted, not named.
	if len(view.Participants) != 2 || view.Participants[0].Name != "Matti Meikäläinen" || view.Participants[1].ID != v.liisa.ID {
		t.Fatalf("participants = %+v", view.Participants)
	}
	if view.People.Total != 4 || view.People.BySector["association"] != 2 || view.People.BySector["resident"] != 1 {
		t.Fatalf("people = %+v", view.People)
	}
	for _, p := range view.Participants {
		if p.ID == v.aino.ID {
			t.Fatal("the author of only anonymous ideas is named in a participant's view")
		}
	}
	if len(view.Queue) != 1 || view.Queue[0].Participant != v.matti.ID {
		t.Fatalf("queue = %+v", view.Queue)
	}

	b := mustJSON(t, view)
	assertNoSecrets(t, "participant view", b, append(secrets(v.meeting), v.tbl.ScreenToken(), v.tbl.ScribeToken(v.room))...)
	assertAnonymous(t, b, v.matti.ID)
	for _, field := range []string{`"tokenHash"`, `"ballots"`, `"voter"`, `"screenToken"`, `"scribeToken"`} {
		if bytes.Contains(b, []byte(field)) {
			t.Errorf("participant view has %s", field)
		}
	}

	// Other participants' ballots never show, but their own do.
	aino := v.tbl.ViewFor(v.aino)
	if len(aino.MyVotes[v.discuss]) != 1 || aino.MyVotes[v.discuss][v.anonMatti] != 1 {
		t.Fatalf("Aino's votes = %v", aino.MyVotes)
	}
	if iv := ideaView(t, aino, v.anonAino); iv.Author != v.aino.ID || !iv.Mine {
		t.Fatalf("Aino's own anonymous idea = %+v", iv)
	}
	if iv := ideaView(t, aino, v.anonMatti); iv.Author != "" || iv.Mine {
		t.Fatalf("Matti's anonymous idea as Aino sees it = %+v", iv)
	}
	if pekka := v.tbl.ViewFor(v.pekka); pekka.MyVotes != nil {
		t.Fatalf("someone without votes has MyVotes %v", pekka.MyVotes)
	}

	// After the reveal the counts are public.
	mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, v.discuss))
	view = v.tbl.ViewFor(v.matti)
	if iv := ideaView(t, view, v.anonMatti); iv.Votes != 2 {
		t.Fatalf("votes after reveal = %+v", iv)
	}
	if iv := ideaView(t, view, v.scribeIdea); iv.RoomDots[v.room] != 5 || iv.RoomDots[v.other] != 2 {
		t.Fatalf("room dots after reveal = %+v", iv)
	}
	assertAnonymous(t, mustJSON(t, view), v.matti.ID)
}

func TestViewForScreen(t *testing.T) {
	v := newViewMeeting(t)
	for _, revealed := range []bool{false, true} {
		if revealed {
			mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, v.discuss))
		}
		view := v.tbl.ViewFor(v.screen)
		for _, iv := range view.Ideas {
			if iv.Anonymous && iv.Author != "" {
				t.Fatalf("the screen shows the author of an anonymous idea: %+v", iv)
			}
			if iv.Mine || iv.ID == v.hidden {
				t.Fatalf("screen idea = %+v", iv)
			}
			if !revealed && (iv.Votes != 0 || iv.RoomDots != nil) {
				t.Fatalf("the screen shows counts before the reveal: %+v", iv)
			}
		}
		if view.MyVotes != nil || view.ScreenToken != "" {
			t.Fatalf("screen view has votes %v or token %q", view.MyVotes, view.ScreenToken)
		}
		b := mustJSON(t, view)
		assertNoSecrets(t, "screen view", b, append(secrets(v.meeting), v.tbl.ScreenToken(), v.tbl.ScribeToken(v.room), v.tbl.ScribeToken(v.other))...)
		assertAnonymous(t, b, "")
		for _, field := range []string{`"myVotes"`, `"voter"`, `"tokenHash"`, `"ballots"`, `"scribeToken"`, `"screenToken"`} {
			if bytes.Contains(b, []byte(field)) {
				t.Errorf("screen view has %s", field)
			}
		}
		if revealed {
			if iv := ideaView(t, view, v.anonMatti); iv.Votes != 2 {
				t.Fatalf("screen after reveal = %+v", iv)
			}
		}
	}
}

func TestViewForFacilitator(t *testing.T) {
	v := newViewMeeting(t)
	gone := mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"group.add","name":"Poistuva pöytä"}`)).Data.(*session.GroupAdded).Group.ID
	mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"group.remove","group":%q}`, gone))
	view := v.tbl.ViewFor(v.fac)

	if view.ScreenToken != v.tbl.ScreenToken() {
		t.Fatalf("screen token = %q", view.ScreenToken)
	}
	tokens := map[string]string{}
	for _, g := range view.Groups {
		tokens[g.ID] = g.ScribeToken
	}
	if tokens[v.room] != v.tbl.ScribeToken(v.room) || tokens[v.other] != v.tbl.ScribeToken(v.other) {
		t.Fatalf("scribe tokens = %v", tokens)
	}
	if tokens[gone] != "" {
		t.Fatal("a removed group's scribe token is still handed out")
	}
	// The facilitator sees hidden ideas and counts, but not anonymous authors.
	if iv := ideaView(t, view, v.hidden); iv == nil || !iv.Hidden {
		t.Fatalf("hidden idea for the facilitator = %+v", iv)
	}
	if iv := ideaView(t, view, v.anonMatti); iv.Author != "" || iv.Votes != 2 {
		t.Fatalf("anonymous idea for the facilitator = %+v", iv)
	}
	if iv := ideaView(t, view, v.scribeIdea); iv.RoomDots[v.room] != 5 || iv.RoomDots[v.other] != 2 {
		t.Fatalf("room dots for the facilitator = %+v", iv)
	}
	if view.MyVotes != nil {
		t.Fatal("the facilitator has MyVotes")
	}
	b := mustJSON(t, view)
	assertNoSecrets(t, "facilitator view", b, secrets(v.meeting)...)
	assertAnonymous(t, b, "")
	if bytes.Contains(b, []byte(`"voter"`)) || bytes.Contains(b, []byte(`"ballots"`)) {
		t.Error("facilitator view has voter information")
	}
}

func TestViewForScribe(t *testing.T) {
	v := newViewMeeting(t)
	view := v.tbl.ViewFor(v.scribe)
	// Before the reveal a scribe sees its own group's counts in myVotes, and
	// no idea's tally.
	if iv := ideaView(t, view, v.scribeIdea); iv.RoomDots != nil || iv.Votes != 0 {
		t.Fatalf("the scribe sees a tally before the reveal: %+v", iv)
	}
	if got := view.MyVotes; len(got) != 1 || len(got[v.discuss]) != 1 || got[v.discuss][v.scribeIdea] != 5 {
		t.Fatalf("the scribe's own counts = %v, want only its group's 5 on the idea", got)
	}
	if iv := ideaView(t, view, v.anonMatti); iv.Votes != 0 || iv.Author != "" {
		t.Fatalf("the scribe sees participants' votes or authors: %+v", iv)
	}
	otherView := v.tbl.ViewFor(session.Who{Role: session.RoleScribe, ID: v.other})
	if got := otherView.MyVotes; len(got[v.discuss]) != 1 || got[v.discuss][v.scribeIdea] != 2 {
		t.Fatalf("the other scribe's own counts = %v", got)
	}
	// The counts stay while the idea is hidden and come back with it.
	mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, v.scribeIdea))
	hidden := v.tbl.ViewFor(v.scribe)
	if ideaView(t, hidden, v.scribeIdea) != nil || hidden.MyVotes[v.discuss][v.scribeIdea] != 5 {
		t.Fatalf("while the idea is hidden the scribe has %v", hidden.MyVotes)
	}
	mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, v.scribeIdea))
	// After the reveal every group's count shows on the idea.
	mustDo(t, v.meeting, v.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, v.discuss))
	revealed := v.tbl.ViewFor(v.scribe)
	if iv := ideaView(t, revealed, v.scribeIdea); iv.RoomDots[v.room] != 5 || iv.RoomDots[v.other] != 2 {
		t.Fatalf("after the reveal the scribe sees %+v", iv)
	}
	b := mustJSON(t, view)
	assertNoSecrets(t, "scribe view", b, append(secrets(v.meeting), v.tbl.ScreenToken(), v.tbl.ScribeToken(v.room))...)
	assertAnonymous(t, b, "")
}

func TestViewShape(t *testing.T) {
	m := newTable(t, session.NewTableInput{Title: "Tyhjä pöytä"})
	view := m.tbl.ViewFor(m.screen)
	b := mustJSON(t, view)
	for _, field := range []string{`"facilitators":[]`, `"items":[]`, `"ideas":[]`, `"actions":[]`, `"queue":[]`, `"groups":[]`, `"participants":[]`} {
		if !bytes.Contains(b, []byte(field)) {
			t.Errorf("empty view lacks %s: %s", field, b)
		}
	}
	if view.FloorSince != nil || strings.Contains(string(b), "floorSince") {
		t.Error("floorSince without anyone speaking")
	}

	mm := newMeeting(t)
	idea := mm.idea(t, mm.matti, "Liikuntapaikat maksutta")
	mm.clock.advance(time.Minute)
	mustDo(t, mm, mm.matti, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Liikuntapaikat maksutta nuorille"}`, idea))
	a := mm.action(t, `{"op":"action.add","title":"Kalenteri","ideas":[%q],"owners":[{"org":"Ähtärin kaupunki"}]}`, idea)
	mustDo(t, mm, mm.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, mm.liisa.ID))
	view = mm.tbl.ViewFor(mm.matti)
	if view.Seq != mm.tbl.Seq || view.Current != mm.discuss || view.Floor != mm.liisa.ID || view.FloorSince == nil || !view.FloorSince.Equal(mm.clock.now) {
		t.Fatalf("view header = seq %d current %q floor %q since %v", view.Seq, view.Current, view.Floor, view.FloorSince)
	}
	if iv := ideaView(t, view, idea); iv.Edited == nil || !iv.Edited.Equal(mm.clock.now) {
		t.Fatalf("edited idea = %+v", iv)
	}
	if view.Table.Title != demoTitle || view.Table.Code != demoCode || len(view.Items) != 3 {
		t.Fatalf("view table = %+v", view.Table)
	}
	// The view is a copy: changing it does not change the table.
	view.Items[1].Title = "Muutettu"
	view.Actions[0].Owners[0].Org = "Muutettu"
	view.Actions[0].Ideas[0] = "Muutettu"
	view.Table.Facilitators[0] = "Muutettu"
	if mm.item(t, mm.discuss).Title == "Muutettu" || mm.actionByID(t, a).Owners[0].Org == "Muutettu" ||
		mm.actionByID(t, a).Ideas[0] == "Muutettu" || mm.tbl.Facilitators[0] == "Muutettu" {
		t.Fatal("the view shares memory with the table")
	}
}

func TestSelfActorOfPlainEvents(t *testing.T) {
	m := newMeeting(t)
	for _, e := range m.events {
		if e.Type == "table.created" || e.Type == "participant.joined" {
			continue
		}
		if got := session.SelfActor(e); got != "" {
			t.Errorf("SelfActor(%s) = %q, want none", e.Type, got)
		}
		if e.Type == "group.added" {
			pub := session.Project(e, session.AudiencePublic).(*session.GroupAdded)
			fac := session.Project(e, session.AudienceFacilitator).(*session.GroupAdded)
			if pub.ScribeToken != "" || fac.ScribeToken != m.tbl.ScribeToken(pub.Group.ID) {
				t.Errorf("group.added: public token %q, facilitator token %q", pub.ScribeToken, fac.ScribeToken)
			}
			continue
		}
		if d := session.Project(e, session.AudiencePublic); d != e.Data {
			t.Errorf("Project(%s) copied data without anything private", e.Type)
		}
	}
}
