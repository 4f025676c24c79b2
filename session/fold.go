package session

import (
	"cmp"
	"fmt"
	"slices"
)

// This file is the client's view model and its fold: View.Fold, the rule
// every event's fold keeps (named participants), and the helpers the folds
// of many events share. Each event's own fold sits beside its data, in the
// file of its noun (its fold method).
//
// What the Go fold is for: no server code calls it, because the server
// sends snapshots (ViewFor) and projected events and keeps its own state
// with Apply. It is the specification of the client's fold, in code:
//
//   - The property test (fold_test.go, fold_gen_test.go) plays random
//     meetings over every op and checks, after every event, that each
//     observer's fold of what it received equals ViewFor and holds nothing
//     it may not see. So these rules are the ones the server keeps to.
//   - The browser's static/web/js/fold.js follows them event by event, and
//     is tested against the same snapshots (static/fold_test.go and the
//     play-through's sameState in static/browser_checks_test.go).
//   - docs/protocol.md §8 writes them out for anyone writing a client.
//   - A Go client keeps its view with it, as the storm test in session/web
//     does. (cmd/poyta-load keeps no view: to measure, it reads only seqs
//     and its own ideas from the frames, without decoding them.)

// Fold applies one event to a client's view, as a client of identity me
// received it: e.Data is ProjectFor(original, me, its group), already
// redacted, and e carries only what an event message carries (seq, time,
// type, data; no actor or op). A view that starts as ViewFor(me) at some
// seq and folds every later event it receives stays equal to ViewFor(me)
// of the table (but for Seq, between events it does not receive: a
// private group's content outside the group).
// The browser's fold.js and any Go client fold by these rules.
//
// Fold refuses, leaving v unchanged, an event whose seq is not above v.Seq, a
// table.created that is not the first event, and data of another type than
// e.Type. Parts of an event that name something the view does not hold (an
// idea hidden from the caller, an item already removed) are ignored, as the
// server's own apply ignores them. Fold never changes e.Data and never keeps
// references into it, so one decoded event may be folded into many views.
//
// Fold checks the event, lets the event fold itself (its fold method, in
// the file of its noun), then keeps a non-facilitator's participant list to
// the people its content names (foldNamed).
func (v *View) Fold(e Event, me Who) error {
	// Seqs rise; they may skip, since a private group's content does not
	// reach the table outside the group (groupwork.go).
	if e.Seq <= v.Seq {
		return fmt.Errorf("session: fold %s: seq %d does not follow the view's seq %d", e.Type, e.Seq, v.Seq)
	}
	if e.Data == nil {
		return fmt.Errorf("session: fold %s at seq %d: no data", e.Type, e.Seq)
	}
	if e.Type != "" && e.Type != e.Data.eventType() {
		return fmt.Errorf("session: fold %s at seq %d: data is %s", e.Type, e.Seq, e.Data.eventType())
	}
	if _, created := e.Data.(*TableCreated); created && e.Seq != 1 {
		return fmt.Errorf("session: fold table.created at seq %d: a table is created at seq 1", e.Seq)
	}
	e.Data.fold(v, e.Seq, me)
	if me.Role != RoleFacilitator {
		v.foldNamed(e.Data, me)
	}
	v.Seq = e.Seq
	return nil
}

// naming is an event that can name a participant for the first time in a
// view other than the facilitator's (an idea's author, an action's owner,
// a raised hand): it carries the profiles of the people it names, the same
// for every audience. An event that names nobody does not implement it.
// It is optional, unlike EventData's methods, because most events name
// nobody; an event that names someone and forgets it fails the fold
// property test (the view would lack a name that ViewFor has).
type naming interface {
	profiles() []ParticipantView
}

// foldNamed keeps the participant list of a view other than the
// facilitator's to exactly the people its content names, and the caller:
// profiles arrive with the events that first name someone, and people no
// longer named leave the list.
func (v *View) foldNamed(data EventData, me Who) {
	if n, ok := data.(naming); ok {
		for _, p := range n.profiles() {
			if v.participant(p.ID) == nil {
				v.insertParticipant(p)
			}
		}
	}
	named := map[string]bool{}
	for _, i := range v.Ideas {
		if i.Author != "" {
			named[i.Author] = true
		}
	}
	for _, a := range v.Actions {
		named[a.ProposedBy] = true
		for _, o := range a.Owners {
			named[o.Participant] = true
		}
	}
	for _, h := range v.Queue {
		named[h.Participant] = true
	}
	named[v.Floor] = true
	if w := v.runningWork(); w != nil {
		if tv := w.team(w.Mine); tv != nil {
			for _, p := range tv.Members {
				named[p] = true
			}
		}
	}
	v.Participants = slices.DeleteFunc(v.Participants, func(p ParticipantView) bool {
		return !named[p.ID] && !(me.Role == RoleParticipant && p.ID == me.ID)
	})
}

// profileList is the profiles of an event that names at most one person.
func profileList(p *ParticipantView) []ParticipantView {
	if p == nil {
		return nil
	}
	return []ParticipantView{*p}
}

// insertParticipant puts a profile in join order.
func (v *View) insertParticipant(p ParticipantView) {
	i, _ := slices.BinarySearchFunc(v.Participants, p.Seq, func(x ParticipantView, seq int64) int { return cmp.Compare(x.Seq, seq) })
	v.Participants = slices.Insert(v.Participants, i, p)
}

// add changes the count of a sector by n.
func (c *PeopleCount) add(sector string, n int) {
	if c.BySector == nil {
		c.BySector = map[string]int{}
	}
	c.Total += n
	if c.BySector[sector] += n; c.BySector[sector] <= 0 {
		delete(c.BySector, sector)
	}
}

// Two rules run through the folds of ideas, dots and results, the same
// rules ViewFor follows:
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
// they were added, which is the order of Seq, and of Order among the ideas
// one event added.
func (v *View) insertIdea(iv IdeaView) {
	at := slices.IndexFunc(v.Ideas, func(i IdeaView) bool { return i.Seq > iv.Seq || i.Seq == iv.Seq && i.Order > iv.Order })
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

func (v *View) item(id string) *Item {
	for i := range v.Items {
		if v.Items[i].ID == id {
			return &v.Items[i]
		}
	}
	return nil
}

func (v *View) idea(id string) *IdeaView {
	for i := range v.Ideas {
		if v.Ideas[i].ID == id {
			return &v.Ideas[i]
		}
	}
	return nil
}

func (v *View) participant(id string) *ParticipantView {
	for i := range v.Participants {
		if v.Participants[i].ID == id {
			return &v.Participants[i]
		}
	}
	return nil
}

func (v *View) group(id string) *GroupView {
	for i := range v.Groups {
		if v.Groups[i].ID == id {
			return &v.Groups[i]
		}
	}
	return nil
}

func (v *View) action(id string) *Action {
	for i := range v.Actions {
		if v.Actions[i].ID == id {
			return &v.Actions[i]
		}
	}
	return nil
}
