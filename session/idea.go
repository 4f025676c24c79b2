package session

import (
	"slices"
	"time"
)

// ideaFor finds the idea a command names, or refuses with no_such_idea.
func (t *Table) ideaFor(id string) (*Idea, error) {
	if i := t.Ideas[id]; i != nil {
		return i, nil
	}
	return nil, errf(KindNotFound, CodeNoIdea, "no such idea")
}

// contributes checks that a participant or scribe may contribute to an item
// now: the table is open, the item is the current one and in the phase.
func (t *Table) contributes(it *Item, phase Phase) error {
	if err := inputOpen(t); err != nil {
		return err
	}
	if t.Current != it.ID {
		return errf(KindConflict, CodeNotCurrent, "this agenda item is not open")
	}
	if it.Phase != phase {
		return errf(KindConflict, CodeWrongPhase, "not possible while the item is in the %s phase", it.Phase)
	}
	return nil
}

// AddIdea puts an idea forward. Participants add to the open item while it
// collects ideas, anonymously if the table allows it. A scribe adds for the
// room group. A facilitator may add to any item, on behalf of someone in the
// room (OnBehalf) and for a room group.
type AddIdea struct {
	base
	Item      string `json:"item"`
	Text      string `json:"text"`
	Anonymous bool   `json:"anonymous"`
	OnBehalf  string `json:"onBehalf"`
	Group     string `json:"group"`
}

// IdeaAdded records a new idea.
type IdeaAdded struct {
	Idea      string    `json:"idea"`
	Item      string    `json:"item"`
	Text      string    `json:"text"`
	Author    string    `json:"author,omitempty"`
	Anonymous bool      `json:"anonymous,omitempty"`
	Group     string    `json:"group,omitempty"`
	OnBehalf  string    `json:"onBehalf,omitempty"`
	Created   time.Time `json:"created"`
	// Pending: the table is moderated and the idea waits for a
	// facilitator's review; only facilitators and its author get it.
	Pending bool `json:"pending,omitempty"`
	// InGroup: made inside Group's space in group work; Private: in a
	// private group work, so only the group's members and scribe and the
	// facilitators get it.
	InGroup bool `json:"inGroup,omitempty"`
	Private bool `json:"private,omitempty"`
	// Profile names a non-anonymous author, for views that list only the
	// participants their content names.
	Profile *ParticipantView `json:"profile,omitempty"`
}

func (*IdeaAdded) eventType() string { return "idea.added" }

func (c *AddIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	d := &IdeaAdded{Idea: env.NewID(), Item: it.ID, Created: env.Now.UTC()}
	if w := t.running(); w != nil && w.Item == it.ID {
		if err := t.groupIdea(w, it, who, c, d); err != nil {
			return nil, err
		}
		return t.finishIdea(who, c, d)
	}
	switch who.Role {
	case RoleParticipant:
		if err := t.contributes(it, PhaseCollect); err != nil {
			return nil, err
		}
		if c.OnBehalf != "" || c.Group != "" {
			return nil, errf(KindForbidden, CodeForbidden, "only a facilitator or scribe adds ideas for others")
		}
		if c.Anonymous && !t.AllowAnonymous {
			return nil, errf(KindForbidden, CodeAnonDisabled, "anonymous ideas are not allowed at this table")
		}
		d.Author, d.Anonymous, d.Pending = who.ID, c.Anonymous, t.Moderated
		if !c.Anonymous {
			d.Profile = t.profile(who.ID)
		}
		if t.ideasBy[ideaKey{it.ID, who.ID}] >= MaxIdeasPerPerson {
			return nil, errf(KindLimit, CodeTooMany, "at most %d ideas per person per item", MaxIdeasPerPerson)
		}
	case RoleScribe:
		if err := t.contributes(it, PhaseCollect); err != nil {
			return nil, err
		}
		if c.Anonymous || (c.Group != "" && c.Group != who.ID) {
			return nil, errf(KindForbidden, CodeForbidden, "a scribe adds ideas for the own room group")
		}
		d.Group = who.ID
	case RoleFacilitator:
		if t.Closed {
			return nil, errf(KindConflict, CodeClosed, "the table is closed")
		}
		if c.Anonymous {
			return nil, errf(KindInvalid, CodeInvalidValue, "an idea entered by the facilitator has no author to hide")
		}
		if c.Group != "" {
			if g := t.group(c.Group); g == nil || g.Removed {
				return nil, errf(KindNotFound, CodeNoGroup, "no such room group")
			}
			d.Group = c.Group
		}
	default:
		return nil, forbidden()
	}
	return t.finishIdea(who, c, d)
}

