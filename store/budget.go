package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Budgets: token buckets kept in the database, so that the nodes of a
// cluster share them (issue 16). The server's limits per client address
// (tables created, failed attempts) live here when several nodes serve one
// database; a single node keeps them in memory (session/limit).
//
// A bucket holds up to burst tokens and refills at perHour tokens an hour,
// by the database's clock on PostgreSQL (so nodes' clocks never matter) and
// the machine's on SQLite. A key that was never used, or whose bucket is
// full again, has burst tokens; such rows are deleted now and then, so the
// table holds only the buckets that are being spent. Each change is one
// short transaction that locks the key's row, so nodes taking from one
// bucket at once take turns.
//
// Keys are stored as a keyed hash (HMAC-SHA-256, with a random key the
// migration made and that never leaves the database), never as given: a
// key names a client address, which is personal data.

// budgetMode is what a budget call does with the bucket.
type budgetMode int

const (
	budgetPeek   budgetMode = iota // look only: is a token left?
	budgetTake                     // take a token if one is left
	budgetAnyway                   // take a token, below zero if need be
)

// sweepOneIn is how often (one call in this many) a change also deletes
// the full buckets.
const sweepOneIn = 64

// Take takes one of key's tokens if there is one and reports whether there
// was. The bucket holds up to burst tokens (1 or more) and refills at
// perHour an hour (more than 0).
func (db *DB) Take(ctx context.Context, key string, burst, perHour float64) (bool, error) {
	return db.budget(ctx, "take from", key, burst, perHour, budgetTake)
}

// Spend takes one of key's tokens even if none is left: the bucket goes
// below zero and takes longer to refill. It reports whether a token was
// left.
func (db *DB) Spend(ctx context.Context, key string, burst, perHour float64) (bool, error) {
	return db.budget(ctx, "spend from", key, burst, perHour, budgetAnyway)
}

// HasToken reports whether key has a token left, taking none.
func (db *DB) HasToken(ctx context.Context, key string, burst, perHour float64) (bool, error) {
	return db.budget(ctx, "read", key, burst, perHour, budgetPeek)
}

func (db *DB) budget(ctx context.Context, what, key string, burst, perHour float64, mode budgetMode) (bool, error) {
	if key == "" || !(burst >= 1) || !(perHour > 0) || math.IsInf(burst, 0) || math.IsInf(perHour, 0) {
		return false, fmt.Errorf("store: %s budget: invalid key %q, burst %v or rate %v an hour", what, key, burst, perHour)
	}
	h, err := db.budgetHash(ctx, key)
	if err != nil {
		return false, fmt.Errorf("store: %s budget: %w", what, err)
	}
	ok, err := db.be.budget(ctx, h, bucketRate{burst: burst, rate: perHour / 3600}, mode)
	if err != nil {
		return false, fmt.Errorf("store: %s budget: %w", what, err)
	}
	if mode != budgetPeek && rand.IntN(sweepOneIn) == 0 {
		db.be.sweepBudgets(ctx) // best effort: a full bucket left behind means nothing
	}
	return ok, nil
}

// budgetHash is the key as stored: its HMAC under the database's budget
// secret, read once.
func (db *DB) budgetHash(ctx context.Context, key string) ([]byte, error) {
	db.budgetMu.Lock()
	defer db.budgetMu.Unlock()
	if db.budgetSecret == nil {
		s, err := db.be.budgetSecret(ctx)
		if err != nil {
			return nil, err
		}
		if len(s) < 16 {
			return nil, errors.New("the budget secret is missing or too short")
		}
		db.budgetSecret = s
	}
	m := hmac.New(sha256.New, db.budgetSecret)
	m.Write([]byte(key))
	return m.Sum(nil), nil
}

// bucketRate is a bucket's size and refill rate (tokens a second).
type bucketRate struct{ burst, rate float64 }

// refill is how many tokens a bucket that held tokens at holds at now.
func (b bucketRate) refill(tokens float64, at, now time.Time) float64 {
	el := max(now.Sub(at).Seconds(), 0)
	return min(b.burst, tokens+el*b.rate)
}

// spend applies mode to a bucket holding tokens: what it holds after, and
// whether a token was left.
func (b bucketRate) spend(tokens float64, mode budgetMode) (float64, bool) {
	ok := tokens >= 1
	if mode == budgetAnyway || (mode == budgetTake && ok) {
		tokens--
	}
	return tokens, ok
}

// fullAt is when a bucket holding tokens at now is full again.
func (b bucketRate) fullAt(tokens float64, now time.Time) time.Time {
	secs := (b.burst - tokens) / b.rate
	if secs > 10*365*24*3600 {
		secs = 10 * 365 * 24 * 3600
	}
	return now.Add(time.Duration(secs * float64(time.Second)))
}
