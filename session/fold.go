package session

import (
	"cmp"
	"fmt"
	"slices"
)

// Fold applies one event to a client's view, as a client of identity me
// received it: e.Data is Project(e, AudienceOf(me, original)), already
// redacted, and e carries only what an event message carries (seq, time,
// type, data; no actor or op). A view that starts as ViewFor(me) at some
// seq and folds every later event stays equal to ViewFor(me) of the table.
// The browser and the load generator fold by the same rules.
//
// Fold refuses, leaving v unchanged, an event whose seq is not v.Seq+1, a
// table.created that is not the first event, and data it does not know.
// Parts of an event that name something the view does not hold (an idea
// hidden from the caller, an item already removed) are ignored, as the
// server's own apply ignores them. Fold never changes e.Data and never keeps
// references into it, so one decoded event may be folded into many views.
func (v *View) Fold(e Event, me Who) error {
	if e.Seq != v.Seq+1 {
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
	fac := me.Role == RoleFacilitator
	switch d := e.Data.(type) {
	case *TableCreated:
		v.foldTableCreated(d, fac)
	case *TableEdited:
		d.edit(&v.Table)
	case *TableLocked:
		v.Table.Locked = d.Locked
	case *TableClosed:
		v.foldTableClosed(d)
	case *ParticipantJoined:
		v.foldParticipantJoined(d, e.Seq, me)
	case *ParticipantUpdated:
		if d.From != "" {
			v.People.add(d.From, -1)
			v.People.add(d.Sector, 1)
		}
		if p := v.participant(d.Participant); p != nil {
			p.Name, p.Org, p.Sector = d.Name, d.Org, d.Sector
		}
	case *ParticipantRemoved:
		v.foldParticipantRemoved(d)
	case *ItemAdded:
		v.foldItemAdded(d)
	case *ItemEdited:
		v.foldItemEdited(d)
	case *ItemMoved:
		v.foldItemMoved(d)
	case *ItemRemoved:
		v.foldItemRemoved(d)
	case *ItemOpened:
		if v.item(d.Item) != nil {
			v.Current = d.Item
		}
	case *ItemPhased:
		if it := v.item(d.Item); it != nil {
			it.Phase = d.Phase
		}
	case *ItemNoted:
		if it := v.item(d.Item); it != nil {
			it.Notes = d.Notes
		}
	case *ItemVoting:
		if it := v.item(d.Item); it != nil {
			it.Dots, it.MultiDot = d.Dots, d.MultiDot
		}
	case *TimerChanged:
		if it := v.item(d.Item); it != nil {
			it.Timer = d.Timer
		}
	case *ItemRevealed:
		v.foldItemRevealed(d, fac)
	case *IdeaAdded:
		v.foldIdeaAdded(d, e.Seq, me)
	case *IdeaEdited:
		if i := v.idea(d.Idea); i != nil {
			edited := d.Edited
			i.Text, i.Edited = d.Text, &edited
		}
	case *IdeaDeleted:
		v.Ideas = slices.DeleteFunc(v.Ideas, func(i IdeaView) bool { return i.ID == d.Idea })
	case *IdeaHidden:
		v.foldIdeaHidden(d, me)
	case *IdeaMerged:
		v.foldIdeaMerged(d, me)
	case *VoteChanged:
		v.foldVoteChanged(d, me)
	case *RoomDotsRecorded:
		v.foldRoomDots(d, me)
	case *GroupAdded:
		v.foldGroupAdded(d, fac)
	case *GroupRenamed:
		if g := v.group(d.Group); g != nil {
			g.Name = d.Name
		}
	case *GroupRemoved:
		if g := v.group(d.Group); g != nil {
			g.Removed, g.ScribeToken = true, ""
		}
	case *HandChanged:
		v.foldHandChanged(d)
	case *FloorGiven:
		v.foldFloorGiven(d)
	case *QueueCleared:
		v.Queue = []Hand{}
	case *ActionAdded:
		v.foldActionAdded(d)
	case *ActionEdited:
		v.foldActionEdited(d)
	case *ActionOwnerAdded:
		if a := v.action(d.Action); a != nil {
			a.Owners = append(a.Owners, d.Owner)
		}
	case *ActionOwnerRemoved:
		if a := v.action(d.Action); a != nil {
			a.Owners = slices.DeleteFunc(a.Owners, func(o Owner) bool { return o.ID == d.Owner })
		}
	case *ActionRemoved:
		v.Actions = slices.DeleteFunc(v.Actions, func(a Action) bool { return a.ID == d.Action })
	case *FollowUpMarked:
		v.foldFollowUpMarked(d)
	default:
		return fmt.Errorf("session: fold %s at seq %d: unknown data %T", e.Type, e.Seq, e.Data)
	}
	if !fac {
		v.foldNamed(e.Data, me)
	}
	v.Seq = e.Seq
	return nil
}

// foldNamed keeps the participant list of a view other than the
// facilitator's to exactly the people its content names, and the caller:
// profiles arrive with the events that first name someone, and people no
// longer named leave the list.
func (v *View) foldNamed(data EventData, me Who) {
	var profiles []ParticipantView
	add := func(p *ParticipantView) {
		if p != nil {
			profiles = append(profiles, *p)
		}
	}
	switch d := data.(type) {
	case *IdeaAdded:
		add(d.Profile)
	case *IdeaHidden:
		add(d.Profile)
	case *ActionAdded:
		profiles = append(profiles, d.Profiles...)
	case *ActionOwnerAdded:
		add(d.Profile)
	case *HandChanged:
		add(d.Profile)
	case *FloorGiven:
		add(d.Profile)
	}
	for _, p := range profiles {
		if v.participant(p.ID) == nil {
			v.insertParticipant(p)
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
	v.Participants = slices.DeleteFunc(v.Participants, func(p ParticipantView) bool {
		return !named[p.ID] && !(me.Role == RoleParticipant && p.ID == me.ID)
	})
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

// foldTableCreated replaces the whole view with the new table. Only
// facilitators get the screen token, which Project adds for them.
func (v *View) foldTableCreated(d *TableCreated, fac bool) {
	*v = View{
		Table: d.description(),
		Items: make([]Item, 0, len(d.Items)), Participants: []ParticipantView{}, People: PeopleCount{BySector: map[string]int{}}, Ideas: []IdeaView{},
		Actions: []Action{}, Queue: []Hand{}, Groups: []GroupView{},
	}
	for _, it := range d.Items {
		if it != nil {
			v.Items = append(v.Items, *it)
		}
	}
	if len(v.Items) > 0 {
		v.Current = v.Items[0].ID
	}
	v.FollowUps, v.FollowItem = copyFollowUps(d.FollowUps), d.FollowItem
	if fac {
		v.ScreenToken = d.ScreenToken
	}
}

// foldFollowUpMarked records the review; an action carried on joins the
// table's actions.
func (v *View) foldFollowUpMarked(d *FollowUpMarked) {
	for i := range v.FollowUps {
		f := &v.FollowUps[i]
		if f.Action != d.Action {
			continue
		}
		f.Outcome, f.Note = d.Outcome, d.Note
		if d.Carried != nil && f.Carried == "" {
			v.foldActionAdded(&ActionAdded{Action: *d.Carried})
			f.Carried = d.Carried.ID
		}
	}
}

// foldTableClosed ends the meeting: the queue and the floor are emptied and
// the event carries each running timer as it was paused, so the client does
// no clock arithmetic.
func (v *View) foldTableClosed(d *TableClosed) {
	v.Table.Closed = d.Closed
	if !d.Closed {
		return
	}
	v.Queue, v.Floor, v.FloorSince = []Hand{}, "", nil
	for _, p := range d.Paused {
		if it := v.item(p.Item); it != nil {
			it.Timer = p.Timer
		}
	}
}

// foldParticipantJoined counts a new participant. Facilitators list
// everyone; others learn the name only when content names the person.
func (v *View) foldParticipantJoined(d *ParticipantJoined, seq int64, me Who) {
	v.People.add(d.Sector, 1)
	if (me.Role == RoleFacilitator || me.Role == RoleParticipant && me.ID == d.ID) && v.participant(d.ID) == nil {
		v.insertParticipant(ParticipantView{ID: d.ID, Name: d.Name, Org: d.Org, Sector: d.Sector, Seq: seq})
	}
}

// foldParticipantRemoved marks the participant removed, lowers their hand
// and ends their turn. Their ideas, dots and actions stay.
func (v *View) foldParticipantRemoved(d *ParticipantRemoved) {
	v.People.add(d.Sector, -1)
	p := v.participant(d.Participant)
	if p == nil {
		return
	}
	p.Removed = true
	v.Queue = removeHand(v.Queue, d.Participant)
	if v.Floor == d.Participant {
		v.Floor, v.FloorSince = "", nil
	}
}

// foldItemAdded inserts the item at its index; the first item becomes current.
func (v *View) foldItemAdded(d *ItemAdded) {
	idx := min(max(d.Index, 0), len(v.Items))
	v.Items = slices.Insert(v.Items, idx, d.Item)
	if v.Current == "" {
		v.Current = d.Item.ID
	}
}

// foldItemEdited sets the fields the event names, as the server does.
func (v *View) foldItemEdited(d *ItemEdited) {
	if it := v.item(d.Item); it != nil {
		it.edit(d)
	}
}

// foldItemMoved takes the item out of the agenda and puts it back at index.
func (v *View) foldItemMoved(d *ItemMoved) {
	from := slices.IndexFunc(v.Items, func(it Item) bool { return it.ID == d.Item })
	if from < 0 || d.Index < 0 || d.Index >= len(v.Items) {
		return
	}
	it := v.Items[from]
	v.Items = slices.Insert(slices.Delete(v.Items, from, from+1), d.Index, it)
}

// foldItemRemoved removes the item and the caller's dots on it. When it was
// current, the item now at its place (or the new last one) becomes current.
func (v *View) foldItemRemoved(d *ItemRemoved) {
	i := slices.IndexFunc(v.Items, func(it Item) bool { return it.ID == d.Item })
	if i < 0 {
		return
	}
	v.Items = slices.Delete(v.Items, i, i+1)
	delete(v.MyVotes, d.Item)
	if len(v.MyVotes) == 0 {
		v.MyVotes = nil
	}
	if v.Current == d.Item {
		v.Current = ""
		if len(v.Items) > 0 {
			v.Current = v.Items[min(i, len(v.Items)-1)].ID
		}
	}
}

// foldGroupAdded appends the room group; facilitators also keep its scribe
// token, which Project gives only to them.
func (v *View) foldGroupAdded(d *GroupAdded, fac bool) {
	if v.group(d.Group.ID) != nil {
		return
	}
	g := GroupView{ID: d.Group.ID, Name: d.Group.Name, Removed: d.Group.Removed}
	if fac && !g.Removed {
		g.ScribeToken = d.ScribeToken
	}
	v.Groups = append(v.Groups, g)
}

// foldHandChanged appends a raised hand (once) or removes a lowered one.
func (v *View) foldHandChanged(d *HandChanged) {
	if !d.Raised {
		v.Queue = removeHand(v.Queue, d.Participant)
		return
	}
	if !inQueue(v.Queue, d.Participant) {
		v.Queue = append(v.Queue, Hand{Participant: d.Participant, At: d.At})
	}
}

// foldFloorGiven sets who speaks and since when; the speaker leaves the queue.
func (v *View) foldFloorGiven(d *FloorGiven) {
	v.Floor, v.FloorSince = d.Participant, nil
	if d.Participant != "" {
		at := d.At
		v.FloorSince = &at
	}
	v.Queue = removeHand(v.Queue, d.Participant)
}

// foldActionAdded appends the whole action, copied so that the view shares
// nothing with the event.
func (v *View) foldActionAdded(d *ActionAdded) {
	if v.action(d.Action.ID) != nil {
		return
	}
	a := d.Action
	a.Ideas = append([]string{}, a.Ideas...)
	a.Owners = append([]Owner{}, a.Owners...)
	v.Actions = append(v.Actions, a)
}

// foldActionEdited sets the fields the event names, as the server does.
func (v *View) foldActionEdited(d *ActionEdited) {
	if a := v.action(d.Action); a != nil {
		a.edit(d)
	}
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
