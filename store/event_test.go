package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

func TestAppendRoundTrip(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")

		in := []Event{
			{Seq: 2, Time: base, Actor: "p:5b1c", Type: "idea.added", Data: []byte(`{"text":"Yhteinen kalenteri 🗓️","n":1}`), Op: "c1-17"},
			{Table: "t1", Seq: 3, Time: base.Add(time.Nanosecond), Actor: "system", Type: "timer.ended", Data: []byte(`{}`)},
			{Seq: 4, Time: base.Truncate(time.Microsecond).Add(999 * time.Nanosecond), Actor: "scribe:9", Type: "vote.cast", Data: nil, Op: ""},
		}
		mustAppend(t, db, Batch{Table: "t1", Events: in})
		if in[0].Table != "" {
			t.Error("Append changed the caller's events")
		}

		got, err := db.Events(ctx, "t1", 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(in) {
			t.Fatalf("got %d events, want %d", len(got), len(in))
		}
		for i, g := range got {
			w := in[i]
			w.Table = "t1"
			w.Time = w.Time.Truncate(time.Microsecond)
			if !eventsEqual(g, w) {
				t.Errorf("event %d:\n got %+v\nwant %+v", i, g, w)
			}
			if g.Time.Location() != time.UTC {
				t.Errorf("event %d: time in %v, want UTC", i, g.Time.Location())
			}
		}
		// Times are truncated, never rounded up.
		if !got[2].Time.Equal(base.Truncate(time.Microsecond)) {
			t.Errorf("time with 999ns extra = %v, want truncated to %v", got[2].Time, base.Truncate(time.Microsecond))
		}

		var nulls, empties int
		if err := rawRow(t, db, `SELECT
		COUNT(*) FILTER (WHERE op IS NULL), COUNT(*) FILTER (WHERE op = '')
		FROM events WHERE table_id = 't1'`).Scan(&nulls, &empties); err != nil {
			t.Fatal(err)
		}
		if nulls != 3 || empties != 0 { // seq 1, 3, 4
			t.Errorf("ops stored: %d NULL, %d empty; want 3 NULL, 0 empty", nulls, empties)
		}

		info, _ := db.Table(ctx, "t1")
		if info.LastSeq != 4 {
			t.Errorf("LastSeq = %d, want 4", info.LastSeq)
		}
	})
}

func TestEventsAfterAndLimit(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 10)})

		tests := []struct {
			after    int64
			limit    int
			from, to int64 // expected seq range; from > to means none
		}{
			{0, 0, 1, 10},
			{0, -1, 1, 10},
			{3, 4, 4, 7},
			{8, 100, 9, 10},
			{9, 1, 10, 10},
			{10, 0, 1, 0},
			{50, 5, 1, 0},
		}
		for _, tt := range tests {
			got, err := db.Events(ctx, "t1", tt.after, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Errorf("Events(after %d, limit %d) = nil, want non-nil slice", tt.after, tt.limit)
			}
			var seqs []int64
			for _, e := range got {
				seqs = append(seqs, e.Seq)
			}
			var want []int64
			for s := tt.from; s <= tt.to; s++ {
				want = append(want, s)
			}
			if fmt.Sprint(seqs) != fmt.Sprint(want) {
				t.Errorf("Events(after %d, limit %d) seqs = %v, want %v", tt.after, tt.limit, seqs, want)
			}
		}
		got, err := db.Events(ctx, "unknown", 0, 0)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("Events(unknown) = %v, %v; want empty slice", got, err)
		}
	})
}

