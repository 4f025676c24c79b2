package minutes

import (
	"fmt"
	"strconv"
	"strings"
)

// page is what the human-readable formats (Markdown, HTML, DOCX) show, in
// the chosen language and already worded, but not yet escaped: each
// renderer escapes every string for its own format.
type page struct {
	L       *labels
	Lang    string
	Doc     string // what the document is: "Muistio"
	Heading string // "Muistio: <title>"
	Title   string
	Draft   string // "" when the table is closed
	Facts   []fact

	AttendanceHeading string // "" leaves the attendance out
	Total             string
	ShowNames         bool
	OrgCols           []string
	Orgs              [][]string // organisation, count, names
	SectorCols        []string
	Sectors           [][]string // sector, count

	Items []pageItem

	ActionsHeading string
	NoActions      string
	ActionCols     []string
	Actions        [][]string // what, who, due, status, item ("5. Title")

	FollowHeading string
	FollowCols    []string
	Follow        [][]string // table, action, who, due, status, note
}

// fact is one "label: value" line. A Link value is an http(s) address
// (the domain accepts no other), shown as a link.
type fact struct {
	Label string
	Value string
	Link  bool
}

type pageItem struct {
	ID           string
	Heading      string // "4. Keskustelu: järjestöystävällinen kunta"
	Facts        []fact
	NotesHeading string
	Notes        string
	Work         *pageWork // the item's group work, or nil
	ideaList
}

// ideaList is a list of ideas as the plenary or a group ranked them, and
// the hidden ones.
type ideaList struct {
	IdeasHeading string
	NoIdeas      string
	Ideas        []pageIdea
	HiddenHead   string
	HiddenIdeas  []pageIdea
	Max          int // the largest total, for bars
	Voted        bool
}

// newIdeaList words a list of ideas. plain drops the group from whom an
// idea is by, for ideas listed under their own group.
func newIdeaList(l *labels, ideas []Idea, voted, plain bool, color func(string) int) ideaList {
	x := ideaList{IdeasHeading: l.Ideas, NoIdeas: l.NoIdeas, HiddenHead: l.HiddenIdeas, Voted: voted}
	if voted {
		x.IdeasHeading = l.IdeasRanked
	}
	for _, i := range ideas {
		if plain {
			i = withoutGroup(i)
		}
		x.Max = max(x.Max, i.Total)
		pi := newPageIdea(l, i, voted, color)
		if i.Hidden {
			x.HiddenIdeas = append(x.HiddenIdeas, pi)
		} else {
			x.Ideas = append(x.Ideas, pi)
		}
	}
	return x
}

type pageIdea struct {
	Rank     int
	Text     string
	Points   string // "12 pistettä"; "" when the item had no vote
	Total    int
	By       string    // author, "for" name, group: "Matti Meikäläinen, Ähtärin Urheilijat ry"
	Segments []segment // where the dots came from, when room groups recorded some
	Meta     string    // By and the segments in one line
	Hidden   string    // "piilotettu" or ""
	Merged   []pageIdea
	MergedAs string // "Yhdistetty tähän" on merged ideas
}

// segment is one source of an idea's dots: the participants, or a room group.
type segment struct {
	Label string // "osallistujat", "Sali, pöytä 2"
	Dots  int
	Text  string // "7 pistettä: Sali, pöytä 2"
	Group bool
	Color int // 0 for the participants, 1… for room groups in order, for bars and legends
}

// colors is how many segment colours the HTML styles define.
const colors = 6

func newPage(m *Minutes) *page {
	l := labelsFor(m.Lang)
	p := &page{L: l, Lang: m.Lang, Doc: l.Doc, Title: m.Table.Title, Heading: l.Doc + ": " + m.Table.Title}
	if !m.Table.Closed {
		p.Draft = l.Draft
	}
	h := m.Table
	if h.Theme != "" {
		p.Facts = append(p.Facts, fact{Label: l.Theme, Value: h.Theme})
	}
	if w := l.when(h); w != "" {
		p.Facts = append(p.Facts, fact{Label: l.Time, Value: w})
	}
	if h.Room != "" {
		p.Facts = append(p.Facts, fact{Label: l.Place, Value: h.Room})
	}
	if h.Link != "" {
		p.Facts = append(p.Facts, fact{Label: l.Online, Value: h.Link, Link: true})
	}
	if n := len(h.Facilitators); n > 0 {
		lab := l.Facilitator
		if n > 1 {
			lab = l.Facilitators
		}
		p.Facts = append(p.Facts, fact{Label: lab, Value: strings.Join(h.Facilitators, ", ")})
	}

	a := m.Attendance
	p.AttendanceHeading = l.Attendance
	p.Total = fmt.Sprintf(l.Total, a.Total)
	p.ShowNames = !m.NoNames
	p.OrgCols = []string{l.Org, l.Count}
	if p.ShowNames {
		p.OrgCols = append(p.OrgCols, l.Names)
	}
	for _, o := range a.ByOrg {
		name := o.Org
		if name == "" {
			name = l.NoOrg
		}
		row := []string{name, strconv.Itoa(o.Count)}
		if p.ShowNames {
			row = append(row, strings.Join(o.Names, ", "))
		}
		p.Orgs = append(p.Orgs, row)
	}
	p.SectorCols = []string{l.Sector, l.Count}
	for _, s := range a.BySector {
		p.Sectors = append(p.Sectors, []string{l.sector(s.Sector), strconv.Itoa(s.Count)})
	}

	// Each room group keeps one colour throughout the minutes.
	seen := map[string]int{}
	color := func(group string) int {
		if _, ok := seen[group]; !ok {
			seen[group] = len(seen)
		}
		return 1 + seen[group]%(colors-1)
	}
	for _, it := range m.Items {
		p.Items = append(p.Items, newPageItem(l, it, color))
	}

	p.ActionsHeading = l.Actions
	p.NoActions = l.NoActions
	p.ActionCols = []string{l.What, l.Who, l.Due, l.Status, l.ItemCol}
	for _, ac := range m.Actions {
		item := ""
		if ac.ItemNumber > 0 {
			// A no-break space keeps the number on the title's first line.
			item = strconv.Itoa(ac.ItemNumber) + ".\u00A0" + ac.ItemTitle
		}
		p.Actions = append(p.Actions, []string{ac.Title, owners(l, ac.Owners), l.date(ac.Due), l.status(ac.Status), item})
	}

	if len(m.FollowUp) > 0 {
		p.FollowHeading = l.FollowUp
		p.FollowCols = []string{l.FollowTable, l.What, l.Who, l.Due, l.Status, l.FollowNote}
		for _, f := range m.FollowUp {
			tbl := f.TableTitle
			if f.TableDate != "" {
				tbl += " (" + l.date(f.TableDate) + ")"
			}
			p.Follow = append(p.Follow, []string{tbl, f.Title, owners(l, f.Owners), l.date(f.Due), l.follow(f.Status), f.Note})
		}
	}
	return p
}

