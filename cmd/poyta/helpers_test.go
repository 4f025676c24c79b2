package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// runCmd runs poyta with args in-process, with stdin, and returns what it
// wrote to stdout and stderr.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func mustOpenStore(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return db
}

// seed describes a table to write straight into a store.
type seed struct {
	id, code, title string
	at              time.Time // when it happened; a closed table closes then
	closed          bool
}

// seedTable plays a small Ähtäri–Soini table through the domain and
// stores its events, as the hub would.
func seedTable(t *testing.T, db *store.DB, s seed) {
	t.Helper()
	n := 0
	env := func() session.Env {
		return session.Env{Now: s.at, NewID: func() string { n++; return fmt.Sprintf("%s-%d", s.id, n) }}
	}
	first, err := session.NewTable(session.NewTableInput{
		Title: s.title, Theme: "Millainen on järjestöystävällinen kunta?", Date: "2027-02-25", Start: "17:00", End: "19:00",
		Link: "https://teams.example.fi/l/kumppanuuspoyta", Lang: "fi", Facilitator: "Sari Kivelä", AllowAnonymous: true,
		Agenda: []session.ItemInput{
			{Title: "Kaupungin tervehdys", Presenter: "vs. kaupunginjohtaja, Ähtärin kaupunki", Timebox: 10},
			{Title: "Keskustelu: järjestöystävällinen kunta", Question: "Mikä tekisi kunnastamme järjestöystävällisemmän?", Timebox: 50},
		},
	}, session.Secrets{ID: s.id, Code: s.code, Key: make([]byte, 32), FacilitatorSecret: "secret-" + s.id}, env())
	if err != nil {
		t.Fatal(err)
	}
	tbl := new(session.Table)
	tbl.Apply(first)
	events := []session.Event{first}
	do := func(who session.Who, cmd session.Command) session.Event {
		t.Helper()
		e, err := session.Decide(tbl, who, cmd, env())
		if err != nil {
			t.Fatalf("seed %s: %T: %v", s.id, cmd, err)
		}
		e.Seq = tbl.Seq + 1
		tbl.Apply(e)
		events = append(events, e)
		return e
	}
	parse := func(format string, args ...any) session.Command {
		_, _, cmd, err := session.ParseCommand([]byte(fmt.Sprintf(format, args...)))
		if err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	fac := session.Who{Role: session.RoleFacilitator}
	var people []string
	for _, p := range [][3]string{{"Riikka Salo", "Ähtärin kaupunki", "municipality"}, {"Erkki Mäkinen", "Ähtärin Eläkeläiset ry", "association"},
		{"Aino Virtanen", "", "resident"}} {
		e := do(session.Who{Role: session.RoleGuest}, &session.Join{Name: p[0], Org: p[1], Sector: p[2], TokenHash: session.HashSecret(s.id + p[0])})
		people = append(people, e.Data.(*session.ParticipantJoined).ID)
	}
	item := tbl.Items[1].ID
	do(fac, parse(`{"op":"item.open","item":%q}`, item))
	do(session.Who{Role: session.RoleParticipant, ID: people[1]}, parse(`{"op":"idea.add","item":%q,"text":"Yhteinen tapahtumakalenteri kaikille yhdistyksille"}`, item))
	do(fac, parse(`{"op":"idea.add","item":%q,"text":"Kyläkoulujen tilat kylätoiminnan käyttöön","onBehalf":"Eeva Rantala"}`, item))
	do(fac, parse(`{"op":"action.add","item":%q,"title":"Perustetaan yhteinen tapahtumakalenteri","owners":[{"participant":%q},{"org":"Kuudestaan ry"}],"due":"2027-03-31"}`, item, people[0]))
	status := "open"
	if s.closed {
		do(fac, parse(`{"op":"table.close"}`))
		status = "closed"
	}
	if err := db.CreateTable(context.Background(), store.TableInfo{ID: s.id, Code: s.code, Title: s.title}, storeEvent(t, s.id, first)); err != nil {
		t.Fatal(err)
	}
	b := store.Batch{Table: s.id, Status: status}
	for _, e := range events[1:] {
		b.Events = append(b.Events, storeEvent(t, s.id, e))
	}
	if err := db.Append(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

func storeEvent(t *testing.T, table string, e session.Event) store.Event {
	t.Helper()
	data, err := session.EncodeData(e)
	if err != nil {
		t.Fatal(err)
	}
	return store.Event{Table: table, Seq: e.Seq, Time: e.Time, Actor: e.Actor, Type: e.Type, Data: data}
}

var (
	ahtari = seed{id: "3f2b6a1e-0c4d-4b8e-9a7f-2d1c5e8b9a01", code: "KP-4F7K-9QX2", title: "Ähtärin ja Soinin kumppanuuspöytä",
		at: time.Date(2027, 2, 25, 15, 0, 0, 0, time.UTC), closed: true}
	alavus = seed{id: "7c9d2e4f-1a3b-4c5d-8e6f-0a1b2c3d4e5f", code: "KP-BCDF-GHJK", title: "Alavuden kumppanuuspöytä",
		at: time.Date(2027, 2, 17, 15, 0, 0, 0, time.UTC)}
)

// twoTables is a database file with the Ähtäri–Soini table (closed) and
// the Alavus table (open).
func twoTables(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenStore(t, path)
	seedTable(t, db, ahtari)
	seedTable(t, db, alavus)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}
