package static_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/poyta/poyta/session/tables"
)

// pdfPages counts the pages of a PDF Chromium made.
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestPrintedMaterialFitsA4: the poster and the paper idea forms, printed
// by Chromium to PDF, are one A4 page each (the poster one, the forms one
// per agenda item), with long Finnish titles and questions.
func TestPrintedMaterialFitsA4(t *testing.T) {
	s := startSite(t)
	body := `{"title":"Etelä-Pohjanmaan järjestöjen ja kuntien yhteinen kumppanuuspöytä: järjestöystävällisyyden kehittämisohjelman käynnistystilaisuus","theme":"Miten järjestöt, kunta ja hyvinvointialue tekevät yhdessä?","date":"2027-02-25","start":"17:00","end":"19:00","room":"Ähtärin kaupungintalo, valtuustosali","lang":"fi","agenda":[` +
		`{"title":"Kaupungin tervehdys"},` +
		`{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän? Ajatelkaa tiloja, avustuksia, viestintää ja yhteisiä tapahtumia: mikä toimii jo, mikä ei ja mitä pitäisi kokeilla ensimmäisenä?"},` +
		`{"title":"Konkreettiset yhteistyön askeleet ja toteuttajatiimi","question":"Mitä teemme seuraavaksi, kuka tekee ja milloin?"}]}`
	resp, err := http.Post(s.url+"/api/tables", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var created tables.Created
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()

	b := newBrowser(t, s)
	p := b.tab("printer", false)
	for path, want := range map[string]int{"/api/join/" + created.Code + "/poster": 1, "/api/join/" + created.Code + "/forms": 3} {
		p.open(path)
		p.until(`document.readyState === 'complete'`)
		if want == 1 {
			// The join link and the code each stay whole on their line at
			// the printed page's width (A4 less its margins).
			if broken := p.eval(`(() => {
  document.body.style.width = '182mm';
  const out = ['.url', '.code'].filter((sel) => {
    const e = document.querySelector(sel), cs = getComputedStyle(e);
    const line = parseFloat(cs.lineHeight) || 1.3 * parseFloat(cs.fontSize);
    return e.getBoundingClientRect().height > 1.5 * line;
  });
  document.body.style.width = '';
  return out.join(' ');
})()`); broken != "" {
				t.Errorf("%s: broken over lines: %s", path, broken)
			}
		}
		ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
		yes := true
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
		cancel()
		if err != nil {
			t.Fatalf("%s: print: %v", path, err)
		}
		pdf := res.Data
		if !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Fatalf("%s: not a PDF", path)
		}
		if n := len(pdfPage.FindAll(pdf, -1)); n != want {
			t.Errorf("%s printed on %d pages, want %d", path, n, want)
		}
		// A4 is 595 × 842 points.
		if !bytes.Contains(pdf, []byte("/MediaBox [0 0 595")) && !bytes.Contains(pdf, []byte("/MediaBox [0 0 594")) {
			t.Errorf("%s: not A4: %s", path, regexp.MustCompile(`/MediaBox \[[^\]]*\]`).Find(pdf))
		}
		if b.shots != "" {
			// The page as printed: the poster, and the form of the item with a question.
			name, page := "print-poster", 1
			if strings.HasSuffix(path, "/forms") {
				name, page = "print-forms", 2
			}
			pageShot(t, b.shots, name, pdf, page)
		}
	}
}

// pageShot renders one page of a PDF to shots/name.png with poppler's
// pdftoppm, for the README's pictures of the printouts.
func pageShot(t *testing.T, shots, name string, pdf []byte, page int) {
	t.Helper()
	exe, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Logf("no %s.png: pdftoppm (poppler-utils) is not installed", name)
		return
	}
	in := filepath.Join(t.TempDir(), name+".pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	n := strconv.Itoa(page)
	if out, err := exec.Command(exe, "-png", "-r", "80", "-f", n, "-l", n, "-singlefile", in, filepath.Join(shots, name)).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}
