package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/poyta/poyta/store/storetest"
)

// Tests of what only the PostgreSQL backend has. The contract both engines
// share is tested on both by the other files.

// pgTest is a store on a schema of the test's own, with two raw
// connections to the same schema: one to hold transactions open, one to
// watch and act (a transaction sees pg_stat_activity as it was when the
// transaction first read it, so the watcher must stay outside).
type pgTest struct {
	db       *DB
	raw, mon *pgx.Conn
	app      string // the application_name of every connection on the schema
}

func openPostgresTest(t *testing.T) pgTest {
	t.Helper()
	url, app := storetest.Postgres(t)
	pt := pgTest{db: mustOpenPath(t, url), app: app}
	for _, c := range []**pgx.Conn{&pt.raw, &pt.mon} {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		*c = conn
	}
	return pt
}

// waitForLockWait waits until n of the schema's connections wait for a
// lock.
func (pt pgTest) waitForLockWait(t *testing.T, n int) {
	t.Helper()
	waitFor(t, "a connection waiting for a lock", func() bool {
		var got int
		err := pt.mon.QueryRow(context.Background(), `SELECT COUNT(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, pt.app).Scan(&got)
		return err == nil && got >= n
	})
}

// TestPostgresAppendWaitingOnTakeoverIsFenced: an append whose table row is
// locked by a takeover in progress must, once the takeover commits, see the
// new epoch and be refused. It must not have read the lease before the lock
// was granted.
func TestPostgresAppendWaitingOnTakeoverIsFenced(t *testing.T) {
	pt := openPostgresTest(t)
	db, raw := pt.db, pt.raw
	ctx := context.Background()
	mustCreate(t, db, "t1")
	a := mustAcquire(t, db, "t1", "node-a", time.Minute)

	// What AcquireLease does on node B, held open: lock the row, move the
	// lease on.
	tx, err := raw.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT 1 FROM tables WHERE id = 't1' FOR NO KEY UPDATE"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "UPDATE leases SET node = 'node-b', epoch = epoch + 1 WHERE table_id = 't1'"); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- appendAs(db, "t1", a.Epoch, 2, 2) }()
	pt.waitForLockWait(t, 1)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, ErrFenced) {
			t.Errorf("append that waited for the takeover: err = %v, want ErrFenced", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the append is still waiting")
	}
	if info, _ := db.Table(ctx, "t1"); info.LastSeq != 1 {
		t.Errorf("LastSeq = %d, want 1", info.LastSeq)
	}
}

// TestPostgresConnectionLost kills the writer's connection while its
// transaction waits: the append fails with the server's error, nothing is
// written, and the next append goes through on a new connection.
func TestPostgresConnectionLost(t *testing.T) {
	pt := openPostgresTest(t)
	db, raw := pt.db, pt.raw
	ctx := context.Background()
	mustCreate(t, db, "t1")

	tx, err := raw.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT 1 FROM tables WHERE id = 't1' FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- appendAs(db, "t1", 0, 2, 3) }()
	pt.waitForLockWait(t, 1)
	var killed bool
	if err := pt.mon.QueryRow(ctx, `SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = $1 AND wait_event_type = 'Lock'`, pt.app).Scan(&killed); err != nil || !killed {
		t.Fatalf("pg_terminate_backend: %v, %v", killed, err)
	}
	select {
	case err := <-errc:
		if err == nil || errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrFenced) {
			t.Errorf("append on a killed connection: err = %v, want the server's error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the append is still waiting")
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, db, "events", "table_id", "t1"); n != 1 {
		t.Errorf("%d events after the failed append, want 1", n)
	}
	mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 3)})
	if info, _ := db.Table(ctx, "t1"); info.LastSeq != 3 {
		t.Errorf("LastSeq = %d after recovery, want 3", info.LastSeq)
	}
}

// TestPostgresSynchronousCommitForcedOn: with synchronous_commit off for
// the store's sessions, every write transaction turns it on for itself.
func TestPostgresSynchronousCommitForcedOn(t *testing.T) {
	url, _ := storetest.Postgres(t)
	db := mustOpenPath(t, url+"&synchronous_commit=off")
	p := db.be.(*pgDB)
	if !p.syncOn {
		t.Fatal("synchronous_commit=off was not noticed")
	}
	ctx := context.Background()
	var got string
	err := p.inTx(ctx, p.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&got)
	})
	if err != nil || got != "on" {
		t.Errorf("synchronous_commit in a write transaction = %q, %v; want on", got, err)
	}
	// The group commit's transaction, as appendGroup begins it.
	conn, err := p.writer.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.lockTables(ctx, conn.Conn(), nil); err != nil {
		t.Fatal(err)
	}
	err = conn.QueryRow(ctx, "SELECT current_setting('synchronous_commit')").Scan(&got)
	if err != nil || got != "on" {
		t.Errorf("synchronous_commit in a group commit = %q, %v; want on", got, err)
	}
	if _, err := conn.Exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	conn.Release()
	mustCreate(t, db, "t1")
	mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 2)})
}

func TestPostgresBackupRefused(t *testing.T) {
	url, _ := storetest.Postgres(t)
	db := mustOpenPath(t, url)
	err := db.Backup(context.Background(), t.TempDir()+"/x.db")
	if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup on PostgreSQL: err = %v, want ErrUnsupported naming pg_dump", err)
	}
}

// TestPostgresOpenErrorHidesPassword: a server that cannot be reached is
// an error that names it without its password.
func TestPostgresOpenErrorHidesPassword(t *testing.T) {
	url := "postgres://poyta:s3cret-pw@127.0.0.1:1/poyta?connect_timeout=5"
	db, err := Open(context.Background(), url)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a closed port")
	}
	if strings.Contains(err.Error(), "s3cret-pw") {
		t.Errorf("error shows the password: %v", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1") {
		t.Errorf("error does not say which server: %v", err)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"poyta.db":                         "poyta.db",
		"/var/lib/poyta/poyta.db":          "/var/lib/poyta/poyta.db",
		"postgres://u:pw@db:5432/poyta":    "postgres://u:xxxxx@db:5432/poyta",
		"postgresql://u@db/poyta":          "postgresql://u@db/poyta",
		"postgres://db/poyta?password=pw":  "postgres://db/poyta?password=xxxxx",
		"POSTGRES://u:pw@db/poyta":         "postgres://u:xxxxx@db/poyta",
		"postgres://u:p%40w@db/p?sslmode=": "postgres://u:xxxxx@db/p?sslmode=",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsPostgres(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://db/poyta":   true,
		"postgresql://db/poyta": true,
		"Postgres://db/poyta":   true,
		"poyta.db":              false,
		"postgres.db":           false,
		"./postgres:/x":         false,
	} {
		if got := IsPostgres(in); got != want {
			t.Errorf("IsPostgres(%q) = %v, want %v", in, got, want)
		}
	}
}
