package session

import (
	"slices"
	"time"
)

// Join is a guest joining with the join code. The caller has the
// participant's token (made by the server, or by the browser so that a
// lost answer can be retried) and passes only its hash. A token that
// already belongs to a participant of the table is refused with
// CodeAlreadyJoined and no event.
type Join struct {
	base
	Name      string `json:"name"`
	Org       string `json:"org"`
	Sector    string `json:"sector"`
	TokenHash string `json:"-"`
}

// ParticipantJoined records a new participant. TokenHash never leaves the server.
type ParticipantJoined struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Org       string    `json:"org"`
	Sector    string    `json:"sector"`
	TokenHash string    `json:"tokenHash,omitempty"`
	Joined    time.Time `json:"joined"`
	// Group is where group work in progress places the newcomer (mixed
	// or random placement); Item is that work's item.
	Group string `json:"group,omitempty"`
	Item  string `json:"item,omitempty"`
}

func (*ParticipantJoined) eventType() string { return "participant.joined" }

func (c *Join) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleGuest {
		return nil, errf(KindForbidden, CodeForbidden, "only a guest can join")
	}
	if len(c.TokenHash) != 64 {
		return nil, errf(KindInternal, CodeInternal, "join without a token")
	}
	if t.participantByHash(c.TokenHash) != nil {
		// A retried join whose answer was lost: the caller looks the
		// participant up by the token instead (live's handleJoin), even
		// if the table has been locked since.
		return nil, errf(KindConflict, CodeAlreadyJoined, "already joined with this token")
	}
	if err := inputOpen(t); err != nil {
		return nil, err
	}
	d := &ParticipantJoined{ID: env.NewID(), TokenHash: c.TokenHash, Joined: env.Now.UTC()}
	var err error
	if d.Name, d.Org, d.Sector, err = cleanProfile(c.Name, c.Org, c.Sector); err != nil {
		return nil, err
	}
	max := env.MaxParticipants
	if max <= 0 {
		max = DefaultMaxPeople
	}
	if len(t.People) >= max {
		return nil, errf(KindLimit, CodeTableFull, "the table is full (%d participants)", max)
	}
	if w := t.running(); w != nil && (w.Placement == PlaceMixed || w.Placement == PlaceRandom) {
		d.Group, d.Item = t.placeLate(w, d.Sector), w.Item
	}
	return d, nil
}

func cleanProfile(name, org, sector string) (string, string, string, error) {
	name, err := cleanText("name", name, MaxName, true, false)
	if err != nil {
		return "", "", "", err
	}
	org, err = cleanText("org", org, MaxOrg, false, false)
	if err != nil {
		return "", "", "", err
	}
	if sector == "" {
		sector = "other"
	}
	if !validSector(sector) {
		return "", "", "", errf(KindInvalid, CodeInvalidValue, "unknown sector %q", truncate(sector, 30))
	}
	return name, org, sector, nil
}

func (d *ParticipantJoined) apply(t *Table, e *Event) {
	if _, ok := t.Participants[d.ID]; ok {
		return
	}
	t.Participants[d.ID] = &Participant{ID: d.ID, Name: d.Name, Org: d.Org, Sector: d.Sector, Joined: d.Joined, TokenHash: d.TokenHash, Seq: e.Seq}
	t.People = append(t.People, d.ID)
	t.tokens[d.TokenHash] = d.ID
	t.countPerson(d.Sector, 1)
	if w := t.workOf(d.Item); w != nil && d.Group != "" {
		w.Members[d.ID] = d.Group
	}
}

// groupsOf: the newcomer's group mates learn their name.
func (d *ParticipantJoined) groupsOf() []string {
	if d.Group == "" {
		return nil
	}
	return []string{d.Group}
}

func (d *ParticipantJoined) projectGroup(string) EventData {
	c := *d
	c.TokenHash, c.Joined = "", time.Time{}
	return &c
}

// project: the token hash never leaves the server. Others learn that
// someone joined and from which sector; the name reaches them only with
// content that names the person. Facilitators and the newcomer see the
// whole profile.
func (d *ParticipantJoined) project(aud Audience) EventData {
	c := *d
	c.TokenHash = ""
	if aud == AudiencePublic {
		c.Name, c.Org, c.Joined = "", "", time.Time{}
	}
	return &c
}

// selfActor: the newcomer learns their own profile.
func (d *ParticipantJoined) selfActor() string { return "p:" + d.ID }

// fold counts a new participant. Facilitators list everyone; others learn
// the name only when content names the person.
func (d *ParticipantJoined) fold(v *View, seq int64, me Who) {
	v.People.add(d.Sector, 1)
	w := v.work(d.Item)
	self := me.Role == RoleParticipant && me.ID == d.ID
	mate := w != nil && d.Group != "" && w.Running && w.Mine == d.Group && d.Name != ""
	if (me.Role == RoleFacilitator || self || mate) && v.participant(d.ID) == nil {
		v.insertParticipant(ParticipantView{ID: d.ID, Name: d.Name, Org: d.Org, Sector: d.Sector, Seq: seq})
	}
	if w == nil || d.Group == "" {
		return
	}
	if self {
		w.Mine = d.Group
	}
	if tv := w.team(d.Group); tv != nil {
		tv.Size++
		if w.Running && w.seesTeam(me, d.Group) && !slices.Contains(tv.Members, d.ID) {
			tv.Members = append(tv.Members, d.ID)
			slices.Sort(tv.Members)
		}
	}
}

// UpdateParticipant lets participants correct their own name, organisation and sector.
type UpdateParticipant struct {
	base
	Name   string `json:"name"`
	Org    string `json:"org"`
	Sector string `json:"sector"`
}

