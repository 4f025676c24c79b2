package followup

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// StatusDropped is the status of an action a later table of the series
// decided to drop; the tracker's other statuses are the action's own.
const StatusDropped = session.OutcomeDropped

// Row is one action of a series as the organiser's tracker lists it: what,
// who, when, how it stands, where it came from and the latest report.
type Row struct {
	Table      string   `json:"table"` // the table's id
	TableTitle string   `json:"tableTitle"`
	TableDate  string   `json:"tableDate"`
	Action     string   `json:"action"`
	Title      string   `json:"title"`
	Item       string   `json:"item"` // "2. Yhdistysten tilat", or ""
	Owners     []Person `json:"owners"`
	Due        string   `json:"due"`    // YYYY-MM-DD or ""
	Status     string   `json:"status"` // open, in_progress, done or dropped
	Overdue    bool     `json:"overdue"`
	// Update is the latest report, by an owner through the update link
	// or by a facilitator.
	Update *Update `json:"update,omitempty"`
	// CarriedFrom is the earlier table whose action this one carries on.
	CarriedFrom string `json:"carriedFrom,omitempty"`
	// Links counts the action's working update links.
	Links int `json:"links"`
	// Reports counts the reports on it; Created is when it was agreed.
	Reports int       `json:"reports"`
	Created time.Time `json:"created"`
}

// Person is an owner: a participant (with the organisation they act for)
// or an organisation.
type Person struct {
	Name string `json:"name,omitempty"`
	Org  string `json:"org,omitempty"`
}

// Label is the owner as written in lists: "Liisa Virtanen (Ähtärin kaupunki)".
func (p Person) Label() string {
	return session.FollowOwner{Name: p.Name, Org: p.Org}.Label()
}

// Update is a report as the tracker shows it.
type Update struct {
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
	ByLink bool      `json:"byLink"` // through an owner's update link
}

// Track lists the actions of the tables of a series, oldest table first.
// An action carried on to a later table is listed once, as the later
// table's, and one a later table marked done or dropped takes that
// status. today decides what is overdue: due before it and not finished.
func Track(series []*session.Table, today time.Time) []Row {
	tables := Ordered(series)
	// What later tables decided about earlier actions: table/action -> follow-up.
	reviewed := map[string]*session.FollowUp{}
	carriedFrom := map[string]*session.FollowUp{} // table/carried action -> the earlier action's review
	for _, t := range tables {
		for _, f := range t.FollowUps {
			if f.Outcome != "" {
				reviewed[f.Table+"/"+f.Action] = f
			}
			if f.Carried != "" {
				carriedFrom[t.ID+"/"+f.Carried] = f
			}
		}
	}
	day := today.Format("2006-01-02")
	var rows []Row
	for _, t := range tables {
		items := map[string]string{}
		for n, it := range t.Items {
			items[it.ID] = strconv.Itoa(n+1) + ". " + it.Title
		}
		links := map[string]int{}
		for _, l := range t.UpdateLinks {
			if !l.Revoked {
				links[l.Action]++
			}
		}
		for _, id := range t.ActionOrder {
			a := t.Actions[id]
			r := Row{Table: t.ID, TableTitle: t.Title, TableDate: t.Date, Action: a.ID, Title: a.Title,
				Item: items[a.Item], Owners: []Person{}, Due: a.Due, Status: a.Status,
				Links: links[a.ID], Reports: len(a.Updates), Created: a.Created}
			if f := reviewed[t.ID+"/"+a.ID]; f != nil {
				switch f.Outcome {
				case session.OutcomeCarried:
					continue // listed as the later table's action
				case session.OutcomeDone:
					r.Status = session.StatusDone
				case session.OutcomeDropped:
					r.Status = StatusDropped
				}
			}
			for _, o := range a.Owners {
				p := Person{Org: o.Org}
				if pp := t.Participants[o.Participant]; pp != nil {
					p.Name = pp.Name
				}
				if p.Name != "" || p.Org != "" {
					r.Owners = append(r.Owners, p)
				}
			}
			var last *session.ActionUpdate
			if f := carriedFrom[t.ID+"/"+a.ID]; f != nil {
				// Carried on: until someone reports here, the latest report
				// is the one made at the earlier table.
				r.CarriedFrom, last = f.TableTitle, f.Update
			}
			if n := len(a.Updates); n > 0 {
				last = &a.Updates[n-1]
			}
			if last != nil {
				r.Update = &Update{Status: last.Status, Note: last.Note, At: last.At, ByLink: last.Link != ""}
			}
			r.Overdue = r.Due != "" && r.Due < day && r.Status != session.StatusDone && r.Status != StatusDropped
			rows = append(rows, r)
		}
	}
	return rows
}

