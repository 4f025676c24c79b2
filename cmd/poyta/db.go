package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
	"github.com/spf13/pflag"
)

// defaultDB is the database every command uses unless --db says otherwise.
const defaultDB = "poyta.db"

// addDBFlag gives a command the --db flag, the same on every command.
func addDBFlag(f *pflag.FlagSet, p *string) {
	f.StringVar(p, "db", defaultDB, "SQLite database file, or PostgreSQL database URL (postgres://user:password@host/dbname)")
}

// openExisting opens the database of a running or stopped server. Unlike
// serve it never creates one: a mistyped --db is an error, not a new
// empty file or a new set of tables in some PostgreSQL database. It works
// while poyta serve runs on the same database (SQLite's WAL, or
// PostgreSQL).
func openExisting(ctx context.Context, path string) (*store.DB, error) {
	if store.IsPostgres(path) {
		ok, err := store.Exists(ctx, path)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("no Pöytä database at %s: no tables of Pöytä's in its search path (give it with --db)", store.Redact(path))
		}
		return store.Open(ctx, path)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s (give its path with --db)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("database %s is not a file", path)
	}
	return store.Open(ctx, path)
}

// findTable resolves a table id or a join code in any spelling
// ("KP-4F7K-9QX2", "kp 4f7k 9qx2", "4F7K9QX2").
func findTable(ctx context.Context, db *store.DB, arg string) (store.TableInfo, error) {
	arg = strings.TrimSpace(arg)
	info, err := db.Table(ctx, arg)
	if err == nil || !errors.Is(err, store.ErrNotFound) {
		return info, err
	}
	if code := tables.NormalizeCode(arg); code != "" {
		info, err = db.TableByCode(ctx, code)
		if err == nil || !errors.Is(err, store.ErrNotFound) {
			return info, err
		}
	}
	return store.TableInfo{}, fmt.Errorf("no table with the id or join code %q", arg)
}

// loadTable rebuilds a table's state from the store: a consistent prefix
// of its log, however much a running server appends meanwhile.
func loadTable(ctx context.Context, db *store.DB, id string) (*session.Table, error) {
	l, err := tables.Load(ctx, db, id, 0)
	if err != nil {
		return nil, err
	}
	return l.Table, nil
}

// tableOf finds a table by id or join code and rebuilds its state.
func tableOf(ctx context.Context, db *store.DB, arg string) (store.TableInfo, *session.Table, error) {
	info, err := findTable(ctx, db, arg)
	if err != nil {
		return store.TableInfo{}, nil, err
	}
	t, err := loadTable(ctx, db, info.ID)
	if err != nil {
		return store.TableInfo{}, nil, err
	}
	return info, t, nil
}

// tableCounts are the numbers tables list and show print.
type tableCounts struct {
	participants, ideas, actions int
}

func countTable(t *session.Table) tableCounts {
	var c tableCounts
	for _, p := range t.Participants {
		if !p.Removed {
			c.participants++
		}
	}
	for _, i := range t.Ideas {
		if !i.Hidden {
			c.ideas++
		}
	}
	c.actions = len(t.Actions)
	return c
}

// terminalText makes user text safe to print on a terminal: one line,
// without the invisible format characters (bidi overrides, zero-width
// spaces) that could disguise it, and at most n characters.
func terminalText(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		s = string(r[:n-1]) + "…"
	}
	return s
}
