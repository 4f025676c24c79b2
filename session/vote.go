package session

import (
	"slices"
)

// Vote places (Delta +1) or takes back (Delta -1) one dot on an idea of the
// open item while it is in the vote phase.
type Vote struct {
	base
	Idea  string `json:"idea"`
	Delta int    `json:"-"`
}

// VoteChanged records one dot placed or taken back, with the idea's and the
// item's resulting tallies. Only the voter ever learns who voted.
type VoteChanged struct {
	Item     string `json:"item"`
	Idea     string `json:"idea,omitempty"`
	Voter    string `json:"voter,omitempty"`
	Delta    int    `json:"delta"`
	Votes    int    `json:"votes,omitempty"` // the idea's participant dots after the change
	Cast     int    `json:"cast"`            // all dots on the item after the change
	Revealed bool   `json:"revealed,omitempty"`
	// Group and Private: a dot inside a group in group work; of a private
	// work, the group's only.
	Group   string `json:"group,omitempty"`
	Private bool   `json:"private,omitempty"`
}

func (*VoteChanged) eventType() string { return "vote.changed" }

func (c *Vote) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleParticipant {
		return nil, errf(KindForbidden, CodeForbidden, "only participants vote; a scribe records the room's dots")
	}
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	it, err := t.itemFor(i.Item)
	if err != nil {
		return nil, err
	}
	if i.InGroup {
		return t.groupVote(c, it, i, who)
	}
	if err := t.contributes(it, PhaseVote); err != nil {
		return nil, err
	}
	mine := t.Ballots[it.ID][who.ID][i.ID]
	if c.Delta > 0 {
		switch {
		case i.Hidden:
			return nil, errf(KindConflict, CodeIdeaHidden, "the idea is hidden")
		case i.Pending:
			return nil, errf(KindConflict, CodeIdeaPending, "the idea waits for the facilitator's review")
		case i.MergedInto != "":
			return nil, errf(KindConflict, CodeIdeaMerged, "the idea was merged; vote for the idea it was merged into")
		case t.used(it.ID, who.ID, false) >= it.Dots:
			return nil, errf(KindLimit, CodeBudget, "all your %d dots are placed", it.Dots)
		case mine > 0 && !it.MultiDot:
			return nil, errf(KindConflict, CodeAlreadyVoted, "one dot per idea at this item")
		}
	} else if mine == 0 {
		return nil, errf(KindConflict, CodeNoVote, "you have no dot on this idea")
	}
	return &VoteChanged{Item: it.ID, Idea: i.ID, Voter: who.ID, Delta: c.Delta,
		Votes: i.Votes + c.Delta, Cast: it.Cast + c.Delta, Revealed: it.Revealed}, nil
}

func (d *VoteChanged) apply(t *Table, e *Event) {
	i := t.Ideas[d.Idea]
	it, _ := t.item(d.Item)
	if i == nil || it == nil {
		return
	}
	byItem := t.Ballots[d.Item]
	if byItem == nil {
		byItem = map[string]map[string]int{}
		t.Ballots[d.Item] = byItem
	}
	b := byItem[d.Voter]
	if b == nil {
		b = map[string]int{}
		byItem[d.Voter] = b
	}
	b[d.Idea] += d.Delta
	if b[d.Idea] <= 0 {
		delete(b, d.Idea)
	}
	i.Votes, it.Cast = d.Votes, d.Cast
}

// project: nobody but the voter learns who voted. Before the reveal the
// public learns only that a dot was placed on the item (its cast), and the
// voter their own dot, not the others' on the idea.
func (d *VoteChanged) project(aud Audience) EventData {
	if d.Private && aud == AudiencePublic {
		return nil
	}
	if aud == AudienceSelf {
		if d.Revealed {
			return d
		}
		c := *d
		c.Votes = 0
		return &c
	}
	c := *d
	c.Voter = ""
	if aud == AudiencePublic && !d.Revealed {
		c.Idea, c.Votes = "", 0
	}
	return &c
}

