package session

// Follow-up outcomes of an earlier table's action, decided at the next
// table of a series. "" means not reviewed yet.
const (
	OutcomeDone    = "done"
	OutcomeCarried = "carried"
	OutcomeDropped = "dropped"
)

// FollowUp is an earlier table's open action, brought to this table of the
// series for review: done, carried on (it becomes an action here), or dropped.
type FollowUp struct {
	Table      string        `json:"table"` // the earlier table's id
	TableTitle string        `json:"tableTitle"`
	TableDate  string        `json:"tableDate"`
	Action     string        `json:"action"` // the action's id at the earlier table
	Title      string        `json:"title"`
	Owners     []FollowOwner `json:"owners"`
	Due        string        `json:"due"`
	Status     string        `json:"status"` // its status at the earlier table
	// Update is the owner's latest report at the earlier table, if any
	// (through its update link, between the tables).
	Update  *ActionUpdate `json:"update,omitempty"`
	Outcome string        `json:"outcome"` // "", done, carried or dropped
	Note    string        `json:"note"`
	Carried string        `json:"carried"` // the action created here when carried on
}

// FollowOwner is an earlier action's owner, kept as text: the people of
// the earlier table are not participants of this one.
type FollowOwner struct {
	Name string `json:"name,omitempty"`
	Org  string `json:"org,omitempty"`
}

// Label is how the owner is named on this table's actions, as owners are
// written elsewhere: "Liisa Virtanen (Ähtärin kaupunki)".
func (o FollowOwner) Label() string {
	switch {
	case o.Name != "" && o.Org != "":
		return o.Name + " (" + o.Org + ")"
	case o.Name != "":
		return o.Name
	}
	return o.Org
}

// followUpTitle is the title of the agenda item that reviews the earlier
// table's actions, in the new table's language.
var followUpTitle = map[string][2]string{
	"fi": {"Edellisen pöydän toimenpiteiden seuranta", "Mitä edellisessä pöydässä sovituille toimenpiteille on tapahtunut?"},
	"sv": {"Uppföljning av föregående bords åtgärder", "Vad har hänt med åtgärderna som vi kom överens om vid föregående bord?"},
	"en": {"Follow-up of the previous table's actions", "What has happened to the actions agreed at the previous table?"},
}

// NewTableFrom creates the next table of a series from an earlier one. An
// empty agenda copies the earlier agenda; an empty theme the earlier theme.
// The earlier table's open actions come along for review in a follow-up
// item at the top of the agenda.
func NewTableFrom(in NewTableInput, s Secrets, prev *Table, env Env) (Event, error) {
	if len(in.Agenda) == 0 {
		for _, it := range prev.Items {
			in.Agenda = append(in.Agenda, ItemInput{Title: it.Title, Question: it.Question, Presenter: it.Presenter, Timebox: it.Timebox})
		}
	}
	if in.Theme == "" {
		in.Theme = prev.Theme
	}
	if in.Lang == "" {
		in.Lang = prev.Lang
	}
	var follow []*FollowUp
	for _, id := range prev.ActionOrder {
		a := prev.Actions[id]
		if a.Status == StatusDone {
			continue
		}
		f := &FollowUp{Table: prev.ID, TableTitle: prev.Title, TableDate: prev.Date, Action: a.ID, Title: a.Title,
			Owners: []FollowOwner{}, Due: a.Due, Status: a.Status}
		if n := len(a.Updates); n > 0 {
			u := a.Updates[n-1]
			u.Link = ""
			f.Update = &u
		}
		for _, o := range a.Owners {
			fo := FollowOwner{Org: o.Org}
			if p := prev.Participants[o.Participant]; p != nil {
				fo.Name = p.Name
			}
			f.Owners = append(f.Owners, fo)
		}
		follow = append(follow, f)
	}
	if len(follow) > 0 {
		if len(in.Agenda) >= MaxItems {
			in.Agenda = in.Agenda[:MaxItems-1]
		}
		lang := in.Lang
		if _, ok := followUpTitle[lang]; !ok {
			lang = "fi"
		}
		t := followUpTitle[lang]
		in.Agenda = append([]ItemInput{{Title: t[0], Question: t[1], Timebox: 15}}, in.Agenda...)
	}
	e, err := NewTable(in, s, env)
	if err != nil {
		return Event{}, err
	}
	d := e.Data.(*TableCreated)
	d.Series = prev.Series
	if d.Series == "" {
		d.Series = prev.ID
	}
	if len(follow) > 0 {
		d.FollowUps, d.FollowItem = follow, d.Items[0].ID
	}
	return e, nil
}

