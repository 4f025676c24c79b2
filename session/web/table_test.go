package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestWholeTable plays a partnership table from start to end with a
// facilitator and two participants as real websocket clients.
func TestWholeTable(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	if !strings.HasPrefix(tbl.Code, "KP-") || tbl.FacilitatorSecret == "" {
		t.Fatalf("created table: %+v", tbl)
	}
	matti := ts.join(strings.ToLower(strings.ReplaceAll(tbl.Code, "-", " ")), "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	liisa := ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")

	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	snap := fac.expect("snapshot")
	var view session.View
	json.Unmarshal(snap["state"], &view)
	if len(view.Items) != 3 || len(view.Participants) != 2 || view.Table.Title != "Ähtärin ja Soinin kumppanuuspöytä" {
		t.Fatalf("facilitator snapshot: %d items, %d participants, title %q", len(view.Items), len(view.Participants), view.Table.Title)
	}
	m := ts.connect("matti", tbl.ID, session.RoleParticipant, matti.Token, 0)
	m.expect("snapshot")
	l := ts.connect("liisa", tbl.ID, session.RoleParticipant, liisa.Token, 0)
	l.expect("snapshot")

	// Agenda: the facilitator adds an item and opens the discussion.
	added := fac.must("item.add", map[string]any{"title": "Kuntayhtymän tervehdys", "presenter": "johtaja, KuusSoTe", "timebox": 10, "after": view.Items[0].ID})
	var ia session.ItemAdded
	m.event("item.added", &ia)
	if ia.Index != 1 || ia.Item.Title != "Kuntayhtymän tervehdys" {
		t.Fatalf("item.added seen by participant: %+v", ia)
	}
	l.waitSeq(added)
	discussion := view.Items[1].ID
	fac.must("item.open", map[string]any{"item": discussion})

	// Ideas: one named, one anonymous, one entered for someone in the room.
	m.must("idea.add", map[string]any{"item": discussion, "text": "Yhteinen tapahtumakalenteri kaikille yhdistyksille"})
	var seen session.IdeaAdded
	l.event("idea.added", &seen)
	if seen.Author != matti.Participant || seen.Text != "Yhteinen tapahtumakalenteri kaikille yhdistyksille" {
		t.Fatalf("Liisa sees Matti's idea as %+v", seen)
	}
	calendar := seen.Idea
	l.must("idea.add", map[string]any{"item": discussion, "text": "Tilat maksutta yhdistysten käyttöön", "anonymous": true})
	var his, anon session.IdeaAdded
	m.event("idea.added", &his)
	m.event("idea.added", &anon)
	if anon.Author != "" || !anon.Anonymous {
		t.Fatalf("anonymous idea reached Matti with author %q", anon.Author)
	}
	var facFirst, facSees session.IdeaAdded
	fac.event("idea.added", &facFirst) // Matti's
	fac.event("idea.added", &facSees)  // Liisa's anonymous one
	if facSees.Author != "" {
		t.Fatalf("anonymous idea reached the facilitator with author %q", facSees.Author)
	}
	var own session.IdeaAdded
	l.event("idea.added", &own)
	if own.Author != liisa.Participant {
		t.Fatalf("the author of an anonymous idea should still see it as theirs, got author %q", own.Author)
	}
	spaces := anon.Idea
	fac.must("idea.add", map[string]any{"item": discussion, "text": "Kunnan tilat yhdistyksille ilmaiseksi", "onBehalf": "Eeva, Soinin kyläyhdistys"})
	var dup session.IdeaAdded
	m.event("idea.added", &dup)
	m.refused(session.CodeNotOwner, "idea.edit", map[string]any{"idea": spaces, "text": "muokattu"})
	m.must("idea.edit", map[string]any{"idea": calendar, "text": "Yhteinen sähköinen tapahtumakalenteri"})

	// Voting: three dots each, several dots on one idea allowed.
	m.refused(session.CodeWrongPhase, "vote.add", map[string]any{"idea": calendar})
	fac.must("item.voting", map[string]any{"item": discussion, "dots": 3, "multiDot": true})
	fac.must("item.phase", map[string]any{"item": discussion, "phase": "vote"})
	m.must("vote.add", map[string]any{"idea": calendar})
	m.must("vote.add", map[string]any{"idea": calendar})
	m.must("vote.add", map[string]any{"idea": spaces})
	m.refused(session.CodeBudget, "vote.add", map[string]any{"idea": dup.Idea})
	m.must("vote.remove", map[string]any{"idea": calendar})
	m.must("vote.add", map[string]any{"idea": dup.Idea})
	l.must("vote.add", map[string]any{"idea": spaces})
	last := l.must("vote.add", map[string]any{"idea": dup.Idea})

	// Before the reveal, Liisa learns that dots were cast, not where.
	var vc session.VoteChanged
	for {
		seq := l.event("vote.changed", &vc)
		if vc.Voter != "" && vc.Voter != liisa.Participant {
			t.Fatalf("a voter's identity reached another participant: %+v", vc)
		}
		if vc.Voter == "" && vc.Idea != "" {
			t.Fatalf("before the reveal a participant saw which idea got another's dot: %+v", vc)
		}
		if seq == last {
			break
		}
	}
	if vc.Cast != 5 {
		t.Fatalf("dots cast on the item: %d, want 5", vc.Cast)
	}

	// Reveal and merge the duplicate into the spaces idea.
	fac.must("item.reveal", map[string]any{"item": discussion, "revealed": true})
	var rev session.ItemRevealed
	m.event("item.revealed", &rev)
	if len(rev.Results) != 3 || rev.Results[0].Idea != spaces || rev.Results[0].Total != 2 {
		t.Fatalf("revealed results: %+v", rev.Results)
	}
	fac.must("idea.merge", map[string]any{"idea": dup.Idea, "into": spaces})
	var merged session.IdeaMerged
	l.event("idea.merged", &merged)
	if merged.Votes != 4 {
		t.Fatalf("after the merge the spaces idea has %d dots, want 4", merged.Votes)
	}

	// Actions: one created from the idea and assigned, one volunteer.
	fac.must("item.phase", map[string]any{"item": discussion, "phase": "actions"})
	fac.must("action.add", map[string]any{"item": discussion, "title": "Kartoitetaan kunnan tilat ja niiden varausehdot",
		"ideas": []string{spaces}, "due": "2027-04-30",
		"owners": []map[string]any{{"participant": liisa.Participant}, {"org": "Soinin kunta"}}})
	var aa session.ActionAdded
	m.event("action.added", &aa)
	if len(aa.Action.Owners) != 2 || aa.Action.Owners[1].Org != "Soinin kunta" {
		t.Fatalf("action seen by Matti: %+v", aa.Action)
	}
	m.must("action.volunteer", map[string]any{"action": aa.Action.ID, "org": true})
	m.refused(session.CodeAlreadyOwner, "action.volunteer", map[string]any{"action": aa.Action.ID})
	m.must("action.add", map[string]any{"title": "Tapahtumakalenterin pilotti", "volunteer": true})
	fac.must("item.notes", map[string]any{"item": discussion, "notes": "Päätettiin kartoittaa tilat ennen seuraavaa pöytää."})

	// Close: participants can no longer write.
	closed := fac.must("table.close", nil)
	m.refused(session.CodeClosed, "hand.raise", nil)
	l.waitSeq(closed)

	// The final state as each of them sees it on a fresh connection.
	fv, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	lv, raw := ts.snapshot(tbl.ID, session.RoleParticipant, liisa.Token)
	if !fv.Table.Closed || len(fv.Actions) != 2 || fv.Items[2].Notes == "" {
		t.Fatalf("final facilitator view: closed %v, %d actions, notes %q", fv.Table.Closed, len(fv.Actions), fv.Items[2].Notes)
	}
	a := fv.Actions[0]
	if len(a.Owners) != 3 || a.Owners[2].Participant != matti.Participant || a.Owners[2].Org != "Ähtärin Urheilijat ry" {
		t.Fatalf("owners of the first action: %+v", a.Owners)
	}
	if fv.Actions[1].ProposedBy != matti.Participant || fv.Actions[1].Owners[0].Participant != matti.Participant {
		t.Fatalf("Matti's proposal: %+v", fv.Actions[1])
	}
	if lv.MyVotes[discussion][spaces] != 2 || lv.MyVotes[discussion][dup.Idea] != 0 {
		t.Fatalf("Liisa's own votes after the merge: %v", lv.MyVotes)
	}
	i := slices.IndexFunc(lv.Ideas, func(v session.IdeaView) bool { return v.ID == spaces })
	if i < 0 || !lv.Ideas[i].Mine || lv.Ideas[i].Votes != 4 {
		t.Fatalf("Liisa's view of her anonymous idea: %+v", lv.Ideas)
	}
	mv, mraw := ts.snapshot(tbl.ID, session.RoleParticipant, matti.Token)
	if strings.Contains(string(mraw), liisa.Participant+`","anonymous`) || mv.Ideas[i].Author != "" {
		t.Fatalf("Matti's snapshot reveals the anonymous author: %+v", mv.Ideas[i])
	}
	for _, secret := range []string{tbl.FacilitatorSecret, matti.Token, liisa.Token} {
		if strings.Contains(string(raw), secret) || strings.Contains(string(mraw), secret) {
			t.Fatalf("a participant snapshot contains a credential")
		}
	}
}

