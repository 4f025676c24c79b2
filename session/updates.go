package session

import (
	"crypto/subtle"
	"slices"
	"time"
)

// Between the tables: an action's owner reports its progress through a
// private update link, without an account. A facilitator makes a link for
// an action (a capability, like the scribe link: derived from the table's
// key, never stored, and revocable) and sends it to the owner; opening it
// shows that action only, where the owner sets its status and writes a
// short note. Each update is an event in the table's log, naming the link
// it came through, seen live by the organiser, and the next table of the
// series starts its follow-up review from the latest status.

// RoleOwner is the holder of an action's update link; Who.ID is the link.
const RoleOwner Role = "owner"

// UpdateLink is an action's update link.
type UpdateLink struct {
	ID      string    `json:"id"`
	Action  string    `json:"action"`
	Label   string    `json:"label"` // whom it was made for, e.g. "Liisa / Ähtärin kaupunki"
	Revoked bool      `json:"revoked,omitempty"`
	Created time.Time `json:"created"`
}

// UpdateLinkView is a link as facilitators see it, with its credential
// while it works.
type UpdateLinkView struct {
	UpdateLink
	Token string `json:"token,omitempty"`
}

// ActionUpdate is an owner's report on an action.
type ActionUpdate struct {
	Link   string    `json:"link"` // the link it came through ("" for a facilitator)
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
}

// Limits of updates.
const (
	MaxUpdateNote = 2000
	MaxLabel      = 120
	MaxLinks      = 500 // update links per table, revoked ones included
	MaxUpdates    = 200 // updates kept per action
	updatePurpose = "update:"
)

// UpdateToken is the credential of an update link.
func (t *Table) UpdateToken(link string) string { return t.derive(updatePurpose + link) }

func (t *Table) updateLink(id string) *UpdateLink {
	for _, l := range t.UpdateLinks {
		if l.ID == id {
			return l
		}
	}
	return nil
}

// OwnerByToken finds the update link a credential belongs to. A revoked
// link's credential opens nothing.
func (t *Table) OwnerByToken(credential string) (Who, error) {
	bad := errf(KindForbidden, CodeUnauthorized, "wrong or missing credential")
	if credential == "" || len(credential) > 200 {
		return Who{}, bad
	}
	for _, l := range t.UpdateLinks {
		if subtle.ConstantTimeCompare([]byte(t.UpdateToken(l.ID)), []byte(credential)) == 1 {
			if l.Revoked || t.Actions[l.Action] == nil {
				return Who{}, errf(KindForbidden, CodeRemoved, "this update link no longer works")
			}
			return Who{Role: RoleOwner, ID: l.ID}, nil
		}
	}
	return Who{}, bad
}

// LinkAction makes an update link for an action.
type LinkAction struct {
	base
	Action string `json:"action"`
	Label  string `json:"label"`
}

// ActionLinked records a new update link; Token is for facilitators only.
type ActionLinked struct {
	Link  UpdateLink `json:"link"`
	Token string     `json:"token,omitempty"`
}

func (*ActionLinked) eventType() string { return "action.linked" }

func (c *LinkAction) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	label, err := cleanText("label", c.Label, MaxLabel, false, false)
	if err != nil {
		return nil, err
	}
	if len(t.UpdateLinks) >= MaxLinks {
		return nil, errf(KindLimit, CodeTooMany, "at most %d update links", MaxLinks)
	}
	l := UpdateLink{ID: env.NewID(), Action: a.ID, Label: label, Created: env.Now.UTC()}
	return &ActionLinked{Link: l, Token: t.UpdateToken(l.ID)}, nil
}

func (d *ActionLinked) apply(t *Table, e *Event) {
	if t.updateLink(d.Link.ID) == nil {
		l := d.Link
		t.UpdateLinks = append(t.UpdateLinks, &l)
	}
}

// project: links are the facilitators' to hand out.
func (d *ActionLinked) project(aud Audience) EventData {
	if aud == AudienceFacilitator {
		return d
	}
	return &ActionLinked{}
}

func (*ActionLinked) selfActor() string { return "" }

func (d *ActionLinked) fold(v *View, seq int64, me Who) {
	if me.Role != RoleFacilitator || d.Link.ID == "" || slices.ContainsFunc(v.UpdateLinks, func(l UpdateLinkView) bool { return l.ID == d.Link.ID }) {
		return
	}
	v.UpdateLinks = append(v.UpdateLinks, UpdateLinkView{UpdateLink: d.Link, Token: d.Token})
}

// UnlinkAction revokes an update link.
type UnlinkAction struct {
	base
	Link string `json:"link"`
}

