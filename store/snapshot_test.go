package store

import (
	"context"
	"errors"
	"testing"
)

func TestSnapshots(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		if _, err := db.LatestSnapshot(ctx, "t1"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("LatestSnapshot before any: err = %v, want ErrNotFound", err)
		}

		seq := int64(1)
		for v := 1; v <= 4; v++ {
			mustAppend(t, db, Batch{
				Table:    "t1",
				Events:   evs("t1", seq+1, seq+3),
				Snapshot: &Snapshot{Seq: seq + 3, Version: v, Data: []byte{byte(v), 0, 0xff}},
			})
			seq += 3
			s, err := db.LatestSnapshot(ctx, "t1")
			if err != nil {
				t.Fatal(err)
			}
			if s.Table != "t1" || s.Seq != seq || s.Version != v || string(s.Data) != string([]byte{byte(v), 0, 0xff}) {
				t.Errorf("after save %d: LatestSnapshot = %+v", v, s)
			}
			if n, want := countRows(t, db, "snapshots", "table_id", "t1"), min(v, 2); n != want {
				t.Errorf("after save %d: %d snapshots kept, want %d", v, n, want)
			}
		}
		var oldest int64
		if err := rawRow(t, db, "SELECT MIN(seq) FROM snapshots WHERE table_id = 't1'").Scan(&oldest); err != nil {
			t.Fatal(err)
		}
		if oldest != seq-3 {
			t.Errorf("oldest kept snapshot at seq %d, want %d", oldest, seq-3)
		}

		// A snapshot alone, of an earlier seq, is allowed; the newest still wins
		// and the older one is dropped to keep two.
		mustAppend(t, db, Batch{Table: "t1", Snapshot: &Snapshot{Table: "t1", Seq: 2, Version: 9, Data: []byte("old")}})
		if s, _ := db.LatestSnapshot(ctx, "t1"); s.Seq != seq {
			t.Errorf("LatestSnapshot.Seq = %d after saving an older one, want %d", s.Seq, seq)
		}
		if n := countRows(t, db, "snapshots", "table_id", "t1"); n != 2 {
			t.Errorf("%d snapshots kept, want 2", n)
		}

		// Saving at the same seq replaces.
		mustAppend(t, db, Batch{Table: "t1", Snapshot: &Snapshot{Seq: seq, Version: 7, Data: []byte("again")}})
		if s, _ := db.LatestSnapshot(ctx, "t1"); s.Version != 7 || string(s.Data) != "again" {
			t.Errorf("LatestSnapshot after replacing = %+v", s)
		}

		// A snapshot past the end of the log fails the whole batch.
		err := db.Append(ctx, Batch{Table: "t1", Events: evs("t1", seq+1, seq+1), Snapshot: &Snapshot{Seq: seq + 2, Data: []byte("x")}})
		if err == nil {
			t.Fatal("snapshot past the end of the log accepted")
		}
		if info, _ := db.Table(ctx, "t1"); info.LastSeq != seq {
			t.Errorf("LastSeq = %d after failed batch, want %d", info.LastSeq, seq)
		}
	})
}
