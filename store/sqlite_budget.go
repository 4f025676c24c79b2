package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// The SQLite backend's budgets (budget.go). Write transactions run one at a
// time; the clock is the machine's.

func (s *sqliteDB) budgetSecret(ctx context.Context) ([]byte, error) {
	var k []byte
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, "SELECT key FROM budget_secret WHERE one = 1").Scan(&k)
	})
	return k, err
}

func (s *sqliteDB) budget(ctx context.Context, key []byte, b bucketRate, mode budgetMode) (bool, error) {
	read := func(tx *sql.Tx, now time.Time) (float64, error) {
		var tokens float64
		var at int64
		err := tx.QueryRowContext(ctx, "SELECT tokens, at FROM budgets WHERE key = ?", key).Scan(&tokens, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return b.burst, nil
		}
		if err != nil {
			return 0, err
		}
		return b.refill(tokens, fromMicros(at), now), nil
	}
	var ok bool
	if mode == budgetPeek {
		err := s.readTx(ctx, func(tx *sql.Tx) error {
			tokens, err := read(tx, time.Now())
			ok = tokens >= 1
			return err
		})
		return ok, err
	}
	err := s.writeTx(ctx, func(tx *sql.Tx) error {
		now := time.Now()
		tokens, err := read(tx, now)
		if err != nil {
			return err
		}
		tokens, ok = b.spend(tokens, mode)
		_, err = tx.ExecContext(ctx, `INSERT INTO budgets (key, tokens, at, full_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, at = excluded.at, full_at = excluded.full_at`,
			key, tokens, micros(now), micros(b.fullAt(tokens, now)))
		return err
	})
	return ok, err
}

func (s *sqliteDB) sweepBudgets(ctx context.Context) {
	s.writeTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM budgets WHERE full_at < ?", micros(time.Now()))
		return err
	})
}
