package tables

import (
	"fmt"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// The one conversion between the domain's events and the store's rows.

// ToStore is an event of table as the store keeps it.
func ToStore(table string, e session.Event) (store.Event, error) {
	data, err := session.EncodeData(e)
	if err != nil {
		return store.Event{}, err
	}
	return store.Event{Table: table, Seq: e.Seq, Time: e.Time, Actor: e.Actor, Type: e.Type, Data: data, Op: e.Op}, nil
}

// FromStore is a stored event in its typed form.
func FromStore(se store.Event) (session.Event, error) {
	return session.DecodeEvent(se.Seq, se.Time, se.Actor, se.Type, se.Op, se.Data)
}

// Batch is what appending events to t's log writes: the events, and the
// table's title and status in the table index when an event changed them.
// t is the state after the events.
func Batch(t *session.Table, events []session.Event) (store.Batch, error) {
	b := store.Batch{Table: t.ID, Events: make([]store.Event, len(events))}
	for i, e := range events {
		se, err := ToStore(t.ID, e)
		if err != nil {
			return store.Batch{}, err
		}
		b.Events[i] = se
		switch d := e.Data.(type) {
		case *session.TableEdited:
			if d.Title != nil {
				b.Title = t.Title
			}
		case *session.TableLocked, *session.TableClosed:
			b.Status = Status(t)
		}
	}
	return b, nil
}

// Status is the table's status as the table index keeps it.
func Status(t *session.Table) string {
	switch {
	case t.Closed:
		return "closed"
	case t.Locked:
		return "locked"
	}
	return "open"
}

// Snapshot is t's state at its current seq as the store keeps it.
func Snapshot(t *session.Table) (*store.Snapshot, error) {
	data, err := t.MarshalSnapshot()
	if err != nil {
		return nil, fmt.Errorf("tables: snapshot %s: %w", t.ID, err)
	}
	return &store.Snapshot{Table: t.ID, Seq: t.Seq, Version: session.SnapshotVersion, Data: data}, nil
}
