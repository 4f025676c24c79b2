package store

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// TestBudget: a bucket gives burst tokens, then none; it refills at its
// rate; keys are separate; Spend goes below zero; HasToken takes nothing;
// and the stored key is not the key given.
func TestBudget(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		db := eng.open(t)
		take := func(key string, burst, perHour float64) bool {
			t.Helper()
			ok, err := db.Take(ctx, key, burst, perHour)
			if err != nil {
				t.Fatalf("Take(%s): %v", key, err)
			}
			return ok
		}
		has := func(key string) bool {
			t.Helper()
			ok, err := db.HasToken(ctx, key, 3, 1)
			if err != nil {
				t.Fatalf("HasToken(%s): %v", key, err)
			}
			return ok
		}
		// Burst: 3 at once, then refused (1 an hour: no refill to speak of).
		if !has("create|192.0.2.1") {
			t.Fatal("an unused key has no token")
		}
		for i := range 3 {
			if !take("create|192.0.2.1", 3, 1) {
				t.Fatalf("take %d of a burst of 3 refused", i+1)
			}
		}
		if take("create|192.0.2.1", 3, 1) {
			t.Fatal("a fourth take from a burst of 3 allowed")
		}
		if has("create|192.0.2.1") {
			t.Fatal("HasToken on a spent bucket")
		}
		// Separate keys.
		if !take("create|192.0.2.2", 3, 1) || !take("fail|192.0.2.1", 3, 1) {
			t.Fatal("another key's take refused")
		}
		// Refill: 36,000 an hour is one every 100 ms.
		for range 2 {
			take("fast", 2, 36000)
		}
		if take("fast", 2, 36000) {
			t.Fatal("a spent bucket gave a token at once")
		}
		time.Sleep(250 * time.Millisecond)
		if !take("fast", 2, 36000) {
			t.Fatal("no token 250 ms after, at one per 100 ms")
		}
		// Spend goes below zero: two spent beyond the burst need two
		// refills more before the next take.
		for i := range 3 {
			ok, err := db.Spend(ctx, "fail|198.51.100.7", 1, 36000)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (i == 0) {
				t.Fatalf("Spend %d said a token was left: %v", i+1, ok)
			}
		}
		time.Sleep(150 * time.Millisecond)
		if ok, _ := db.HasToken(ctx, "fail|198.51.100.7", 1, 36000); ok {
			t.Fatal("a bucket two below zero has a token 150 ms after, at one per 100 ms")
		}
		// Invalid arguments.
		if _, err := db.Take(ctx, "", 1, 1); err == nil {
			t.Error("Take with an empty key")
		}
		if _, err := db.Take(ctx, "x", 0.5, 1); err == nil {
			t.Error("Take with a burst below 1")
		}
		if _, err := db.Take(ctx, "x", 1, 0); err == nil {
			t.Error("Take with no refill")
		}
		// Nothing stored names the address.
		var n int
		keys := budgetKeys(t, db)
		for _, k := range keys {
			if bytes.Contains(k, []byte("192.0.2")) || len(k) != 32 {
				t.Errorf("stored key %q", k)
			}
			n++
		}
		if n == 0 {
			t.Error("no budget stored")
		}
	})
}

// budgetKeys are the keys in the budgets table.
func budgetKeys(t *testing.T, db *DB) [][]byte {
	t.Helper()
	var out [][]byte
	switch be := db.be.(type) {
	case *sqliteDB:
		rows, err := be.reader.Query("SELECT key FROM budgets")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k []byte
			rows.Scan(&k)
			out = append(out, k)
		}
	case *pgDB:
		rows, err := be.pool.Query(context.Background(), "SELECT key FROM budgets")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k []byte
			rows.Scan(&k)
			out = append(out, k)
		}
	}
	return out
}

// TestBudgetSweep: full buckets are deleted, spent ones kept.
func TestBudgetSweep(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		ctx := context.Background()
		db := eng.open(t)
		db.Take(ctx, "quick", 1, 360000) // full again after 10 ms
		db.Take(ctx, "slow", 1, 1)
		time.Sleep(50 * time.Millisecond)
		db.be.sweepBudgets(ctx)
		if n := len(budgetKeys(t, db)); n != 1 {
			t.Fatalf("%d buckets after a sweep, want 1", n)
		}
	})
}
