package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// A participant's own data (GDPR): what is stored about one person, and
// forgetting them. Forgetting erases their name, organisation and token
// while their ideas, dots and actions stay as anonymous contributions, so
// the table's record stays whole. The event participant.forgotten does it
// in the state; Redact does it in the events stored before it, which the
// store rewrites.

// ForgetParticipant erases a participant's name, organisation and token.
// Facilitators only, also after the table is closed.
type ForgetParticipant struct {
	base
	Participant string `json:"participant"`
}

// ParticipantForgotten records the erasure. Like a removal it names the
// sector and group work, so that every view keeps its counts.
type ParticipantForgotten struct {
	Participant string `json:"participant"`
	Sector      string `json:"sector"`
	Removed     bool   `json:"removed"` // they had been removed already
	Item        string `json:"item,omitempty"`
	Group       string `json:"group,omitempty"`
}

func (*ParticipantForgotten) eventType() string { return "participant.forgotten" }

func (c *ForgetParticipant) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	p := t.Participants[c.Participant]
	if p == nil {
		return nil, errf(KindNotFound, CodeNoParticipant, "no such participant")
	}
	if p.Forgotten {
		return nil, errf(KindInvalid, CodeNoChange, "the participant was already forgotten")
	}
	d := &ParticipantForgotten{Participant: p.ID, Sector: p.Sector, Removed: p.Removed}
	if w := t.running(); w != nil && w.Members[p.ID] != "" {
		d.Item, d.Group = w.Item, w.Members[p.ID]
	}
	return d, nil
}

func (d *ParticipantForgotten) apply(t *Table, e *Event) {
	p := t.Participants[d.Participant]
	if p == nil {
		return
	}
	if !p.Removed {
		(&ParticipantRemoved{Participant: d.Participant, Sector: d.Sector, Item: d.Item, Group: d.Group}).apply(t, e)
	}
	delete(t.tokens, p.TokenHash)
	p.Name, p.Org, p.TokenHash, p.Forgotten = "", "", "", true
}

// project: an id and a sector, which every view counts.
func (d *ParticipantForgotten) project(Audience) EventData { return d }
func (*ParticipantForgotten) selfActor() string            { return "" }

// fold removes the participant, if they were not already, and erases the
// name and organisation every view may hold.
func (d *ParticipantForgotten) fold(v *View, seq int64, me Who) {
	if !d.Removed {
		(&ParticipantRemoved{Participant: d.Participant, Sector: d.Sector, Item: d.Item, Group: d.Group}).fold(v, seq, me)
	}
	if p := v.participant(d.Participant); p != nil {
		p.Name, p.Org, p.Removed = "", "", true
	}
}

// Redact erases what a stored event's data says of a forgotten
// participant: the name, organisation and token hash of every JSON object
// that is about them (its "id" or "participant" is theirs). It reports
// whether anything changed. Free text that someone wrote about them (an
// idea, notes) is not theirs to erase and stays.
func Redact(data []byte, participant string) ([]byte, bool, error) {
	if participant == "" || !bytes.Contains(data, []byte(participant)) {
		return data, false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false, fmt.Errorf("session: redact: %w", err)
	}
	if !redact(v, participant) {
		return data, false, nil
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, false, fmt.Errorf("session: redact: %w", err)
	}
	return out, true, nil
}

func redact(v any, p string) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		if x["id"] == p || x["participant"] == p {
			for _, k := range []string{"name", "org", "tokenHash"} {
				if s, ok := x[k].(string); ok && s != "" {
					x[k] = ""
					changed = true
				}
			}
		}
		for _, c := range x {
			changed = redact(c, p) || changed
		}
	case []any:
		for _, c := range x {
			changed = redact(c, p) || changed
		}
	}
	return changed
}

// FindParticipant finds a participant by id or by name (ignoring case and
// spaces around it). A name that several participants share is refused
// with their ids, so that the caller can choose.
func (t *Table) FindParticipant(nameOrID string) (*Participant, error) {
	if p := t.Participants[nameOrID]; p != nil {
		return p, nil
	}
	want := strings.ToLower(strings.TrimSpace(nameOrID))
	var found []*Participant
	for _, id := range t.People {
		if p := t.Participants[id]; p != nil && p.Name != "" && strings.ToLower(p.Name) == want {
			found = append(found, p)
		}
	}
	switch len(found) {
	case 0:
		return nil, errf(KindNotFound, CodeNoParticipant, "no participant with the id or name %q", truncate(nameOrID, 60))
	case 1:
		return found[0], nil
	}
	var ids []string
	for _, p := range found {
		ids = append(ids, p.ID+" ("+p.Org+")")
	}
	return nil, errf(KindInvalid, CodeInvalidValue, "%d participants are called %q; give one of their ids: %s", len(found), nameOrID, strings.Join(ids, ", "))
}

