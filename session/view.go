package session

import (
	"slices"
	"time"
)

// Audience is who an event or a snapshot is shaped for. Identities that
// must stay private (anonymous authors, voters, votes before the reveal)
// are cut out before anything leaves the server.
type Audience int

// The audiences. Self is the one actor an event is about (the voter, the
// author of an anonymous idea, the scribe who recorded dots), who sees it
// whole. Group is the members (and scribe) of a group in group work that
// an event names as its own (GroupsOf): they get the group's shape of it
// instead of the public one.
const (
	AudiencePublic Audience = iota
	AudienceFacilitator
	AudienceSelf
	AudienceGroup
)

// grouped is an event that some groups in group work get in a shape of
// their own: a private group's content, which nobody outside the group
// gets at all (its public shape is nil), or the names of group mates.
// Events that are everyone's alike do not implement it.
type grouped interface {
	groupsOf() []string
	projectGroup(group string) EventData
}

// GroupsOf returns the groups whose members get the event in the group's
// own shape (ProjectGroup), or nil.
func GroupsOf(e Event) []string {
	if g, ok := e.Data.(grouped); ok {
		return g.groupsOf()
	}
	return nil
}

// ProjectGroup returns the event's data as the members of group get it.
func ProjectGroup(e Event, group string) EventData {
	if g, ok := e.Data.(grouped); ok && slices.Contains(g.groupsOf(), group) {
		return g.projectGroup(group)
	}
	return Project(e, AudiencePublic)
}

// ProjectFor returns the event's data as a connection of who, whose group
// in group work is group (Table.GroupOf), gets it; nil when it gets
// nothing of it, which is the case for a private group's content outside
// the group.
func ProjectFor(e Event, who Who, group string) EventData {
	switch aud := AudienceOf(who, e); {
	case aud != AudiencePublic:
		return Project(e, aud)
	case group != "":
		return ProjectGroup(e, group)
	default:
		return Project(e, AudiencePublic)
	}
}

// SelfActor returns the actor who may see the event whole, or "" when the
// event has nothing private in it. Each event says who (its selfActor).
func SelfActor(e Event) string {
	if e.Data == nil {
		return ""
	}
	return e.Data.selfActor()
}

// Project returns the event's data as an audience may see it; nil when
// that audience gets nothing of it. Data without anything private is
// returned as is, so most events are encoded once. For AudienceGroup use
// ProjectGroup, which knows the group.
// Each event states what each audience sees (its project method), beside
// its data, so that a new private field cannot be missed.
func Project(e Event, aud Audience) EventData {
	if e.Data == nil {
		return nil
	}
	return e.Data.project(aud)
}

// AudienceOf returns the audience a connection of this caller belongs to
// for an event.
func AudienceOf(who Who, e Event) Audience {
	if self := SelfActor(e); self != "" && self == who.Actor() {
		return AudienceSelf
	}
	if who.Role == RoleFacilitator {
		return AudienceFacilitator
	}
	return AudiencePublic
}

// View is the whole table as one caller may see it: what a client gets on
// connecting, and what its fold of later events must keep equal to.
type View struct {
	Seq     int64     `json:"seq"`
	Table   TableView `json:"table"`
	Items   []Item    `json:"items"`
	Current string    `json:"current"`
	// Participants lists everyone for facilitators; for others, the
	// participants their view names (authors, owners, the queue and the
	// floor) and themselves. People counts everyone.
	Participants []ParticipantView `json:"participants"`
	People       PeopleCount       `json:"people"`
	Ideas        []IdeaView        `json:"ideas"`
	Actions      []Action          `json:"actions"`
	Queue        []Hand            `json:"queue"`
	Floor        string            `json:"floor"`
	FloorSince   *time.Time        `json:"floorSince,omitempty"`
	Groups       []GroupView       `json:"groups"`
	// CoFacilitators is for facilitators only.
	CoFacilitators []CoFacilitatorView `json:"coFacilitators,omitempty"`
	// Work is the items' group works, in the order they started.
	Work []WorkView `json:"work,omitempty"`
	// Captions are the last lines of live text, for everyone.
	Captions []Caption `json:"captions,omitempty"`
	// InterpreterToken is for facilitators only.
	InterpreterToken string `json:"interpreterToken,omitempty"`
	// UpdateLinks are the actions' update links, for facilitators only.
	UpdateLinks []UpdateLinkView `json:"updateLinks,omitempty"`
	FollowUps   []FollowUp       `json:"followUps"`            // an earlier table's actions under review
	FollowItem  string           `json:"followItem,omitempty"` // the item that reviews them
	ScreenToken string           `json:"screenToken,omitempty"`
	// MyVotes is the caller's own dots, item -> idea -> dots: a
	// participant's ballot, or the counts recorded for a scribe's room
	// group. It survives hiding and names ideas hidden from the caller.
	// Before the reveal it is the only place a scribe sees its counts.
	MyVotes map[string]map[string]int `json:"myVotes,omitempty"`
}

