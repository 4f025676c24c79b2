package session

import (
	"time"
)

// Phase is where an agenda item stands; it decides what participants may do.
type Phase string

// The phases of an agenda item, in their usual order.
const (
	PhaseCollect Phase = "collect" // participants add ideas
	PhaseVote    Phase = "vote"    // participants place their dots
	PhaseActions Phase = "actions" // the table agrees who does what
	PhaseClosed  Phase = "closed"  // the item is done
)

func validPhase(p Phase) bool {
	switch p {
	case PhaseCollect, PhaseVote, PhaseActions, PhaseClosed:
		return true
	}
	return false
}

// Sectors a participant can belong to, so the table sees who is present.
var Sectors = []string{"municipality", "wellbeing", "association", "business", "resident", "education", "other"}

func validSector(s string) bool {
	for _, v := range Sectors {
		if v == s {
			return true
		}
	}
	return false
}

// Languages a table and its minutes can be in.
var Languages = []string{"fi", "sv", "en"}

func validLang(s string) bool {
	for _, v := range Languages {
		if v == s {
			return true
		}
	}
	return false
}

// Table is the whole state of one partnership-table meeting: a fold over its
// events. Only the hub goroutine of a live table touches it.
type Table struct {
	// TableView is the table's description, as everyone sees it. Embedded,
	// so its fields are the table's own (t.Title) and serialise flat.
	TableView
	Seq int64 `json:"seq"`

	// Secrets: never sent to a client and never exported.
	Key             []byte `json:"key"`             // derives scribe and screen tokens
	FacilitatorHash string `json:"facilitatorHash"` // sha256 of the facilitator secret

	Items        []*Item                 `json:"items"`
	Current      string                  `json:"current"` // id of the open item
	Participants map[string]*Participant `json:"participants"`
	People       []string                `json:"people"` // participant ids in join order
	Ideas        map[string]*Idea        `json:"ideas"`
	IdeaOrder    []string                `json:"ideaOrder"`
	Actions      map[string]*Action      `json:"actions"`
	ActionOrder  []string                `json:"actionOrder"`
	Queue        []Hand                  `json:"queue"`
	Floor        string                  `json:"floor"` // participant who has the floor
	FloorSince   time.Time               `json:"floorSince"`
	Groups       []*Group                `json:"groups"`
	// CoFacilitators are facilitators with links of their own.
	CoFacilitators []*CoFacilitator `json:"coFacilitators"`
	// Works are the items' group works, in the order they started.
	Works []*GroupWork `json:"works"`
	// Captions are the interpreter's live text, every line.
	Captions []Caption `json:"captions"`
	// UpdateLinks are the actions' update links, revoked ones included.
	UpdateLinks []*UpdateLink `json:"updateLinks"`
	FollowUps   []*FollowUp   `json:"followUps"`  // an earlier table's actions under review
	FollowItem  string        `json:"followItem"` // the agenda item that reviews them
	// Series is the id of the series' first table: the tables made one
	// from another share it, and the organiser's tracker follows them all.
	Series string `json:"series"`

	// Ballots holds every participant's dots: item -> participant -> idea -> dots.
	Ballots map[string]map[string]map[string]int `json:"ballots"`

	tokens map[string]string // participant token hash -> participant id
	// people counts the participants not removed, by sector. Apply keeps
	// it up to date and rebuild recomputes it, so that every view (one per
	// connection that joins) need not count thousands of participants.
	people PeopleCount
	// ideasBy counts the ideas of each author on each item, for the
	// ideas-per-person limit; kept by apply like people.
	ideasBy map[ideaKey]int
}

// ideaKey is an agenda item and an idea author.
type ideaKey struct{ item, author string }

// Item is one agenda item.
type Item struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Question  string `json:"question"`
	Presenter string `json:"presenter"`
	Timebox   int    `json:"timebox"` // minutes
	Phase     Phase  `json:"phase"`
	Notes     string `json:"notes"`
	Dots      int    `json:"dots"`
	MultiDot  bool   `json:"multiDot"`
	Revealed  bool   `json:"revealed"`
	Cast      int    `json:"cast"` // dots placed on the item's ideas, by participants and room groups
	Timer     Timer  `json:"timer"`
}

// Timer is an item's countdown. Remaining time is derived from the
// duration, the time run before the last start, and when it last started.
type Timer struct {
	Duration  int       `json:"duration"` // seconds
	Running   bool      `json:"running"`
	StartedAt time.Time `json:"startedAt"`
	Elapsed   int64     `json:"elapsed"` // milliseconds run before StartedAt
}

// Participant is a person who joined with the join code.
type Participant struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Org       string    `json:"org"`
	Sector    string    `json:"sector"`
	Joined    time.Time `json:"joined"`
	Removed   bool      `json:"removed"`
	TokenHash string    `json:"tokenHash"`
	Seq       int64     `json:"seq"` // the seq of participant.joined: lists keep join order by it
	// Forgotten: their name, organisation and token were erased on request.
	Forgotten bool `json:"forgotten,omitempty"`
}

