package minutes

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteMarkdown writes the minutes as CommonMark with GitHub-style tables:
// readable as plain text, and rendered the same by any standard renderer.
// User text can add no structure: Markdown punctuation is escaped, line
// starts that would open a heading, list, quote or code block are
// neutralised, and table cells keep their column count.
func WriteMarkdown(w io.Writer, m *Minutes) error {
	return writeMarkdown(w, newPage(m))
}

func writeMarkdown(w io.Writer, p *page) error {
	var b strings.Builder
	b.WriteString("# " + mdHeading(p.Heading) + "\n\n")
	if p.Draft != "" {
		b.WriteString("*" + mdInline(p.Draft) + "*\n\n")
	}
	mdFacts(&b, p.Facts)

	if p.AttendanceHeading != "" {
		b.WriteString("## " + mdHeading(p.AttendanceHeading) + "\n\n")
		b.WriteString(mdInline(p.Total) + "\n\n")
	}
	if len(p.Orgs) > 0 {
		b.WriteString("### " + mdHeading(p.L.ByOrg) + "\n\n")
		mdTable(&b, p.OrgCols, p.Orgs, map[int]bool{1: true})
		b.WriteString("### " + mdHeading(p.L.BySector) + "\n\n")
		mdTable(&b, p.SectorCols, p.Sectors, map[int]bool{1: true})
	}

	for _, it := range p.Items {
		b.WriteString("## " + mdHeading(it.Heading) + "\n\n")
		mdFacts(&b, it.Facts)
		if it.Notes != "" {
			if it.HasIdeas() || it.Work != nil {
				b.WriteString("### " + mdHeading(it.NotesHeading) + "\n\n")
			}
			mdParagraphs(&b, it.Notes)
		}
		if w := it.Work; w != nil {
			mdWork(&b, w)
		}
		if it.HasIdeas() {
			mdIdeas(&b, "### ", it.ideaList)
		}
	}

	b.WriteString("## " + mdHeading(p.ActionsHeading) + "\n\n")
	if len(p.Actions) == 0 {
		b.WriteString(mdInline(p.NoActions) + "\n\n")
	} else {
		mdTable(&b, p.ActionCols, p.Actions, nil)
	}
	if len(p.Follow) > 0 {
		b.WriteString("## " + mdHeading(p.FollowHeading) + "\n\n")
		mdTable(&b, p.FollowCols, p.Follow, nil)
	}
	out := strings.TrimRight(b.String(), "\n") + "\n"
	if _, err := io.WriteString(w, out); err != nil {
		return fmt.Errorf("minutes: write markdown: %w", err)
	}
	return nil
}

// mdIdeas writes a ranked list of ideas under a heading, and the hidden
// ones under another.
func mdIdeas(b *strings.Builder, level string, x ideaList) {
	b.WriteString(level + mdHeading(x.IdeasHeading) + "\n\n")
	if len(x.Ideas) == 0 {
		b.WriteString(mdInline(x.NoIdeas) + "\n\n")
	}
	for n, i := range x.Ideas {
		mdIdea(b, fmt.Sprintf("%d. ", n+1), i)
	}
	if len(x.Ideas) > 0 {
		b.WriteString("\n")
	}
	if len(x.HiddenIdeas) > 0 {
		b.WriteString(level + mdHeading(x.HiddenHead) + "\n\n")
		for _, i := range x.HiddenIdeas {
			mdIdea(b, "- ", i)
		}
		b.WriteString("\n")
	}
}

// mdWork writes an item's group work: each group under a heading of its
// own, its parts under smaller ones.
func mdWork(b *strings.Builder, w *pageWork) {
	b.WriteString("### " + mdHeading(w.Heading) + "\n\n")
	mdFacts(b, w.Facts)
	if w.Running != "" {
		b.WriteString("*" + mdInline(w.Running) + "*\n\n")
	}
	for _, g := range w.Groups {
		b.WriteString("#### " + mdHeading(g.Heading) + "\n\n")
		mdFacts(b, g.Facts)
		if g.Summary != "" {
			b.WriteString("##### " + mdHeading(g.SummaryHeading) + "\n\n")
			mdParagraphs(b, g.Summary)
		}
		mdIdeas(b, "##### ", g.ideaList)
		if len(g.Brought) > 0 || g.SummaryBrought != "" {
			b.WriteString("##### " + mdHeading(g.BroughtHeading) + "\n\n")
		}
		for n, s := range g.Brought {
			marker := fmt.Sprintf("%d. ", n+1)
			b.WriteString(marker + mdBlock(s, strings.Repeat(" ", len(marker))) + "\n")
		}
		if len(g.Brought) > 0 {
			b.WriteString("\n")
		}
		if g.SummaryBrought != "" {
			b.WriteString(mdInline(g.SummaryBrought) + "\n\n")
		}
	}
}

