package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestRedactEvents: the events that name a person are rewritten, the others
// stay byte for byte, every snapshot is gone, a snapshot older than the
// redaction is refused afterwards (a live server may still send one) and
// a newer one is stored; on SQLite no byte of the name is left in the
// database's files.
func TestRedactEvents(t *testing.T) {
	eachEngine(t, func(t *testing.T, eng engine) {
		target := eng.target(t)
		db := mustOpenPath(t, target)
		ctx := context.Background()
		mustCreate(t, db, "t1")
		mustCreate(t, db, "t2")
		e := evs("t1", 2, 4)
		e[0].Data = []byte(`{"id":"p1","name":"Hannele Kivimäki-Ylihärsilä","org":"Mielenmaja ry"}`)
		e[2].Data = []byte(`{"participant":"p1","name":"Hannele Kivimäki-Ylihärsilä"}`)
		mustAppend(t, db, Batch{Table: "t1", Events: e, Snapshot: &Snapshot{Seq: 4, Data: []byte(`{"name":"Hannele Kivimäki-Ylihärsilä"}`)}})
		other := evs("t2", 2, 2)
		other[0].Data = []byte(`{"id":"p9","name":"Hannele Kivimäki-Ylihärsilä"}`) // someone of the same name at another table
		mustAppend(t, db, Batch{Table: "t2", Events: other})

		n, err := db.Redact(ctx, "t1", 4, func(ev Event) ([]byte, bool, error) {
			if !bytes.Contains(ev.Data, []byte("Hannele")) {
				return nil, false, nil
			}
			return bytes.ReplaceAll(bytes.ReplaceAll(ev.Data, []byte("Hannele Kivimäki-Ylihärsilä"), nil), []byte("Mielenmaja ry"), nil), true, nil
		})
		if err != nil || n != 2 {
			t.Fatalf("Redact = %d, %v; want 2 events changed", n, err)
		}
		got, _ := db.Events(ctx, "t1", 0, 0)
		for _, ev := range got {
			if bytes.Contains(ev.Data, []byte("Hannele")) {
				t.Errorf("seq %d still names her: %s", ev.Seq, ev.Data)
			}
		}
		if string(got[2].Data) != string(e[1].Data) {
			t.Errorf("an event about someone else changed: %s", got[2].Data)
		}
		if _, err := db.LatestSnapshot(ctx, "t1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("a snapshot survived: %v", err)
		}
		err = db.Append(ctx, Batch{Table: "t1", Snapshot: &Snapshot{Seq: 3, Data: []byte(`{"name":"Hannele Kivimäki-Ylihärsilä"}`)}})
		if !errors.Is(err, ErrConflict) {
			t.Errorf("a snapshot older than the redaction: err = %v, want ErrConflict", err)
		}
		mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 5, 5), Snapshot: &Snapshot{Seq: 5, Data: []byte(`{}`)}})
		if other, _ := db.Events(ctx, "t2", 0, 0); !bytes.Contains(other[1].Data, []byte("Hannele")) {
			t.Error("the other table's participant of the same name was erased too")
		}
		if _, err := db.Redact(ctx, "nobody", 1, func(Event) ([]byte, bool, error) { return nil, false, nil }); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown table: %v", err)
		}
		if eng.name != "sqlite" {
			return
		}
		// Delete the other table too, so the name must be gone from the files.
		if err := db.DeleteTable(ctx, "t2"); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"", "-wal"} {
			raw, err := os.ReadFile(target + suffix)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("Kivimäki")) || bytes.Contains(raw, []byte("Mielenmaja")) {
				t.Errorf("%s still holds the name (%d bytes)", strings.TrimPrefix(suffix, "-")+" file", len(raw))
			}
		}
	})
}