// selfActor: the voter sees their own dot.
func (d *VoteChanged) selfActor() string { return "p:" + d.Voter }

// groupsOf: a dot inside a private group is the group's.
func (d *VoteChanged) groupsOf() []string { return privateTo(d.Group, d.Private) }

// projectGroup: the group sees the idea's tally, not who voted.
func (d *VoteChanged) projectGroup(string) EventData {
	c := *d
	c.Voter = ""
	return &c
}

// fold updates the item's cast for everyone, the voter's own ballot (only
// the voter's copy names the voter), and the idea's votes where the caller
// sees tallies.
func (d *VoteChanged) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Cast = d.Cast
	}
	if d.Idea == "" {
		return
	}
	if me.Role == RoleParticipant && d.Voter != "" && d.Voter == me.ID {
		v.setMine(d.Item, d.Idea, v.MyVotes[d.Item][d.Idea]+d.Delta)
	}
	if d.Group != "" || v.seesTally(d.Item, me.Role == RoleFacilitator) {
		if i := v.idea(d.Idea); i != nil {
			i.Votes = d.Votes
		}
	}
}

// used returns how many dots the participant has placed on the item's
// plenary ideas (inGroup false) or on its group ideas (true).
func (t *Table) used(item, participant string, inGroup bool) int {
	n := 0
	for idea, d := range t.Ballots[item][participant] {
		if i := t.Ideas[idea]; i != nil && i.InGroup == inGroup {
			n += d
		}
	}
	return n
}

// groupVote decides a dot on an idea of the voter's group while its group
// work runs: the work's dots per person, whatever the item's phase; the
// tally is the group's to see at once.
func (t *Table) groupVote(c *Vote, it *Item, i *Idea, who Who) (EventData, error) {
	if err := inputOpen(t); err != nil {
		return nil, err
	}
	if err := t.frozen(i); err != nil {
		return nil, err
	}
	w := t.workOf(i.Item)
	if w.Members[who.ID] != i.Group {
		return nil, errf(KindForbidden, CodeNotInGroup, "you vote on your own group's ideas")
	}
	if w.Dots == 0 {
		return nil, errf(KindConflict, CodeGroupWork, "this group work has no vote")
	}
	mine := t.Ballots[it.ID][who.ID][i.ID]
	if c.Delta > 0 {
		switch {
		case i.Hidden:
			return nil, errf(KindConflict, CodeIdeaHidden, "the idea is hidden")
		case i.MergedInto != "":
			return nil, errf(KindConflict, CodeIdeaMerged, "the idea was merged; vote for the idea it was merged into")
		case t.used(it.ID, who.ID, true) >= w.Dots:
			return nil, errf(KindLimit, CodeBudget, "all your %d dots are placed", w.Dots)
		case mine > 0 && !it.MultiDot:
			return nil, errf(KindConflict, CodeAlreadyVoted, "one dot per idea at this item")
		}
	} else if mine == 0 {
		return nil, errf(KindConflict, CodeNoVote, "you have no dot on this idea")
	}
	d := &VoteChanged{Item: it.ID, Idea: i.ID, Voter: who.ID, Delta: c.Delta, Votes: i.Votes + c.Delta, Cast: it.Cast,
		Revealed: true, Group: i.Group, Private: i.Private}
	return d, nil
}

// RecordDots records a room group's hand-counted dots on an idea, e.g.
// "7 dots from Room, table 2". It sets the group's count; recording again
// corrects it.
type RecordDots struct {
	base
	Idea  string `json:"idea"`
	Group string `json:"group"`
	Dots  int    `json:"dots"`
}

// RoomDotsRecorded records a group's count on an idea.
type RoomDotsRecorded struct {
	Item     string `json:"item"`
	Idea     string `json:"idea,omitempty"`
	Group    string `json:"group"`
	Dots     int    `json:"dots"`
	Cast     int    `json:"cast"`
	Revealed bool   `json:"revealed,omitempty"`
}

func (*RoomDotsRecorded) eventType() string { return "room.dots" }