// finishIdea checks what every new idea shares: its texts and the cap.
func (t *Table) finishIdea(who Who, c *AddIdea, d *IdeaAdded) (EventData, error) {
	var err error
	if who.Role != RoleParticipant {
		if d.OnBehalf, err = cleanText("onBehalf", c.OnBehalf, MaxName, false, false); err != nil {
			return nil, err
		}
	}
	if d.Text, err = cleanText("text", c.Text, MaxIdea, true, true); err != nil {
		return nil, err
	}
	if len(t.Ideas) >= MaxIdeas {
		return nil, errf(KindLimit, CodeTooMany, "the table has reached %d ideas", MaxIdeas)
	}
	return d, nil
}

// groupIdea makes an idea on the item of the running group work an idea
// of a group: a member's or its scribe's own group, or the group a
// facilitator names (without one, a facilitator's idea is the plenary's).
// Group ideas never wait for review: the group is its own room.
func (t *Table) groupIdea(w *GroupWork, it *Item, who Who, c *AddIdea, d *IdeaAdded) error {
	switch who.Role {
	case RoleParticipant, RoleScribe:
		if err := inputOpen(t); err != nil {
			return err
		}
		if t.Current != it.ID {
			return errf(KindConflict, CodeNotCurrent, "this agenda item is not open")
		}
		g := w.mineIn(who)
		if g == "" {
			return errf(KindForbidden, CodeNotInGroup, "you are not in a group")
		}
		if c.OnBehalf != "" && who.Role == RoleParticipant || c.Group != "" && c.Group != g {
			return errf(KindForbidden, CodeForbidden, "ideas go to your own group")
		}
		if c.Anonymous && (who.Role == RoleScribe || !t.AllowAnonymous) {
			return errf(KindForbidden, CodeAnonDisabled, "anonymous ideas are not allowed here")
		}
		d.Group = g
		if who.Role == RoleParticipant {
			d.Author, d.Anonymous = who.ID, c.Anonymous
			if !c.Anonymous {
				d.Profile = t.profile(who.ID)
			}
			if t.ideasBy[ideaKey{it.ID, who.ID}] >= MaxIdeasPerPerson {
				return errf(KindLimit, CodeTooMany, "at most %d ideas per person per item", MaxIdeasPerPerson)
			}
		}
	case RoleFacilitator:
		if t.Closed {
			return errf(KindConflict, CodeClosed, "the table is closed")
		}
		if c.Anonymous {
			return errf(KindInvalid, CodeInvalidValue, "an idea entered by the facilitator has no author to hide")
		}
		if c.Group == "" {
			return nil
		}
		if !slices.Contains(w.Groups, c.Group) {
			return errf(KindNotFound, CodeNoGroup, "no such group in this group work")
		}
		d.Group = c.Group
	default:
		return forbidden()
	}
	d.InGroup, d.Private = d.Group != "", d.Group != "" && w.Private
	return nil
}

func (d *IdeaAdded) apply(t *Table, e *Event) {
	if _, ok := t.Ideas[d.Idea]; ok {
		return
	}
	t.Ideas[d.Idea] = &Idea{ID: d.Idea, Item: d.Item, Text: d.Text, Author: d.Author, Anonymous: d.Anonymous,
		Group: d.Group, OnBehalf: d.OnBehalf, Pending: d.Pending, InGroup: d.InGroup, Private: d.Private, Seq: e.Seq, Created: d.Created}
	t.IdeaOrder = append(t.IdeaOrder, d.Idea)
	t.countIdea(d.Item, d.Author, 1)
}

// project hides an anonymous idea's author from everyone but the author,
// and a pending idea altogether from everyone but facilitators and the
// author: they get only that something waits for review.
func (d *IdeaAdded) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	if d.Pending && aud == AudiencePublic {
		return &IdeaAdded{Pending: true}
	}
	if d.Anonymous && aud != AudienceSelf {
		c := *d
		c.Author = ""
		return &c
	}
	return d
}

// groupsOf: a private group's idea goes to the group.
func (d *IdeaAdded) groupsOf() []string { return privateTo(d.Group, d.Private) }

// projectGroup: the group sees its idea as the public sees the plenary's.
func (d *IdeaAdded) projectGroup(string) EventData {
	if d.Anonymous {
		c := *d
		c.Author = ""
		return &c
	}
	return d
}