func mdFacts(b *strings.Builder, facts []fact) {
	if len(facts) == 0 {
		return
	}
	for _, f := range facts {
		v := mdLineStart(mdInline(f.Value))
		if f.Link {
			v = mdLink(f.Value)
		}
		b.WriteString("- **" + mdInline(f.Label) + ":** " + v + "\n")
	}
	b.WriteString("\n")
}

// mdIdea writes one idea as a list item, its details on the following
// lines indented to the item's content, and the ideas merged into it as a
// nested list.
func mdIdea(b *strings.Builder, marker string, i pageIdea) {
	indent := strings.Repeat(" ", len(marker))
	text := mdBlock(i.Text, indent)
	if i.Points != "" {
		text += " — **" + mdInline(i.Points) + "**"
	}
	if i.Hidden != "" {
		text += " *(" + mdInline(i.Hidden) + ")*"
	}
	b.WriteString(marker + text)
	if i.Meta != "" {
		b.WriteString("\\\n" + indent + mdLineStart(mdInline(i.Meta)))
	}
	b.WriteString("\n")
	for _, c := range i.Merged {
		sub := indent + "- "
		line := mdInline(c.MergedAs) + ": " + mdBlock(c.Text, indent+"  ")
		if c.Meta != "" {
			line += " — " + mdInline(c.Meta)
		}
		b.WriteString(sub + line + "\n")
	}
}

// mdTable writes a GitHub-style table. right marks right-aligned columns.
func mdTable(b *strings.Builder, cols []string, rows [][]string, right map[int]bool) {
	b.WriteString("|")
	for _, c := range cols {
		b.WriteString(" " + mdCell(c) + " |")
	}
	b.WriteString("\n|")
	for n := range cols {
		if right[n] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		b.WriteString("|")
		for n := range cols {
			v := ""
			if n < len(r) {
				v = r[n]
			}
			b.WriteString(" " + mdCell(v) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// mdParagraphs writes multi-line user text: blank lines separate
// paragraphs, single line breaks stay as hard breaks.
func mdParagraphs(b *strings.Builder, s string) {
	for _, para := range paragraphs(display(s)) {
		for n, ln := range para {
			if n > 0 {
				b.WriteString("\\\n")
			}
			b.WriteString(mdLineStart(mdInline(strings.TrimSpace(ln))))
		}
		b.WriteString("\n\n")
	}
}

// mdBlock escapes text that starts a block (a list item's content) and may
// span lines; later lines are indented so they stay in the block.
func mdBlock(s, indent string) string {
	var out []string
	for _, ln := range lines(display(s)) {
		ln = strings.TrimSpace(ln)
		if ln == "" {
			continue
		}
		out = append(out, mdLineStart(mdInline(ln)))
	}
	return strings.Join(out, "\\\n"+indent)
}

// mdCell escapes text for a table cell: line breaks become <br> (the only
// way to break a line in a GFM table) and pipes are escaped.
func mdCell(s string) string {
	var out []string
	for _, ln := range lines(display(s)) {
		if ln = strings.TrimSpace(ln); ln != "" {
			out = append(out, mdInline(ln))
		}
	}
	return strings.Join(out, "<br>")
}

func mdHeading(s string) string {
	return strings.ReplaceAll(mdInline(strings.Join(strings.Fields(display(s)), " ")), "#", `\#`)
}

// mdLink writes an http(s) address as an autolink when it can be one.
func mdLink(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		if !strings.ContainsFunc(u, func(r rune) bool { return r <= ' ' || r == '<' || r == '>' || r > 0x7e }) {
			return "<" + u + ">"
		}
	}
	return mdInline(u)
}

var entityRe = regexp.MustCompile(`^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)

// mdInline escapes the characters that could start inline structure:
// emphasis, code, links, raw HTML, strike-through, table pipes and
// entity references. It does not handle line starts; see mdLineStart.
func mdInline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		case '&':
			if entityRe.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		case '\n', '\r':
			b.WriteByte(' ')
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

var orderedRe = regexp.MustCompile(`^([0-9]{1,9})([.)])`)

// mdLineStart neutralises what would open a block at the start of a line:
// a heading (#), a list (-, +, *, 1. or 1)), a setext underline (= or -),
// a quote, a fence or an indented code block. s is already inline-escaped.
func mdLineStart(s string) string {
	s = strings.TrimLeft(s, " \t")
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=':
		return `\` + s
	}
	if m := orderedRe.FindStringSubmatchIndex(s); m != nil {
		return s[:m[4]] + `\` + s[m[4]:]
	}
	return s
}