func (c *RecordDots) decide(t *Table, who Who, env Env) (EventData, error) {
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	it, err := t.itemFor(i.Item)
	if err != nil {
		return nil, err
	}
	group := c.Group
	switch who.Role {
	case RoleScribe:
		if group != "" && group != who.ID {
			return nil, errf(KindForbidden, CodeForbidden, "a scribe records dots for the own room group")
		}
		group = who.ID
		if err := t.contributes(it, PhaseVote); err != nil {
			return nil, err
		}
	case RoleFacilitator:
		if t.Closed {
			return nil, errf(KindConflict, CodeClosed, "the table is closed")
		}
		if g := t.group(group); g == nil || g.Removed {
			return nil, errf(KindNotFound, CodeNoGroup, "no such room group")
		}
	default:
		return nil, errf(KindForbidden, CodeForbidden, "only a scribe or the facilitator records room dots")
	}
	switch {
	case i.Hidden:
		return nil, errf(KindConflict, CodeIdeaHidden, "the idea is hidden")
	case i.Pending:
		return nil, errf(KindConflict, CodeIdeaPending, "the idea waits for the facilitator's review")
	case i.InGroup:
		return nil, errf(KindForbidden, CodeNotInGroup, "a group's own ideas are voted on inside the group")
	case i.MergedInto != "":
		return nil, errf(KindConflict, CodeIdeaMerged, "the idea was merged; record the dots on the idea it was merged into")
	}
	if err := checkRange("dots", c.Dots, 0, MaxRoomDots); err != nil {
		return nil, err
	}
	old := i.RoomDots[group]
	if old == c.Dots {
		return nil, errf(KindInvalid, CodeNoChange, "the count did not change")
	}
	return &RoomDotsRecorded{Item: it.ID, Idea: i.ID, Group: group, Dots: c.Dots, Cast: it.Cast - old + c.Dots, Revealed: it.Revealed}, nil
}

func (d *RoomDotsRecorded) apply(t *Table, e *Event) {
	i := t.Ideas[d.Idea]
	it, _ := t.item(d.Item)
	if i == nil || it == nil {
		return
	}
	if d.Dots == 0 {
		delete(i.RoomDots, d.Group)
	} else {
		if i.RoomDots == nil {
			i.RoomDots = map[string]int{}
		}
		i.RoomDots[d.Group] = d.Dots
	}
	it.Cast = d.Cast
}

// project: before the reveal the public learns only the item's cast, not
// which idea got the group's dots nor how many.
func (d *RoomDotsRecorded) project(aud Audience) EventData {
	if aud == AudiencePublic && !d.Revealed {
		c := *d
		c.Idea, c.Dots = "", 0
		return &c
	}
	return d
}

// selfActor: the group's scribe sees its own count, even when the
// facilitator recorded it.
func (d *RoomDotsRecorded) selfActor() string { return "scribe:" + d.Group }

// fold updates the item's cast for everyone, the scribe's own record of its
// group's count, and the idea's room dots where the caller sees tallies.
func (d *RoomDotsRecorded) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Cast = d.Cast
	}
	if d.Idea == "" {
		return
	}
	if me.Role == RoleScribe && d.Group == me.ID {
		v.setMine(d.Item, d.Idea, d.Dots)
	}
	if v.seesTally(d.Item, me.Role == RoleFacilitator) {
		if i := v.idea(d.Idea); i != nil {
			i.setRoomDots(d.Group, d.Dots)
		}
	}
}

// SetVoting sets an item's dot budget per person and whether several dots
// may go on one idea.
type SetVoting struct {
	base
	Item     string `json:"item"`
	Dots     *int   `json:"dots,omitempty"`
	MultiDot *bool  `json:"multiDot,omitempty"`
}

// ItemVoting records an item's voting rules.
type ItemVoting struct {
	Item     string `json:"item"`
	Dots     int    `json:"dots"`
	MultiDot bool   `json:"multiDot"`
}

func (*ItemVoting) eventType() string { return "item.voting" }

