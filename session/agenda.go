package session

import "slices"

func newItem(in ItemInput, dots int, multi bool, env Env) (*Item, error) {
	it := &Item{ID: env.NewID(), Phase: PhaseCollect, Dots: dots, MultiDot: multi}
	var err error
	if it.Title, err = cleanText("title", in.Title, MaxTitle, true, false); err != nil {
		return nil, err
	}
	if it.Question, err = cleanText("question", in.Question, MaxQuestion, false, true); err != nil {
		return nil, err
	}
	if it.Presenter, err = cleanText("presenter", in.Presenter, MaxName*2, false, false); err != nil {
		return nil, err
	}
	if err := checkRange("timebox", in.Timebox, 0, MaxTimeboxMinutes); err != nil {
		return nil, err
	}
	it.Timebox = in.Timebox
	it.Timer.Duration = in.Timebox * 60
	return it, nil
}

// itemFor finds the item a command names, or refuses with no_such_item.
func (t *Table) itemFor(id string) (*Item, error) {
	if it, _ := t.item(id); it != nil {
		return it, nil
	}
	return nil, errf(KindNotFound, CodeNoItem, "no such agenda item")
}

// AddItem adds an agenda item, at the end or after a given item.
type AddItem struct {
	base
	ItemInput
	After string `json:"after"`
}

// ItemAdded records a new agenda item at Index.
type ItemAdded struct {
	Item  Item `json:"item"`
	Index int  `json:"index"`
}

func (*ItemAdded) eventType() string { return "item.added" }

func (c *AddItem) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	if len(t.Items) >= MaxItems {
		return nil, errf(KindLimit, CodeTooMany, "at most %d agenda items", MaxItems)
	}
	idx := len(t.Items)
	if c.After != "" {
		_, i := t.item(c.After)
		if i < 0 {
			return nil, errf(KindNotFound, CodeNoItem, "no such agenda item")
		}
		idx = i + 1
	}
	it, err := newItem(c.ItemInput, t.Dots, t.MultiDot, env)
	if err != nil {
		return nil, err
	}
	return &ItemAdded{Item: *it, Index: idx}, nil
}

func (d *ItemAdded) apply(t *Table, e *Event) {
	it := d.Item
	idx := min(max(d.Index, 0), len(t.Items))
	t.Items = append(t.Items, nil)
	copy(t.Items[idx+1:], t.Items[idx:])
	t.Items[idx] = &it
	if t.Current == "" {
		t.Current = it.ID
	}
}

// project: the agenda is public.
func (d *ItemAdded) project(Audience) EventData { return d }
func (*ItemAdded) selfActor() string            { return "" }

// fold inserts the item at its index; the first item becomes current.
func (d *ItemAdded) fold(v *View, seq int64, me Who) {
	idx := min(max(d.Index, 0), len(v.Items))
	v.Items = slices.Insert(v.Items, idx, d.Item)
	if v.Current == "" {
		v.Current = d.Item.ID
	}
}

// EditItem changes an item's title, question, presenter or time box.
type EditItem struct {
	base
	Item      string  `json:"item"`
	Title     *string `json:"title,omitempty"`
	Question  *string `json:"question,omitempty"`
	Presenter *string `json:"presenter,omitempty"`
	Timebox   *int    `json:"timebox,omitempty"`
}

// ItemEdited records changed item fields; nil fields did not change.
type ItemEdited struct {
	Item      string  `json:"item"`
	Title     *string `json:"title,omitempty"`
	Question  *string `json:"question,omitempty"`
	Presenter *string `json:"presenter,omitempty"`
	Timebox   *int    `json:"timebox,omitempty"`
}

func (*ItemEdited) eventType() string { return "item.edited" }

