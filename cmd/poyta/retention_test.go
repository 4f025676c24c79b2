package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/store"
	"github.com/spf13/cobra"
)

func TestParseRetention(t *testing.T) {
	for in, want := range map[string]time.Duration{"0": 0, "365d": 365 * 24 * time.Hour, "1d": 24 * time.Hour,
		"720h": 720 * time.Hour, "90m": 90 * time.Minute, "0d": 0} {
		if got, err := parseRetention(in); err != nil || got != want {
			t.Errorf("parseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "1.5d", "-5h", "year", "365 d"} {
		if _, err := parseRetention(in); err == nil {
			t.Errorf("parseRetention(%q) accepted", in)
		}
	}
	var r retention
	r.Set("365d")
	if r.String() != "365d" {
		t.Errorf("String() = %q", r.String())
	}
	if _, _, err := runCmd(t, "", "serve", "--retention", "soon"); err == nil || !strings.Contains(err.Error(), "retention") {
		t.Errorf("serve --retention soon: %v", err)
	}
}

// TestRetention runs serve with --retention 365d: a table closed 400 days
// ago is purged at start, a recently closed one and an old open one stay,
// and a table that ages past the retention while the server runs is
// purged by the periodic check.
func TestRetention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenStore(t, path)
	now := time.Now().UTC()
	old := seed{id: "old-closed", code: "KP-2345-6789", title: "Kurikan kumppanuuspöytä", at: now.AddDate(0, 0, -400), closed: true}
	recent := seed{id: "recent-closed", code: "KP-3456-789B", title: "Lapuan kumppanuuspöytä", at: now.AddDate(0, 0, -10), closed: true}
	open := seed{id: "old-open", code: "KP-4567-89BC", title: "Alajärven kumppanuuspöytä", at: now.AddDate(0, 0, -500)}
	for _, s := range []seed{old, recent, open} {
		seedTable(t, db, s)
	}
	db.Close()

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var logs bytes.Buffer
	cmd := &cobra.Command{}
	cmd.SetErr(&logs)
	o := &serveOptions{addr: "127.0.0.1:0", db: path, logLevel: "info", maxParticipants: 100, shutdownTimeout: 5 * time.Second,
		retention: retention(365 * 24 * time.Hour), purgeEvery: 20 * time.Millisecond, ready: ready}
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, cmd, o) }()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not start")
	}
	st := mustOpenStore(t, path)
	defer st.Close()
	if _, err := st.Table(ctx, old.id); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the table closed 400 days ago is still there: %v", err)
	}
	for _, id := range []string{recent.id, open.id} {
		if _, err := st.Table(ctx, id); err != nil {
			t.Errorf("table %s was purged: %v", id, err)
		}
	}
	// A table that is past the retention appears while the server runs.
	late := seed{id: "late-closed", code: "KP-5678-9BCD", title: "Kauhajoen kumppanuuspöytä", at: now.AddDate(-2, 0, 0), closed: true}
	seedTable(t, st, late)
	deadline := time.After(5 * time.Second)
	for {
		if _, err := st.Table(ctx, late.id); errors.Is(err, store.ErrNotFound) {
			break
		}
		select {
		case <-deadline:
			t.Fatal("the periodic purge did not remove a table past the retention")
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(logs.String(), "closed table purged") || !strings.Contains(logs.String(), "table=old-closed") {
		t.Errorf("purges not logged:\n%s", logs.String())
	}
}
