package tables

import (
	"context"
	"fmt"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// PersonalData is everything stored about participant p of table t, for
// an access request: what the state holds (session.Table.PersonalDataOf)
// and the events of the log that they caused, read from r up to t's seq.
func PersonalData(ctx context.Context, r Reader, t *session.Table, p *session.Participant) (session.PersonalData, error) {
	d := t.PersonalDataOf(p)
	return d, AddPersonalEvents(ctx, r, &d, t.Seq)
}

// AddPersonalEvents lists in d the events of d's table, up to seq
// through, that d's participant caused: for a caller that took d from
// the state under a lock and reads the log after.
func AddPersonalEvents(ctx context.Context, r Reader, d *session.PersonalData, through int64) error {
	id := d.Participant.ID
	actor := session.Who{Role: session.RoleParticipant, ID: id}.Actor()
	events, err := r.Events(ctx, d.Table.ID, 0, 0)
	if err != nil {
		return fmt.Errorf("tables: personal data of %s: %w", id, err)
	}
	for _, e := range events {
		if e.Seq > through {
			break
		}
		if e.Actor == actor || e.Type == "participant.joined" && joinedAs(e, id) {
			d.Events = append(d.Events, session.PersonalEvent{Seq: e.Seq, Type: e.Type, At: e.Time})
		}
	}
	return nil
}

// joinedAs reports the join event of participant id, which a guest causes
// before they have an id of their own.
func joinedAs(e store.Event, id string) bool {
	ev, err := session.DecodeEvent(e.Seq, e.Time, e.Actor, e.Type, e.Op, e.Data)
	if err != nil {
		return false
	}
	j, ok := ev.Data.(*session.ParticipantJoined)
	return ok && j.ID == id
}
