package minutes

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/poyta/poyta/session"
)

// Report is the organiser's progress report (seurantaraportti) on the
// actions of a series of tables, for the decision-makers' meeting: the
// tables, how the actions stand, and each action with its owners, due
// date, status and latest report. It is written in the same formats, and
// by the same renderers, as the minutes.
type Report struct {
	Lang    string         `json:"lang"`
	Title   string         `json:"title"` // the series: its first table's title
	Made    time.Time      `json:"made"`
	Tables  []ReportTable  `json:"tables"`
	Filter  ReportFilter   `json:"filter"`
	Actions []ReportAction `json:"actions"`
}

// ReportTable is a table of the series.
type ReportTable struct {
	Title string `json:"title"`
	Date  string `json:"date"` // YYYY-MM-DD
}

// ReportFilter is what the report was narrowed to; zero for everything.
type ReportFilter struct {
	Org     string `json:"org,omitempty"`
	Status  string `json:"status,omitempty"`
	Overdue bool   `json:"overdue,omitempty"`
}

// ReportAction is one action.
type ReportAction struct {
	Title       string        `json:"title"`
	Owners      []string      `json:"owners"` // "Liisa Virtanen (Ähtärin kaupunki)"
	Due         string        `json:"due"`    // YYYY-MM-DD or ""
	Status      string        `json:"status"` // open, in_progress, done or dropped
	Overdue     bool          `json:"overdue"`
	Table       string        `json:"table"` // the table's title
	TableDate   string        `json:"tableDate"`
	Item        string        `json:"item"`        // "2. Tilat" or ""
	CarriedFrom string        `json:"carriedFrom"` // the earlier table it carries on, or ""
	Update      *ReportUpdate `json:"update"`
}

// ReportUpdate is an action's latest report.
type ReportUpdate struct {
	Status string    `json:"status"`
	Note   string    `json:"note"`
	At     time.Time `json:"at"`
}

// reportLabels are the report's own words.
type reportLabels struct {
	Doc, Tables, Made, Scope, Standing, Overdue, Dropped string
	From, Latest, Carried, NoActions, File, OverdueCol   string
	TableDate, LatestAt, CarriedCol                      string // spreadsheet columns
	Count                                                string
}

var allReportLabels = map[string]*reportLabels{
	"fi": {Doc: "Seurantaraportti", Tables: "Pöydät", Made: "Laadittu", Scope: "Rajaus", Standing: "Tilanne", Count: "Toimenpiteitä",
		Overdue: "myöhässä", Dropped: "Luovuttu", From: "Pöytä ja kohta", Latest: "Viimeisin tilannetieto",
		Carried: "jatkuu pöydästä", NoActions: "Ei toimenpiteitä.", File: "seurantaraportti", OverdueCol: "Myöhässä",
		TableDate: "Pöydän päivämäärä", LatestAt: "Tilannetiedon päivämäärä", CarriedCol: "Jatkuu pöydästä"},
	"sv": {Doc: "Uppföljningsrapport", Tables: "Borden", Made: "Upprättad", Scope: "Avgränsning", Standing: "Läge", Count: "Åtgärder",
		Overdue: "försenad", Dropped: "Slopad", From: "Bord och punkt", Latest: "Senaste lägesrapport",
		Carried: "fortsätter från", NoActions: "Inga åtgärder.", File: "uppfoljningsrapport", OverdueCol: "Försenad",
		TableDate: "Bordets datum", LatestAt: "Lägesrapportens datum", CarriedCol: "Fortsätter från bordet"},
	"en": {Doc: "Progress report", Tables: "Tables", Made: "Made", Scope: "Scope", Standing: "Standing", Count: "Actions",
		Overdue: "overdue", Dropped: "Dropped", From: "Table and item", Latest: "Latest report",
		Carried: "carried on from", NoActions: "No actions.", File: "progress-report", OverdueCol: "Overdue",
		TableDate: "Table date", LatestAt: "Report date", CarriedCol: "Carried on from"},
}

// WriteReport writes the report as Markdown, HTML, DOCX, JSON or CSV
// (for spreadsheets, as the minutes' CSV).
func WriteReport(w io.Writer, r *Report, f Format) error {
	if !slices.Contains(session.Languages, r.Lang) {
		return fmt.Errorf("minutes: report language %q: want fi, sv or en", r.Lang)
	}
	switch f {
	case Markdown:
		return writeMarkdown(w, reportPage(r))
	case HTML:
		return writeHTML(w, reportPage(r))
	case DOCX:
		return writeDOCX(w, reportPage(r), "", r.Made)
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("minutes: write report: %w", err)
		}
		return nil
	case CSV:
		return WriteSheet(w, r.Lang, reportRows(r))
	}
	return fmt.Errorf("minutes: report as %q: want md, html, docx, json or csv", f)
}

// ReportFilename is the report's file name: "seurantaraportti-<series>-<date>.<format>".
func ReportFilename(r *Report, f Format) string {
	parts := []string{allReportLabels[r.Lang].File}
	if s := slug(r.Title, 60); s != "" {
		parts = append(parts, s)
	}
	parts = append(parts, r.Made.Format(time.DateOnly))
	return strings.Join(parts, "-") + "." + string(f)
}