// TestResumeGetsExactlyTheMissedEvents: a client that reconnects with the
// last seq it saw gets the events after it, in order, once each.
func TestResumeGetsExactlyTheMissedEvents(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	var v session.View
	json.Unmarshal(c.expect("snapshot")["state"], &v)
	discussion := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": discussion})
	seen := c.must("idea.add", map[string]any{"item": discussion, "text": "Ensimmäinen idea"})
	c.waitSeq(seen)
	c.conn.Close()

	// While Matti is away, five things happen.
	var want []int64
	for _, text := range []string{"Toinen", "Kolmas", "Neljäs"} {
		want = append(want, fac.must("idea.add", map[string]any{"item": discussion, "text": text}))
	}
	want = append(want, fac.must("item.phase", map[string]any{"item": discussion, "phase": "vote"}))
	want = append(want, fac.must("timer.start", map[string]any{"item": discussion}))

	back := ts.connect("matti-again", tbl.ID, session.RoleParticipant, p.Token, seen)
	back.waitSeq(want[len(want)-1])
	if got := back.eventSeqs(); !slices.Equal(got, want) {
		t.Fatalf("resumed events %v, want exactly %v", got, want)
	}

	// Resuming from the current seq gets nothing; from the future, a snapshot.
	now := ts.connect("current", tbl.ID, session.RoleParticipant, p.Token, want[len(want)-1])
	r := now.do("hand.raise", nil)
	now.waitSeq(r.Seq)
	if got := now.eventSeqs(); !slices.Equal(got, []int64{r.Seq}) {
		t.Fatalf("a client resuming from the current seq got %v, want only %d", got, r.Seq)
	}
	future := ts.connect("future", tbl.ID, session.RoleParticipant, p.Token, 9999)
	future.expect("snapshot")
}

// TestRepeatedOpIsAppliedOnce: a command retried with the same op id (as
// after a lost ack) gets the first result and changes nothing more.
func TestRepeatedOpIsAppliedOnce(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	first := c.doID("retry-1", "idea.add", map[string]any{"item": item, "text": "Sama idea"})
	if first.Type != "ack" || first.Dup {
		t.Fatalf("first send: %+v", first)
	}
	c.conn.Close()
	again := ts.connect("matti-again", tbl.ID, session.RoleParticipant, p.Token, first.Seq)
	second := again.doID("retry-1", "idea.add", map[string]any{"item": item, "text": "Sama idea"})
	if second.Type != "ack" || !second.Dup || second.Seq != first.Seq {
		t.Fatalf("retry: %+v, want a dup ack with seq %d", second, first.Seq)
	}
	// A different client may use the same op id for its own command.
	other := fac.doID("retry-1", "idea.add", map[string]any{"item": item, "text": "Fasilitaattorin idea"})
	if other.Type != "ack" || other.Dup {
		t.Fatalf("another actor's op with the same id: %+v", other)
	}
	view, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	n := 0
	for _, i := range view.Ideas {
		if i.Text == "Sama idea" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the retried idea is there %d times", n)
	}
}
