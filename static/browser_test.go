package static_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/session/web"
)

// fieldID returns the id of the n-th control whose label is label.
func (p *tab) fieldID(label string, n int) string {
	p.b.t.Helper()
	p.until(`[...document.querySelectorAll('label')].filter((l) => l.textContent === %s).length > %d`, js(label), n)
	return "#" + p.eval(`[...document.querySelectorAll('label')].filter((l) => l.textContent === %s)[%d].htmlFor`, js(label), n)
}

func (p *tab) fill(label string, n int, value string) {
	p.b.t.Helper()
	p.setField(p.fieldID(label, n), value)
}
func (p *tab) typeLabel(label string, n int, value string) {
	p.b.t.Helper()
	p.typeIn(p.fieldID(label, n), value)
}

// menuPick opens the menu of the visible element matching sel that
// contains has (any, when has is empty) and picks the command item.
func (p *tab) menuPick(sel, has, item string) {
	p.b.t.Helper()
	p.until(`(() => { const c = [...document.querySelectorAll(%s)].find((e) => e.textContent.includes(%s) && e.offsetParent !== null); if (!c) return false; const b = c.matches('[aria-haspopup=menu]') ? c : [...c.querySelectorAll('[aria-haspopup=menu]')].find((b) => b.offsetParent !== null); if (!b) return false; if (b.getAttribute('aria-expanded') !== 'true') b.click(); return true; })()`, js(sel), js(has))
	p.clickText("[role=menuitem]", item)
}