// TableView is the table's public description.
type TableView struct {
	ID             string   `json:"id"`
	Code           string   `json:"code"`
	Title          string   `json:"title"`
	Theme          string   `json:"theme"`
	Date           string   `json:"date"`
	Start          string   `json:"start"`
	End            string   `json:"end"`
	Room           string   `json:"room"`
	Link           string   `json:"link"`
	Lang           string   `json:"lang"`
	Facilitators   []string `json:"facilitators"`
	AllowAnonymous bool     `json:"allowAnonymous"`
	Moderated      bool     `json:"moderated"`
	// Plain: participants see the UI in plain Finnish (selkosuomi) unless
	// they choose another language.
	Plain bool `json:"plain"`
	// CaptionsOnScreen shows the live text on the room screen;
	// CaptionsInMinutes puts it in the minutes.
	CaptionsOnScreen  bool      `json:"captionsOnScreen"`
	CaptionsInMinutes bool      `json:"captionsInMinutes"`
	Dots              int       `json:"dots"`
	MultiDot          bool      `json:"multiDot"`
	Locked            bool      `json:"locked"`
	Closed            bool      `json:"closed"`
	Created           time.Time `json:"created"`
}

// PeopleCount is how many participants the table has (removed ones not
// counted), in all and by sector: who is at the table.
type PeopleCount struct {
	Total    int            `json:"total"`
	BySector map[string]int `json:"bySector"`
}

// ParticipantView is a participant as others see them.
type ParticipantView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Org     string `json:"org"`
	Sector  string `json:"sector"`
	Removed bool   `json:"removed,omitempty"`
	Seq     int64  `json:"seq"` // join order
}

// IdeaView is an idea as a caller may see it.
type IdeaView struct {
	ID         string         `json:"id"`
	Item       string         `json:"item"`
	Text       string         `json:"text"`
	Author     string         `json:"author,omitempty"`
	Anonymous  bool           `json:"anonymous,omitempty"`
	Mine       bool           `json:"mine,omitempty"`
	Group      string         `json:"group,omitempty"`
	OnBehalf   string         `json:"onBehalf,omitempty"`
	Hidden     bool           `json:"hidden,omitempty"`
	Pending    bool           `json:"pending,omitempty"`
	InGroup    bool           `json:"inGroup,omitempty"`
	Private    bool           `json:"private,omitempty"`
	Origin     string         `json:"origin,omitempty"`
	Paper      bool           `json:"paper,omitempty"`
	Order      int            `json:"order,omitempty"`
	MergedInto string         `json:"mergedInto,omitempty"`
	Merged     []string       `json:"merged,omitempty"`
	Votes      int            `json:"votes,omitempty"`
	RoomDots   map[string]int `json:"roomDots,omitempty"`
	PaperDots  int            `json:"paperDots,omitempty"`
	Seq        int64          `json:"seq"`
	Created    time.Time      `json:"created"`
	Edited     *time.Time     `json:"edited,omitempty"`
}

// GroupView is a room group; facilitators also get its scribe token.
type GroupView struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Removed     bool   `json:"removed,omitempty"`
	Topic       string `json:"topic,omitempty"`
	Online      bool   `json:"online,omitempty"`
	ScribeToken string `json:"scribeToken,omitempty"` // facilitators only, room groups only
}

