package minutes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
)

// Group work in the minutes: under an item that was split into small
// groups, each group with its members, its own ideas ranked by the
// group's dots, its summary and reporter, and what it brought to the
// plenary. The ideas it brought are ideas of the item too, labelled with
// the group, like a room group's.

// GroupWork is how an item's group work was run.
type GroupWork struct {
	Placement string     `json:"placement"` // session.PlaceMixed, PlaceRandom, PlaceChoice or PlaceManual
	Private   bool       `json:"private"`   // each group's content stayed in the group until the work ended
	Dots      int        `json:"dots"`      // dots per person for the vote inside each group; 0: no group vote
	Running   bool       `json:"running"`
	Started   time.Time  `json:"started"`
	Ended     *time.Time `json:"ended"` // nil while it runs
}

// WorkGroup is one group of an item's group work.
type WorkGroup struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Topic  string `json:"topic"`
	Online bool   `json:"online"` // made for people online; false: a room group, with a scribe
	// Members are the group's members when the work ended (or now, while
	// it runs), counted as the attendance is: participants the
	// facilitator removed are left out, and with NoNames only
	// organisations and sectors are kept.
	Members  Attendance `json:"members"`
	Reporter *Author    `json:"reporter"` // nil when the group had none
	Summary  string     `json:"summary"`
	Voted    bool       `json:"voted"` // someone placed dots inside the group
	// Ideas are the group's own, ranked by the group's dots, ties in the
	// order they were added; with IncludeHidden the hidden ones follow,
	// unranked.
	Ideas []Idea `json:"ideas"`
	// Picked are the ids of the group's ideas it brought to the plenary
	// (or, while the work runs, has chosen to bring), in its order.
	Picked []string `json:"picked"`
	// Reported are the ids of the ideas of the item that the report-back
	// made of this group's picks or, when it picked none, of its summary.
	Reported []string `json:"reported"`
}

// buildGroups adds an item's group work to it, if it had one.
func buildGroups(t *session.Table, mi *Item, groups map[string]string, lang string, opt Options) {
	var w *session.GroupWork
	for _, x := range t.Works {
		if x.Item == mi.ID {
			w = x
		}
	}
	if w == nil {
		return
	}
	mi.GroupWork = &GroupWork{Placement: w.Placement, Private: w.Private, Dots: w.Dots, Running: w.Running, Started: w.Started}
	if !w.Running {
		ended := w.Ended
		mi.GroupWork.Ended = &ended
	}
	shown := map[string]bool{}
	var mark func(is []Idea)
	mark = func(is []Idea) {
		for _, i := range is {
			shown[i.ID] = true
			mark(i.Merged)
		}
	}
	mark(mi.Ideas)
	for _, g := range w.Groups {
		mi.Groups = append(mi.Groups, buildGroup(t, w, g, mi, groups, shown, lang, opt))
	}
}

func buildGroup(t *session.Table, w *session.GroupWork, g string, mi *Item, groups map[string]string,
	shown map[string]bool, lang string, opt Options) WorkGroup {
	wg := WorkGroup{ID: g, Name: groups[g], Ideas: []Idea{}, Picked: []string{}, Reported: []string{}}
	for _, gr := range t.Groups {
		if gr.ID == g {
			wg.Topic, wg.Online = gr.Topic, gr.Online
		}
	}
	wg.Members = attendance(t, lang, opt.NoNames, func(id string) bool { return w.Members[id] == g })
	tm := w.Teams[g]
	if tm == nil {
		tm = &session.Team{}
	}
	if tm.Reporter != "" {
		r := &Author{ID: tm.Reporter}
		if p := t.Participants[tm.Reporter]; p != nil {
			r.Name, r.Org = p.Name, p.Org
		}
		if opt.NoNames {
			r.ID, r.Name = "", ""
		}
		wg.Reporter = r
	}
	wg.Summary = tm.Summary

	// The group's ideas, ranked as the plenary's are, by the group's dots.
	var own, hidden []*session.Idea
	for _, id := range t.IdeaOrder {
		i := t.Ideas[id]
		if i == nil || !i.InGroup || i.Item != w.Item || i.Group != g || i.MergedInto != "" || i.Pending {
			continue
		}
		if i.Hidden {
			hidden = append(hidden, i)
		} else {
			own = append(own, i)
		}
	}
	slices.SortStableFunc(own, func(a, b *session.Idea) int { return b.Total() - a.Total() })
	for rank, i := range own {
		wg.Ideas = append(wg.Ideas, buildIdea(t, i, rank+1, groups, opt))
		wg.Voted = wg.Voted || i.Total() > 0
	}
	if opt.IncludeHidden {
		for _, i := range hidden {
			wg.Ideas = append(wg.Ideas, buildIdea(t, i, 0, groups, opt))
		}
	}
	// The report-back brings the picks that are neither hidden nor
	// merged; the group's ideas are frozen after it, so these are still
	// the ones it brought.
	for _, id := range tm.Picked {
		if i := t.Ideas[id]; i != nil && !i.Hidden && i.MergedInto == "" {
			wg.Picked = append(wg.Picked, id)
		}
	}
	// The report-back's ideas are the item's ideas it made at the moment
	// the work ended, labelled with the group, without an author: made
	// of a pick (origin) or of the summary.
	if !w.Running {
		for _, id := range t.IdeaOrder {
			i := t.Ideas[id]
			if i != nil && !i.InGroup && i.Item == w.Item && i.Group == g && i.Author == "" && i.OnBehalf == "" &&
				i.Created.Equal(w.Ended) && shown[i.ID] {
				wg.Reported = append(wg.Reported, i.ID)
			}
		}
	}
	return wg
}

