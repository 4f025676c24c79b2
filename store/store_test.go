package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/poyta/poyta/store/storetest"
)

// base is a fixed event time with sub-microsecond digits and a non-UTC zone,
// to show what survives a round trip.
var base = time.Date(2025, 3, 14, 9, 26, 53, 589793238, time.FixedZone("EET", 2*60*60))

// engine is a database engine the store's tests run on.
type engine struct {
	name string
	// target returns where a new, empty database of this engine is: the
	// path of a file that does not exist yet, or a PostgreSQL URL whose
	// connections use a schema of the test's own.
	target func(t testing.TB) string
}

var (
	sqliteEngine = engine{"sqlite", func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "poyta.db")
	}}
	postgresEngine = engine{"postgres", func(t testing.TB) string {
		u, _ := storetest.Postgres(t)
		return u
	}}
	allEngines = []engine{sqliteEngine, postgresEngine}
)

// eachEngine runs f as a subtest on a new database of every engine. The
// PostgreSQL one is skipped without a test server (storetest).
func eachEngine(t *testing.T, f func(t *testing.T, eng engine)) {
	t.Helper()
	for _, eng := range allEngines {
		t.Run(eng.name, func(t *testing.T) { f(t, eng) })
	}
}

// open opens a new database of e and closes it when the test ends.
func (eng engine) open(t testing.TB) *DB {
	t.Helper()
	return mustOpenPath(t, eng.target(t))
}

// mustOpen opens a new SQLite database in a temporary directory and closes
// it when the test ends.
func mustOpen(t testing.TB) *DB {
	t.Helper()
	return sqliteEngine.open(t)
}

// mustOpenPath opens the database at path (or URL) and closes it when the
// test ends.
func mustOpenPath(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", Redact(path), err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// sqliteOf returns db's SQLite backend.
func sqliteOf(t testing.TB, db *DB) *sqliteDB {
	t.Helper()
	s, ok := db.be.(*sqliteDB)
	if !ok {
		t.Fatalf("database is %s, not SQLite", db.Engine())
	}
	return s
}

// rawRow runs a query on the database itself, beside the store's API.
// Placeholders are written ?, for both engines.
func rawRow(t testing.TB, db *DB, q string, args ...any) interface{ Scan(...any) error } {
	t.Helper()
	switch be := db.be.(type) {
	case *sqliteDB:
		return be.reader.QueryRow(q, args...)
	case *pgDB:
		return be.pool.QueryRow(context.Background(), dollars(q), args...)
	}
	t.Fatalf("unknown backend %T", db.be)
	return nil
}

// rawExec runs a statement on the database itself, beside the store's API.
// Placeholders are written ?, for both engines.
func rawExec(t testing.TB, db *DB, q string, args ...any) {
	t.Helper()
	var err error
	switch be := db.be.(type) {
	case *sqliteDB:
		_, err = be.writer.Exec(q, args...)
	case *pgDB:
		_, err = be.pool.Exec(context.Background(), dollars(q), args...)
	default:
		t.Fatalf("unknown backend %T", db.be)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// dollars numbers ? placeholders as PostgreSQL's $1, $2, ...
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ev returns a valid event of table at seq, seq seconds after base.
func ev(table string, seq int64) Event {
	return Event{
		Table: table,
		Seq:   seq,
		Time:  base.Add(time.Duration(seq) * time.Second),
		Actor: "facilitator",
		Type:  "test.event",
		Data:  fmt.Appendf(nil, `{"seq":%d}`, seq),
	}
}

// evs returns the events of table from seq `from` to `to` inclusive.
func evs(table string, from, to int64) []Event {
	var out []Event
	for s := from; s <= to; s++ {
		out = append(out, ev(table, s))
	}
	return out
}

// mustCreate creates table id with join code "C-"+id and its first event.
func mustCreate(t testing.TB, db *DB, id string) {
	t.Helper()
	first := ev(id, 1)
	first.Type = "table.created"
	info := TableInfo{ID: id, Code: "C-" + id, Title: "Table " + id, CreatedAt: first.Time}
	if err := db.CreateTable(context.Background(), info, first); err != nil {
		t.Fatalf("CreateTable(%s): %v", id, err)
	}
}

func mustAppend(t testing.TB, db *DB, b Batch) {
	t.Helper()
	if err := db.Append(context.Background(), b); err != nil {
		t.Fatalf("Append(%s, %d events): %v", b.Table, len(b.Events), err)
	}
}

// countRows counts the rows of a store table that belong to a Pöytä table.
func countRows(t *testing.T, db *DB, table, idColumn, id string) int {
	t.Helper()
	var n int
	q := fmt.Sprintf("SELECT COUNT(*) FROM %s WHERE %s = ?", table, idColumn)
	if err := rawRow(t, db, q, id).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// waitFor polls cond until it holds, failing the test after a while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCheckVersion(t *testing.T) {
	tests := []struct {
		v  string
		ok bool
	}{
		{"3.51.3", true},
		{"3.54.1", true},
		{"3.51.10", true},
		{"3.100.0", true},
		{"3.52", true},
		{"4.0.0", true},
		{"3.51.2", false},
		{"3.9.9", false}, // larger than "3.51.3" as a string
		{"3.51", false},
		{"2.99.99", false},
		{"", false},
		{"3.x.1", false},
		{"3.51.3.1", false},
	}
	for _, tt := range tests {
		err := checkVersion(tt.v)
		if (err == nil) != tt.ok {
			t.Errorf("checkVersion(%q) = %v, want ok=%v", tt.v, err, tt.ok)
		}
	}
}

func TestOpenReportsVersion(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		if db.Engine() != eng.name {
			t.Errorf("Engine() = %q, want %q", db.Engine(), eng.name)
		}
		switch eng.name {
		case "sqlite":
			if err := checkVersion(db.SQLiteVersion()); err != nil || db.Version() != db.SQLiteVersion() {
				t.Fatalf("SQLiteVersion() = %q, Version() = %q: %v", db.SQLiteVersion(), db.Version(), err)
			}
		case "postgres":
			if db.SQLiteVersion() != "" || !regexp.MustCompile(`^\d+\.\d+`).MatchString(db.Version()) {
				t.Errorf("SQLiteVersion() = %q, Version() = %q; want \"\" and a PostgreSQL version", db.SQLiteVersion(), db.Version())
			}
		}
	})
}

func TestOpenRejectsNonFilePaths(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
		if db, err := Open(context.Background(), p); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want error", p)
		}
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a ?b#c%20d.db")
	db := mustOpenPath(t, path)
	mustCreate(t, db, "t1")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at the exact path: %v", err)
	}
}

