package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Each engine has its own directory of numbered migrations. A number means
// the same change on both engines (0002 adds leases on both), so the two
// directories carry the same numbers.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations of one engine ("sqlite" or
// "postgres") in version order. Versions must be unique; gaps are allowed so
// a dropped migration keeps its number.
func migrations(engine string) ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/"+engine+"/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	seen := make(map[int]string)
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", base)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, base, v)
		}
		seen[v] = base
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(body)})
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no migrations for %s", engine)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// newestVersion is the version of the last migration in ms.
func newestVersion(ms []migration) int {
	return ms[len(ms)-1].version
}

// tooNew is the error for a database migrated by a newer program.
func tooNew(current, known int) error {
	return fmt.Errorf("migrate: database schema version %d is newer than this program supports (%d); use a newer release", current, known)
}

// migrateSQLite applies every migration newer than the database's schema,
// each in its own transaction, and refuses a database whose schema is newer
// than the newest migration this binary carries.
func migrateSQLite(ctx context.Context, db *sql.DB) error {
	ms, err := migrations(engineSQLite)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var current int
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if known := newestVersion(ms); current > known {
		return tooNew(current, known)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		if err := applySQLiteMigration(ctx, db, m); err != nil {
			return fmt.Errorf("migrate: %s: %w", m.name, err)
		}
	}
	return nil
}

func applySQLiteMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Another process may have applied it between our read and this
	// (immediate, hence exclusive-for-writers) transaction.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
		m.version, time.Now().UnixMicro()); err != nil {
		return err
	}
	return tx.Commit()
}
