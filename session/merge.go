package session

// MergeIdea folds a duplicate idea into another of the same item. Its
// votes and recorded dots move with it; the minutes list it under the idea
// it was merged into.
type MergeIdea struct {
	base
	Idea string `json:"idea"`
	Into string `json:"into"`
}

// IdeaMerged records a merge and the target's resulting tally.
type IdeaMerged struct {
	Idea     string         `json:"idea"`
	Into     string         `json:"into"`
	Item     string         `json:"item"`
	Votes    int            `json:"votes"`
	RoomDots map[string]int `json:"roomDots,omitempty"`
	// PaperDots is the target's dots from paper after the merge.
	PaperDots int    `json:"paperDots,omitempty"`
	Revealed  bool   `json:"revealed,omitempty"` // the tally is visible to those who get it
	Group     string `json:"group,omitempty"`
	Private   bool   `json:"private,omitempty"`
}

func (*IdeaMerged) eventType() string { return "idea.merged" }

func (c *MergeIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	src, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	dst, err := t.ideaFor(c.Into)
	if err != nil {
		return nil, err
	}
	switch {
	case src.ID == dst.ID:
		return nil, errf(KindInvalid, CodeSameIdea, "an idea cannot be merged into itself")
	case src.Item != dst.Item:
		return nil, errf(KindConflict, CodeOtherItem, "ideas of different agenda items cannot be merged")
	case src.MergedInto != "" || dst.MergedInto != "":
		return nil, errf(KindConflict, CodeIdeaMerged, "the idea was already merged")
	case src.Hidden || dst.Hidden:
		return nil, errf(KindConflict, CodeIdeaHidden, "unhide the idea before merging")
	case src.Pending || dst.Pending:
		return nil, errf(KindConflict, CodeIdeaPending, "approve the idea before merging")
	case src.InGroup != dst.InGroup || src.InGroup && src.Group != dst.Group:
		return nil, errf(KindForbidden, CodeNotInGroup, "ideas of different groups (or of a group and the plenary) cannot be merged")
	}
	if err := t.frozen(src); err != nil {
		return nil, err
	}
	d := &IdeaMerged{Idea: src.ID, Into: dst.ID, Item: src.Item, Votes: dst.Votes + src.Votes, RoomDots: cloneMap(dst.RoomDots),
		PaperDots: dst.PaperDots + src.PaperDots}
	for g, n := range src.RoomDots {
		if d.RoomDots == nil {
			d.RoomDots = map[string]int{}
		}
		d.RoomDots[g] += n
	}
	if it, _ := t.item(src.Item); it != nil {
		d.Revealed = it.Revealed || src.InGroup
	}
	if src.Private {
		d.Group, d.Private = src.Group, true
	}
	return d, nil
}

func (d *IdeaMerged) apply(t *Table, e *Event) {
	src, dst := t.Ideas[d.Idea], t.Ideas[d.Into]
	if src == nil || dst == nil {
		return
	}
	for _, b := range t.Ballots[src.Item] {
		if n := b[src.ID]; n > 0 {
			b[dst.ID] += n
			delete(b, src.ID)
		}
	}
	dst.Votes, dst.RoomDots, dst.PaperDots = d.Votes, cloneMap(d.RoomDots), d.PaperDots
	src.Votes, src.RoomDots, src.PaperDots = 0, nil, 0
	src.MergedInto = dst.ID
	dst.Merged = append(dst.Merged, src.ID)
	for _, child := range src.Merged {
		if c := t.Ideas[child]; c != nil {
			c.MergedInto = dst.ID
		}
		dst.Merged = append(dst.Merged, child)
	}
	src.Merged = nil
}

// project hides the target's resulting tally from the public before the
// reveal; facilitators see tallies all along.
func (d *IdeaMerged) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	if aud == AudiencePublic && !d.Revealed {
		c := *d
		c.Votes, c.RoomDots, c.PaperDots = 0, nil, 0
		return &c
	}
	return d
}

func (d *IdeaMerged) groupsOf() []string            { return privateTo(d.Group, d.Private) }
func (d *IdeaMerged) projectGroup(string) EventData { return d }

// selfActor: a merge is nobody's own; the voters' dots move silently.
func (*IdeaMerged) selfActor() string { return "" }

// fold folds the duplicate into its target: the target lists it and
// everything merged into it before, which now all point to the target. The
// target's tally is absolute in the event (zero in the public shape before
// the reveal). The caller's own dots move along, as on the server.
func (d *IdeaMerged) fold(v *View, seq int64, me Who) {
	if n := v.MyVotes[d.Item][d.Idea]; n > 0 {
		v.setMine(d.Item, d.Into, v.MyVotes[d.Item][d.Into]+n)
		v.setMine(d.Item, d.Idea, 0)
	}
	src, dst := v.idea(d.Idea), v.idea(d.Into)
	if src == nil || dst == nil {
		return
	}
	children := src.Merged
	dst.Merged = append(append(dst.Merged, src.ID), children...)
	for _, c := range children {
		if ci := v.idea(c); ci != nil {
			ci.MergedInto = d.Into
		}
	}
	src.MergedInto, src.Merged, src.Votes, src.RoomDots, src.PaperDots = d.Into, nil, 0, nil, 0
	if dst.InGroup || v.seesTally(d.Item, me.Role == RoleFacilitator) {
		dst.Votes, dst.RoomDots, dst.PaperDots = d.Votes, cloneMap(d.RoomDots), d.PaperDots
	}
}
