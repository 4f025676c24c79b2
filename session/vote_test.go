package session_test

import (
	"testing"

	"github.com/poyta/poyta/session"
)

// votingMeeting is the demo table with four ideas on the discussion item,
// which is in the vote phase.
func votingMeeting(t *testing.T) (*meeting, []string) {
	t.Helper()
	m := newMeeting(t)
	ideas := []string{
		m.idea(t, m.matti, "Liikuntapaikat maksutta lasten harrastuksille"),
		m.idea(t, m.liisa, "Avustushaku yhdelle sähköiselle lomakkeelle"),
		m.idea(t, m.aino, "Nuorisovaltuusto mukaan kumppanuuspöytään"),
		m.idea(t, m.scribe, "Kyläkoulun tilat iltaisin käyttöön"),
	}
	m.phase(t, m.discuss, session.PhaseVote)
	return m, ideas
}

func TestVoteBudget(t *testing.T) {
	m, ideas := votingMeeting(t)
	for n, id := range ideas[:3] {
		e := mustDo(t, m, m.matti, cmdf(t, `{"id":"v%d","op":"vote.add","idea":%q}`, n, id))
		d := e.Data.(*session.VoteChanged)
		if d.Voter != m.matti.ID || d.Delta != 1 || d.Votes != 1 || d.Cast != n+1 || d.Item != m.discuss || d.Idea != id {
			t.Fatalf("vote %d event = %+v", n+1, d)
		}
		if m.ideaByID(t, id).Votes != 1 || m.item(t, m.discuss).Cast != n+1 {
			t.Fatalf("after vote %d: idea votes %d cast %d", n+1, m.ideaByID(t, id).Votes, m.item(t, m.discuss).Cast)
		}
	}
	se := refuse(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[3]), session.CodeBudget)
	if se.Kind != session.KindLimit {
		t.Fatalf("budget refusal kind = %s", se.Kind)
	}
	// Everyone has their own budget.
	m.vote(t, m.liisa, ideas[3])
	if got := m.tbl.Ballots[m.discuss][m.matti.ID]; len(got) != 3 || got[ideas[0]] != 1 {
		t.Fatalf("Matti's ballot = %v", got)
	}
	// Taking one back frees a dot.
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"vote.remove","idea":%q}`, ideas[0]))
	if d := e.Data.(*session.VoteChanged); d.Delta != -1 || d.Votes != 0 || d.Cast != 3 {
		t.Fatalf("vote.remove event = %+v", d)
	}
	if _, ok := m.tbl.Ballots[m.discuss][m.matti.ID][ideas[0]]; ok || m.ideaByID(t, ideas[0]).Votes != 0 {
		t.Fatal("the dot was not taken back")
	}
	m.vote(t, m.matti, ideas[3])
	if m.ideaByID(t, ideas[3]).Votes != 2 || m.item(t, m.discuss).Cast != 4 {
		t.Fatalf("votes %d cast %d", m.ideaByID(t, ideas[3]).Votes, m.item(t, m.discuss).Cast)
	}
}

func TestVoteMultiDot(t *testing.T) {
	m, ideas := votingMeeting(t)
	m.vote(t, m.matti, ideas[0])
	refuse(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[0]), session.CodeAlreadyVoted)

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"multiDot":true}`, m.discuss))
	if d := e.Data.(*session.ItemVoting); d.Dots != 3 || !d.MultiDot {
		t.Fatalf("item.voting event = %+v", d)
	}
	m.vote(t, m.matti, ideas[0])
	m.vote(t, m.matti, ideas[0])
	if got := m.tbl.Ballots[m.discuss][m.matti.ID][ideas[0]]; got != 3 || m.ideaByID(t, ideas[0]).Votes != 3 {
		t.Fatalf("three dots on one idea: ballot %d votes %d", got, m.ideaByID(t, ideas[0]).Votes)
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[0]), session.CodeBudget)
	mustDo(t, m, m.matti, cmdf(t, `{"op":"vote.remove","idea":%q}`, ideas[0]))
	if got := m.tbl.Ballots[m.discuss][m.matti.ID][ideas[0]]; got != 2 {
		t.Fatalf("ballot = %d after one taken back", got)
	}
}

func TestSetVotingBudget(t *testing.T) {
	m, ideas := votingMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":1}`, m.discuss))
	if it := m.item(t, m.discuss); it.Dots != 1 || it.MultiDot {
		t.Fatalf("item = dots %d multi %v", it.Dots, it.MultiDot)
	}
	m.vote(t, m.matti, ideas[0])
	refuse(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[1]), session.CodeBudget)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":2,"multiDot":false}`, m.discuss))
	m.vote(t, m.matti, ideas[1])
	if m.item(t, m.steps).Dots != 3 {
		t.Fatal("another item's budget changed")
	}

	refuse(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":2}`, m.discuss), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q}`, m.discuss), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":0}`, m.discuss), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":21}`, m.discuss), session.CodeInvalidValue)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":"id-999","dots":5}`), session.CodeNoItem)
	refuse(t, m, m.matti, cmdf(t, `{"op":"item.voting","item":%q,"dots":20}`, m.discuss), session.CodeForbidden)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":20}`, m.discuss))
}