func TestPragmasOnEveryConnection(t *testing.T) {
	db := sqliteOf(t, mustOpen(t))
	ctx := context.Background()

	var sync int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		t.Fatal(err)
	}
	if sync != 2 {
		t.Errorf("writer synchronous = %d, want 2", sync)
	}

	// Hold all reader connections at once so each check runs on a different one.
	var conns []*sql.Conn
	for range readerConns {
		c, err := db.reader.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	for i, c := range conns {
		var fk, busy, queryOnly int
		var journal string
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA query_only").Scan(&queryOnly); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != 5000 || journal != "wal" || queryOnly != 1 {
			t.Errorf("reader %d: foreign_keys=%d busy_timeout=%d journal_mode=%s query_only=%d, want 1 5000 wal 1",
				i, fk, busy, journal, queryOnly)
		}
		if _, err := c.ExecContext(ctx, "DELETE FROM tables"); err == nil {
			t.Errorf("reader %d: write succeeded, want refusal", i)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestOpenRefusesGarbageFile(t *testing.T) {
	for _, size := range []int{1, 15, 100, 4096, 65536} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "garbage.db")
			junk := make([]byte, size)
			rand.Read(junk)
			if err := os.WriteFile(path, junk, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := Open(context.Background(), path)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded on random bytes")
			}
			if !strings.Contains(err.Error(), "not a SQLite database") {
				t.Errorf("error %q does not say what is wrong", err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, junk) {
				t.Error("the file was modified")
			}
			for _, suffix := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(path + suffix); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("%s exists next to the file (err=%v)", suffix, err)
				}
			}
		})
	}
}

// TestOpenRefusesCorruptHeaderBehindMagic covers a file that SQLite itself
// must refuse: right magic, nonsense after it.
func TestOpenRefusesCorruptHeaderBehindMagic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	junk := make([]byte, 4096)
	rand.Read(junk)
	copy(junk, sqliteMagic)
	junk[16], junk[17] = 0x00, 0x03 // page size 3: invalid
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded on a corrupt header")
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, junk) {
		t.Error("the file was modified")
	}
}

func TestOpenEmptyFileCreatesDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	db := mustOpenPath(t, path)
	mustCreate(t, db, "t1")
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		db, err := Open(context.Background(), target)
		if err != nil {
			t.Fatal(err)
		}
		rawExec(t, db, "INSERT INTO schema_migrations (version, applied_at) VALUES (9999, 0)")
		db.Close()

		db, err = Open(context.Background(), target)
		if err == nil {
			db.Close()
			t.Fatal("Open succeeded on a newer schema")
		}
		if !strings.Contains(err.Error(), "9999") || !strings.Contains(err.Error(), "newer") {
			t.Errorf("error %q does not explain the version problem", err)
		}
	})
}

