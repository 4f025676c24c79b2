package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCreateTableAndLookUp(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		first := ev("t1", 1)
		info := TableInfo{ID: "t1", Code: "KP-4F7K-9QX2", Title: "Kumppanuuspöytä", CreatedAt: base}
		if err := db.CreateTable(ctx, info, first); err != nil {
			t.Fatal(err)
		}
		want := TableInfo{
			ID:        "t1",
			Code:      "KP-4F7K-9QX2",
			Title:     "Kumppanuuspöytä",
			Status:    "open",
			CreatedAt: base.Truncate(time.Microsecond).UTC(),
			UpdatedAt: first.Time.Truncate(time.Microsecond).UTC(),
			LastSeq:   1,
			Series:    "t1",
		}
		got, err := db.Table(ctx, "t1")
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Table = %+v\nwant    %+v", got, want)
		}
		got, err = db.TableByCode(ctx, "KP-4F7K-9QX2")
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("TableByCode = %+v\nwant          %+v", got, want)
		}
		events, err := db.Events(ctx, "t1", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 1 || !eventsEqual(events[0], Event{
			Table: "t1", Seq: 1, Time: first.Time.Truncate(time.Microsecond), Actor: first.Actor, Type: first.Type, Data: first.Data,
		}) {
			t.Errorf("Events = %+v, want the first event", events)
		}
	})
}

// TestSeries: tables made one from another share their first table's id
// as series, and Series finds them, oldest first, and no other table.
func TestSeries(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		for i, c := range []struct{ id, series string }{{"t1", ""}, {"t2", "t1"}, {"other", ""}, {"t3", "t1"}} {
			info := TableInfo{ID: c.id, Code: "KP-" + c.id, Series: c.series, CreatedAt: base.Add(time.Duration(i) * time.Minute)}
			if err := db.CreateTable(ctx, info, ev(c.id, 1)); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.Series(ctx, "t1")
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, info := range got {
			ids = append(ids, info.ID+"/"+info.Series)
		}
		if strings.Join(ids, " ") != "t1/t1 t2/t1 t3/t1" {
			t.Errorf("series t1: %q", ids)
		}
		if got, _ := db.Series(ctx, "other"); len(got) != 1 || got[0].ID != "other" {
			t.Errorf("series other: %+v", got)
		}
		if got, err := db.Series(ctx, "nobody"); err != nil || len(got) != 0 {
			t.Errorf("unknown series: %+v %v", got, err)
		}
	})
}

func TestCreateTableConflicts(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")

		dupCode := TableInfo{ID: "t2", Code: "C-t1"}
		if err := db.CreateTable(ctx, dupCode, ev("t2", 1)); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate code: err = %v, want ErrConflict", err)
		}
		dupID := TableInfo{ID: "t1", Code: "C-other"}
		if err := db.CreateTable(ctx, dupID, ev("t1", 1)); !errors.Is(err, ErrConflict) {
			t.Errorf("duplicate id: err = %v, want ErrConflict", err)
		}
		// Neither failed attempt may leave anything behind.
		if _, err := db.Table(ctx, "t2"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Table(t2) after failed create: err = %v, want ErrNotFound", err)
		}
		if n := countRows(t, db, "events", "table_id", "t2"); n != 0 {
			t.Errorf("%d events of t2 after failed create", n)
		}
		if _, err := db.TableByCode(ctx, "C-other"); !errors.Is(err, ErrNotFound) {
			t.Errorf("TableByCode(C-other) after failed create: err = %v, want ErrNotFound", err)
		}
	})
}

func TestCreateTableValidates(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		tests := []struct {
			name  string
			info  TableInfo
			first Event
		}{
			{"no id", TableInfo{Code: "A"}, ev("", 1)},
			{"no code", TableInfo{ID: "t1"}, ev("t1", 1)},
			{"seq 2", TableInfo{ID: "t1", Code: "A"}, ev("t1", 2)},
			{"other table", TableInfo{ID: "t1", Code: "A"}, ev("t9", 1)},
			{"bad status", TableInfo{ID: "t1", Code: "A", Status: "paused"}, ev("t1", 1)},
			{"no time", TableInfo{ID: "t1", Code: "A"}, Event{Table: "t1", Seq: 1, Actor: "a", Type: "x"}},
		}
		for _, tt := range tests {
			if err := db.CreateTable(ctx, tt.info, tt.first); err == nil {
				t.Errorf("%s: CreateTable succeeded", tt.name)
			}
		}
		if tables, _ := db.Tables(ctx); len(tables) != 0 {
			t.Errorf("Tables = %v after invalid creates, want none", tables)
		}
	})
}