// Ordered is the tables of a series in their order: by date, then by
// when they were made.
func Ordered(series []*session.Table) []*session.Table {
	tables := slices.Clone(series)
	slices.SortStableFunc(tables, func(a, b *session.Table) int {
		return cmp.Or(cmp.Compare(a.Date, b.Date), a.Created.Compare(b.Created))
	})
	return tables
}

// Filter narrows the tracker's list.
type Filter struct {
	Org     string // an owner's organisation contains it, ignoring case
	Status  string // "" or one status
	Overdue bool   // only overdue actions
}

// Sort orders of the tracker.
var SortKeys = []string{"table", "due", "status", "owner", "updated", "title"}

// ParseFilter reads the tracker's query: org, status, overdue=1, sort.
func ParseFilter(org, status, overdue, sort string) (Filter, string, error) {
	f := Filter{Org: strings.TrimSpace(org), Status: status, Overdue: overdue == "1" || overdue == "true"}
	if len(f.Org) > 200 {
		return f, "", errors.New("org: at most 200 characters")
	}
	switch status {
	case "", session.StatusOpen, session.StatusInProgress, session.StatusDone, StatusDropped:
	default:
		return f, "", errors.New("status must be open, in_progress, done or dropped")
	}
	if overdue != "" && overdue != "0" && overdue != "1" && overdue != "true" && overdue != "false" {
		return f, "", errors.New("overdue must be 1 or 0")
	}
	if sort == "" {
		sort = "table"
	}
	if !slices.Contains(SortKeys, sort) {
		return f, "", errors.New("sort must be one of " + strings.Join(SortKeys, ", "))
	}
	return f, sort, nil
}

// Apply keeps the rows the filter lets through, sorted by key: the
// table's order; the due date (none last); the status (overdue first,
// then open, in progress, done, dropped); the first owner; the latest
// report (newest first, none last); or the title. Ties keep the table's
// order.
func (f Filter) Apply(rows []Row, key string) []Row {
	org := strings.ToLower(f.Org)
	var out []Row
	for _, r := range rows {
		if f.Status != "" && r.Status != f.Status || f.Overdue && !r.Overdue {
			continue
		}
		if org != "" && !slices.ContainsFunc(r.Owners, func(p Person) bool { return strings.Contains(strings.ToLower(p.Org), org) }) {
			continue
		}
		out = append(out, r)
	}
	rank := map[string]int{session.StatusOpen: 1, session.StatusInProgress: 2, session.StatusDone: 3, StatusDropped: 4}
	last := func(s string) string {
		if s == "" {
			return "\uffff"
		}
		return s
	}
	slices.SortStableFunc(out, func(a, b Row) int {
		switch key {
		case "due":
			return cmp.Compare(last(a.Due), last(b.Due))
		case "status":
			ra, rb := rank[a.Status], rank[b.Status]
			if a.Overdue {
				ra = 0
			}
			if b.Overdue {
				rb = 0
			}
			return cmp.Compare(ra, rb)
		case "owner":
			return cmp.Compare(strings.ToLower(last(firstOwner(a))), strings.ToLower(last(firstOwner(b))))
		case "updated":
			return -cmp.Compare(updated(a), updated(b))
		case "title":
			return cmp.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		}
		return 0
	})
	return out
}

func firstOwner(r Row) string {
	if len(r.Owners) == 0 {
		return ""
	}
	if r.Owners[0].Org != "" {
		return r.Owners[0].Org
	}
	return r.Owners[0].Name
}

func updated(r Row) int64 {
	if r.Update == nil {
		return 0
	}
	return r.Update.At.UnixNano()
}

// Report makes the progress report of a series' tracker rows in lang:
// titled by the series' first table, listing its tables, made at made.
func Report(lang string, series []*session.Table, rows []Row, f Filter, made time.Time) *minutes.Report {
	tables := Ordered(series)
	r := &minutes.Report{Lang: lang, Made: made, Tables: []minutes.ReportTable{}, Actions: []minutes.ReportAction{},
		Filter: minutes.ReportFilter{Org: f.Org, Status: f.Status, Overdue: f.Overdue}}
	if len(tables) > 0 {
		r.Title = tables[0].Title
	}
	for _, t := range tables {
		r.Tables = append(r.Tables, minutes.ReportTable{Title: t.Title, Date: t.Date})
	}
	for _, row := range rows {
		a := minutes.ReportAction{Title: row.Title, Owners: []string{}, Due: row.Due, Status: row.Status, Overdue: row.Overdue,
			Table: row.TableTitle, TableDate: row.TableDate, Item: row.Item, CarriedFrom: row.CarriedFrom}
		for _, p := range row.Owners {
			a.Owners = append(a.Owners, p.Label())
		}
		if u := row.Update; u != nil {
			a.Update = &minutes.ReportUpdate{Status: u.Status, Note: u.Note, At: u.At}
		}
		r.Actions = append(r.Actions, a)
	}
	return r
}
