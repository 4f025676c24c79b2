package static_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPlainFinnish: at a table whose participants get plain Finnish
// (selkosuomi) by default, a participant who has not chosen a language
// joins and follows the meeting in it, every participant-facing text
// from selko.json (the tab's console check fails on a key it lacks); a
// choice of their own wins, also after a reload; the facilitator turns the
// default off and on in the table's settings and a participant without a
// choice follows live; the facilitator's own page stays in Finnish.
func TestPlainFinnish(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin ja Soinin kumppanuuspöytä","lang":"fi","plain":true,"allowAnonymous":true,"dots":2,
		"agenda":[{"title":"Keskustelu","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":50}]}`)
	item := tb.item(0)
	liisa := tb.join("Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	liisa.do("idea.add", map[string]any{"item": item, "text": "Yhteinen tapahtumakalenteri"})
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	selko := loadStrings(t, "selko")
	plain := func(p *tab, key string) string {
		t.Helper()
		v, ok := selko[key]
		if !ok {
			t.Fatalf("selko.json has no %q", key)
		}
		return v
	}

	// The join page is in plain Finnish, marked so for screen readers.
	p := b.tab("matti", true)
	p.open(tb.created.JoinLink)
	p.until(`document.documentElement.lang === 'fi-x-selko' && document.querySelector('form button')?.textContent === %s`, js(plain(p, "join.button")))
	if got := p.eval(`document.querySelector('.lang').value`); got != "selko" {
		t.Errorf("the language switch shows %q, want selko", got)
	}
	p.noMissingKeys("join in plain Finnish")
	p.axe("join in plain Finnish")
	p.fill(plain(p, "join.name"), 0, "Matti Meikäläinen")
	p.choose(p.fieldID(plain(p, "join.sector"), 0), plain(p, "sector.association"))
	p.clickText("form button", plain(p, "join.button"))
	p.until(`document.querySelector('.now-title') && document.querySelector('.status').dataset.state === 'online'`)
	p.has(".phase-hint", plain(p, "hint.collect"))
	p.has(".status", plain(p, "status.online"))
	p.has(".idea-form", plain(p, "idea.send"))
	p.typeIn("#idea-text", "Kylätalot yhteiskäyttöön")
	p.clickText(".idea-form button", plain(p, "idea.send"))
	p.until(`document.querySelectorAll('.idea-list:not(.pending-list) .idea').length === 2`)
	p.axe("participant in plain Finnish (ideas)")
	p.shot("participant-plain", "phone")

	// Through the phases: every text the participant sees is plain Finnish.
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "vote"})
	p.until(`document.querySelector('.now-phase').textContent.includes(%s)`, js(plain(p, "phase.vote")))
	p.clickIn(".idea-list > li", "Yhteinen tapahtumakalenteri", "+")
	p.has(".dots-left", "1 piste jäljellä. Kaikki pisteet: 2.")
	p.has(".phase-hint", "Sinulla on 1 piste.")
	tb.fac.do("item.reveal", map[string]any{"item": item, "revealed": true})
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "actions"})
	tb.fac.do("action.add", map[string]any{"item": item, "title": "Tapahtumakalenteri verkkoon", "owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	p.until(`document.querySelectorAll('.action-list .action').length === 1`)
	p.has(".results-card", plain(p, "results.heading"))
	p.clickText(".action-list button", plain(p, "action.volunteer"))
	p.has(".action-list", plain(p, "action.unvolunteer"))
	p.noMissingKeys("participant in plain Finnish (actions)")
	p.axe("participant in plain Finnish (actions)")
	p.reflow("participant in plain Finnish (actions)")

	// A second participant, who has not chosen either.
	q := b.tab("aino", true)
	q.open(tb.created.JoinLink)
	q.until(`document.documentElement.lang === 'fi-x-selko' && document.querySelector('form button')`)
	q.fill(plain(q, "join.name"), 0, "Aino Asukas")
	q.choose(q.fieldID(plain(q, "join.sector"), 0), plain(q, "sector.resident"))
	q.clickText("form button", plain(q, "join.button"))
	q.until(`document.querySelector('.now-title') && document.documentElement.lang === 'fi-x-selko'`)

	// Matti picks Finnish: his choice wins over the table's default.
	p.choose(".lang", "Suomi")
	p.until(`document.documentElement.lang === 'fi' && document.querySelector('.status')?.dataset.state === 'online'`)
	p.has(".action-list", p.s("action.unvolunteer"))
	p.do(chromedp.Reload())
	p.until(`document.querySelector('.now-title') && document.querySelector('.status')?.dataset.state === 'online'`)
	if got := p.eval(`document.documentElement.lang`); got != "fi" {
		t.Errorf("after a reload Matti's page is %q, want his own choice fi", got)
	}

	// The facilitator's page stays in Finnish, whatever the device
	// remembers; the table's settings turn the default off and on.
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.until(`(localStorage.setItem('poyta:lang', '"selko"'), true)`)
	f.do(chromedp.Reload())
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	if got := f.eval(`document.documentElement.lang + ' ' + [...document.querySelector('.lang').options].map((o) => o.value).join(',')`); got != "fi fi,sv,en" {
		t.Errorf("the facilitator's page with plain Finnish remembered: %q, want Finnish and no plain Finnish to pick", got)
	}
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.until(`document.querySelector('dialog[open] #set-plain')?.checked === true`)
	f.do(chromedp.Click(chromedp.CSS("#set-plain")))
	f.clickText("dialog[open] button", f.s("common.save"))
	q.until(`document.documentElement.lang === 'fi' && document.querySelector('.phase-hint')?.textContent === %s`, js(q.s("hint.actions")))
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.until(`document.querySelector('dialog[open] #set-plain')?.checked === false`)
	f.do(chromedp.Click(chromedp.CSS("#set-plain")))
	f.clickText("dialog[open] button", f.s("common.save"))
	q.until(`document.documentElement.lang === 'fi-x-selko' && document.querySelector('.phase-hint')?.textContent === %s`, js(plain(q, "hint.actions")))
	if got := p.eval(`document.documentElement.lang`); got != "fi" {
		t.Errorf("Matti's page followed the table's default (%q) over his own choice", got)
	}
	for _, x := range []*tab{p, q, f} {
		x.sameState("at the end")
	}
}
