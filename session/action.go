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
		if t.Ideas[id].Pending {
			return nil, errf(KindConflict, CodeIdeaPending, "approve the idea before making it an action")
		}
		if t.Ideas[id].InGroup {
			return nil, errf(KindForbidden, CodeNotInGroup, "make the action of the idea the group reported back")
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

// project: actions are the table's shared agreement, with their proposer
// and owners named.
func (d *ActionAdded) project(Audience) EventData { return d }
func (*ActionAdded) selfActor() string            { return "" }

// fold appends the whole action, copied so that the view shares nothing
// with the event.
func (d *ActionAdded) fold(v *View, seq int64, me Who) {
	if v.action(d.Action.ID) != nil {
		return
	}
	a := d.Action
	a.Ideas = append([]string{}, a.Ideas...)
	a.Owners = append([]Owner{}, a.Owners...)
	v.Actions = append(v.Actions, a)
}

// profiles: an action names its proposer and its participant owners.
func (d *ActionAdded) profiles() []ParticipantView { return d.Profiles }

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

// project: actions are public.
func (d *ActionEdited) project(Audience) EventData { return d }
func (*ActionEdited) selfActor() string            { return "" }

// fold sets the fields the event names, as the server does.
func (d *ActionEdited) fold(v *View, seq int64, me Who) {
	if a := v.action(d.Action); a != nil {
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

// project: a removal names only the action.
func (d *ActionRemoved) project(Audience) EventData { return d }
func (*ActionRemoved) selfActor() string            { return "" }

func (d *ActionRemoved) fold(v *View, seq int64, me Who) {
	v.Actions = slices.DeleteFunc(v.Actions, func(a Action) bool { return a.ID == d.Action })
}