// selfActor: the author of an anonymous or a pending idea sees it as theirs.
func (d *IdeaAdded) selfActor() string {
	if d.Anonymous || d.Pending {
		return "p:" + d.Author
	}
	return ""
}

// fold appends a new idea. The author arrives only when the idea is named
// or is the caller's own anonymous idea, so Mine follows from it.
func (d *IdeaAdded) fold(v *View, seq int64, me Who) {
	mine := me.Role == RoleParticipant && d.Author != "" && d.Author == me.ID
	if d.Idea == "" || v.idea(d.Idea) != nil || d.Pending && me.Role != RoleFacilitator && !mine {
		return
	}
	iv := IdeaView{ID: d.Idea, Item: d.Item, Text: d.Text, Author: d.Author, Anonymous: d.Anonymous,
		Group: d.Group, OnBehalf: d.OnBehalf, Pending: d.Pending, InGroup: d.InGroup, Private: d.Private, Seq: seq, Created: d.Created}
	iv.Mine = mine
	if iv.Anonymous && !iv.Mine {
		iv.Author = ""
	}
	v.insertIdea(iv)
}

// profiles: an idea that is not anonymous names its author.
func (d *IdeaAdded) profiles() []ParticipantView { return profileList(d.Profile) }

// mayChange checks that the caller may edit or delete an idea: a
// facilitator always (unless closed), a participant their own and a scribe
// their group's, while the item collects ideas.
func (t *Table) mayChange(i *Idea, who Who) error {
	if err := t.frozen(i); err != nil {
		return err
	}
	switch who.Role {
	case RoleFacilitator:
		if t.Closed {
			return errf(KindConflict, CodeClosed, "the table is closed")
		}
		return nil
	case RoleParticipant:
		if i.Author != who.ID {
			return errf(KindForbidden, CodeNotOwner, "you can only change your own ideas")
		}
	case RoleScribe:
		if i.Group != who.ID || i.Author != "" {
			return errf(KindForbidden, CodeNotOwner, "a scribe can only change the room group's ideas")
		}
	default:
		return forbidden()
	}
	it, _ := t.item(i.Item)
	if it == nil {
		return errf(KindNotFound, CodeNoItem, "no such agenda item")
	}
	phase := PhaseCollect
	if i.InGroup {
		phase = it.Phase // a group's ideas change while its work runs, whatever the item's phase
	}
	if err := t.contributes(it, phase); err != nil {
		return err
	}
	if i.MergedInto != "" {
		return errf(KindConflict, CodeIdeaMerged, "the idea was merged into another")
	}
	if i.Hidden {
		return errf(KindConflict, CodeIdeaHidden, "the idea is hidden")
	}
	if t.Moderated && !i.Pending && !i.InGroup && who.Role == RoleParticipant {
		return errf(KindConflict, CodeIdeaApproved, "the facilitator has approved this idea; ask them to change it")
	}
	return nil
}

// EditIdea rewrites an idea's text.
type EditIdea struct {
	base
	Idea string `json:"idea"`
	Text string `json:"text"`
}

// IdeaEdited records an idea's new text.
type IdeaEdited struct {
	Idea   string    `json:"idea"`
	Text   string    `json:"text"`
	Edited time.Time `json:"edited"`
	Hidden bool      `json:"hidden,omitempty"` // the idea is hidden: only facilitators get the text
	// Pending: the idea waits for review; only facilitators and its
	// Author get the text.
	Pending bool   `json:"pending,omitempty"`
	Author  string `json:"author,omitempty"`
	// Group and Private: an idea of a private group goes to the group only.
	Group   string `json:"group,omitempty"`
	Private bool   `json:"private,omitempty"`
}

func (*IdeaEdited) eventType() string { return "idea.edited" }

func (c *EditIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	if err := t.mayChange(i, who); err != nil {
		return nil, err
	}
	text, err := cleanText("text", c.Text, MaxIdea, true, true)
	if err != nil {
		return nil, err
	}
	if text == i.Text {
		return nil, errf(KindInvalid, CodeNoChange, "the text did not change")
	}
	d := &IdeaEdited{Idea: i.ID, Text: text, Edited: env.Now.UTC(), Hidden: i.Hidden, Pending: i.Pending}
	if i.Private {
		d.Group, d.Private = i.Group, true
	}
	if i.Pending {
		d.Author = i.Author
	}
	return d, nil
}

func (d *IdeaEdited) apply(t *Table, e *Event) {
	if i := t.Ideas[d.Idea]; i != nil {
		i.Text, i.Edited = d.Text, d.Edited
	}
}

