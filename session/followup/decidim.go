package followup

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// Decidim formats. Decidim's admin imports read CSV with ";" between
// fields (Decidim::Admin::Import::Readers::CSV; the Accountability import
// uses Decidim.default_csv_col_sep, ";" unless the deployment changed it)
// and JSON as an array of flat objects whose keys are the CSV's headers.
const (
	DecidimCSV  = "csv"
	DecidimJSON = "json"
)

// DecidimOptions say how a table's results go to a Decidim installation.
type DecidimOptions struct {
	// Locale is the language suffix of the localized columns
	// (title/<locale>, body/<locale>): Decidim requires the organisation's
	// default locale. "" is the table's language.
	Locale string
	// Minutes is the public address of the table's minutes, linked from
	// every proposal and result so that the platform leads back to them.
	Minutes string
	Format  string // DecidimCSV or DecidimJSON
}

// Check reports what is wrong with the options, in words for the person
// filling in the export dialog.
func (o DecidimOptions) Check() error {
	if o.Format != DecidimCSV && o.Format != DecidimJSON {
		return errors.New("format must be csv or json")
	}
	if o.Locale != "" && !validLocale(o.Locale) {
		return errors.New("locale must be a Decidim locale such as fi, sv, en or pt-BR")
	}
	u, err := url.Parse(o.Minutes)
	if o.Minutes == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return errors.New("minutes must be the http(s) address where the minutes are published, linked from every row")
	}
	if len(o.Minutes) > 2000 {
		return errors.New("minutes: the address is over 2000 characters")
	}
	return nil
}

