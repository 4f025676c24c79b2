package minutes_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// TestDOCXInLibreOffice renders the DOCX minutes to PDF with LibreOffice
// and reads the text back: no word of a table (headers, statuses, dates,
// names, long Finnish organisation names) may be broken across lines, in
// any language. A Word table has fixed column widths, and a word that
// does not fit its column is cut in the middle ("Määräaik|a").
//
// It needs soffice (Debian: libreoffice-writer-nogui) and pdftotext
// (poppler-utils). Without them it is skipped, unless CI is set; then it
// fails. The document asks for Calibri; on a machine with neither Calibri
// nor Carlito LibreOffice draws it in DejaVu Sans, the widest likely
// fallback, and the widths must hold for that too.
func TestDOCXInLibreOffice(t *testing.T) {
	soffice, pdftotext := lookTool(t, "soffice", "libreoffice"), lookTool(t, "pdftotext")

	dir := t.TempDir()
	docs := map[string]*minutes.Minutes{}
	var files []string
	for _, lang := range session.Languages {
		m := longNames(build(t, ahtariSoini(t), minutes.Options{Lang: lang}))
		docs[lang] = m
		f := filepath.Join(dir, lang+".docx")
		if err := os.WriteFile(f, render(t, m, minutes.DOCX, ""), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}

	// One LibreOffice start converts the three documents, with a profile
	// of its own so that it neither uses nor waits for anyone else's.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=" + profile,
		"--convert-to", "pdf", "--outdir", dir}, files...)
	start := time.Now()
	converted, err := exec.CommandContext(ctx, soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", soffice, err, converted)
	}
	t.Logf("LibreOffice converted %d documents in %v", len(files), time.Since(start).Round(100*time.Millisecond))
	if fonts, err := exec.CommandContext(ctx, "pdffonts", filepath.Join(dir, "fi.pdf")).Output(); err == nil {
		t.Logf("fonts in the PDF:\n%s", fonts)
	}

	for _, lang := range session.Languages {
		t.Run(lang, func(t *testing.T) {
			out, err := exec.CommandContext(ctx, pdftotext, "-layout", "-enc", "UTF-8",
				filepath.Join(dir, lang+".pdf"), "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v; LibreOffice said:\n%s", err, converted)
			}
			pdf := string(out)
			doc := minutes.DocumentXML(docs[lang])
			inDoc, inPDF := countWords(docxText(t, doc)), countWords(pdf)

			tables := docxTables(t, doc)
			if len(tables) != 4 {
				t.Fatalf("%d tables, want organisations, sectors, actions and follow-up", len(tables))
			}
			tableWords := map[string]bool{}
			for _, tbl := range tables {
				for _, row := range tbl {
					for _, cell := range row {
						for _, w := range splitWords(cell) {
							tableWords[w] = true
						}
					}
				}
			}
			for _, w := range mustFit[lang] {
				if !tableWords[w] {
					t.Errorf("%q is in no table of the document: the check would miss it", w)
				}
			}
			for w := range tableWords {
				if inPDF[w] < inDoc[w] {
					t.Errorf("%q is broken: whole %d times in the PDF, want %d\n%s",
						w, inPDF[w], inDoc[w], linesWith(pdf, w))
				}
			}
			for _, s := range wholeCells[lang] {
				if !strings.Contains(pdf, s) {
					t.Errorf("%q is not on one line\n%s", s, linesWith(pdf, strings.Fields(s)[0]))
				}
			}
		})
	}
}

// lookTool finds a command by any of its names. A missing tool skips the
// test, or fails it when CI is set: CI installs the tools.
func lookTool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found; CI must have it (.ci/run installs it)", names[0])
	}
	t.Skipf("%s not found (Debian: apt-get install libreoffice-writer-nogui poppler-utils)", names[0])
	return ""
}

// mustFit are words the tables must show whole in each language: the
// column headers and the labels of the lines under the first column,
// every action and follow-up status, and long words of organisation
// names.
var mustFit = map[string][]string{
	"fi": {"Organisaatio", "Määrä", "Nimet", "Sektori", "Toimenpide", "Vastuutaho", "Määräaika", "Tila", "Kohta:",
		"Pöytä:", "Huomiot", "Avoin", "Käynnissä", "Valmis", "Tehty", "Jatkuu", "Luovuttu", "käsitelty",
		"Mielenterveysyhdistys", "terveyskuntayhtymä", "Vapaaehtoispalokunta", "30.9.2027"},
	"sv": {"Organisation", "Antal", "Namn", "Sektor", "Åtgärd", "Ansvarig", "Senast", "Status", "Punkt:",
		"Bord:", "Kommentar", "Öppen", "Pågår", "Klar", "Fortsätter", "Slopad", "behandlad",
		"Mielenterveysyhdistys", "terveyskuntayhtymä", "Vapaaehtoispalokunta", "30.9.2027"},
	"en": {"Organisation", "Number", "Names", "Sector", "Action", "Who", "Due", "Status", "Item:",
		"Table:", "Note", "Open", "progress", "Done", "Carried", "Dropped", "reviewed",
		"Mielenterveysyhdistys", "terveyskuntayhtymä", "Vapaaehtoispalokunta", "September"},
}

