package session_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// benchTable is a table in the middle of a big meeting: participants
// joined, the discussion item open with ideas, in the given phase.
type benchTable struct {
	tbl     *session.Table
	env     session.Env
	people  []session.Who
	ideas   []string
	item    string
	fac     session.Who
	decided int
}

func newBenchTable(b *testing.B, participants, ideas int, phase session.Phase) *benchTable {
	b.Helper()
	n := 0
	env := session.Env{Now: time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC), MaxParticipants: 100000,
		NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }}
	in := demoInput()
	in.Dots, in.MultiDot = 20, true
	e, err := session.NewTable(in, demoSecrets(), env)
	if err != nil {
		b.Fatal(err)
	}
	bt := &benchTable{tbl: new(session.Table), env: env, fac: session.Who{Role: session.RoleFacilitator}}
	bt.tbl.Apply(e)
	bt.item = bt.tbl.Items[1].ID
	for i := range participants {
		e := bt.must(b, session.Who{Role: session.RoleGuest}, &session.Join{Name: fmt.Sprintf("Osallistuja %d", i),
			Org: "Yhdistys ry", Sector: "association", TokenHash: session.HashSecret(fmt.Sprint("token", i))})
		bt.people = append(bt.people, session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID})
	}
	bt.must(b, bt.fac, parse(b, `{"op":"item.open","item":%q}`, bt.item))
	for i := range ideas {
		e := bt.must(b, bt.people[i%len(bt.people)], parse(b, `{"op":"idea.add","item":%q,"text":"Idea %d: kunnan tilat yhdistysten käyttöön"}`, bt.item, i))
		bt.ideas = append(bt.ideas, e.Data.(*session.IdeaAdded).Idea)
	}
	if phase != session.PhaseCollect {
		bt.must(b, bt.fac, parse(b, `{"op":"item.phase","item":%q,"phase":%q}`, bt.item, phase))
	}
	return bt
}

// must decides and applies a command, as the hub does.
func (bt *benchTable) must(b *testing.B, who session.Who, cmd session.Command) session.Event {
	e, err := session.Decide(bt.tbl, who, cmd, bt.env)
	if err != nil {
		b.Fatalf("Decide %T: %v", cmd, err)
	}
	e.Seq = bt.tbl.Seq + 1
	bt.tbl.Apply(e)
	bt.decided++
	return e
}

func parse(b *testing.B, format string, args ...any) session.Command {
	_, _, cmd, err := session.ParseCommand(fmt.Appendf(nil, format, args...))
	if err != nil {
		b.Fatal(err)
	}
	return cmd
}

// BenchmarkDecideApplyVote is the hub's work for one dot at a table of
// 1,000 participants and 200 ideas: decide (authorise, check the budget)
// and apply. Each participant places a dot and later takes it back.
func BenchmarkDecideApplyVote(b *testing.B) {
	bt := newBenchTable(b, 1000, 200, session.PhaseVote)
	add, remove := &session.Vote{Delta: 1}, &session.Vote{Delta: -1}
	i := 0
	for b.Loop() {
		who := bt.people[i%len(bt.people)]
		add.Idea = bt.ideas[i%len(bt.ideas)]
		bt.must(b, who, add)
		remove.Idea = add.Idea
		bt.must(b, who, remove)
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/event")
	b.ReportMetric(float64(2*b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkDecideApplyIdea is one idea added and deleted again by a
// participant while the item already has 1,000 ideas.
func BenchmarkDecideApplyIdea(b *testing.B) {
	bt := newBenchTable(b, 1000, 1000, session.PhaseCollect)
	i := 0
	for b.Loop() {
		who := bt.people[i%len(bt.people)]
		add := &session.AddIdea{Item: bt.item, Text: "Yhteinen tapahtumakalenteri kaikille yhdistyksille"}
		e := bt.must(b, who, add)
		bt.must(b, who, &session.DeleteIdea{Idea: e.Data.(*session.IdeaAdded).Idea})
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/event")
}

// BenchmarkParseCommand is the strict decoding of one client message, done
// by the read pumps before a command reaches the hub.
func BenchmarkParseCommand(b *testing.B) {
	msg := []byte(`{"id":"k3J9xQ2aTfE-17","op":"vote.add","idea":"d0630e0b-0738-40ae-b954-613f4f326c16"}`)
	for b.Loop() {
		if _, _, _, err := session.ParseCommand(msg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkViewFor is the snapshot a participant gets on connecting, at a
// table of 1,000 participants and 1,000 ideas.
func BenchmarkViewFor(b *testing.B) {
	bt := newBenchTable(b, 1000, 1000, session.PhaseVote)
	for _, who := range []session.Who{bt.people[0], bt.fac} {
		b.Run(string(who.Role), func(b *testing.B) {
			for b.Loop() {
				bt.tbl.ViewFor(who)
			}
		})
	}
}
