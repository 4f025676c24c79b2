package session

import "slices"

// OwnerInput names an owner: a participant, an organisation, or both (a
// participant for their organisation).
type OwnerInput struct {
	Participant string `json:"participant"`
	Org         string `json:"org"`
}

func (t *Table) cleanOwner(in OwnerInput, env Env) (Owner, error) {
	o := Owner{ID: env.NewID(), Participant: in.Participant}
	if in.Participant != "" {
		if p := t.Participants[in.Participant]; p == nil || p.Removed {
			return Owner{}, errf(KindNotFound, CodeNoParticipant, "no such participant")
		}
	}
	var err error
	if o.Org, err = cleanText("org", in.Org, MaxOrg, in.Participant == "", false); err != nil {
		return Owner{}, err
	}
	return o, nil
}

func hasOwner(a *Action, o Owner) bool {
	for _, x := range a.Owners {
		if (o.Participant != "" && x.Participant == o.Participant) || (o.Participant == "" && x.Participant == "" && x.Org == o.Org) {
			return true
		}
	}
	return false
}

// AssignOwner adds an owner to an action (facilitator).
type AssignOwner struct {
	base
	Action string `json:"action"`
	OwnerInput
}

// ActionOwnerAdded records a new owner, assigned or volunteered.
type ActionOwnerAdded struct {
	Action  string           `json:"action"`
	Owner   Owner            `json:"owner"`
	Profile *ParticipantView `json:"profile,omitempty"` // when the owner is a participant
}

func (*ActionOwnerAdded) eventType() string { return "action.owner.added" }

func (c *AssignOwner) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	o, err := t.cleanOwner(c.OwnerInput, env)
	if err != nil {
		return nil, err
	}
	return t.addOwner(a, o)
}

func (t *Table) addOwner(a *Action, o Owner) (EventData, error) {
	if hasOwner(a, o) {
		return nil, errf(KindConflict, CodeAlreadyOwner, "already an owner of this action")
	}
	if len(a.Owners) >= MaxOwners {
		return nil, errf(KindLimit, CodeTooMany, "at most %d owners", MaxOwners)
	}
	d := &ActionOwnerAdded{Action: a.ID, Owner: o}
	if o.Participant != "" {
		d.Profile = t.profile(o.Participant)
	}
	return d, nil
}

func ownerIDs(owners []Owner) []string {
	var ids []string
	for _, o := range owners {
		if o.Participant != "" {
			ids = append(ids, o.Participant)
		}
	}
	return ids
}

func (d *ActionOwnerAdded) apply(t *Table, e *Event) {
	if a := t.Actions[d.Action]; a != nil {
		a.Owners = append(a.Owners, d.Owner)
	}
}

// project: an action's owners are public, so that everyone knows who does what.
func (d *ActionOwnerAdded) project(Audience) EventData { return d }
func (*ActionOwnerAdded) selfActor() string            { return "" }

func (d *ActionOwnerAdded) fold(v *View, seq int64, me Who) {
	if a := v.action(d.Action); a != nil {
		a.Owners = append(a.Owners, d.Owner)
	}
}

// profiles: a participant owner is named.
func (d *ActionOwnerAdded) profiles() []ParticipantView { return profileList(d.Profile) }

// Volunteer makes the participant (or, with Org, the participant's
// organisation) an owner of an action in the actions phase.
type Volunteer struct {
	base
	Action string `json:"action"`
	Org    bool   `json:"org"`
}

func (c *Volunteer) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleParticipant {
		return nil, errf(KindForbidden, CodeForbidden, "only participants volunteer")
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	if err := t.actionsOpen(a.Item); err != nil {
		return nil, err
	}
	o := Owner{ID: env.NewID(), Participant: who.ID}
	if c.Org {
		o.Org = t.Participants[who.ID].Org
		if o.Org == "" {
			return nil, errf(KindInvalid, CodeMissingField, "you have not given an organisation")
		}
	}
	return t.addOwner(a, o)
}

// UnassignOwner removes an owner from an action (facilitator).
type UnassignOwner struct {
	base
	Action string `json:"action"`
	Owner  string `json:"owner"`
}

// ActionOwnerRemoved records a removed owner.
type ActionOwnerRemoved struct {
	Action string `json:"action"`
	Owner  string `json:"owner"`
}

func (*ActionOwnerRemoved) eventType() string { return "action.owner.removed" }

func (c *UnassignOwner) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(a.Owners, func(o Owner) bool { return o.ID == c.Owner }) {
		return nil, errf(KindNotFound, CodeNoOwner, "no such owner")
	}
	return &ActionOwnerRemoved{Action: a.ID, Owner: c.Owner}, nil
}

// Unvolunteer takes back a participant's own volunteering.
type Unvolunteer struct {
	base
	Action string `json:"action"`
}

func (c *Unvolunteer) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleParticipant {
		return nil, errf(KindForbidden, CodeForbidden, "only participants volunteer")
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	if err := t.actionsOpen(a.Item); err != nil {
		return nil, err
	}
	for _, o := range a.Owners {
		if o.Participant == who.ID {
			return &ActionOwnerRemoved{Action: a.ID, Owner: o.ID}, nil
		}
	}
	return nil, errf(KindNotFound, CodeNoOwner, "you are not an owner of this action")
}

func (d *ActionOwnerRemoved) apply(t *Table, e *Event) {
	if a := t.Actions[d.Action]; a != nil {
		a.Owners = slices.DeleteFunc(a.Owners, func(o Owner) bool { return o.ID == d.Owner })
	}
}

// project: a removal names only the action and the owner entry.
func (d *ActionOwnerRemoved) project(Audience) EventData { return d }
func (*ActionOwnerRemoved) selfActor() string            { return "" }

func (d *ActionOwnerRemoved) fold(v *View, seq int64, me Who) {
	if a := v.action(d.Action); a != nil {
		a.Owners = slices.DeleteFunc(a.Owners, func(o Owner) bool { return o.ID == d.Owner })
	}
}
