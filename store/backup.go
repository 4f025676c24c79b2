package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of a SQLite database to dest, a new
// file, while the database stays in use. It fails if dest already exists.
// The copy is a complete database that Open accepts.
//
// On PostgreSQL it returns an error wrapping errors.ErrUnsupported: the
// server's own tools (pg_dump, or pg_basebackup with WAL archiving) back up
// a PostgreSQL database, while it is in use and from any node.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if err := db.be.backup(ctx, dest); err != nil {
		return fmt.Errorf("store: backup to %s: %w", dest, err)
	}
	return nil
}

func (s *sqliteDB) backup(ctx context.Context, dest string) error {
	if dest == "" {
		return errors.New("empty destination")
	}
	// Creating the file exclusively claims the name atomically; VACUUM INTO
	// accepts an existing file only if it is empty, which ours is.
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(dest)
		return err
	}
	if err := s.vacuumInto(ctx, dest); err != nil {
		os.Remove(dest)
		return err
	}
	// VACUUM INTO does not promise durability of the new file; make it so.
	if err := syncPath(dest); err != nil {
		return err
	}
	return syncPath(filepath.Dir(dest))
}

// vacuumInto runs VACUUM INTO on a connection of its own: the readers are
// query_only, which SQLite applies to VACUUM INTO's output too, and the
// writer would hold up appends for the whole copy. VACUUM INTO reads within
// one read transaction, so the copy is a snapshot while appends carry on.
func (s *sqliteDB) vacuumInto(ctx context.Context, dest string) error {
	h, err := sql.Open("sqlite3", dsn(s.path, "deferred"))
	if err != nil {
		return err
	}
	defer h.Close()
	h.SetMaxOpenConns(1)
	_, err = h.ExecContext(ctx, "VACUUM INTO ?", dest)
	return err
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
