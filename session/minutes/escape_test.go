package minutes_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// hostile is user text that tries to break out of every format.
var hostile = []string{
	`<script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	`</textarea><b>bold</b>`,
	`javascript:alert(1)`,
	`" onmouseover="x`,
	`| pipe | cell |`,
	`# heading`,
	`=HYPERLINK("http://evil","x")`,
	`+1`,
	`-1`,
	`@SUM(A1)`,
	"\t=TAB(1)",
	"\r=CR(1)",
	"first line\n\t=TAB()\n\r+CR()",
	"\u202Egnp.exe\u202C and \u202Eunterminated",
	"zero\u200Bwidth\u200B=1+1",
	"\u200B=HIDDEN()",
	"e\u0301\u0301\u0301 c\u0327 combining",
	"\u0301# starts with a combining mark",
	"1. numbered\n- bullet\n+ plus\n> quote\n```\nfence\n===\n    indented code\n## second heading",
	"[link](javascript:alert(1)) ![img](http://evil.example/x.png) <http://evil.example>",
	"&lt;script&gt; &#60;b&#62; **bold** _em_ `code` ~~strike~~ \\ backslash",
	"non\uFFFEcharacters\uFFFF for XML",
	strings.Repeat("pitkä teksti ", 76) + "loppu", // 1000 characters
}

// fit cuts s to what a field accepts: at most n characters, on one line
// unless multiline, trimmed as the domain trims.
func fit(s string, n int, multiline bool) string {
	if !multiline {
		s = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, s)
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	s = strings.TrimSpace(s)
	if s == "" {
		s = "x"
	}
	return s
}

// hostileTable puts s into every piece of user text a table has.
func hostileTable(t *testing.T, s string) *session.Table {
	t.Helper()
	one := func(n int) string { return fit(s, n, false) }
	many := func(n int) string { return fit(s, n, true) }
	b := newBuilder(t, session.NewTableInput{
		Title: "Pöytä " + one(190), Theme: many(500), Date: "2027-02-25", Start: "17:00",
		Room: one(300), Link: "https://teams.example.fi/l/x", Lang: "fi", Facilitator: one(80), AllowAnonymous: true,
		Agenda: []session.ItemInput{{Title: one(190), Question: many(500), Presenter: one(160)}},
	}, testStart)
	item := b.tbl.Items[0].ID
	p := b.join(one(80), one(150), "association")
	q := b.join("Liisa "+one(74), "", "resident")
	e := b.do(b.fac, `{"op":"group.add","name":%q}`, one(80))
	scribe := session.Who{Role: session.RoleScribe, ID: e.Data.(*session.GroupAdded).Group.ID}
	first := b.idea(p, item, many(1000), "")
	b.idea(q, item, "Toinen idea\n"+many(900), "")
	merged := b.idea(q, item, "Sama "+many(900), "")
	hidden := b.idea(p, item, "Piilossa "+many(900), "")
	b.idea(b.fac, item, "Puolesta "+many(900), fmt.Sprintf(`,"onBehalf":%q`, one(80)))
	room := b.idea(scribe, item, many(1000), "")
	b.idea(p, item, many(1000), `,"anonymous":true`)
	b.do(b.fac, `{"op":"idea.merge","idea":%q,"into":%q}`, merged, first)
	b.do(b.fac, `{"op":"idea.hide","idea":%q}`, hidden)
	b.phase(item, session.PhaseVote)
	b.vote(p, first)
	b.vote(q, room)
	b.do(scribe, `{"op":"room.dots","idea":%q,"dots":5}`, first)
	// Group work on the same item: a group named and with a topic, the
	// room group, ideas, a summary, a pick; the report-back brings the
	// pick and the room group's summary into the plenary.
	e = b.do(b.fac, `{"op":"groups.start","item":%q,"groups":[{"name":%q,"topic":%q}],"rooms":[%q],"placement":"manual","dots":1}`,
		item, one(80), one(200), scribe.ID)
	g := e.Data.(*session.GroupsStarted).New[0].ID
	b.do(b.fac, `{"op":"group.move","participant":%q,"group":%q}`, p.ID, g)
	b.do(b.fac, `{"op":"group.move","participant":%q,"group":%q}`, q.ID, g)
	own := b.idea(p, item, "Ryhmässä "+many(900), "")
	b.idea(q, item, many(1000), "")
	b.idea(scribe, item, "Salissa "+many(900), "")
	b.vote(q, own)
	b.do(b.fac, `{"op":"group.reporter","group":%q,"participant":%q}`, g, p.ID)
	b.do(p, `{"op":"group.summary","summary":%q}`, many(5000))
	b.do(p, `{"op":"group.pick","idea":%q,"picked":true}`, own)
	b.do(scribe, `{"op":"group.summary","summary":%q}`, "Salin yhteenveto\n"+many(900))
	b.do(b.fac, `{"op":"groups.end"}`)
	b.do(b.fac, `{"op":"item.notes","item":%q,"notes":%q}`, item, many(5000)+"\n"+many(4000))
	b.action(b.fac, `{"op":"action.add","item":%q,"title":%q,"owners":[{"participant":%q},{"participant":%q,"org":%q},{"org":%q}],"due":"2027-03-31"}`,
		item, many(300), q.ID, p.ID, one(150), one(150))
	b.action(b.fac, `{"op":"action.add","title":%q,"owners":[{"org":%q}]}`, "Toinen\n"+many(290), one(150))
	return b.tbl
}

