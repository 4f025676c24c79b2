package session

import (
	"cmp"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"time"
)

// Group work: an agenda item split into small groups that work in
// parallel and report back into the plenary.
//
// A facilitator starts group work on an item with some groups: new ones
// for the people online (Group.Online) and, if the hall has them, room
// groups with their scribes. People are placed mixed by sector (each
// sector spread evenly over the groups), at random, by their own choice
// among the groups' topics, or by hand; facilitators move them while the
// work runs, and people who join meanwhile land in a group (mixed and
// random placement). Inside a group its members add ideas to the item,
// dot-vote on them if the work has dots, choose a reporter, who writes the
// summary and picks the ideas for the plenary, and can call the
// facilitator. In a private work (the default) a group's content reaches
// only its members, its scribe and the facilitators until the work ends;
// in a live one, everyone. Ending the work reports back: each group's
// picked ideas become ideas of the item in the plenary, labelled with the
// group and linked to their origin, and every group's summary becomes
// public. The groups' own ideas are then frozen, as a record.
//
// Delivery: an event that only some groups may see names them (grouped);
// the hub sends the members of each group the group's shape of it, and
// everyone else the public shape, which for a group's private content is
// nothing at all. So a client's seqs may skip.

// The placements.
const (
	PlaceMixed  = "mixed"  // each sector spread evenly over the groups
	PlaceRandom = "random" // at random, sizes even
	PlaceChoice = "choice" // each participant chooses a group (by its topic)
	PlaceManual = "manual" // the facilitator places people
)

// Placements lists the placements in the order a form offers them.
var Placements = []string{PlaceMixed, PlaceRandom, PlaceChoice, PlaceManual}

// GroupWork is one item's group work.
type GroupWork struct {
	Item      string            `json:"item"`
	Groups    []string          `json:"groups"` // group ids, in order
	Placement string            `json:"placement"`
	Private   bool              `json:"private"` // groups' content stays in the group until the work ends
	Dots      int               `json:"dots"`    // dots per person inside a group; 0: no group vote
	Running   bool              `json:"running"`
	Started   time.Time         `json:"started"`
	Ended     time.Time         `json:"ended"`
	Members   map[string]string `json:"members"` // participant id -> group id
	Teams     map[string]*Team  `json:"teams"`   // group id -> what the group made of it
	Messages  []Broadcast       `json:"messages"`
}

// Team is one group's part in a group work.
type Team struct {
	Reporter string   `json:"reporter"` // participant id
	Summary  string   `json:"summary"`
	Picked   []string `json:"picked"` // the group's ideas it brings to the plenary, in order
	Help     bool     `json:"help"`   // the group has called the facilitator
	Video    string   `json:"video"`  // the group's own video room
}

