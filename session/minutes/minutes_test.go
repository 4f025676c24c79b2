package minutes_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func build(t *testing.T, tbl *session.Table, opt minutes.Options) *minutes.Minutes {
	t.Helper()
	m, err := minutes.Build(tbl, opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return m
}

func render(t *testing.T, m *minutes.Minutes, f minutes.Format, what string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := minutes.Render(&buf, m, f, what); err != nil {
		t.Fatalf("Render %s: %v", f, err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./session/minutes -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update and review the diff.\n%s", name, firstDiff(got, want))
	}
}

func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

func itoa(n int) string {
	var b []byte
	for n >= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(append([]byte{byte('0' + n)}, b...))
}

// TestGolden renders the Ähtäri–Soini minutes in every format and language.
// For DOCX the golden file is word/document.xml.
func TestGolden(t *testing.T) {
	tbl := ahtariSoini(t)
	variants := []struct {
		name string
		opt  minutes.Options
	}{
		{"", minutes.Options{}},
		{".public", minutes.Options{NoNames: true}},
		{".hidden", minutes.Options{IncludeHidden: true}},
	}
	for _, lang := range session.Languages {
		for _, v := range variants {
			opt := v.opt
			opt.Lang = lang
			m := build(t, tbl, opt)
			base := "ahtari-soini." + lang + v.name
			t.Run(base, func(t *testing.T) {
				golden(t, base+".md.golden", render(t, m, minutes.Markdown, ""))
				golden(t, base+".json.golden", render(t, m, minutes.JSON, ""))
				golden(t, base+".actions.csv.golden", render(t, m, minutes.CSV, minutes.CSVActions))
				golden(t, base+".ideas.csv.golden", render(t, m, minutes.CSV, minutes.CSVIdeas))
				if v.name == "" {
					golden(t, base+".html.golden", render(t, m, minutes.HTML, ""))
					golden(t, base+".document.xml.golden", minutes.DocumentXML(m))
				}
			})
		}
	}
}

// TestDeterministic: the same table gives the same bytes in every format,
// DOCX included (fixed zip timestamps, stable map iteration).
func TestDeterministic(t *testing.T) {
	a, b := ahtariSoini(t), ahtariSoini(t)
	for _, f := range minutes.Formats {
		x := render(t, build(t, a, minutes.Options{}), f, "")
		y := render(t, build(t, b, minutes.Options{}), f, "")
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two renders of the same table differ", f)
		}
	}
}

func TestBuild(t *testing.T) {
	tbl := ahtariSoini(t)
	m := build(t, tbl, minutes.Options{})
	if m.Lang != "fi" {
		t.Errorf("default language %q, want the table's fi", m.Lang)
	}
	if m.Attendance.Total != 10 || len(m.Attendance.People) != 10 {
		t.Errorf("attendance %d people, want 10", m.Attendance.Total)
	}
	discuss := m.Items[3]
	if !discuss.Voted || len(discuss.Ideas) != 8 {
		t.Fatalf("discussion: voted %v, %d ideas; want ranked 8 (one merged, one hidden)", discuss.Voted, len(discuss.Ideas))
	}
	top := discuss.Ideas[0]
	if top.Rank != 1 || top.Total != 14 || top.Votes != 7 || len(top.RoomDots) != 1 || top.RoomDots[0].Name != "Sali, pöytä 2" {
		t.Errorf("top idea %+v, want 7 participants' dots + 7 from Sali, pöytä 2", top)
	}
	for n, i := range discuss.Ideas {
		if n > 0 && i.Total > discuss.Ideas[n-1].Total {
			t.Errorf("idea %d has more dots than the one before it", n+1)
		}
		if i.Hidden {
			t.Errorf("hidden idea %q in the minutes without IncludeHidden", i.Text)
		}
		if i.Anonymous && i.Author != nil {
			t.Errorf("anonymous idea %q has an author", i.Text)
		}
	}
	cal := discuss.Ideas[1]
	if len(cal.Merged) != 1 || !strings.HasPrefix(cal.Merged[0].Text, "Tapahtumakalenteri verkkoon") {
		t.Errorf("the merged idea is not listed under the calendar: %+v", cal.Merged)
	}
	if len(m.FollowUp) != 0 {
		t.Errorf("follow-up %v, want none before the series feature", m.FollowUp)
	}
	if a := m.Actions[1]; len(a.Owners) != 3 || a.Owners[0].Name != "Tuula Hakala" || a.Owners[2].Kind != minutes.OwnerOrganisation {
		t.Errorf("action owners %+v", a.Owners)
	}

	h := build(t, tbl, minutes.Options{IncludeHidden: true}).Items[3]
	if last := h.Ideas[len(h.Ideas)-1]; !last.Hidden || last.Rank != 0 {
		t.Errorf("with IncludeHidden the hidden idea comes last, unranked: %+v", last)
	}

	p := build(t, tbl, minutes.Options{NoNames: true, Lang: "en"})
	if len(p.Attendance.People) != 0 || p.Attendance.Total != 10 {
		t.Errorf("NoNames attendance: %d people listed, total %d", len(p.Attendance.People), p.Attendance.Total)
	}
	var buf bytes.Buffer
	for _, f := range minutes.Formats {
		buf.Reset()
		minutes.Render(&buf, p, f, "")
		text := buf.String()
		if f == minutes.DOCX {
			text = string(minutes.DocumentXML(p))
		}
		for _, name := range []string{"Riikka Salo", "Tuula Hakala", "Aino Virtanen", "Eeva Rantala", "Jussi Peltoniemi", "Mikko Lahti"} {
			if strings.Contains(text, name) {
				t.Errorf("%s minutes without names mention %s", f, name)
			}
		}
	}
	if _, err := minutes.Build(tbl, minutes.Options{Lang: "de"}); err == nil {
		t.Error("Build accepted language de")
	}
}

// TestRemovedParticipantNotInAttendance: someone the facilitator removed is
// not counted, but what they wrote stays.
func TestRemovedParticipantNotInAttendance(t *testing.T) {
	b := newBuilder(t, session.NewTableInput{Title: "Mikkelin kumppanuustalon suunnittelupöytä", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Mitä kumppanuustalo tarjoaa?"}}}, testStart)
	p := b.join("Pirjo Mäkelä", "Mikkelin Seudun Omaishoitajat ry", "association")
	x := b.join("Häirikkö", "", "other")
	b.idea(x, b.tbl.Items[0].ID, "Kahvio ja kokoustilat samaan taloon", "")
	b.do(b.fac, `{"op":"participant.remove","participant":%q}`, x.ID)
	_ = p
	m := build(t, b.tbl, minutes.Options{})
	if m.Attendance.Total != 1 || m.Attendance.People[0].Name != "Pirjo Mäkelä" {
		t.Errorf("attendance %+v", m.Attendance)
	}
	if len(m.Items[0].Ideas) != 1 {
		t.Error("the removed participant's idea is gone")
	}
}

// TestFollowUpRendered: the follow-up section, filled by the series
// feature, is printed by every format when it is not empty.
func TestFollowUpRendered(t *testing.T) {
	m := build(t, ahtariSoini(t), minutes.Options{})
	m.FollowUp = []minutes.FollowUp{{Table: "tbl-alavus", TableTitle: "Alavuden kumppanuuspöytä", TableDate: "2027-02-17",
		Action: "a-1", Title: "Yhdistysten tilakartoitus", Owners: []minutes.Owner{{Kind: minutes.OwnerOrganisation, Org: "Alavuden kaupunki"}},
		Due: "2027-02-24", Status: minutes.FollowCarried, Note: "Kartoitus valmistuu maaliskuussa"}}
	for _, f := range []minutes.Format{minutes.Markdown, minutes.HTML, minutes.JSON} {
		out := string(render(t, m, f, ""))
		if !strings.Contains(out, "Yhdistysten tilakartoitus") || !strings.Contains(out, "Kartoitus valmistuu maaliskuussa") {
			t.Errorf("%s does not show the follow-up", f)
		}
		if f != minutes.JSON && !strings.Contains(out, "Jatkuu") {
			t.Errorf("%s does not translate the follow-up status", f)
		}
	}
	if doc := string(minutes.DocumentXML(m)); !strings.Contains(doc, "Yhdistysten tilakartoitus") {
		t.Error("DOCX does not show the follow-up")
	}
	m.FollowUp = nil
	if strings.Contains(string(render(t, m, minutes.Markdown, "")), "seuranta") {
		t.Error("an empty follow-up is printed")
	}
}

func TestFilename(t *testing.T) {
	tbl := ahtariSoini(t)
	for _, c := range []struct {
		lang string
		f    minutes.Format
		what string
		want string
	}{
		{"fi", minutes.Markdown, "", "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.md"},
		{"sv", minutes.DOCX, "", "minnesanteckningar-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.docx"},
		{"en", minutes.HTML, "", "minutes-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.html"},
		{"fi", minutes.CSV, minutes.CSVIdeas, "ideat-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.csv"},
		{"fi", minutes.CSV, "", "toimenpiteet-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.csv"},
	} {
		m := build(t, tbl, minutes.Options{Lang: c.lang})
		if got := minutes.Filename(m, c.f, c.what); got != c.want {
			t.Errorf("Filename(%s, %s, %q) = %q, want %q", c.lang, c.f, c.what, got, c.want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]minutes.Format{"": minutes.Markdown, "markdown": minutes.Markdown, "HTML": minutes.HTML,
		"docx": minutes.DOCX, "json": minutes.JSON, "csv": minutes.CSV} {
		if got, err := minutes.ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := minutes.ParseFormat("pdf"); err == nil {
		t.Error("ParseFormat accepted pdf")
	}
	m := build(t, ahtariSoini(t), minutes.Options{})
	if err := minutes.Render(io.Discard, m, minutes.Markdown, minutes.CSVIdeas); err == nil {
		t.Error("Render accepted what=ideas for Markdown")
	}
	if err := minutes.Render(io.Discard, m, minutes.CSV, "owners"); err == nil {
		t.Error("Render accepted what=owners")
	}
}

// TestJSONRecord: the JSON is the complete record, with ids and timestamps.
func TestJSONRecord(t *testing.T) {
	m := build(t, ahtariSoini(t), minutes.Options{})
	var doc struct {
		Schema string `json:"schema"`
		Table  struct {
			ID      string `json:"id"`
			Seq     int64  `json:"seq"`
			Created string `json:"created"`
		} `json:"table"`
		Items []struct {
			ID    string `json:"id"`
			Ideas []struct {
				ID      string `json:"id"`
				Created string `json:"created"`
				Merged  []struct{ ID string }
			} `json:"ideas"`
		} `json:"items"`
		Actions  []struct{ ID, Created string } `json:"actions"`
		FollowUp []any                          `json:"followUp"`
	}
	if err := json.Unmarshal(render(t, m, minutes.JSON, ""), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != minutes.SchemaVersion || doc.Table.ID != "tbl-ahtari-soini" || doc.Table.Seq == 0 || doc.Table.Created == "" {
		t.Errorf("table %+v", doc.Table)
	}
	if len(doc.Items) != 5 || doc.Items[3].Ideas[0].ID == "" || doc.Items[3].Ideas[0].Created == "" || len(doc.Items[3].Ideas[1].Merged) != 1 {
		t.Errorf("items %+v", doc.Items)
	}
	if len(doc.Actions) != 6 || doc.Actions[0].ID == "" || doc.Actions[0].Created == "" {
		t.Errorf("actions %+v", doc.Actions)
	}
	if doc.FollowUp == nil {
		t.Error("followUp is not an (empty) array")
	}
}

// TestDOCXParts unzips the document, parses every XML part with
// encoding/xml and reads the Word tables back.
func TestDOCXParts(t *testing.T) {
	for _, lang := range session.Languages {
		m := build(t, ahtariSoini(t), minutes.Options{Lang: lang})
		data := render(t, m, minutes.DOCX, "")
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: not a zip: %v", lang, err)
		}
		names := map[string]bool{}
		for _, f := range zr.File {
			names[f.Name] = true
			parseXML(t, f)
		}
		for _, want := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
			"word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"} {
			if !names[want] {
				t.Errorf("%s: no %s in the DOCX", lang, want)
			}
		}
		if zr.File[0].Name != "[Content_Types].xml" {
			t.Errorf("%s: first part is %s", lang, zr.File[0].Name)
		}
		tables := docxTables(t, minutes.DocumentXML(m))
		if len(tables) != 3 {
			t.Fatalf("%s: %d Word tables, want attendance by organisation, by sector, and actions", lang, len(tables))
		}
		orgs, actions := tables[0], tables[2]
		if len(orgs) != 11 || len(orgs[0]) != 3 {
			t.Errorf("%s: organisation table is %dx%d, want a header and 10 organisations, 3 columns", lang, len(orgs), len(orgs[0]))
		}
		if !containsRow(orgs, "Ähtärin kaupunki", "1", "Riikka Salo") {
			t.Errorf("%s: organisation table lacks Ähtärin kaupunki: %v", lang, orgs)
		}
		if len(actions) != 7 || len(actions[0]) != 4 {
			t.Errorf("%s: action table is %dx%d, want a header and 6 actions, 4 columns", lang, len(actions), len(actions[0]))
		}
		item := map[string]string{"fi": "Kohta", "sv": "Punkt", "en": "Item"}[lang] + ": 5.\u00A0Konkreettiset yhteistyön askeleet ja toteuttajatiimi"
		if got := actions[2][0]; got != "Perustetaan yhteinen tapahtumakalenteri ja kerrotaan siitä yhdistyksille\n"+item {
			t.Errorf("%s: action cell %q, want the title and under it %q", lang, got, item)
		}
		if got := actions[2][1]; got != "Tuula Hakala (Kuudestaan ry); Sanna Ojala (Soinin Sisu ry); Ähtärin kaupungin viestintä" {
			t.Errorf("%s: owners cell %q", lang, got)
		}
		due := map[string]string{"fi": "31.3.2027", "sv": "31.3.2027", "en": "31 March 2027"}[lang]
		if actions[2][2] != due {
			t.Errorf("%s: due %q, want %q", lang, actions[2][2], due)
		}
	}
}

func containsRow(rows [][]string, cells ...string) bool {
	for _, r := range rows {
		if len(r) >= len(cells) {
			ok := true
			for n, c := range cells {
				ok = ok && r[n] == c
			}
			if ok {
				return true
			}
		}
	}
	return false
}
