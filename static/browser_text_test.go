package static_test

// Everyone at the table (issue 14, parts 4 and 5): the interpreter's live
// text as captions, the printed material, ideas imported from paper, and
// the statements linked from every view.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/poyta/poyta/session/web"
)

// liveTextTable is a table in Finnish with two items and a question.
const liveTextTable = `{"title":"Ähtärin ja Soinin kumppanuuspöytä","theme":"Millainen on järjestöystävällinen kunta?","date":"2027-02-25","start":"17:00","end":"19:00","room":"Ähtärin kaupungintalo","lang":"fi","dots":3,"agenda":[` +
	`{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":50},` +
	`{"title":"Konkreettiset askeleet ja toteuttajatiimi","timebox":30}]}`

// Lines a kirjoitustulkki types during the discussion.
var captionLines = []string{
	"Riikka Salo, Ähtärin kaupunki: tervetuloa kaikille, aloitetaan keskustelu.",
	"Erkki Mäkinen: kylätalojen vuokrat ovat yhdistyksille liian korkeat.",
	"Leena Koskinen: tilat voisi antaa maksutta iltaisin, kun ne ovat muuten tyhjinä.",
}

// footerLinks checks that the view's foot links the statements in its language.
func (p *tab) footerLinks(view, a11y, privacy string) {
	p.b.t.Helper()
	p.until(`document.querySelector(%s) && document.querySelector(%s)`, js(`.site-foot a[href="`+a11y+`"]`), js(`.site-foot a[href="`+privacy+`"]`))
	if got := p.eval(`[...document.querySelectorAll('.site-foot a')].map((a) => a.textContent).join(' | ')`); !strings.Contains(got, " | ") {
		p.b.t.Errorf("%s: the foot of %s has %q", p.name, view, got)
	}
}

// captionsShown is the text of the visible caption band, or "".
func (p *tab) captionsShown() string {
	return p.eval(`(() => { const c = document.querySelector('.captions'); return c && c.checkVisibility() ? c.innerText : ''; })()`)
}

// focusClearOfCaptions tabs through the page with the caption band shown
// and checks that no focused control is hidden under it (WCAG 2.4.11).
func (p *tab) focusClearOfCaptions(view string, tabs int) {
	p.b.t.Helper()
	p.eval(`(document.activeElement && document.activeElement.blur && document.activeElement.blur(), window.scrollTo(0, 0), '')`)
	for k := 0; k < tabs; k++ {
		p.press(kb.Tab)
		p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		bad := p.eval(`(() => {
  const e = document.activeElement, band = document.querySelector('.captions');
  if (!e || e === document.body || !band || band.hidden || band.contains(e) || e.closest('.site-foot')) return '';
  const r = e.getBoundingClientRect(), b = band.getBoundingClientRect();
  return r.top >= b.top - 1 ? (e.tagName + ' "' + (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40) + '" at ' + Math.round(r.top) + ', band from ' + Math.round(b.top)) : '';
})()`)
		if bad != "" {
			p.b.t.Errorf("%s: %s: focus under the captions: %s", p.name, view, bad)
			return
		}
	}
}

// windowShot saves what the window shows (not the whole page: the caption
// band sits at the foot of the window) when POYTA_SCREENSHOTS names a
// folder, at the tab's size, named like shot's.
func (p *tab) windowShot(name string) {
	p.b.t.Helper()
	if p.b.shots == "" {
		return
	}
	if err := os.MkdirAll(p.b.shots, 0o755); err != nil {
		p.b.t.Fatal(err)
	}
	p.until(`(window.scrollTo(0, 0), document.activeElement && document.activeElement !== document.body && document.activeElement.blur && document.activeElement.blur(), new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`)
	// Not halfway through a caption's arrival.
	p.until(`document.getAnimations().every((a) => a.playState !== 'running')`)
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	cancel()
	if err != nil {
		p.fatal("screenshot: %v", err)
	}
	size := "laptop"
	if p.mobile {
		size = "phone"
	}
	if err := os.WriteFile(filepath.Join(p.b.shots, name+"-"+size+".png"), png, 0o644); err != nil {
		p.b.t.Fatal(err)
	}
}

