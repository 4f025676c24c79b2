// Package store keeps Pöytä's append-only event log, table index and
// snapshots in SQLite.
//
// One *DB owns two connection pools on the same file: a single writer
// connection, used by the group-commit goroutine and the other write methods,
// and a small pool of read connections. Every connection gets its settings
// from the connection string, so no pooled connection can miss them.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
)

// ErrNotFound is returned, wrapped, when a table or snapshot does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned, wrapped, when a write would break a uniqueness
// rule: a duplicate table id or join code, a duplicate or non-contiguous
// event seq, or a duplicate op key within a table.
var ErrConflict = errors.New("conflict")

// minSQLite is the oldest SQLite we run on: earlier releases have a WAL-reset
// bug that can corrupt a database written by several connections.
var minSQLite = [3]int{3, 51, 3}

const (
	readerConns = 4

	// Shared by both pools. synchronous=FULL makes a commit durable before
	// Append returns, which is what "ack means durable" needs.
	dsnParams = "_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=FULL&_secure_delete=on"
)

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// DB is an open Pöytä database. It is safe for concurrent use.
type DB struct {
	path    string // absolute
	writer  *sql.DB
	reader  *sql.DB
	ckpt    *sql.DB // checkpoints the WAL in the background: checkpoint.go
	version string

	// Append hands requests to the writer goroutine through reqs. mu makes
	// "check closed, then send" atomic with respect to Close closing reqs.
	mu      sync.RWMutex
	closed  bool
	reqs    chan *appendReq
	stopped chan struct{} // closed when the writer goroutine has returned

	closeOnce sync.Once
	closeErr  error
	ckptStop  chan struct{}
	ckptDone  chan struct{}

	// Counters for tests and benchmarks.
	commits     atomic.Int64 // append transactions committed by the writer goroutine
	checkpoints atomic.Int64 // background checkpoints run
	handed      atomic.Int64 // append requests handed to the writer goroutine
}

// Open opens the database at path, creating it if it does not exist, and
// brings its schema up to date. It refuses a file that is not a SQLite
// database, a schema newer than this program knows, and a SQLite library
// older than 3.51.3.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("store: open: want a plain file path, got %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	lib, _, _ := sqlite3.Version()
	if err := checkVersion(lib); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Checked before SQLite sees the file, so a file that is not ours is
	// never touched (not even by the journal_mode pragma in the DSN).
	if err := checkHeader(abs); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}

	db := &DB{
		path:    abs,
		reqs:    make(chan *appendReq, maxGroupReqs),
		stopped: make(chan struct{}),
	}
	if err := db.open(ctx, abs); err != nil {
		db.closeHandles()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	go db.runWriter()
	db.ckptStop, db.ckptDone = make(chan struct{}), make(chan struct{})
	go db.runCheckpoints(db.ckptStop, db.ckptDone)
	return db, nil
}

func (db *DB) open(ctx context.Context, abs string) error {
	var err error
	db.writer = sql.OpenDB(newWriterConnector(dsn(abs, "immediate")))
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queueing in the pool beats spinning on SQLITE_BUSY.
	db.writer.SetMaxOpenConns(1)
	db.writer.SetMaxIdleConns(1)

	if err := db.writer.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&db.version); err != nil {
		if isNotADB(err) {
			return fmt.Errorf("not a SQLite database: %w", err)
		}
		return err
	}
	if err := checkVersion(db.version); err != nil {
		return err
	}
	if err := checkPragmas(ctx, db.writer, true); err != nil {
		return err
	}
	if err := migrate(ctx, db.writer); err != nil {
		return err
	}

	db.reader, err = sql.Open("sqlite3", dsn(abs, "deferred")+"&_query_only=on")
	if err != nil {
		return err
	}
	db.reader.SetMaxOpenConns(readerConns)
	db.reader.SetMaxIdleConns(readerConns)
	if err := checkPragmas(ctx, db.reader, false); err != nil {
		return err
	}

	db.ckpt, err = sql.Open("sqlite3", dsn(abs, "deferred"))
	if err != nil {
		return err
	}
	db.ckpt.SetMaxOpenConns(1)
	db.ckpt.SetMaxIdleConns(1)
	return checkPragmas(ctx, db.ckpt, false)
}

