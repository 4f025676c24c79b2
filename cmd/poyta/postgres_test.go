package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poyta/poyta/store"
	"github.com/poyta/poyta/store/storetest"
)

// TestCommandsOnPostgres: the organiser's commands with --db postgres://….
// (copy_test.go checks list, show and export against SQLite's output;
// serve_test.go runs serve.)
func TestCommandsOnPostgres(t *testing.T) {
	url, _ := storetest.Postgres(t)
	ctx := context.Background()

	// An empty schema is not a database to read: nothing is created in it.
	if _, _, err := runCmd(t, "", "tables", "list", "--db", url); err == nil || !strings.Contains(err.Error(), "no Pöytä database") {
		t.Errorf("tables list on an empty schema: %v", err)
	}
	if ok, err := store.Exists(ctx, url); ok || err != nil {
		t.Errorf("Exists after tables list on an empty schema = %v, %v; want false", ok, err)
	}

	// tables create makes it, as serve would.
	out, _, err := runCmd(t, "", "tables", "create", "--db", url, "--title", "Kuopion kumppanuuspöytä", "--date", "2027-04-08",
		"--item", "Tervetuloa", "--item", "Keskustelu|Mitä teemme yhdessä?|45")
	if err != nil {
		t.Fatalf("tables create: %v\n%s", err, out)
	}
	code := strings.Fields(strings.SplitN(out, "\n", 3)[1])[2]
	if out, _, err = runCmd(t, "", "tables", "list", "--db", url); err != nil || !strings.Contains(out, "Kuopion kumppanuuspöytä") || !strings.Contains(out, code) {
		t.Errorf("tables list: %v\n%s", err, out)
	}
	if out, _, err = runCmd(t, "", "export", code, "--db", url); err != nil || !strings.Contains(out, "Mitä teemme yhdessä?") {
		t.Errorf("export: %v\n%s", err, out)
	}

	// Backup is PostgreSQL's business.
	dest := filepath.Join(t.TempDir(), "backup.db")
	if _, _, err := runCmd(t, "", "backup", dest, "--db", url); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup of PostgreSQL: %v, want a refusal naming pg_dump", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("backup left a file: %v", err)
	}

	if out, _, err = runCmd(t, "", "tables", "delete", code, "--yes", "--db", url); err != nil || !strings.Contains(out, "Deleted table") {
		t.Fatalf("tables delete: %v\n%s", err, out)
	}
	if out, _, err = runCmd(t, "", "tables", "list", "--db", url); err != nil || !strings.Contains(out, "No tables in") {
		t.Errorf("tables list after delete: %v\n%s", err, out)
	}
}

// TestPostgresPasswordNeverShown: a PostgreSQL URL's password stays out of
// what the commands print, whether they fail or succeed.
func TestPostgresPasswordNeverShown(t *testing.T) {
	url := "postgres://poyta:s3cret-pw@127.0.0.1:1/poyta?connect_timeout=5"
	for _, args := range [][]string{
		{"tables", "list", "--db", url},
		{"tables", "create", "--title", "x", "--db", url},
		{"copy", "--from", filepath.Join(t.TempDir(), "none.db"), "--to", url},
	} {
		out, errOut, err := runCmd(t, "", args...)
		if err == nil {
			t.Errorf("%v succeeded against a closed port", args)
			continue
		}
		if strings.Contains(out+errOut+err.Error(), "s3cret-pw") {
			t.Errorf("%v shows the password: %v\n%s%s", args, err, out, errOut)
		}
	}
}