func TestVoteRefusals(t *testing.T) {
	m, ideas := votingMeeting(t)
	m.vote(t, m.pekka, ideas[1])
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.pekka.ID))
	hidden := ideas[2]
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, hidden))

	vote := func(op, idea string) session.Command { return cmdf(t, `{"op":%q,"idea":%q}`, op, idea) }
	tests := []struct {
		name string
		who  session.Who
		cmd  session.Command
		code string
	}{
		{"unknown idea", m.matti, vote("vote.add", "id-999"), session.CodeNoIdea},
		{"hidden idea", m.matti, vote("vote.add", hidden), session.CodeIdeaHidden},
		{"remove without a dot", m.matti, vote("vote.remove", ideas[0]), session.CodeNoVote},
		{"removed participant", m.pekka, vote("vote.add", ideas[0]), session.CodeRemoved},
		{"removed participant takes back", m.pekka, vote("vote.remove", ideas[1]), session.CodeRemoved},
		{"facilitator", m.fac, vote("vote.add", ideas[0]), session.CodeForbidden},
		{"scribe", m.scribe, vote("vote.add", ideas[0]), session.CodeForbidden},
		{"guest", m.guest, vote("vote.add", ideas[0]), session.CodeForbidden},
		{"screen", m.screen, vote("vote.add", ideas[0]), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, tc.cmd, tc.code)
		})
	}

	// Only in the vote phase …
	for _, p := range []session.Phase{session.PhaseCollect, session.PhaseActions, session.PhaseClosed} {
		m.phase(t, m.discuss, p)
		refuse(t, m, m.matti, vote("vote.add", ideas[0]), session.CodeWrongPhase)
	}
	// … of the open item.
	m.phase(t, m.discuss, session.PhaseVote)
	m.open(t, m.steps)
	m.phase(t, m.steps, session.PhaseVote)
	refuse(t, m, m.matti, vote("vote.add", ideas[0]), session.CodeNotCurrent)
	m.open(t, m.discuss)
	m.vote(t, m.matti, ideas[0])
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	refuse(t, m, m.matti, vote("vote.remove", ideas[0]), session.CodeLocked)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.matti, vote("vote.remove", ideas[0]), session.CodeClosed)
}

func TestReveal(t *testing.T) {
	m, ideas := votingMeeting(t)
	m.vote(t, m.matti, ideas[1])
	m.vote(t, m.liisa, ideas[1])
	m.vote(t, m.aino, ideas[2])
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":3}`, ideas[3]))

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss))
	d := e.Data.(*session.ItemRevealed)
	if !d.Revealed || !m.item(t, m.discuss).Revealed {
		t.Fatal("not revealed")
	}
	want := []struct {
		idea  string
		total int
	}{{ideas[3], 3}, {ideas[1], 2}, {ideas[2], 1}, {ideas[0], 0}}
	if len(d.Results) != len(want) {
		t.Fatalf("results = %+v", d.Results)
	}
	for i, w := range want {
		if d.Results[i].Idea != w.idea || d.Results[i].Total != w.total {
			t.Fatalf("result %d = %+v, want %s with %d", i, d.Results[i], w.idea, w.total)
		}
	}
	if d.Results[0].RoomDots[m.room] != 3 || d.Results[0].Votes != 0 || d.Results[1].Votes != 2 {
		t.Fatalf("results split = %+v", d.Results[:2])
	}
	// Votes after the reveal say so.
	e = mustDo(t, m, m.pekka, cmdf(t, `{"op":"vote.add","idea":%q}`, ideas[0]))
	if !e.Data.(*session.VoteChanged).Revealed {
		t.Fatal("a vote after the reveal is not marked revealed")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss), session.CodeNoChange)

	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":false}`, m.discuss))
	if d := e.Data.(*session.ItemRevealed); d.Revealed || d.Results != nil || m.item(t, m.discuss).Revealed {
		t.Fatalf("hiding the results again: %+v", d)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q}`, m.discuss), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":"id-999","revealed":true}`), session.CodeNoItem)
	refuse(t, m, m.matti, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss), session.CodeForbidden)
}

func TestResultsRanking(t *testing.T) {
	m, ideas := votingMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":3,"multiDot":true}`, m.discuss))
	// ideas[2] and ideas[0] tie at 2: the earlier idea ranks first.
	m.vote(t, m.matti, ideas[2])
	m.vote(t, m.liisa, ideas[2])
	m.vote(t, m.matti, ideas[0])
	m.vote(t, m.matti, ideas[0])
	// ideas[1]: 1 participant dot + 4 room dots = 5, the winner.
	m.vote(t, m.aino, ideas[1])
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":4}`, ideas[1]))
	res := m.tbl.Results(m.discuss)
	got := []string{}
	for _, r := range res {
		got = append(got, r.Idea)
	}
	want := []string{ideas[1], ideas[0], ideas[2], ideas[3]}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranking = %v, want %v", got, want)
		}
	}
	if res[0].Total != 5 || res[0].Votes != 1 || res[0].RoomDots[m.room] != 4 {
		t.Fatalf("winner = %+v", res[0])
	}
	// Results are a copy: changing them does not change the table.
	res[0].RoomDots[m.room] = 99
	if m.ideaByID(t, ideas[1]).RoomDots[m.room] != 4 {
		t.Fatal("Results shares the room dots map with the table")
	}
	if r := m.tbl.Results(m.steps); r == nil || len(r) != 0 {
		t.Fatalf("results of an item without ideas = %#v, want an empty list", r)
	}
}