func TestUnknownTable(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		if _, err := db.Table(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Table: err = %v, want ErrNotFound", err)
		}
		if _, err := db.TableByCode(ctx, "NOPE"); !errors.Is(err, ErrNotFound) {
			t.Errorf("TableByCode: err = %v, want ErrNotFound", err)
		}
		if err := db.DeleteTable(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteTable: err = %v, want ErrNotFound", err)
		}
		if err := db.Append(ctx, Batch{Table: "nope", Events: evs("nope", 1, 1)}); !errors.Is(err, ErrNotFound) {
			t.Errorf("Append: err = %v, want ErrNotFound", err)
		}
		if _, err := db.LatestSnapshot(ctx, "nope"); !errors.Is(err, ErrNotFound) {
			t.Errorf("LatestSnapshot: err = %v, want ErrNotFound", err)
		}
	})
}

func TestTableByCodeIsExact(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		mustCreate(t, db, "t1") // code "C-t1"
		for _, code := range []string{"c-t1", "C-T1", "C-t1 ", "Ct1"} {
			if _, err := db.TableByCode(context.Background(), code); !errors.Is(err, ErrNotFound) {
				t.Errorf("TableByCode(%q): err = %v, want ErrNotFound", code, err)
			}
		}
	})
}

func TestTablesNewestFirst(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		tables, err := db.Tables(ctx)
		if err != nil || tables == nil || len(tables) != 0 {
			t.Fatalf("Tables on empty db = %v, %v; want empty, non-nil", tables, err)
		}
		for i, id := range []string{"b", "c", "a"} {
			info := TableInfo{ID: id, Code: "C-" + id, CreatedAt: base.Add(time.Duration(i) * time.Hour)}
			if err := db.CreateTable(ctx, info, ev(id, 1)); err != nil {
				t.Fatal(err)
			}
		}
		tables, err = db.Tables(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, ti := range tables {
			ids = append(ids, ti.ID)
		}
		if len(ids) != 3 || ids[0] != "a" || ids[1] != "c" || ids[2] != "b" {
			t.Errorf("Tables order = %v, want [a c b]", ids)
		}
	})
}

func TestTitleAndStatusViaBatch(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		mustCreate(t, db, "t1")

		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 2, 3), Title: "Uusi nimi", Status: "locked"})
		info, err := db.Table(ctx, "t1")
		if err != nil {
			t.Fatal(err)
		}
		if info.Title != "Uusi nimi" || info.Status != "locked" || !info.ClosedAt.IsZero() || info.LastSeq != 3 {
			t.Errorf("after lock: %+v", info)
		}
		if want := ev("t1", 3).Time; !info.UpdatedAt.Equal(want.Truncate(time.Microsecond)) {
			t.Errorf("UpdatedAt = %v, want last event time %v", info.UpdatedAt, want)
		}

		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 4, 5), Status: "closed"})
		closedAt := ev("t1", 5).Time.Truncate(time.Microsecond)
		info, _ = db.Table(ctx, "t1")
		if info.Status != "closed" || !info.ClosedAt.Equal(closedAt) || info.Title != "Uusi nimi" {
			t.Errorf("after close: %+v, want closed at %v", info, closedAt)
		}

		// Closing an already closed table keeps the original closing time.
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 6, 6), Status: "closed"})
		info, _ = db.Table(ctx, "t1")
		if !info.ClosedAt.Equal(closedAt) {
			t.Errorf("after second close: ClosedAt = %v, want %v", info.ClosedAt, closedAt)
		}

		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 7, 7), Status: "open"})
		info, _ = db.Table(ctx, "t1")
		if info.Status != "open" || !info.ClosedAt.IsZero() {
			t.Errorf("after reopen: %+v, want open with zero ClosedAt", info)
		}

		// A batch without Title or Status leaves both alone.
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 8, 8)})
		info, _ = db.Table(ctx, "t1")
		if info.Status != "open" || info.Title != "Uusi nimi" || info.LastSeq != 8 {
			t.Errorf("after plain append: %+v", info)
		}

		for _, b := range []Batch{
			{Table: "t1", Events: evs("t1", 9, 9), Status: "paused"},
			{Table: "t1", Title: "no event"},
		} {
			if err := db.Append(ctx, b); err == nil {
				t.Errorf("Append(%+v) succeeded, want error", b)
			}
		}
	})
}