func (c *EditItem) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	d := &ItemEdited{Item: it.ID}
	if err := cleanOpt(&d.Title, c.Title, func(s string) (string, error) { return cleanText("title", s, MaxTitle, true, false) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Question, c.Question, func(s string) (string, error) { return cleanText("question", s, MaxQuestion, false, true) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Presenter, c.Presenter, func(s string) (string, error) { return cleanText("presenter", s, MaxName*2, false, false) }); err != nil {
		return nil, err
	}
	if c.Timebox != nil {
		if err := checkRange("timebox", *c.Timebox, 0, MaxTimeboxMinutes); err != nil {
			return nil, err
		}
		d.Timebox = c.Timebox
	}
	for _, f := range []struct {
		p   **string
		cur string
	}{{&d.Title, it.Title}, {&d.Question, it.Question}, {&d.Presenter, it.Presenter}} {
		if *f.p != nil && **f.p == f.cur {
			*f.p = nil
		}
	}
	if d.Timebox != nil && *d.Timebox == it.Timebox {
		d.Timebox = nil
	}
	if d.Title == nil && d.Question == nil && d.Presenter == nil && d.Timebox == nil {
		return nil, errf(KindInvalid, CodeNoChange, "nothing to change")
	}
	return d, nil
}

func (d *ItemEdited) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.edit(d)
	}
}

// project: the agenda is public.
func (d *ItemEdited) project(Audience) EventData { return d }
func (*ItemEdited) selfActor() string            { return "" }

// fold sets the fields the event names, as the server does.
func (d *ItemEdited) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.edit(d)
	}
}

// edit sets the fields the event names. A new time box also sets the
// timer's duration while the timer has not run since its last reset. The
// server's state and the clients' views share it.
func (it *Item) edit(d *ItemEdited) {
	if d.Title != nil {
		it.Title = *d.Title
	}
	if d.Question != nil {
		it.Question = *d.Question
	}
	if d.Presenter != nil {
		it.Presenter = *d.Presenter
	}
	if d.Timebox != nil {
		it.Timebox = *d.Timebox
		if !it.Timer.Running && it.Timer.Elapsed == 0 {
			it.Timer.Duration = it.Timebox * 60
		}
	}
}

// MoveItem reorders the agenda: the item moves to Index (0-based).
type MoveItem struct {
	base
	Item  string `json:"item"`
	Index int    `json:"index"`
}

// ItemMoved records a reorder.
type ItemMoved struct {
	Item  string `json:"item"`
	Index int    `json:"index"`
}

func (*ItemMoved) eventType() string { return "item.moved" }

func (c *MoveItem) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	_, from := t.item(c.Item)
	if from < 0 {
		return nil, errf(KindNotFound, CodeNoItem, "no such agenda item")
	}
	if err := checkRange("index", c.Index, 0, len(t.Items)-1); err != nil {
		return nil, err
	}
	if from == c.Index {
		return nil, errf(KindInvalid, CodeNoChange, "the item is already there")
	}
	return &ItemMoved{Item: c.Item, Index: c.Index}, nil
}

func (d *ItemMoved) apply(t *Table, e *Event) {
	it, from := t.item(d.Item)
	if it == nil || d.Index < 0 || d.Index >= len(t.Items) {
		return
	}
	t.Items = append(t.Items[:from], t.Items[from+1:]...)
	t.Items = append(t.Items, nil)
	copy(t.Items[d.Index+1:], t.Items[d.Index:])
	t.Items[d.Index] = it
}

// project: the agenda is public.
func (d *ItemMoved) project(Audience) EventData { return d }
func (*ItemMoved) selfActor() string            { return "" }

// fold takes the item out of the agenda and puts it back at index.
func (d *ItemMoved) fold(v *View, seq int64, me Who) {
	from := slices.IndexFunc(v.Items, func(it Item) bool { return it.ID == d.Item })
	if from < 0 || d.Index < 0 || d.Index >= len(v.Items) {
		return
	}
	it := v.Items[from]
	v.Items = slices.Insert(slices.Delete(v.Items, from, from+1), d.Index, it)
}

// RemoveItem deletes an agenda item that has no ideas or actions yet; an
// item with content is kept so nothing anyone said is lost.
type RemoveItem struct {
	base
	Item string `json:"item"`
}

// ItemRemoved records a removed item.
type ItemRemoved struct {
	Item string `json:"item"`
}

func (*ItemRemoved) eventType() string { return "item.removed" }

func (c *RemoveItem) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	for _, id := range t.IdeaOrder {
		if t.Ideas[id].Item == it.ID {
			return nil, errf(KindConflict, CodeItemNotEmpty, "the item has ideas; hide them or keep the item")
		}
	}
	if it.ID == t.FollowItem && len(t.FollowUps) > 0 {
		return nil, errf(KindConflict, CodeItemNotEmpty, "the item holds the follow-up of the earlier table")
	}
	for _, id := range t.ActionOrder {
		if t.Actions[id].Item == it.ID {
			return nil, errf(KindConflict, CodeItemNotEmpty, "the item has actions")
		}
	}
	return &ItemRemoved{Item: it.ID}, nil
}