// Broadcast is a facilitator's message to every group.
type Broadcast struct {
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Limits of group work.
const (
	MaxWorkGroups   = 200 // groups in one group work
	MaxTopic        = 200 // characters of a group's topic
	MaxSummary      = 5000
	MaxBroadcast    = 500
	MaxMessagesKept = 20 // broadcasts a view keeps
)

// running is the table's group work in progress, or nil.
func (t *Table) running() *GroupWork {
	for _, w := range t.Works {
		if w.Running {
			return w
		}
	}
	return nil
}

// workOf is the group work of an item, or nil.
func (t *Table) workOf(item string) *GroupWork {
	for _, w := range t.Works {
		if w.Item == item {
			return w
		}
	}
	return nil
}

// GroupOf is the group whose content who receives now: a participant's
// group in the running group work, a scribe's group if it takes part in
// it; "" for everyone else and when no group work runs. Facilitators see
// every group and have none.
func (t *Table) GroupOf(who Who) string {
	w := t.running()
	if w == nil {
		return ""
	}
	switch who.Role {
	case RoleParticipant:
		return w.Members[who.ID]
	case RoleScribe:
		if slices.Contains(w.Groups, who.ID) {
			return who.ID
		}
	}
	return ""
}

// seesTeam says whether who sees what a group does in a work: the
// facilitators always, its members and scribe, and everyone when the work
// is not private.
func (w *GroupWork) seesTeam(who Who, group string) bool {
	switch {
	case who.Role == RoleFacilitator || !w.Private:
		return true
	case who.Role == RoleParticipant:
		return w.Members[who.ID] == group
	case who.Role == RoleScribe:
		return who.ID == group
	}
	return false
}

// size counts a group's members.
func (w *GroupWork) size(group string) int {
	n := 0
	for _, g := range w.Members {
		if g == group {
			n++
		}
	}
	return n
}

// GroupInput names a new group for group work.
type GroupInput struct {
	Name  string `json:"name"`
	Topic string `json:"topic"`
}

// StartGroups splits an item into groups.
type StartGroups struct {
	base
	Item      string       `json:"item"`
	Groups    []GroupInput `json:"groups"` // new groups for the people online
	Rooms     []string     `json:"rooms"`  // existing (room) groups taking part
	Placement string       `json:"placement"`
	// Participants are the people to place (the ones online, say); none
	// means everyone at the table.
	Participants []string `json:"participants"`
	Live         bool     `json:"live"` // every group's content visible to everyone as it comes
	Dots         int      `json:"dots"` // dots per person for a vote inside each group; 0 for none
}

// GroupsStarted records group work beginning: its new groups and where
// everyone was placed.
type GroupsStarted struct {
	Item      string            `json:"item"`
	New       []Group           `json:"new"`    // groups created for it
	Groups    []string          `json:"groups"` // all its groups, in order
	Placement string            `json:"placement"`
	Private   bool              `json:"private"`
	Dots      int               `json:"dots"`
	Members   map[string]string `json:"members"` // participant -> group
	Started   time.Time         `json:"started"`
	// Profiles are the members' profiles, so that members learn their
	// group mates' names; each group gets only its own.
	Profiles []ParticipantView `json:"profiles,omitempty"`
}

func (*GroupsStarted) eventType() string { return "groups.started" }

func (c *StartGroups) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	if t.running() != nil {
		return nil, errf(KindConflict, CodeGroupWork, "group work is already running")
	}
	if t.workOf(it.ID) != nil {
		return nil, errf(KindConflict, CodeGroupWork, "this item has had its group work")
	}
	if !slices.Contains(Placements, c.Placement) {
		return nil, errf(KindInvalid, CodeInvalidValue, "placement must be mixed, random, choice or manual")
	}
	if err := checkRange("dots", c.Dots, 0, MaxDots); err != nil {
		return nil, err
	}
	n := len(c.Groups) + len(c.Rooms)
	if n < 2 && !(n == 1 && c.Placement != PlaceChoice) {
		return nil, errf(KindInvalid, CodeInvalidValue, "group work needs at least two groups")
	}
	if n > MaxWorkGroups {
		return nil, errf(KindLimit, CodeTooMany, "at most %d groups", MaxWorkGroups)
	}
	if len(t.Groups)+len(c.Groups) > MaxAllGroups {
		return nil, errf(KindLimit, CodeTooMany, "at most %d groups in all at one table", MaxAllGroups)
	}
	d := &GroupsStarted{Item: it.ID, Placement: c.Placement, Private: !c.Live, Dots: c.Dots,
		Members: map[string]string{}, Started: env.Now.UTC()}
	for _, id := range c.Rooms {
		g := t.group(id)
		if g == nil || g.Removed {
			return nil, errf(KindNotFound, CodeNoGroup, "no such room group")
		}
		if slices.Contains(d.Groups, id) {
			return nil, errf(KindInvalid, CodeInvalidValue, "a room group is named twice")
		}
		d.Groups = append(d.Groups, id)
	}
	var online []string
	for _, in := range c.Groups {
		name, err := cleanText("name", in.Name, MaxGroupName, true, false)
		if err != nil {
			return nil, err
		}
		topic, err := cleanText("topic", in.Topic, MaxTopic, false, false)
		if err != nil {
			return nil, err
		}
		g := Group{ID: env.NewID(), Name: name, Topic: topic, Online: true}
		d.New = append(d.New, g)
		d.Groups = append(d.Groups, g.ID)
		online = append(online, g.ID)
	}
	people := c.Participants
	if len(people) == 0 {
		for _, id := range t.People {
			if !t.Participants[id].Removed {
				people = append(people, id)
			}
		}
	}
	for _, id := range people {
		if p := t.Participants[id]; p == nil || p.Removed {
			return nil, errf(KindNotFound, CodeNoParticipant, "no such participant")
		}
	}
	// Automatic placement fills the groups made for the people online;
	// room groups are tables in the hall, whose people are there already.
	if len(online) == 0 {
		online = d.Groups
	}
	switch c.Placement {
	case PlaceMixed:
		t.placeMixed(slices.Clone(people), online, d.Members)
	case PlaceRandom:
		r := seeded(env.NewID())
		people = slices.Clone(people)
		r.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
		for k, id := range people {
			d.Members[id] = online[k%len(online)]
		}
	}
	for _, id := range t.People {
		if _, ok := d.Members[id]; ok {
			d.Profiles = append(d.Profiles, *t.profile(id))
		}
	}
	return d, nil
}