func TestPurgeClosedBefore(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		for _, id := range []string{"old", "new", "open"} {
			mustCreate(t, db, id)
		}
		closeAt := func(id string, at time.Time) {
			e := ev(id, 2)
			e.Time = at
			mustAppend(t, db, Batch{Table: id, Events: []Event{e}, Status: "closed", Snapshot: &Snapshot{Seq: 2, Data: []byte("s")}})
		}
		closeAt("old", base.Add(time.Hour))
		closeAt("new", base.Add(3*time.Hour))

		ids, err := db.PurgeClosedBefore(ctx, base.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != 1 || ids[0] != "old" {
			t.Fatalf("PurgeClosedBefore = %v, want [old]", ids)
		}
		if _, err := db.Table(ctx, "old"); !errors.Is(err, ErrNotFound) {
			t.Errorf("purged table still there: %v", err)
		}
		if n := countRows(t, db, "events", "table_id", "old") + countRows(t, db, "snapshots", "table_id", "old"); n != 0 {
			t.Errorf("%d rows of the purged table remain", n)
		}
		for _, id := range []string{"new", "open"} {
			if _, err := db.Table(ctx, id); err != nil {
				t.Errorf("Table(%s) after purge: %v", id, err)
			}
		}

		// The boundary is exclusive.
		ids, err = db.PurgeClosedBefore(ctx, base.Add(3*time.Hour))
		if err != nil || len(ids) != 0 {
			t.Errorf("PurgeClosedBefore(closing time) = %v, %v; want nothing", ids, err)
		}
		ids, err = db.PurgeClosedBefore(ctx, base.Add(3*time.Hour+time.Microsecond))
		if err != nil || len(ids) != 1 || ids[0] != "new" {
			t.Errorf("PurgeClosedBefore(after closing) = %v, %v; want [new]", ids, err)
		}
	})
}

func TestDeleteTableRemovesEverything(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		db := eng.open(t)
		ctx := context.Background()
		for _, id := range []string{"gone", "kept"} {
			mustCreate(t, db, id)
			e := evs(id, 2, 5)
			e[0].Op = "op-1"
			mustAppend(t, db, Batch{Table: id, Events: e[:2], Snapshot: &Snapshot{Seq: 3, Data: []byte("a")}})
			mustAppend(t, db, Batch{Table: id, Events: e[2:], Snapshot: &Snapshot{Seq: 5, Data: []byte("b")}})
		}
		if err := db.DeleteTable(ctx, "gone"); err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{
			"tables":    countRows(t, db, "tables", "id", "gone"),
			"events":    countRows(t, db, "events", "table_id", "gone"),
			"snapshots": countRows(t, db, "snapshots", "table_id", "gone"),
		}
		for table, n := range counts {
			if n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := countRows(t, db, "tables", "id", "kept"); n != 1 {
			t.Errorf("kept table: %d rows in tables", n)
		}
		if n := countRows(t, db, "events", "table_id", "kept"); n != 5 {
			t.Errorf("kept table: %d events, want 5", n)
		}
		if n := countRows(t, db, "snapshots", "table_id", "kept"); n != 2 {
			t.Errorf("kept table: %d snapshots, want 2", n)
		}
		if err := db.DeleteTable(ctx, "gone"); !errors.Is(err, ErrNotFound) {
			t.Errorf("second DeleteTable: err = %v, want ErrNotFound", err)
		}
		// The id and code are free again.
		mustCreate(t, db, "gone")
	})
}
