package session

import (
	"slices"
)

func (t *Table) actionFor(id string) (*Action, error) {
	if a := t.Actions[id]; a != nil {
		return a, nil
	}
	return nil, errf(KindNotFound, CodeNoAction, "no such action")
}

// actionsOpen checks that participants may propose or volunteer for actions
// of an item: the table is open and the item (the current one when the
// action has none) is in the actions phase.
func (t *Table) actionsOpen(itemID string) error {
	if err := inputOpen(t); err != nil {
		return err
	}
	if itemID == "" {
		itemID = t.Current
	}
	it, _ := t.item(itemID)
	if it == nil {
		return errf(KindNotFound, CodeNoItem, "no such agenda item")
	}
	if it.Phase != PhaseActions {
		return errf(KindConflict, CodeWrongPhase, "actions are agreed in the actions phase")
	}
	return nil
}

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

// AddAction creates an action: the facilitator at any time, freely or from
// ideas, with any owners; a participant proposes one in the actions phase
// and may volunteer for it at once.
type AddAction struct {
	base
	Item      string       `json:"item"`
	Title     string       `json:"title"`
	Ideas     []string     `json:"ideas"`
	Owners    []OwnerInput `json:"owners"`
	Due       string       `json:"due"`
	Status    string       `json:"status"`
	Volunteer bool         `json:"volunteer"`
}

// ActionAdded records a new action.
type ActionAdded struct {
	Action   Action            `json:"action"`
	Profiles []ParticipantView `json:"profiles,omitempty"` // the proposer and participant owners
}

func (*ActionAdded) eventType() string { return "action.added" }

func (c *AddAction) decide(t *Table, who Who, env Env) (EventData, error) {
	a := Action{ID: env.NewID(), Item: c.Item, Status: StatusOpen, Created: env.Now.UTC(), Ideas: []string{}, Owners: []Owner{}}
	switch who.Role {
	case RoleFacilitator:
		// Actions may still be completed after closing, for the minutes.
		if c.Volunteer {
			return nil, errf(KindInvalid, CodeInvalidValue, "a facilitator assigns owners instead of volunteering")
		}
	case RoleParticipant:
		if a.Item == "" {
			a.Item = t.Current
		}
		if err := t.actionsOpen(a.Item); err != nil {
			return nil, err
		}
		if len(c.Owners) > 0 || c.Status != "" {
			return nil, errf(KindForbidden, CodeForbidden, "participants propose actions and volunteer; the facilitator assigns others")
		}
		a.ProposedBy = who.ID
		if c.Volunteer {
			a.Owners = append(a.Owners, Owner{ID: env.NewID(), Participant: who.ID})
		}
	default:
		return nil, forbidden()
	}
	if a.Item != "" {
		if it, _ := t.item(a.Item); it == nil {
			return nil, errf(KindNotFound, CodeNoItem, "no such agenda item")
		}
	}
	var err error
	if a.Title, err = cleanText("title", c.Title, MaxAction, true, true); err != nil {
		return nil, err
	}
	if a.Due, err = cleanDate("due", c.Due); err != nil {
		return nil, err
	}
	if c.Status != "" {
		if !validStatus(c.Status) {
			return nil, errf(KindInvalid, CodeInvalidValue, "status must be open, in_progress or done")
		}
		a.Status = c.Status
	}
	if len(c.Ideas) > MaxActionIdeas {
		return nil, errf(KindLimit, CodeTooMany, "at most %d ideas per action", MaxActionIdeas)
	}
	for _, id := range c.Ideas {
		if t.Ideas[id] == nil {
			return nil, errf(KindNotFound, CodeNoIdea, "no such idea")
		}
		if !slices.Contains(a.Ideas, id) {
			a.Ideas = append(a.Ideas, id)
		}
	}
	if len(c.Owners) > MaxOwners {
		return nil, errf(KindLimit, CodeTooMany, "at most %d owners", MaxOwners)
	}
	for _, in := range c.Owners {
		o, err := t.cleanOwner(in, env)
		if err != nil {
			return nil, err
		}
		if hasOwner(&a, o) {
			return nil, errf(KindConflict, CodeAlreadyOwner, "the same owner twice")
		}
		a.Owners = append(a.Owners, o)
	}
	if len(t.Actions) >= MaxActions {
		return nil, errf(KindLimit, CodeTooMany, "the table has reached %d actions", MaxActions)
	}
	d := &ActionAdded{Action: a}
	seen := map[string]bool{}
	for _, id := range append([]string{a.ProposedBy}, ownerIDs(a.Owners)...) {
		if id != "" && !seen[id] {
			seen[id] = true
			d.Profiles = append(d.Profiles, *t.profile(id))
		}
	}
	return d, nil
}