// project: the text of a hidden idea goes only to facilitators, the only
// ones who see hidden ideas; of a pending idea, to facilitators and its
// author.
func (d *IdeaEdited) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	if aud == AudiencePublic && (d.Hidden || d.Pending) {
		c := *d
		c.Text, c.Author = "", ""
		return &c
	}
	return d
}

func (d *IdeaEdited) groupsOf() []string { return privateTo(d.Group, d.Private) }

// projectGroup: a group's own hidden idea is the facilitators' only.
func (d *IdeaEdited) projectGroup(string) EventData {
	if d.Hidden {
		c := *d
		c.Text = ""
		return &c
	}
	return d
}

// selfActor: the author of a pending idea sees its new text. Only a
// facilitator edits a hidden idea, and the text of any other is public.
func (d *IdeaEdited) selfActor() string {
	if d.Pending && d.Author != "" {
		return "p:" + d.Author
	}
	return ""
}

func (d *IdeaEdited) fold(v *View, seq int64, me Who) {
	if i := v.idea(d.Idea); i != nil {
		edited := d.Edited
		i.Text, i.Edited = d.Text, &edited
	}
}

// DeleteIdea withdraws an idea nobody has voted on yet; once it has votes
// or merged ideas it can only be hidden.
type DeleteIdea struct {
	base
	Idea string `json:"idea"`
}

// IdeaDeleted records a withdrawn idea.
type IdeaDeleted struct {
	Idea    string `json:"idea"`
	Group   string `json:"group,omitempty"`
	Private bool   `json:"private,omitempty"`
}

func (*IdeaDeleted) eventType() string { return "idea.deleted" }

func (c *DeleteIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	if err := t.mayChange(i, who); err != nil {
		return nil, err
	}
	if i.MergedInto != "" {
		// The idea it was merged into lists it; deleting it would leave that list dangling.
		return nil, errf(KindConflict, CodeIdeaMerged, "the idea was merged into another")
	}
	if i.Total() > 0 || len(i.Merged) > 0 {
		return nil, errf(KindConflict, CodeIdeaHasVotes, "the idea has votes or merged ideas; hide it instead")
	}
	for _, id := range t.ActionOrder {
		if slices.Contains(t.Actions[id].Ideas, i.ID) {
			return nil, errf(KindConflict, CodeIdeaHasVotes, "an action refers to the idea; hide it instead")
		}
	}
	d := &IdeaDeleted{Idea: i.ID}
	if i.Private {
		d.Group, d.Private = i.Group, true
	}
	return d, nil
}

func (d *IdeaDeleted) apply(t *Table, e *Event) {
	i, ok := t.Ideas[d.Idea]
	if !ok {
		return
	}
	t.countIdea(i.Item, i.Author, -1)
	delete(t.Ideas, d.Idea)
	if i := slices.Index(t.IdeaOrder, d.Idea); i >= 0 {
		t.IdeaOrder = slices.Delete(t.IdeaOrder, i, i+1)
	}
}

// project: a deletion names only the idea; a private group's, to the group.
func (d *IdeaDeleted) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	return d
}
func (d *IdeaDeleted) groupsOf() []string            { return privateTo(d.Group, d.Private) }
func (d *IdeaDeleted) projectGroup(string) EventData { return d }
func (*IdeaDeleted) selfActor() string               { return "" }

func (d *IdeaDeleted) fold(v *View, seq int64, me Who) {
	v.Ideas = slices.DeleteFunc(v.Ideas, func(i IdeaView) bool { return i.ID == d.Idea })
}

// HideIdea hides an idea from participants, the room screen and the
// results (e.g. off-topic or offensive), or brings it back.
type HideIdea struct {
	base
	Idea   string `json:"idea"`
	Hidden bool   `json:"-"`
}

// IdeaHidden records hiding or unhiding. When an idea comes back, Restored
// carries it as it is, because clients that never saw it need its content.
type IdeaHidden struct {
	Idea     string `json:"idea"`
	Hidden   bool   `json:"hidden"`
	Restored *Idea  `json:"restored,omitempty"`
	Revealed bool   `json:"revealed,omitempty"` // the item's results were visible at the time
	// Profile names the restored idea's author unless it is anonymous.
	Profile *ParticipantView `json:"profile,omitempty"`
	Group   string           `json:"group,omitempty"`
	Private bool             `json:"private,omitempty"`
}

func (*IdeaHidden) eventType() string { return "idea.hidden" }