// seeded is a random source seeded from an id the Env made, so that decide
// stays a function of its inputs.
func seeded(id string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(id))
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// placeMixed spreads each sector evenly over the groups: people in order of
// sector (the largest sector first) and join, dealt to the groups in turn,
// the turn carrying on from one sector to the next, so that groups differ
// in size by at most one and in each sector by at most one.
func (t *Table) placeMixed(people, groups []string, into map[string]string) {
	count := map[string]int{}
	for _, id := range people {
		count[t.Participants[id].Sector]++
	}
	order := map[string]int{}
	for i, id := range t.People {
		order[id] = i
	}
	slices.SortStableFunc(people, func(a, b string) int {
		sa, sb := t.Participants[a].Sector, t.Participants[b].Sector
		if c := cmp.Compare(count[sb], count[sa]); c != 0 {
			return c
		}
		if c := cmp.Compare(sa, sb); c != 0 {
			return c
		}
		return cmp.Compare(order[a], order[b])
	})
	for k, id := range people {
		into[id] = groups[k%len(groups)]
	}
}

// placeLate chooses a group for someone who joins while group work with
// automatic placement runs: the group with the fewest of their sector,
// then the smallest, then the first.
func (t *Table) placeLate(w *GroupWork, sector string) string {
	online := []string{}
	for _, g := range w.Groups {
		if gr := t.group(g); gr != nil && gr.Online {
			online = append(online, g)
		}
	}
	if len(online) == 0 {
		online = w.Groups
	}
	best, bestSector, bestSize := "", 0, 0
	for _, g := range online {
		s, n := 0, 0
		for pid, pg := range w.Members {
			if pg != g {
				continue
			}
			n++
			if p := t.Participants[pid]; p != nil && p.Sector == sector {
				s++
			}
		}
		if best == "" || s < bestSector || s == bestSector && n < bestSize {
			best, bestSector, bestSize = g, s, n
		}
	}
	return best
}

func (d *GroupsStarted) apply(t *Table, e *Event) {
	for _, g := range d.New {
		if t.group(g.ID) == nil {
			c := g
			t.Groups = append(t.Groups, &c)
		}
	}
	w := &GroupWork{Item: d.Item, Groups: slices.Clone(d.Groups), Placement: d.Placement, Private: d.Private,
		Dots: d.Dots, Running: true, Started: d.Started, Members: map[string]string{}, Teams: map[string]*Team{}}
	for p, g := range d.Members {
		w.Members[p] = g
	}
	for _, g := range w.Groups {
		w.Teams[g] = &Team{}
	}
	t.Works = append(t.Works, w)
}

