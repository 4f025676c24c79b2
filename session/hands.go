package session

import (
	"slices"
	"time"
)

func removeHand(q []Hand, participant string) []Hand {
	return slices.DeleteFunc(q, func(h Hand) bool { return h.Participant == participant })
}

func inQueue(q []Hand, participant string) bool {
	return slices.ContainsFunc(q, func(h Hand) bool { return h.Participant == participant })
}

// RaiseHand puts the participant in the speaking queue: online people
// cannot be seen raising a hand, so the queue keeps the order for them.
type RaiseHand struct {
	base
}

// HandChanged records a hand raised or lowered.
type HandChanged struct {
	Participant string           `json:"participant"`
	Raised      bool             `json:"raised"`
	At          time.Time        `json:"at"`
	Profile     *ParticipantView `json:"profile,omitempty"` // who raised it
}

func (*HandChanged) eventType() string { return "hand.changed" }

func (c *RaiseHand) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleParticipant {
		return nil, errf(KindForbidden, CodeForbidden, "only participants raise a hand")
	}
	if err := inputOpen(t); err != nil {
		return nil, err
	}
	if inQueue(t.Queue, who.ID) {
		return nil, errf(KindConflict, CodeInQueue, "your hand is already raised")
	}
	return &HandChanged{Participant: who.ID, Raised: true, At: env.Now.UTC(), Profile: t.profile(who.ID)}, nil
}

// LowerHand takes a participant out of the queue: their own hand, or
// anyone's for the facilitator.
type LowerHand struct {
	base
	Participant string `json:"participant"`
}

func (c *LowerHand) decide(t *Table, who Who, env Env) (EventData, error) {
	p := c.Participant
	switch who.Role {
	case RoleParticipant:
		if p != "" && p != who.ID {
			return nil, errf(KindForbidden, CodeNotOwner, "you can only lower your own hand")
		}
		p = who.ID
	case RoleFacilitator:
		if t.Closed {
			return nil, errf(KindConflict, CodeClosed, "the table is closed")
		}
	default:
		return nil, forbidden()
	}
	if !inQueue(t.Queue, p) {
		return nil, errf(KindConflict, CodeNotInQueue, "no raised hand")
	}
	return &HandChanged{Participant: p, Raised: false, At: env.Now.UTC()}, nil
}

func (d *HandChanged) apply(t *Table, e *Event) {
	if d.Raised {
		if !inQueue(t.Queue, d.Participant) {
			t.Queue = append(t.Queue, Hand{Participant: d.Participant, At: d.At})
		}
		return
	}
	t.Queue = removeHand(t.Queue, d.Participant)
}

// project: the queue is public, so that everyone knows who speaks next.
func (d *HandChanged) project(Audience) EventData { return d }
func (*HandChanged) selfActor() string            { return "" }

// fold appends a raised hand (once) or removes a lowered one.
func (d *HandChanged) fold(v *View, seq int64, me Who) {
	if !d.Raised {
		v.Queue = removeHand(v.Queue, d.Participant)
		return
	}
	if !inQueue(v.Queue, d.Participant) {
		v.Queue = append(v.Queue, Hand{Participant: d.Participant, At: d.At})
	}
}

// profiles: the queue names who raised the hand.
func (d *HandChanged) profiles() []ParticipantView { return profileList(d.Profile) }

// GiveFloor gives a participant the floor, taking them out of the queue.
// An empty Participant ends the current turn.
type GiveFloor struct {
	base
	Participant string `json:"participant"`
}

// FloorGiven records who has the floor ("" for nobody).
type FloorGiven struct {
	Participant string           `json:"participant"`
	At          time.Time        `json:"at"`
	Profile     *ParticipantView `json:"profile,omitempty"` // who has the floor
}

func (*FloorGiven) eventType() string { return "floor.given" }

func (c *GiveFloor) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	if c.Participant != "" {
		if p := t.Participants[c.Participant]; p == nil || p.Removed {
			return nil, errf(KindNotFound, CodeNoParticipant, "no such participant")
		}
	}
	if c.Participant == t.Floor {
		return nil, errf(KindInvalid, CodeNoChange, "the floor is already so")
	}
	d := &FloorGiven{Participant: c.Participant, At: env.Now.UTC()}
	if c.Participant != "" {
		d.Profile = t.profile(c.Participant)
	}
	return d, nil
}

func (d *FloorGiven) apply(t *Table, e *Event) {
	t.Floor, t.FloorSince = d.Participant, d.At
	if d.Participant == "" {
		t.FloorSince = time.Time{}
	}
	t.Queue = removeHand(t.Queue, d.Participant)
}

// project: everyone sees who has the floor.
func (d *FloorGiven) project(Audience) EventData { return d }
func (*FloorGiven) selfActor() string            { return "" }

// fold sets who speaks and since when; the speaker leaves the queue.
func (d *FloorGiven) fold(v *View, seq int64, me Who) {
	v.Floor, v.FloorSince = d.Participant, nil
	if d.Participant != "" {
		at := d.At
		v.FloorSince = &at
	}
	v.Queue = removeHand(v.Queue, d.Participant)
}

// profiles: the floor names who speaks.
func (d *FloorGiven) profiles() []ParticipantView { return profileList(d.Profile) }

// ClearQueue lowers every hand (facilitator).
type ClearQueue struct {
	base
}

// QueueCleared records an emptied queue.
type QueueCleared struct{}

func (*QueueCleared) eventType() string { return "queue.cleared" }

func (c *ClearQueue) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	if len(t.Queue) == 0 {
		return nil, errf(KindInvalid, CodeNoChange, "the queue is empty")
	}
	return &QueueCleared{}, nil
}

func (d *QueueCleared) apply(t *Table, e *Event) { t.Queue = nil }

// project: an emptied queue carries nothing.
func (d *QueueCleared) project(Audience) EventData { return d }
func (*QueueCleared) selfActor() string            { return "" }

func (d *QueueCleared) fold(v *View, seq int64, me Who) { v.Queue = []Hand{} }
