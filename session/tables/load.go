// Package tables moves tables between the store and the domain: it creates
// new tables, rebuilds a table's state from its log (for the live runtime
// and for the offline commands alike), and holds the one conversion
// between the domain's events and the store's rows.
package tables

import (
	"context"
	"errors"
	"fmt"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// Reader is what loading a table needs from storage.
type Reader interface {
	LatestSnapshot(ctx context.Context, table string) (store.Snapshot, error)
	Events(ctx context.Context, table string, afterSeq int64, limit int) ([]store.Event, error)
}

// ErrNoTable is the answer for a table id that is not in the store.
var ErrNoTable = &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no such table"}

// Loaded is a table rebuilt from the store.
type Loaded struct {
	Table   *session.Table
	Recent  []session.Event // up to the keep last events, oldest first
	SnapSeq int64           // seq of the snapshot it started from, 0 if none
}

// Load rebuilds a table from its latest usable snapshot and the events
// after it, and returns up to keep of its last events as well. A snapshot
// in an older format or unreadable is ignored: the events are the truth.
// A table that is not in the store is ErrNoTable.
func Load(ctx context.Context, st Reader, id string, keep int) (Loaded, error) {
	var t *session.Table
	var after int64
	snap, err := st.LatestSnapshot(ctx, id)
	switch {
	case err == nil && snap.Version == session.SnapshotVersion:
		if t, err = session.RestoreSnapshot(snap.Data); err != nil {
			t = nil
		} else {
			after = snap.Seq
		}
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return Loaded{}, fmt.Errorf("tables: load %s: %w", id, err)
	}
	if t == nil {
		t = new(session.Table)
	}
	// Read keep events from before the snapshot too, for resuming clients.
	from := max(0, after-int64(keep))
	evs, err := st.Events(ctx, id, from, 0)
	if err != nil {
		return Loaded{}, fmt.Errorf("tables: load %s: %w", id, err)
	}
	if after == 0 && len(evs) == 0 {
		return Loaded{}, ErrNoTable
	}
	recent := make([]session.Event, 0, min(len(evs), keep))
	for i, se := range evs {
		if se.Seq != from+int64(i)+1 {
			return Loaded{}, fmt.Errorf("tables: load %s: event %d follows %d", id, se.Seq, from+int64(i))
		}
		if se.Seq <= after && len(evs)-i > keep {
			continue
		}
		e, err := FromStore(se)
		if err != nil {
			return Loaded{}, fmt.Errorf("tables: load %s: %w", id, err)
		}
		if se.Seq > after {
			t.Apply(e)
		}
		if len(evs)-i <= keep {
			recent = append(recent, e)
		}
	}
	return Loaded{Table: t, Recent: recent, SnapSeq: after}, nil
}