// choose selects the option of a select whose text starts with text.
func (p *tab) choose(sel, text string) {
	p.b.t.Helper()
	p.until(`(() => { const s = [...document.querySelectorAll(%s)].find((s) => s.offsetParent !== null); if (!s) return false; const o = [...s.options].find((o) => o.textContent.startsWith(%s)); if (!o) return false; s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, js(sel), js(text))
}

func (p *tab) has(sel, text string) {
	p.b.t.Helper()
	// Soft hyphens (the room screen's, js/hyphenate.js) are not text.
	p.until(`[...document.querySelectorAll(%s)].some((e) => e.innerText.replace(/\u00ad/g, '').includes(%s))`, js(sel), js(text))
}

// noMissingKeys checks that every string on the page was translated and
// that no missing value shows up as "null", "undefined" or "NaN".
func (p *tab) noMissingKeys(view string) {
	p.b.t.Helper()
	if s := p.eval(`document.body.innerText.includes('⟦') ? document.body.innerText : ''`); s != "" {
		p.b.t.Errorf("%s: missing translations on %s: %.500s", p.name, view, s)
	}
	if s := p.eval(`(document.body.innerText.match(/.{0,60}(\b(null|undefined|NaN)\b|\[object Object\]).{0,60}/) || [''])[0]`); s != "" {
		p.b.t.Errorf("%s: a missing value shows on %s: %q", p.name, view, s)
	}
}

// join fills the join form as a person would and waits until they are at the table.
func (p *tab) join(name, org, sector string) {
	p.b.t.Helper()
	p.fill(p.s("join.name"), 0, name)
	p.fill(p.s("join.org"), 0, org)
	p.choose(p.fieldID(p.s("join.sector"), 0), p.s("sector."+sector))
	p.clickText("form button", p.s("join.button"))
	p.until(`document.querySelector('.now-title') && document.querySelector('.status').dataset.state === 'online'`)
}

// Hostile text: it must stay text in every view.
const (
	evilName = `<img src=x onerror=alert(1)>`
	evilOrg  = `"><script>alert(2)</script>`
	evilIdea = `</textarea><b>lihava</b> javascript:alert(3)`
)

// TestWholeTable plays a partnership table through the UI: one
// facilitator, three participants (one with a hostile name), a room screen
// and a scribe, each in their own browser context. Then the facilitator
// continues the series with the next table, whose first item reviews the
// first table's open actions.
func TestWholeTable(t *testing.T) {
	started := time.Now()
	s := startSite(t)
	b := newBrowser(t, s)
	b.axe = axeSource(t)

	// The facilitator creates the Ähtäri–Soini table.
	f := b.tab("facilitator", false)
	f.open("/")
	f.until(`document.querySelector('.create-card')`)
	f.noMissingKeys("start")
	f.axe("start")
	f.typeLabel(f.s("start.title"), 0, "Ähtärin ja Soinin kumppanuuspöytä")
	f.fill(f.s("start.theme"), 0, "Millainen on järjestöystävällinen kunta?")
	f.fill(f.s("start.date"), 0, "2027-02-25")
	f.fill(f.s("start.start"), 0, "17:00")
	f.fill(f.s("start.end"), 0, "19:00")
	f.fill(f.s("start.link"), 0, "https://teams.example.fi/kumppanuuspoyta")
	f.fill(f.s("start.facilitator"), 0, "Anu Hätinen")
	f.fill(f.s("start.itemTitle"), 0, "Kaupungin tervehdys")
	f.fill(f.s("start.itemPresenter"), 0, "vs. kaupunginjohtaja, Ähtäri")
	f.fill(f.s("start.itemTimebox"), 0, "10")
	f.clickText("button", f.s("start.addItem"))
	f.fill(f.s("start.itemTitle"), 1, "Keskustelu: järjestöystävällinen kunta")
	f.fill(f.s("start.itemQuestion"), 1, "Mikä tekisi kunnastamme järjestöystävällisemmän?")
	f.fill(f.s("start.itemTimebox"), 1, "50")
	f.clickText("button", f.s("start.addItem"))
	f.fill(f.s("start.itemTitle"), 2, "Konkreettiset yhteistyön askeleet ja toteuttajatiimi")
	f.fill(f.s("start.itemTimebox"), 2, "30")
	f.reflow("start page")
	f.shot("start")
	f.clickText("button", f.s("start.create"))
	f.until(`document.querySelector('#f-link')`)
	fLink := f.eval(`document.querySelector('#f-link').value`)
	sLink := f.eval(`document.querySelector('#s-link').value`)
	code := f.eval(`document.querySelector('.code-big').textContent`)
	f.until(`document.querySelector('img.qr').complete && document.querySelector('img.qr').naturalWidth > 0`)
	f.noMissingKeys("created")
	f.axe("created")
	f.reflow("created page")
	f.shot("created")
	if !strings.Contains(fLink, "/f/") || !strings.Contains(fLink, "#") || !strings.HasPrefix(code, "KP-") {
		t.Fatalf("links: %q %q", fLink, code)
	}
	f.do(chromedp.Navigate(fLink))
	f.has(".fac-title", "Ähtärin ja Soinin kumppanuuspöytä")
	f.until(`document.querySelector('.status').dataset.state === 'online'`)

	// The room screen.
	scr := b.tab("screen", false)
	scr.do(chromedp.Navigate(sLink))
	scr.has(".code-big", code)
	scr.until(`document.querySelector('.screen-join img').naturalWidth > 0`)

	// Matti joins by typing the code as he heard it; Liisa opens the join
	// link; a third joins with a name and an organisation that are HTML.
	pa := b.tab("matti", true)
	pa.open("/")
	pa.typeIn(".code-input", strings.ToLower(strings.ReplaceAll(code, "-", " ")))
	pa.clickText("button", pa.s("start.joinButton"))
	pa.until(`document.querySelector('.table-card')`)
	pa.join("Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	pb := b.tab("liisa", true)
	pb.open("/j/" + code)
	pb.has(".table-title", "Ähtärin ja Soinin kumppanuuspöytä")
	pb.noMissingKeys("join")
	pb.axe("join")
	pb.reflow("join page")
	pb.shot("join")
	pb.join("Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	ph := b.tab("hostile", true)
	ph.open("/j/" + code)
	ph.join(evilName, evilOrg, "resident")
	f.has(".presence", "3")
	f.literal("people list", evilName+", "+evilOrg)
	pa.axe("participant (collect, first item)")

	// The facilitator opens the discussion and adds a room group.
	f.clickIn(".agenda-item", "Keskustelu", f.s("agenda.open"))
	pa.has(".now-title", "Keskustelu")
	pb.has(".now-title", "Keskustelu")
	scr.has(".screen-title", "Keskustelu")
	f.typeIn("#group-name", "Sali, pöytä 2")
	f.clickText(".inline-form button", f.s("groups.add"))
	f.until(`document.querySelector('.group-item[data-link*="/r/"]')`)
	scribeLink := f.eval(`document.querySelector('.group-item[data-link*="/r/"]').dataset.link`)

	// Ideas arrive live everywhere; Liisa posts one anonymously; the hostile
	// idea is text in every view, the room screen included.
	pa.typeIn("#idea-text", "Yhteinen tapahtumakalenteri kaikille yhdistyksille")
	pa.clickText(".idea-form button", pa.s("idea.send"))
	pa.typeIn("#idea-text", "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin")
	pa.clickText(".idea-form button", pa.s("idea.send"))
	pb.typeIn("#idea-text", "Järjestöyhteyshenkilö kaupungin organisaatioon")
	pb.do(chromedp.Click(chromedp.CSS("#idea-anon")))
	pb.clickText(".idea-form button", pb.s("idea.send"))
	ph.typeIn("#idea-text", evilIdea)
	ph.clickText(".idea-form button", ph.s("idea.send"))
	pa.has(".idea-list", "Järjestöyhteyshenkilö")
	pa.has(".idea-list .idea-src", pa.s("idea.anonymous"))
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 4`)
	if strings.Contains(scr.text(".screen"), "Liisa") || strings.Contains(scr.text(".screen"), "Matti") {
		t.Error("the room screen shows an author")
	}
	scr.literal("ideas", evilIdea)
	pa.literal("ideas", evilIdea, evilName+", "+evilOrg)
	ph.literal("own idea", evilIdea)
	f.literal("moderation", evilIdea, evilName+", "+evilOrg)

	// The scribe of a room table enters the group's ideas.
	sc := b.tab("scribe", false)
	sc.do(chromedp.Navigate(scribeLink))
	sc.has(".scribe-group", "Sali, pöytä 2")
	sc.typeIn("#scribe-text", "Seurojen yhteinen varustevarasto")
	sc.fill(sc.s("scribe.whoLabel"), 0, "Pekka, Soinin Sisu")
	sc.clickText(".idea-form button", sc.s("scribe.add"))
	sc.has(".scribe-list", "varustevarasto")
	f.has(".mod-list", "varustevarasto")
	sc.axe("scribe (collect)")
	sc.shot("scribe")

	// Liisa's connection is cut. Offline she sends an idea and starts typing
	// another; the facilitator adds an idea meanwhile. Back online, her
	// idea goes through with its op id and she catches up.
	pb.offline(true)
	s.cutWebsockets()
	pb.until(`document.querySelector('.status').dataset.state !== 'online'`)
	pb.typeIn("#idea-text", "Avustushaku yhdelle lomakkeelle ja selkokielelle")
	pb.clickText(".idea-form button", pb.s("idea.send"))
	pb.has(".pending-list", "Avustushaku")
	pb.typeIn("#idea-text", "Kylätalojen yhteiskäyttö")
	pb.shot("participant-offline", "phone")
	pb.reflow("participant (offline)")
	f.until(`document.querySelector('.status').dataset.state === 'online'`)
	f.do(chromedp.Click(chromedp.CSS(".behalf summary")))
	f.typeLabel(f.s("fac.behalfText"), 0, "Maksuttomat tilat yhdistyksille")
	f.fill(f.s("fac.behalfWho"), 0, "Eeva Kallio, Soinin kyläyhdistys")
	f.clickText(".behalf-form button", f.s("fac.behalfAdd"))
	f.has(".mod-list", "Maksuttomat tilat")
	if got := pb.eval(`document.querySelector('#idea-text').value`); got != "Kylätalojen yhteiskäyttö" {
		t.Errorf("typed text while offline: %q", got)
	}
	pb.offline(false)
	pb.until(`document.querySelector('.status').dataset.state === 'online'`)
	pb.has(".idea-list:not(.pending-list)", "Avustushaku")
	pb.has(".idea-list", "Maksuttomat tilat")
	pb.until(`document.querySelectorAll('.pending-list li').length === 0`)
	f.has(".mod-list", "Avustushaku")
	pb.sameState("after catching up")
	f.sameState("after the cut")
	// A reload keeps the person and the typed text.
	pb.do(chromedp.Reload())
	pb.until(`document.querySelector('#idea-text') && document.querySelector('#idea-text').value === 'Kylätalojen yhteiskäyttö'`)
	pb.has(".profile summary", "Liisa Virtanen")
	pb.has(".idea-list .idea.mine", "Järjestöyhteyshenkilö")

	// Merge a duplicate: its menu, then the idea it goes into.
	f.menuPick(".mod-list > li", "Maksuttomat tilat", f.s("fac.merge"))
	f.clickText(".merge-form .merge-target", "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin")
	f.has(".mod-list", "↳")
	pa.until(`![...document.querySelectorAll('.idea-list .idea-text')].some((e) => e.textContent.includes('Maksuttomat tilat'))`)
	f.axe("facilitator (collect)")
	scr.shot("screen-collect", "laptop")
	pa.reflow("participant (collect)")
	pa.shot("participant-collect")

	// Voting: Matti spends his whole budget; Liisa two dots; the scribe
	// records the room's dots; the group gets a better name meanwhile.
	f.clickText(".phase-row button", "Seuraava: "+f.s("phase.vote")+" →")
	pa.until(`document.querySelector('.dots-left') && document.querySelector('.dots-left').offsetParent`)
	for i := 0; i < 3; i++ {
		pa.until(`(() => { const b = [...document.querySelectorAll('.idea-list .btn-plus')].find((b) => !b.disabled && b.offsetParent); if (!b) return false; b.click(); return true; })()`)
		pa.until(`document.querySelector('.status').textContent === %s`, js(pa.s("status.online")))
	}
	pa.has(".dots-left", "0/3")
	pa.until(`[...document.querySelectorAll('.idea-list .btn-plus')].every((b) => b.disabled)`)
	pb.clickIn(".idea-list > li", "Kunnan tilat", "+")
	pb.clickIn(".idea-list > li", "Avustushaku", "+")
	pb.has(".dots-left", "1/3")
	sc.until(`document.querySelectorAll('.dots-form input').length >= 5`)
	sc.literal("dots", evilIdea)
	sc.until(`(() => { const li = [...document.querySelectorAll('.scribe-list > li')].find((l) => l.textContent.includes('Kunnan tilat')); if (!li) return false; const i = li.querySelector('input'); i.value = '4'; li.querySelector('button').click(); return true; })()`)
	f.has(".cast", "9")
	scr.has(".screen-cast", "9")
	f.menuPick(".group-item", "Sali, pöytä 2", f.s("groups.rename"))
	f.until(`document.activeElement && document.activeElement.closest('.rename-form')`)
	f.setField(".rename-form input", "Ikkunapöytä")
	f.clickText(".rename-form button", f.s("common.save"))
	f.has(".group-item .g-name", "Ikkunapöytä")
	sc.has(".scribe-group", "Ikkunapöytä")
	f.has(".mod-list", "6 pistettä (Osallistujat: 2 · Ikkunapöytä: 4)")
	pa.axe("participant (vote)")
	pa.reflow("participant (vote)")
	pa.shot("participant-vote", "phone")
	sc.shot("scribe-vote", "laptop")

	// Reveal: everyone sees the ranked result, the room group's dots labelled with its name.
	f.clickText(".voting-box button", f.s("fac.reveal"))
	pa.until(`document.querySelector('.results-card') && !document.querySelector('.results-card').hidden`)
	pa.has(".results li:first-child", "Kunnan tilat")
	pa.has(".results li:first-child", "6 pistettä")
	pa.has(".results li:first-child .result-split", "Osallistujat: 2")
	pa.has(".results li:first-child .result-split", "Ikkunapöytä: 4")
	pa.noMissingKeys("participant (results)")
	scr.has(".screen-results .results li:first-child", "Kunnan tilat")
	scr.has(".screen-results .results li:first-child .result-split", "Ikkunapöytä: 4")
	scr.has(".screen-results .results li:first-child .result-split", "Osallistujat: 2")
	scr.literal("results", evilIdea)
	scr.noMissingKeys("screen (results)")
	scr.axe("screen (results)")
	scr.shot("screen-results", "laptop")

	// Actions: from the top idea, owners, due date; Liisa volunteers, the
	// third participant for their organisation; Matti proposes one; the
	// facilitator adds one for an organisation that is not present.
	f.clickText(".phase-row button", "Seuraava: "+f.s("phase.actions")+" →")
	// The top idea becomes an action with its owner in one go.
	f.clickIn(".mod-list > li", "Kunnan tilat", f.s("fac.toActionShort"))
	f.clickText("[role=menuitem]", "Matti Meikäläinen")
	f.until(`document.querySelector('.actions-board .action')`)
	f.has(".actions-board .owners", "Matti Meikäläinen")
	f.typeIn(".actions-board .owner-org input", "Keski-Suomen Yhteisöjen Tuki ry")
	f.clickText(".actions-board .owner-org button", f.s("action.add"))
	f.has(".actions-board .owners", "Keski-Suomen Yhteisöjen Tuki ry")
	f.setField(".actions-board .action-edit input[type=date]", "2027-04-30")
	pb.clickText(".action-list button", pb.s("action.volunteer"))
	f.has(".actions-board .owners", "Liisa Virtanen")
	pa.has(".action-list", "Liisa Virtanen")
	ph.do(chromedp.Click(chromedp.CSS("#vol-org")))
	ph.clickText(".action-list button", ph.s("action.volunteer"))
	f.literal("owners", evilName+" ("+evilOrg+")")
	pa.literal("owners", evilName+" ("+evilOrg+")")
	pa.typeIn("#action-title", "Yhdistysinfo kirjastolla kerran kuussa")
	pa.clickText(".action-form button", pa.s("action.propose"))
	f.until(`document.querySelectorAll('.actions-board .action').length === 2`)
	f.do(chromedp.Click(chromedp.CSS(".add-action summary")))
	f.fill(f.s("action.title"), 0, "Avustushaun selkokielinen ohje")
	f.fill(f.s("action.ownerOrg"), 0, "Soinin kunta")
	f.clickText(".add-action button", f.s("action.create"))
	f.until(`document.querySelectorAll('.actions-board .action').length === 3`)
	pa.axe("participant (actions)")
	pa.reflow("participant (actions and results)")
	pa.shot("participant-actions", "phone")

	// Notes, the speaking queue, lock.
	f.do(chromedp.Click(chromedp.CSS(".notes-box summary")))
	f.typeIn("#notes", "Kaupunki selvittää tilojen maksuttoman käytön kevään aikana.")
	f.clickText(".notes-box button", f.s("fac.notesSave"))
	f.has(".notes-box", f.s("fac.notesSaved"))
	pa.clickText(".btn-hand", pa.s("queue.raise"))
	f.has(".queue-list", "Matti Meikäläinen")
	f.clickText(".queue-list button", f.s("queue.give"))
	pa.has(".floor", pa.s("queue.yourTurn"))
	f.menuPick(".table-menu", "", f.s("fac.lock"))
	pb.has(".banner-slot", pb.s("table.lockedNote"))
	f.menuPick(".table-menu", "", f.s("fac.unlock"))
	pb.until(`!document.querySelector('.banner-locked')`)
	f.axe("facilitator (actions)")
	f.reflow("facilitator (actions)")
	sc.reflow("scribe (vote)")
	scr.reflow("screen (results)")

	// Each person's language switch; every view renders with no missing key.
	for _, lang := range []string{"sv", "en", "fi"} {
		for _, p := range []*tab{f, pa, scr, sc} {
			p.choose(".lang", map[string]string{"sv": "Svenska", "en": "English", "fi": "Suomi"}[lang])
			p.until(`document.documentElement.lang === %s && document.querySelector('.status').dataset.state === 'online'`, js(lang))
			p.noMissingKeys(p.name + " in " + lang)
		}
		if lang == "sv" {
			pa.shot("participant-sv", "phone")
		}
	}

	// The facilitator ends the table. Every browser's folded view equals
	// the server's snapshot for its credential.
	f.menuPick(".table-menu", "", f.s("fac.close"))
	pa.has(".banner-slot", pa.s("table.closedNote"))
	scr.has(".banner-slot", scr.s("table.closedNote"))
	pa.axe("participant (closed)")
	for _, p := range []*tab{f, pa, pb, ph, sc, scr} {
		p.sameState("at the end of the table")
	}
	t.Logf("first table played in %v", time.Since(started).Round(time.Millisecond))

	continueSeries(t, b, f, pa, scr, fLink)
	t.Logf("whole series played in %v", time.Since(started).Round(time.Millisecond))
}

// continueSeries creates the next table of the series from the first
// one's facilitator link on the start page and reviews the first table's
// open actions: one done with a note, one carried on, one dropped.
func continueSeries(t *testing.T, b *browser, f, pa, scr *tab, fLink string) {
	// The facilitator view links to the start page with this table's link.
	f.menuPick(".table-menu", "", f.s("fac.nextTable"))
	f.until(`document.querySelector('.series-box.series-on')`)
	f.has(".series-state", strings.Replace(f.s("start.seriesOk"), "{title}", "Ähtärin ja Soinin kumppanuuspöytä", 1))
	if h := f.eval(`location.href + ' ' + sessionStorage.getItem('poyta:continue')`); strings.Contains(h, "#") || !strings.HasSuffix(h, " null") {
		t.Errorf("the facilitator link is left in the address or the tab's storage: %q", h)
	}
	// Pasting: a wrong link is refused at once, the right one recognised; a
	// remembered table can be picked as well.
	link := f.fieldID(f.s("start.seriesLink"), 0)
	f.setField(link, "https://poyta.example.fi/j/KP-1234-ABCD")
	f.has(".series-state.series-bad", f.s("start.seriesBad"))
	f.choose(f.fieldID(f.s("start.seriesPick"), 0), "Ähtärin ja Soinin")
	f.until(`document.querySelector(%s).value === %s`, js(link), js(fLink))
	f.setField(link, "")
	f.until(`!document.querySelector('.series-box.series-on')`)
	f.setField(link, fLink)
	f.has(".series-state.series-ok", "Ähtärin ja Soinin kumppanuuspöytä")
	f.has(".create-card", f.s("start.agendaCopied"))
	f.typeLabel(f.s("start.title"), 0, "Alavuden kumppanuuspöytä")
	f.fill(f.s("start.date"), 0, "2027-04-08")
	f.fill(f.s("start.facilitator"), 0, "Anu Hätinen")
	f.noMissingKeys("start (series)")
	f.axe("start (series)")
	f.reflow("start page (series)")
	f.shot("start-series", "laptop")
	// A link with a wrong key is refused by the server, and said so.
	f.setField(link, fLink[:strings.Index(fLink, "#")]+"#vaara-avain")
	f.clickText("button", f.s("start.create"))
	f.has(".create-card .form-error", f.s("start.seriesRefused"))
	f.setField(link, fLink)
	f.clickText("button", f.s("start.create"))
	f.until(`document.querySelector('#f-link')`)
	f.has(".series-card", "3 avointa toimenpidettä")
	f.has(".series-card", f.s("created.agendaCopied"))
	code := f.eval(`document.querySelector('.code-big').textContent`)
	sLink := f.eval(`document.querySelector('#s-link').value`)
	dir := f.downloads()
	f.clickText(".warn-card a", f.s("created.open"))
	f.has(".fac-title", "Alavuden kumppanuuspöytä")
	f.until(`document.querySelectorAll('.follow-panel .fu').length === 3`)
	f.has(".agenda-item.current", "Edellisen pöydän toimenpiteiden seuranta")
	f.has(".agenda-edit", "Konkreettiset yhteistyön askeleet")

	// Matti joins the new table (his details are remembered on the phone);
	// the room screen shows it.
	pa.open("/j/" + code)
	pa.clickText("form button", pa.s("join.button"))
	pa.until(`document.querySelector('.follow') && !document.querySelector('.follow').hidden`)
	scr.do(chromedp.Navigate(sLink))
	scr.until(`document.querySelectorAll('.screen-follow .fu').length === 3`)

	// The review.
	f.clickIn(".follow-panel .fu", "Kunnan tilat", f.s("follow.outcome.carried"))
	f.until(`[...document.querySelectorAll('.follow-panel .fu')].find((l) => l.textContent.includes('Yhdistysinfo')).querySelector('textarea')`)
	f.typeIn(`.follow-panel .fu:nth-child(2) textarea`, "Aloitettu maaliskuussa kaupunginkirjastossa.")
	f.clickIn(".follow-panel .fu", "Yhdistysinfo", f.s("follow.outcome.done"))
	f.clickIn(".follow-panel .fu", "Avustushaun selkokielinen ohje", f.s("follow.outcome.dropped"))
	f.has(".follow-panel h3", "3/3")
	f.has(".follow-panel .fu[data-outcome=carried] .fu-carried-line", f.s("follow.carried"))
	f.until(`document.querySelectorAll('.actions-board .action').length === 1`)
	f.has(".actions-board .action", "Kunnan tilat maksutta")
	f.literal("carried action", evilName+", "+evilOrg)
	f.has(".actions-board .owners", "Keski-Suomen Yhteisöjen Tuki ry")
	f.has(".agenda-item.current", "3/3")
	f.noMissingKeys("facilitator (follow-up)")
	f.axe("facilitator (follow-up)")
	f.reflow("facilitator (follow-up)")
	f.shot("facilitator-followup")

	// Participants and the room screen follow the review read-only.
	for _, p := range []*tab{pa, scr} {
		sel := map[*tab]string{pa: ".follow", scr: ".screen-follow"}[p]
		p.has(sel+" .fu[data-outcome=done]", "Aloitettu maaliskuussa kaupunginkirjastossa.")
		p.has(sel+" .fu[data-outcome=done]", p.s("follow.outcome.done"))
		p.has(sel+" .fu[data-outcome=carried]", p.s("follow.outcome.carried"))
		p.has(sel+" .fu[data-outcome=dropped]", p.s("follow.outcome.dropped"))
		p.literal("follow-up", evilName+", "+evilOrg)
		if n := p.eval(`String(document.querySelectorAll(%s).length)`, js(sel+" button, "+sel+" textarea, "+sel+" input")); n != "0" {
			t.Errorf("%s: the follow-up has %s controls; it is read-only", p.name, n)
		}
	}
	pa.has(".action-list", "Kunnan tilat maksutta")
	pa.noMissingKeys("participant (follow-up)")
	pa.axe("participant (follow-up)")
	pa.reflow("participant (follow-up)")
	pa.shot("participant-followup", "phone")
	scr.noMissingKeys("screen (follow-up)")
	scr.axe("screen (follow-up)")
	scr.shot("screen-followup", "laptop")

	// The minutes of the new table report the review.
	f.menuPick(".minutes-menu", "", f.s("fac.minutesAs.md"))
	name, md := f.downloaded(dir, ".md")
	for _, want := range []string{"Edellisten pöytien toimenpiteiden seuranta", "Ähtärin ja Soinin kumppanuuspöytä",
		"Kunnan tilat maksutta", "Jatkuu", "Tehty", "Luovuttu", "Aloitettu maaliskuussa kaupunginkirjastossa."} {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes (%s) do not mention %q:\n%s", name, want, md)
		}
	}
	for _, p := range []*tab{f, pa, scr} {
		p.sameState("after the follow-up")
	}
}

// TestStartPageLanguages renders the start page in each language with no
// missing key, and checks its layout at 320 px and at 200% zoom.
func TestStartPageLanguages(t *testing.T) {
	s := startSite(t)
	b := newBrowser(t, s)
	p := b.tab("visitor", true)
	p.open("/")
	p.until(`document.querySelector('.create-card')`)
	for _, lang := range []string{"sv", "en", "fi"} {
		p.until(`(localStorage.setItem('poyta:lang', %s), true)`, js(js(lang)))
		p.do(chromedp.Reload())
		p.until(`document.documentElement.lang === %s && document.querySelector('.create-card')`, js(lang))
		p.noMissingKeys("start in " + lang)
		p.reflow("start page in " + lang)
	}
}

// TestServerRestartIsAnnounced: when the server stops gracefully (SIGTERM
// in production), browsers get close 1001 and say the server is restarting
// rather than that the connection broke.
func TestServerRestartIsAnnounced(t *testing.T) {
	s := startSite(t)
	resp, err := http.Post(s.url+"/api/tables", "application/json", strings.NewReader(`{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Kyselyn tulokset"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var created struct{ ScreenLink string }
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	b := newBrowser(t, s)
	p := b.tab("screen", false)
	p.open(created.ScreenLink)
	p.until(`document.querySelector('.status[data-state="online"]')`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	want := p.s("status.restarting")
	p.until(`(() => { const el = document.querySelector('.status'); return el && el.dataset.state === 'restarting' && el.textContent.includes(%s); })()`, js(want))
}

// TestJoinAnswerLostIsRetried: a phone's join reached the server but the
// answer never came back (the token the page made was already sent). The
// person taps "join" again: the page sends the same token and becomes the
// same participant, and the table still counts one person.
func TestJoinAnswerLostIsRetried(t *testing.T) {
	s := startSite(t)
	resp, err := http.Post(s.url+"/api/tables", "application/json", strings.NewReader(`{"title":"Ähtärin kumppanuuspöytä","agenda":[{"title":"Järjestöystävällinen kunta"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var created tables.Created
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()

	b := newBrowser(t, s)
	p := b.tab("matti", true)
	p.open("/j/" + created.Code)
	p.until(`document.querySelector('form button')`)
	// The first attempt: the page had made its token and sent the join,
	// which the server took; the answer was lost.
	const token = "Mq4Xv8Lz2Pw6Rb0Tn5Kc9Hd3Gf7Js1Ya"
	p.until(`(localStorage.setItem(%s, %s), true)`, js("poyta:joining:"+created.ID), js(js(token)))
	first, err := http.Post(s.url+"/api/join", "application/json", strings.NewReader(
		`{"code":`+js(created.Code)+`,"name":"Matti Meikäläinen","sector":"association","token":`+js(token)+`}`))
	if err != nil || first.StatusCode != http.StatusCreated {
		t.Fatalf("the first join: %v %v", first.Status, err)
	}
	var joined web.Joined
	json.NewDecoder(first.Body).Decode(&joined)
	first.Body.Close()

	p.join("Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	if got := p.eval(`JSON.parse(localStorage.getItem(%s)).participant`, js("poyta:id:"+created.ID)); got != joined.Participant {
		t.Fatalf("the page is participant %q, want %q of the first join", got, joined.Participant)
	}
	if left := p.eval(`localStorage.getItem(%s) || ''`, js("poyta:joining:"+created.ID)); left != "" {
		t.Fatalf("the join's token is still pending after it succeeded: %q", left)
	}
	// One person at the table, as the facilitator sees it.
	f := b.tab("facilitator", false)
	f.open(created.FacilitatorLink)
	f.until(`document.querySelectorAll('.people-list li').length >= 1 && document.querySelector('.status').dataset.state === 'online'`)
	if n := f.eval(`String(document.querySelectorAll('.people-list li').length)`); n != "1" {
		t.Fatalf("the facilitator sees %s people, want Matti once", n)
	}
	if got := f.eval(`document.querySelector('.people-list li').textContent`); !strings.Contains(got, "Matti Meikäläinen") {
		t.Fatalf("the facilitator's people list has %q, want Matti", got)
	}
}