func reportStatus(l *labels, rl *reportLabels, a ReportAction) string {
	s := l.status(a.Status)
	if a.Status == "dropped" {
		s = rl.Dropped
	}
	if a.Overdue {
		s += ", " + rl.Overdue
	}
	return s
}

func reportFrom(l *labels, rl *reportLabels, a ReportAction) string {
	s := joinNonEmpty([]string{a.Table, l.date(a.TableDate)}, " ")
	if a.Item != "" {
		s += " – " + a.Item
	}
	if a.CarriedFrom != "" {
		s += " (" + rl.Carried + " " + a.CarriedFrom + ")"
	}
	return s
}

func reportLatest(l *labels, a ReportAction) string {
	if a.Update == nil {
		return ""
	}
	return joinNonEmpty([]string{l.date(a.Update.At.Format(time.DateOnly)) + ":", l.status(a.Update.Status) + ".", a.Update.Note}, " ")
}

// reportPage words the report as the page the minutes' renderers draw:
// no attendance and no items, the facts and one table of actions.
func reportPage(r *Report) *page {
	l, rl := labelsFor(r.Lang), allReportLabels[r.Lang]
	p := &page{L: l, Lang: r.Lang, Doc: rl.Doc, Title: r.Title, Heading: rl.Doc + ": " + r.Title}
	var tables []string
	for _, t := range r.Tables {
		tables = append(tables, joinNonEmpty([]string{t.Title, l.date(t.Date)}, " "))
	}
	if len(tables) > 0 {
		p.Facts = append(p.Facts, fact{Label: rl.Tables, Value: strings.Join(tables, "; ")})
	}
	p.Facts = append(p.Facts, fact{Label: rl.Made, Value: l.date(r.Made.Format(time.DateOnly))})
	var scope []string
	if r.Filter.Org != "" {
		scope = append(scope, l.Org+": "+r.Filter.Org)
	}
	if r.Filter.Status == "dropped" {
		scope = append(scope, rl.Dropped)
	} else if r.Filter.Status != "" {
		scope = append(scope, l.status(r.Filter.Status))
	}
	if r.Filter.Overdue {
		scope = append(scope, rl.Overdue)
	}
	if len(scope) > 0 {
		p.Facts = append(p.Facts, fact{Label: rl.Scope, Value: strings.Join(scope, ", ")})
	}
	count := map[string]int{}
	for _, a := range r.Actions {
		count[a.Status]++
		if a.Overdue {
			count["overdue"]++
		}
	}
	// "Valmis 1, käynnissä 1, avoin 1, myöhässä 1": the status words of
	// the table, with no number agreement to get wrong.
	var parts []string
	for _, k := range []string{"done", "in_progress", "open", "overdue", "dropped"} {
		if count[k] == 0 {
			continue
		}
		word := l.status(k)
		switch k {
		case "overdue":
			word = rl.Overdue
		case "dropped":
			word = rl.Dropped
		}
		if len(parts) > 0 {
			word = strings.ToLower(word)
		}
		parts = append(parts, word+" "+strconv.Itoa(count[k]))
	}
	p.Facts = append(p.Facts, fact{Label: rl.Count, Value: strconv.Itoa(len(r.Actions))})
	if len(parts) > 0 {
		p.Facts = append(p.Facts, fact{Label: rl.Standing, Value: strings.Join(parts, ", ")})
	}
	p.ActionsHeading, p.NoActions = l.Actions, rl.NoActions
	// The table and item are the fifth column: the DOCX puts it under the
	// action, as in the minutes.
	p.ActionCols = []string{l.What, l.Who, l.Due, l.Status, rl.From, rl.Latest}
	for _, a := range r.Actions {
		p.Actions = append(p.Actions, []string{a.Title, strings.Join(a.Owners, ", "), l.date(a.Due),
			reportStatus(l, rl, a), reportFrom(l, rl, a), reportLatest(l, a)})
	}
	return p
}

// reportRows are the report's spreadsheet: one row per action, dates as
// YYYY-MM-DD so that a spreadsheet sorts them.
func reportRows(r *Report) [][]string {
	l, rl := labelsFor(r.Lang), allReportLabels[r.Lang]
	rows := [][]string{{l.What, l.Who, l.Due, l.Status, rl.OverdueCol, l.FollowTable, rl.TableDate, l.Item, rl.LatestAt, rl.Latest, rl.CarriedCol}}
	for _, a := range r.Actions {
		status := l.status(a.Status)
		if a.Status == "dropped" {
			status = rl.Dropped
		}
		overdue, at, note := "", "", ""
		if a.Overdue {
			overdue = l.Yes
		}
		if a.Update != nil {
			at, note = a.Update.At.Format(time.DateOnly), joinNonEmpty([]string{l.status(a.Update.Status) + ".", a.Update.Note}, " ")
		}
		rows = append(rows, []string{a.Title, strings.Join(a.Owners, ", "), a.Due, status, overdue,
			a.Table, a.TableDate, a.Item, at, note, a.CarriedFrom})
	}
	return rows
}
