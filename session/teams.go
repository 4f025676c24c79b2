package session

import (
	"slices"
)

// Inside group work: moving people between groups, and what a group does
// besides its ideas: its reporter, summary, picks for the plenary, help
// call and video room. Each of these events but the move is the group's
// own: in a private work only its members, its scribe and the
// facilitators get it (grouped), everyone else nothing.

// MoveToGroup places a participant in a group of the running group work,
// or takes them out of every group (Group ""). A facilitator moves anyone;
// with placement "choice" a participant chooses their own group.
type MoveToGroup struct {
	base
	Participant string `json:"participant"`
	Group       string `json:"group"`
}

// GroupMoved records a participant placed in another group. Content is
// for the one moved: what their new group has made so far.
type GroupMoved struct {
	Item        string           `json:"item"`
	Participant string           `json:"participant"`
	From        string           `json:"from,omitempty"`
	To          string           `json:"to,omitempty"`
	Private     bool             `json:"private,omitempty"`
	Profile     *ParticipantView `json:"profile,omitempty"` // the one moved, for their new group
	Content     *TeamContent     `json:"content,omitempty"` // for the one moved
}

// TeamContent is a group's state, for someone who joins it.
type TeamContent struct {
	Team    Team              `json:"team"`
	Members []ParticipantView `json:"members"`
	Ideas   []Idea            `json:"ideas"`
	Authors []ParticipantView `json:"authors,omitempty"` // of those ideas, who are not members
}

func (*GroupMoved) eventType() string { return "group.moved" }

func (c *MoveToGroup) decide(t *Table, who Who, env Env) (EventData, error) {
	w := t.running()
	switch who.Role {
	case RoleFacilitator:
		if err := facilitatorWrites(t, who); err != nil {
			return nil, err
		}
	case RoleParticipant:
		if err := inputOpen(t); err != nil {
			return nil, err
		}
		if c.Participant != "" && c.Participant != who.ID {
			return nil, errf(KindForbidden, CodeForbidden, "you can only choose your own group")
		}
		c.Participant = who.ID
		if w != nil && w.Placement != PlaceChoice {
			return nil, errf(KindForbidden, CodeForbidden, "the facilitator places people in this group work")
		}
	default:
		return nil, forbidden()
	}
	if w == nil {
		return nil, errf(KindConflict, CodeGroupWork, "no group work is running")
	}
	p := t.Participants[c.Participant]
	if p == nil || p.Removed {
		return nil, errf(KindNotFound, CodeNoParticipant, "no such participant")
	}
	if c.Group != "" && !slices.Contains(w.Groups, c.Group) {
		return nil, errf(KindNotFound, CodeNoGroup, "no such group in this group work")
	}
	from := w.Members[p.ID]
	if from == c.Group {
		return nil, errf(KindInvalid, CodeNoChange, "already in that group")
	}
	d := &GroupMoved{Item: w.Item, Participant: p.ID, From: from, To: c.Group, Private: w.Private, Profile: t.profile(p.ID)}
	if c.Group != "" {
		d.Content = t.teamContent(w, c.Group, Who{Role: RoleParticipant, ID: p.ID})
	}
	return d, nil
}

// teamContent is a group's state as a new member sees it.
func (t *Table) teamContent(w *GroupWork, g string, who Who) *TeamContent {
	tm := w.Teams[g]
	c := &TeamContent{Team: *tm, Members: []ParticipantView{}, Ideas: []Idea{}}
	c.Team.Picked = slices.Clone(tm.Picked)
	for _, id := range t.People {
		if w.Members[id] == g && id != who.ID {
			c.Members = append(c.Members, *t.profile(id))
		}
	}
	for _, id := range t.IdeaOrder {
		i := t.Ideas[id]
		if i.Item == w.Item && i.InGroup && i.Private && i.Group == g && !i.Hidden {
			ci := *i
			ci.Merged, ci.RoomDots = slices.Clone(i.Merged), cloneMap(i.RoomDots)
			if ci.Anonymous && ci.Author != who.ID {
				ci.Author = ""
			}
			c.Ideas = append(c.Ideas, ci)
			if ci.Author != "" && w.Members[ci.Author] != g && ci.Author != who.ID &&
				!slices.ContainsFunc(c.Authors, func(p ParticipantView) bool { return p.ID == ci.Author }) {
				c.Authors = append(c.Authors, *t.profile(ci.Author))
			}
		}
	}
	return c
}

