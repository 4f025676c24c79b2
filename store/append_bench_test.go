package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// BenchmarkAppendBatches appends the way live tables do: each of T tables
// appends batches of B events, one after the other (a hub waits for its
// commit before the next), all tables at once, with synchronous=FULL. The
// writer combines the batches waiting at the same moment into one
// transaction; tx/op shows how many commits a round of T batches took.
// Each case runs on both engines (PostgreSQL with synchronous_commit=on).
// Events carry a vote's data and an op key, as the log holds them.
func BenchmarkAppendBatches(b *testing.B) {
	for _, eng := range allEngines {
		for _, c := range []struct{ tables, batch int }{{1, 1}, {1, 10}, {1, 100}, {10, 10}, {100, 1}, {100, 10}} {
			b.Run(fmt.Sprintf("%s/tables=%d/batch=%d", eng.name, c.tables, c.batch), func(b *testing.B) {
				benchAppend(b, eng, c.tables, c.batch)
			})
		}
	}
}

func benchAppend(b *testing.B, eng engine, tables, perBatch int) {
	db := eng.open(b)
	ctx := context.Background()
	seqs := make([]int64, tables)
	for i := range tables {
		mustCreate(b, db, fmt.Sprint("t", i))
		seqs[i] = 1
	}
	data := []byte(`{"item":"ff5d928e-bb5f-4126-ba03-f38b8efbf0b9","idea":"d0630e0b-0738-40ae-b954-613f4f326c16","voter":"abfc6d3e-05ef-4a38-b5b3-6a1dac184ade","delta":1,"votes":17,"cast":1234}`)
	at := time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)
	commits := db.commits.Load()
	for b.Loop() {
		var wg sync.WaitGroup
		for i := range tables {
			id := fmt.Sprint("t", i)
			wg.Go(func() {
				events := make([]Event, perBatch)
				for j := range events {
					seq := seqs[i] + int64(j) + 1
					events[j] = Event{Seq: seq, Time: at, Actor: "p:abfc6d3e-05ef-4a38-b5b3-6a1dac184ade", Type: "vote.changed",
						Data: data, Op: fmt.Sprintf("p:abfc6d3e-05ef-4a38-b5b3-6a1dac184ade k3J9xQ2aTfE-%d", seq)}
				}
				if err := db.Append(ctx, Batch{Table: id, Events: events}); err != nil {
					b.Error(err)
				}
				seqs[i] += int64(perBatch)
			})
		}
		wg.Wait()
	}
	b.ReportMetric(float64(b.N*tables*perBatch)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(db.commits.Load()-commits)/float64(b.N), "tx/op")
}
