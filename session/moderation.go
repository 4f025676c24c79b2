package session

import "slices"

// Pre-moderation. At a moderated table (TableView.Moderated) a
// participant's new idea waits for a facilitator's review: it reaches
// facilitators and its author at once (the author sees it marked as
// waiting) and everyone else, the room screen included, only when a
// facilitator approves it. Hiding it is the other way to review it. While
// it waits its author may still edit or withdraw it; once approved, only a
// facilitator changes it. Nobody votes on it, merges it or makes it an
// action before it is approved. Scribes' and facilitators' ideas do not
// wait: those people were given their links by the facilitator.

// ApproveIdea lets an idea that waits for review reach everyone.
type ApproveIdea struct {
	base
	Idea string `json:"idea"`
}

// IdeaApproved records an approval. Idea carries the idea as it is, since
// the clients that never saw it need its content.
type IdeaApproved struct {
	Idea     string `json:"idea"`
	Approved *Idea  `json:"approved"`
	// Profile names the idea's author unless it is anonymous.
	Profile *ParticipantView `json:"profile,omitempty"`
}

func (*IdeaApproved) eventType() string { return "idea.approved" }

func (c *ApproveIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	if !i.Pending {
		return nil, errf(KindInvalid, CodeNoChange, "the idea does not wait for review")
	}
	a := *i
	a.Pending = false
	a.Merged = slices.Clone(i.Merged)
	a.RoomDots = cloneMap(i.RoomDots)
	d := &IdeaApproved{Idea: i.ID, Approved: &a}
	if i.Author != "" && !i.Anonymous {
		d.Profile = t.profile(i.Author)
	}
	return d, nil
}

func (d *IdeaApproved) apply(t *Table, e *Event) {
	if i := t.Ideas[d.Idea]; i != nil {
		i.Pending = false
	}
}

// project hides an anonymous author from everyone but the author. A
// waiting idea has no votes to hide.
func (d *IdeaApproved) project(aud Audience) EventData {
	if d.Approved == nil || !d.Approved.Anonymous || aud == AudienceSelf {
		return d
	}
	c := *d
	a := *d.Approved
	a.Author = ""
	c.Approved = &a
	return &c
}

// selfActor: the author of an anonymous idea keeps it as theirs.
func (d *IdeaApproved) selfActor() string {
	if a := d.Approved; a != nil && a.Anonymous && a.Author != "" {
		return "p:" + a.Author
	}
	return ""
}

// fold: facilitators and the author have the idea and see it wait no
// more; everyone else gets it, at its place.
func (d *IdeaApproved) fold(v *View, seq int64, me Who) {
	if i := v.idea(d.Idea); i != nil {
		i.Pending = false
		return
	}
	a := d.Approved
	if a == nil || a.ID != d.Idea || a.Hidden && me.Role != RoleFacilitator {
		return
	}
	v.insertIdea(ideaViewOf(a, me, false))
}

// profiles: an approved idea that is not anonymous names its author.
func (d *IdeaApproved) profiles() []ParticipantView { return profileList(d.Profile) }