func (d *GroupMoved) apply(t *Table, e *Event) {
	w := t.workOf(d.Item)
	if w == nil {
		return
	}
	if d.To == "" {
		delete(w.Members, d.Participant)
	} else {
		w.Members[d.Participant] = d.To
	}
	if tm := w.Teams[d.From]; tm != nil && tm.Reporter == d.Participant {
		tm.Reporter = ""
	}
}

// groupsOf: the new group's members learn who joined them, by name.
func (d *GroupMoved) groupsOf() []string {
	if d.To == "" {
		return nil
	}
	return []string{d.To}
}

func (d *GroupMoved) projectGroup(string) EventData {
	c := *d
	c.Content = nil
	return &c
}

// project: the one moved gets their new group's content; facilitators
// the move with the name; everyone else, ids (groups' sizes are
// everyone's).
func (d *GroupMoved) project(aud Audience) EventData {
	switch aud {
	case AudienceSelf:
		return d
	case AudienceFacilitator:
		c := *d
		c.Content = nil
		return &c
	}
	c := *d
	c.Content, c.Profile = nil, nil
	return &c
}

func (d *GroupMoved) selfActor() string { return "p:" + d.Participant }

func (d *GroupMoved) fold(v *View, seq int64, me Who) {
	w := v.work(d.Item)
	if w == nil {
		return
	}
	if tv := w.team(d.From); tv != nil {
		tv.Size--
		if i := slices.Index(tv.Members, d.Participant); i >= 0 {
			tv.Members = slices.Delete(tv.Members, i, i+1)
		}
		if tv.Reporter == d.Participant {
			tv.Reporter = ""
		}
	}
	if tv := w.team(d.To); tv != nil {
		tv.Size++
		if w.seesTeam(me, d.To) && !slices.Contains(tv.Members, d.Participant) {
			tv.Members = append(tv.Members, d.Participant)
			slices.Sort(tv.Members)
		}
	}
	if me.Role != RoleParticipant || me.ID != d.Participant {
		return
	}
	// The one moved: their old group's private content goes, the new one's comes.
	v.leaveGroup(w)
	w.Mine = d.To
	tv := w.team(d.To)
	if tv == nil || d.Content == nil {
		return
	}
	c := d.Content
	tv.Members = []string{d.Participant}
	for _, p := range c.Members {
		tv.Members = append(tv.Members, p.ID)
	}
	slices.Sort(tv.Members)
	tv.Reporter, tv.Summary, tv.Picked, tv.Help, tv.Video = c.Team.Reporter, c.Team.Summary, slices.Clone(c.Team.Picked), c.Team.Help, c.Team.Video
	for _, i := range c.Ideas {
		if v.idea(i.ID) == nil {
			v.insertIdea(ideaViewOf(&i, me, true))
		}
	}
}

// leaveGroup takes the caller out of their group in a work: in a private
// work, the group's content leaves their view.
func (v *View) leaveGroup(w *WorkView) {
	old := w.Mine
	w.Mine = ""
	if !w.Private || old == "" {
		return
	}
	if tv := w.team(old); tv != nil {
		*tv = TeamView{Group: old, Size: tv.Size}
	}
	v.Ideas = slices.DeleteFunc(v.Ideas, func(i IdeaView) bool { return i.InGroup && i.Private && i.Group == old && i.Item == w.Item })
}