func (d *ItemRemoved) apply(t *Table, e *Event) {
	_, i := t.item(d.Item)
	if i < 0 {
		return
	}
	t.Items = append(t.Items[:i], t.Items[i+1:]...)
	delete(t.Ballots, d.Item)
	if t.Current == d.Item {
		t.Current = ""
		if len(t.Items) > 0 {
			t.Current = t.Items[min(i, len(t.Items)-1)].ID
		}
	}
}

// project: the agenda is public.
func (d *ItemRemoved) project(Audience) EventData { return d }
func (*ItemRemoved) selfActor() string            { return "" }

// fold removes the item and the caller's dots on it. When it was current,
// the item now at its place (or the new last one) becomes current.
func (d *ItemRemoved) fold(v *View, seq int64, me Who) {
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

// OpenItem makes an item the current one: the one everyone sees and
// participants contribute to.
type OpenItem struct {
	base
	Item string `json:"item"`
}

// ItemOpened records the new current item.
type ItemOpened struct {
	Item string `json:"item"`
}

func (*ItemOpened) eventType() string { return "item.opened" }

func (c *OpenItem) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	if t.Current == it.ID {
		return nil, errf(KindInvalid, CodeNoChange, "the item is already open")
	}
	return &ItemOpened{Item: it.ID}, nil
}

func (d *ItemOpened) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		t.Current = d.Item
	}
}

// project: everyone follows the open item.
func (d *ItemOpened) project(Audience) EventData { return d }
func (*ItemOpened) selfActor() string            { return "" }

func (d *ItemOpened) fold(v *View, seq int64, me Who) {
	if v.item(d.Item) != nil {
		v.Current = d.Item
	}
}

// SetPhase moves an item to a phase. The usual order is collect → vote →
// actions → closed, but a facilitator may step back (e.g. reopen voting).
type SetPhase struct {
	base
	Item  string `json:"item"`
	Phase Phase  `json:"phase"`
}

// ItemPhased records a phase change.
type ItemPhased struct {
	Item  string `json:"item"`
	Phase Phase  `json:"phase"`
}

func (*ItemPhased) eventType() string { return "item.phase" }

func (c *SetPhase) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	if !validPhase(c.Phase) {
		return nil, errf(KindInvalid, CodeInvalidValue, "phase must be collect, vote, actions or closed")
	}
	if it.Phase == c.Phase {
		return nil, errf(KindInvalid, CodeNoChange, "the item is already in that phase")
	}
	return &ItemPhased{Item: it.ID, Phase: c.Phase}, nil
}

func (d *ItemPhased) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.Phase = d.Phase
	}
}

// project: the phase decides what everyone may do, so everyone sees it.
func (d *ItemPhased) project(Audience) EventData { return d }
func (*ItemPhased) selfActor() string            { return "" }

func (d *ItemPhased) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Phase = d.Phase
	}
}

// SetNotes writes the item's notes or decision text for the minutes.
type SetNotes struct {
	base
	Item  string `json:"item"`
	Notes string `json:"notes"`
}

// ItemNoted records the item's whole notes text.
type ItemNoted struct {
	Item  string `json:"item"`
	Notes string `json:"notes"`
}

func (*ItemNoted) eventType() string { return "item.notes" }

func (c *SetNotes) decide(t *Table, who Who, env Env) (EventData, error) {
	// Notes may still be finished after the table is closed.
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	notes, err := cleanText("notes", c.Notes, MaxNotes, false, true)
	if err != nil {
		return nil, err
	}
	if notes == it.Notes {
		return nil, errf(KindInvalid, CodeNoChange, "the notes did not change")
	}
	return &ItemNoted{Item: it.ID, Notes: notes}, nil
}

func (d *ItemNoted) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.Notes = d.Notes
	}
}

// project: the notes are the table's shared record, for the minutes.
func (d *ItemNoted) project(Audience) EventData { return d }
func (*ItemNoted) selfActor() string            { return "" }

func (d *ItemNoted) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Notes = d.Notes
	}
}