// groupsOf: each group's members get their own group's members' profiles.
func (d *GroupsStarted) groupsOf() []string { return d.Groups }

func (d *GroupsStarted) projectGroup(g string) EventData {
	c := *d
	c.Profiles = nil
	for _, p := range d.Profiles {
		if d.Members[p.ID] == g {
			c.Profiles = append(c.Profiles, p)
		}
	}
	return &c
}

// project: who is in which group is public, as ids (everyone counts the
// groups' sizes); names only in each group's shape and for facilitators.
func (d *GroupsStarted) project(aud Audience) EventData {
	if aud == AudienceFacilitator {
		return d
	}
	c := *d
	c.Profiles = nil
	return &c
}

// selfActor: the placement is everyone's; no one person sees more.
func (*GroupsStarted) selfActor() string { return "" }

func (d *GroupsStarted) fold(v *View, seq int64, me Who) {
	for _, g := range d.New {
		if v.group(g.ID) == nil {
			v.Groups = append(v.Groups, GroupView{ID: g.ID, Name: g.Name, Topic: g.Topic, Online: g.Online})
		}
	}
	if v.work(d.Item) != nil {
		return
	}
	wv := WorkView{Item: d.Item, Placement: d.Placement, Private: d.Private, Dots: d.Dots, Running: true,
		Started: d.Started, Groups: []TeamView{}, Messages: []Broadcast{}}
	switch me.Role {
	case RoleParticipant:
		wv.Mine = d.Members[me.ID]
	case RoleScribe:
		if slices.Contains(d.Groups, me.ID) {
			wv.Mine = me.ID
		}
	}
	for _, g := range d.Groups {
		tv := TeamView{Group: g}
		var members []string
		for p, pg := range d.Members {
			if pg == g {
				members = append(members, p)
			}
		}
		tv.Size = len(members)
		if wv.seesTeam(me, g) {
			slices.Sort(members)
			tv.Members = append([]string{}, members...)
		}
		wv.Groups = append(wv.Groups, tv)
	}
	v.Work = append(v.Work, wv)
}

// profiles: a group's shape names its members for them.
func (d *GroupsStarted) profiles() []ParticipantView { return d.Profiles }

// BroadcastGroups sends every group a message from the facilitator.
type BroadcastGroups struct {
	base
	Text string `json:"text"`
}