// profiles: the one moved is named for their new group; the one moved
// learns their group mates' names.
func (d *GroupMoved) profiles() []ParticipantView {
	out := profileList(d.Profile)
	if d.Content != nil {
		out = append(out, d.Content.Members...)
		out = append(out, d.Content.Authors...)
	}
	return out
}

// teamFor finds the group a team command is about: a facilitator names
// it; a member acts for their own group.
func (t *Table) teamFor(who Who, group string) (*GroupWork, *Team, string, error) {
	w := t.running()
	if w == nil {
		return nil, nil, "", errf(KindConflict, CodeGroupWork, "no group work is running")
	}
	switch who.Role {
	case RoleFacilitator:
		if t.Closed {
			return nil, nil, "", errf(KindConflict, CodeClosed, "the table is closed")
		}
	case RoleParticipant, RoleScribe:
		if err := inputOpen(t); err != nil {
			return nil, nil, "", err
		}
		mine := w.mineIn(who)
		if mine == "" {
			return nil, nil, "", errf(KindForbidden, CodeNotInGroup, "you are not in a group")
		}
		if group != "" && group != mine {
			return nil, nil, "", errf(KindForbidden, CodeNotInGroup, "you are not in that group")
		}
		group = mine
	default:
		return nil, nil, "", forbidden()
	}
	tm := w.Teams[group]
	if tm == nil {
		return nil, nil, "", errf(KindNotFound, CodeNoGroup, "no such group in this group work")
	}
	return w, tm, group, nil
}

// teamEvent is what the events about one group share: which group, and
// whether its work is private, which decides who gets them.
type teamEvent struct {
	Item    string `json:"item"`
	Group   string `json:"group"`
	Private bool   `json:"private,omitempty"`
}

// groupsOf: the group's members get it.
func (d *teamEvent) groupsOf() []string { return []string{d.Group} }

// team is the view's team the event is about, if the caller sees it.
func (d *teamEvent) team(v *View, me Who) *TeamView {
	w := v.work(d.Item)
	if w == nil || !w.seesTeam(me, d.Group) {
		return nil
	}
	return w.team(d.Group)
}

// SetReporter chooses a group's reporter: a facilitator for any group, a
// member for their own; the reporter must be a member ("" for none).
type SetReporter struct {
	base
	Group       string `json:"group"`
	Participant string `json:"participant"`
}

// ReporterSet records a group's reporter.
type ReporterSet struct {
	teamEvent
	Participant string `json:"participant"`
}

func (*ReporterSet) eventType() string { return "group.reporter" }

func (c *SetReporter) decide(t *Table, who Who, env Env) (EventData, error) {
	w, tm, g, err := t.teamFor(who, c.Group)
	if err != nil {
		return nil, err
	}
	if c.Participant != "" && w.Members[c.Participant] != g {
		return nil, errf(KindForbidden, CodeNotInGroup, "the reporter must be a member of the group")
	}
	if tm.Reporter == c.Participant {
		return nil, errf(KindInvalid, CodeNoChange, "already so")
	}
	return &ReporterSet{teamEvent{w.Item, g, w.Private}, c.Participant}, nil
}

func (d *ReporterSet) apply(t *Table, e *Event) {
	if w := t.workOf(d.Item); w != nil && w.Teams[d.Group] != nil {
		w.Teams[d.Group].Reporter = d.Participant
	}
}

// project: nothing of a private work's group for anyone outside it.
func (d *ReporterSet) project(aud Audience) EventData { return teamShape(d, d.Private, aud) }
func (d *ReporterSet) projectGroup(string) EventData  { return d }
func (*ReporterSet) selfActor() string                { return "" }
func (d *ReporterSet) fold(v *View, seq int64, me Who) {
	if tv := d.team(v, me); tv != nil {
		tv.Reporter = d.Participant
	}
}