func (c *SetVoting) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	d := &ItemVoting{Item: it.ID, Dots: it.Dots, MultiDot: it.MultiDot}
	if c.Dots != nil {
		if err := checkRange("dots", *c.Dots, 1, MaxDots); err != nil {
			return nil, err
		}
		d.Dots = *c.Dots
	}
	if c.MultiDot != nil {
		d.MultiDot = *c.MultiDot
	}
	if d.Dots == it.Dots && d.MultiDot == it.MultiDot {
		return nil, errf(KindInvalid, CodeNoChange, "the voting rules did not change")
	}
	return d, nil
}

func (d *ItemVoting) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.Dots, it.MultiDot = d.Dots, d.MultiDot
	}
}

// project: everyone votes by the same rules and sees them.
func (d *ItemVoting) project(Audience) EventData { return d }
func (*ItemVoting) selfActor() string            { return "" }

func (d *ItemVoting) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Dots, it.MultiDot = d.Dots, d.MultiDot
	}
}

// Reveal shows (or hides again) an item's vote results to everyone.
type Reveal struct {
	base
	Item     string `json:"item"`
	Revealed bool   `json:"revealed"`
}

// ItemRevealed records a reveal; when revealed it carries the results at
// that moment, so clients that only saw anonymous counts can show them.
type ItemRevealed struct {
	Item     string   `json:"item"`
	Revealed bool     `json:"revealed"`
	Results  []Result `json:"results,omitempty"`
}

func (*ItemRevealed) eventType() string { return "item.revealed" }

func (c *Reveal) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	if it.Revealed == c.Revealed {
		return nil, errf(KindInvalid, CodeNoChange, "the results are already so")
	}
	d := &ItemRevealed{Item: it.ID, Revealed: c.Revealed}
	if c.Revealed {
		d.Results = t.Results(it.ID)
	}
	return d, nil
}

func (d *ItemRevealed) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.Revealed = d.Revealed
	}
}

// project: a reveal is for everyone; its results are the tallies of
// visible ideas, never who voted.
func (d *ItemRevealed) project(Audience) EventData { return d }
func (*ItemRevealed) selfActor() string            { return "" }

// fold shows or hides an item's results. A facilitator already has every
// tally. Others take the results of a reveal (the item's visible ideas that
// are not merged; the rest have no tally to show) and drop every tally of
// the item when it is hidden again.
func (d *ItemRevealed) fold(v *View, seq int64, me Who) {
	it := v.item(d.Item)
	if it == nil {
		return
	}
	it.Revealed = d.Revealed
	if me.Role == RoleFacilitator {
		return
	}
	if d.Revealed {
		for _, r := range d.Results {
			if i := v.idea(r.Idea); i != nil {
				i.Votes, i.RoomDots, i.PaperDots = r.Votes, cloneMap(r.RoomDots), r.PaperDots
			}
		}
		return
	}
	for i := range v.Ideas {
		if v.Ideas[i].Item == d.Item && !v.Ideas[i].InGroup {
			v.Ideas[i].Votes, v.Ideas[i].RoomDots, v.Ideas[i].PaperDots = 0, nil, 0
		}
	}
}

// Result is one idea's tally.
type Result struct {
	Idea      string         `json:"idea"`
	Votes     int            `json:"votes"`
	RoomDots  map[string]int `json:"roomDots,omitempty"`
	PaperDots int            `json:"paperDots,omitempty"`
	Total     int            `json:"total"`
}

// Results ranks an item's visible ideas by dots, participants' and room
// groups' together; ties keep the order the ideas were added in.
func (t *Table) Results(item string) []Result {
	out := []Result{}
	for _, id := range t.IdeaOrder {
		i := t.Ideas[id]
		if i.Item != item || i.Hidden || i.Pending || i.InGroup || i.MergedInto != "" {
			continue
		}
		out = append(out, Result{Idea: i.ID, Votes: i.Votes, RoomDots: cloneMap(i.RoomDots), PaperDots: i.PaperDots, Total: i.Total()})
	}
	slices.SortStableFunc(out, func(a, b Result) int { return b.Total - a.Total })
	return out
}
