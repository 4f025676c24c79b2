// Package minutes turns a table into its minutes (muistio): a model built
// once from the table's state, and renderers for Markdown, HTML, DOCX,
// JSON and CSV.
//
// Build copies what it needs, so a live table's state can be read on the
// hub's goroutine and rendered anywhere else. The model holds user text as
// it was written; every renderer escapes it for its own format.
package minutes

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/poyta/poyta/session"
)

// Options choose the language of the minutes and what they show.
type Options struct {
	// Lang is fi, sv or en; "" means the table's language.
	Lang string
	// NoNames leaves people's names out, for publishing: attendance is
	// counted by organisation and sector, idea authors are shown by
	// organisation, action owners by organisation or as "participant",
	// and names entered on behalf of someone are left out.
	NoNames bool
	// IncludeHidden lists ideas the facilitator hid, marked as hidden.
	IncludeHidden bool
}

// Minutes is the record of one table in one language.
type Minutes struct {
	Lang          string `json:"lang"`
	NoNames       bool   `json:"noNames"`
	IncludeHidden bool   `json:"includeHidden"`

	Table      Header     `json:"table"`
	Attendance Attendance `json:"attendance"`
	Items      []Item     `json:"items"`
	Actions    []Action   `json:"actions"`
	// FollowUp is the review of an earlier table's actions, for tables
	// that continue a series. Renderers print it only when it is not empty.
	FollowUp []FollowUp `json:"followUp"`
	// LiveText is the interpreter's live text, every line, when the
	// table's facilitators put it in the minutes (captionsInMinutes); empty
	// otherwise, which is the default. Renderers print it only when it is
	// not empty.
	LiveText []LiveLine `json:"liveText"`
}

// LiveLine is one line of the interpreter's live text.
type LiveLine struct {
	Item       string    `json:"item"`       // the agenda item current when it was written, "" if none
	ItemNumber int       `json:"itemNumber"` // 0 if none
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
}

// Header describes the meeting.
type Header struct {
	ID           string    `json:"id"`
	Code         string    `json:"code"`
	Seq          int64     `json:"seq"` // the last event the minutes include
	Title        string    `json:"title"`
	Theme        string    `json:"theme"`
	Date         string    `json:"date"`  // YYYY-MM-DD
	Start        string    `json:"start"` // HH:MM
	End          string    `json:"end"`
	Room         string    `json:"room"`
	Link         string    `json:"link"`
	Lang         string    `json:"lang"` // the table's own language
	Facilitators []string  `json:"facilitators"`
	Locked       bool      `json:"locked"`
	Closed       bool      `json:"closed"`
	Created      time.Time `json:"created"`
}

// Attendance is who was at the table. Participants the facilitator
// removed are not counted.
type Attendance struct {
	Total    int           `json:"total"`
	People   []Person      `json:"people"` // in join order; empty with NoNames
	ByOrg    []OrgCount    `json:"byOrg"`
	BySector []SectorCount `json:"bySector"`
}

// Person is one participant.
type Person struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Org    string    `json:"org"`
	Sector string    `json:"sector"`
	Joined time.Time `json:"joined"`
}

// OrgCount is how many came from one organisation; Org "" counts those who
// gave none.
type OrgCount struct {
	Org   string   `json:"org"`
	Count int      `json:"count"`
	Names []string `json:"names"` // empty with NoNames
}

// SectorCount is how many came from one sector (session.Sectors).
type SectorCount struct {
	Sector string `json:"sector"`
	Count  int    `json:"count"`
}

// Item is one agenda item with its ideas.
type Item struct {
	ID        string `json:"id"`
	Number    int    `json:"number"` // 1-based position on the agenda
	Title     string `json:"title"`
	Question  string `json:"question"`
	Presenter string `json:"presenter"`
	Timebox   int    `json:"timebox"` // minutes
	Phase     string `json:"phase"`
	Notes     string `json:"notes"`
	Dots      int    `json:"dots"` // dots per person
	Cast      int    `json:"cast"` // dots placed on the item's ideas
	// Voted tells whether anyone placed dots on the item; ideas of an item
	// nobody voted on are listed without points.
	Voted bool `json:"voted"`
	// Ideas are ranked by dots, ties in the order they were added; with
	// IncludeHidden the hidden ideas follow, unranked. They are the
	// plenary's: the ideas of a group in group work are under the group.
	Ideas []Idea `json:"ideas"`
	// GroupWork is the item's group work, nil if it had none; Groups are
	// its groups, in order.
	GroupWork *GroupWork  `json:"groupWork"`
	Groups    []WorkGroup `json:"groups"`
}

