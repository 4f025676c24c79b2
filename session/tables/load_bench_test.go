package tables_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/minutes"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// bigTable writes a table of n events to a new database the way the hub
// does (batches of 500, snapshots) and returns the database and the table
// id. Snapshots come every 10,000 events, the longest a busy big table goes
// without one (hub.snapshotDue), the newest 9,500 events before the end: a
// load replays nearly the most events it can have to. The meeting: 1,000 participants join;
// ten agenda items each collect 400 ideas (every tenth anonymous), go to
// the vote, where participants place and take back dots (20 each, several
// per idea) until the item's share of n is reached, get revealed, and get
// five actions.
func bigTable(b *testing.B, n int) (*store.DB, string) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	const people, items, ideasPerItem, dots = 1000, 10, 400, 20
	in := session.NewTableInput{Title: "Maakunnan kumppanuuspöytä", Theme: "Millainen on järjestöystävällinen kunta?",
		Lang: "fi", Facilitator: "Anu Hätinen", AllowAnonymous: true, Dots: dots, MultiDot: true}
	for i := range items {
		in.Agenda = append(in.Agenda, session.ItemInput{Title: fmt.Sprintf("Teema %d", i+1), Question: "Mitä tehdään?"})
	}
	created, err := tables.Create(ctx, db, in, nil)
	if err != nil {
		b.Fatal(err)
	}
	l, err := tables.Load(ctx, db, created.ID, 0)
	if err != nil {
		b.Fatal(err)
	}
	t := l.Table
	at := time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)
	ids := 0
	env := session.Env{MaxParticipants: 100000, NewID: func() string { ids++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", ids) }}
	rng := rand.New(rand.NewPCG(1, 2))
	var batch []store.Event
	nextSnap := int64(500)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		bt := store.Batch{Table: created.ID, Events: batch}
		if t.Seq >= nextSnap {
			data, err := t.MarshalSnapshot()
			if err != nil {
				b.Fatal(err)
			}
			bt.Snapshot = &store.Snapshot{Table: created.ID, Seq: t.Seq, Version: session.SnapshotVersion, Data: data}
			nextSnap += 10 * int64(live.DefaultConfig().SnapshotEvery)
		}
		if err := db.Append(ctx, bt); err != nil {
			b.Fatal(err)
		}
		batch = nil
	}
	do := func(who session.Who, cmd session.Command) session.Event {
		at = at.Add(30 * time.Millisecond)
		env.Now = at
		e, err := session.Decide(t, who, cmd, env)
		if err != nil {
			b.Fatalf("event %d, %T: %v", t.Seq+1, cmd, err)
		}
		e.Seq, e.Op = t.Seq+1, fmt.Sprintf("%s op-%d", who.Actor(), t.Seq+1)
		t.Apply(e)
		se, err := tables.ToStore(created.ID, e)
		if err != nil {
			b.Fatal(err)
		}
		batch = append(batch, se)
		if len(batch) == 500 {
			flush()
		}
		return e
	}
	fac := session.Who{Role: session.RoleFacilitator}
	var ps []session.Who
	for i := range people {
		e := do(session.Who{Role: session.RoleGuest}, &session.Join{Name: fmt.Sprintf("Osallistuja %d", i+1),
			Org: fmt.Sprintf("Yhdistys %d ry", i%97+1), Sector: []string{"municipality", "association", "resident", "business"}[i%4],
			TokenHash: session.HashSecret(fmt.Sprint(i))})
		ps = append(ps, session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID})
	}
	const tail = 7 // reveal, actions phase, five actions
	for k, it := range t.Items {
		item := it.ID
		if t.Current != item {
			do(fac, &session.OpenItem{Item: item})
		}
		var ideas []string
		for i := range ideasPerItem {
			e := do(ps[rng.IntN(people)], &session.AddIdea{Item: item, Anonymous: i%10 == 0,
				Text: fmt.Sprintf("Ehdotus %d: kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin", i+1)})
			ideas = append(ideas, e.Data.(*session.IdeaAdded).Idea)
		}
		do(fac, &session.SetPhase{Item: item, Phase: session.PhaseVote})
		ballots := make([][]string, people)
		until := int64(people + (k+1)*(n-people)/items - tail)
		for t.Seq < until {
			p := rng.IntN(people)
			if len(ballots[p]) < dots && (len(ballots[p]) == 0 || rng.IntN(5) != 0) {
				idea := ideas[rng.IntN(len(ideas))]
				ballots[p] = append(ballots[p], idea)
				do(ps[p], &session.Vote{Idea: idea, Delta: 1})
			} else {
				j := rng.IntN(len(ballots[p]))
				idea := ballots[p][j]
				ballots[p] = append(ballots[p][:j], ballots[p][j+1:]...)
				do(ps[p], &session.Vote{Idea: idea, Delta: -1})
			}
		}
		do(fac, &session.Reveal{Item: item, Revealed: true})
		do(fac, &session.SetPhase{Item: item, Phase: session.PhaseActions})
		for a := range 5 {
			do(fac, parseCmd(b, fmt.Sprintf(`{"op":"action.add","item":%q,"title":"Toimenpide %d","ideas":[%q]}`, item, a+1, ideas[a])))
		}
	}
	flush()
	if t.Seq != int64(n) {
		b.Fatalf("built %d events, want %d", t.Seq, n)
	}
	return db, created.ID
}

