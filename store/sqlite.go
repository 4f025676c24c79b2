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
	"sync/atomic"

	"github.com/mattn/go-sqlite3"
)

// The SQLite backend. One file; two connection pools on it: a single
// writer connection, used by the group-commit goroutine and the other
// write methods, and a small pool of read connections. Every connection
// gets its settings from the connection string, so no pooled connection can
// miss them. Write transactions are IMMEDIATE, so they run one at a time,
// in this process and in any other on the same file.

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

// sqliteDB is the SQLite backend.
type sqliteDB struct {
	path   string // absolute
	writer *sql.DB
	reader *sql.DB
	ckpt   *sql.DB // checkpoints the WAL in the background: checkpoint.go
	ver    string

	ckptStop    chan struct{}
	ckptDone    chan struct{}
	checkpoints atomic.Int64 // background checkpoints run, for tests
}

func openSQLite(ctx context.Context, path string) (*sqliteDB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("want a plain file path or a postgres:// URL, got %q", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	lib, _, _ := sqlite3.Version()
	if err := checkVersion(lib); err != nil {
		return nil, err
	}
	// Checked before SQLite sees the file, so a file that is not ours is
	// never touched (not even by the journal_mode pragma in the DSN).
	if err := checkHeader(abs); err != nil {
		return nil, err
	}
	s := &sqliteDB{path: abs}
	if err := s.open(ctx); err != nil {
		s.closeHandles()
		return nil, err
	}
	s.ckptStop, s.ckptDone = make(chan struct{}), make(chan struct{})
	go s.runCheckpoints(s.ckptStop, s.ckptDone)
	return s, nil
}

func (s *sqliteDB) open(ctx context.Context) error {
	var err error
	s.writer = sql.OpenDB(newWriterConnector(dsn(s.path, "immediate")))
	// One writer connection: SQLite allows one writer at a time anyway, and
	// queueing in the pool beats spinning on SQLITE_BUSY.
	s.writer.SetMaxOpenConns(1)
	s.writer.SetMaxIdleConns(1)

	if err := s.writer.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&s.ver); err != nil {
		if isNotADB(err) {
			return fmt.Errorf("not a SQLite database: %w", err)
		}
		return err
	}
	if err := checkVersion(s.ver); err != nil {
		return err
	}
	if err := checkPragmas(ctx, s.writer, true); err != nil {
		return err
	}
	if err := migrateSQLite(ctx, s.writer); err != nil {
		return err
	}

	s.reader, err = sql.Open("sqlite3", dsn(s.path, "deferred")+"&_query_only=on")
	if err != nil {
		return err
	}
	s.reader.SetMaxOpenConns(readerConns)
	s.reader.SetMaxIdleConns(readerConns)
	if err := checkPragmas(ctx, s.reader, false); err != nil {
		return err
	}

	s.ckpt, err = sql.Open("sqlite3", dsn(s.path, "deferred"))
	if err != nil {
		return err
	}
	s.ckpt.SetMaxOpenConns(1)
	s.ckpt.SetMaxIdleConns(1)
	return checkPragmas(ctx, s.ckpt, false)
}

func (s *sqliteDB) engine() string  { return engineSQLite }
func (s *sqliteDB) version() string { return s.ver }

func (s *sqliteDB) close() error {
	close(s.ckptStop)
	<-s.ckptDone
	return s.closeHandles()
}

// closeHandles closes the readers and the checkpointer first so the
// writer, closing last, is the connection that checkpoints the WAL into the
// main file.
func (s *sqliteDB) closeHandles() error {
	var errs []error
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.ckpt != nil {
		errs = append(errs, s.ckpt.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	return errors.Join(errs...)
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

// readTx runs fn in a read transaction on the reader pool, so multi-query
// reads see one consistent state.
func (s *sqliteDB) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.reader.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
// connection and commits it if fn succeeds. Errors come back mapped.
func (s *sqliteDB) writeTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return sqliteErr(err)
	}
	return sqliteErr(tx.Commit())
}

// sqliteErr turns SQLite uniqueness violations into ErrConflict, keeping
// the original error in the chain.
func sqliteErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) &&
		(se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey) {
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}