// pageWork is an item's group work as the human-readable formats show it.
type pageWork struct {
	Heading string // "Ryhmätyö"
	Facts   []fact
	Running string // "Ryhmätyö on vielä käynnissä." or ""
	Groups  []pageGroup
}

// pageGroup is one group: its facts (topic, place, members, sectors,
// reporter), its summary, its ideas and what it brought to the plenary.
type pageGroup struct {
	Heading        string
	Facts          []fact
	SummaryHeading string
	Summary        string
	ideaList
	BroughtHeading string
	Brought        []string // the texts of the ideas it brought, in its order
	SummaryBrought string   // said when it brought its summary instead
}

func newPageWork(l *labels, it Item, color func(string) int) *pageWork {
	w := it.GroupWork
	if w == nil {
		return nil
	}
	pw := &pageWork{Heading: l.GroupWork}
	pw.Facts = append(pw.Facts, fact{Label: l.Grouping, Value: l.placement(w.Placement)})
	if w.Dots > 0 {
		pw.Facts = append(pw.Facts, fact{Label: l.GroupVote, Value: fmt.Sprintf(l.Each, l.dots(w.Dots))})
	}
	if w.Running {
		pw.Running = l.WorkRunning
	}
	// The bars of all the groups are drawn to one scale, so that a
	// group's one dot does not look like another's ten.
	most := 0
	for _, g := range it.Groups {
		pg := newPageGroup(l, g, w.Running, color)
		most = max(most, pg.Max)
		pw.Groups = append(pw.Groups, pg)
	}
	for n := range pw.Groups {
		pw.Groups[n].Max = most
	}
	return pw
}

func newPageGroup(l *labels, g WorkGroup, running bool, color func(string) int) pageGroup {
	pg := pageGroup{Heading: g.Name, SummaryHeading: l.Summary, Summary: g.Summary, BroughtHeading: l.Brought,
		ideaList: newIdeaList(l, g.Ideas, g.Voted, true, color)}
	if g.Topic != "" {
		pg.Facts = append(pg.Facts, fact{Label: l.Topic, Value: g.Topic})
	}
	where := strings.ToLower(l.Online)
	if !g.Online {
		where = l.InRoom
	}
	pg.Facts = append(pg.Facts, fact{Label: l.Place, Value: where})
	m := g.Members
	if m.Total > 0 {
		if len(m.People) > 0 {
			var names []string
			for _, p := range m.People {
				if p.Org != "" {
					names = append(names, p.Name+" ("+p.Org+")")
				} else {
					names = append(names, p.Name)
				}
			}
			pg.Facts = append(pg.Facts, fact{Label: l.Members, Value: strings.Join(names, ", ")})
		} else {
			pg.Facts = append(pg.Facts, fact{Label: l.MemberCount, Value: strconv.Itoa(m.Total)})
			var orgs []string
			for _, o := range m.ByOrg {
				name := o.Org
				if name == "" {
					name = lowerFirst(l.NoOrg)
				}
				if o.Count > 1 {
					name += " (" + strconv.Itoa(o.Count) + ")"
				}
				orgs = append(orgs, name)
			}
			pg.Facts = append(pg.Facts, fact{Label: l.Orgs, Value: strings.Join(orgs, ", ")})
		}
		var sectors []string
		for _, s := range m.BySector {
			sectors = append(sectors, lowerFirst(l.sector(s.Sector))+" ("+strconv.Itoa(s.Count)+")")
		}
		pg.Facts = append(pg.Facts, fact{Label: l.SectorsLabel, Value: strings.Join(sectors, ", ")})
	}
	if r := g.Reporter; r != nil {
		who := r.Name
		if who == "" {
			who = r.Org
		}
		if who == "" {
			who = l.Participant
		}
		pg.Facts = append(pg.Facts, fact{Label: l.Reporter, Value: who})
	}
	texts := map[string]string{}
	for _, i := range g.Ideas {
		texts[i.ID] = i.Text
	}
	for _, id := range g.Picked {
		if s, ok := texts[id]; ok {
			pg.Brought = append(pg.Brought, s)
		}
	}
	if running {
		pg.BroughtHeading = l.Picking
	}
	if len(g.Picked) == 0 && g.Summary != "" && !running {
		pg.SummaryBrought = l.SummaryBrought
	}
	return pg
}

// withoutGroup is an idea, and the ideas merged into it, without the
// group it came from: for the ideas listed under their own group.
func withoutGroup(i Idea) Idea {
	i.Group = nil
	if len(i.Merged) > 0 {
		m := make([]Idea, len(i.Merged))
		for n, c := range i.Merged {
			m[n] = withoutGroup(c)
		}
		i.Merged = m
	}
	return i
}

// lowerFirst lowers the first letter, for a label inside a sentence or a
// list: "Kunta" becomes "kunta".
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
