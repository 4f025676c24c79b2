package session

import (
	"slices"
	"time"
)

// NewTableInput is what a facilitator fills in to create a table.
type NewTableInput struct {
	Title          string `json:"title"`
	Theme          string `json:"theme"`
	Date           string `json:"date"`
	Start          string `json:"start"`
	End            string `json:"end"`
	Room           string `json:"room"`
	Link           string `json:"link"`
	Lang           string `json:"lang"`
	Facilitator    string `json:"facilitator"`
	AllowAnonymous bool   `json:"allowAnonymous"`
	Dots           int    `json:"dots"`
	MultiDot       bool   `json:"multiDot"`
	// Moderated holds participants' new ideas for a facilitator's review
	// before anyone else sees them (pre-moderation).
	Moderated bool        `json:"moderated"`
	Agenda    []ItemInput `json:"agenda"`
}

// ItemInput describes one agenda item.
type ItemInput struct {
	Title     string `json:"title"`
	Question  string `json:"question"`
	Presenter string `json:"presenter"`
	Timebox   int    `json:"timebox"`
}

// Secrets are the random values a new table is born with. The caller
// generates them; the domain stays free of I/O.
type Secrets struct {
	ID                string
	Code              string
	Key               []byte // 32 random bytes
	FacilitatorSecret string // shown once to the facilitator, stored only as a hash
}

// TableCreated is the first event of every table.
type TableCreated struct {
	ID             string      `json:"id"`
	Code           string      `json:"code"`
	Title          string      `json:"title"`
	Theme          string      `json:"theme"`
	Date           string      `json:"date"`
	Start          string      `json:"start"`
	End            string      `json:"end"`
	Room           string      `json:"room"`
	Link           string      `json:"link"`
	Lang           string      `json:"lang"`
	Facilitators   []string    `json:"facilitators"`
	AllowAnonymous bool        `json:"allowAnonymous"`
	Dots           int         `json:"dots"`
	MultiDot       bool        `json:"multiDot"`
	Moderated      bool        `json:"moderated,omitempty"`
	Items          []*Item     `json:"items"`
	FollowUps      []*FollowUp `json:"followUps,omitempty"`
	FollowItem     string      `json:"followItem,omitempty"`
	// Series is the id of the first table of the series this one
	// continues; "" when it starts one (its series is its own id).
	Series          string    `json:"series,omitempty"`
	Key             []byte    `json:"key,omitempty"`
	FacilitatorHash string    `json:"facilitatorHash,omitempty"`
	Created         time.Time `json:"created"`
	// ScreenToken is never stored: Project adds it for facilitators, whose
	// view holds the screen credential.
	ScreenToken string `json:"screenToken,omitempty"`
	// InterpreterToken likewise: the live-text interpreter's credential.
	InterpreterToken string `json:"interpreterToken,omitempty"`
}

func (*TableCreated) eventType() string { return "table.created" }

// description is the new table as everyone sees it.
func (d *TableCreated) description() TableView {
	return TableView{ID: d.ID, Code: d.Code, Title: d.Title, Theme: d.Theme, Date: d.Date, Start: d.Start, End: d.End,
		Room: d.Room, Link: d.Link, Lang: d.Lang, Facilitators: append([]string{}, d.Facilitators...),
		AllowAnonymous: d.AllowAnonymous, Dots: d.Dots, MultiDot: d.MultiDot, Moderated: d.Moderated, Created: d.Created}
}

func (d *TableCreated) apply(t *Table, e *Event) {
	*t = Table{TableView: d.description(), Key: d.Key, FacilitatorHash: d.FacilitatorHash}
	for _, it := range d.Items {
		c := *it
		t.Items = append(t.Items, &c)
	}
	for _, f := range d.FollowUps {
		c := *f
		c.Owners = append([]FollowOwner{}, f.Owners...)
		t.FollowUps = append(t.FollowUps, &c)
	}
	t.FollowItem = d.FollowItem
	t.Series = d.Series
	if t.Series == "" {
		t.Series = d.ID
	}
	if len(t.Items) > 0 {
		t.Current = t.Items[0].ID
	}
	t.rebuild()
}

// project removes the table's secrets (the key and the facilitator secret's
// hash) for every audience. Facilitators get the screen token instead,
// derived from the key as the event is sent, for their view.
func (d *TableCreated) project(aud Audience) EventData {
	c := *d
	c.Key, c.FacilitatorHash, c.ScreenToken, c.InterpreterToken = nil, "", "", ""
	if aud == AudienceFacilitator && len(d.Key) > 0 {
		c.ScreenToken = deriveToken(d.Key, "screen")
		c.InterpreterToken = deriveToken(d.Key, "interpreter")
	}
	return &c
}