// dsn builds a file: URI for path. The path is escaped because SQLite
// decodes %XX in it and would cut it at '?' or '#'.
func dsn(path, txlock string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.ToSlash(path)) + "?" + dsnParams + "&_txlock=" + txlock
}

// checkHeader refuses an existing, non-empty file that does not start with
// the SQLite magic string. A missing or empty file becomes a new database.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	if fi.Size() == 0 {
		return nil
	}
	head := make([]byte, len(sqliteMagic))
	if _, err := io.ReadFull(f, head); err != nil || !bytes.Equal(head, sqliteMagic) {
		return errors.New("not a SQLite database")
	}
	return nil
}

func isNotADB(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrNotADB
}

// checkPragmas verifies that the DSN settings took effect, so a typo or a
// driver change cannot silently drop durability or foreign keys.
func checkPragmas(ctx context.Context, h *sql.DB, writer bool) error {
	var journal string
	var fk, busy, sync, autockpt int
	if err := h.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal); err != nil {
		return fmt.Errorf("read journal_mode: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fmt.Errorf("read foreign_keys: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
		return fmt.Errorf("read busy_timeout: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return fmt.Errorf("read synchronous: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&autockpt); err != nil {
		return fmt.Errorf("read wal_autocheckpoint: %w", err)
	}
	switch {
	case !strings.EqualFold(journal, "wal"):
		return fmt.Errorf("journal_mode is %q, want wal", journal)
	case fk != 1:
		return fmt.Errorf("foreign_keys is %d, want 1", fk)
	case busy != 5000:
		return fmt.Errorf("busy_timeout is %d, want 5000", busy)
	case writer && sync != 2:
		return fmt.Errorf("synchronous is %d, want 2 (FULL)", sync)
	case writer && autockpt != 0:
		return fmt.Errorf("wal_autocheckpoint is %d, want 0 (checkpoints run in the background)", autockpt)
	}
	return nil
}

// checkVersion refuses SQLite releases older than minSQLite.
func checkVersion(v string) error {
	got, err := parseVersion(v)
	if err != nil {
		return err
	}
	for i := range got {
		if got[i] != minSQLite[i] {
			if got[i] < minSQLite[i] {
				return fmt.Errorf("SQLite %s is too old: need %d.%d.%d or newer (WAL-reset bug)",
					v, minSQLite[0], minSQLite[1], minSQLite[2])
			}
			return nil
		}
	}
	return nil
}

func parseVersion(v string) ([3]int, error) {
	var out [3]int
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return out, fmt.Errorf("unrecognised SQLite version %q", v)
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return out, fmt.Errorf("unrecognised SQLite version %q", v)
		}
		out[i] = n
	}
	return out, nil
}

// SQLiteVersion returns the version of the SQLite library in use, such as
// "3.54.1".
func (db *DB) SQLiteVersion() string {
	return db.version
}

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
		close(db.ckptStop)
		<-db.ckptDone
		db.closeErr = db.closeHandles()
	})
	return db.closeErr
}

// closeHandles closes the readers and the checkpointer first so the
// writer, closing last, is the connection that checkpoints the WAL into the
// main file.
func (db *DB) closeHandles() error {
	var errs []error
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.Close())
	}
	if db.writer != nil {
		errs = append(errs, db.writer.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// readTx runs fn in a read transaction on the reader pool, so multi-query
// reads see one consistent state.
func (db *DB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// writeTx runs fn in an immediate write transaction on the writer
// connection and commits it if fn succeeds.
func (db *DB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// mapErr turns SQLite uniqueness violations into ErrConflict, keeping the
// original error in the chain.
func mapErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