// validLocale accepts the shapes of Decidim's locales: "fi", "pt-BR",
// "ca-IT".
func validLocale(s string) bool {
	lang, region, has := strings.Cut(s, "-")
	if len(lang) < 2 || len(lang) > 3 || (has && (len(region) < 2 || len(region) > 4)) {
		return false
	}
	for _, r := range lang {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	for _, r := range region {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return true
}

// DecidimProposalColumns are the columns of the proposals file: the
// localized title and body the proposals import requires
// (Decidim::Proposals::Import::ProposalsVerifier) for the organisation's
// default locale. Decidim ignores an "id" column and needs no other.
func DecidimProposalColumns(locale string) []string {
	return []string{"title/" + locale, "body/" + locale}
}

// DecidimResultColumns are the columns of the Accountability results file
// (Decidim::Accountability::ResultsCsvImporter and Admin::ResultForm):
// title and description are required in the default locale; the dates
// are ISO dates; progress is a percentage. There is no "id" column: the
// importer would update the Decidim result of that number.
func DecidimResultColumns(locale string) []string {
	return []string{"title/" + locale, "description/" + locale, "start_date", "end_date", "progress"}
}

// DecidimProposals writes the table's ideas as Decidim proposals: each
// idea that the minutes list, without names (proposals are published
// under the organisation), its text as the body with where it came from
// and a link to the minutes.
func DecidimProposals(w io.Writer, t *session.Table, o DecidimOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	m, l, locale, err := build(t, o)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, it := range m.Items {
		for _, idea := range it.Ideas {
			if idea.Hidden {
				continue
			}
			var b strings.Builder
			b.WriteString(idea.Text)
			for _, merged := range idea.Merged {
				b.WriteString("\n\n" + merged.Text)
			}
			b.WriteString("\n\n" + l.from(m, it.Number, it.Title))
			if idea.Group != nil {
				b.WriteString("\n" + l.group + ": " + idea.Group.Name)
			}
			if it.Voted {
				b.WriteString("\n" + l.votes + ": " + strconv.Itoa(idea.Total))
			}
			b.WriteString("\n" + l.minutes + ": " + o.Minutes)
			rows = append(rows, []string{title(idea.Text), b.String()})
		}
	}
	return write(w, o.Format, DecidimProposalColumns(locale), rows)
}

// DecidimResults writes the table's actions as Decidim Accountability
// results: the action as the title; its owners, agenda item, latest
// report and a link to the minutes as the description; the table's date
// as the start and the due date as the end; progress from the status.
func DecidimResults(w io.Writer, t *session.Table, o DecidimOptions) error {
	if err := o.Check(); err != nil {
		return err
	}
	m, l, locale, err := build(t, o)
	if err != nil {
		return err
	}
	var rows [][]string
	for _, a := range m.Actions {
		var b strings.Builder
		var orgs []string
		for _, ow := range a.Owners {
			if ow.Org != "" && !slices.Contains(orgs, ow.Org) {
				orgs = append(orgs, ow.Org)
			}
		}
		if len(orgs) > 0 {
			b.WriteString(l.owners + ": " + strings.Join(orgs, ", ") + "\n")
		}
		b.WriteString(l.from(m, a.ItemNumber, a.ItemTitle))
		if act := t.Actions[a.ID]; act != nil {
			if n := len(act.Updates); n > 0 && act.Updates[n-1].Note != "" {
				u := act.Updates[n-1]
				b.WriteString("\n" + u.At.UTC().Format("2006-01-02") + ": " + u.Note)
			}
		}
		b.WriteString("\n" + l.minutes + ": " + o.Minutes)
		rows = append(rows, []string{a.Title, b.String(), m.Table.Date, a.Due, strconv.Itoa(progress(a.Status))})
	}
	return write(w, o.Format, DecidimResultColumns(locale), rows)
}

// progress is Accountability's percentage for a status.
func progress(status string) int {
	switch status {
	case session.StatusDone:
		return 100
	case session.StatusInProgress:
		return 50
	}
	return 0
}

// build makes the minutes the export reads, without names: what goes to
// the platform is published. Hidden ideas, private group work and the
// like follow the minutes' own rules.
func build(t *session.Table, o DecidimOptions) (*minutes.Minutes, decidimLabels, string, error) {
	locale := o.Locale
	if locale == "" {
		locale = t.Lang
	}
	lang, _, _ := strings.Cut(locale, "-")
	if _, ok := decidimText[lang]; !ok {
		lang = t.Lang
	}
	m, err := minutes.Build(t, minutes.Options{Lang: lang, NoNames: true})
	if err != nil {
		return nil, decidimLabels{}, "", fmt.Errorf("followup: decidim: %w", err)
	}
	return m, decidimText[lang], locale, nil
}

// title is a proposal's title: the idea's first line, cut at a word to at
// most 150 characters.
func title(text string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	first = strings.TrimSpace(first)
	const max = 150
	if utf8.RuneCountInString(first) <= max {
		return first
	}
	r := []rune(first)[:max-1]
	cut := len(r)
	for i := len(r) - 1; i > max/2; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}

// write writes a header and rows as Decidim reads them: CSV with ";"
// and no byte-order mark (Ruby's CSV would read it into the first
// header's name), or a JSON array of flat objects.
func write(w io.Writer, format string, header []string, rows [][]string) error {
	if format == DecidimJSON {
		out := make([]json.RawMessage, 0, len(rows))
		for _, row := range rows {
			var b strings.Builder
			b.WriteByte('{')
			for i, h := range header {
				if i > 0 {
					b.WriteByte(',')
				}
				k, _ := json.Marshal(h)
				v, _ := json.Marshal(row[i])
				b.Write(k)
				b.WriteByte(':')
				b.Write(v)
			}
			b.WriteByte('}')
			out = append(out, json.RawMessage(b.String()))
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	c := csv.NewWriter(w)
	c.Comma = ';'
	c.UseCRLF = true
	c.Write(header)
	for _, row := range rows {
		c.Write(row)
	}
	c.Flush()
	return c.Error()
}

// decidimLabels are the few words of the exported texts.
type decidimLabels struct {
	table, item, group, votes, owners, minutes string
}

// from says where a row came from: "Kumppanuuspöytä: X, 2027-02-25 – kohta 2: Y".
func (l decidimLabels) from(m *minutes.Minutes, number int, item string) string {
	s := l.table + ": " + m.Table.Title
	if m.Table.Date != "" {
		s += ", " + m.Table.Date
	}
	if number > 0 {
		s += " – " + l.item + " " + strconv.Itoa(number) + ": " + item
	}
	return s
}

var decidimText = map[string]decidimLabels{
	"fi": {table: "Kumppanuuspöytä", item: "kohta", group: "Ryhmä", votes: "Ääniä", owners: "Vastuussa", minutes: "Muistio"},
	"sv": {table: "Partnerskapsbord", item: "punkt", group: "Grupp", votes: "Röster", owners: "Ansvariga", minutes: "Minnesanteckningar"},
	"en": {table: "Partnership table", item: "item", group: "Group", votes: "Votes", owners: "Responsible", minutes: "Minutes"},
}
