package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattn/go-sqlite3"
)

// holdWriter takes the writer pool's only connection, so the writer
// goroutine cannot begin a transaction and requests pile up in its queue.
// The returned release function, also run at cleanup, gives it back.
func holdWriter(t *testing.T, db *DB) (release func()) {
	t.Helper()
	var give func()
	switch be := db.be.(type) {
	case *sqliteDB:
		conn, err := be.writer.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		give = func() { conn.Close() }
	case *pgDB:
		conn, err := be.writer.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		give = conn.Release
	}
	var once sync.Once
	release = func() { once.Do(give) }
	t.Cleanup(release)
	return release
}

// TestGroupCommitCombines queues many appends while the writer is held up,
// then checks they went to disk in far fewer transactions than calls.
func TestGroupCommitCombines(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		const n = 40
		for i := range n {
			mustCreate(t, db, fmt.Sprint("t", i))
		}

		release := holdWriter(t, db)
		commits, handed := db.commits.Load(), db.handed.Load()
		errs := make(chan error, n)
		for i := range n {
			id := fmt.Sprint("t", i)
			go func() { errs <- db.Append(ctx, Batch{Table: id, Events: evs(id, 2, 4)}) }()
		}
		waitFor(t, "all appends handed to the writer", func() bool { return db.handed.Load()-handed == n })
		release()
		for range n {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		// The first request may go alone; the rest must share one transaction.
		if got := db.commits.Load() - commits; got > 2 {
			t.Errorf("%d appends took %d transactions, want at most 2", n, got)
		}
		for i := range n {
			id := fmt.Sprint("t", i)
			if info, _ := db.Table(ctx, id); info.LastSeq != 4 {
				t.Errorf("%s: LastSeq = %d, want 4", id, info.LastSeq)
			}
		}
	})
}

// TestGroupCommitIsolatesFaultyBatch puts bad batches into a group of good
// ones: only the bad ones fail.
func TestGroupCommitIsolatesFaultyBatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		const n = 10
		for i := range n {
			mustCreate(t, db, fmt.Sprint("t", i))
		}
		dupOp := evs("t0", 2, 2)
		dupOp[0].Op = "x"
		mustAppend(t, db, Batch{Table: "t0", Events: dupOp})

		batches := make([]Batch, n)
		bad := map[int]string{3: "duplicate seq", 5: "gap", 7: "duplicate op", 8: "unknown table"}
		for i := range n {
			id := fmt.Sprint("t", i)
			batches[i] = Batch{Table: id, Events: evs(id, 2, 3), Status: "locked"}
		}
		batches[0] = Batch{Table: "t0", Events: evs("t0", 3, 3)}
		batches[3].Events = evs("t3", 1, 2)
		batches[5].Events = evs("t5", 3, 4)
		// Batch 7 continues t0 after batch 0 but repeats an op key; it is queued
		// after batch 0 so the two land in that order.
		batches[7] = Batch{Table: "t0", Events: evs("t0", 4, 4)}
		batches[7].Events[0].Op = "x"
		batches[8] = Batch{Table: "nope", Events: evs("nope", 2, 2)}

		release := holdWriter(t, db)
		handed := db.handed.Load()
		errs := make([]chan error, n)
		for i := range n {
			errs[i] = make(chan error, 1)
			if i == 7 {
				continue
			}
			go func() { errs[i] <- db.Append(ctx, batches[i]) }()
		}
		waitFor(t, "appends handed to the writer", func() bool { return db.handed.Load()-handed == n-1 })
		go func() { errs[7] <- db.Append(ctx, batches[7]) }()
		waitFor(t, "the last append handed to the writer", func() bool { return db.handed.Load()-handed == n })
		release()

		for i := range n {
			err := <-errs[i]
			what, isBad := bad[i]
			switch {
			case isBad && what == "unknown table":
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("batch %d (%s): err = %v, want ErrNotFound", i, what, err)
				}
			case isBad:
				if !errors.Is(err, ErrConflict) {
					t.Errorf("batch %d (%s): err = %v, want ErrConflict", i, what, err)
				}
			case err != nil:
				t.Errorf("good batch %d failed: %v", i, err)
			}
		}
		for i := 1; i < n; i++ {
			id := fmt.Sprint("t", i)
			info, err := db.Table(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			wantSeq, wantStatus := int64(3), "locked"
			if _, isBad := bad[i]; isBad { // nothing written to this table
				wantSeq, wantStatus = 1, "open"
			}
			if info.LastSeq != wantSeq || info.Status != wantStatus {
				t.Errorf("%s: LastSeq=%d Status=%s, want %d %s", id, info.LastSeq, info.Status, wantSeq, wantStatus)
			}
			if got := countRows(t, db, "events", "table_id", id); int64(got) != wantSeq {
				t.Errorf("%s: %d events, want %d", id, got, wantSeq)
			}
		}
		if info, _ := db.Table(ctx, "t0"); info.LastSeq != 3 {
			t.Errorf("t0: LastSeq = %d, want 3", info.LastSeq)
		}
	})
}

