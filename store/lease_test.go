package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// appendAs appends the events from..to of table with epoch and returns
// Append's error.
func appendAs(db *DB, table string, epoch, from, to int64) error {
	return db.Append(context.Background(), Batch{Table: table, Events: evs(table, from, to), Epoch: epoch})
}

func mustAcquire(t *testing.T, db *DB, table, node string, ttl time.Duration) Lease {
	t.Helper()
	l, err := db.AcquireLease(context.Background(), table, node, ttl)
	if err != nil {
		t.Fatalf("AcquireLease(%s, %s): %v", table, node, err)
	}
	return l
}

func TestLeaseRules(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")

		// Never leased: epoch 0, and epoch 0 appends.
		l, err := db.Lease(ctx, "t1")
		if err != nil || l != (Lease{Table: "t1"}) {
			t.Fatalf("Lease of a table never leased = %+v, %v; want a zero lease", l, err)
		}
		if err := appendAs(db, "t1", 0, 2, 2); err != nil {
			t.Fatalf("epoch 0 on a table never leased: %v", err)
		}
		if err := appendAs(db, "t1", 1, 3, 3); !errors.Is(err, ErrFenced) {
			t.Errorf("epoch 1 on a table never leased: err = %v, want ErrFenced", err)
		}

		before := time.Now()
		a := mustAcquire(t, db, "t1", "node-a", time.Minute)
		if a.Table != "t1" || a.Node != "node-a" || a.Epoch != 1 || !a.Held {
			t.Errorf("first lease = %+v, want node-a's, epoch 1, held", a)
		}
		// One machine here, so the database's clock is ours, give or take.
		if a.Expires.Before(before.Add(time.Minute-5*time.Second)) || a.Expires.After(time.Now().Add(time.Minute+5*time.Second)) {
			t.Errorf("Expires = %v, want about a minute after %v", a.Expires, before)
		}
		if got, _ := db.Lease(ctx, "t1"); got != a {
			t.Errorf("Lease = %+v, want %+v", got, a)
		}

		// Held: another node is told who has it.
		held, err := db.AcquireLease(ctx, "t1", "node-b", time.Minute)
		if !errors.Is(err, ErrLeaseHeld) || held != a {
			t.Errorf("AcquireLease by node-b = %+v, %v; want node-a's lease and ErrLeaseHeld", held, err)
		}

		// Only the current epoch appends.
		for _, epoch := range []int64{0, 2} {
			if err := appendAs(db, "t1", epoch, 3, 3); !errors.Is(err, ErrFenced) {
				t.Errorf("epoch %d while epoch 1 is current: err = %v, want ErrFenced", epoch, err)
			}
		}
		if err := appendAs(db, "t1", 1, 3, 4); err != nil {
			t.Fatalf("append with the current epoch: %v", err)
		}

		// Renewing keeps the epoch and moves the expiry.
		r, err := db.RenewLease(ctx, a, 2*time.Minute)
		if err != nil || r.Epoch != 1 || r.Node != "node-a" || !r.Held || !r.Expires.After(a.Expires) {
			t.Errorf("RenewLease = %+v, %v; want epoch 1, a later expiry than %v", r, err, a.Expires)
		}
		if _, err := db.RenewLease(ctx, Lease{Table: "t1", Node: "node-b", Epoch: 1}, time.Minute); !errors.Is(err, ErrFenced) {
			t.Errorf("RenewLease by another node: err = %v, want ErrFenced", err)
		}

		// Acquiring what one holds starts a new epoch, which fences the old.
		a2 := mustAcquire(t, db, "t1", "node-a", time.Minute)
		if a2.Epoch != 2 {
			t.Errorf("re-acquired epoch = %d, want 2", a2.Epoch)
		}
		if err := appendAs(db, "t1", 1, 5, 5); !errors.Is(err, ErrFenced) {
			t.Errorf("append with the epoch before re-acquiring: err = %v, want ErrFenced", err)
		}
		if _, err := db.RenewLease(ctx, a, time.Minute); !errors.Is(err, ErrFenced) {
			t.Errorf("RenewLease of the old epoch: err = %v, want ErrFenced", err)
		}
		if err := db.ReleaseLease(ctx, a); !errors.Is(err, ErrFenced) {
			t.Errorf("ReleaseLease of the old epoch: err = %v, want ErrFenced", err)
		}

		// Releasing frees the table at once and fences the releaser.
		if err := db.ReleaseLease(ctx, a2); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Lease(ctx, "t1"); got.Held || got.Node != "" || got.Epoch != 2 {
			t.Errorf("Lease after release = %+v, want epoch 2, not held, no node", got)
		}
		for _, epoch := range []int64{0, 2} {
			if err := appendAs(db, "t1", epoch, 5, 5); !errors.Is(err, ErrFenced) {
				t.Errorf("epoch %d after the release: err = %v, want ErrFenced", epoch, err)
			}
		}
		if err := db.ReleaseLease(ctx, a2); !errors.Is(err, ErrFenced) {
			t.Errorf("second ReleaseLease: err = %v, want ErrFenced", err)
		}
		if _, err := db.RenewLease(ctx, a2, time.Minute); !errors.Is(err, ErrFenced) {
			t.Errorf("RenewLease after release: err = %v, want ErrFenced", err)
		}
		b := mustAcquire(t, db, "t1", "node-b", time.Minute)
		if b.Epoch != 3 {
			t.Errorf("node-b's epoch = %d, want 3", b.Epoch)
		}
		if err := appendAs(db, "t1", 3, 5, 5); err != nil {
			t.Fatalf("node-b's append: %v", err)
		}

		// Only the appends that were let through are in the log.
		got, err := db.Events(ctx, "t1", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 {
			t.Errorf("%d events in the log, want 5", len(got))
		}
		if info, _ := db.Table(ctx, "t1"); info.LastSeq != 5 {
			t.Errorf("LastSeq = %d, want 5", info.LastSeq)
		}
	})
}