// PersonalData is everything a table holds about one participant, for an
// access request: their profile, what they wrote, their dots, the actions
// they own or proposed, their groups, and the events they caused.
type PersonalData struct {
	Table       PersonalTable    `json:"table"`
	Participant Participant      `json:"participant"` // without the token hash
	Ideas       []PersonalIdea   `json:"ideas"`
	Votes       []PersonalVote   `json:"votes"`
	Actions     []PersonalAction `json:"actions"`
	Groups      []PersonalGroup  `json:"groups"`
	Events      []PersonalEvent  `json:"events"` // filled by whoever reads the log
}

// PersonalTable names the table the data is from.
type PersonalTable struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Date  string `json:"date"`
}

// PersonalIdea is an idea the participant wrote.
type PersonalIdea struct {
	ID        string    `json:"id"`
	Item      string    `json:"item"` // the agenda item's title
	Text      string    `json:"text"`
	Anonymous bool      `json:"anonymous"`
	Hidden    bool      `json:"hidden"`
	Created   time.Time `json:"created"`
}

// PersonalVote is the dots the participant placed on an idea.
type PersonalVote struct {
	Item string `json:"item"`
	Idea string `json:"idea"` // the idea's text
	Dots int    `json:"dots"`
}

// PersonalAction is an action the participant owns or proposed.
type PersonalAction struct {
	Title    string `json:"title"`
	Owner    bool   `json:"owner"`
	Proposed bool   `json:"proposed"`
	Due      string `json:"due"`
	Status   string `json:"status"`
}

// PersonalGroup is the participant's group in a group work.
type PersonalGroup struct {
	Item     string `json:"item"`
	Group    string `json:"group"` // its name
	Reporter bool   `json:"reporter"`
}

// PersonalEvent is an event of the log the participant caused.
type PersonalEvent struct {
	Seq  int64     `json:"seq"`
	Type string    `json:"type"`
	At   time.Time `json:"at"`
}

// PersonalDataOf collects what the table's state holds about participant
// p. Events is left empty: it is in the log, not the state.
func (t *Table) PersonalDataOf(p *Participant) PersonalData {
	c := *p
	c.TokenHash = ""
	d := PersonalData{Table: PersonalTable{ID: t.ID, Title: t.Title, Date: t.Date}, Participant: c,
		Ideas: []PersonalIdea{}, Votes: []PersonalVote{}, Actions: []PersonalAction{}, Groups: []PersonalGroup{}, Events: []PersonalEvent{}}
	itemTitle := func(id string) string {
		if it, _ := t.item(id); it != nil {
			return it.Title
		}
		return ""
	}
	for _, id := range t.IdeaOrder {
		if i := t.Ideas[id]; i != nil && i.Author == p.ID {
			d.Ideas = append(d.Ideas, PersonalIdea{ID: i.ID, Item: itemTitle(i.Item), Text: i.Text, Anonymous: i.Anonymous, Hidden: i.Hidden, Created: i.Created})
		}
	}
	for _, it := range t.Items {
		for idea, dots := range t.Ballots[it.ID][p.ID] {
			if i := t.Ideas[idea]; i != nil && dots > 0 {
				d.Votes = append(d.Votes, PersonalVote{Item: it.Title, Idea: i.Text, Dots: dots})
			}
		}
	}
	slices.SortFunc(d.Votes, func(a, b PersonalVote) int { return strings.Compare(a.Item+a.Idea, b.Item+b.Idea) })
	for _, id := range t.ActionOrder {
		a := t.Actions[id]
		owner := slices.ContainsFunc(a.Owners, func(o Owner) bool { return o.Participant == p.ID })
		if owner || a.ProposedBy == p.ID {
			d.Actions = append(d.Actions, PersonalAction{Title: a.Title, Owner: owner, Proposed: a.ProposedBy == p.ID, Due: a.Due, Status: a.Status})
		}
	}
	for _, w := range t.Works {
		if g := w.Members[p.ID]; g != "" {
			name := g
			if gr := t.group(g); gr != nil {
				name = gr.Name
			}
			d.Groups = append(d.Groups, PersonalGroup{Item: itemTitle(w.Item), Group: name, Reporter: w.Teams[g] != nil && w.Teams[g].Reporter == p.ID})
		}
	}
	return d
}
