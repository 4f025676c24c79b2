package session_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// playMeeting plays a whole partnership table from creation to close and
// returns it with every event in order.
func playMeeting(t *testing.T) *meeting {
	t.Helper()
	m := newMeeting(t)
	do := func(who session.Who, format string, args ...any) session.Event {
		t.Helper()
		m.clock.advance(7 * time.Second)
		return mustDo(t, m, who, cmdf(t, format, args...))
	}
	g2 := do(m.fac, `{"op":"group.add","name":"Sali, pöytä 3"}`).Data.(*session.GroupAdded).Group.ID
	do(m.fac, `{"op":"group.rename","group":%q,"name":"Sali, takarivi"}`, g2)
	do(m.fac, `{"op":"table.edit","facilitators":["Sanna Koordinaattori","Jukka Järjestäjä"]}`)

	// The greeting.
	m.open(t, m.greet)
	do(m.fac, `{"op":"timer.start","item":%q}`, m.greet)
	m.clock.advance(4 * time.Minute)
	do(m.fac, `{"op":"timer.pause","item":%q}`, m.greet)
	do(m.fac, `{"op":"item.notes","item":%q,"notes":"Kaupunginjohtaja toivotti tervetulleeksi."}`, m.greet)
	do(m.fac, `{"op":"item.phase","item":%q,"phase":"closed"}`, m.greet)

	// The discussion: ideas.
	m.open(t, m.discuss)
	do(m.fac, `{"op":"timer.start","item":%q,"seconds":1500}`, m.discuss)
	sports := do(m.matti, `{"op":"idea.add","item":%q,"text":"Liikuntapaikat maksutta lasten harrastuksille"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	youth := do(m.aino, `{"op":"idea.add","item":%q,"text":"Nuorten ääni kuuluviin","anonymous":true}`, m.discuss).Data.(*session.IdeaAdded).Idea
	grants := do(m.liisa, `{"op":"idea.add","item":%q,"text":"Avustushaku yhdelle lomakkeelle"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	contact := do(m.fac, `{"op":"idea.add","item":%q,"text":"Järjestöyhdyshenkilö kaupungille","onBehalf":"Salin vieras"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	school := do(m.scribe, `{"op":"idea.add","item":%q,"text":"Kyläkoulun tilat iltaisin"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	dup := do(m.pekka, `{"op":"idea.add","item":%q,"text":"Yhteyshenkilö järjestöille"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	offTopic := do(m.pekka, `{"op":"idea.add","item":%q,"text":"Tiet kuntoon"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	typo := do(m.matti, `{"op":"idea.add","item":%q,"text":"Kirjotusvirhe"}`, m.discuss).Data.(*session.IdeaAdded).Idea
	do(m.matti, `{"op":"idea.delete","idea":%q}`, typo)
	do(m.matti, `{"op":"idea.edit","idea":%q,"text":"Liikuntapaikat maksutta alle 18-vuotiaille"}`, sports)
	do(m.fac, `{"op":"idea.add","item":%q,"text":"Salin toive","group":%q}`, m.discuss, g2)
	do(m.matti, `{"op":"hand.raise"}`)
	do(m.liisa, `{"op":"hand.raise"}`)
	do(m.pekka, `{"op":"hand.raise"}`)
	do(m.fac, `{"op":"floor.give","participant":%q}`, m.matti.ID)
	do(m.liisa, `{"op":"hand.lower"}`)
	do(m.fac, `{"op":"floor.give","participant":""}`)
	do(m.aino, `{"op":"hand.raise"}`)
	do(m.fac, `{"op":"queue.clear"}`)
	do(m.liisa, `{"op":"participant.update","name":"Liisa Virtanen","org":"Ähtärin kaupunki, vapaa-aikapalvelut","sector":"municipality"}`)

	// The discussion: voting.
	do(m.fac, `{"op":"item.phase","item":%q,"phase":"vote"}`, m.discuss)
	do(m.fac, `{"op":"item.voting","item":%q,"dots":4,"multiDot":true}`, m.discuss)
	do(m.fac, `{"op":"idea.hide","idea":%q}`, offTopic)
	for _, v := range []struct {
		who  session.Who
		idea string
	}{
		{m.matti, sports}, {m.matti, sports}, {m.matti, dup}, {m.matti, youth},
		{m.liisa, grants}, {m.liisa, contact}, {m.liisa, dup},
		{m.aino, youth}, {m.aino, youth}, {m.aino, school},
		{m.pekka, dup}, {m.pekka, contact},
	} {
		do(v.who, `{"op":"vote.add","idea":%q}`, v.idea)
	}
	do(m.liisa, `{"op":"vote.remove","idea":%q}`, grants)
	do(m.scribe, `{"op":"room.dots","idea":%q,"dots":6}`, school)
	do(m.scribe, `{"op":"room.dots","idea":%q,"dots":3}`, dup)
	do(m.scribe, `{"op":"room.dots","idea":%q,"dots":4}`, dup)
	do(m.fac, `{"op":"room.dots","idea":%q,"group":%q,"dots":5}`, contact, g2)
	do(m.fac, `{"op":"idea.merge","idea":%q,"into":%q}`, dup, contact)
	do(m.fac, `{"op":"timer.pause","item":%q}`, m.discuss)
	do(m.fac, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss)
	do(m.fac, `{"op":"idea.unhide","idea":%q}`, offTopic)
	do(m.fac, `{"op":"idea.hide","idea":%q}`, offTopic)

	// The discussion: actions.
	do(m.fac, `{"op":"item.phase","item":%q,"phase":"actions"}`, m.discuss)
	calendar := do(m.fac, `{"op":"action.add","item":%q,"title":"Nimetään järjestöyhdyshenkilö","ideas":[%q],"owners":[{"participant":%q},{"org":"Ähtärin seurakunta"}],"due":"2025-06-30"}`,
		m.discuss, contact, m.liisa.ID).Data.(*session.ActionAdded).Action.ID
	fields := do(m.matti, `{"op":"action.add","title":"Seurojen esittelypäivä torilla","ideas":[%q],"volunteer":true}`, sports).Data.(*session.ActionAdded).Action.ID
	do(m.pekka, `{"op":"action.volunteer","action":%q,"org":true}`, fields)
	do(m.aino, `{"op":"action.volunteer","action":%q}`, fields)
	do(m.aino, `{"op":"action.unvolunteer","action":%q}`, fields)
	do(m.fac, `{"op":"action.assign","action":%q,"org":"Soinin kunta"}`, calendar)
	owners := m.actionByID(t, calendar).Owners
	do(m.fac, `{"op":"action.unassign","action":%q,"owner":%q}`, calendar, owners[1].ID)
	do(m.matti, `{"op":"action.edit","action":%q,"due":"2025-08-16"}`, fields)
	do(m.liisa, `{"op":"action.edit","action":%q,"status":"in_progress"}`, calendar)
	scrap := do(m.fac, `{"op":"action.add","title":"Väärin kirjattu"}`).Data.(*session.ActionAdded).Action.ID
	do(m.fac, `{"op":"action.remove","action":%q}`, scrap)
	do(m.fac, `{"op":"item.notes","item":%q,"notes":"Päätettiin:\n- yhdyshenkilö\n- esittelypäivä"}`, m.discuss)
	do(m.fac, `{"op":"item.phase","item":%q,"phase":"closed"}`, m.discuss)

	// The agenda changes on the fly.
	coffee := do(m.fac, `{"op":"item.add","title":"Kahvitauko","timebox":10,"after":%q}`, m.greet).Data.(*session.ItemAdded).Item.ID
	do(m.fac, `{"op":"item.edit","item":%q,"title":"Kahvi ja pulla","timebox":15}`, coffee)
	do(m.fac, `{"op":"item.move","item":%q,"index":3}`, coffee)
	do(m.fac, `{"op":"item.remove","item":%q}`, coffee)

	// Next steps.
	m.open(t, m.steps)
	do(m.fac, `{"op":"timer.start","item":%q}`, m.steps)
	do(m.fac, `{"op":"participant.remove","participant":%q}`, m.pekka.ID)
	do(m.fac, `{"op":"table.lock"}`)
	do(m.fac, `{"op":"idea.add","item":%q,"text":"Toteuttajatiimiin kaupunki, seurat ja nuoret","onBehalf":"Kaupunginjohtaja"}`, m.steps)
	do(m.fac, `{"op":"table.unlock"}`)
	do(m.fac, `{"op":"timer.reset","item":%q}`, m.steps)
	do(m.fac, `{"op":"timer.start","item":%q}`, m.steps)
	do(m.fac, `{"op":"group.remove","group":%q}`, g2)
	do(m.liisa, `{"op":"hand.raise"}`)
	do(m.fac, `{"op":"floor.give","participant":%q}`, m.liisa.ID)
	m.clock.advance(3 * time.Minute)
	do(m.fac, `{"op":"table.close"}`)
	do(m.fac, `{"op":"item.notes","item":%q,"notes":"Toteuttajatiimi kokoontuu huhtikuussa."}`, m.steps)
	do(m.fac, `{"op":"action.edit","action":%q,"status":"done"}`, calendar)
	return m
}

// replayEvent encodes an event as the store keeps it and decodes it back.
func replayEvent(t *testing.T, e session.Event) session.Event {
	t.Helper()
	data, err := session.EncodeData(e)
	if err != nil {
		t.Fatalf("EncodeData(%s): %v", e.Type, err)
	}
	d, err := session.DecodeEvent(e.Seq, e.Time, e.Actor, e.Type, e.Op, data)
	if err != nil {
		t.Fatalf("DecodeEvent(%s): %v", e.Type, err)
	}
	if d.Seq != e.Seq || !d.Time.Equal(e.Time) || d.Actor != e.Actor || d.Type != e.Type || d.Data.(any) == nil {
		t.Fatalf("decoded %+v from %+v", d, e)
	}
	return d
}

func TestReplayFromLog(t *testing.T) {
	m := playMeeting(t)
	want := snapshot(t, m.tbl)
	types := map[string]bool{}
	fresh := new(session.Table)
	for i, e := range m.events {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
		types[e.Type] = true
		fresh.Apply(replayEvent(t, e))
	}
	if got := snapshot(t, fresh); !bytes.Equal(got, want) {
		t.Fatalf("replayed table differs from the live one:\nlive   %s\nreplay %s", want, got)
	}
	// The story covers every kind of event.
	for _, typ := range []string{
		"table.created", "table.edited", "table.locked", "table.closed",
		"participant.joined", "participant.updated", "participant.removed",
		"item.added", "item.edited", "item.moved", "item.removed", "item.opened", "item.phase", "item.notes", "item.voting", "item.revealed",
		"timer.changed", "idea.added", "idea.edited", "idea.deleted", "idea.hidden", "idea.merged",
		"vote.changed", "room.dots", "action.added", "action.edited", "action.owner.added", "action.owner.removed", "action.removed",
		"hand.changed", "floor.given", "queue.cleared", "group.added", "group.renamed", "group.removed",
	} {
		if !types[typ] {
			t.Errorf("the replayed meeting has no %s event", typ)
		}
	}
	// The story ends where a real one would.
	tbl := m.tbl
	if !tbl.Closed || tbl.Locked || tbl.Floor != "" || len(tbl.Queue) != 0 {
		t.Fatalf("end state: closed %v locked %v floor %q queue %v", tbl.Closed, tbl.Locked, tbl.Floor, tbl.Queue)
	}
	if it := m.item(t, m.steps); it.Timer.Running || it.Timer.Elapsed != (3*time.Minute+28*time.Second).Milliseconds() {
		t.Fatalf("steps timer at close = %+v", it.Timer)
	}
	res := tbl.Results(m.discuss)
	contact := tbl.IdeaOrder[3]
	if len(res) == 0 || res[0].Idea != contact || res[0].Total != 14 || len(tbl.Ideas[contact].Merged) != 1 {
		t.Fatalf("results = %+v, want the merged contact idea first with 14", res)
	}
}

func TestReplayFromSnapshot(t *testing.T) {
	m := playMeeting(t)
	want := snapshot(t, m.tbl)
	// Cut the log at every point: snapshot, restore, apply the rest.
	for cut := 1; cut <= len(m.events); cut++ {
		head := new(session.Table)
		for _, e := range m.events[:cut] {
			head.Apply(e)
		}
		restored, err := session.RestoreSnapshot(snapshot(t, head))
		if err != nil {
			t.Fatalf("cut %d: RestoreSnapshot: %v", cut, err)
		}
		if restored.Seq != int64(cut) {
			t.Fatalf("cut %d: restored seq %d", cut, restored.Seq)
		}
		for _, e := range m.events[cut:] {
			restored.Apply(replayEvent(t, e))
		}
		if got := snapshot(t, restored); !bytes.Equal(got, want) {
			t.Fatalf("cut %d: the table continued from a snapshot differs:\nlive     %s\nrestored %s", cut, want, got)
		}
	}
}

func TestAuthenticateAfterRestore(t *testing.T) {
	m := playMeeting(t)
	restored, err := session.RestoreSnapshot(snapshot(t, m.tbl))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		role session.Role
		cred string
		want session.Who
	}{
		{session.RoleFacilitator, facSecret, m.fac},
		{session.RoleParticipant, mattiToken, m.matti},
		{session.RoleParticipant, liisaToken, m.liisa},
		{session.RoleParticipant, ainoToken, m.aino},
		{session.RoleScribe, m.tbl.ScribeToken(m.room), m.scribe},
		{session.RoleScreen, m.tbl.ScreenToken(), m.screen},
	}
	for _, c := range checks {
		who, err := restored.Authenticate(c.role, c.cred)
		if err != nil || who != c.want {
			t.Errorf("after restore Authenticate(%s) = %+v, %v; want %+v", c.role, who, err, c.want)
		}
	}
	if _, err := restored.Authenticate(session.RoleParticipant, pekkaToken); session.AsError(err).Code != session.CodeRemoved {
		t.Errorf("removed participant after restore: %v", err)
	}
	if _, err := restored.Authenticate(session.RoleParticipant, "tok-nobody"); session.AsError(err).Code != session.CodeUnauthorized {
		t.Errorf("unknown token after restore: %v", err)
	}
	// A participant who joins after the restore is found too.
	rm := &meeting{tbl: restored, clock: m.clock, fac: m.fac, guest: m.guest}
	mustDo(t, rm, rm.fac, cmdf(t, `{"op":"table.reopen"}`))
	late := rm.join(t, "Myöhäinen Mauno", "", "", "tok-late")
	if who, err := restored.Authenticate(session.RoleParticipant, "tok-late"); err != nil || who != late {
		t.Fatalf("joined after restore: %+v %v", who, err)
	}
	// The restored table keeps deciding: Matti still has his ballot.
	if restored.Ballots[m.discuss][m.matti.ID][restored.IdeaOrder[0]] != 2 {
		t.Fatalf("ballots after restore = %v", restored.Ballots[m.discuss][m.matti.ID])
	}
}

func TestRestoreSnapshotErrors(t *testing.T) {
	if _, err := session.RestoreSnapshot([]byte(`{"title":`)); err == nil {
		t.Fatal("a broken snapshot was restored")
	}
	// An empty snapshot gives a usable table.
	tbl, err := session.RestoreSnapshot([]byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if tbl.Participants == nil || tbl.Ideas == nil || tbl.Actions == nil || tbl.Ballots == nil {
		t.Fatal("restored table has nil maps")
	}
	if _, err := tbl.Authenticate(session.RoleParticipant, "x"); err == nil {
		t.Fatal("an empty table authenticated someone")
	}
}

func TestDecodeEventErrors(t *testing.T) {
	now := time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)
	if _, err := session.DecodeEvent(3, now, "facilitator", "idea.upvoted", "", []byte(`{}`)); err == nil {
		t.Fatal("an unknown event type decoded")
	}
	if _, err := session.DecodeEvent(3, now, "facilitator", "idea.added", "", []byte(`{"idea":5}`)); err == nil {
		t.Fatal("malformed event data decoded")
	}
	e, err := session.DecodeEvent(3, now, "p:id-4", "vote.changed", "vote.add", []byte(`{"item":"id-2","idea":"id-9","voter":"id-4","delta":1,"votes":1,"cast":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := e.Data.(*session.VoteChanged); !ok || d.Voter != "id-4" || e.Op != "vote.add" || e.Seq != 3 {
		t.Fatalf("decoded %+v", e)
	}
}

// TestApplyToleratesMissing applies events that refer to things the table
// does not have: the log is trusted, but Apply must never panic or invent state.
func TestApplyToleratesMissing(t *testing.T) {
	m := newMeeting(t)
	idea := m.idea(t, m.matti, "Liikuntapaikat maksutta")
	a := m.action(t, `{"op":"action.add","title":"Kalenteri"}`)
	p := m.tbl.Participants[m.matti.ID]
	events := []session.EventData{
		&session.ParticipantUpdated{Participant: "nope", Name: "X"},
		&session.ParticipantRemoved{Participant: "nope"},
		&session.ParticipantJoined{ID: m.matti.ID, Name: "Toinen Matti", TokenHash: session.HashSecret("other")},
		&session.ItemEdited{Item: "nope", Title: ptr("X")},
		&session.ItemMoved{Item: "nope", Index: 0},
		&session.ItemMoved{Item: m.greet, Index: 7},
		&session.ItemRemoved{Item: "nope"},
		&session.ItemOpened{Item: "nope"},
		&session.ItemPhased{Item: "nope", Phase: session.PhaseVote},
		&session.ItemNoted{Item: "nope", Notes: "X"},
		&session.ItemVoting{Item: "nope", Dots: 9},
		&session.ItemRevealed{Item: "nope", Revealed: true},
		&session.TimerChanged{Item: "nope", Timer: session.Timer{Running: true}},
		&session.IdeaAdded{Idea: idea, Item: m.discuss, Text: "Korvattu"},
		&session.IdeaEdited{Idea: "nope", Text: "X"},
		&session.IdeaDeleted{Idea: "nope"},
		&session.IdeaHidden{Idea: "nope", Hidden: true},
		&session.IdeaMerged{Idea: "nope", Into: idea},
		&session.IdeaMerged{Idea: idea, Into: "nope"},
		&session.VoteChanged{Item: m.discuss, Idea: "nope", Voter: m.matti.ID, Delta: 1},
		&session.VoteChanged{Item: "nope", Idea: idea, Voter: m.matti.ID, Delta: 1},
		&session.RoomDotsRecorded{Item: m.discuss, Idea: "nope", Group: m.room, Dots: 3},
		&session.RoomDotsRecorded{Item: "nope", Idea: idea, Group: m.room, Dots: 3},
		&session.ActionAdded{Action: session.Action{ID: a, Title: "Korvattu"}},
		&session.ActionEdited{Action: "nope", Title: ptr("X")},
		&session.ActionOwnerAdded{Action: "nope", Owner: session.Owner{ID: "o", Org: "X"}},
		&session.ActionOwnerRemoved{Action: "nope", Owner: "o"},
		&session.ActionRemoved{Action: "nope"},
		&session.GroupAdded{Group: session.Group{ID: m.room, Name: "Korvattu"}},
		&session.GroupRenamed{Group: "nope", Name: "X"},
		&session.GroupRemoved{Group: "nope"},
		&session.HandChanged{Participant: "nope", Raised: false},
	}
	want := snapshot(t, m.tbl)
	for _, d := range events {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("Apply(%T %+v) panicked: %v", d, d, r)
				}
			}()
			m.tbl.Apply(session.Event{Seq: m.tbl.Seq, Time: m.clock.now, Actor: "facilitator", Data: d})
		}()
		if got := snapshot(t, m.tbl); !bytes.Equal(got, want) {
			t.Fatalf("Apply(%T %+v) changed the table", d, d)
		}
	}
	if m.tbl.Participants[m.matti.ID] != p || p.Name != "Matti Meikäläinen" {
		t.Fatal("a second join with the same id replaced the participant")
	}
	if who, err := m.tbl.Authenticate(session.RoleParticipant, "other"); err == nil {
		t.Fatalf("a duplicate join registered a token for %+v", who)
	}
}

// TestApplyDoesNotAliasEvents makes sure later changes to the table do not
// reach back into events already in the log (and so into what a replay sees).
func TestApplyDoesNotAliasEvents(t *testing.T) {
	m := newMeeting(t)
	created := m.events[0].Data.(*session.TableCreated)
	before := string(mustJSON(t, created))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.edit","item":%q,"title":"Muutettu"}`, m.greet))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":"vote"}`, m.greet))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","facilitators":["Uusi Vetäjä"]}`))
	if after := string(mustJSON(t, created)); after != before {
		t.Fatalf("the table.created event changed with the table:\nbefore %s\nafter  %s", before, after)
	}
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.add","title":"Kalenteri","owners":[{"org":"Ähtärin kaupunki"}]}`))
	added := string(mustJSON(t, e.Data))
	a := e.Data.(*session.ActionAdded).Action.ID
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"org":"Soinin kunta"}`, a))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.unassign","action":%q,"owner":%q}`, a, m.actionByID(t, a).Owners[0].ID))
	if after := string(mustJSON(t, e.Data)); after != added {
		t.Fatalf("the action.added event changed with the table:\nbefore %s\nafter  %s", added, after)
	}
}

// TestDecideOnOrphanIdea decides commands about an idea whose agenda item is
// not in the table, as a damaged or hand-edited log could leave it: every
// command is refused with no_such_item instead of crashing the live table.
func TestDecideOnOrphanIdea(t *testing.T) {
	m := newMeeting(t)
	m.tbl.Apply(session.Event{Seq: m.tbl.Seq + 1, Type: "idea.added", Data: &session.IdeaAdded{
		Idea: "orphan", Item: "gone", Text: "Orpo idea", Author: m.matti.ID, Created: m.clock.now}})
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.edit","idea":"orphan","text":"Uusi"}`), session.CodeNoItem)
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":"orphan"}`), session.CodeNoItem)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":"orphan"}`), session.CodeNoItem)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"vote.remove","idea":"orphan"}`), session.CodeNoItem)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":"orphan","dots":2}`), session.CodeNoItem)
	refuse(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":"orphan","group":%q,"dots":2}`, m.room), session.CodeNoItem)
}