// Idea is one idea with its result. Ideas merged into it are listed under it.
type Idea struct {
	ID        string      `json:"id"`
	Rank      int         `json:"rank"` // 1-based; 0 for hidden and merged ideas
	Text      string      `json:"text"`
	Author    *Author     `json:"author"` // nil when anonymous or entered for someone
	Anonymous bool        `json:"anonymous"`
	OnBehalf  string      `json:"onBehalf"` // the name the facilitator entered it for; "" with NoNames
	Group     *Group      `json:"group"`    // the group it came from: a room group, or a group in group work
	Origin    string      `json:"origin"`   // for an idea a group brought to the plenary, the group's idea it was made of
	Hidden    bool        `json:"hidden"`
	Votes     int         `json:"votes"`    // participants' dots
	RoomDots  []GroupDots `json:"roomDots"` // dots recorded by room groups, in the groups' order
	Total     int         `json:"total"`
	Created   time.Time   `json:"created"`
	Edited    *time.Time  `json:"edited"` // nil if never edited
	Merged    []Idea      `json:"merged"`
}

// Author is the participant who put an idea forward. With NoNames only the
// organisation is kept.
type Author struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Org  string `json:"org"`
}

// Group is a room group, or a group of a group work.
type Group struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// GroupDots is one room group's hand-counted dots on an idea.
type GroupDots struct {
	Group string `json:"group"`
	Name  string `json:"name"`
	Dots  int    `json:"dots"`
}

// Action is an agreed next step.
type Action struct {
	ID         string    `json:"id"`
	Title      string    `json:"title"`
	Item       string    `json:"item"`       // agenda item id, "" if none
	ItemNumber int       `json:"itemNumber"` // 0 if none
	ItemTitle  string    `json:"itemTitle"`
	Ideas      []string  `json:"ideas"` // ids of the ideas it came from
	Owners     []Owner   `json:"owners"`
	Due        string    `json:"due"`        // YYYY-MM-DD or ""
	Status     string    `json:"status"`     // session.StatusOpen, StatusInProgress or StatusDone
	ProposedBy string    `json:"proposedBy"` // participant id; "" with NoNames or when the facilitator added it
	Created    time.Time `json:"created"`
}

// Owner kinds.
const (
	OwnerParticipant  = "participant"
	OwnerOrganisation = "organisation"
)

// Owner is one of an action's owners: a participant (perhaps for their
// organisation) or an organisation named as free text.
type Owner struct {
	ID          string `json:"id"`
	Kind        string `json:"kind"`        // OwnerParticipant or OwnerOrganisation
	Participant string `json:"participant"` // participant id; "" with NoNames
	Name        string `json:"name"`        // "" with NoNames
	Org         string `json:"org"`         // the organisation named, or the participant's own
}

// Follow-up statuses of an earlier table's action: the outcomes the
// table's review decided, carried into the minutes as they are.
const (
	FollowDone    = session.OutcomeDone
	FollowCarried = session.OutcomeCarried
	FollowDropped = session.OutcomeDropped
)

// FollowUp is one action of an earlier table of a series, as reviewed at
// this one.
type FollowUp struct {
	Table      string  `json:"table"` // the earlier table's id
	TableTitle string  `json:"tableTitle"`
	TableDate  string  `json:"tableDate"` // YYYY-MM-DD
	Action     string  `json:"action"`    // the action's id at the earlier table
	Title      string  `json:"title"`
	Owners     []Owner `json:"owners"`
	Due        string  `json:"due"`
	Status     string  `json:"status"` // FollowDone, FollowCarried, FollowDropped, or "" when not reviewed
	Note       string  `json:"note"`
}