// MarkFollowUp records the review of an earlier table's action. Carrying it
// on creates an open action at this table, owned by the same people and
// organisations (named as text), once.
type MarkFollowUp struct {
	base
	Action  string `json:"action"` // the earlier action's id
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// FollowUpMarked records a review; Carried is the action created by
// carrying the earlier one on.
type FollowUpMarked struct {
	Action  string  `json:"action"`
	Outcome string  `json:"outcome"`
	Note    string  `json:"note"`
	Carried *Action `json:"carried,omitempty"`
}

func (*FollowUpMarked) eventType() string { return "followup.marked" }

func (c *MarkFollowUp) decide(t *Table, who Who, env Env) (EventData, error) {
	// Like actions, the review may be finished after the table is closed.
	if who.Role != RoleFacilitator {
		return nil, forbidden()
	}
	f := t.followUp(c.Action)
	if f == nil {
		return nil, errf(KindNotFound, CodeNoAction, "no such action to follow up")
	}
	switch c.Outcome {
	case "", OutcomeDone, OutcomeCarried, OutcomeDropped:
	default:
		return nil, errf(KindInvalid, CodeInvalidValue, "outcome must be done, carried or dropped")
	}
	note, err := cleanText("note", c.Note, MaxNotes, false, true)
	if err != nil {
		return nil, err
	}
	if c.Outcome == f.Outcome && note == f.Note {
		return nil, errf(KindInvalid, CodeNoChange, "the follow-up did not change")
	}
	d := &FollowUpMarked{Action: f.Action, Outcome: c.Outcome, Note: note}
	if c.Outcome == OutcomeCarried && f.Carried == "" {
		if len(t.Actions) >= MaxActions {
			return nil, errf(KindLimit, CodeTooMany, "the table has reached %d actions", MaxActions)
		}
		// Carried on, it keeps how far it got: an action in progress
		// stays in progress.
		status := StatusOpen
		if f.Status == StatusInProgress {
			status = StatusInProgress
		}
		a := &Action{ID: env.NewID(), Item: t.FollowItem, Title: f.Title, Ideas: []string{}, Owners: []Owner{},
			Due: f.Due, Status: status, Created: env.Now.UTC()}
		if it, _ := t.item(a.Item); it == nil {
			a.Item = ""
		}
		for _, o := range f.Owners {
			if l := o.Label(); l != "" {
				a.Owners = append(a.Owners, Owner{ID: env.NewID(), Org: truncateRunes(l, MaxOrg)})
			}
		}
		d.Carried = a
	}
	return d, nil
}

func (d *FollowUpMarked) apply(t *Table, e *Event) {
	f := t.followUp(d.Action)
	if f == nil {
		return
	}
	f.Outcome, f.Note = d.Outcome, d.Note
	if d.Carried != nil && f.Carried == "" {
		(&ActionAdded{Action: *d.Carried}).apply(t, e)
		f.Carried = d.Carried.ID
	}
}

// project: the review is public, like the actions it reviews; owners are
// carried on as text, not as participants of this table.
func (d *FollowUpMarked) project(Audience) EventData { return d }
func (*FollowUpMarked) selfActor() string            { return "" }

// fold records the review; an action carried on joins the table's actions.
func (d *FollowUpMarked) fold(v *View, seq int64, me Who) {
	for i := range v.FollowUps {
		f := &v.FollowUps[i]
		if f.Action != d.Action {
			continue
		}
		f.Outcome, f.Note = d.Outcome, d.Note
		if d.Carried != nil && f.Carried == "" {
			(&ActionAdded{Action: *d.Carried}).fold(v, seq, me)
			f.Carried = d.Carried.ID
		}
	}
}

func (t *Table) followUp(action string) *FollowUp {
	for _, f := range t.FollowUps {
		if f.Action == action {
			return f
		}
	}
	return nil
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
