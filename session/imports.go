package session

import (
	"fmt"
	"strings"
)

// Ideas from paper. People without a device write their ideas on the
// paper form (or send them by e-mail); a facilitator imports them into an
// item, all at once, each marked as from paper, with the name or
// organisation written on it, its room group and the dots counted on it.
// The rows are checked first and listed with their problems; one bad row
// keeps them all out.

// ImportRow is one idea to import.
type ImportRow struct {
	Text     string `json:"text"`
	OnBehalf string `json:"onBehalf"` // name or organisation on the form
	Group    string `json:"group"`    // a room group's id, as a label
	Dots     int    `json:"dots"`     // dots counted for it on paper
}

// ImportProblem is why a row cannot be imported: its index in the rows
// (from 0) and what is wrong.
type ImportProblem struct {
	Row  int    `json:"row"`
	Code string `json:"code"`
	What string `json:"message"`
}

// MaxImportRows is how many ideas one import brings.
const MaxImportRows = 500

// ImportIdeas imports ideas into an item.
type ImportIdeas struct {
	base
	Item string      `json:"item"`
	Rows []ImportRow `json:"rows"`
}

// IdeasImported records imported ideas: whole, with their room dots.
type IdeasImported struct {
	Item     string `json:"item"`
	Ideas    []Idea `json:"ideas"`
	Cast     int    `json:"cast"`               // all dots on the item after the import
	Revealed bool   `json:"revealed,omitempty"` // the item's results were visible
}

func (*IdeasImported) eventType() string { return "ideas.imported" }

// CheckImport checks rows to import into an item and lists every problem:
// nothing is imported while there is one.
func (t *Table) CheckImport(item string, rows []ImportRow) ([]ImportRow, []ImportProblem) {
	var problems []ImportProblem
	clean := make([]ImportRow, 0, len(rows))
	add := func(row int, err error) {
		e := AsError(err)
		problems = append(problems, ImportProblem{Row: row, Code: e.Code, What: e.Message})
	}
	if _, err := t.itemFor(item); err != nil {
		add(-1, err)
	}
	if len(rows) == 0 {
		add(-1, errf(KindInvalid, CodeMissingField, "no ideas to import"))
	}
	if len(rows) > MaxImportRows {
		add(-1, errf(KindLimit, CodeTooMany, "at most %d ideas at a time", MaxImportRows))
	}
	if len(t.Ideas)+len(rows) > MaxIdeas {
		add(-1, errf(KindLimit, CodeTooMany, "the table would have more than %d ideas", MaxIdeas))
	}
	for k, r := range rows {
		var err error
		c := ImportRow{Dots: r.Dots}
		if c.Text, err = cleanText("text", r.Text, MaxIdea, true, true); err != nil {
			add(k, err)
			continue
		}
		if c.OnBehalf, err = cleanText("name", r.OnBehalf, MaxName, false, false); err != nil {
			add(k, err)
			continue
		}
		if r.Group != "" {
			g := t.group(r.Group)
			if g == nil || g.Removed {
				add(k, errf(KindNotFound, CodeNoGroup, "no room group %q", truncate(r.Group, 40)))
				continue
			}
			c.Group = g.ID
		}
		if err := checkRange("dots", r.Dots, 0, MaxRoomDots); err != nil {
			add(k, err)
			continue
		}
		clean = append(clean, c)
	}
	return clean, problems
}

func (c *ImportIdeas) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	rows, problems := t.CheckImport(it.ID, c.Rows)
	if len(problems) > 0 {
		p := problems[0]
		where := ""
		if p.Row >= 0 {
			where = fmt.Sprintf("row %d: ", p.Row+1)
		}
		return nil, &Error{Kind: KindInvalid, Code: p.Code, Message: where + p.What}
	}
	d := &IdeasImported{Item: it.ID, Ideas: make([]Idea, 0, len(rows)), Cast: it.Cast, Revealed: it.Revealed}
	now := env.Now.UTC()
	for k, r := range rows {
		i := Idea{ID: env.NewID(), Item: it.ID, Text: r.Text, OnBehalf: r.OnBehalf, Group: r.Group, Paper: true, Order: k, Created: now}
		i.PaperDots = r.Dots
		d.Cast += r.Dots
		d.Ideas = append(d.Ideas, i)
	}
	return d, nil
}

func (d *IdeasImported) apply(t *Table, e *Event) {
	for _, i := range d.Ideas {
		if _, ok := t.Ideas[i.ID]; ok {
			continue
		}
		c := i
		c.Seq = e.Seq
		t.Ideas[c.ID] = &c
		t.IdeaOrder = append(t.IdeaOrder, c.ID)
	}
	if it, _ := t.item(d.Item); it != nil {
		it.Cast = d.Cast
	}
}

// project: the dots counted on paper, like everyone's before the reveal,
// only for facilitators.
func (d *IdeasImported) project(aud Audience) EventData {
	if aud == AudienceFacilitator || d.Revealed {
		return d
	}
	c := *d
	c.Ideas = make([]Idea, len(d.Ideas))
	for k, i := range d.Ideas {
		i.PaperDots = 0
		c.Ideas[k] = i
	}
	return &c
}

// selfActor: the ideas are nobody's at the table.
func (*IdeasImported) selfActor() string { return "" }

func (d *IdeasImported) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Cast = d.Cast
	}
	tally := v.seesTally(d.Item, me.Role == RoleFacilitator)
	for _, i := range d.Ideas {
		if v.idea(i.ID) != nil {
			continue
		}
		c := i
		c.Seq = seq
		v.insertIdea(ideaViewOf(&c, me, tally))
	}
}

// importNames are the column names an import's header row may use, in
// the three languages, for each field.
var importNames = map[string][]string{
	"text":  {"text", "idea", "teksti", "idea/teksti", "ajatus", "ehdotus", "idé", "förslag", "idea text"},
	"who":   {"name", "nimi", "namn", "organisation", "organization", "organisaatio", "org", "who", "kuka", "vem", "nimi tai organisaatio", "namn eller organisation", "name or organisation"},
	"group": {"group", "ryhmä", "grupp", "pöytä", "table", "bord", "room group", "salin ryhmä"},
	"dots":  {"dots", "pisteet", "poäng", "votes", "äänet", "röster", "points", "pistettä"},
}

// ImportColumn says which field a header cell names ("text", "who",
// "group", "dots"), or "" for none.
func ImportColumn(header string) string {
	h := strings.ToLower(strings.TrimSpace(header))
	for field, names := range importNames {
		for _, n := range names {
			if h == n {
				return field
			}
		}
	}
	return ""
}
