package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// Store-level work that several nodes do on one database at once: each
// node is a DB of its own on the same file or PostgreSQL schema. (The
// leases' races are in lease_test.go.)

// openNodes opens n DBs on one new database of eng.
func openNodes(t *testing.T, eng engine, n int) []*DB {
	t.Helper()
	target := eng.target(t)
	dbs := make([]*DB, n)
	for i := range dbs {
		dbs[i] = mustOpenPath(t, target)
	}
	return dbs
}

// TestConcurrentPurges: nodes purging at once delete every old closed
// table exactly once between them, and nothing else.
func TestConcurrentPurges(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		const nodes, closed, open = 4, 40, 5
		dbs := openNodes(t, eng, nodes)
		ctx := context.Background()
		var want []string
		for i := range closed + open {
			id := fmt.Sprintf("t%02d", i)
			mustCreate(t, dbs[0], id)
			if i < closed {
				e := ev(id, 2)
				e.Time = base.Add(time.Duration(i) * time.Minute)
				mustAppend(t, dbs[0], Batch{Table: id, Events: []Event{e}, Status: "closed"})
				want = append(want, id)
			}
		}
		got := make([][]string, nodes)
		errs := make([]error, nodes)
		var wg sync.WaitGroup
		for i := range nodes {
			wg.Go(func() { got[i], errs[i] = dbs[i].PurgeClosedBefore(ctx, base.Add(24*time.Hour)) })
		}
		wg.Wait()
		var all []string
		for i := range nodes {
			if errs[i] != nil {
				t.Errorf("node %d: %v", i, errs[i])
			}
			all = append(all, got[i]...)
		}
		slices.Sort(all)
		if fmt.Sprint(all) != fmt.Sprint(want) {
			t.Errorf("purged between them: %v\nwant each of %v once", all, want)
		}
		tables, err := dbs[0].Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != open {
			t.Errorf("%d tables left, want the %d open ones", len(tables), open)
		}
		t.Logf("purged per node: %d %d %d %d", len(got[0]), len(got[1]), len(got[2]), len(got[3]))
	})
}

// TestConcurrentCreates: nodes creating tables at once can never share a
// join code or an id; the losers get ErrConflict and leave nothing behind.
func TestConcurrentCreates(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		const nodes = 6
		dbs := openNodes(t, eng, nodes)
		ctx := context.Background()
		race := func(info func(i int) TableInfo) (wins int) {
			errs := make([]error, nodes)
			var wg sync.WaitGroup
			for i := range nodes {
				wg.Go(func() {
					ti := info(i)
					first := ev(ti.ID, 1)
					first.Type = "table.created"
					errs[i] = dbs[i].CreateTable(ctx, ti, first)
				})
			}
			wg.Wait()
			for i, err := range errs {
				switch {
				case err == nil:
					wins++
				case !errors.Is(err, ErrConflict):
					t.Errorf("node %d: err = %v, want ErrConflict", i, err)
				}
			}
			return wins
		}
		if wins := race(func(i int) TableInfo { return TableInfo{ID: fmt.Sprint("same-code-", i), Code: "KP-SAME"} }); wins != 1 {
			t.Errorf("%d tables created with one join code, want 1", wins)
		}
		if wins := race(func(i int) TableInfo { return TableInfo{ID: "same-id", Code: fmt.Sprint("KP-", i)} }); wins != 1 {
			t.Errorf("%d tables created with one id, want 1", wins)
		}
		tables, err := dbs[0].Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(tables) != 2 {
			t.Errorf("%d tables, want 2", len(tables))
		}
		var events int
		if err := rawRow(t, dbs[0], "SELECT COUNT(*) FROM events").Scan(&events); err != nil {
			t.Fatal(err)
		}
		if events != 2 {
			t.Errorf("%d events, want the 2 winners' first events", events)
		}
	})
}

// TestAppendAndDeleteRace: a table deleted while its owner appends: every
// append either committed before the delete or fails with ErrNotFound, and
// nothing of the table is left.
func TestAppendAndDeleteRace(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		dbs := openNodes(t, eng, 2)
		ctx := context.Background()
		mustCreate(t, dbs[0], "t1")
		started := make(chan struct{})
		errc := make(chan error, 1)
		go func() {
			for seq := int64(2); ; seq++ {
				if seq == 5 {
					close(started)
				}
				if err := appendAs(dbs[0], "t1", 0, seq, seq); err != nil {
					errc <- err
					return
				}
			}
		}()
		<-started
		if err := dbs[1].DeleteTable(ctx, "t1"); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; !errors.Is(err, ErrNotFound) {
			t.Errorf("append after the delete: err = %v, want ErrNotFound", err)
		}
		if n := countRows(t, dbs[0], "events", "table_id", "t1"); n != 0 {
			t.Errorf("%d events of the deleted table left", n)
		}
	})
}