// Idea is one contribution to an agenda item.
type Idea struct {
	ID        string `json:"id"`
	Item      string `json:"item"`
	Text      string `json:"text"`
	Author    string `json:"author"`    // participant id, "" if entered for someone
	Anonymous bool   `json:"anonymous"` // author hidden from everyone but the author
	Group     string `json:"group"`     // room group it came from, if any
	OnBehalf  string `json:"onBehalf"`  // name given by the facilitator
	Hidden    bool   `json:"hidden"`
	Pending   bool   `json:"pending"` // waits for a facilitator's review: seen only by facilitators and its author
	// InGroup: made inside a group's space during group work (Group is
	// the group). Private: in a private group work, so only the group's
	// members, its scribe and the facilitators see it.
	InGroup    bool           `json:"inGroup,omitempty"`
	Private    bool           `json:"private,omitempty"`
	Origin     string         `json:"origin,omitempty"` // the group's idea a plenary idea was made of
	Paper      bool           `json:"paper,omitempty"`  // imported from paper or e-mail
	Order      int            `json:"order,omitempty"`  // among ideas one event added, their order
	MergedInto string         `json:"mergedInto"`
	Merged     []string       `json:"merged"` // ideas merged into this one, in merge order
	Votes      int            `json:"votes"`  // participants' dots
	RoomDots   map[string]int `json:"roomDots"`
	PaperDots  int            `json:"paperDots,omitempty"` // dots counted on paper, imported with the idea
	Seq        int64          `json:"seq"`                 // the seq of the event that added it: ideas are shown in this order
	Created    time.Time      `json:"created"`
	Edited     time.Time      `json:"edited"`
}

// Total is the idea's result: participants' dots plus dots recorded by room groups.
func (i *Idea) Total() int {
	n := i.Votes + i.PaperDots
	for _, d := range i.RoomDots {
		n += d
	}
	return n
}

// Action is an agreed next step: what, who, by when.
type Action struct {
	ID         string         `json:"id"`
	Item       string         `json:"item"`
	Title      string         `json:"title"`
	Ideas      []string       `json:"ideas"`
	Owners     []Owner        `json:"owners"`
	Due        string         `json:"due"`
	Status     string         `json:"status"`
	ProposedBy string         `json:"proposedBy"`        // participant id when a participant proposed it
	Updates    []ActionUpdate `json:"updates,omitempty"` // owners' reports, oldest first
	Created    time.Time      `json:"created"`
}

// Owner is one of an action's owners: a participant, an organisation named
// as free text (it may not be present), or a participant for their organisation.
type Owner struct {
	ID          string `json:"id"`
	Participant string `json:"participant,omitempty"`
	Org         string `json:"org,omitempty"`
}

// Action statuses.
const (
	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

func validStatus(s string) bool {
	return s == StatusOpen || s == StatusInProgress || s == StatusDone
}

// Hand is a raised hand in the speaking queue.
type Hand struct {
	Participant string    `json:"participant"`
	At          time.Time `json:"at"`
}

// Group is a room group in a hybrid table, e.g. "Room, table 2". Its
// scribe enters ideas and hand-counted dots for people without devices.
type Group struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Removed bool   `json:"removed"`
	Topic   string `json:"topic,omitempty"`  // what the group works on, for people choosing a group
	Online  bool   `json:"online,omitempty"` // made for group work, for people online; else a room group with a scribe
}

func (t *Table) item(id string) (*Item, int) {
	for i, it := range t.Items {
		if it.ID == id {
			return it, i
		}
	}
	return nil, -1
}

func (t *Table) group(id string) *Group {
	for _, g := range t.Groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

// ParticipantByToken returns the participant whose token hashes to hash.
func (t *Table) participantByHash(hash string) *Participant {
	if id, ok := t.tokens[hash]; ok {
		return t.Participants[id]
	}
	return nil
}

// rebuild restores the indexes that are not serialised, after loading a snapshot.
func (t *Table) rebuild() {
	t.tokens = make(map[string]string, len(t.Participants))
	for id, p := range t.Participants {
		t.tokens[p.TokenHash] = id
	}
	if t.Participants == nil {
		t.Participants = map[string]*Participant{}
	}
	if t.Ideas == nil {
		t.Ideas = map[string]*Idea{}
	}
	if t.Actions == nil {
		t.Actions = map[string]*Action{}
	}
	if t.Ballots == nil {
		t.Ballots = map[string]map[string]map[string]int{}
	}
	t.people = PeopleCount{}
	for _, p := range t.Participants {
		if !p.Removed {
			t.countPerson(p.Sector, 1)
		}
	}
	t.ideasBy = nil
	for _, i := range t.Ideas {
		t.countIdea(i.Item, i.Author, 1)
	}
}

// countIdea adds n (1 or -1) ideas of an author on an item to the count.
func (t *Table) countIdea(item, author string, n int) {
	if t.ideasBy == nil {
		t.ideasBy = map[ideaKey]int{}
	}
	k := ideaKey{item, author}
	if t.ideasBy[k] += n; t.ideasBy[k] <= 0 {
		delete(t.ideasBy, k)
	}
}

// countPerson adds n (1 or -1) participants of a sector to the count.
func (t *Table) countPerson(sector string, n int) {
	if t.people.BySector == nil {
		t.people.BySector = map[string]int{}
	}
	t.people.Total += n
	if t.people.BySector[sector] += n; t.people.BySector[sector] <= 0 {
		delete(t.people.BySector, sector)
	}
}
