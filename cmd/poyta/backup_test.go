package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestBackup: the copy opens with store.Open, holds the same events, and
// passes SQLite's integrity check; an existing file is never overwritten.
func TestBackup(t *testing.T) {
	db := twoTables(t)
	dest := filepath.Join(t.TempDir(), "copy.db")
	out, _, err := runCmd(t, "", "backup", dest, "--db", db)
	if err != nil || !strings.Contains(out, dest) {
		t.Fatalf("backup: %v %s", err, out)
	}
	ctx := context.Background()
	orig, cp := mustOpenStore(t, db), mustOpenStore(t, dest)
	defer orig.Close()
	defer cp.Close()
	for _, id := range []string{ahtari.id, alavus.id} {
		a, err1 := orig.Events(ctx, id, 0, 0)
		b, err2 := cp.Events(ctx, id, 0, 0)
		if err1 != nil || err2 != nil || len(a) == 0 || !reflect.DeepEqual(a, b) {
			t.Errorf("table %s: %d events, %d in the copy (%v %v)", id, len(a), len(b), err1, err2)
		}
	}
	h, err := sql.Open("sqlite3", "file:"+dest+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	var check string
	if err := h.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	if _, _, err := runCmd(t, "", "backup", dest, "--db", db); err == nil {
		t.Error("backup overwrote an existing file")
	}
}
