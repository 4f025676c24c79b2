package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// The PostgreSQL backend's budgets (budget.go). A change locks the key's
// row (inserting it first if need be, so that two nodes starting a bucket
// at once do not both start it full); times are the server's now().

func (p *pgDB) budgetSecret(ctx context.Context) ([]byte, error) {
	var k []byte
	err := p.pool.QueryRow(ctx, "SELECT key FROM budget_secret WHERE one").Scan(&k)
	return k, err
}

func (p *pgDB) budget(ctx context.Context, key []byte, b bucketRate, mode budgetMode) (bool, error) {
	if mode == budgetPeek {
		var tokens float64
		var at, now time.Time
		err := p.pool.QueryRow(ctx, "SELECT tokens, at, now() FROM budgets WHERE key = $1", key).Scan(&tokens, &at, &now)
		if errors.Is(err, pgx.ErrNoRows) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		return b.refill(tokens, at, now) >= 1, nil
	}
	var ok bool
	err := p.writeTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO budgets (key, tokens, at, full_at) VALUES ($1, $2, now(), now())
			ON CONFLICT (key) DO NOTHING`, key, b.burst); err != nil {
			return err
		}
		var tokens float64
		var at, now time.Time
		if err := tx.QueryRow(ctx, "SELECT tokens, at, now() FROM budgets WHERE key = $1 FOR UPDATE", key).Scan(&tokens, &at, &now); err != nil {
			return err
		}
		tokens, ok = b.spend(b.refill(tokens, at, now), mode)
		_, err := tx.Exec(ctx, "UPDATE budgets SET tokens = $2, at = $3, full_at = $4 WHERE key = $1",
			key, tokens, now, b.fullAt(tokens, now))
		return err
	})
	return ok, err
}

func (p *pgDB) sweepBudgets(ctx context.Context) {
	// SKIP LOCKED: a sweep never waits for a bucket in use, nor deadlocks
	// with another node's sweep.
	p.pool.Exec(ctx, `DELETE FROM budgets WHERE key IN (
		SELECT key FROM budgets WHERE full_at < now() LIMIT 1000 FOR UPDATE SKIP LOCKED)`)
}