// TestLiveCaptions: the facilitator hands the interpreter link from the
// share dialog; what the interpreter types shows on the phone of a
// participant who turned captions on (remembered over a reload) and not on
// another's; on the room screen only once the facilitator switches it on;
// and in the minutes only once the facilitator chooses so.
func TestLiveCaptions(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, liveTextTable)
	b := newBrowser(t, s)
	b.axe = axeSource(t)

	// The facilitator's share dialog: the interpreter link and the printouts.
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.footerLinks("facilitator", "/saavutettavuus", "/tietosuoja")
	f.clickText(".bar button", f.s("fac.share"))
	f.until(`document.querySelector('#sh-interp')?.value.includes('/i/')`)
	interpLink := f.eval(`document.querySelector('#sh-interp').value`)
	if !strings.HasPrefix(interpLink, s.url+"/i/"+tb.created.ID+"#") {
		t.Fatalf("interpreter link %q", interpLink)
	}
	f.has(".share-print", f.s("share.poster"))
	f.axe("facilitator (share dialog)")
	f.noMissingKeys("facilitator (share dialog)")
	f.shot("facilitator-share", "laptop")
	var prints [][2]string // href and target of the poster's link and the forms'
	if err := json.Unmarshal([]byte(f.eval(`JSON.stringify([...document.querySelectorAll('.share-print a')].map((a) => [a.href, a.target]))`)), &prints); err != nil {
		t.Fatal(err)
	}
	f.clickText("dialog[open] button", f.s("common.close"))

	// Two participants on their phones, and the room screen.
	hearing := b.tab("kuulovammainen", true)
	hearing.open(tb.created.JoinLink)
	hearing.join("Aino Virtanen", "Ähtärin kuulovammaiset ry", "association")
	other := b.tab("toinen", true)
	other.open(tb.created.JoinLink)
	other.join("Markku Hautala", "Soinin kunta", "municipality")
	screen := b.tab("screen", false)
	screen.open(tb.created.ScreenLink)
	screen.until(`document.querySelector('.screen-title')?.textContent.length > 0`)
	screen.footerLinks("room screen", "/saavutettavuus", "/tietosuoja")
	if hearing.eval(`String(document.querySelector('.caption-toggle').offsetParent === null)`) != "true" {
		t.Error("the captions switch shows before there is any live text")
	}

	// The interpreter's page.
	in := b.tab("interpreter", false)
	in.do(chromedp.Navigate(interpLink))
	in.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelector('.interp-now')?.textContent.includes('Keskustelu')`)
	in.footerLinks("interpreter", "/saavutettavuus", "/tietosuoja")
	in.axe("interpreter")
	in.noMissingKeys("interpreter")
	in.reflow("interpreter")
	in.typeIn("#interp-text", captionLines[0])
	in.press(kb.Enter)
	in.until(`[...document.querySelectorAll('.interp-line:not(.pending)')].some((l) => l.textContent.includes(%s))`, js(captionLines[0]))
	if v := in.eval(`document.querySelector('#interp-text').value`); v != "" {
		t.Errorf("the field keeps %q after Enter", v)
	}

	// Only the participant who asks sees the captions.
	hearing.clickText(".caption-toggle", hearing.s("captions.show"))
	hearing.until(`document.querySelector('.caption-toggle').getAttribute('aria-pressed') === 'true'`)
	hearing.until(`document.querySelector('.captions:not([hidden]) .caption-line')?.textContent === %s`, js(captionLines[0]))
	in.typeIn("#interp-text", captionLines[1])
	in.clickText(".interp-send", in.s("interp.send"))
	in.typeIn("#interp-text", captionLines[2])
	in.press(kb.Enter)
	hearing.until(`document.querySelector('.caption-line.latest')?.textContent === %s`, js(captionLines[2]))
	if got := hearing.captionsShown(); !strings.Contains(got, captionLines[1]) {
		t.Errorf("the phone's captions lack the history: %q", got)
	}
	if role := hearing.eval(`document.querySelector('.caption-lines').getAttribute('role') + ' ' + document.querySelector('.caption-lines').getAttribute('aria-live')`); role != "log polite" {
		t.Errorf("the captions are %q, want a polite log", role)
	}
	if fs := hearing.eval(`getComputedStyle(document.querySelector('.caption-line.latest')).fontSize`); hearing.eval(`String(parseFloat(%s) >= 20)`, js(fs)) != "true" {
		t.Errorf("caption type %s is not large", fs)
	}
	// A new line arrives gently, or at once for those who asked for less motion.
	if a := hearing.eval(`getComputedStyle(document.querySelector('.caption-line.latest')).animationName`); a != "arrive" {
		t.Errorf("a new caption's animation is %q, want arrive", a)
	}
	if _, err := chromedp.Call(hearing.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}}); err != nil {
		t.Fatal(err)
	}
	if a := hearing.eval(`getComputedStyle(document.querySelector('.caption-line.latest')).animationName`); a != "none" {
		t.Errorf("with reduced motion a new caption's animation is %q", a)
	}
	// Lines that fit show whole; on a short window the oldest loses its
	// start above the band, and that edge fades (the newest words stay).
	whole := `(() => { const l = document.querySelector('.caption-lines'), top = l.getBoundingClientRect().top; return !l.classList.contains('clipped') && [...l.children].every((c) => c.getBoundingClientRect().top >= top - 1); })()`
	if hearing.eval(`String(%s)`, whole) != "true" {
		t.Error("three short caption lines do not show whole on a phone")
	}
	hearing.do(hearing.viewport(390, 420, true))
	hearing.until(`(() => { const l = document.querySelector('.caption-lines'); return l.classList.contains('clipped') && getComputedStyle(l).maskImage.includes('gradient') && l.lastElementChild.getBoundingClientRect().bottom <= l.getBoundingClientRect().bottom + 1; })()`)
	hearing.do(hearing.viewport(hearing.w, hearing.h, true))
	hearing.until("%s", whole)
	hearing.axe("participant with captions")
	hearing.noMissingKeys("participant with captions")
	hearing.focusClearOfCaptions("participant with captions", 12)
	hearing.windowShot("participant-captions")
	other.until(`window.__poyta.state.captions?.length === 3`)
	if got := other.captionsShown(); got != "" || strings.Contains(other.text("body"), captionLines[2]) {
		t.Errorf("captions on the phone of someone who did not ask for them: %q", got)
	}

	// The choice is remembered on the device.
	hearing.do(chromedp.Reload())
	hearing.until(`document.querySelector('.captions:not([hidden]) .caption-line.latest')?.textContent === %s`, js(captionLines[2]))
	hearing.clickText(".caption-hide", hearing.s("captions.hide"))
	hearing.until(`document.querySelector('.captions').hidden && document.activeElement === document.querySelector('.caption-toggle')`)
	hearing.clickText(".caption-toggle", hearing.s("captions.show"))
	hearing.until(`!document.querySelector('.captions').hidden`)

	// The room screen: only when the facilitator switches it on.
	screen.until(`window.__poyta.state.captions?.length === 3`)
	if got := screen.captionsShown(); got != "" {
		t.Errorf("captions on the room screen before the switch: %q", got)
	}
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.clickText("label", f.s("settings.captionsOnScreen"))
	f.axe("facilitator (settings)")
	f.do(chromedp.Click(chromedp.CSS(".settings-form button[type=submit]")))
	screen.until(`document.querySelector('.captions:not([hidden]) .caption-line.latest')?.textContent === %s`, js(captionLines[2]))
	in.until(`document.querySelector('.interp-where').textContent === %s`, js(in.s("interp.screenOn")))
	screen.axe("room screen with captions")
	screen.noMissingKeys("room screen with captions")
	screen.windowShot("screen-captions")
	in.shot("interpreter", "laptop")

	// The minutes: without the live text by default, with it when chosen.
	mdMinutes := func() string {
		dir := f.downloads()
		f.menuPick(".minutes-menu", "", f.s("fac.minutesAs.md"))
		_, body := f.downloaded(dir, ".md")
		return body
	}
	if md := mdMinutes(); strings.Contains(md, captionLines[0]) || strings.Contains(md, "Kirjoitustulkkaus") {
		t.Errorf("the minutes have the live text by default:\n%s", md)
	}
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.clickText("label", f.s("settings.captionsInMinutes"))
	f.do(chromedp.Click(chromedp.CSS(".settings-form button[type=submit]")))
	f.until(`window.__poyta.state.table.captionsInMinutes === true`)
	md := mdMinutes()
	for _, want := range append([]string{"## Kirjoitustulkkaus", "### 1. Keskustelu: järjestöystävällinen kunta"}, captionLines...) {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}

	// The printouts open and render.
	pr := b.tab("printer", false)
	if len(prints) != 2 || !strings.HasSuffix(prints[0][0], "/poster") || !strings.HasSuffix(prints[1][0], "/forms") {
		t.Fatalf("print links %q", prints)
	}
	for _, l := range prints {
		href, target := l[0], l[1]
		if target != "_blank" || !strings.HasPrefix(href, s.url+"/api/join/"+tb.created.Code+"/") {
			t.Fatalf("print link %q opens in %q", href, target)
		}
		pr.do(chromedp.Navigate(href))
		pr.until(`document.readyState === 'complete' && document.body.innerText.includes('Ähtärin ja Soinin') && document.body.innerText.includes(%s)`, js(tb.created.Code))
	}
	// The forms (the last page opened) have the item's question; the poster, the QR code.
	pr.has("body", "Mikä tekisi kunnastamme järjestöystävällisemmän?")
	pr.do(chromedp.Navigate(prints[0][0]))
	pr.until(`document.querySelector('svg path') && document.body.innerText.includes(%s)`, js(tb.created.Code))

	// The foot follows the view's language.
	other.choose("select.lang", "Svenska")
	other.footerLinks("participant (sv)", "/tillganglighet", "/dataskydd")
}

// TestStatementsLinked: the start page links the statements; the
// accessibility statement shows the deployer's details, in the person's
// language; the privacy notice is one link away.
func TestStatementsLinked(t *testing.T) {
	s := startSite(t, func(c *web.Config) {
		c.Site = web.Site{Organisation: "Ähtärin kaupunki", Feedback: "saavutettavuus@ahtari.example.fi", Reviewed: "2027-02-01",
			PrivacyEmail: "kirjaamo@ahtari.example.fi", RetentionText: "365d"}
	})
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	p := b.tab("visitor", false)
	p.open("/")
	p.until(`document.querySelector('.create-card')`)
	p.footerLinks("start", "/saavutettavuus", "/tietosuoja")
	p.clickText(".site-foot a", p.s("foot.accessibility"))
	p.until(`location.pathname === '/saavutettavuus' && document.querySelector('h1')`)
	p.has("main", "saavutettavuus@ahtari.example.fi")
	p.axe("accessibility statement")
	p.reflow("accessibility statement")
	p.shot("statement-accessibility")
	p.clickText(".statement-langs a", "sv")
	p.until(`document.documentElement.lang === 'sv' && location.search === '?lang=sv'`)
	p.clickText(".statement-other a", p.eval(`document.querySelector('.statement-other a').textContent`))
	p.until(`location.pathname === '/privacy' && document.documentElement.lang === 'sv' && document.body.innerText.includes('kirjaamo@ahtari.example.fi')`)
	p.axe("privacy notice")
	p.open("/j/KP-0000-0000")
	p.until(`document.querySelector('.form-error')`)
	p.footerLinks("join (unknown code)", "/saavutettavuus", "/tietosuoja")
}

// windows1252 writes Finnish text as Excel saves a CSV in Finland: one
// byte a letter (ä, ö and å are Latin-1 there), CRLF line ends.
func windows1252(t *testing.T, s string) []byte {
	t.Helper()
	var out []byte
	for _, r := range strings.ReplaceAll(s, "\n", "\r\n") {
		if r > 0xff {
			t.Fatalf("%q is not in Windows-1252's Latin-1 part", r)
		}
		out = append(out, byte(r))
	}
	return out
}

// TestImportFromPaper: ideas written on paper, typed into a spreadsheet and
// saved as Excel does (Windows-1252, ";"), go into an item through the
// dialog: a bad row shows with its line and nothing is imported; the fixed
// file imports every idea, marked as from paper, with its room group.
func TestImportFromPaper(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, liveTextTable)
	tb.fac.do("group.add", map[string]any{"name": "Sali, pöytä 2"})
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	dir := t.TempDir()
	messy := "Idea;Nimi tai organisaatio;Ryhmä;Pisteet\n" +
		"Kylätalot auki iltaisin yhdistyksille;Inhan kyläyhdistys ry;Sali, pöytä 2;3\n" +
		"Yhteinen tapahtumakalenteri kunnan sivuille;Ähtärin Urheilijat ry;;kolme\n" +
		"Avustushaun ohje selkokielellä;;;\n"
	fixed := strings.Replace(messy, ";kolme", ";2", 1)
	for name, body := range map[string]string{"paperi.csv": messy, "korjattu.csv": fixed} {
		if err := os.WriteFile(filepath.Join(dir, name), windows1252(t, body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.menuPick(".agenda-item", "Keskustelu", f.s("agenda.import"))
	f.until(`document.querySelector('.import-dialog[open]')`)

	// A file that is not what the dialog asks for says so, with where.
	if err := os.WriteFile(filepath.Join(dir, "muistiinpanot.csv"), []byte("Päivämäärä,Muistiinpano\n2027-02-25,Kylätalot\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f.do(chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{filepath.Join(dir, "muistiinpanot.csv")}))
	f.has(".import-problems", strings.ReplaceAll(f.s("import.line"), "{n}", "1"))
	f.has(".import-problems", `unknown column "Päivämäärä"`)
	f.has(".import-problems", "no text column")
	f.clickText(".import-dialog button", f.s("common.cancel"))
	f.until(`!document.querySelector('.import-dialog').open`)
	f.menuPick(".agenda-item", "Keskustelu", f.s("agenda.import"))
	f.until(`document.querySelector('.import-dialog[open]') && document.activeElement === document.querySelector('#imp-file') && !document.querySelector('.import-problems')`)
	f.has(".import-item", "Keskustelu: järjestöystävällinen kunta")
	f.do(chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{filepath.Join(dir, "paperi.csv")}))
	f.until(`document.querySelector('.import-table .row-bad')`)
	bad := f.eval(`[...document.querySelectorAll('.import-table .row-bad')].map((r) => r.innerText.replace(/\s+/g, ' ')).join(' / ')`)
	if !strings.HasPrefix(bad, "3 Yhteinen tapahtumakalenteri kunnan sivuille Ähtärin Urheilijat ry") || !strings.Contains(bad, f.s("import.problem.invalid_value")) {
		t.Errorf("the bad row reads %q", bad)
	}
	if n := f.eval(`String(document.querySelectorAll('.import-table tbody tr').length)`); n != "3" {
		t.Errorf("%s rows in the preview, want 3", n)
	}
	f.has(".import-error", strings.ReplaceAll(f.s("import.bad.one"), "{n}", "1"))
	f.has(".import-table", "Kylätalot auki iltaisin yhdistyksille")
	if f.eval(`String(document.querySelector('.import-go').offsetParent === null)`) != "true" {
		t.Error("the import button shows while the file has a problem")
	}
	f.axe("import preview with a problem")
	// On a phone the rows stack: nothing to scroll sideways, the check in view.
	f.do(f.viewport(390, 844, true))
	f.until(`(() => { const w = document.querySelector('.import-wrap'), c = document.querySelector('.import-table .row-bad .col-check'); return w.scrollWidth <= w.clientWidth + 1 && c.getBoundingClientRect().right <= w.getBoundingClientRect().right + 1 && c.getBoundingClientRect().width > 150; })()`)
	f.axe("import preview with a problem, on a phone")
	f.do(f.viewport(f.w, f.h, f.mobile))
	f.noMissingKeys("import preview")
	f.shot("import-preview", "laptop")
	var v struct {
		Ideas []struct{ Text string } `json:"ideas"`
	}
	tb.fac.fresh(&v)
	if len(v.Ideas) != 0 {
		t.Fatalf("a file with a problem imported %d ideas", len(v.Ideas))
	}

	// Fixed and chosen again: every idea goes in at once.
	f.do(chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{filepath.Join(dir, "korjattu.csv")}))
	f.until(`document.querySelector('.import-go')?.offsetParent && !document.querySelector('.import-table .row-bad')`)
	f.has(".import-table", "Sali, pöytä 2")
	f.clickText(".import-go", strings.ReplaceAll(f.s("import.button.other"), "{n}", "3"))
	f.until(`!document.querySelector('.import-dialog').open && document.querySelectorAll('.mod-list > li').length === 3`)
	f.has(".toasts", strings.ReplaceAll(f.s("import.done.other"), "{n}", "3"))
	f.until(`document.activeElement?.matches('.agenda-item .btn-dots')`)
	src := f.eval(`[...document.querySelectorAll('.mod-list > li')].map((li) => li.innerText.replace(/\s+/g, ' ')).join(' / ')`)
	if strings.Count(src, f.s("idea.paper")) != 3 || !strings.Contains(src, "Sali, pöytä 2 · Inhan kyläyhdistys ry · "+f.s("idea.paper")) {
		t.Errorf("the imported ideas read %q", src)
	}

	// A participant sees them marked as from paper too.
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.join("Aino Virtanen", "", "resident")
	p.has(".idea-list", "Avustushaun ohje selkokielellä")
	p.has(".idea-list .idea-src", f.s("idea.paper"))
}