// texts are the user texts of a table, as stored, one per line of text.
func texts(tbl *session.Table) []string {
	var out []string
	add := func(s string) {
		for _, ln := range strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n") {
			if ln = strings.TrimSpace(ln); ln != "" {
				out = append(out, ln)
			}
		}
	}
	add(tbl.Title)
	add(tbl.Theme)
	for _, id := range tbl.People {
		add(tbl.Participants[id].Name)
		add(tbl.Participants[id].Org)
	}
	for _, id := range tbl.IdeaOrder {
		add(tbl.Ideas[id].Text)
	}
	for _, id := range tbl.ActionOrder {
		add(tbl.Actions[id].Title)
	}
	for _, g := range tbl.Groups {
		add(g.Name)
		add(g.Topic)
	}
	for _, w := range tbl.Works {
		for _, tm := range w.Teams {
			add(tm.Summary)
		}
	}
	add(tbl.Items[0].Notes)
	return out
}

func TestHostileText(t *testing.T) {
	for n, s := range hostile {
		tbl := hostileTable(t, s)
		for _, lang := range []string{"fi", "en"} {
			m := build(t, tbl, minutes.Options{Lang: lang, IncludeHidden: true})
			name := fmt.Sprintf("%d-%s", n, lang)
			t.Run(name, func(t *testing.T) {
				checkHTML(t, render(t, m, minutes.HTML, ""), tbl)
				checkMarkdown(t, render(t, m, minutes.Markdown, ""))
				checkMarkdown(t, render(t, build(t, tbl, minutes.Options{Lang: lang}), minutes.Markdown, ""))
				sep := map[string]rune{"fi": ';', "en": ','}[lang]
				checkCSV(t, render(t, m, minutes.CSV, minutes.CSVActions), sep, 5)
				checkCSV(t, render(t, m, minutes.CSV, minutes.CSVIdeas), sep, 11)
				checkDOCX(t, render(t, m, minutes.DOCX, ""), tbl)
				checkJSON(t, render(t, m, minutes.JSON, ""), tbl)
			})
		}
	}
}

var (
	tagRe         = regexp.MustCompile(`<[^>]*>`)
	dangerousTag  = regexp.MustCompile(`(?i)^<\s*/?\s*(script|img|iframe|object|embed|textarea|b|form|input|link|base|meta\s+http-equiv="refresh")\b|\son\w+\s*=|javascript:|^<!--`)
	allowedMetaRe = regexp.MustCompile(`^<meta (charset|name|http-equiv="Content-Security-Policy")`)
)

func checkHTML(t *testing.T, doc []byte, tbl *session.Table) {
	t.Helper()
	s := string(doc)
	// Text is escaped, so every raw tag is one of ours: none may run
	// script, load anything or come from user text.
	for _, tag := range tagRe.FindAllString(s, -1) {
		if dangerousTag.MatchString(tag) && !allowedMetaRe.MatchString(tag) {
			t.Errorf("HTML contains the tag %q", tag)
		}
	}
	if strings.Count(s, "<a ") != 1 {
		t.Errorf("HTML has %d links, want only the meeting link", strings.Count(s, "<a "))
	}
	if strings.Contains(s, "http://evil") && !strings.Contains(html.UnescapeString(s), "http://evil") {
		t.Error("confused")
	}
	plain := html.UnescapeString(s)
	for _, want := range texts(tbl) {
		want = strings.NewReplacer("\uFFFE", "", "\uFFFF", "").Replace(want)
		if !strings.Contains(plain, want) {
			t.Errorf("HTML does not show %q", want)
		}
	}
	if !strings.Contains(s, "&lt;") && strings.ContainsAny(strings.Join(texts(tbl), ""), "<") {
		t.Error("< in user text is not escaped")
	}
}

var (
	headingRe = regexp.MustCompile(`^#{1,5} \S`)
	factRe    = regexp.MustCompile(`^- \*\*[^*\\]+:\*\* `)
	ordRe     = regexp.MustCompile(`^[0-9]+\. `)
	mergedRe  = regexp.MustCompile(`^ +- (Yhdistetty tähän|Merged into this): `)
	blockRe   = regexp.MustCompile(`^([#>=+\-*_` + "`" + `~<|]|[0-9]+[.)])`)
)

