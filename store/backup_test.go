package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestBackup(t *testing.T) {
	db := mustOpen(t)
	ctx := context.Background()
	for _, id := range []string{"t1", "t2"} {
		mustCreate(t, db, id)
		e := evs(id, 2, 50)
		e[3].Op = "k"
		mustAppend(t, db, Batch{Table: id, Events: e, Snapshot: &Snapshot{Seq: 50, Version: 1, Data: []byte("s")}})
	}
	dest := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, dest); err != nil {
		t.Fatal(err)
	}
	// Appends after the backup must not show up in it.
	mustAppend(t, db, Batch{Table: "t1", Events: evs("t1", 51, 51)})

	cp := mustOpenPath(t, dest)
	for _, id := range []string{"t1", "t2"} {
		want, err := db.Events(ctx, id, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		got, err := cp.Events(ctx, id, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: backup has %d events, want %d", id, len(got), len(want))
		}
		for i := range got {
			if !eventsEqual(got[i], want[i]) {
				t.Errorf("%s event %d: backup %+v, want %+v", id, i, got[i], want[i])
			}
		}
		s, err := cp.LatestSnapshot(ctx, id)
		if err != nil || s.Seq != 50 {
			t.Errorf("%s: backup snapshot = %+v, %v", id, s, err)
		}
		info, _ := cp.Table(ctx, id)
		if info.LastSeq != 50 {
			t.Errorf("%s: backup LastSeq = %d, want 50", id, info.LastSeq)
		}
	}

	if err := db.Backup(ctx, dest); err == nil {
		t.Error("Backup over an existing backup succeeded")
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, empty); err == nil {
		t.Error("Backup over an existing empty file succeeded")
	}
	if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
		t.Errorf("existing file was touched: %v, %v", fi, err)
	}
	if err := db.Backup(ctx, filepath.Join(t.TempDir(), "no", "such", "dir.db")); err == nil {
		t.Error("Backup into a missing directory succeeded")
	}
}