// selfActor: a facilitator's shape is the fullest; nobody sees more.
func (*TableCreated) selfActor() string { return "" }

// fold replaces the whole view with the new table. Only facilitators get
// the screen token, which project adds for them.
func (d *TableCreated) fold(v *View, seq int64, me Who) {
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
	if me.Role == RoleFacilitator {
		v.ScreenToken, v.InterpreterToken = d.ScreenToken, d.InterpreterToken
	}
}

// NewTable validates a facilitator's input and returns the table's first
// event. Apply it to an empty Table to get the new table's state.
func NewTable(in NewTableInput, s Secrets, env Env) (Event, error) {
	d := &TableCreated{ID: s.ID, Code: s.Code, Key: s.Key, FacilitatorHash: HashSecret(s.FacilitatorSecret), Created: env.Now.UTC()}
	var err error
	if d.Title, err = cleanText("title", in.Title, MaxTitle, true, false); err != nil {
		return Event{}, err
	}
	if d.Theme, err = cleanText("theme", in.Theme, MaxTheme, false, true); err != nil {
		return Event{}, err
	}
	if d.Date, err = cleanDate("date", in.Date); err != nil {
		return Event{}, err
	}
	if d.Start, err = cleanClock("start", in.Start); err != nil {
		return Event{}, err
	}
	if d.End, err = cleanClock("end", in.End); err != nil {
		return Event{}, err
	}
	if d.Room, err = cleanText("room", in.Room, MaxPlace, false, false); err != nil {
		return Event{}, err
	}
	if d.Link, err = cleanLink("link", in.Link); err != nil {
		return Event{}, err
	}
	d.Lang = in.Lang
	if d.Lang == "" {
		d.Lang = "fi"
	}
	if !validLang(d.Lang) {
		return Event{}, errf(KindInvalid, CodeInvalidValue, "lang must be fi, sv or en")
	}
	if in.Facilitator != "" {
		name, err := cleanText("facilitator", in.Facilitator, MaxName, false, false)
		if err != nil {
			return Event{}, err
		}
		if name != "" {
			d.Facilitators = []string{name}
		}
	}
	d.AllowAnonymous, d.MultiDot, d.Moderated = in.AllowAnonymous, in.MultiDot, in.Moderated
	d.Dots = in.Dots
	if d.Dots == 0 {
		d.Dots = DefaultDots
	}
	if err := checkRange("dots", d.Dots, 1, MaxDots); err != nil {
		return Event{}, err
	}
	if len(in.Agenda) > MaxItems {
		return Event{}, errf(KindLimit, CodeTooMany, "at most %d agenda items", MaxItems)
	}
	for _, ii := range in.Agenda {
		it, err := newItem(ii, d.Dots, d.MultiDot, env)
		if err != nil {
			return Event{}, err
		}
		d.Items = append(d.Items, it)
	}
	return Event{Seq: 1, Time: env.Now.UTC(), Actor: string(RoleFacilitator), Type: d.eventType(), Data: d}, nil
}

// EditTable changes the table's details and defaults. Absent fields stay.
type EditTable struct {
	base
	Title          *string   `json:"title,omitempty"`
	Theme          *string   `json:"theme,omitempty"`
	Date           *string   `json:"date,omitempty"`
	Start          *string   `json:"start,omitempty"`
	End            *string   `json:"end,omitempty"`
	Room           *string   `json:"room,omitempty"`
	Link           *string   `json:"link,omitempty"`
	Lang           *string   `json:"lang,omitempty"`
	Facilitators   *[]string `json:"facilitators,omitempty"`
	AllowAnonymous *bool     `json:"allowAnonymous,omitempty"`
	Dots           *int      `json:"dots,omitempty"`
	MultiDot       *bool     `json:"multiDot,omitempty"`
	Moderated      *bool     `json:"moderated,omitempty"`
	// CaptionsOnScreen shows the interpreter's live text on the room
	// screen; CaptionsInMinutes puts it in the minutes.
	CaptionsOnScreen  *bool `json:"captionsOnScreen,omitempty"`
	CaptionsInMinutes *bool `json:"captionsInMinutes,omitempty"`
}

