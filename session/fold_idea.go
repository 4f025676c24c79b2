package session

import "slices"

// The folds of ideas, dots and results. Two rules run through them, the
// same rules ViewFor follows:
//
//   - An idea's votes and room dots are part of the view only for a
//     facilitator or once its item is revealed (seesTally).
//   - MyVotes holds the caller's own dots, which survive hiding: a
//     participant's ballot, or the counts recorded for a scribe's room group.

// seesTally reports whether the caller sees the votes and room dots of the
// item's ideas.
func (v *View) seesTally(item string, fac bool) bool {
	if fac {
		return true
	}
	it := v.item(item)
	return it != nil && it.Revealed
}

// setMine sets the caller's own dots on an idea; 0 removes the entry, and
// empty maps are removed so that the view matches ViewFor's.
func (v *View) setMine(item, idea string, n int) {
	if n <= 0 {
		if m := v.MyVotes[item]; m != nil {
			delete(m, idea)
			if len(m) == 0 {
				delete(v.MyVotes, item)
			}
		}
		if len(v.MyVotes) == 0 {
			v.MyVotes = nil
		}
		return
	}
	if v.MyVotes == nil {
		v.MyVotes = map[string]map[string]int{}
	}
	if v.MyVotes[item] == nil {
		v.MyVotes[item] = map[string]int{}
	}
	v.MyVotes[item][idea] = n
}

// insertIdea puts an idea at its place: the view lists ideas in the order
// they were added, which is the order of Seq.
func (v *View) insertIdea(iv IdeaView) {
	at := slices.IndexFunc(v.Ideas, func(i IdeaView) bool { return i.Seq > iv.Seq })
	if at < 0 {
		at = len(v.Ideas)
	}
	v.Ideas = slices.Insert(v.Ideas, at, iv)
}

// setRoomDots sets one group's count on an idea; 0 removes the entry.
func (i *IdeaView) setRoomDots(group string, n int) {
	if n == 0 {
		delete(i.RoomDots, group)
		if len(i.RoomDots) == 0 {
			i.RoomDots = nil
		}
		return
	}
	if i.RoomDots == nil {
		i.RoomDots = map[string]int{}
	}
	i.RoomDots[group] = n
}

// foldIdeaAdded appends a new idea. The author arrives only when the idea is
// named or is the caller's own anonymous idea, so Mine follows from it.
func (v *View) foldIdeaAdded(d *IdeaAdded, seq int64, me Who) {
	if v.idea(d.Idea) != nil {
		return
	}
	iv := IdeaView{ID: d.Idea, Item: d.Item, Text: d.Text, Author: d.Author, Anonymous: d.Anonymous,
		Group: d.Group, OnBehalf: d.OnBehalf, Seq: seq, Created: d.Created}
	iv.Mine = me.Role == RoleParticipant && d.Author != "" && d.Author == me.ID
	if iv.Anonymous && !iv.Mine {
		iv.Author = ""
	}
	v.insertIdea(iv)
}

// foldIdeaHidden marks the idea for a facilitator. Everyone else loses a
// hidden idea (their dots on it stay in MyVotes) and gets a restored one
// back, at its place, from Restored.
func (v *View) foldIdeaHidden(d *IdeaHidden, me Who) {
	if me.Role == RoleFacilitator {
		if i := v.idea(d.Idea); i != nil {
			i.Hidden = d.Hidden
		}
		return
	}
	if d.Hidden {
		v.Ideas = slices.DeleteFunc(v.Ideas, func(i IdeaView) bool { return i.ID == d.Idea })
		return
	}
	r := d.Restored
	if r == nil || r.ID != d.Idea || v.idea(r.ID) != nil {
		return
	}
	iv := IdeaView{ID: r.ID, Item: r.Item, Text: r.Text, Author: r.Author, Anonymous: r.Anonymous, Group: r.Group,
		OnBehalf: r.OnBehalf, MergedInto: r.MergedInto, Merged: slices.Clone(r.Merged), Seq: r.Seq, Created: r.Created}
	iv.Mine = me.Role == RoleParticipant && r.Author != "" && r.Author == me.ID
	if iv.Anonymous && !iv.Mine {
		iv.Author = ""
	}
	if v.seesTally(r.Item, false) {
		iv.Votes, iv.RoomDots = r.Votes, cloneMap(r.RoomDots)
	}
	if !r.Edited.IsZero() {
		edited := r.Edited
		iv.Edited = &edited
	}
	v.insertIdea(iv)
}

// foldIdeaMerged folds the duplicate into its target: the target lists it
// and everything merged into it before, which now all point to the target.
// The target's tally is absolute in the event (zero in the public shape
// before the reveal). The caller's own dots move along, as on the server.
func (v *View) foldIdeaMerged(d *IdeaMerged, me Who) {
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
	src.MergedInto, src.Merged, src.Votes, src.RoomDots = d.Into, nil, 0, nil
	if v.seesTally(d.Item, me.Role == RoleFacilitator) {
		dst.Votes, dst.RoomDots = d.Votes, cloneMap(d.RoomDots)
	}
}

// foldVoteChanged updates the item's cast for everyone, the voter's own
// ballot (only the voter's copy names the voter), and the idea's votes
// where the caller sees tallies.
func (v *View) foldVoteChanged(d *VoteChanged, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Cast = d.Cast
	}
	if d.Idea == "" {
		return
	}
	if me.Role == RoleParticipant && d.Voter != "" && d.Voter == me.ID {
		v.setMine(d.Item, d.Idea, v.MyVotes[d.Item][d.Idea]+d.Delta)
	}
	if v.seesTally(d.Item, me.Role == RoleFacilitator) {
		if i := v.idea(d.Idea); i != nil {
			i.Votes = d.Votes
		}
	}
}

// foldRoomDots updates the item's cast for everyone, the scribe's own record
// of its group's count, and the idea's room dots where the caller sees tallies.
func (v *View) foldRoomDots(d *RoomDotsRecorded, me Who) {
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

// foldItemRevealed shows or hides an item's results. A facilitator already
// has every tally. Others take the results of a reveal (the item's visible
// ideas that are not merged; the rest have no tally to show) and drop every
// tally of the item when it is hidden again.
func (v *View) foldItemRevealed(d *ItemRevealed, fac bool) {
	it := v.item(d.Item)
	if it == nil {
		return
	}
	it.Revealed = d.Revealed
	if fac {
		return
	}
	if d.Revealed {
		for _, r := range d.Results {
			if i := v.idea(r.Idea); i != nil {
				i.Votes, i.RoomDots = r.Votes, cloneMap(r.RoomDots)
			}
		}
		return
	}
	for i := range v.Ideas {
		if v.Ideas[i].Item == d.Item {
			v.Ideas[i].Votes, v.Ideas[i].RoomDots = 0, nil
		}
	}
}