// TestConcurrentHubs runs one goroutine per table, as the session hub does,
// fed by many producers; every table's log must come out gapless.
func TestConcurrentHubs(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		const (
			tables    = 10
			producers = 50
			perProd   = 20
		)
		inboxes := make([]chan string, tables)
		for i := range tables {
			mustCreate(t, db, fmt.Sprint("t", i))
			inboxes[i] = make(chan string, 16)
		}
		calls := 0
		var mu sync.Mutex
		commits := db.commits.Load()

		var hubs sync.WaitGroup
		for i := range tables {
			id := fmt.Sprint("t", i)
			hubs.Go(func() {
				seq := int64(1)
				for op := range inboxes[i] {
					// Take whatever else is waiting too, like the hub's batching.
					ops := []string{op}
				more:
					for len(ops) < 5 {
						select {
						case o, ok := <-inboxes[i]:
							if !ok {
								break more
							}
							ops = append(ops, o)
						default:
							break more
						}
					}
					var events []Event
					for _, o := range ops {
						seq++
						e := ev(id, seq)
						e.Op = o
						events = append(events, e)
					}
					if err := db.Append(ctx, Batch{Table: id, Events: events}); err != nil {
						t.Errorf("%s: %v", id, err)
						return
					}
					mu.Lock()
					calls++
					mu.Unlock()
				}
			})
		}
		var prods sync.WaitGroup
		for p := range producers {
			prods.Go(func() {
				for k := range perProd {
					inboxes[(p+k)%tables] <- fmt.Sprintf("p%d-%d", p, k)
				}
			})
		}
		prods.Wait()
		for _, in := range inboxes {
			close(in)
		}
		hubs.Wait()

		total := 0
		for i := range tables {
			id := fmt.Sprint("t", i)
			got, err := db.Events(ctx, id, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			for j, e := range got {
				if e.Seq != int64(j+1) {
					t.Fatalf("%s: event %d has seq %d", id, j, e.Seq)
				}
			}
			total += len(got) - 1
			info, _ := db.Table(ctx, id)
			if info.LastSeq != int64(len(got)) {
				t.Errorf("%s: LastSeq = %d, %d events", id, info.LastSeq, len(got))
			}
		}
		if total != producers*perProd {
			t.Errorf("%d events committed, want %d", total, producers*perProd)
		}
		txs := db.commits.Load() - commits
		t.Logf("%d Append calls, %d transactions", calls, txs)
		if txs >= int64(calls) {
			t.Errorf("%d Append calls took %d transactions: nothing was combined", calls, txs)
		}
	})
}

// TestAppendWriteErrorRecovers makes SQLite fail a write with "database or
// disk is full" and checks the error surfaces and the store recovers.
func TestAppendWriteErrorRecovers(t *testing.T) {
	st := mustOpen(t)
	db := sqliteOf(t, st)
	ctx := context.Background()
	mustCreate(t, st, "t1")

	// max_page_count is per connection; the writer pool has exactly one.
	var pages int
	if err := db.writer.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.writer.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	big := evs("t1", 2, 101)
	for i := range big {
		big[i].Data = []byte(`"` + strings.Repeat("x", 4000) + `"`)
	}
	err := st.Append(ctx, Batch{Table: "t1", Events: big})
	var se sqlite3.Error
	if !errors.As(err, &se) || se.Code != sqlite3.ErrFull {
		t.Fatalf("Append on a full database: err = %v, want SQLITE_FULL", err)
	}
	if errors.Is(err, ErrConflict) || errors.Is(err, ErrNotFound) {
		t.Errorf("disk full reported as %v", err)
	}
	if n := countRows(t, st, "events", "table_id", "t1"); n != 1 {
		t.Errorf("%d events after failed append, want 1", n)
	}

	if _, err := db.writer.ExecContext(ctx, "PRAGMA max_page_count = 1000000000"); err != nil {
		t.Fatal(err)
	}
	mustAppend(t, st, Batch{Table: "t1", Events: big})
	if info, _ := st.Table(ctx, "t1"); info.LastSeq != 101 {
		t.Errorf("LastSeq = %d after recovery, want 101", info.LastSeq)
	}
}

