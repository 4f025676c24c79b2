package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Ready reports whether the database can take the server's writes now:
// the store is open, its schema is the newest this program carries, and
// the writer connection can begin a write transaction and write in it.
// The write changes no row and the transaction is rolled back, so a check
// costs the writer a moment and leaves nothing behind.
//
// It catches a closed store, a schema another release has changed, a
// database that takes no writes (a SQLite file opened read-only because of
// its permissions or an immutable file; a PostgreSQL standby or a
// read-only transaction default) and a writer that cannot begin before ctx
// ends (a long commit, another process holding SQLite's write lock, a
// PostgreSQL server that does not answer). It cannot catch a full disk:
// nothing reaches the disk until a commit. Its errors are short and name
// no file, server or user.
func (db *DB) Ready(ctx context.Context) error {
	db.mu.RLock()
	closed := db.closed
	db.mu.RUnlock()
	if closed {
		return errors.New("store: ready: the database is closed")
	}
	rc, ok := db.be.(readyChecker)
	if !ok {
		return fmt.Errorf("store: ready: no readiness check for %s", db.be.engine())
	}
	ms, err := migrations(db.be.engine())
	if err != nil {
		return fmt.Errorf("store: ready: %w", err)
	}
	if err := rc.ready(ctx, newestVersion(ms)); err != nil {
		return fmt.Errorf("store: ready: %w", err)
	}
	return nil
}

// readyChecker is a backend that can tell whether it takes writes now,
// with a schema at version want.
type readyChecker interface {
	ready(ctx context.Context, want int) error
}

// noWrite is a write that matches no row: a database that takes no writes
// refuses it, although a transaction begun for writing may not be refused.
const noWrite = "UPDATE schema_migrations SET applied_at = applied_at WHERE version < 0"

func schemaMismatch(have, want int) error {
	return fmt.Errorf("the schema is version %d, this program's is %d", have, want)
}

// ready checks on the writer connection. SQLite's write transactions
// begin IMMEDIATE, which takes the write lock; BEGIN IMMEDIATE succeeds
// even on a file opened read-only, the write does not.
func (s *sqliteDB) ready(ctx context.Context, want int) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin a write: %w", err)
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if have != want {
		return schemaMismatch(have, want)
	}
	if _, err := tx.ExecContext(ctx, noWrite); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if err := tx.Rollback(); err != nil {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}

// ready checks on the group-commit writer's connection, so that it says
// whether that connection works.
func (p *pgDB) ready(ctx context.Context, want int) error {
	tx, err := p.writer.Begin(ctx)
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		// Its message names the server, the user and the database.
		return errors.New("begin a write: cannot connect to the PostgreSQL server")
	}
	if err != nil {
		return fmt.Errorf("begin a write: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var have int
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&have); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	if have != want {
		return schemaMismatch(have, want)
	}
	if _, err := tx.Exec(ctx, noWrite); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	if err := tx.Rollback(ctx); err != nil {
		return fmt.Errorf("roll back: %w", err)
	}
	return nil
}

// Unreachable reports whether err is the database not answering rather
// than refusing: a connection that cannot be made or was lost, or a
// PostgreSQL server that is shutting down or starting up. The HTTP layer
// answers such errors "unavailable, try again" instead of "internal".
func Unreachable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exceptions; 57P01-57P03: an administrator's
		// shutdown, a crash shutdown, cannot connect now.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	return false
}
