// Package store keeps Pöytä's append-only event log, table index,
// snapshots and table leases, in SQLite (one file, the embedded default) or
// in PostgreSQL (shared by several nodes).
//
// Open picks the engine from its target: a postgres:// or postgresql:// URL
// means PostgreSQL, anything else is the path of a SQLite file. Both engines
// keep the same contract, which the package's tests check on both: the same
// methods, the same errors (ErrNotFound, ErrConflict, ErrFenced,
// ErrLeaseHeld), group commit in Append, and numbered, embedded migrations,
// one transaction each (migrations/sqlite, migrations/postgres).
//
// A *DB is the engine-neutral part: argument checks, the group-commit
// writer goroutine that every Append goes through, error wrapping and
// closing. What touches the database is an unexported backend, one per
// engine (sqlite*.go, postgres*.go).
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ErrNotFound is returned, wrapped, when a table or snapshot does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned, wrapped, when a write would break a uniqueness
// rule: a duplicate table id or join code, a duplicate or non-contiguous
// event seq, or a duplicate op key within a table.
var ErrConflict = errors.New("conflict")

// DB is an open Pöytä database. It is safe for concurrent use, and several
// DBs, in one process or in several, may use the same database at once.
type DB struct {
	be backend

	// Append hands requests to the writer goroutine through reqs. mu makes
	// "check closed, then send" atomic with respect to Close closing reqs.
	mu      sync.RWMutex
	closed  bool
	reqs    chan *appendReq
	stopped chan struct{} // closed when the writer goroutine has returned

	budgetMu     sync.Mutex
	budgetSecret []byte // budget.go; read once

	closeOnce sync.Once
	closeErr  error

	// Counters for tests and benchmarks.
	commits atomic.Int64 // append transactions committed by the writer goroutine
	handed  atomic.Int64 // append requests handed to the writer goroutine
}

// backend is one database engine. The DB checks arguments before calling
// it, wraps its errors and serialises appends through one goroutine; a
// backend maps its engine's errors to ErrNotFound, ErrConflict and the
// others, and runs each method in a transaction of its own.
type backend interface {
	engine() string  // "sqlite" or "postgres"
	version() string // of the SQLite library or the PostgreSQL server

	// appendGroup writes every batch in one transaction, or none of them.
	// Batches are valid (validateBatch) and their events carry the table.
	appendGroup(bs []Batch) error

	createTable(ctx context.Context, info TableInfo, first Event) error
	tableByID(ctx context.Context, id string) (TableInfo, error)
	tableByCode(ctx context.Context, code string) (TableInfo, error)
	tables(ctx context.Context) ([]TableInfo, error)
	series(ctx context.Context, series string) ([]TableInfo, error)
	events(ctx context.Context, table string, afterSeq int64, limit int) ([]Event, error)
	ops(ctx context.Context, table string, afterSeq int64) (map[string]int64, error)
	latestSnapshot(ctx context.Context, table string) (Snapshot, error)

	deleteTable(ctx context.Context, id string) error
	// redact rewrites the events' data, deletes the table's snapshots and
	// raises its snapshot floor, in one transaction: Redact.
	redact(ctx context.Context, table string, floor int64, data map[int64][]byte) error
	purgeClosedBefore(ctx context.Context, t time.Time) ([]string, error)
	// scrub makes what a committed delete removed unreadable from the
	// engine's files, as far as the engine allows (see DeleteTable).
	scrub(ctx context.Context) error
	backup(ctx context.Context, dest string) error

	acquireLease(ctx context.Context, table, node string, ttl time.Duration) (Lease, error)
	renewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error)
	releaseLease(ctx context.Context, l Lease) error
	lease(ctx context.Context, table string) (Lease, error)

	// budgetSecret is the key of the budgets' keyed hash (budget.go).
	budgetSecret(ctx context.Context) ([]byte, error)
	// budget refills key's bucket and applies mode to it, in one
	// transaction; it reports whether a token was left.
	budget(ctx context.Context, key []byte, b bucketRate, mode budgetMode) (bool, error)
	// sweepBudgets deletes full buckets, as far as it can without waiting.
	sweepBudgets(ctx context.Context)

	// close releases the engine's connections; the writer has stopped.
	close() error
}

// Open opens the database named by target and brings its schema up to
// date.
//
// A postgres:// or postgresql:// URL opens a PostgreSQL database, which
// must exist; its tables are created in the first schema of the search
// path (a URL may set it with ?search_path=...). Open refuses a server
// running with fsync off.
//
// Anything else is the path of a SQLite file, created if it does not
// exist. Open refuses a file that is not a SQLite database and a SQLite
// library older than 3.51.3.
//
// Both refuse a schema newer than this program knows.
func Open(ctx context.Context, target string) (*DB, error) {
	var be backend
	var err error
	if IsPostgres(target) {
		be, err = openPostgres(ctx, target)
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", Redact(target), err)
		}
	} else {
		be, err = openSQLite(ctx, target)
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", target, err)
		}
	}
	db := &DB{
		be:      be,
		reqs:    make(chan *appendReq, maxGroupReqs),
		stopped: make(chan struct{}),
	}
	go db.runWriter()
	return db, nil
}

// Exists reports whether target already holds a Pöytä database, without
// creating or changing anything: for SQLite, a regular file of more than
// zero bytes; for PostgreSQL, a database that can be reached and whose
// search path holds the store's tables.
func Exists(ctx context.Context, target string) (bool, error) {
	if IsPostgres(target) {
		ok, err := postgresExists(ctx, target)
		if err != nil {
			return false, fmt.Errorf("store: %s: %w", Redact(target), err)
		}
		return ok, nil
	}
	fi, err := os.Stat(target)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	return fi.Mode().IsRegular() && fi.Size() > 0, nil
}

// IsPostgres reports whether target names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgres(target string) bool {
	t := strings.ToLower(target)
	return strings.HasPrefix(t, "postgres://") || strings.HasPrefix(t, "postgresql://")
}

// Redact returns target fit for logs and messages: a PostgreSQL URL without
// its password (and without the password query parameter); a SQLite path
// as it is.
func Redact(target string) string {
	if !IsPostgres(target) {
		return target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string {
	return db.be.engine()
}

// Version returns the version of the SQLite library in use, such as
// "3.51.3", or of the PostgreSQL server, such as "15.18".
func (db *DB) Version() string {
	return db.be.version()
}

// SQLiteVersion returns the version of the SQLite library in use, such as
// "3.54.1", or "" on PostgreSQL.
func (db *DB) SQLiteVersion() string {
	if db.be.engine() != engineSQLite {
		return ""
	}
	return db.be.version()
}

const (
	engineSQLite   = "sqlite"
	enginePostgres = "postgres"
)

// Close stops accepting appends, waits for the writer goroutine to commit
// what it has already accepted, and closes the database. Calling it again
// returns the first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.mu.Lock()
		db.closed = true
		close(db.reqs)
		db.mu.Unlock()
		<-db.stopped
		if err := db.be.close(); err != nil {
			db.closeErr = fmt.Errorf("store: close: %w", err)
		}
	})
	return db.closeErr
}
