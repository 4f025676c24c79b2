package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The PostgreSQL backend, through pgx. Two pools on the same database: one
// connection for the group-commit writer (so appends never queue behind
// reads for a connection), and a pool for everything else. Several nodes,
// each with its own DB, share the database; what keeps them correct is in
// the database, never in a connection's session: row locks taken inside
// each transaction, unique constraints, and the lease epoch checked where
// the append happens. There are no session advisory locks, no LISTEN/NOTIFY
// and no SET outside a transaction, so a pooler in transaction mode (such as
// PgBouncer) in front of the server changes nothing.

const (
	// pgWriteTimeout bounds one group-commit transaction, so a server that
	// stopped answering fails the appends waiting on it instead of holding
	// them for ever.
	pgWriteTimeout = 30 * time.Second

	// pgConnectTimeout is used when the URL sets no connect_timeout.
	pgConnectTimeout = 10 * time.Second

	// pgMigrateLock is the key of the advisory transaction lock that
	// migrations take, so nodes starting at once migrate one at a time.
	pgMigrateLock = 0x706f797461 // "poyta"
)

// pgDB is the PostgreSQL backend.
type pgDB struct {
	pool   *pgxpool.Pool // reads, table and lease writes
	writer *pgxpool.Pool // one connection: the group-commit writer
	ver    string
	// syncOn is set when the server's synchronous_commit is off for us:
	// every write transaction then sets it on for itself (SET LOCAL), so a
	// commit is on disk before it is acknowledged.
	syncOn bool
}

func openPostgres(ctx context.Context, url string) (*pgDB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = pgConnectTimeout
	}
	if _, set := cfg.ConnConfig.RuntimeParams["application_name"]; !set {
		cfg.ConnConfig.RuntimeParams["application_name"] = "poyta"
	}
	p := &pgDB{}
	if p.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, err
	}
	wcfg := cfg.Copy()
	wcfg.MaxConns, wcfg.MinConns = 1, 0
	if p.writer, err = pgxpool.NewWithConfig(ctx, wcfg); err != nil {
		p.pool.Close()
		return nil, err
	}
	if err := p.check(ctx); err != nil {
		p.close()
		return nil, err
	}
	if err := migratePostgres(ctx, p.pool); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// check reads the server's version and refuses settings that would make
// an acknowledgement a promise the server does not keep.
func (p *pgDB) check(ctx context.Context) error {
	var ver, fsync, syncCommit string
	err := p.pool.QueryRow(ctx, `SELECT current_setting('server_version'), current_setting('fsync'),
		current_setting('synchronous_commit')`).Scan(&ver, &fsync, &syncCommit)
	if err != nil {
		return err
	}
	p.ver, _, _ = strings.Cut(ver, " ")
	if fsync != "on" {
		return fmt.Errorf("the PostgreSQL server runs with fsync=%s: a commit would not be durable", fsync)
	}
	p.syncOn = syncCommit == "off"
	return nil
}

func (p *pgDB) engine() string  { return enginePostgres }
func (p *pgDB) version() string { return p.ver }

func (p *pgDB) close() error {
	p.writer.Close()
	p.pool.Close()
	return nil
}

// writeTx runs fn in a transaction on the pool and commits it if fn
// succeeds. Errors come back mapped.
func (p *pgDB) writeTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgErr(p.inTx(ctx, p.pool, fn))
}

// pgIdleInTxSQL starts every transaction of the store. A node that is
// paused (a long GC stop, SIGSTOP, a VM frozen) in the middle of a
// transaction keeps its row locks, which would keep every other node from
// taking its tables over, however long ago its lease lapsed; the server ends
// such a session once it has sat idle in its transaction this long. The
// store's transactions never wait on the application for anywhere near
// that. SET LOCAL, so that a pooler in transaction mode is not bothered.
const pgIdleInTxSQL = "SET LOCAL idle_in_transaction_session_timeout = '2s'"

func (p *pgDB) inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, pgIdleInTxSQL); err != nil {
		return err
	}
	if p.syncOn {
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit TO on"); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// pgErr turns PostgreSQL uniqueness violations into ErrConflict, keeping
// the original error in the chain.
func pgErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %w", ErrConflict, err)
	}
	return err
}

// migratePostgres applies every migration newer than the database's
// schema, each in its own transaction, and refuses a database whose schema
// is newer than the newest migration this binary carries. Every step holds
// an advisory transaction lock (never a session lock), so nodes that start
// at once take turns and each migration runs once.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := migrations(enginePostgres)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", pgMigrateLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at bigint  NOT NULL
		)`); err != nil {
			return err
		}
		return tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current)
	})
	if err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if known := newestVersion(ms); current > known {
		return tooNew(current, known)
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", pgMigrateLock); err != nil {
				return err
			}
			var done bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", m.version).Scan(&done); err != nil {
				return err
			}
			if done { // another node got there first
				return nil
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
				m.version, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: %s: %w", m.name, err)
		}
	}
	return nil
}

// postgresExists reports whether the database at url has the store's
// tables, on one connection of its own.
func postgresExists(ctx context.Context, url string) (bool, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return false, err
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = pgConnectTimeout
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(ctx)
	var ok bool
	err = conn.QueryRow(ctx, "SELECT to_regclass('schema_migrations') IS NOT NULL AND to_regclass('tables') IS NOT NULL").Scan(&ok)
	return ok, err
}

func (p *pgDB) backup(ctx context.Context, dest string) error {
	return fmt.Errorf("%w on PostgreSQL: back up the database with pg_dump, or with pg_basebackup and WAL archiving",
		errors.ErrUnsupported)
}

// scrub does nothing on PostgreSQL: deleted rows stay in the data files
// until vacuum and later writes reuse their space, and in the write-ahead
// log and backups for as long as the server keeps them. Making them
// unreadable there is the server's administration (docs/deploy.md).
func (p *pgDB) scrub(ctx context.Context) error {
	return nil
}
