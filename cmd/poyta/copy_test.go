package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
	"github.com/poyta/poyta/store/storetest"
)

// big is a long table: more events than copy moves at once, op keys on
// the ideas, and a snapshot partway.
var bigSeed = seed{id: "b1a2c3d4-0000-4000-8000-000000000001", code: "KP-MNPQ-RSTV", title: "Seinäjoen seudun iso kumppanuuspöytä",
	at: time.Date(2027, 3, 4, 15, 0, 0, 0, time.UTC)}

// seedBig plays a table with people participants who each add two ideas,
// through the domain, and stores it as the hub would, with a snapshot at
// snapAt. It returns the number of events.
func seedBig(t *testing.T, db *store.DB, s seed, people int, snapAt int64) int64 {
	t.Helper()
	n := 0
	env := session.Env{Now: s.at, MaxParticipants: people + 1, NewID: func() string { n++; return fmt.Sprintf("%s-%d", s.id, n) }}
	first, err := session.NewTable(session.NewTableInput{Title: s.title, Date: "2027-03-04", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Mitä seudulle?", Question: "Mitä tehdään yhdessä?"}}},
		session.Secrets{ID: s.id, Code: s.code, Key: make([]byte, 32), FacilitatorSecret: "secret-" + s.id}, env)
	if err != nil {
		t.Fatal(err)
	}
	tbl := new(session.Table)
	tbl.Apply(first)
	ctx := context.Background()
	if err := db.CreateTable(ctx, store.TableInfo{ID: s.id, Code: s.code, Title: s.title}, storeEvent(t, s.id, first)); err != nil {
		t.Fatal(err)
	}
	var batch store.Batch
	flush := func() {
		t.Helper()
		if len(batch.Events) == 0 {
			return
		}
		batch.Table = s.id
		if err := db.Append(ctx, batch); err != nil {
			t.Fatal(err)
		}
		batch = store.Batch{}
	}
	do := func(who session.Who, cmd session.Command, op string) session.Event {
		t.Helper()
		e, err := session.Decide(tbl, who, cmd, env)
		if err != nil {
			t.Fatalf("seed %s: %T: %v", s.id, cmd, err)
		}
		e.Seq = tbl.Seq + 1
		tbl.Apply(e)
		se := storeEvent(t, s.id, e)
		se.Op = op
		batch.Events = append(batch.Events, se)
		if e.Seq == snapAt {
			data, err := tbl.MarshalSnapshot()
			if err != nil {
				t.Fatal(err)
			}
			batch.Snapshot = &store.Snapshot{Seq: snapAt, Version: session.SnapshotVersion, Data: data}
		}
		if len(batch.Events) == 500 || batch.Snapshot != nil {
			flush()
		}
		return e
	}
	item := tbl.Items[0].ID // open from the start
	for i := range people {
		j := do(session.Who{Role: session.RoleGuest}, &session.Join{Name: fmt.Sprint("Osallistuja ", i), Sector: "resident",
			TokenHash: session.HashSecret(fmt.Sprint(s.id, i))}, "")
		who := session.Who{Role: session.RoleParticipant, ID: j.Data.(*session.ParticipantJoined).ID}
		for k := range 2 {
			_, _, add, err := session.ParseCommand(fmt.Appendf(nil, `{"op":"idea.add","item":%q,"text":"Idea %d/%d"}`, item, i, k))
			if err != nil {
				t.Fatal(err)
			}
			do(who, add, fmt.Sprintf("c%d-%d", i, k))
		}
	}
	flush()
	return tbl.Seq
}

// threeTables is a SQLite file with the two small tables and the big one;
// it returns the file and the number of events in it.
func threeTables(t *testing.T) (string, int64) {
	t.Helper()
	path := twoTables(t)
	db := mustOpenStore(t, path)
	seedBig(t, db, bigSeed, 1000, 2500)
	tables, err := db.Tables(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var events int64
	for _, ti := range tables {
		events += ti.LastSeq
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path, events
}

// sameOutput runs a command on both databases and wants the same output.
func sameOutput(t *testing.T, a, b string, args ...string) {
	t.Helper()
	outA, _, errA := runCmd(t, "", append(args, "--db", a)...)
	outB, _, errB := runCmd(t, "", append(args, "--db", b)...)
	if errA != nil || errB != nil {
		t.Fatalf("%v: %v, %v", args, errA, errB)
	}
	if outA != outB {
		t.Errorf("%v differs:\n%s\n---\n%s", args, outA, outB)
	}
}

// testCopy copies a SQLite file with three tables to dest and back to a
// new SQLite file, and checks what the two copies hold through the
// commands that read them.
func testCopy(t *testing.T, dest string) {
	src, events := threeTables(t)
	verified := fmt.Sprintf("Verified: 3 tables, %d events", events)
	out, _, err := runCmd(t, "", "copy", "--from", src, "--to", dest)
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	if !strings.Contains(out, verified) || strings.Count(out, "copied ") != 3 {
		t.Errorf("copy said:\n%s", out)
	}
	sameOutput(t, src, dest, "tables", "list")
	for _, s := range []seed{ahtari, alavus, bigSeed} {
		sameOutput(t, src, dest, "tables", "show", s.code)
		sameOutput(t, src, dest, "export", s.code, "--format", "json")
	}
	ctx := context.Background()
	db := mustOpenStore(t, dest)
	snap, err := db.LatestSnapshot(ctx, bigSeed.id)
	if err != nil || snap.Seq != 2500 {
		t.Errorf("big table's snapshot in the copy: seq %d, %v", snap.Seq, err)
	}
	ops, err := db.Ops(ctx, bigSeed.id, 0)
	if err != nil || len(ops) != 2000 {
		t.Errorf("big table's op keys in the copy: %d, %v", len(ops), err)
	}
	db.Close()

	// Again: nothing to write, all checked.
	out, _, err = runCmd(t, "", "copy", "--from", src, "--to", dest)
	if err != nil || strings.Count(out, "present ") != 3 || !strings.Contains(out, "Verified: 3 tables") {
		t.Errorf("second copy: %v\n%s", err, out)
	}

	// And back, into a new SQLite file.
	back := filepath.Join(t.TempDir(), "back.db")
	out, _, err = runCmd(t, "", "copy", "--from", dest, "--to", back)
	if err != nil || !strings.Contains(out, verified) {
		t.Fatalf("copy back: %v\n%s", err, out)
	}
	sameOutput(t, src, back, "tables", "list")
	sameOutput(t, src, back, "export", bigSeed.code, "--format", "json")
}

func TestCopyToSQLite(t *testing.T) {
	testCopy(t, filepath.Join(t.TempDir(), "dest.db"))
}

func TestCopyToPostgres(t *testing.T) {
	url, _ := storetest.Postgres(t)
	testCopy(t, url)
}

// TestCopyResumesAndChecks: an interrupted copy is completed; a destination
// that differs is reported, and so is one that is ahead or holds another
// table under the same id.
func TestCopyResumesAndChecks(t *testing.T) {
	for _, eng := range []string{"sqlite", "postgres"} {
		t.Run(eng, func(t *testing.T) {
			newDest := func() string {
				if eng == "postgres" {
					u, _ := storetest.Postgres(t)
					return u
				}
				return filepath.Join(t.TempDir(), "dest.db")
			}
			ctx := context.Background()
			src, _ := threeTables(t)
			s := mustOpenStore(t, src)
			info, err := s.Table(ctx, bigSeed.id)
			if err != nil {
				t.Fatal(err)
			}
			events, err := s.Events(ctx, bigSeed.id, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()

			// Cut short after 1,000 events.
			dest := newDest()
			d := mustOpenStore(t, dest)
			if err := d.CreateTable(ctx, info, events[0]); err != nil {
				t.Fatal(err)
			}
			if err := d.Append(ctx, store.Batch{Table: bigSeed.id, Events: events[1:1000]}); err != nil {
				t.Fatal(err)
			}
			d.Close()
			out, _, err := runCmd(t, "", "copy", "--from", src, "--to", dest)
			if err != nil || !strings.Contains(out, "resumed  "+bigSeed.id) || !strings.Contains(out, "Verified: 3 tables") {
				t.Fatalf("resumed copy: %v\n%s", err, out)
			}

			// The same number of events, one of them different.
			dest = newDest()
			d = mustOpenStore(t, dest)
			if err := d.CreateTable(ctx, info, events[0]); err != nil {
				t.Fatal(err)
			}
			changed := append([]store.Event(nil), events[1:]...)
			changed[2000].Actor = "facilitator"
			if err := d.Append(ctx, store.Batch{Table: bigSeed.id, Events: changed}); err != nil {
				t.Fatal(err)
			}
			d.Close()
			out, _, err = runCmd(t, "", "copy", "--from", src, "--to", dest)
			if err == nil || !strings.Contains(out, "DIFFERS  "+bigSeed.id) || !strings.Contains(out, "event 2002 differs") {
				t.Errorf("copy onto a different table: %v\n%s", err, out)
			}

			// Ahead of the source.
			d = mustOpenStore(t, dest)
			extra := events[len(events)-1]
			extra.Seq++
			extra.Op = ""
			if err := d.Append(ctx, store.Batch{Table: bigSeed.id, Events: []store.Event{extra}}); err != nil {
				t.Fatal(err)
			}
			d.Close()
			if out, _, err := runCmd(t, "", "copy", "--from", src, "--to", dest); err == nil || !strings.Contains(err.Error(), "more than the source's") {
				t.Errorf("copy onto a longer table: %v\n%s", err, out)
			}

			// Another table under the same id.
			dest = newDest()
			d = mustOpenStore(t, dest)
			other := info
			other.Code = "KP-XXXX-XXXX"
			if err := d.CreateTable(ctx, other, events[0]); err != nil {
				t.Fatal(err)
			}
			d.Close()
			if out, _, err := runCmd(t, "", "copy", "--from", src, "--to", dest); err == nil || !strings.Contains(err.Error(), "KP-XXXX-XXXX") {
				t.Errorf("copy onto another table with the same id: %v\n%s", err, out)
			}
		})
	}
}

func TestCopyRefuses(t *testing.T) {
	src := twoTables(t)
	for name, args := range map[string][]string{
		"no --to":        {"copy", "--from", src},
		"same database":  {"copy", "--from", src, "--to", src},
		"missing --from": {"copy", "--from", filepath.Join(t.TempDir(), "nope.db"), "--to", filepath.Join(t.TempDir(), "x.db")},
	} {
		if out, _, err := runCmd(t, "", args...); err == nil {
			t.Errorf("%s: copy succeeded:\n%s", name, out)
		}
	}
}

func TestCopyEmpty(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.db")
	mustOpenStore(t, empty).Close()
	out, _, err := runCmd(t, "", "copy", "--from", empty, "--to", filepath.Join(t.TempDir(), "dest.db"))
	if err != nil || !strings.Contains(out, "Verified: 0 tables") {
		t.Errorf("copy of an empty database: %v\n%s", err, out)
	}
}
