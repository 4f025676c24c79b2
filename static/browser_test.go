package static_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// choose selects the option of a select whose text starts with text.
func (p *tab) choose(sel, text string) {
	p.b.t.Helper()
	p.until(`(() => { const s = [...document.querySelectorAll(%s)].find((s) => s.offsetParent !== null); if (!s) return false; const o = [...s.options].find((o) => o.textContent.startsWith(%s)); if (!o) return false; s.value = o.value; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, js(sel), js(text))
}

func (p *tab) has(sel, text string) {
	p.b.t.Helper()
	p.until(`[...document.querySelectorAll(%s)].some((e) => e.innerText.includes(%s))`, js(sel), js(text))
}

func (p *tab) noMissingKeys(view string) {
	p.b.t.Helper()
	if s := p.eval(`document.body.innerText.includes('⟦') ? document.body.innerText : ''`); s != "" {
		p.b.t.Errorf("%s: missing translations on %s: %.500s", p.name, view, s)
	}
}

func (p *tab) join(name, org, sector string) {
	p.b.t.Helper()
	p.typeLabel(p.s("join.name"), 0, name)
	p.fill(p.s("join.org"), 0, org)
	p.choose(p.fieldID(p.s("join.sector"), 0), p.s("sector."+sector))
	p.clickText("form button", p.s("join.button"))
	p.until(`document.querySelector('.now-title') && document.querySelector('.status').dataset.state === 'online'`)
}

// TestWholeTable plays a partnership table through the UI: one
// facilitator, two participants, a room screen and a scribe, each in
// their own browser context.
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
	f.shot("start")
	f.clickText("button", f.s("start.create"))
	f.until(`document.querySelector('#f-link')`)
	fLink := f.eval(`document.querySelector('#f-link').value`)
	sLink := f.eval(`document.querySelector('#s-link').value`)
	code := f.eval(`document.querySelector('.code-big').textContent`)
	f.until(`document.querySelector('img.qr').complete && document.querySelector('img.qr').naturalWidth > 0`)
	f.noMissingKeys("created")
	f.axe("created")
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

	// Matti joins by typing the code as he heard it; Liisa opens the join link.
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
	pb.shot("join")
	pb.join("Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	f.has(".presence", "2")
	pa.axe("participant (collect, first item)")

	// The facilitator opens the discussion and adds a room group.
	f.clickIn(".agenda-item", "Keskustelu", f.s("agenda.open"))
	pa.has(".now-title", "Keskustelu")
	pb.has(".now-title", "Keskustelu")
	scr.has(".screen-title", "Keskustelu")
	f.typeIn("#group-name", "Sali, pöytä 2")
	f.clickText(".inline-form button", f.s("groups.add"))
	f.until(`document.querySelector('.group-item a[href*="/r/"]')`)
	scribeLink := f.eval(`document.querySelector('.group-item a[href*="/r/"]').href`)

	// Ideas arrive live everywhere; Liisa posts one anonymously.
	pa.typeIn("#idea-text", "Yhteinen tapahtumakalenteri kaikille yhdistyksille")
	pa.clickText(".idea-form button", pa.s("idea.send"))
	pa.typeIn("#idea-text", "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin")
	pa.clickText(".idea-form button", pa.s("idea.send"))
	pb.typeIn("#idea-text", "Järjestöyhteyshenkilö kaupungin organisaatioon")
	pb.do(chromedp.Click(chromedp.CSS("#idea-anon")))
	pb.clickText(".idea-form button", pb.s("idea.send"))
	pa.has(".idea-list", "Järjestöyhteyshenkilö")
	pa.has(".idea-list .idea-src", pa.s("idea.anonymous"))
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 3`)
	if strings.Contains(scr.text(".screen"), "Liisa") || strings.Contains(scr.text(".screen"), "Matti") {
		t.Error("the room screen shows an author")
	}

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
	pb.shot("participant-offline")
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
	// A reload keeps the person and the typed text.
	pb.do(chromedp.Reload())
	pb.until(`document.querySelector('#idea-text') && document.querySelector('#idea-text').value === 'Kylätalojen yhteiskäyttö'`)
	pb.has(".profile summary", "Liisa Virtanen")
	pb.has(".idea-list .idea.mine", "Järjestöyhteyshenkilö")

	// Merge a duplicate by choosing the target.
	f.clickIn(".mod-list > li", "Maksuttomat tilat", f.s("fac.merge"))
	f.choose(".merge-form select", "Kunnan tilat")
	f.clickText(".merge-form button", f.s("fac.mergeDo"))
	f.has(".mod-list", "↳")
	pa.until(`![...document.querySelectorAll('.idea-list .idea-text')].some((e) => e.textContent.includes('Maksuttomat tilat'))`)
	f.axe("facilitator (collect)")
	f.shot("facilitator-collect")
	scr.shot("screen-collect")
	pa.shot("participant-collect")

	// Voting: Matti spends his whole budget; Liisa two dots; the scribe records the room's dots.
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
	sc.until(`document.querySelectorAll('.dots-form input').length >= 4`)
	sc.until(`(() => { const li = [...document.querySelectorAll('.scribe-list > li')].find((l) => l.textContent.includes('Kunnan tilat')); if (!li) return false; const i = li.querySelector('input'); i.value = '4'; li.querySelector('button').click(); return true; })()`)
	f.has(".cast", "9")
	scr.has(".screen-cast", "9")
	pa.axe("participant (vote)")
	pa.shot("participant-vote")
	sc.shot("scribe-vote")

	// Reveal: everyone sees the ranked result.
	f.clickText(".voting-box button", f.s("fac.reveal"))
	pa.until(`document.querySelector('.results-card') && !document.querySelector('.results-card').hidden`)
	pa.has(".results li:first-child", "Kunnan tilat")
	pa.has(".results li:first-child", "6 pistettä")
	scr.has(".screen-results .results li:first-child", "Kunnan tilat")
	scr.axe("screen (results)")
	scr.shot("screen-results")

	// Actions: from the top idea, owners, due date; Liisa volunteers; Matti proposes one.
	f.clickText(".phase-row button", "Seuraava: "+f.s("phase.actions")+" →")
	f.clickIn(".mod-list > li", "Kunnan tilat", f.s("fac.toAction"))
	f.until(`document.querySelector('.actions-board .action')`)
	f.choose(".actions-board .owner-form select", "Matti Meikäläinen")
	f.clickText(".actions-board .owner-form button", f.s("action.addOwner"))
	f.has(".actions-board .owners", "Matti Meikäläinen")
	f.typeIn(".actions-board .owner-form input", "Keski-Suomen Yhteisöjen Tuki ry")
	f.clickText(".actions-board .owner-form button", f.s("action.addOwner"))
	f.has(".actions-board .owners", "Keski-Suomen Yhteisöjen Tuki ry")
	f.setField(".actions-board .action-edit input[type=date]", "2027-04-30")
	pb.clickText(".action-list button", pb.s("action.volunteer"))
	f.has(".actions-board .owners", "Liisa Virtanen")
	pa.has(".action-list", "Liisa Virtanen")
	pa.typeIn("#action-title", "Yhdistysinfo kirjastolla kerran kuussa")
	pa.clickText(".action-form button", pa.s("action.propose"))
	f.until(`document.querySelectorAll('.actions-board .action').length === 2`)
	pa.axe("participant (actions)")
	pa.shot("participant-actions")

	// Notes, the speaking queue, lock.
	f.typeIn("#notes", "Kaupunki selvittää tilojen maksuttoman käytön kevään aikana.")
	f.clickText(".notes-box button", f.s("fac.notesSave"))
	f.has(".notes-box", f.s("fac.notesSaved"))
	pa.clickText(".btn-hand", pa.s("queue.raise"))
	f.has(".queue-list", "Matti Meikäläinen")
	f.clickText(".queue-list button", f.s("queue.give"))
	pa.has(".floor", pa.s("queue.yourTurn"))
	f.clickText(".table-tools button", f.s("fac.lock"))
	pb.has(".banner-slot", pb.s("table.lockedNote"))
	f.clickText(".table-tools button", f.s("fac.unlock"))
	pb.until(`!document.querySelector('.banner-locked')`)
	f.axe("facilitator (actions)")
	f.shot("facilitator")

	// Each person's language switch; every view renders with no missing key.
	for _, lang := range []string{"sv", "en", "fi"} {
		for _, p := range []*tab{f, pa, scr, sc} {
			p.choose(".lang", map[string]string{"sv": "Svenska", "en": "English", "fi": "Suomi"}[lang])
			p.until(`document.documentElement.lang === %s && document.querySelector('.status').dataset.state === 'online'`, js(lang))
			p.noMissingKeys(p.name + " in " + lang)
		}
		if lang == "sv" {
			f.shot("facilitator-sv")
			pa.shot("participant-sv")
			scr.shot("screen-sv")
		}
	}

	// The facilitator ends the table.
	f.clickText(".table-tools button", f.s("fac.close"))
	pa.has(".banner-slot", pa.s("table.closedNote"))
	scr.has(".banner-slot", scr.s("table.closedNote"))
	pa.axe("participant (closed)")
	pa.shot("participant-closed")
	t.Logf("whole table played in %v", time.Since(started).Round(time.Millisecond))
}

// TestStartPageLanguages renders the start page in each language with no missing key.
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
		if lang == "sv" {
			p.shot("start-sv")
		}
	}
}
