package static_test

// The defects a played-through table found (issue 12, section 2), one test
// each. Each failed against the UI before its fix.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Long texts as people write them: a pasted link, a compound longer than a
// phone is wide, long names of people, organisations and room groups.
const (
	longLink  = "Tilavaraukset yhteen paikkaan: https://www.mikkeli.fi/palvelut/kulttuuri-ja-vapaa-aika/yhdistykset/tilavaraukset-ja-avustukset"
	longWord  = "Kaupunginvaltuustoryhmienjärjestöyhteistyökehittämistyöryhmäsuunnitelma"
	longName  = "Maija-Liisa Ylikangas-Heikkilä-Järvenpää"
	longOrg   = "Keski-Suomen Järjestöjenyhteistyöverkostokehittämishankekoordinaatiotoimisto ry"
	longGroup = "Salinpöytäryhmätyöskentelyalueenkirjaajapiste"
)

// narrow checks the page at 390 and 320 CSS pixels wide (phones): no
// sideways scrolling, every control and every text within reach, and every
// idea's vote buttons inside their card.
func (p *tab) narrow(view string) {
	p.b.t.Helper()
	for _, w := range []int64{390, 320} {
		p.do(chromedp.EmulateViewport(w, 700, chromedp.EmulateMobile, chromedp.EmulateTouch))
		p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		var problems []string
		if err := json.Unmarshal([]byte(p.eval(reflowJS, w)), &problems); err != nil {
			p.fatal("narrow %s: %v", view, err)
		}
		out := p.eval(`JSON.stringify([...document.querySelectorAll('.idea')].flatMap((li) => [...li.querySelectorAll('button')].filter((b) => b.offsetParent).map((b) => [li.getBoundingClientRect(), b.getBoundingClientRect(), b.textContent]).filter(([c, r]) => r.left < c.left - 1 || r.right > c.right + 1).map(([c, r, t]) => 'button "' + t + '" outside its card (' + Math.round(r.left) + '…' + Math.round(r.right) + ' in ' + Math.round(c.left) + '…' + Math.round(c.right) + ')')))`)
		var more []string
		json.Unmarshal([]byte(out), &more)
		for _, pr := range append(problems, more...) {
			p.b.t.Errorf("%s: %s at %d px: %s", p.name, view, w, pr)
		}
	}
	p.do(p.viewport(p.w, p.h, p.mobile))
}

