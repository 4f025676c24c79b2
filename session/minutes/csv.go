package minutes

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// What a CSV export holds.
const (
	CSVActions = "actions"
	CSVIdeas   = "ideas"
)

// WriteCSV writes the actions (what = CSVActions) or the ideas with their
// votes (CSVIdeas) as CSV for spreadsheets: UTF-8 with a byte order mark,
// so Excel recognises the encoding; semicolons between cells in Finnish and
// Swedish, where Excel and LibreOffice expect them, commas in English; CRLF
// line ends. Cells that a spreadsheet would run as a formula are guarded
// (see guardCell).
func WriteCSV(w io.Writer, m *Minutes, what string) error {
	l := labelsFor(m.Lang)
	var rows [][]string
	switch what {
	case "", CSVActions:
		rows = actionRows(l, m)
	case CSVIdeas:
		rows = ideaRows(l, m)
	default:
		return fmt.Errorf("minutes: csv of %q: want actions or ideas", what)
	}
	return WriteSheet(w, m.Lang, rows)
}

// WriteSheet writes rows (the first one the header) as the minutes' CSV
// is written, for spreadsheets in lang: a byte order mark, semicolons in
// Finnish and Swedish and commas in English, CRLF, formula-like cells
// guarded.
func WriteSheet(w io.Writer, lang string, rows [][]string) error {
	sep := ','
	if lang == "fi" || lang == "sv" {
		sep = ';'
	}
	var b strings.Builder
	b.WriteString("\uFEFF")
	for _, r := range rows {
		for n, c := range r {
			if n > 0 {
				b.WriteRune(sep)
			}
			b.WriteString(csvCell(c, sep))
		}
		b.WriteString("\r\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("minutes: write csv: %w", err)
	}
	return nil
}

func actionRows(l *labels, m *Minutes) [][]string {
	rows := [][]string{{l.What, l.Who, l.Due, l.Status, l.Item}}
	for _, a := range m.Actions {
		item := ""
		if a.ItemNumber > 0 {
			item = strconv.Itoa(a.ItemNumber) + ". " + a.ItemTitle
		}
		rows = append(rows, []string{a.Title, owners(l, a.Owners), l.date(a.Due), l.status(a.Status), item})
	}
	return rows
}

// ideaRows lists each item's ideas: the plenary's, ranked, each followed
// by the ideas merged into it; then each group's own, ranked by the
// group's dots. The group column names the group an idea came from (a
// room group, or a group of the item's group work); the group work column
// tells a group's own idea, whether the group brought it to the plenary,
// and the plenary's ideas the report-back made.
func ideaRows(l *labels, m *Minutes) [][]string {
	rows := [][]string{{l.Item, l.Rank, l.Idea, l.AuthorCol, l.GroupCol, l.WorkCol, l.TotalCol, l.VotesCol,
		l.RoomDotsCol, l.MergedInto, l.HiddenCol}}
	for _, it := range m.Items {
		item := strconv.Itoa(it.Number) + ". " + it.Title
		reported, picked := map[string]bool{}, map[string]bool{}
		for _, g := range it.Groups {
			for _, id := range g.Reported {
				reported[id] = true
			}
			for _, id := range g.Picked {
				picked[id] = true
			}
		}
		add := func(i Idea, into, work string) {
			rows = append(rows, ideaRow(l, item, i, into, work))
		}
		for _, i := range it.Ideas {
			work := ""
			if reported[i.ID] {
				work = l.FromGroup
			}
			add(i, "", work)
			for _, c := range i.Merged {
				work := ""
				if reported[c.ID] {
					work = l.FromGroup
				}
				add(c, i.Text, work)
			}
		}
		for _, g := range it.Groups {
			for _, i := range g.Ideas {
				work := l.OwnIdea
				if picked[i.ID] {
					work = l.OwnPicked
				}
				add(i, "", work)
				for _, c := range i.Merged {
					add(c, i.Text, l.OwnIdea)
				}
			}
		}
	}
	return rows
}

func ideaRow(l *labels, item string, i Idea, into, work string) []string {
	rank := ""
	if i.Rank > 0 {
		rank = strconv.Itoa(i.Rank)
	}
	var room []string
	for _, g := range i.RoomDots {
		room = append(room, g.Name+": "+strconv.Itoa(g.Dots))
	}
	hidden := l.No
	if i.Hidden {
		hidden = l.Yes
	}
	group := ""
	if i.Group != nil {
		group = i.Group.Name
	}
	return []string{item, rank, i.Text, ideaAuthor(i), group, work, strconv.Itoa(i.Total), strconv.Itoa(i.Votes),
		strings.Join(room, "; "), into, hidden}
}

// csvCell quotes a cell when it needs it and guards it against formula
// injection: a cell that a spreadsheet could take for a formula gets a
// leading single quote and is always quoted.
func csvCell(s string, sep rune) string {
	s = display(s)
	guarded := formulaLike(s)
	if guarded {
		s = "'" + s
	}
	if guarded || strings.ContainsAny(s, "\"\r\n") || strings.ContainsRune(s, sep) ||
		strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// formulaLike reports a cell that starts with =, +, -, @, a tab or a
// carriage return (OWASP's list), also when invisible characters (spaces,
// zero-width or bidi controls) or their full-width forms hide it.
func formulaLike(s string) bool {
	for _, r := range s {
		switch {
		case r == '=' || r == '+' || r == '-' || r == '@' || r == '\t' || r == '\r' || r == '\n':
			return true
		case r == '＝' || r == '＋' || r == '－' || r == '＠':
			return true
		case r == ' ' || r == '\u00A0' || unicode.Is(unicode.Cf, r):
			continue
		}
		return false
	}
	return false
}