// TableEdited records changed table details; nil fields did not change.
type TableEdited struct {
	Title          *string   `json:"title,omitempty"`
	Theme          *string   `json:"theme,omitempty"`
	Date           *string   `json:"date,omitempty"`
	Start          *string   `json:"start,omitempty"`
	End            *string   `json:"end,omitempty"`
	Room           *string   `json:"room,omitempty"`
	Link           *string   `json:"link,omitempty"`
	Lang           *string   `json:"lang,omitempty"`
	Facilitators   *[]string `json:"facilitators,omitempty"`
	AllowAnonymous *bool     `json:"allowAnonymous,omitempty"`
	Dots           *int      `json:"dots,omitempty"`
	MultiDot       *bool     `json:"multiDot,omitempty"`
	// Moderated turns pre-moderation on or off. Ideas already waiting
	// stay waiting until a facilitator approves or hides them.
	Moderated         *bool `json:"moderated,omitempty"`
	CaptionsOnScreen  *bool `json:"captionsOnScreen,omitempty"`
	CaptionsInMinutes *bool `json:"captionsInMinutes,omitempty"`
}

func (*TableEdited) eventType() string { return "table.edited" }

func (c *EditTable) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	d := &TableEdited{AllowAnonymous: c.AllowAnonymous, MultiDot: c.MultiDot, Moderated: c.Moderated,
		CaptionsOnScreen: c.CaptionsOnScreen, CaptionsInMinutes: c.CaptionsInMinutes}
	if err := cleanOpt(&d.Title, c.Title, func(s string) (string, error) { return cleanText("title", s, MaxTitle, true, false) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Theme, c.Theme, func(s string) (string, error) { return cleanText("theme", s, MaxTheme, false, true) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Date, c.Date, func(s string) (string, error) { return cleanDate("date", s) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Start, c.Start, func(s string) (string, error) { return cleanClock("start", s) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.End, c.End, func(s string) (string, error) { return cleanClock("end", s) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Room, c.Room, func(s string) (string, error) { return cleanText("room", s, MaxPlace, false, false) }); err != nil {
		return nil, err
	}
	if err := cleanOpt(&d.Link, c.Link, func(s string) (string, error) { return cleanLink("link", s) }); err != nil {
		return nil, err
	}
	if c.Lang != nil {
		if !validLang(*c.Lang) {
			return nil, errf(KindInvalid, CodeInvalidValue, "lang must be fi, sv or en")
		}
		d.Lang = c.Lang
	}
	if c.Facilitators != nil {
		if len(*c.Facilitators) > MaxFacilitators {
			return nil, errf(KindLimit, CodeTooMany, "at most %d facilitators", MaxFacilitators)
		}
		names := []string{}
		for _, n := range *c.Facilitators {
			n, err := cleanText("facilitator", n, MaxName, true, false)
			if err != nil {
				return nil, err
			}
			names = append(names, n)
		}
		d.Facilitators = &names
	}
	if c.Dots != nil {
		if err := checkRange("dots", *c.Dots, 1, MaxDots); err != nil {
			return nil, err
		}
		d.Dots = c.Dots
	}
	d.dropUnchanged(t)
	if *d == (TableEdited{}) {
		return nil, errf(KindInvalid, CodeNoChange, "nothing to change")
	}
	return d, nil
}

// dropUnchanged forgets fields that already have the given value, so an
// edit that changes nothing is refused rather than logged.
func (d *TableEdited) dropUnchanged(t *Table) {
	sameStr := func(p **string, cur string) {
		if *p != nil && **p == cur {
			*p = nil
		}
	}
	sameBool := func(p **bool, cur bool) {
		if *p != nil && **p == cur {
			*p = nil
		}
	}
	sameStr(&d.Title, t.Title)
	sameStr(&d.Theme, t.Theme)
	sameStr(&d.Date, t.Date)
	sameStr(&d.Start, t.Start)
	sameStr(&d.End, t.End)
	sameStr(&d.Room, t.Room)
	sameStr(&d.Link, t.Link)
	sameStr(&d.Lang, t.Lang)
	sameBool(&d.AllowAnonymous, t.AllowAnonymous)
	sameBool(&d.MultiDot, t.MultiDot)
	sameBool(&d.Moderated, t.Moderated)
	sameBool(&d.CaptionsOnScreen, t.CaptionsOnScreen)
	sameBool(&d.CaptionsInMinutes, t.CaptionsInMinutes)
	if d.Facilitators != nil && slices.Equal(*d.Facilitators, t.Facilitators) {
		d.Facilitators = nil
	}
	if d.Dots != nil && *d.Dots == t.Dots {
		d.Dots = nil
	}
}

func cleanOpt(dst **string, src *string, clean func(string) (string, error)) error {
	if src == nil {
		return nil
	}
	v, err := clean(*src)
	if err != nil {
		return err
	}
	*dst = &v
	return nil
}

func (d *TableEdited) apply(t *Table, e *Event) { d.edit(&t.TableView) }

// project: the table's description is public.
func (d *TableEdited) project(Audience) EventData { return d }
func (*TableEdited) selfActor() string            { return "" }

func (d *TableEdited) fold(v *View, seq int64, me Who) { d.edit(&v.Table) }

// edit sets the fields the event names. The server's state and the
// clients' views share it.
func (d *TableEdited) edit(tv *TableView) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&tv.Title, d.Title)
	set(&tv.Theme, d.Theme)
	set(&tv.Date, d.Date)
	set(&tv.Start, d.Start)
	set(&tv.End, d.End)
	set(&tv.Room, d.Room)
	set(&tv.Link, d.Link)
	set(&tv.Lang, d.Lang)
	if d.Facilitators != nil {
		tv.Facilitators = append([]string{}, (*d.Facilitators)...)
	}
	if d.AllowAnonymous != nil {
		tv.AllowAnonymous = *d.AllowAnonymous
	}
	if d.Dots != nil {
		tv.Dots = *d.Dots
	}
	if d.MultiDot != nil {
		tv.MultiDot = *d.MultiDot
	}
	if d.Moderated != nil {
		tv.Moderated = *d.Moderated
	}
	if d.CaptionsOnScreen != nil {
		tv.CaptionsOnScreen = *d.CaptionsOnScreen
	}
	if d.CaptionsInMinutes != nil {
		tv.CaptionsInMinutes = *d.CaptionsInMinutes
	}
}

// LockTable freezes (or unfreezes) participants' input and new joins; the
// facilitator can still work.
type LockTable struct {
	base
	Locked bool `json:"-"`
}

// TableLocked records a lock or unlock.
type TableLocked struct {
	Locked bool `json:"locked"`
}

func (*TableLocked) eventType() string { return "table.locked" }

func (c *LockTable) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	if t.Locked == c.Locked {
		if c.Locked {
			return nil, errf(KindConflict, CodeLocked, "the table is already locked")
		}
		return nil, errf(KindConflict, CodeNotLocked, "the table is not locked")
	}
	return &TableLocked{Locked: c.Locked}, nil
}

func (d *TableLocked) apply(t *Table, e *Event) { t.Locked = d.Locked }

// project: everyone sees that the table is locked.
func (d *TableLocked) project(Audience) EventData { return d }
func (*TableLocked) selfActor() string            { return "" }

func (d *TableLocked) fold(v *View, seq int64, me Who) { v.Table.Locked = d.Locked }

// CloseTable ends (or reopens) the meeting. A closed table takes no input
// from anyone but the facilitator finishing the minutes.
type CloseTable struct {
	base
	Closed bool `json:"-"`
}

// TableClosed records a close or reopen. Closing pauses running timers;
// Paused carries their resulting state so clients need no arithmetic.
type TableClosed struct {
	Closed bool           `json:"closed"`
	Paused []TimerChanged `json:"paused,omitempty"`
}

func (*TableClosed) eventType() string { return "table.closed" }

func (c *CloseTable) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	if t.Closed == c.Closed {
		if c.Closed {
			return nil, errf(KindConflict, CodeClosed, "the table is already closed")
		}
		return nil, errf(KindConflict, CodeNotClosed, "the table is not closed")
	}
	d := &TableClosed{Closed: c.Closed}
	if c.Closed {
		for _, it := range t.Items {
			if it.Timer.Running {
				tm := it.Timer
				tm.pause(env.Now.UTC())
				d.Paused = append(d.Paused, TimerChanged{Item: it.ID, Timer: tm})
			}
		}
	}
	return d, nil
}

func (d *TableClosed) apply(t *Table, e *Event) {
	t.Closed = d.Closed
	if d.Closed {
		t.Queue = nil
		t.Floor, t.FloorSince = "", time.Time{}
		for _, p := range d.Paused {
			p.apply(t, e)
		}
	}
}

// project: closing and the timers it paused are public.
func (d *TableClosed) project(Audience) EventData { return d }
func (*TableClosed) selfActor() string            { return "" }

// fold ends the meeting: the queue and the floor are emptied and the event
// carries each running timer as it was paused, so the client does no clock
// arithmetic.
func (d *TableClosed) fold(v *View, seq int64, me Who) {
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