// TestLongTextStaysOnPhones: a pasted link, a long compound, long names of
// people, organisations and groups never make a view wider than a phone
// (defect 1). Before: the participant page was 420–450 px wide at 390 px
// and the idea's "+" button left its card.
func TestLongTextStaysOnPhones(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Yhdistystoiminnanedistämistyöryhmänkumppanuuspöytä Mikkelissä","lang":"fi","allowAnonymous":true,
		"agenda":[{"title":"Järjestöyhteistyösopimusvalmisteluaikataulukeskustelu","question":"Mitä mieltä olette? `+longLink+`","presenter":"`+longName+`, `+longOrg+`","timebox":50}]}`)
	item := tb.item(0)
	other := tb.join(longName, longOrg, "association")
	b := newBrowser(t, s)
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.narrow("join page")
	p.join(longName+"-Toinen", longOrg, "resident")

	tb.fac.do("group.add", map[string]any{"name": longGroup})
	group := tb.fac.added("group.added")
	other.do("idea.add", map[string]any{"item": item, "text": longLink})
	other.do("idea.add", map[string]any{"item": item, "text": longWord + " " + longWord})
	tb.fac.do("idea.add", map[string]any{"item": item, "text": "Lyhyt idea", "onBehalf": longName, "group": group})
	p.typeIn("#idea-text", longWord)
	p.clickText(".idea-form button", p.s("idea.send"))
	p.until(`document.querySelectorAll('.idea-list:not(.pending-list) .idea').length === 4`)
	other.do("hand.raise", nil)
	p.narrow("participant (collect)")

	f := b.tab("facilitator", true)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online' && document.body.innerText.includes(%s)`, js(longGroup))
	f.narrow("facilitator (collect)")

	scr := b.tab("screen", true)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 4`)
	scr.narrow("screen (collect)")

	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "vote"})
	p.until(`document.querySelector('.dots-left') && document.querySelector('.dots-left').offsetParent`)
	p.narrow("participant (vote)")
	f.narrow("facilitator (vote)")

	var v struct {
		Groups []struct{ ScribeToken string } `json:"groups"`
	}
	tb.fac.fresh(&v)
	sc := b.tab("scribe", true)
	sc.open(fmt.Sprintf("/r/%s#%s", tb.created.ID, v.Groups[0].ScribeToken))
	sc.until(`document.querySelectorAll('.dots-form input').length === 4`)
	sc.narrow("scribe (vote)")

	tb.fac.do("item.reveal", map[string]any{"item": item, "revealed": true})
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "actions"})
	tb.fac.do("action.add", map[string]any{"item": item, "title": longWord + " " + longLink, "owners": []map[string]any{{"participant": other.you, "org": longOrg}, {"org": longWord}}})
	p.until(`document.querySelector('.results-card') && !document.querySelector('.results-card').hidden && document.querySelectorAll('.action-list .action').length === 1`)
	p.narrow("participant (results and actions)")
	f.until(`document.querySelectorAll('.action').length === 1`)
	f.narrow("facilitator (actions)")
	scr.until(`document.querySelector('.screen-results .results li')`)
	scr.narrow("screen (results)")
}

// TestActionOwnerChoiceIsExplicit: a person chosen in "Vastuuhenkilö" and an
// organisation typed in "tai organisaatio" are two owners, not one person
// representing that organisation (defect 2). Before: one owner,
// "Matti Meikäläinen (Soinin kunta)".
func TestActionOwnerChoiceIsExplicit(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin kumppanuuspöytä","agenda":[{"title":"Konkreettiset askeleet"}]}`)
	matti := tb.join("Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	liisa := tb.join("Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	tb.fac.do("item.phase", map[string]any{"item": tb.item(0), "phase": "actions"})
	b := newBrowser(t, s)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.until(`(() => { const d = document.querySelector('details.add-action'); if (d && !d.open) d.querySelector('summary').click(); return true; })()`)
	f.fill(f.s("action.title"), 0, "Avustushaun selkokielinen ohje")
	f.choose(f.fieldID(f.s("action.ownerPerson"), 0), "Matti Meikäläinen")
	f.fill(f.s("action.ownerOrg"), 0, "Soinin kunta")
	f.clickText("button", f.s("action.create"))
	var added struct {
		Action struct {
			Owners []struct{ Participant, Org string }
		}
	}
	json.Unmarshal(tb.fac.next("action.added"), &added)
	got := fmt.Sprint(added.Action.Owners)
	if want := fmt.Sprint([]struct{ Participant, Org string }{{matti.you, ""}, {"", "Soinin kunta"}}); got != want {
		t.Errorf("owners %s, want a person and an organisation: %s", got, want)
	}
	f.until(`[...document.querySelectorAll('.owners li')].map((l) => l.firstChild.textContent).join('|') === 'Matti Meikäläinen|Soinin kunta'`)

	// A person for their organisation is a choice of its own, named so.
	f.choose(".owner-person select", "Liisa Virtanen, "+strings.Split(f.s("action.representing"), ", ")[1][:7])
	f.clickText(".owner-person button", f.s("action.add"))
	var owner struct {
		Owner struct{ Participant, Org string }
	}
	json.Unmarshal(tb.fac.next("action.owner.added"), &owner)
	if owner.Owner.Participant != liisa.you || owner.Owner.Org != "Ähtärin kaupunki" {
		t.Errorf("representing: owner %+v, want Liisa for Ähtärin kaupunki", owner.Owner)
	}
	f.has(".owners", "Liisa Virtanen (Ähtärin kaupunki)")
}

