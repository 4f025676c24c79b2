package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestReady(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("a new database: %v", err)
	}
	// The check leaves nothing behind: the writer still appends.
	mustCreate(t, db, "t1")
	mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 3)})
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("after appends: %v", err)
	}
}

func TestReadyClosed(t *testing.T) {
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "poyta.db"))
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	err = db.Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("a closed store: %v, want an error saying it is closed", err)
	}
}

// TestReadySchemaChanged: another program (a newer release) migrated the
// file while this one runs.
func TestReadySchemaChanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenPath(t, path)
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)"); err != nil {
		t.Fatal(err)
	}
	err = db.Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), "9999") {
		t.Fatalf("a newer schema: %v, want an error naming version 9999", err)
	}
}

// TestReadyReadOnlyFile: a database file that cannot be written opens
// (every migration is already applied) and serves reads, but is not ready.
func TestReadyReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, "t1")
	db.Close()
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Permissions do not stop root; an immutable file does.
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Skipf("running as root and cannot make the file immutable (chattr +i: %v %s)", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
	}
	db = mustOpenPath(t, path)
	if _, err := db.Table(context.Background(), "t1"); err != nil {
		t.Fatalf("reading a read-only database: %v", err)
	}
	err = db.Ready(context.Background())
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a read-only file: %v, want a read-only error", err)
	}
}

// TestReadyQueryOnly: the writer connection itself refuses to write.
func TestReadyQueryOnly(t *testing.T) {
	db := mustOpen(t)
	if _, err := db.writer.Exec("PRAGMA query_only = ON"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.writer.Exec("PRAGMA query_only = OFF") })
	if err := db.Ready(context.Background()); err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a writer that may not write: %v, want a read-only error", err)
	}
}

// TestReadyWriterBusy: while the writer connection is taken, Ready waits
// for it, and gives up when its context ends.
func TestReadyWriterBusy(t *testing.T) {
	db := mustOpen(t)
	release := holdWriter(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	waits := db.writer.Stats().WaitCount
	errc := make(chan error, 1)
	go func() { errc <- db.Ready(ctx) }()
	waitFor(t, "Ready to wait for the writer", func() bool { return db.writer.Stats().WaitCount > waits })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("a busy writer: %v, want context.Canceled", err)
	}
	release()
	if err := db.Ready(context.Background()); err != nil {
		t.Fatalf("after the writer is free again: %v", err)
	}
}
