package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// importCSV posts a CSV file to a table's import as its facilitator.
func importCSV(t *testing.T, ts *testServer, table, secret, item string, dryRun bool, body []byte) (int, importAnswer) {
	t.Helper()
	url := ts.http.URL + "/api/tables/" + table + "/import?item=" + item
	if dryRun {
		url += "&dryRun=1"
	}
	req, _ := http.NewRequest("POST", url, strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "text/csv")
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var a importAnswer
	json.Unmarshal(b, &a)
	return resp.StatusCode, a
}

// TestImportPaperIdeas: ideas collected on paper come in as a CSV file in
// UTF-8 or Excel's Windows-1252, with ";" or ",", headers in any of our
// languages; a preview imports nothing; a file with a bad row imports
// nothing and names the row's line; a good one imports every idea, marked
// as from paper, with its dots counted on paper.
func TestImportPaperIdeas(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID

	utf := []byte("\xef\xbb\xbfIdea;Nimi tai organisaatio;Pisteet\r\n" +
		"\"Kylätalot yhteiskäyttöön; iltaisin ja viikonloppuisin\";Soinin Marttayhdistys ry;4\r\n" +
		";;\r\n" +
		"Järjestöjen yhteinen kalenteri;;\r\n")
	status, a := importCSV(t, ts, tbl.ID, tbl.FacilitatorSecret, item, true, utf)
	if status != http.StatusOK || len(a.Rows) != 2 || a.Rows[0].Text != "Kylätalot yhteiskäyttöön; iltaisin ja viikonloppuisin" ||
		a.Rows[0].OnBehalf != "Soinin Marttayhdistys ry" || a.Rows[0].Dots != 4 || a.Rows[1].Line != 4 || a.Imported != 0 {
		t.Fatalf("preview: %d %+v", status, a)
	}
	// Windows-1252 (what Excel saves as CSV on a Finnish Windows), with commas.
	ansi := []byte("id\xe9,namn\r\nF\xf6reningarnas gemensamma kalender,\xc5bo Akademi\r\n")
	_, a = importCSV(t, ts, tbl.ID, tbl.FacilitatorSecret, item, true, ansi)
	if len(a.Rows) != 1 || a.Rows[0].Text != "Föreningarnas gemensamma kalender" || a.Rows[0].OnBehalf != "Åbo Akademi" {
		t.Fatalf("Windows-1252: %+v", a)
	}
	// A bad row keeps them all out, and says where it is.
	bad := []byte("text;dots\nHyvä idea;2\n;3\nToinen hyvä;kolme\n" + strings.Repeat("x", 1001) + ";0\n")
	status, a = importCSV(t, ts, tbl.ID, tbl.FacilitatorSecret, item, false, bad)
	if status != http.StatusBadRequest || a.Imported != 0 {
		t.Fatalf("a file with bad rows: %d %+v", status, a)
	}
	lines := map[int]bool{}
	for _, p := range a.Problems {
		lines[p.Line] = true
	}
	if !lines[3] || !lines[4] || !lines[5] || lines[2] {
		t.Errorf("problems on lines %v, want 3, 4 and 5: %+v", lines, a.Problems)
	}
	if status, _ := importCSV(t, ts, tbl.ID, tbl.FacilitatorSecret, item, false, []byte("väri;koko\npunainen;iso\n")); status != http.StatusBadRequest {
		t.Errorf("a file without a text column: %d", status)
	}
	// The import.
	status, a = importCSV(t, ts, tbl.ID, tbl.FacilitatorSecret, item, false, utf)
	if status != http.StatusCreated || a.Imported != 2 {
		t.Fatalf("import: %d %+v", status, a)
	}
	var got session.IdeasImported
	fac.event("ideas.imported", &got)
	if len(got.Ideas) != 2 || !got.Ideas[0].Paper || got.Ideas[0].PaperDots != 4 || got.Ideas[0].OnBehalf != "Soinin Marttayhdistys ry" {
		t.Fatalf("the facilitator got %+v", got)
	}
	// Only a facilitator imports.
	if status, _ := importCSV(t, ts, tbl.ID, "väärä-salaisuus", item, false, utf); status != http.StatusForbidden {
		t.Errorf("a wrong credential: %d", status)
	}
}
