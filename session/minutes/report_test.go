package minutes_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session/minutes"
)

// progressReport is the report on a series of two tables, with long
// organisation names, every status, an overdue action and reports.
func progressReport(lang string) *minutes.Report {
	at := time.Date(2027, 4, 10, 9, 0, 0, 0, time.UTC)
	return &minutes.Report{Lang: lang, Title: "Ähtärin kumppanuuspöytä", Made: time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC),
		Tables: []minutes.ReportTable{{Title: "Ähtärin kumppanuuspöytä", Date: "2027-02-25"}, {Title: "Soinin kumppanuuspöytä", Date: "2027-05-20"}},
		Actions: []minutes.ReportAction{
			{Title: "Yhdistysinfo kirjastolla", Owners: []string{"Ähtärin kirjasto"}, Due: "2027-03-15", Status: "dropped",
				Table: "Ähtärin kumppanuuspöytä", TableDate: "2027-02-25", Item: "2. Viestintä"},
			{Title: "Avustusten haku yhteiseksi", Owners: []string{"Kuusiokuntien sosiaali- ja terveyskuntayhtymä"}, Due: "2027-03-31", Status: "done",
				Table: "Ähtärin kumppanuuspöytä", TableDate: "2027-02-25"},
			{Title: "Tilavarauskalenteri", Owners: []string{"Liisa Virtanen (Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry)", "Ähtärin kaupunki"},
				Due: "2027-04-30", Status: "in_progress", Overdue: true, Table: "Soinin kumppanuuspöytä", TableDate: "2027-05-20",
				CarriedFrom: "Ähtärin kumppanuuspöytä", Update: &minutes.ReportUpdate{Status: "in_progress", Note: "=Kalenteri kilpailutetaan.", At: at}},
			{Title: "Kylätalojen avaimet", Owners: []string{"Soinin Vapaaehtoispalokunta ry"}, Due: "2027-08-31", Status: "open",
				Table: "Soinin kumppanuuspöytä", TableDate: "2027-05-20"},
		}}
}

// TestReportFormats: the report says in every format which tables it
// covers, how the actions stand, and each action with its owners, due
// date, status (overdue marked), where it came from and the latest
// report; the spreadsheet is the minutes' kind, formulas guarded.
func TestReportFormats(t *testing.T) {
	r := progressReport("fi")
	write := func(f minutes.Format) string {
		var b bytes.Buffer
		if err := minutes.WriteReport(&b, r, f); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	md := write(minutes.Markdown)
	for _, want := range []string{"# Seurantaraportti: Ähtärin kumppanuuspöytä",
		"Ähtärin kumppanuuspöytä 25.2.2027; Soinin kumppanuuspöytä 20.5.2027",
		"**Toimenpiteitä:** 4", "**Tilanne:** Valmis 1, käynnissä 1, avoin 1, myöhässä 1, luovuttu 1",
		"| Tilavarauskalenteri | Liisa Virtanen (Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry), Ähtärin kaupunki | 30.4.2027 | Käynnissä, myöhässä |",
		"Soinin kumppanuuspöytä 20.5.2027 (jatkuu pöydästä Ähtärin kumppanuuspöytä)",
		"10.4.2027: Käynnissä. =Kalenteri kilpailutetaan.", "| Luovuttu |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "Osallistujat") {
		t.Error("the report has an attendance section")
	}
	html := write(minutes.HTML)
	for _, want := range []string{`<p class="kicker">Seurantaraportti</p>`, "Käynnissä, myöhässä", "<script"} {
		if got := strings.Contains(html, want); got != (want != "<script") {
			t.Errorf("HTML: %q present %v", want, got)
		}
	}
	sheet := write(minutes.CSV)
	if !strings.HasPrefix(sheet, "\uFEFF") {
		t.Error("the spreadsheet has no byte order mark")
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(sheet, "\uFEFF")))
	rd.Comma = ';'
	rows, err := rd.ReadAll()
	if err != nil || len(rows) != 5 {
		t.Fatalf("spreadsheet: %v, %d rows", err, len(rows))
	}
	if rows[0][0] != "Toimenpide" || rows[3][2] != "2027-04-30" || rows[3][4] != "kyllä" || rows[3][8] != "2027-04-10" || rows[1][3] != "Luovuttu" {
		t.Errorf("spreadsheet rows %q", rows)
	}
	if rows[3][9] != "Käynnissä. =Kalenteri kilpailutetaan." {
		t.Errorf("note cell %q", rows[3][9])
	}
	var back minutes.Report
	if err := json.Unmarshal([]byte(write(minutes.JSON)), &back); err != nil || len(back.Actions) != 4 || !back.Actions[2].Overdue {
		t.Errorf("JSON: %v %+v", err, back)
	}
	for _, lang := range []string{"sv", "en"} {
		var b bytes.Buffer
		if err := minutes.WriteReport(&b, progressReport(lang), minutes.Markdown); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"sv": "# Uppföljningsrapport", "en": "# Progress report"}[lang]
		if !strings.HasPrefix(b.String(), want) {
			t.Errorf("%s: %.60q", lang, b.String())
		}
	}
	if name := minutes.ReportFilename(r, minutes.DOCX); name != "seurantaraportti-ahtarin-kumppanuuspoyta-2027-06-01.docx" {
		t.Errorf("file name %q", name)
	}
}

// TestReportDOCXInLibreOffice: the report's Word file opens in LibreOffice
// and no word of its table is broken across lines.
func TestReportDOCXInLibreOffice(t *testing.T) {
	soffice, pdftotext := lookTool(t, "soffice", "libreoffice"), lookTool(t, "pdftotext")
	dir := t.TempDir()
	var b bytes.Buffer
	if err := minutes.WriteReport(&b, progressReport("fi"), minutes.DOCX); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, "raportti.docx")
	os.WriteFile(f, b.Bytes(), 0o644)
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			doc, _ = io.ReadAll(rc)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "pdf", "--outdir", dir, f).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", soffice, err, out)
	}
	text, err := exec.CommandContext(ctx, pdftotext, "-layout", "-enc", "UTF-8", filepath.Join(dir, "raportti.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v; LibreOffice said:\n%s", err, out)
	}
	pdf := string(text)
	inDoc, inPDF := countWords(docxText(t, doc)), countWords(pdf)
	tables := docxTables(t, doc)
	if len(tables) != 1 {
		t.Fatalf("%d tables, want the actions", len(tables))
	}
	for _, row := range tables[0] {
		for _, cell := range row {
			for _, w := range splitWords(cell) {
				if inPDF[w] < inDoc[w] {
					t.Errorf("%q is broken: whole %d times in the PDF, want %d\n%s", w, inPDF[w], inDoc[w], linesWith(pdf, w))
				}
			}
		}
	}
	for _, want := range []string{"SEURANTARAPORTTI", "Mielenterveysyhdistys", "terveyskuntayhtymä", "Vapaaehtoispalokunta", "Luovuttu"} {
		if inPDF[want] == 0 {
			t.Errorf("%q not in the PDF:\n%s", want, pdf)
		}
	}
}