func TestAppendRefusesGapsAndDuplicates(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 3)})

		bad := map[string][]Event{
			"duplicate seq":    evs("t1", 3, 4),
			"old seq":          evs("t1", 1, 1),
			"gap":              evs("t1", 5, 6),
			"gap inside batch": {ev("t1", 4), ev("t1", 6)},
			"repeat in batch":  {ev("t1", 4), ev("t1", 4)},
			"backwards":        {ev("t1", 5), ev("t1", 4)},
		}
		for name, events := range bad {
			if err := db.Append(ctx, Batch{Table: "t1", Events: events}); !errors.Is(err, ErrConflict) {
				t.Errorf("%s: err = %v, want ErrConflict", name, err)
			}
		}
		got, _ := db.Events(ctx, "t1", 0, 0)
		if len(got) != 3 {
			t.Errorf("%d events after refused appends, want 3", len(got))
		}
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 4, 4)})
	})
}

func TestAppendValidates(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		mustCreate(t, db, "t1")
		noActor := ev("t1", 2)
		noActor.Actor = ""
		noType := ev("t1", 2)
		noType.Type = ""
		noTime := ev("t1", 2)
		noTime.Time = time.Time{}
		bad := map[string]Batch{
			"no table":           {Events: evs("t1", 2, 2)},
			"other table's":      {Table: "t1", Events: evs("t2", 2, 2)},
			"no actor":           {Table: "t1", Events: []Event{noActor}},
			"no type":            {Table: "t1", Events: []Event{noType}},
			"no time":            {Table: "t1", Events: []Event{noTime}},
			"snapshot elsewhere": {Table: "t1", Events: evs("t1", 2, 2), Snapshot: &Snapshot{Table: "t2", Seq: 2, Data: []byte("x")}},
			"snapshot ahead":     {Table: "t1", Events: evs("t1", 2, 2), Snapshot: &Snapshot{Seq: 3, Data: []byte("x")}},
			"empty snapshot":     {Table: "t1", Events: evs("t1", 2, 2), Snapshot: &Snapshot{Seq: 2}},
		}
		for name, b := range bad {
			if err := db.Append(context.Background(), b); err == nil {
				t.Errorf("%s: Append succeeded", name)
			}
		}
		if n := countRows(t, db, "events", "table_id", "t1"); n != 1 {
			t.Errorf("%d events after invalid appends, want 1", n)
		}
	})
}

func TestOps(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		mustCreate(t, db, "t2")
		e := evs("t1", 2, 5)
		e[0].Op, e[2].Op, e[3].Op = "a", "b", "c"
		mustAppend(t, db, Batch{Table: "t1", Events: e})

		// The same key in another table is fine.
		e2 := evs("t2", 2, 2)
		e2[0].Op = "a"
		mustAppend(t, db, Batch{Table: "t2", Events: e2})

		dup := evs("t1", 6, 7)
		dup[1].Op = "b"
		if err := db.Append(ctx, Batch{Table: "t1", Events: dup}); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate op: err = %v, want ErrConflict", err)
		}
		if err := db.Append(ctx, Batch{Table: "t1", Events: dup}); !hasEngineError(err) {
			t.Errorf("duplicate op: the %s error is not in the chain: %v", eng.name, err)
		}

		ops, err := db.Ops(ctx, "t1", 0)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(ops) != fmt.Sprint(map[string]int64{"a": 2, "b": 4, "c": 5}) {
			t.Errorf("Ops(t1, 0) = %v", ops)
		}
		ops, _ = db.Ops(ctx, "t1", 3)
		if fmt.Sprint(ops) != fmt.Sprint(map[string]int64{"b": 4, "c": 5}) {
			t.Errorf("Ops(t1, 3) = %v", ops)
		}
		ops, err = db.Ops(ctx, "t1", 5)
		if err != nil || ops == nil || len(ops) != 0 {
			t.Errorf("Ops(t1, 5) = %v, %v; want empty map", ops, err)
		}
		info, _ := db.Table(ctx, "t1")
		if info.LastSeq != 5 {
			t.Errorf("LastSeq = %d after refused batch, want 5", info.LastSeq)
		}
	})
}

// hasEngineError reports whether err carries the database engine's own
// error, as well as the store's sentinel.
func hasEngineError(err error) bool {
	var se sqlite3.Error
	var pe *pgconn.PgError
	return errors.As(err, &se) || errors.As(err, &pe)
}