func TestAppendAfterClose(t *testing.T) {
	eachEngine(t, testAppendAfterClose)
}

func testAppendAfterClose(t *testing.T, eng engine) {
	db, err := Open(context.Background(), eng.target(t))
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, db, "t1")
	db.Close()
	if err := db.Append(context.Background(), Batch{Table: "t1", Events: evs("t1", 2, 2)}); !errors.Is(err, errClosed) {
		t.Errorf("Append after Close: err = %v, want errClosed", err)
	}
}

func TestAppendCancelledBeforeHandOff(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		mustCreate(t, db, "t1")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := db.Append(ctx, Batch{Table: "t1", Events: evs("t1", 2, 2)}); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if n := countRows(t, db, "events", "table_id", "t1"); n != 1 {
			t.Errorf("%d events after cancelled append, want 1", n)
		}
	})
}

// TestCloseDuringAppends checks that an Append reports success exactly when
// its batch is committed, even while Close runs.
func TestCloseDuringAppends(t *testing.T) {
	eachEngine(t, testCloseDuringAppends)
}

func testCloseDuringAppends(t *testing.T, eng engine) {
	path := eng.target(t)
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	for i := range n {
		mustCreate(t, db, fmt.Sprint("t", i))
	}
	acked := make([]int64, n)
	var wg sync.WaitGroup
	started := make(chan struct{}, n)
	for i := range n {
		id := fmt.Sprint("t", i)
		wg.Go(func() {
			seq := int64(1)
			for {
				if err := db.Append(context.Background(), Batch{Table: id, Events: evs(id, seq+1, seq+1)}); err != nil {
					if !errors.Is(err, errClosed) {
						t.Errorf("%s: %v", id, err)
					}
					break
				}
				seq++
				if seq == 3 {
					started <- struct{}{}
				}
			}
			acked[i] = seq
		})
	}
	for range n {
		<-started
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()

	db = mustOpenPath(t, path)
	for i := range n {
		id := fmt.Sprint("t", i)
		info, err := db.Table(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if info.LastSeq != acked[i] {
			t.Errorf("%s: %d acknowledged, %d committed", id, acked[i], info.LastSeq)
		}
	}
}

// BenchmarkAppend appends 1,000 events per op: ten tables, each taking one
// batch of 100 events from its own goroutine. It runs on both engines:
// BenchmarkAppend/sqlite and BenchmarkAppend/postgres.
func BenchmarkAppend(b *testing.B) {
	for _, eng := range allEngines {
		b.Run(eng.name, func(b *testing.B) { benchAppend1000(b, eng) })
	}
}

func benchAppend1000(b *testing.B, eng engine) {
	db := eng.open(b)
	ctx := context.Background()
	const tables, perBatch = 10, 100
	seqs := make([]int64, tables)
	for i := range tables {
		mustCreate(b, db, fmt.Sprint("t", i))
		seqs[i] = 1
	}
	data := []byte(`{"text":"Kunnan ja järjestöjen yhteinen tapahtumakalenteri","author":"p:5b1c"}`)
	commits := db.commits.Load()
	start := time.Now()
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range tables {
			id := fmt.Sprint("t", i)
			wg.Go(func() {
				events := evs(id, seqs[i]+1, seqs[i]+perBatch)
				for j := range events {
					events[j].Data = data
				}
				if err := db.Append(ctx, Batch{Table: id, Events: events}); err != nil {
					b.Error(err)
				}
				seqs[i] += perBatch
			})
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	events := float64(b.N * tables * perBatch)
	b.ReportMetric(events/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(db.commits.Load()-commits)/float64(b.N), "tx/op")
}