// ParticipantUpdated records a participant's new profile.
type ParticipantUpdated struct {
	Participant string `json:"participant"`
	Name        string `json:"name,omitempty"`
	Org         string `json:"org,omitempty"`
	Sector      string `json:"sector"`
	Group       string `json:"group,omitempty"`  // the participant's group in group work, whose members name them
	From        string `json:"from,omitempty"`   // the previous sector, when it changed
	Public      bool   `json:"public,omitempty"` // others' views name this participant
}

func (*ParticipantUpdated) eventType() string { return "participant.updated" }

func (c *UpdateParticipant) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleParticipant {
		return nil, errf(KindForbidden, CodeForbidden, "only a participant has a profile")
	}
	if t.Closed {
		return nil, errf(KindConflict, CodeClosed, "the table is closed")
	}
	name, org, sector, err := cleanProfile(c.Name, c.Org, c.Sector)
	if err != nil {
		return nil, err
	}
	p := t.Participants[who.ID]
	if p.Name == name && p.Org == org && p.Sector == sector {
		return nil, errf(KindInvalid, CodeNoChange, "nothing to change")
	}
	d := &ParticipantUpdated{Participant: who.ID, Name: name, Org: org, Sector: sector,
		Public: t.namedAnywhere(who.ID), Group: t.GroupOf(who)}
	if sector != p.Sector {
		d.From = p.Sector
	}
	return d, nil
}

func (d *ParticipantUpdated) apply(t *Table, e *Event) {
	if p := t.Participants[d.Participant]; p != nil {
		if !p.Removed && p.Sector != d.Sector {
			t.countPerson(p.Sector, -1)
			t.countPerson(d.Sector, 1)
		}
		p.Name, p.Org, p.Sector = d.Name, d.Org, d.Sector
	}
}

// project: the new name and organisation go to others only when their
// views already name the participant (Public); the sector always does, for
// the counts.
func (d *ParticipantUpdated) project(aud Audience) EventData {
	if aud == AudiencePublic && !d.Public {
		c := *d
		c.Name, c.Org = "", ""
		return &c
	}
	return d
}

// selfActor: the participant sees their own new profile.
func (d *ParticipantUpdated) selfActor() string { return "p:" + d.Participant }

// groupsOf: group mates name the participant.
func (d *ParticipantUpdated) groupsOf() []string {
	if d.Group == "" {
		return nil
	}
	return []string{d.Group}
}

func (d *ParticipantUpdated) projectGroup(string) EventData { return d }

func (d *ParticipantUpdated) fold(v *View, seq int64, me Who) {
	if d.From != "" {
		v.People.add(d.From, -1)
		v.People.add(d.Sector, 1)
	}
	if p := v.participant(d.Participant); p != nil {
		p.Name, p.Org, p.Sector = d.Name, d.Org, d.Sector
	}
}

// RemoveParticipant ends a participant's write access at once, e.g. for
// someone who is disrupting the table. What they wrote stays.
type RemoveParticipant struct {
	base
	Participant string `json:"participant"`
}

// ParticipantRemoved records a removal.
type ParticipantRemoved struct {
	Participant string `json:"participant"`
	Sector      string `json:"sector"` // so that every view can count who is at the table
	// Item and Group: the group work in progress and the group the
	// participant leaves, so that every view counts the group's size.
	Item  string `json:"item,omitempty"`
	Group string `json:"group,omitempty"`
}

func (*ParticipantRemoved) eventType() string { return "participant.removed" }

func (c *RemoveParticipant) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	p := t.Participants[c.Participant]
	if p == nil {
		return nil, errf(KindNotFound, CodeNoParticipant, "no such participant")
	}
	if p.Removed {
		return nil, errf(KindInvalid, CodeNoChange, "the participant was already removed")
	}
	d := &ParticipantRemoved{Participant: p.ID, Sector: p.Sector}
	if w := t.running(); w != nil && w.Members[p.ID] != "" {
		d.Item, d.Group = w.Item, w.Members[p.ID]
	}
	return d, nil
}

func (d *ParticipantRemoved) apply(t *Table, e *Event) {
	p := t.Participants[d.Participant]
	if p == nil {
		return
	}
	if !p.Removed {
		t.countPerson(p.Sector, -1)
	}
	p.Removed = true
	t.Queue = removeHand(t.Queue, p.ID)
	if t.Floor == p.ID {
		t.Floor, t.FloorSince = "", time.Time{}
	}
	if w := t.workOf(d.Item); w != nil && d.Group != "" {
		delete(w.Members, p.ID)
		if tm := w.Teams[d.Group]; tm != nil && tm.Reporter == p.ID {
			tm.Reporter = ""
		}
	}
}

// project: a removal names an id and a sector, which every view counts.
func (d *ParticipantRemoved) project(Audience) EventData { return d }
func (*ParticipantRemoved) selfActor() string            { return "" }

// fold marks the participant removed, lowers their hand and ends their
// turn. Their ideas, dots and actions stay.
func (d *ParticipantRemoved) fold(v *View, seq int64, me Who) {
	v.People.add(d.Sector, -1)
	if w := v.work(d.Item); w != nil {
		if tv := w.team(d.Group); tv != nil {
			tv.Size--
			tv.Members = slices.DeleteFunc(tv.Members, func(id string) bool { return id == d.Participant })
			if tv.Reporter == d.Participant {
				tv.Reporter = ""
			}
		}
		if me.Role == RoleParticipant && me.ID == d.Participant {
			v.leaveGroup(w)
		}
	}
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