// badBreaksJS lists the places where a word of the room screen's idea
// cards is split across lines without a hyphen: a break between two
// letters with no soft hyphen there.
const badBreaksJS = `(() => {
  const out = [];
  for (const card of document.querySelectorAll(%s)) {
    const w = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    let prev = null; // {ch, top, shy}
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      const s = n.textContent;
      for (let i = 0; i < s.length; i++) {
        const ch = s[i];
        if (ch === '\u00ad') { if (prev) prev.shy = true; continue; }
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
        // A character right after a line break may also report an empty box
        // at the end of the line before: take its last box with a width.
        const rect = [...r.getClientRects()].filter((x) => x.width > 0).pop();
        if (!rect) { prev = null; continue; }
        const letter = /\p{L}/u.test(ch);
        if (prev && letter && prev.letter && rect.top > prev.top + rect.height / 2 && !prev.shy) {
          out.push(s.slice(Math.max(0, i - 12), i) + '|' + s.slice(i, i + 12));
        }
        prev = { letter, top: rect.top, shy: false };
      }
    }
  }
  return JSON.stringify(out);
})()`

// TestScreenHyphenatesCompounds: on the room screen a long Finnish compound
// wraps at a syllable with a hyphen, never mid-word without one (defect 4).
// Before: "yksinkertaisemmaks / i" in the three-column cards.
func TestScreenHyphenatesCompounds(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Järjestöystävällinen kunta"}]}`)
	item := tb.item(0)
	for _, idea := range []string{
		"Avustushaku yksinkertaisemmaksi ja selkokieliseksi",
		"Järjestöyhteyshenkilötoiminnan vakiinnuttaminen kaupunginhallituksessa",
		"Yhdistystoiminta-avustusjärjestelmäuudistus",
		"Kylätalojen yhteiskäyttösopimukset",
		"Nuorisotoimenjärjestöyhteistyösuunnitelma",
		"Tapahtumakalenteri",
	} {
		tb.fac.do("idea.add", map[string]any{"item": item, "text": idea})
	}
	b := newBrowser(t, s)
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 6`)
	for _, size := range []struct{ w, h int64 }{{1366, 768}, {1280, 720}, {1920, 1080}, {1024, 768}} {
		scr.do(chromedp.EmulateViewport(size.w, size.h))
		scr.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		var bad []string
		json.Unmarshal([]byte(scr.eval(badBreaksJS, js(".screen-idea"))), &bad)
		for _, x := range bad {
			t.Errorf("the room screen at %d×%d splits a word without a hyphen: %q", size.w, size.h, x)
		}
	}
	scr.do(chromedp.EmulateViewport(1366, 900))
	scr.shot("screen-hyphens", "laptop")
}

// TestTimerNotStartedIsMarked: a timer that has never run says so on the
// phones and the room screen; a paused one says it is paused (defect 5).
// Before: "Aikaa jäljellä 50:00" with no sign that it is not running.
func TestTimerNotStartedIsMarked(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin kumppanuuspöytä","agenda":[{"title":"Keskustelu","timebox":50}]}`)
	b := newBrowser(t, s)
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.join("Matti Meikäläinen", "", "resident")
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	for _, x := range []*tab{p, scr} {
		x.until(`document.querySelector('.timer') && !document.querySelector('.timer').hidden`)
		x.until(`document.querySelector('.timer').innerText.includes('50:00') && document.querySelector('.timer').innerText.includes('ei käynnissä')`)
	}
	tb.fac.do("timer.start", map[string]any{"item": tb.item(0)})
	for _, x := range []*tab{p, scr} {
		x.until(`!document.querySelector('.timer').innerText.includes('ei käynnissä') && /49:[0-5]\d/.test(document.querySelector('.timer').innerText)`)
	}
	tb.fac.do("timer.pause", map[string]any{"item": tb.item(0)})
	for _, x := range []*tab{p, scr} {
		x.until(`document.querySelector('.timer').innerText.includes('pysäytetty')`)
	}
}

