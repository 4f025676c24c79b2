package session

import "slices"

// Co-facilitators. The table's creator holds the facilitator secret; a
// facilitator can give others a link of their own, so that what they do
// is theirs in the log (actor "f:<id>", their own op ids) and one of them
// can be removed without changing the table's secret. Their credential is
// derived from the table key, like a scribe's, so a facilitator can show
// the link again; a removed co-facilitator's stops working at once.

// CoFacilitator is a facilitator with a link of their own.
type CoFacilitator struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Removed bool   `json:"removed"`
}

// CoFacilitatorView is a co-facilitator as facilitators see them, with the
// credential of their link while they have not been removed.
type CoFacilitatorView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Removed bool   `json:"removed,omitempty"`
	Token   string `json:"token,omitempty"`
}

// CoFacilitatorToken is the credential of a co-facilitator's link.
func (t *Table) CoFacilitatorToken(id string) string { return t.derive("facilitator:" + id) }

func (t *Table) coFacilitator(id string) *CoFacilitator {
	for _, f := range t.CoFacilitators {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// MaxCoFacilitatorsEver bounds how many co-facilitators a table can have
// had, removed ones included; at most MaxFacilitators at a time.
const MaxCoFacilitatorsEver = 100

// AddFacilitator gives someone a facilitator link of their own.
type AddFacilitator struct {
	base
	Name string `json:"name"`
}

// FacilitatorAdded records a new co-facilitator. Token is the credential of
// their link, for facilitators only (derived from the table key, like a
// scribe's, so it adds nothing to what the log already holds).
type FacilitatorAdded struct {
	Facilitator CoFacilitator `json:"facilitator"`
	Token       string        `json:"token,omitempty"`
}

func (*FacilitatorAdded) eventType() string { return "facilitator.added" }

func (c *AddFacilitator) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	name, err := cleanText("name", c.Name, MaxName, true, false)
	if err != nil {
		return nil, err
	}
	active := 0
	for _, f := range t.CoFacilitators {
		if !f.Removed {
			active++
		}
	}
	if active >= MaxFacilitators || len(t.CoFacilitators) >= MaxCoFacilitatorsEver {
		return nil, errf(KindLimit, CodeTooMany, "at most %d co-facilitators", MaxFacilitators)
	}
	id := env.NewID()
	return &FacilitatorAdded{Facilitator: CoFacilitator{ID: id, Name: name}, Token: t.CoFacilitatorToken(id)}, nil
}

func (d *FacilitatorAdded) apply(t *Table, e *Event) {
	if t.coFacilitator(d.Facilitator.ID) == nil {
		f := d.Facilitator
		t.CoFacilitators = append(t.CoFacilitators, &f)
	}
}

// project: co-facilitators are the facilitators' business; the others
// learn nothing from the event.
func (d *FacilitatorAdded) project(aud Audience) EventData {
	if aud == AudienceFacilitator {
		return d
	}
	return &FacilitatorAdded{}
}

// selfActor: the new co-facilitator is not connected yet.
func (*FacilitatorAdded) selfActor() string { return "" }

func (d *FacilitatorAdded) fold(v *View, seq int64, me Who) {
	if me.Role != RoleFacilitator || d.Facilitator.ID == "" || v.coFacilitator(d.Facilitator.ID) != nil {
		return
	}
	v.CoFacilitators = append(v.CoFacilitators, CoFacilitatorView{ID: d.Facilitator.ID, Name: d.Facilitator.Name, Token: d.Token})
}

// RemoveFacilitator ends a co-facilitator's access. The table's creator,
// who holds the table's secret, cannot be removed, and nobody removes
// themselves.
type RemoveFacilitator struct {
	base
	Facilitator string `json:"facilitator"`
}

// FacilitatorRemoved records a co-facilitator's removal.
type FacilitatorRemoved struct {
	Facilitator string `json:"facilitator"`
}

func (*FacilitatorRemoved) eventType() string { return "facilitator.removed" }

func (c *RemoveFacilitator) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	f := t.coFacilitator(c.Facilitator)
	if f == nil || f.Removed {
		return nil, errf(KindNotFound, CodeNoFacilitator, "no such co-facilitator")
	}
	if f.ID == who.ID {
		return nil, errf(KindForbidden, CodeForbidden, "you cannot remove yourself; another facilitator can")
	}
	return &FacilitatorRemoved{Facilitator: f.ID}, nil
}

func (d *FacilitatorRemoved) apply(t *Table, e *Event) {
	if f := t.coFacilitator(d.Facilitator); f != nil {
		f.Removed = true
	}
}

// project: only facilitators learn of it.
func (d *FacilitatorRemoved) project(aud Audience) EventData {
	if aud == AudienceFacilitator {
		return d
	}
	return &FacilitatorRemoved{}
}

// selfActor: the removed co-facilitator is closed as the event goes out.
func (*FacilitatorRemoved) selfActor() string { return "" }

func (d *FacilitatorRemoved) fold(v *View, seq int64, me Who) {
	if i := slices.IndexFunc(v.CoFacilitators, func(f CoFacilitatorView) bool { return f.ID == d.Facilitator }); i >= 0 {
		v.CoFacilitators[i].Removed, v.CoFacilitators[i].Token = true, ""
	}
}

func (v *View) coFacilitator(id string) *CoFacilitatorView {
	for i := range v.CoFacilitators {
		if v.CoFacilitators[i].ID == id {
			return &v.CoFacilitators[i]
		}
	}
	return nil
}

// coFacilitatorViews is the co-facilitators as facilitators see them.
func (t *Table) coFacilitatorViews() []CoFacilitatorView {
	out := make([]CoFacilitatorView, 0, len(t.CoFacilitators))
	for _, f := range t.CoFacilitators {
		fv := CoFacilitatorView{ID: f.ID, Name: f.Name, Removed: f.Removed}
		if !f.Removed {
			fv.Token = t.CoFacilitatorToken(f.ID)
		}
		out = append(out, fv)
	}
	return out
}