// ViewFor builds the caller's view of the table.
func (t *Table) ViewFor(who Who) *View {
	fac := who.Role == RoleFacilitator
	v := &View{
		Seq:   t.Seq,
		Table: t.TableView,
		Items: make([]Item, 0, len(t.Items)), Current: t.Current,
		Participants: make([]ParticipantView, 0, len(t.People)),
		Ideas:        make([]IdeaView, 0, len(t.IdeaOrder)),
		Actions:      make([]Action, 0, len(t.ActionOrder)),
		Queue:        slices.Clone(t.Queue), Floor: t.Floor,
		Groups: make([]GroupView, 0, len(t.Groups)),
	}
	v.Table.Facilitators = append([]string{}, t.Facilitators...)
	if v.Queue == nil {
		v.Queue = []Hand{}
	}
	if !t.FloorSince.IsZero() {
		fs := t.FloorSince
		v.FloorSince = &fs
	}
	revealed := map[string]bool{}
	for _, it := range t.Items {
		v.Items = append(v.Items, *it)
		revealed[it.ID] = it.Revealed
	}
	v.People = t.peopleCount()
	var named map[string]bool
	if !fac {
		named = t.publicRefs(who)
	}
	for _, id := range t.People {
		if fac || named[id] || (who.Role == RoleParticipant && id == who.ID) {
			v.Participants = append(v.Participants, *t.profile(id))
		}
	}
	for _, id := range t.IdeaOrder {
		i := t.Ideas[id]
		if i.Hidden && !fac || i.Pending && !fac && !(who.Role == RoleParticipant && i.Author == who.ID) || !t.seesIdea(who, i) {
			continue
		}
		v.Ideas = append(v.Ideas, ideaViewOf(i, who, fac || revealed[i.Item] || i.InGroup))
	}
	for _, id := range t.ActionOrder {
		v.Actions = append(v.Actions, actionViewFor(t.Actions[id], fac))
	}
	for _, g := range t.Groups {
		gv := GroupView{ID: g.ID, Name: g.Name, Removed: g.Removed, Topic: g.Topic, Online: g.Online}
		if fac && !g.Removed && !g.Online {
			gv.ScribeToken = t.ScribeToken(g.ID)
		}
		v.Groups = append(v.Groups, gv)
	}
	v.Work = t.workViews(who)
	v.FollowUps, v.FollowItem = copyFollowUps(t.FollowUps), t.FollowItem
	if len(t.Captions) > 0 {
		v.Captions = t.lastCaptions()
	}
	if fac {
		v.ScreenToken = t.ScreenToken()
		v.InterpreterToken = t.InterpreterToken()
		if len(t.UpdateLinks) > 0 {
			v.UpdateLinks = t.updateLinkViews()
		}
		if len(t.CoFacilitators) > 0 {
			v.CoFacilitators = t.coFacilitatorViews()
		}
	}
	switch who.Role {
	case RoleParticipant:
		for item, byVoter := range t.Ballots {
			for idea, n := range byVoter[who.ID] {
				v.setMine(item, idea, n)
			}
		}
	case RoleScribe:
		// Hidden ideas too: the counts come back with the idea.
		for _, id := range t.IdeaOrder {
			if i := t.Ideas[id]; i.RoomDots[who.ID] > 0 {
				v.setMine(i.Item, i.ID, i.RoomDots[who.ID])
			}
		}
	}
	return v
}

// ideaViewOf is an idea as who sees it, with its tally when tally says so.
func ideaViewOf(i *Idea, who Who, tally bool) IdeaView {
	iv := IdeaView{ID: i.ID, Item: i.Item, Text: i.Text, Author: i.Author, Anonymous: i.Anonymous, Group: i.Group,
		OnBehalf: i.OnBehalf, Hidden: i.Hidden, Pending: i.Pending, InGroup: i.InGroup, Private: i.Private, Origin: i.Origin, Paper: i.Paper,
		Order: i.Order, MergedInto: i.MergedInto, Merged: slices.Clone(i.Merged), Seq: i.Seq, Created: i.Created}
	iv.Mine = who.Role == RoleParticipant && i.Author != "" && i.Author == who.ID
	if i.Anonymous && !iv.Mine {
		iv.Author = ""
	}
	if tally {
		iv.Votes, iv.RoomDots, iv.PaperDots = i.Votes, cloneMap(i.RoomDots), i.PaperDots
	}
	if !i.Edited.IsZero() {
		e := i.Edited
		iv.Edited = &e
	}
	return iv
}

// profile is a participant as views show them.
func (t *Table) profile(id string) *ParticipantView {
	p := t.Participants[id]
	if p == nil {
		return nil
	}
	return &ParticipantView{ID: p.ID, Name: p.Name, Org: p.Org, Sector: p.Sector, Removed: p.Removed, Seq: p.Seq}
}

// publicRefs is the set of participants that views other than the
// facilitator's name: the caller's group mates, authors of ideas the caller
// sees that are not anonymous,
// proposers and owners of actions, the queue and the floor.
func (t *Table) publicRefs(who Who) map[string]bool {
	r := t.groupMates(who)
	for _, id := range t.IdeaOrder {
		if i := t.Ideas[id]; !i.Hidden && !i.Pending && !i.Anonymous && i.Author != "" && t.seesIdea(who, i) {
			r[i.Author] = true
		}
	}
	for _, id := range t.ActionOrder {
		a := t.Actions[id]
		if a.ProposedBy != "" {
			r[a.ProposedBy] = true
		}
		for _, o := range a.Owners {
			if o.Participant != "" {
				r[o.Participant] = true
			}
		}
	}
	for _, h := range t.Queue {
		r[h.Participant] = true
	}
	if t.Floor != "" {
		r[t.Floor] = true
	}
	return r
}

// peopleCount counts the participants who have not been removed.
func (t *Table) peopleCount() PeopleCount {
	c := PeopleCount{Total: t.people.Total, BySector: make(map[string]int, len(t.people.BySector))}
	for s, n := range t.people.BySector {
		c.BySector[s] = n
	}
	return c
}

func copyFollowUps(fs []*FollowUp) []FollowUp {
	out := make([]FollowUp, 0, len(fs))
	for _, f := range fs {
		c := *f
		c.Owners = append([]FollowOwner{}, f.Owners...)
		out = append(out, c)
	}
	return out
}