// Build makes the minutes of a table. It reads t but keeps no reference
// into it.
func Build(t *session.Table, opt Options) (*Minutes, error) {
	lang := opt.Lang
	if lang == "" {
		lang = t.Lang
	}
	if !slices.Contains(session.Languages, lang) {
		return nil, fmt.Errorf("minutes: language %q: want fi, sv or en", lang)
	}
	m := &Minutes{Lang: lang, NoNames: opt.NoNames, IncludeHidden: opt.IncludeHidden,
		Table: Header{ID: t.ID, Code: t.Code, Seq: t.Seq, Title: t.Title, Theme: t.Theme, Date: t.Date,
			Start: t.Start, End: t.End, Room: t.Room, Link: t.Link, Lang: t.Lang,
			Facilitators: slices.Clone(t.Facilitators), Locked: t.Locked, Closed: t.Closed, Created: t.Created},
		Items:    []Item{},
		Actions:  []Action{},
		FollowUp: []FollowUp{},
		LiveText: []LiveLine{},
	}
	if m.Table.Facilitators == nil {
		m.Table.Facilitators = []string{}
	}
	m.Attendance = attendance(t, lang, opt.NoNames, nil)
	groups := map[string]string{}
	for _, g := range t.Groups {
		groups[g.ID] = g.Name
	}
	numbers := map[string]int{}
	for n, it := range t.Items {
		numbers[it.ID] = n + 1
		m.Items = append(m.Items, buildItem(t, it, n+1, groups, lang, opt))
	}
	if t.CaptionsInMinutes {
		for _, c := range t.Captions {
			m.LiveText = append(m.LiveText, LiveLine{Item: c.Item, ItemNumber: numbers[c.Item], Text: c.Text, At: c.At})
		}
	}
	for _, id := range t.ActionOrder {
		a := t.Actions[id]
		if a == nil {
			continue
		}
		ma := Action{ID: a.ID, Title: a.Title, Item: a.Item, ItemNumber: numbers[a.Item], Ideas: slices.Clone(a.Ideas),
			Owners: []Owner{}, Due: a.Due, Status: a.Status, Created: a.Created}
		if ma.Ideas == nil {
			ma.Ideas = []string{}
		}
		if ma.ItemNumber > 0 {
			ma.ItemTitle = t.Items[ma.ItemNumber-1].Title
		}
		if !opt.NoNames {
			ma.ProposedBy = a.ProposedBy
		}
		for _, o := range a.Owners {
			ma.Owners = append(ma.Owners, owner(t, o, opt.NoNames))
		}
		m.Actions = append(m.Actions, ma)
	}
	for _, f := range t.FollowUps {
		mf := FollowUp{Table: f.Table, TableTitle: f.TableTitle, TableDate: f.TableDate, Action: f.Action,
			Title: f.Title, Owners: []Owner{}, Due: f.Due, Status: f.Outcome, Note: f.Note}
		for _, o := range f.Owners {
			mo := Owner{Kind: OwnerOrganisation, Org: o.Org}
			if o.Name != "" && !opt.NoNames {
				mo.Kind, mo.Name = OwnerParticipant, o.Name
			}
			if mo.Name != "" || mo.Org != "" {
				mf.Owners = append(mf.Owners, mo)
			}
		}
		m.FollowUp = append(m.FollowUp, mf)
	}
	return m, nil
}

func owner(t *session.Table, o session.Owner, noNames bool) Owner {
	if o.Participant == "" {
		return Owner{ID: o.ID, Kind: OwnerOrganisation, Org: o.Org}
	}
	out := Owner{ID: o.ID, Kind: OwnerParticipant, Org: o.Org}
	p := t.Participants[o.Participant]
	if out.Org == "" && p != nil {
		out.Org = p.Org
	}
	if !noNames {
		out.Participant = o.Participant
		if p != nil {
			out.Name = p.Name
		}
	}
	return out
}