func (d *ActionAdded) apply(t *Table, e *Event) {
	if _, ok := t.Actions[d.Action.ID]; ok {
		return
	}
	a := d.Action
	a.Ideas = slices.Clone(a.Ideas)
	a.Owners = slices.Clone(a.Owners)
	t.Actions[a.ID] = &a
	t.ActionOrder = append(t.ActionOrder, a.ID)
}

// EditAction changes an action's title, due date, status or item. The
// facilitator may always (also after closing, to finish the minutes and to
// follow up); the proposer
// may change title and due date in the actions phase; an owner may change
// the status.
type EditAction struct {
	base
	Action string  `json:"action"`
	Title  *string `json:"title,omitempty"`
	Due    *string `json:"due,omitempty"`
	Status *string `json:"status,omitempty"`
	Item   *string `json:"item,omitempty"`
}

// ActionEdited records changed action fields; nil fields did not change.
type ActionEdited struct {
	Action string  `json:"action"`
	Title  *string `json:"title,omitempty"`
	Due    *string `json:"due,omitempty"`
	Status *string `json:"status,omitempty"`
	Item   *string `json:"item,omitempty"`
}

func (*ActionEdited) eventType() string { return "action.edited" }

func (c *EditAction) decide(t *Table, who Who, env Env) (EventData, error) {
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	switch who.Role {
	case RoleFacilitator:
	case RoleParticipant:
		if c.Item != nil {
			return nil, forbidden()
		}
		if c.Title != nil || c.Due != nil {
			if a.ProposedBy != who.ID {
				return nil, errf(KindForbidden, CodeNotOwner, "only the proposer or the facilitator edits an action")
			}
			if err := t.actionsOpen(a.Item); err != nil {
				return nil, err
			}
		}
		if c.Status != nil {
			if !slices.ContainsFunc(a.Owners, func(o Owner) bool { return o.Participant == who.ID }) {
				return nil, errf(KindForbidden, CodeNotOwner, "only an owner or the facilitator changes the status")
			}
			if t.Closed {
				return nil, errf(KindConflict, CodeClosed, "the table is closed")
			}
		}
	default:
		return nil, forbidden()
	}
	d := &ActionEdited{Action: a.ID}
	if err := cleanOpt(&d.Title, c.Title, func(s string) (string, error) { return cleanText("title", s, MaxAction, true, true) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Due, c.Due, func(s string) (string, error) { return cleanDate("due", s) }); err != nil {
		return nil, err
	}
	if c.Status != nil {
		if !validStatus(*c.Status) {
			return nil, errf(KindInvalid, CodeInvalidValue, "status must be open, in_progress or done")
		}
		d.Status = c.Status
	}
	if c.Item != nil {
		if *c.Item != "" {
			if it, _ := t.item(*c.Item); it == nil {
				return nil, errf(KindNotFound, CodeNoItem, "no such agenda item")
			}
		}
		d.Item = c.Item
	}
	for _, f := range []struct {
		p   **string
		cur string
	}{{&d.Title, a.Title}, {&d.Due, a.Due}, {&d.Status, a.Status}, {&d.Item, a.Item}} {
		if *f.p != nil && **f.p == f.cur {
			*f.p = nil
		}
	}
	if d.Title == nil && d.Due == nil && d.Status == nil && d.Item == nil {
		return nil, errf(KindInvalid, CodeNoChange, "nothing to change")
	}
	return d, nil
}

func (d *ActionEdited) apply(t *Table, e *Event) {
	if a := t.Actions[d.Action]; a != nil {
		a.edit(d)
	}
}

// edit sets the fields the event names; a present item may be "". The
// server's state and the clients' views share it.
func (a *Action) edit(d *ActionEdited) {
	if d.Title != nil {
		a.Title = *d.Title
	}
	if d.Due != nil {
		a.Due = *d.Due
	}
	if d.Status != nil {
		a.Status = *d.Status
	}
	if d.Item != nil {
		a.Item = *d.Item
	}
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

// RemoveAction deletes an action (facilitator).
type RemoveAction struct {
	base
	Action string `json:"action"`
}

// ActionRemoved records a deleted action.
type ActionRemoved struct {
	Action string `json:"action"`
}

func (*ActionRemoved) eventType() string { return "action.removed" }

func (c *RemoveAction) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	return &ActionRemoved{Action: a.ID}, nil
}

func (d *ActionRemoved) apply(t *Table, e *Event) {
	if _, ok := t.Actions[d.Action]; !ok {
		return
	}
	delete(t.Actions, d.Action)
	if i := slices.Index(t.ActionOrder, d.Action); i >= 0 {
		t.ActionOrder = slices.Delete(t.ActionOrder, i, i+1)
	}
}