// TestMigrationsAreNumberedAndUnique also checks that both engines carry the
// same migration numbers: a number is one change, made on both.
func TestMigrationsAreNumberedAndUnique(t *testing.T) {
	versions := map[string][]int{}
	for _, eng := range allEngines {
		ms, err := migrations(eng.name)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) == 0 || ms[0].version != 1 {
			t.Fatalf("%s migrations = %v, want to start at version 1", eng.name, ms)
		}
		for i := 1; i < len(ms); i++ {
			if ms[i].version <= ms[i-1].version {
				t.Errorf("%s migration %s out of order", eng.name, ms[i].name)
			}
		}
		for _, m := range ms {
			versions[eng.name] = append(versions[eng.name], m.version)
		}
	}
	if fmt.Sprint(versions["sqlite"]) != fmt.Sprint(versions["postgres"]) {
		t.Errorf("migration versions differ: sqlite %v, postgres %v", versions["sqlite"], versions["postgres"])
	}
}

func TestReopenKeepsDataAndSkipsMigrations(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		ctx := context.Background()
		db, err := Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		mustCreate(t, db, "t1")
		snap := &Snapshot{Seq: 3, Version: 1, Data: []byte("state")}
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 3), Title: "Renamed", Snapshot: snap})
		wantInfo, err := db.Table(ctx, "t1")
		if err != nil {
			t.Fatal(err)
		}
		wantEvents, err := db.Events(ctx, "t1", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var migrationsBefore int
		if err := rawRow(t, db, "SELECT COUNT(*) FROM schema_migrations").Scan(&migrationsBefore); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		db = mustOpenPath(t, target)
		gotInfo, err := db.Table(ctx, "t1")
		if err != nil {
			t.Fatal(err)
		}
		if gotInfo != wantInfo {
			t.Errorf("after reopen Table = %+v, want %+v", gotInfo, wantInfo)
		}
		gotEvents, err := db.Events(ctx, "t1", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(gotEvents) != len(wantEvents) {
			t.Fatalf("after reopen %d events, want %d", len(gotEvents), len(wantEvents))
		}
		for i := range gotEvents {
			if !eventsEqual(gotEvents[i], wantEvents[i]) {
				t.Errorf("event %d = %+v, want %+v", i, gotEvents[i], wantEvents[i])
			}
		}
		s, err := db.LatestSnapshot(ctx, "t1")
		if err != nil || s.Seq != 3 || string(s.Data) != "state" {
			t.Errorf("after reopen LatestSnapshot = %+v, %v", s, err)
		}
		var migrationsAfter int
		if err := rawRow(t, db, "SELECT COUNT(*) FROM schema_migrations").Scan(&migrationsAfter); err != nil {
			t.Fatal(err)
		}
		ms, _ := migrations(eng.name)
		if migrationsAfter != migrationsBefore || migrationsAfter != len(ms) {
			t.Errorf("schema_migrations rows: %d before, %d after reopen, want %d", migrationsBefore, migrationsAfter, len(ms))
		}
	})
}

// TestOpenConcurrently starts several "nodes" on one new database at once:
// each must come up, and the migrations must run once.
func TestOpenConcurrently(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		const nodes = 4
		dbs := make([]*DB, nodes)
		errs := make([]error, nodes)
		var wg sync.WaitGroup
		for i := range nodes {
			wg.Go(func() { dbs[i], errs[i] = Open(context.Background(), target) })
		}
		wg.Wait()
		for i := range nodes {
			if errs[i] != nil {
				t.Fatalf("node %d: %v", i, errs[i])
			}
			defer dbs[i].Close()
		}
		ms, _ := migrations(eng.name)
		var n int
		if err := rawRow(t, dbs[0], "SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != len(ms) {
			t.Errorf("%d rows in schema_migrations, want %d", n, len(ms))
		}
	})
}

func TestCloseTwice(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db, err := Open(context.Background(), eng.target(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("first Close: %v", err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
}

func eventsEqual(a, b Event) bool {
	return a.Table == b.Table && a.Seq == b.Seq && a.Time.Equal(b.Time) && a.Actor == b.Actor &&
		a.Type == b.Type && bytes.Equal(a.Data, b.Data) && a.Op == b.Op
}

func TestExists(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		target := eng.target(t)
		if ok, err := Exists(ctx, target); ok || err != nil {
			t.Errorf("Exists before Open = %v, %v; want false", ok, err)
		}
		mustOpenPath(t, target)
		if ok, err := Exists(ctx, target); !ok || err != nil {
			t.Errorf("Exists after Open = %v, %v; want true", ok, err)
		}
	})
}