// wholeCells are the action table's dates and statuses of several words,
// which fit on one line.
var wholeCells = map[string][]string{
	"en": {"30 September 2027", "31 March 2027", "In progress"},
}

// longNames adds what a bigger table has: organisations with long names
// in attendance, as owners of an action due at the end of September, and
// a follow-up of an earlier table with every outcome.
func longNames(m *minutes.Minutes) *minutes.Minutes {
	orgs := []minutes.OrgCount{
		{Org: "Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry", Count: 2, Names: []string{"Hannele Kivimäki", "Pekka Rantanen"}},
		{Org: "Kuusiokuntien sosiaali- ja terveyskuntayhtymä", Count: 1, Names: []string{"Marja-Liisa Hietaniemi"}},
		{Org: "Soinin Vapaaehtoispalokunta ry", Count: 1, Names: []string{"Antti Yli-Härsilä"}},
	}
	if m.NoNames {
		for n := range orgs {
			orgs[n].Names = []string{}
		}
	}
	m.Attendance.ByOrg = append(orgs, m.Attendance.ByOrg...)
	m.Attendance.Total += 4
	mielenmaja := minutes.Owner{Kind: minutes.OwnerOrganisation, Org: "Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry"}
	palokunta := minutes.Owner{Kind: minutes.OwnerOrganisation, Org: "Soinin Vapaaehtoispalokunta ry"}
	kuntayhtyma := minutes.Owner{Kind: minutes.OwnerOrganisation, Org: "Kuusiokuntien sosiaali- ja terveyskuntayhtymä"}
	m.Actions = append(m.Actions, minutes.Action{ID: "a-long", Title: "Kartoitetaan vapaaehtoisten kuljetusapu kylistä",
		ItemNumber: 4, ItemTitle: "Keskustelu: järjestöystävällinen kunta", Owners: []minutes.Owner{mielenmaja, palokunta},
		Due: "2027-09-30", Status: session.StatusInProgress})
	earlier := func(action, title string, status, note string, owners ...minutes.Owner) minutes.FollowUp {
		return minutes.FollowUp{Table: "tbl-alavus", TableTitle: "Alavuden kumppanuuspöytä", TableDate: "2027-02-17",
			Action: action, Title: title, Owners: owners, Due: "2027-02-24", Status: status, Note: note}
	}
	m.FollowUp = []minutes.FollowUp{
		earlier("f-1", "Yhdistysten tilakartoitus", minutes.FollowCarried, "Kartoitus valmistuu maaliskuussa", kuntayhtyma),
		earlier("f-2", "Kyläkoulujen iltakäytön säännöt", minutes.FollowDone, "", palokunta),
		earlier("f-3", "Yhteinen avustushaku", minutes.FollowDropped, "Haku päättyi ennen pöytää", mielenmaja),
		earlier("f-4", "Järjestöinfo kuntatiedotteeseen", "", "", kuntayhtyma),
	}
	return m
}

// splitWords splits text where a line may break: at white space, and
// after a hyphen ("Marja-" "Liisa"), so that a break there is no broken
// word.
func splitWords(s string) []string {
	var out []string
	for _, f := range strings.Fields(s) {
		for f != "" {
			n := strings.IndexAny(f, "-\u2010") + 1
			if n <= 0 || n == len(f) {
				out = append(out, f)
				break
			}
			out = append(out, f[:n])
			f = f[n:]
		}
	}
	return out
}

func countWords(s string) map[string]int {
	n := map[string]int{}
	for _, w := range splitWords(s) {
		n[w]++
	}
	return n
}

// linesWith shows the PDF's lines that contain the start of a word, for
// the failure message.
func linesWith(pdf, w string) string {
	r := []rune(w)
	prefix := string(r[:min(len(r), 4)])
	var b strings.Builder
	for _, ln := range strings.Split(pdf, "\n") {
		if strings.Contains(ln, prefix) {
			b.WriteString("  | " + strings.TrimRight(ln, " ") + "\n")
		}
	}
	return b.String()
}