func (c *HideIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	if i.MergedInto != "" {
		return nil, errf(KindConflict, CodeIdeaMerged, "the idea was merged into another")
	}
	if i.Hidden == c.Hidden {
		return nil, errf(KindInvalid, CodeNoChange, "the idea is already so")
	}
	if err := t.frozen(i); err != nil {
		return nil, err
	}
	d := &IdeaHidden{Idea: i.ID, Hidden: c.Hidden}
	if i.Private {
		d.Group, d.Private = i.Group, true
	}
	if !c.Hidden {
		r := *i
		r.Hidden = false
		r.Merged = slices.Clone(i.Merged)
		r.RoomDots = cloneMap(i.RoomDots)
		d.Restored = &r
		if it, _ := t.item(i.Item); it != nil {
			d.Revealed = it.Revealed
		}
		if i.Author != "" && !i.Anonymous {
			d.Profile = t.profile(i.Author)
		}
	}
	return d, nil
}

// apply: hiding an idea that waits for review is the facilitator's
// review too, so it waits no more.
func (d *IdeaHidden) apply(t *Table, e *Event) {
	if i := t.Ideas[d.Idea]; i != nil {
		i.Hidden = d.Hidden
		if d.Hidden {
			i.Pending = false
		}
	}
}

// project shapes a restored idea as ViewFor would show it: its anonymous
// author only to the author, and its tally before the reveal only to
// facilitators. The anonymous author (self) sees the idea as theirs, but
// not its tally before the reveal, like everyone but facilitators.
func (d *IdeaHidden) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	if d.Restored == nil {
		return d
	}
	c := *d
	r := *d.Restored
	if r.Anonymous && aud != AudienceSelf {
		r.Author = ""
	}
	if aud != AudienceFacilitator && !d.Revealed && !r.InGroup {
		r.Votes, r.RoomDots, r.PaperDots = 0, nil, 0
	}
	c.Restored = &r
	return &c
}

func (d *IdeaHidden) groupsOf() []string { return privateTo(d.Group, d.Private) }

// projectGroup: the group gets its idea back as the public gets the
// plenary's; a group's tallies are its own to see.
func (d *IdeaHidden) projectGroup(string) EventData {
	if d.Restored == nil || !d.Restored.Anonymous {
		return d
	}
	c := *d
	r := *d.Restored
	r.Author = ""
	c.Restored = &r
	return &c
}

// selfActor: the author of a restored anonymous idea gets it back as theirs.
func (d *IdeaHidden) selfActor() string {
	if r := d.Restored; r != nil && r.Anonymous && r.Author != "" {
		return "p:" + r.Author
	}
	return ""
}

// fold marks the idea for a facilitator. Everyone else loses a hidden idea
// (their dots on it stay in MyVotes) and gets a restored one back, at its
// place, from Restored.
func (d *IdeaHidden) fold(v *View, seq int64, me Who) {
	if me.Role == RoleFacilitator {
		if i := v.idea(d.Idea); i != nil {
			i.Hidden = d.Hidden
			if d.Hidden {
				i.Pending = false
			}
		}
		return
	}
	if d.Hidden {
		v.Ideas = slices.DeleteFunc(v.Ideas, func(i IdeaView) bool { return i.ID == d.Idea })
		return
	}
	r := d.Restored
	if r == nil || r.ID != d.Idea || v.idea(r.ID) != nil || r.Private && !v.inGroup(r.Item, r.Group) {
		return
	}
	v.insertIdea(ideaViewOf(r, me, r.InGroup || v.seesTally(r.Item, false)))
}

// privateTo is the groups an event about an idea goes to besides the
// facilitators: its group, when the idea is a private group's.
func privateTo(group string, private bool) []string {
	if !private || group == "" {
		return nil
	}
	return []string{group}
}

// frozen refuses changes to a group's idea once its group work has
// ended: the groups' spaces are a record then, and the plenary works on
// the ideas they reported back.
func (t *Table) frozen(i *Idea) error {
	if !i.InGroup {
		return nil
	}
	if w := t.workOf(i.Item); w == nil || !w.Running {
		return errf(KindConflict, CodeGroupEnded, "the group work has ended; work on the ideas it reported back")
	}
	return nil
}

// profiles: a restored idea that is not anonymous names its author again.
func (d *IdeaHidden) profiles() []ParticipantView { return profileList(d.Profile) }

func cloneMap(m map[string]int) map[string]int {
	if len(m) == 0 {
		return nil
	}
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