func parseCmd(b *testing.B, msg string) session.Command {
	_, _, cmd, err := session.ParseCommand([]byte(msg))
	if err != nil {
		b.Fatalf("%s: %v", msg, err)
	}
	return cmd
}

// BenchmarkTable100k is a table of 100,000 events: its cold load as the
// hub does it (newest snapshot, the events after it, the resume window of
// 2,000 events, and the op ids for idempotent retries), the load the CLI
// does (no resume window), and its minutes (build and Markdown).
func BenchmarkTable100k(b *testing.B) {
	const n = 100000
	db, id := bigTable(b, n)
	ctx := context.Background()
	cfg := live.DefaultConfig()
	b.Run("load-hub", func(b *testing.B) {
		for b.Loop() {
			l, err := tables.Load(ctx, db, id, cfg.ResumeWindow)
			if err != nil {
				b.Fatal(err)
			}
			ops, err := db.Ops(ctx, id, 0)
			if err != nil || l.Table.Seq != n || len(l.Recent) != cfg.ResumeWindow || len(ops) != n-1 {
				b.Fatalf("loaded seq %d, %d recent, %d ops: %v", l.Table.Seq, len(l.Recent), len(ops), err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
	})
	b.Run("load-cli", func(b *testing.B) {
		for b.Loop() {
			if _, err := tables.Load(ctx, db, id, 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/load")
	})
	l, err := tables.Load(ctx, db, id, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("snapshot", func(b *testing.B) {
		// What the hub does every SnapshotEvery events, on its goroutine.
		var n int
		for b.Loop() {
			data, err := l.Table.MarshalSnapshot()
			if err != nil {
				b.Fatal(err)
			}
			n = len(data)
		}
		b.ReportMetric(float64(n), "bytes")
	})
	b.Run("minutes-md", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			markdownMinutes(b, l.Table, &out)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/minutes")
		b.ReportMetric(float64(out.Len()), "bytes")
	})
	b.Run("export-md", func(b *testing.B) {
		// What "poyta export" does: load, build, render.
		var out bytes.Buffer
		for b.Loop() {
			l, err := tables.Load(ctx, db, id, 0)
			if err != nil {
				b.Fatal(err)
			}
			markdownMinutes(b, l.Table, &out)
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/export")
	})
}

// markdownMinutes builds a table's minutes and renders them as Markdown
// into out.
func markdownMinutes(b *testing.B, t *session.Table, out *bytes.Buffer) {
	m, err := minutes.Build(t, minutes.Options{})
	if err != nil {
		b.Fatal(err)
	}
	out.Reset()
	if err := minutes.WriteMarkdown(out, m); err != nil {
		b.Fatal(err)
	}
}