// TestMinutesMenuOffersJSON: the facilitator downloads the JSON minutes
// from the page (defect 6). Before: only through the API and the CLI.
func TestMinutesMenuOffersJSON(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin kumppanuuspöytä","agenda":[{"title":"Keskustelu"}]}`)
	tb.fac.do("idea.add", map[string]any{"item": tb.item(0), "text": "Yhteinen tapahtumakalenteri"})
	b := newBrowser(t, s)
	f := b.tab("facilitator", false)
	dir := f.downloads()
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.until(`(() => { const m = document.querySelector('.minutes-menu > button'); if (m && m.getAttribute('aria-expanded') !== 'true') m.click(); return true; })()`)
	if f.eval(`String([...document.querySelectorAll('option, [role=menuitem]')].some((o) => o.textContent.includes('JSON')))`) != "true" {
		t.Fatal("the facilitator's page offers no JSON minutes")
	}
	f.clickText("[role=menuitem]", f.s("fac.minutesAs.json"))
	name, body := f.downloaded(dir, ".json")
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil || !strings.Contains(body, "Yhteinen tapahtumakalenteri") {
		t.Fatalf("%s is not the table's minutes as JSON (%v): %.300s", name, err, body)
	}
}

// TestParticipantWordsFollowTheTable: the vote hint counts the dots left,
// an empty queue reads as Finnish (defect 7).
func TestParticipantWordsFollowTheTable(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin kumppanuuspöytä","dots":3,"agenda":[{"title":"Keskustelu"}]}`)
	item := tb.item(0)
	for _, idea := range []string{"Yhteinen tapahtumakalenteri", "Kunnan tilat maksutta", "Järjestöyhteyshenkilö"} {
		tb.fac.do("idea.add", map[string]any{"item": item, "text": idea})
	}
	b := newBrowser(t, s)
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.join("Matti Meikäläinen", "", "resident")
	p.until(`document.querySelector('.floor-now').textContent !== ''`)
	if got := p.text(".floor-now"); got != "Kukaan ei odota puheenvuoroa." {
		t.Errorf("an empty queue reads %q", got)
	}
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "vote"})
	p.until(`document.querySelector('.phase-hint').textContent.includes('3 pistettä')`)
	for i, left := range []string{"2/3", "1/3", "0/3"} {
		p.until(`(() => { const b = [...document.querySelectorAll('.idea-list .btn-plus')].find((b) => !b.disabled && b.offsetParent); if (!b) return false; b.click(); return true; })()`)
		p.until(`document.querySelector('.status').textContent === %s && document.querySelector('.dots-left').textContent.includes(%s)`, js(p.s("status.online")), js(left))
		hint := p.text(".phase-hint")
		switch {
		case i == 1 && !strings.Contains(hint, "1 piste"):
			t.Errorf("with one dot left the hint says %q", hint)
		case i == 2 && regexp.MustCompile(`\d+ pistett?ä?`).MatchString(hint):
			t.Errorf("with every dot spent the hint says %q", hint)
		}
	}
}