// attendance counts the participants for whom in is true (everyone when
// in is nil), leaving out those the facilitator removed.
func attendance(t *session.Table, lang string, noNames bool, in func(id string) bool) Attendance {
	a := Attendance{People: []Person{}, ByOrg: []OrgCount{}, BySector: []SectorCount{}}
	orgs := map[string]*OrgCount{}
	sectors := map[string]int{}
	for _, id := range t.People {
		p := t.Participants[id]
		if p == nil || p.Removed || in != nil && !in(id) {
			continue
		}
		a.Total++
		sectors[p.Sector]++
		oc := orgs[p.Org]
		if oc == nil {
			oc = &OrgCount{Org: p.Org, Names: []string{}}
			orgs[p.Org] = oc
		}
		oc.Count++
		if !noNames {
			oc.Names = append(oc.Names, p.Name)
			a.People = append(a.People, Person{ID: p.ID, Name: p.Name, Org: p.Org, Sector: p.Sector, Joined: p.Joined})
		}
	}
	for _, oc := range orgs {
		a.ByOrg = append(a.ByOrg, *oc)
	}
	// Most represented first, then alphabetically; those without an
	// organisation last.
	slices.SortFunc(a.ByOrg, func(x, y OrgCount) int {
		if (x.Org == "") != (y.Org == "") {
			if x.Org == "" {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(y.Count, x.Count); c != 0 {
			return c
		}
		return compareText(lang, x.Org, y.Org)
	})
	for _, s := range session.Sectors {
		if n := sectors[s]; n > 0 {
			a.BySector = append(a.BySector, SectorCount{Sector: s, Count: n})
		}
	}
	return a
}

func buildItem(t *session.Table, it *session.Item, number int, groups map[string]string, lang string, opt Options) Item {
	mi := Item{ID: it.ID, Number: number, Title: it.Title, Question: it.Question, Presenter: it.Presenter,
		Timebox: it.Timebox, Phase: string(it.Phase), Notes: it.Notes, Dots: it.Dots, Cast: it.Cast, Ideas: []Idea{},
		Groups: []WorkGroup{}}
	for rank, r := range t.Results(it.ID) {
		i := t.Ideas[r.Idea]
		if i == nil {
			continue
		}
		mi.Ideas = append(mi.Ideas, buildIdea(t, i, rank+1, groups, opt))
	}
	if opt.IncludeHidden {
		for _, id := range t.IdeaOrder {
			if i := t.Ideas[id]; i != nil && i.Item == it.ID && i.Hidden && i.MergedInto == "" && !i.InGroup {
				mi.Ideas = append(mi.Ideas, buildIdea(t, i, 0, groups, opt))
			}
		}
	}
	mi.Voted = mi.Cast > 0
	for _, i := range mi.Ideas {
		if i.Total > 0 {
			mi.Voted = true
		}
	}
	buildGroups(t, &mi, groups, lang, opt)
	return mi
}

func buildIdea(t *session.Table, i *session.Idea, rank int, groups map[string]string, opt Options) Idea {
	mi := Idea{ID: i.ID, Rank: rank, Text: i.Text, Anonymous: i.Anonymous, Hidden: i.Hidden, Origin: i.Origin,
		Votes: i.Votes, Total: i.Total(), Created: i.Created, RoomDots: []GroupDots{}, Merged: []Idea{}}
	if !i.Edited.IsZero() {
		e := i.Edited
		mi.Edited = &e
	}
	if i.Author != "" && !i.Anonymous {
		a := &Author{ID: i.Author}
		if p := t.Participants[i.Author]; p != nil {
			a.Name, a.Org = p.Name, p.Org
		}
		if opt.NoNames {
			a.ID, a.Name = "", ""
		}
		mi.Author = a
	}
	if !opt.NoNames {
		mi.OnBehalf = i.OnBehalf
	}
	if i.Group != "" {
		mi.Group = &Group{ID: i.Group, Name: groups[i.Group]}
	}
	// Room groups in the order they were added, so the minutes are stable.
	for _, g := range t.Groups {
		if n := i.RoomDots[g.ID]; n > 0 {
			mi.RoomDots = append(mi.RoomDots, GroupDots{Group: g.ID, Name: g.Name, Dots: n})
		}
	}
	for _, id := range i.Merged {
		c := t.Ideas[id]
		if c == nil || (c.Hidden && !opt.IncludeHidden) {
			continue
		}
		mi.Merged = append(mi.Merged, buildIdea(t, c, 0, groups, opt))
	}
	return mi
}
