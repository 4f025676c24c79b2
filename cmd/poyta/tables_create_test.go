package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTablesCreateFromEarlier: the CLI continues a series. The new table
// copies the agenda, brings the earlier open action for review, and its
// facilitator link opens it.
func TestTablesCreateFromEarlier(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenStore(t, path)
	seedTable(t, db, seed{id: "0b0b0b0b-0000-4000-8000-000000000001", code: "KP-2345-6789", title: "Kurikan kumppanuuspöytä", at: time.Date(2027, 2, 24, 17, 0, 0, 0, time.UTC), closed: true})
	db.Close()

	out, _, err := runCmd(t, "", "tables", "create", "--db", path, "--from", "kp 2345 6789", "--title", "Ähtärin ja Soinin kumppanuuspöytä",
		"--date", "2027-02-25", "--url", "https://poyta.example.fi/")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "1 open actions brought for review") || !strings.Contains(out, "https://poyta.example.fi/f/") {
		t.Fatalf("output:\n%s", out)
	}
	id := regexp.MustCompile(`Table\s+(\S+)`).FindStringSubmatch(out)[1]
	secret := regexp.MustCompile(`/f/\S+#(\S+)`).FindStringSubmatch(out)[1]
	db = mustOpenStore(t, path)
	defer db.Close()
	tbl, err := loadTable(context.Background(), db, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(tbl.Items) != 3 || tbl.Items[0].ID != tbl.FollowItem || tbl.Items[2].Title != "Keskustelu: järjestöystävällinen kunta" {
		t.Fatalf("agenda of the new table: %d items", len(tbl.Items))
	}
	if len(tbl.FollowUps) != 1 || tbl.FollowUps[0].Title != "Perustetaan yhteinen tapahtumakalenteri" || tbl.FollowUps[0].Owners[0].Name != "Riikka Salo" {
		t.Fatalf("follow-ups: %+v", tbl.FollowUps)
	}
	if _, err := tbl.Authenticate("facilitator", secret); err != nil {
		t.Fatalf("the printed facilitator link does not open the table: %v", err)
	}

	// A plain table with its own agenda.
	out, _, err = runCmd(t, "", "tables", "create", "--db", path, "--title", "Joutsan elinvoimapaja", "--lang", "fi",
		"--item", "Kyselyn tulokset||20", "--item", "Työpaja|Mitä teemme yhdessä?|60")
	if err != nil || strings.Contains(out, "review") {
		t.Fatalf("plain create: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, "", "tables", "create", "--db", path, "--title", "X", "--item", "Työpaja|?|tunti"); err == nil {
		t.Fatal("a time box that is not minutes was accepted")
	}
}