// TestFencedBeforeConflict: a former owner whose seqs also clash hears
// that it was fenced, which is what it must act on.
func TestFencedBeforeConflict(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		mustCreate(t, db, "t1")
		a := mustAcquire(t, db, "t1", "a", time.Millisecond)
		if err := appendAs(db, "t1", a.Epoch, 2, 3); err != nil {
			t.Fatal(err)
		}
		var b Lease
		waitFor(t, "the lease to lapse", func() bool {
			var err error
			b, err = db.AcquireLease(context.Background(), "t1", "b", time.Minute)
			return err == nil
		})
		if err := appendAs(db, "t1", b.Epoch, 4, 4); err != nil {
			t.Fatal(err)
		}
		err := appendAs(db, "t1", a.Epoch, 4, 4)
		if !errors.Is(err, ErrFenced) || errors.Is(err, ErrConflict) {
			t.Errorf("old owner's clashing append: err = %v, want ErrFenced only", err)
		}
	})
}

// TestLapsedLease: expiry lets another node in, but fences nobody by
// itself; the holder may renew a lapsed lease nobody took.
func TestLapsedLease(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		a := mustAcquire(t, db, "t1", "node-a", time.Millisecond)
		waitFor(t, "the lease to lapse", func() bool {
			l, err := db.Lease(ctx, "t1")
			return err == nil && !l.Held && l.Node == "node-a"
		})
		if err := appendAs(db, "t1", a.Epoch, 2, 2); err != nil {
			t.Errorf("append by the holder of a lapsed lease nobody took: %v", err)
		}
		r, err := db.RenewLease(ctx, a, time.Minute)
		if err != nil || r.Epoch != a.Epoch || !r.Held {
			t.Fatalf("renewing a lapsed lease nobody took = %+v, %v", r, err)
		}
		if _, err := db.AcquireLease(ctx, "t1", "node-b", time.Minute); !errors.Is(err, ErrLeaseHeld) {
			t.Errorf("AcquireLease after the renewal: err = %v, want ErrLeaseHeld", err)
		}

		// Lapsed and taken: the former holder can neither renew nor append.
		r, err = db.RenewLease(ctx, a, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		var b Lease
		waitFor(t, "node-b to take the lapsed lease", func() bool {
			b, err = db.AcquireLease(ctx, "t1", "node-b", time.Minute)
			return err == nil
		})
		if b.Epoch != a.Epoch+1 || b.Node != "node-b" {
			t.Errorf("node-b's lease = %+v, want epoch %d", b, a.Epoch+1)
		}
		if _, err := db.RenewLease(ctx, r, time.Minute); !errors.Is(err, ErrFenced) {
			t.Errorf("renewing a lease taken over: err = %v, want ErrFenced", err)
		}
		if err := appendAs(db, "t1", a.Epoch, 3, 3); !errors.Is(err, ErrFenced) {
			t.Errorf("append by the former holder: err = %v, want ErrFenced", err)
		}
	})
}

