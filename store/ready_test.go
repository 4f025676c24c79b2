package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestReady(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
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
	})
}

func TestReadyClosed(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		db.Close()
		err := db.Ready(context.Background())
		if err == nil || !strings.Contains(err.Error(), "closed") {
			t.Fatalf("a closed store: %v, want an error saying it is closed", err)
		}
	})
}

// TestReadySchemaChanged: another program (a newer release) migrated the
// database while this one runs.
func TestReadySchemaChanged(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		rawExec(t, db, "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)")
		err := db.Ready(context.Background())
		if err == nil || !strings.Contains(err.Error(), "9999") {
			t.Fatalf("a newer schema: %v, want an error naming version 9999", err)
		}
	})
}

// TestReadyReadOnlyFile: a SQLite file that cannot be written opens
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

// TestReadyReadOnlyWriter: the writer connection itself may not write: a
// SQLite connection with query_only on, a PostgreSQL session whose
// transactions are read-only (as on a standby).
func TestReadyReadOnlyWriter(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		var want string
		switch be := db.be.(type) {
		case *sqliteDB:
			if _, err := be.writer.Exec("PRAGMA query_only = ON"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { be.writer.Exec("PRAGMA query_only = OFF") })
			want = "readonly"
		case *pgDB:
			if _, err := be.writer.Exec(ctx, "SET default_transaction_read_only = on"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { be.writer.Exec(context.Background(), "SET default_transaction_read_only = off") })
			want = "read-only"
		}
		if err := db.Ready(ctx); err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("a writer that may not write: %v, want an error saying %q", err, want)
		}
	})
}

// TestReadyWriterBusy: while the writer connection is taken, Ready waits
// for it, and gives up when its context ends.
func TestReadyWriterBusy(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		release := holdWriter(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		switch be := db.be.(type) {
		case *sqliteDB:
			waits := be.writer.Stats().WaitCount
			errc := make(chan error, 1)
			go func() { errc <- db.Ready(ctx) }()
			waitFor(t, "Ready to wait for the writer", func() bool { return be.writer.Stats().WaitCount > waits })
			cancel()
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Fatalf("a busy writer: %v, want context.Canceled", err)
			}
		case *pgDB:
			// The pool tells a cancelled wait for a connection only once
			// it is over: cancel first, then see that the wait was for
			// the writer's connection.
			canceled := be.writer.Stat().CanceledAcquireCount()
			cancel()
			if err := db.Ready(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("a busy writer: %v, want context.Canceled", err)
			}
			if be.writer.Stat().CanceledAcquireCount() != canceled+1 {
				t.Fatal("Ready did not wait for the writer's connection")
			}
		}
		release()
		if err := db.Ready(context.Background()); err != nil {
			t.Fatalf("after the writer is free again: %v", err)
		}
	})
}