// teamShape is a group's own event as an audience outside the group gets
// it: facilitators whole, the others nothing in a private work.
func teamShape(d EventData, private bool, aud Audience) EventData {
	if private && aud == AudiencePublic {
		return nil
	}
	return d
}

// SetSummary writes a group's summary: its reporter or a facilitator.
type SetSummary struct {
	base
	Group   string `json:"group"`
	Summary string `json:"summary"`
}

// SummarySet records a group's summary.
type SummarySet struct {
	teamEvent
	Summary string `json:"summary"`
}

func (*SummarySet) eventType() string { return "group.summary" }

func (c *SetSummary) decide(t *Table, who Who, env Env) (EventData, error) {
	w, tm, g, err := t.teamFor(who, c.Group)
	if err != nil {
		return nil, err
	}
	if who.Role != RoleFacilitator && (who.Role != RoleParticipant || tm.Reporter != who.ID) && who.Role != RoleScribe {
		return nil, errf(KindForbidden, CodeNotReporter, "only the group's reporter writes its summary")
	}
	text, err := cleanText("summary", c.Summary, MaxSummary, false, true)
	if err != nil {
		return nil, err
	}
	if text == tm.Summary {
		return nil, errf(KindInvalid, CodeNoChange, "the summary did not change")
	}
	return &SummarySet{teamEvent{w.Item, g, w.Private}, text}, nil
}

func (d *SummarySet) apply(t *Table, e *Event) {
	if w := t.workOf(d.Item); w != nil && w.Teams[d.Group] != nil {
		w.Teams[d.Group].Summary = d.Summary
	}
}

func (d *SummarySet) project(aud Audience) EventData { return teamShape(d, d.Private, aud) }
func (d *SummarySet) projectGroup(string) EventData  { return d }
func (*SummarySet) selfActor() string                { return "" }
func (d *SummarySet) fold(v *View, seq int64, me Who) {
	if tv := d.team(v, me); tv != nil {
		tv.Summary = d.Summary
	}
}

// PickIdea marks one of a group's ideas for the plenary, or takes the mark
// back: its reporter or a facilitator.
type PickIdea struct {
	base
	Idea   string `json:"idea"`
	Picked bool   `json:"picked"`
}

// IdeaPicked records a pick.
type IdeaPicked struct {
	teamEvent
	Idea   string `json:"idea"`
	Picked bool   `json:"picked"`
}

func (*IdeaPicked) eventType() string { return "group.picked" }

func (c *PickIdea) decide(t *Table, who Who, env Env) (EventData, error) {
	i, err := t.ideaFor(c.Idea)
	if err != nil {
		return nil, err
	}
	w, tm, g, err := t.teamFor(who, i.Group)
	if err != nil {
		return nil, err
	}
	if !i.InGroup || i.Item != w.Item || i.Group != g {
		return nil, errf(KindForbidden, CodeNotInGroup, "not an idea of the group")
	}
	if who.Role == RoleParticipant && tm.Reporter != who.ID {
		return nil, errf(KindForbidden, CodeNotReporter, "only the group's reporter picks its ideas")
	}
	if i.Hidden || i.MergedInto != "" {
		return nil, errf(KindConflict, CodeIdeaHidden, "the idea is hidden or merged")
	}
	if slices.Contains(tm.Picked, i.ID) == c.Picked {
		return nil, errf(KindInvalid, CodeNoChange, "already so")
	}
	if c.Picked && len(tm.Picked) >= MaxPicked {
		return nil, errf(KindLimit, CodeTooMany, "at most %d ideas to the plenary", MaxPicked)
	}
	return &IdeaPicked{teamEvent{w.Item, g, w.Private}, i.ID, c.Picked}, nil
}

// MaxPicked is how many ideas one group brings to the plenary.
const MaxPicked = 20