// seriesTable creates a table with an open action and the next table of
// its series, whose first item reviews that action.
func seriesTable(t *testing.T, s *site) *apiTable {
	t.Helper()
	first := s.createTable(t, `{"title":"Ähtärin ja Soinin kumppanuuspöytä","date":"2027-02-25","agenda":[{"title":"Keskustelu"}]}`)
	first.fac.do("action.add", map[string]any{"item": first.item(0), "title": "Kunnan tilat maksutta yhdistyksille", "owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	from, _ := json.Marshal(map[string]any{"title": "Alavuden kumppanuuspöytä", "from": map[string]string{"table": first.created.ID, "secret": first.created.FacilitatorSecret}})
	return s.createTable(t, string(from))
}

// TestFollowUpItemIsNotIdeation: the review of an earlier table's actions
// has no idea or vote phases: the facilitator gets no phase controls for
// it and the room screen and phones do not call it ideation (defect 7).
func TestFollowUpItemIsNotIdeation(t *testing.T) {
	s := startSite(t)
	tb := seriesTable(t, s)
	b := newBrowser(t, s)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelectorAll('.follow-panel .fu').length === 1`)
	phases := []string{f.s("phase.collect"), f.s("phase.vote"), f.s("phase.actions"), f.s("phase.closed")}
	if got := f.eval(`[...document.querySelectorAll('button')].filter((b) => b.offsetParent && %s.some((p) => b.textContent.includes(p))).map((b) => b.textContent).join(' | ')`, jsArray(phases)); got != "" {
		t.Errorf("the follow-up item shows phase controls: %s", got)
	}
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelectorAll('.screen-follow .fu').length === 1`)
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.join("Matti Meikäläinen", "", "resident")
	for _, x := range []*tab{scr, p} {
		sel := map[*tab]string{scr: ".screen-phase", p: ".now-phase"}[x]
		x.until(`document.querySelector(%s).textContent !== ''`, js(sel))
		if got := x.text(sel); strings.EqualFold(strings.TrimSpace(got), x.s("phase.collect")) {
			t.Errorf("%s labels the follow-up review %q", x.name, got)
		}
	}
}

func jsArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

// TestPhoneHeaderIsCompact: on a phone the participant's header is one
// short row, and a vote card's "−", its dots and "+" sit together
// (defect 8). Before: the header took about a quarter of the screen and
// the dots' text floated between far buttons.
func TestPhoneHeaderIsCompact(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Ähtärin ja Soinin kumppanuuspöytä","agenda":[{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?"}]}`)
	tb.fac.do("idea.add", map[string]any{"item": tb.item(0), "text": "Yhteinen tapahtumakalenteri"})
	tb.fac.do("item.phase", map[string]any{"item": tb.item(0), "phase": "vote"})
	b := newBrowser(t, s)
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.join("Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	p.clickIn(".idea-list > li", "Yhteinen tapahtumakalenteri", "+")
	p.until(`document.querySelector('.idea .my-dots').textContent === '1 piste'`)
	for _, w := range []int64{390, 320} {
		p.do(chromedp.EmulateViewport(w, 844, chromedp.EmulateMobile, chromedp.EmulateTouch))
		p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		if hgt := p.eval(`String(Math.round(document.querySelector('header').getBoundingClientRect().height))`); atoi(hgt) > 60 {
			t.Errorf("at %d px the header is %s px tall, want one row (≤ 60 px)", w, hgt)
		}
		if top := atoi(p.eval(`String(Math.round(document.querySelector('.now-title').getBoundingClientRect().top))`)); top > 150 {
			t.Errorf("at %d px the current item's title starts %d px down", w, top)
		}
		// The gaps between "−", the dots' text and "+".
		gaps := p.eval(`(() => { const v = document.querySelector('.idea .vote'); const [m, d, pl] = [v.querySelector('button'), v.querySelector('.my-dots'), v.querySelector('.btn-plus')]; const r = document.createRange(); r.selectNodeContents(d); const tr = r.getBoundingClientRect(); return Math.round(tr.left - m.getBoundingClientRect().right) + ' ' + Math.round(pl.getBoundingClientRect().left - tr.right); })()`)
		var left, right int
		fmt.Sscan(gaps, &left, &right)
		t.Logf("at %d px the vote control's gaps: %d and %d px", w, left, right)
		if left > 10 || right > 10 {
			t.Errorf("at %d px the vote control's parts are %d and %d px apart, want them together (≤ 10 px)", w, left, right)
		}
	}
	p.do(p.viewport(p.w, p.h, p.mobile))
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}