func TestLeaseArguments(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		if _, err := db.AcquireLease(ctx, "nope", "a", time.Minute); !errors.Is(err, ErrNotFound) {
			t.Errorf("AcquireLease on an unknown table: err = %v, want ErrNotFound", err)
		}
		if _, err := db.Lease(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lease of an unknown table: err = %v, want ErrNotFound", err)
		}
		if _, err := db.RenewLease(ctx, Lease{Table: "nope", Node: "a", Epoch: 1}, time.Minute); !errors.Is(err, ErrNotFound) {
			t.Errorf("RenewLease on an unknown table: err = %v, want ErrNotFound", err)
		}
		if err := db.ReleaseLease(ctx, Lease{Table: "nope", Node: "a", Epoch: 1}); !errors.Is(err, ErrNotFound) {
			t.Errorf("ReleaseLease on an unknown table: err = %v, want ErrNotFound", err)
		}
		for name, call := range map[string]func() error{
			"no node":  func() error { _, err := db.AcquireLease(ctx, "t1", "", time.Minute); return err },
			"no table": func() error { _, err := db.AcquireLease(ctx, "", "a", time.Minute); return err },
			"long node": func() error {
				_, err := db.AcquireLease(ctx, "t1", string(make([]byte, maxNodeName+1)), time.Minute)
				return err
			},
			"zero ttl":       func() error { _, err := db.AcquireLease(ctx, "t1", "a", 0); return err },
			"tiny ttl":       func() error { _, err := db.AcquireLease(ctx, "t1", "a", time.Microsecond); return err },
			"renew, no node": func() error { _, err := db.RenewLease(ctx, Lease{Table: "t1", Epoch: 1}, time.Minute); return err },
			"negative epoch": func() error { return appendAs(db, "t1", -1, 2, 2) },
		} {
			if err := call(); err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrFenced) {
				t.Errorf("%s: err = %v, want an argument error", name, err)
			}
		}
		if l, _ := db.Lease(ctx, "t1"); l.Epoch != 0 {
			t.Errorf("a refused AcquireLease left epoch %d", l.Epoch)
		}
	})
}

func TestDeleteTableDropsLease(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		mustAcquire(t, db, "t1", "a", time.Minute)
		if err := db.DeleteTable(ctx, "t1"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, "leases", "table_id", "t1"); n != 0 {
			t.Errorf("%d lease rows left after DeleteTable", n)
		}
		mustCreate(t, db, "t1")
		if err := appendAs(db, "t1", 0, 2, 2); err != nil {
			t.Errorf("epoch 0 on a new table with an old table's id: %v", err)
		}
	})
}