func (d *IdeaPicked) apply(t *Table, e *Event) {
	w := t.workOf(d.Item)
	if w == nil || w.Teams[d.Group] == nil {
		return
	}
	tm := w.Teams[d.Group]
	tm.Picked = slices.DeleteFunc(tm.Picked, func(id string) bool { return id == d.Idea })
	if d.Picked {
		tm.Picked = append(tm.Picked, d.Idea)
	}
}

func (d *IdeaPicked) project(aud Audience) EventData { return teamShape(d, d.Private, aud) }
func (d *IdeaPicked) projectGroup(string) EventData  { return d }
func (*IdeaPicked) selfActor() string                { return "" }
func (d *IdeaPicked) fold(v *View, seq int64, me Who) {
	tv := d.team(v, me)
	if tv == nil {
		return
	}
	tv.Picked = slices.DeleteFunc(tv.Picked, func(id string) bool { return id == d.Idea })
	if d.Picked {
		tv.Picked = append(tv.Picked, d.Idea)
	}
	if len(tv.Picked) == 0 {
		tv.Picked = nil
	}
}

// CallHelp calls the facilitator to a group (a member), or answers the
// call (a member or a facilitator).
type CallHelp struct {
	base
	Group string `json:"group"`
	Help  bool   `json:"help"`
}

// HelpCalled records a call for the facilitator, or its answer.
type HelpCalled struct {
	teamEvent
	Help bool `json:"help"`
}

func (*HelpCalled) eventType() string { return "group.help" }

func (c *CallHelp) decide(t *Table, who Who, env Env) (EventData, error) {
	w, tm, g, err := t.teamFor(who, c.Group)
	if err != nil {
		return nil, err
	}
	if who.Role == RoleFacilitator && c.Help {
		return nil, errf(KindForbidden, CodeForbidden, "a group calls the facilitator, not the other way round")
	}
	if tm.Help == c.Help {
		return nil, errf(KindInvalid, CodeNoChange, "already so")
	}
	return &HelpCalled{teamEvent{w.Item, g, w.Private}, c.Help}, nil
}

func (d *HelpCalled) apply(t *Table, e *Event) {
	if w := t.workOf(d.Item); w != nil && w.Teams[d.Group] != nil {
		w.Teams[d.Group].Help = d.Help
	}
}

func (d *HelpCalled) project(aud Audience) EventData { return teamShape(d, d.Private, aud) }
func (d *HelpCalled) projectGroup(string) EventData  { return d }
func (*HelpCalled) selfActor() string                { return "" }
func (d *HelpCalled) fold(v *View, seq int64, me Who) {
	if tv := d.team(v, me); tv != nil {
		tv.Help = d.Help
	}
}

// SetVideo gives a group the link of its own video room (Pöytä hosts no
// video): a facilitator.
type SetVideo struct {
	base
	Group string `json:"group"`
	Link  string `json:"link"`
}

// VideoSet records a group's video room.
type VideoSet struct {
	teamEvent
	Link string `json:"link"`
}

func (*VideoSet) eventType() string { return "group.video" }

func (c *SetVideo) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	w, tm, g, err := t.teamFor(who, c.Group)
	if err != nil {
		return nil, err
	}
	link, err := cleanLink("link", c.Link)
	if err != nil {
		return nil, err
	}
	if link == tm.Video {
		return nil, errf(KindInvalid, CodeNoChange, "the link did not change")
	}
	return &VideoSet{teamEvent{w.Item, g, w.Private}, link}, nil
}

func (d *VideoSet) apply(t *Table, e *Event) {
	if w := t.workOf(d.Item); w != nil && w.Teams[d.Group] != nil {
		w.Teams[d.Group].Video = d.Link
	}
}

func (d *VideoSet) project(aud Audience) EventData { return teamShape(d, d.Private, aud) }
func (d *VideoSet) projectGroup(string) EventData  { return d }
func (*VideoSet) selfActor() string                { return "" }
func (d *VideoSet) fold(v *View, seq int64, me Who) {
	if tv := d.team(v, me); tv != nil {
		tv.Video = d.Link
	}
}