func newPageItem(l *labels, it Item, color func(string) int) pageItem {
	pi := pageItem{ID: it.ID, Heading: strconv.Itoa(it.Number) + ". " + it.Title,
		NotesHeading: l.Notes, Notes: it.Notes, ideaList: newIdeaList(l, it.Ideas, it.Voted, false, color)}
	if it.Question != "" {
		pi.Facts = append(pi.Facts, fact{Label: l.Question, Value: it.Question})
	}
	if it.Presenter != "" {
		pi.Facts = append(pi.Facts, fact{Label: l.Presenter, Value: it.Presenter})
	}
	pi.Work = newPageWork(l, it, color)
	return pi
}

// HasIdeas reports whether the list has any idea, hidden ones included.
func (x ideaList) HasIdeas() bool { return len(x.Ideas) > 0 || len(x.HiddenIdeas) > 0 }

func newPageIdea(l *labels, i Idea, voted bool, color func(string) int) pageIdea {
	x := pageIdea{Rank: i.Rank, Text: i.Text, Total: i.Total, By: ideaBy(l, i)}
	if voted && i.Rank > 0 || voted && i.Hidden {
		x.Points = l.dots(i.Total)
	}
	if i.Hidden {
		x.Hidden = l.Hidden
	}
	if len(i.RoomDots) > 0 {
		if i.Votes > 0 {
			x.Segments = append(x.Segments, segment{Label: l.Participants, Dots: i.Votes, Text: l.dots(i.Votes) + ": " + l.Participants})
		}
		for _, g := range i.RoomDots {
			x.Segments = append(x.Segments, segment{Label: g.Name, Dots: g.Dots, Text: l.dots(g.Dots) + ": " + g.Name,
				Group: true, Color: color(g.Group)})
		}
	} else if i.Votes > 0 {
		x.Segments = []segment{{Label: l.Participants, Dots: i.Votes}}
	}
	var meta []string
	if x.By != "" {
		meta = append(meta, x.By)
	}
	if len(i.RoomDots) > 0 {
		for _, s := range x.Segments {
			meta = append(meta, s.Text)
		}
	}
	x.Meta = strings.Join(meta, " · ")
	for _, c := range i.Merged {
		mc := newPageIdea(l, c, false, color)
		mc.MergedAs = l.Merged
		x.Merged = append(x.Merged, mc)
	}
	return x
}

// ideaBy says who an idea is from: the author (by organisation only when
// names are left out), the name it was entered for, and the group.
// Anonymous ideas say nothing.
func ideaBy(l *labels, i Idea) string {
	parts := []string{ideaAuthor(i)}
	if i.Group != nil && i.Group.Name != "" {
		parts = append(parts, l.group(i.Group.Name))
	}
	return joinNonEmpty(parts, " · ")
}

// ideaAuthor is ideaBy without the group.
func ideaAuthor(i Idea) string {
	var parts []string
	if a := i.Author; a != nil {
		parts = append(parts, person(a.Name, a.Org))
	}
	return joinNonEmpty(append(parts, i.OnBehalf), " · ")
}

func joinNonEmpty(parts []string, sep string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// person is "Name, Organisation", or whichever of the two is known.
func person(name, org string) string {
	switch {
	case name != "" && org != "":
		return name + ", " + org
	case name != "":
		return name
	}
	return org
}

// owners lists an action's owners: participants by name and organisation,
// organisations by name; a participant without name or organisation (with
// NoNames) as "participant".
func owners(l *labels, os []Owner) string {
	var out []string
	for _, o := range os {
		switch {
		case o.Kind == OwnerParticipant && o.Name != "" && o.Org != "":
			out = append(out, o.Name+" ("+o.Org+")")
		case o.Kind == OwnerParticipant && o.Name != "":
			out = append(out, o.Name)
		case o.Org != "":
			out = append(out, o.Org)
		default:
			out = append(out, l.Participant)
		}
	}
	return strings.Join(out, "; ")
}