// TestTakeoverFencesFormerOwner plays a takeover between two nodes (two
// DBs on one database): node A appends as fast as it can under a short
// lease it never renews, as a paused or cut-off owner would; node B waits
// for the lease to lapse, takes the table and appends. Whatever A was told
// was committed must be in the log, before anything of B's; after B's
// takeover nothing of A's may commit; and A must be told it was fenced.
func TestTakeoverFencesFormerOwner(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		nodeA, nodeB := mustOpenPath(t, target), mustOpenPath(t, target)
		ctx := context.Background()
		mustCreate(t, nodeA, "t1")
		la := mustAcquire(t, nodeA, "t1", "node-a", 300*time.Millisecond)

		var (
			mu      sync.Mutex
			ackedA  []int64 // last seq of each batch A was told was committed
			fencedA error
		)
		started := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			seq := int64(1)
			for i := 0; ; i++ {
				if i == 10 {
					close(started)
				}
				err := nodeA.Append(ctx, Batch{Table: "t1", Epoch: la.Epoch, Events: actorEvs("t1", "node-a", seq+1, seq+2)})
				mu.Lock()
				if err != nil {
					fencedA = err
					mu.Unlock()
					return
				}
				seq += 2
				ackedA = append(ackedA, seq)
				mu.Unlock()
			}
		}()
		<-started
		var lb Lease
		waitFor(t, "node-a's lease to lapse", func() bool {
			var err error
			lb, err = nodeB.AcquireLease(ctx, "t1", "node-b", time.Minute)
			return err == nil
		})
		info, err := nodeB.Table(ctx, "t1") // what B loads after taking over
		if err != nil {
			t.Fatal(err)
		}
		for i := range int64(5) {
			if err := nodeB.Append(ctx, Batch{Table: "t1", Epoch: lb.Epoch, Events: actorEvs("t1", "node-b", info.LastSeq+i+1, info.LastSeq+i+1)}); err != nil {
				t.Fatalf("node-b's append: %v", err)
			}
		}
		<-done

		if !errors.Is(fencedA, ErrFenced) {
			t.Errorf("node-a's appends ended with %v, want ErrFenced", fencedA)
		}
		if len(ackedA) < 10 {
			t.Fatalf("node-a had %d appends committed, want 10 or more", len(ackedA))
		}
		if last := ackedA[len(ackedA)-1]; last > info.LastSeq {
			t.Errorf("node-a was told seq %d committed, but node-b's view after taking over ends at %d", last, info.LastSeq)
		}
		got, err := nodeA.Events(ctx, "t1", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		wantLen := 1 + 2*len(ackedA) + 5
		if len(got) != wantLen {
			t.Errorf("%d events in the log, want %d (created, node-a's %d batches, node-b's 5)", len(got), wantLen, len(ackedA))
		}
		for i, e := range got {
			want := "node-a"
			switch {
			case i == 0:
				want = "facilitator"
			case int64(i) >= info.LastSeq:
				want = "node-b"
			}
			if e.Seq != int64(i+1) || e.Actor != want {
				t.Errorf("event %d: seq %d by %s, want seq %d by %s", i, e.Seq, e.Actor, i+1, want)
			}
		}
		t.Logf("node-a: %d batches committed, then %v", len(ackedA), fencedA)
	})
}

// actorEvs returns events from..to of table made by actor.
func actorEvs(table, actor string, from, to int64) []Event {
	out := evs(table, from, to)
	for i := range out {
		out[i].Actor = actor
	}
	return out
}

// TestConcurrentAcquire: nodes racing for a free table; exactly one wins.
func TestConcurrentAcquire(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		const nodes = 5
		dbs := make([]*DB, nodes)
		for i := range dbs {
			dbs[i] = mustOpenPath(t, target)
		}
		mustCreate(t, dbs[0], "t1")
		leases := make([]Lease, nodes)
		errs := make([]error, nodes)
		var wg sync.WaitGroup
		for i := range nodes {
			wg.Go(func() {
				leases[i], errs[i] = dbs[i].AcquireLease(context.Background(), "t1", fmt.Sprint("node-", i), time.Minute)
			})
		}
		wg.Wait()
		winner := -1
		for i := range nodes {
			switch {
			case errs[i] == nil && winner >= 0:
				t.Errorf("nodes %d and %d both acquired the lease", winner, i)
			case errs[i] == nil:
				winner = i
			case !errors.Is(errs[i], ErrLeaseHeld):
				t.Errorf("node %d: err = %v, want ErrLeaseHeld", i, errs[i])
			}
		}
		if winner < 0 {
			t.Fatal("nobody acquired the lease")
		}
		if leases[winner].Epoch != 1 {
			t.Errorf("winner's epoch = %d, want 1", leases[winner].Epoch)
		}
		for i := range nodes {
			if errs[i] != nil && leases[i] != leases[winner] {
				t.Errorf("node %d was told the holder is %+v, want %+v", i, leases[i], leases[winner])
			}
		}
	})
}