// GroupsBroadcast records a message to every group.
type GroupsBroadcast struct {
	Item string    `json:"item"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

func (*GroupsBroadcast) eventType() string { return "groups.broadcast" }

func (c *BroadcastGroups) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	w := t.running()
	if w == nil {
		return nil, errf(KindConflict, CodeGroupWork, "no group work is running")
	}
	text, err := cleanText("text", c.Text, MaxBroadcast, true, true)
	if err != nil {
		return nil, err
	}
	return &GroupsBroadcast{Item: w.Item, Text: text, At: env.Now.UTC()}, nil
}

func (d *GroupsBroadcast) apply(t *Table, e *Event) {
	if w := t.workOf(d.Item); w != nil {
		w.Messages = keepLast(append(w.Messages, Broadcast{Text: d.Text, At: d.At}), MaxMessagesKept)
	}
}

// project: a message to every group is everyone's.
func (d *GroupsBroadcast) project(Audience) EventData { return d }
func (*GroupsBroadcast) selfActor() string            { return "" }

func (d *GroupsBroadcast) fold(v *View, seq int64, me Who) {
	if w := v.work(d.Item); w != nil {
		w.Messages = keepLast(append(w.Messages, Broadcast{Text: d.Text, At: d.At}), MaxMessagesKept)
	}
}

func keepLast[T any](s []T, n int) []T {
	if len(s) > n {
		return append(s[:0:0], s[len(s)-n:]...)
	}
	return s
}

// EndGroups ends the running group work and reports back.
type EndGroups struct {
	base
}

// GroupsEnded records the report-back: every group's reporter and
// summary, and the plenary ideas made of the ideas the groups picked.
type GroupsEnded struct {
	Item    string    `json:"item"`
	Ended   time.Time `json:"ended"`
	Reports []Report  `json:"reports"`
	// Ideas are the new ideas of the item, one for each picked idea (or,
	// for a group that picked none, its summary), labelled with the group
	// and linked to their origin.
	Ideas []Idea `json:"ideas"`
}

// Report is one group's report-back.
type Report struct {
	Group    string `json:"group"`
	Reporter string `json:"reporter,omitempty"`
	Summary  string `json:"summary,omitempty"`
}

func (*GroupsEnded) eventType() string { return "groups.ended" }

func (c *EndGroups) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	w := t.running()
	if w == nil {
		return nil, errf(KindConflict, CodeGroupWork, "no group work is running")
	}
	d := &GroupsEnded{Item: w.Item, Ended: env.Now.UTC(), Reports: []Report{}, Ideas: []Idea{}}
	now := env.Now.UTC()
	for _, g := range w.Groups {
		tm := w.Teams[g]
		d.Reports = append(d.Reports, Report{Group: g, Reporter: tm.Reporter, Summary: tm.Summary})
		texts := []struct{ text, origin string }{}
		for _, id := range tm.Picked {
			if i := t.Ideas[id]; i != nil && !i.Hidden && i.MergedInto == "" {
				texts = append(texts, struct{ text, origin string }{i.Text, i.ID})
			}
		}
		if len(texts) == 0 && tm.Summary != "" {
			texts = append(texts, struct{ text, origin string }{truncate(tm.Summary, MaxIdea), ""})
		}
		for _, x := range texts {
			d.Ideas = append(d.Ideas, Idea{ID: env.NewID(), Item: w.Item, Text: x.text, Group: g, Origin: x.origin, Created: now})
		}
	}
	if len(t.Ideas)+len(d.Ideas) > MaxIdeas {
		return nil, errf(KindLimit, CodeTooMany, "the table has reached %d ideas", MaxIdeas)
	}
	return d, nil
}

func (d *GroupsEnded) apply(t *Table, e *Event) {
	w := t.workOf(d.Item)
	if w == nil || !w.Running {
		return
	}
	w.Running, w.Ended = false, d.Ended
	for _, g := range w.Teams {
		g.Help = false
	}
	for k, i := range d.Ideas {
		if _, ok := t.Ideas[i.ID]; ok {
			continue
		}
		c := i
		c.Seq = e.Seq
		c.Order = k
		t.Ideas[c.ID] = &c
		t.IdeaOrder = append(t.IdeaOrder, c.ID)
	}
}

// project: the report-back is everyone's.
func (d *GroupsEnded) project(Audience) EventData { return d }
func (*GroupsEnded) selfActor() string            { return "" }

func (d *GroupsEnded) fold(v *View, seq int64, me Who) {
	w := v.work(d.Item)
	if w == nil || !w.Running {
		return
	}
	ended := d.Ended
	w.Running, w.Ended = false, &ended
	if me.Role != RoleFacilitator {
		for i := range w.Groups {
			w.Groups[i].Members = nil
		}
	}
	for _, r := range d.Reports {
		if tv := w.team(r.Group); tv != nil {
			tv.Reporter, tv.Summary, tv.Help = r.Reporter, r.Summary, false
		}
	}
	for k, i := range d.Ideas {
		if v.idea(i.ID) == nil {
			v.insertIdea(IdeaView{ID: i.ID, Item: i.Item, Text: i.Text, Group: i.Group, Origin: i.Origin, Seq: seq, Order: k, Created: i.Created})
		}
	}
}