// checkMarkdown checks that user text opened no block: every line is one
// of ours (a heading, a fact, an idea, a merged idea, a table row, the
// draft note) or a continuation, and what follows our own prefix starts
// with no block marker; table rows keep their header's column count.
func checkMarkdown(t *testing.T, doc []byte) {
	t.Helper()
	section, cols := "", 0
	for n, line := range strings.Split(string(doc), "\n") {
		if line == "" {
			cols = 0
			continue
		}
		if strings.HasPrefix(line, "#") {
			if !headingRe.MatchString(line) || strings.Contains(unescaped(strings.TrimLeft(line, "#")), "#") {
				t.Errorf("line %d: heading with a # from user text: %q", n+1, line)
			}
			section = line
			continue
		}
		if strings.HasPrefix(line, "|") {
			c := strings.Count(unescaped(line), "|")
			if cols == 0 {
				cols = c
			} else if c != cols {
				t.Errorf("line %d: table row has %d pipes, the header %d: %q", n+1, c, cols, line)
			}
			continue
		}
		rest := strings.TrimLeft(line, " ")
		switch {
		case factRe.MatchString(line):
			rest = line[len(factRe.FindString(line)):]
			if strings.HasPrefix(rest, "<https://teams.example.fi/") {
				continue
			}
		case ordRe.MatchString(line) && (strings.Contains(section, "Idea") || strings.Contains(section, "keskusteluun") ||
			strings.Contains(section, "plenary")):
			rest = line[len(ordRe.FindString(line)):]
		case strings.HasPrefix(line, "- ") && strings.Contains(section, "Piilotetut") || strings.Contains(section, "Hidden ideas"):
			rest = strings.TrimPrefix(line, "- ")
		case mergedRe.MatchString(line):
			rest = line[len(mergedRe.FindString(line)):]
		case strings.HasPrefix(line, "*Luonnos") || strings.HasPrefix(line, "*Draft"):
			continue
		}
		if blockRe.MatchString(rest) {
			t.Errorf("line %d: user text opens a block: %q", n+1, line)
		}
		// Our indents put continuation lines at their list item's content
		// column (3 to 6 spaces); user text never adds indentation, which
		// could open a code block.
		if indent := len(line) - len(strings.TrimLeft(line, " \t")); indent > 6 || strings.HasPrefix(line, "\t") {
			t.Errorf("line %d: indented %d: %q", n+1, indent, line)
		}
	}
}

// unescaped removes backslash escapes, so that what is left are the
// characters Markdown reads as structure.
func unescaped(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func checkCSV(t *testing.T, doc []byte, sep rune, cols int) {
	t.Helper()
	if !bytes.HasPrefix(doc, []byte("\uFEFF")) {
		t.Error("CSV without a byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(doc, []byte("\uFEFF"))))
	r.Comma = sep
	r.FieldsPerRecord = cols
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v", err)
	}
	if len(rows) < 2 {
		t.Fatalf("CSV has %d rows", len(rows))
	}
	for _, row := range rows {
		for _, cell := range row {
			first := strings.TrimLeftFunc(cell, func(r rune) bool { return r == ' ' || unicode.Is(unicode.Cf, r) })
			if first != "" && strings.ContainsRune("=+-@\t\r\n＝＋－＠", []rune(first)[0]) {
				t.Errorf("CSV cell could run as a formula: %q", cell)
			}
			if strings.HasPrefix(cell, "'") && !bytes.Contains(doc, []byte(`"`+strings.ReplaceAll(cell, `"`, `""`)+`"`)) {
				t.Errorf("guarded cell is not quoted: %q", cell)
			}
		}
	}
}

func checkDOCX(t *testing.T, data []byte, tbl *session.Table) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("DOCX is not a zip: %v", err)
	}
	var doc []byte
	for _, f := range zr.File {
		parseXML(t, f)
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			doc = buf.Bytes()
		}
	}
	text := docxText(t, doc)
	for _, want := range texts(tbl) {
		want = strings.NewReplacer("\uFFFE", "", "\uFFFF", "").Replace(want)
		for _, part := range strings.Split(want, "\t") {
			if !strings.Contains(text, strings.TrimSpace(part)) {
				t.Errorf("DOCX does not show %q", part)
			}
		}
	}
	tables := docxTables(t, doc)
	if len(tables) != 3 || len(tables[2]) != 3 {
		t.Errorf("DOCX tables %d, action rows %d", len(tables), len(tables[len(tables)-1]))
	}
}

func checkJSON(t *testing.T, doc []byte, tbl *session.Table) {
	t.Helper()
	if !json.Valid(doc) {
		t.Fatal("invalid JSON")
	}
	var all []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			all = append(all, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	var v any
	json.Unmarshal(doc, &v)
	walk(v)
	for _, id := range tbl.IdeaOrder {
		found := false
		for _, s := range all {
			found = found || s == tbl.Ideas[id].Text
		}
		if !found {
			t.Errorf("JSON lacks the idea text %q exactly as written", tbl.Ideas[id].Text)
		}
	}
	if strings.Contains(string(doc), "<script") {
		t.Error("JSON contains a raw <script")
	}
}