// ActionUnlinked records a revoked update link.
type ActionUnlinked struct {
	Link string `json:"link"`
}

func (*ActionUnlinked) eventType() string { return "action.unlinked" }

func (c *UnlinkAction) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	l := t.updateLink(c.Link)
	if l == nil || l.Revoked {
		return nil, errf(KindNotFound, CodeNoLink, "no such update link")
	}
	return &ActionUnlinked{Link: l.ID}, nil
}

func (d *ActionUnlinked) apply(t *Table, e *Event) {
	if l := t.updateLink(d.Link); l != nil {
		l.Revoked = true
	}
}

// project: only facilitators know the links.
func (d *ActionUnlinked) project(aud Audience) EventData {
	if aud == AudienceFacilitator {
		return d
	}
	return &ActionUnlinked{}
}

func (*ActionUnlinked) selfActor() string { return "" }

func (d *ActionUnlinked) fold(v *View, seq int64, me Who) {
	for i := range v.UpdateLinks {
		if v.UpdateLinks[i].ID == d.Link {
			v.UpdateLinks[i].Revoked, v.UpdateLinks[i].Token = true, ""
		}
	}
}

// UpdateAction is an owner's report through their link: the action's
// status and a short note. A facilitator may report too. It works after
// the table has closed: that is when owners report.
type UpdateAction struct {
	base
	Action string `json:"action"`
	Status string `json:"status"`
	Note   string `json:"note"`
}

// ActionUpdated records a report on an action.
type ActionUpdated struct {
	Action string       `json:"action"`
	Update ActionUpdate `json:"update"`
}

func (*ActionUpdated) eventType() string { return "action.updated" }

func (c *UpdateAction) decide(t *Table, who Who, env Env) (EventData, error) {
	link := ""
	switch who.Role {
	case RoleOwner:
		l := t.updateLink(who.ID)
		if l == nil || l.Revoked {
			return nil, errf(KindForbidden, CodeRemoved, "this update link no longer works")
		}
		if c.Action != "" && c.Action != l.Action {
			return nil, errf(KindForbidden, CodeForbidden, "this link is for another action")
		}
		c.Action, link = l.Action, l.ID
	case RoleFacilitator:
	default:
		return nil, forbidden()
	}
	a, err := t.actionFor(c.Action)
	if err != nil {
		return nil, err
	}
	if !validStatus(c.Status) {
		return nil, errf(KindInvalid, CodeInvalidValue, "status must be open, in_progress or done")
	}
	note, err := cleanText("note", c.Note, MaxUpdateNote, false, true)
	if err != nil {
		return nil, err
	}
	if len(a.Updates) >= MaxUpdates {
		return nil, errf(KindLimit, CodeTooMany, "at most %d updates per action", MaxUpdates)
	}
	return &ActionUpdated{Action: a.ID, Update: ActionUpdate{Link: link, Status: c.Status, Note: note, At: env.Now.UTC()}}, nil
}

func (d *ActionUpdated) apply(t *Table, e *Event) {
	if a := t.Actions[d.Action]; a != nil {
		a.Status = d.Update.Status
		a.Updates = append(a.Updates, d.Update)
	}
}

// project: a report is on the table's shared action; which link it came
// through is the facilitators' business.
func (d *ActionUpdated) project(aud Audience) EventData {
	if aud == AudienceFacilitator || d.Update.Link == "" {
		return d
	}
	c := *d
	c.Update.Link = ""
	return &c
}

func (*ActionUpdated) selfActor() string { return "" }

func (d *ActionUpdated) fold(v *View, seq int64, me Who) {
	if a := v.action(d.Action); a != nil {
		a.Status = d.Update.Status
		a.Updates = append(slices.Clone(a.Updates), d.Update)
	}
}

// updateLinkViews is the links as facilitators see them.
func (t *Table) updateLinkViews() []UpdateLinkView {
	out := make([]UpdateLinkView, 0, len(t.UpdateLinks))
	for _, l := range t.UpdateLinks {
		lv := UpdateLinkView{UpdateLink: *l}
		if !l.Revoked {
			lv.Token = t.UpdateToken(l.ID)
		}
		out = append(out, lv)
	}
	return out
}

// actionViewFor is an action as who sees it: which link a report came
// through only for facilitators.
func actionViewFor(a *Action, fac bool) Action {
	c := *a
	c.Ideas, c.Owners, c.Updates = slices.Clone(a.Ideas), slices.Clone(a.Owners), slices.Clone(a.Updates)
	if !fac {
		for i := range c.Updates {
			c.Updates[i].Link = ""
		}
	}
	return c
}
