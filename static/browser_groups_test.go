package static_test

// Group work (issue 13) in the UI: a table splits an item into small
// groups, works in them and reports back into the plenary.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// noLeak checks that neither the page's text nor the view its browser
// folded holds any of the texts: a private group's content never reaches
// anyone outside the group before the report-back.
func (p *tab) noLeak(when string, texts ...string) {
	p.b.t.Helper()
	for _, s := range texts {
		if p.eval(`String(document.body.innerText.replace(/\u00ad/g, '').includes(%s) || JSON.stringify((window.__poyta || {}).state || {}).includes(%s))`, js(s), js(s)) != "false" {
			p.b.t.Errorf("%s %s: another group's private content is on the page or in its view: %q", p.name, when, s)
		}
	}
}

// plenaryIdea is the id of the plenary idea (not a group's own) with the text.
func (tb *apiTable) plenaryIdea(text string) string {
	tb.t.Helper()
	var v struct {
		Ideas []struct {
			ID, Text string
			InGroup  bool
		} `json:"ideas"`
	}
	tb.fac.fresh(&v)
	for _, i := range v.Ideas {
		if i.Text == text && !i.InGroup {
			return i.ID
		}
	}
	tb.t.Fatalf("no plenary idea %q", text)
	return ""
}

// TestGroupWork plays group work end to end: three online groups of two,
// mixed by sector, and a room group with its scribe; a move while it
// runs, a member's page reloaded, a call for the facilitator, a message
// to all groups, the reporters' summaries and picks; the report-back, a
// plenary vote across the groups' ideas, an action from a group's idea,
// and the minutes. What each person sees is checked on their page, and no
// page outside a group ever shows that group's ideas before the
// report-back. Screenshots: the facilitator's overview, a member's phone,
// the room screen during the work and after it.
func TestGroupWork(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Etelä-Pohjanmaan järjestöjen ja kuntien kumppanuuspöytä","lang":"fi","dots":3,
		"agenda":[{"title":"Järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":30},
		{"title":"Seuraavat askeleet","timebox":20}]}`)
	item := tb.item(0)
	tb.fac.try("item.open", map[string]any{"item": item})
	tb.fac.do("group.add", map[string]any{"name": "Sali, pöytä 1"})
	room := tb.fac.added("group.added")
	var fv struct {
		Groups []struct{ ID, ScribeToken string } `json:"groups"`
	}
	tb.fac.fresh(&fv)
	if len(fv.Groups) != 1 || fv.Groups[0].ID != room {
		t.Fatalf("groups: %+v", fv.Groups)
	}
	scribeLink := "/r/" + tb.created.ID + "#" + fv.Groups[0].ScribeToken

	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelector('.status')?.dataset.state === 'online'`)

	// Six people: two on their phones, four through the API. Mixed by
	// sector (the largest sectors first, each in join order, dealt in turn)
	// Ryhmä 1 gets Maija-Liisa and Juha, Ryhmä 2 Pekka and Ville, Ryhmä 3
	// Liisa and Aino.
	a := b.tab("Maija-Liisa", true)
	a.open(tb.created.JoinLink)
	a.join(longName, longOrg, "association")
	pekka := tb.join("Pekka Niemi", "Soinin Sisu ry", "association")
	bb := b.tab("Liisa", true)
	bb.open(tb.created.JoinLink)
	bb.join("Liisa Virtanen", "Seinäjoen kaupunki", "municipality")
	juha := tb.join("Juha Lehto", "Alavuden kaupunki", "municipality")
	ville := tb.join("Ville Yrittäjä", "Kuortaneen Kone ja Kuljetus Oy", "business")
	aino := tb.join("Aino Asukas", "", "resident")
	f.has(".people summary", "Osallistujat: 6 (6 paikalla)")

	// The facilitator starts group work: three groups, the hall's table
	// with them, mixed by sector, a topic for the first, two dots each.
	f.clickText(".work-start", f.s("work.startButton"))
	f.until(`document.querySelector('.work-dialog[open]')`)
	f.has(".work-preview", "3 ryhmää verkossa + 1 salin ryhmä · 2 henkeä ryhmässä")
	f.do(chromedp.Click(chromedp.CSS(".work-names summary")))
	f.typeLabel("Ryhmän 1 aihe (vapaaehtoinen)", 0, "Järjestötilojenvuokrauskäytäntöjenyhtenäistäminen")
	f.fill(f.s("work.dots"), 0, "2")
	f.axe("facilitator (group work dialog)")
	f.clickText(".work-dialog button", f.s("work.start"))
	f.until(`document.querySelectorAll('.team-grid > .team-card').length === 4`)
	f.has(".team-card", "Sali, pöytä 1")
	for _, c := range []struct{ group, who, sector string }{
		{"Ryhmä 1", longName, "Järjestö"}, {"Ryhmä 1", "Juha Lehto", "Kunta"}, {"Ryhmä 2", "Pekka Niemi", ""}, {"Ryhmä 2", "Ville Yrittäjä", ""},
		{"Ryhmä 3", "Liisa Virtanen", ""}, {"Ryhmä 3", "Aino Asukas", ""},
	} {
		f.until(`[...document.querySelectorAll('.team-card')].some((c) => c.querySelector('.team-name').textContent === %s && [...c.querySelectorAll('.member')].some((m) => m.textContent.includes(%s) && m.textContent.includes(%s)))`, js(c.group), js(c.who), js(c.sector))
	}

	// Each member's phone shows their group and their group mates.
	a.has(".team-title", "Ryhmä 1")
	a.has(".team-topic", "Järjestötilojenvuokrauskäytäntöjenyhtenäistäminen")
	a.has(".team-mates", "Juha Lehto")
	bb.has(".team-title", "Ryhmä 3")
	bb.has(".team-mates", "Aino Asukas")
	if strings.Contains(bb.text(".team"), "Juha") {
		t.Error("Liisa's page names a member of another group")
	}

	// Ideas in the groups; nobody outside a group sees them.
	const (
		ideaA = "Yhteinen avustuskalenteri kaikille järjestöille verkkoon"
		ideaJ = "Kaupungin tilojen maksuton iltakäyttö yhdistyksille"
		ideaP = "Seurojen yhteinen varustevarasto"
		ideaL = "Järjestöyhteyshenkilö kaupungintaloon"
		ideaR = "Kylätalojen yhteiskäyttösopimus"
	)
	a.typeIn("#team-text", ideaA)
	a.clickText(".team-form button", a.s("idea.send"))
	a.has(".team-ideas", ideaA)
	juha.do("idea.add", map[string]any{"item": item, "text": ideaJ})
	pekka.do("idea.add", map[string]any{"item": item, "text": ideaP})
	bb.typeIn("#team-text", ideaL)
	bb.clickText(".team-form button", bb.s("idea.send"))
	bb.has(".team-ideas", ideaL)
	a.has(".team-ideas", ideaJ)

	// The hall's table works through its scribe like a member.
	sc := b.tab("scribe", false)
	sc.open(scribeLink)
	sc.has(".team-title", "Sali, pöytä 1")
	sc.typeIn("#team-text", ideaR)
	sc.typeIn("#team-who", "Kyläyhdistyksen puheenjohtaja")
	sc.clickText(".team-form button", sc.s("idea.send"))
	sc.has(".team-ideas", ideaR)
	sc.clickIn(".team-ideas .idea", ideaR, sc.s("work.pick"))
	sc.has(".team-ideas .idea.picked", ideaR)
	sc.typeIn("#team-sum", "Salin pöytä: kylätalot yhteiskäyttöön")
	sc.clickText(".team-summary-form button", sc.s("work.saveSummary"))

	f.until(`[...document.querySelectorAll('.team-card')].find((c) => c.querySelector('.team-name').textContent === 'Ryhmä 1').querySelector('.team-stats').textContent.includes('2 ideaa')`)
	scr.until(`document.querySelectorAll('.screen-team').length === 4`)
	scr.has(".screen-team", "2 ideaa")
	bb.noLeak("while the groups work", ideaA, ideaJ, ideaP, ideaR)
	a.noLeak("while the groups work", ideaL, ideaP, ideaR)
	scr.noLeak("while the groups work", ideaA, ideaJ, ideaP, ideaL, ideaR)
	sc.noLeak("while the groups work", ideaA, ideaL)

	// A move while the work runs: Ville from Ryhmä 2 to Ryhmä 1, from his menu.
	f.menuPick(".member", "Ville Yrittäjä", "Siirrä: Ryhmä 1")
	a.has(".team-mates", "Ville Yrittäjä")
	ville.do("idea.add", map[string]any{"item": item, "text": "Yritysten talkoopankki järjestöjen tapahtumiin"})
	a.has(".team-ideas", "Yritysten talkoopankki")
	f.until(`[...document.querySelectorAll('.team-card')].find((c) => c.querySelector('.team-name').textContent === 'Ryhmä 1').querySelectorAll('.member').length === 3`)

	// A reload lands the member in her group, with its ideas.
	a.do(chromedp.Reload())
	a.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelector('.team-title')?.textContent === 'Ryhmä 1'`)
	a.has(".team-ideas", ideaA)
	a.has(".team-mates", "Ville Yrittäjä")

	// A call for the facilitator: the facilitator sees it, marked, and answers.
	a.clickText(".btn-help", a.s("work.helpCall"))
	a.has(".help-state", a.s("work.helpWaiting"))
	f.has(".team-card.help .team-name", "Ryhmä 1")
	f.has(".work-help-line", "Apua pyytää: Ryhmä 1")

	// The overview at its fullest: a group calling for help, one opened live.
	f.clickIn(".team-card", "Ryhmä 1", f.s("work.open"))
	f.has(".team-detail .team-ideas", ideaA)
	f.fill(f.s("work.videoLabel"), 0, "https://video.example.fi/ryhma-1")
	f.clickIn(".team-video-form", "", f.s("common.save"))
	a.until(`document.querySelector('.team-video-link')?.href === 'https://video.example.fi/ryhma-1'`)
	f.until(`(document.querySelector('.work-scroll').scrollTop = 0, true)`)
	f.axe("facilitator (group overview)")
	f.noMissingKeys("facilitator (group overview)")
	f.fits("group work", ".work-end", "#work-msg", ".broadcast-form button", ".team-card:first-child .team-open")
	f.shot("facilitator-groups")
	f.clickIn(".team-card.help", "Ryhmä 1", f.s("work.answer"))
	a.until(`document.querySelector('.help-state').hidden`)

	// The reporters: Maija-Liisa reports for Ryhmä 1, votes and picks two
	// ideas; Pekka picks for Ryhmä 2; Liisa writes only a summary.
	a.clickIn(".team-ideas .idea", ideaA, "+")
	a.has(".team-ideas .idea.voted", ideaA)
	a.has(".team .team-dots-left", "1/2")
	a.clickText(".team-report .btn-primary", a.s("work.beReporter"))
	a.has(".team-reporter", a.s("work.youReport"))
	for _, idea := range []string{ideaA, ideaJ} {
		a.clickIn(".team-ideas .idea", idea, a.s("work.pick"))
		a.has(".team-ideas .idea.picked", idea)
	}
	a.typeIn("#team-sum", "Avustukset ja tilat yhteen paikkaan; järjestöille yksi yhteyshenkilö.")
	a.clickText(".team-summary-form button", a.s("work.saveSummary"))
	a.has(".team-summary-form", a.s("work.summarySaved"))
	pekka.do("group.reporter", map[string]any{"participant": pekka.you})
	pekka.do("group.pick", map[string]any{"idea": pekka.added("idea.added"), "picked": true})
	bb.clickText(".team-report .btn-primary", bb.s("work.beReporter"))
	bb.typeIn("#team-sum", "Järjestöille oma yhteyshenkilö kaupungintaloon.")
	bb.clickText(".team-summary-form button", bb.s("work.saveSummary"))
	bb.has(".team-summary-form", bb.s("work.summarySaved"))

	// A message to all groups (which every view gets, so that each is at the table's last seq).
	f.typeIn("#work-msg", "Viisi minuuttia aikaa: valitkaa yhteiseen vietävät ideat.")
	f.clickText(".broadcast-form button", f.s("work.send"))
	for _, p := range []*tab{a, bb, sc, scr} {
		p.has(".work-message, .screen-message", "Viisi minuuttia aikaa")
	}
	if a.eval(`document.querySelector('.work-message').getAttribute('aria-live')`) != "assertive" {
		t.Error("the facilitator's message is not in a live region")
	}

	a.noMissingKeys("member (group work)")
	a.axe("member (group work)")
	a.narrow("member (group work)")
	a.shot("participant-group", "phone")
	sc.axe("scribe (group work)")
	sc.noMissingKeys("scribe (group work)")
	scr.axe("screen (group work)")
	scr.shot("screen-groups", "laptop")
	f.narrow("facilitator (group overview)")
	f.shot("facilitator-groups", "phone")
	for _, p := range []*tab{f, a, bb, sc, scr} {
		p.sameState("during group work")
	}
	bb.noLeak("before the report-back", ideaA, ideaJ, ideaP, ideaR)
	scr.noLeak("before the report-back", ideaA, ideaJ, ideaP, ideaL, ideaR)

	// The report-back: the groups' picks (and Ryhmä 3's summary) come to the plenary, labelled.
	f.clickText(".work-end", f.s("work.end"))
	f.until(`document.querySelector('.stage').dataset.mode === 'collect-reports'`)
	f.has(".mod-list .idea", ideaA)
	f.has(".mod-list .idea", "Ryhmä 1")
	f.has(".reports-panel", "Järjestöille oma yhteyshenkilö kaupungintaloon.")
	bb.has(".idea-list .idea", ideaA)
	bb.has(".idea-list .idea-src", "Ryhmä 1")
	bb.has(".reports-card", "Avustukset ja tilat yhteen paikkaan")
	scr.has(".screen-reports", ideaA)
	scr.has(".screen-reports", "Sali, pöytä 1")
	scr.has(".screen-reports", ideaR)
	if strings.Contains(scr.text(".screen-reports"), ideaL) && !strings.Contains(scr.text(".screen-reports"), "Järjestöille oma yhteyshenkilö") {
		t.Error("the screen shows a group's unpicked idea")
	}
	scr.axe("screen (report-back)")
	scr.shot("screen-reports", "laptop")
	a.until(`!document.querySelector('.team-wrap') || document.querySelector('.team-wrap').hidden`)

	// The plenary votes across the groups' ideas.
	f.clickText(".next-phase", "Seuraava: "+f.s("phase.vote")+" →")
	a.clickIn(".idea-list .idea", ideaA, "+")
	a.clickIn(".idea-list .idea", ideaR, "+")
	a.has(".dots-left", "1/3")
	bb.clickIn(".idea-list .idea", ideaA, "+")
	// (A test client that has not read for a while has been dropped: it connects again.)
	aino = s.dial(t, tb.created.ID, "participant", aino.token)
	aino.do("vote.add", map[string]any{"idea": tb.plenaryIdea("Järjestöille oma yhteyshenkilö kaupungintaloon.")})
	f.has(".mod-list .idea", "2 pistettä")
	f.clickText(".btn-reveal", f.s("fac.reveal"))
	bb.has(".results-card", ideaA)

	// An action from a group's idea.
	f.clickText(".next-phase", "Seuraava: "+f.s("phase.actions")+" →")
	f.menuPick(".stage-aside .mod-list .idea", ideaA, f.s("fac.noOwnerYet"))
	f.has(".actions-board .action", "Yhteinen avustuskalenteri")
	for _, p := range []*tab{f, a, bb, scr} {
		p.sameState("after the report-back")
	}

	// The minutes have the groups.
	dir := f.downloads()
	f.until(`(() => { const m = document.querySelector('.minutes-menu > button'); if (m && m.getAttribute('aria-expanded') !== 'true') m.click(); return true; })()`)
	f.clickText("[role=menuitem]", f.s("fac.minutesAs.md"))
	_, md := f.downloaded(dir, ".md")
	for _, want := range []string{"Ryhmä 1", "Ryhmä 3", "Sali, pöytä 1", "Avustukset ja tilat yhteen paikkaan", ideaA, ideaR, "Järjestötilojenvuokrauskäytäntöjenyhtenäistäminen"} {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes lack %q", want)
		}
	}
	if t.Failed() {
		t.Logf("minutes:\n%s", md)
	}
}

// TestGroupWorkByChoice: the participants choose their group by its
// topic, and the work is live (each group sees the others' ideas, the
// room screen still none). Someone who chooses nothing waits in the
// facilitator's "Ei ryhmässä" card and is placed by hand; a late joiner
// gets the choice too; a member changes group; the facilitator names a
// group's reporter and starts the timer, which the members' phones
// follow; the groups vote inside; the report-back labels the ideas. Long
// Finnish compounds and a dozen ideas, at 390 and 1366 px.
func TestGroupWorkByChoice(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Etelä-Pohjanmaan järjestöjen ja kuntien kumppanuuspöytä","lang":"fi","dots":3,
		"agenda":[{"title":"Järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":30}]}`)
	item := tb.item(0)
	tb.fac.try("item.open", map[string]any{"item": item})
	const (
		topic1 = "Järjestötilojenvuokrauskäytäntöjenyhtenäistäminen ja avustushakemusprosessit"
		topic2 = "Vapaaehtoistoiminnankoordinaatio"
	)

	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	a := b.tab("Maija-Liisa", true)
	a.open(tb.created.JoinLink)
	a.join(longName, longOrg, "association")
	bb := b.tab("Liisa", true)
	bb.open(tb.created.JoinLink)
	bb.join("Liisa Virtanen", "Seinäjoen kaupunki", "municipality")
	pekka := tb.join("Pekka Niemi", "Soinin Sisu ry", "association")
	tb.join("Juha Lehto", "Alavuden kaupunki", "municipality")
	f.has(".people summary", "Osallistujat: 4")

	// Two groups with topics, chosen by the participants, live, two dots each.
	f.clickText(".work-start", f.s("work.startButton"))
	f.until(`document.querySelector('.work-dialog[open]')`)
	f.do(chromedp.Click(chromedp.CSS(`.work-dialog input[name=work-place][value=choice]`)))
	f.do(chromedp.Click(chromedp.CSS(`.work-dialog input[name=work-vis][value=live]`)))
	f.fill(f.s("work.count"), 0, "2")
	f.fill(f.s("work.dots"), 0, "2")
	f.has(".work-preview", "2 ryhmää verkossa")
	if f.eval(`String(document.querySelector('.work-names').open)`) != "true" {
		t.Error("with placement by choice the groups' names and topics are not in view")
	}
	f.typeLabel("Ryhmän 1 aihe (vapaaehtoinen)", 0, topic1)
	f.typeLabel("Ryhmän 2 aihe (vapaaehtoinen)", 0, topic2)
	f.axe("facilitator (group work dialog, by choice)")
	f.clickText(".work-dialog button", f.s("work.start"))
	// Nobody has chosen yet: everyone waits in the card of people in no group.
	f.until(`document.querySelectorAll('.team-grid > .team-card').length === 3`)
	f.has(".team-card.unplaced .team-name", f.s("work.unplaced"))
	for _, who := range []string{longName, "Liisa Virtanen", "Pekka Niemi", "Juha Lehto"} {
		f.has(".team-card.unplaced .member", who)
	}
	f.has(".work-facts", f.s("work.liveShort")+" · "+f.s("work.place.choice"))

	// Each phone offers the groups by topic; Maija-Liisa joins one, then changes.
	a.has(".team-choose", topic1)
	a.has(".team-choose", topic2)
	if a.eval(`String(document.querySelector('.team-choose').open && document.querySelector('.team-waiting').hidden && document.querySelector('.team').hidden)`) != "true" {
		t.Error("a member who has not chosen does not see the groups to choose from (or sees a group)")
	}
	a.axe("member (choosing a group)")
	a.narrow("member (choosing a group)")
	a.shot("group-choose", "phone")
	a.clickIn(".choose-item", topic2, a.s("work.joinHere"))
	a.has(".team-title", "Ryhmä 2")
	a.has(".team-topic", topic2)
	a.until(`!document.querySelector('.team-choose').open`)
	a.has(".team-choose summary", a.s("work.changeGroup"))
	a.clickText(".team-choose summary", a.s("work.changeGroup"))
	a.has(".choose-item.mine", a.s("work.youAreHere"))
	a.clickIn(".choose-item", topic1, a.s("work.switchHere"))
	a.has(".team-title", "Ryhmä 1")
	a.has(".team-topic", topic1)
	a.has(".team-mates", f.s("work.alone"))
	bb.clickIn(".choose-item", topic2, bb.s("work.joinHere"))
	bb.has(".team-title", "Ryhmä 2")

	// Pekka chooses nothing: the facilitator places him by hand.
	f.menuPick(".team-card.unplaced .member", "Pekka Niemi", "Siirrä: Ryhmä 2")
	bb.has(".team-mates", "Pekka Niemi")
	f.until(`[...document.querySelectorAll('.team-card')].some((c) => c.querySelector('.team-name').textContent === 'Ryhmä 2' && c.textContent.includes('Pekka Niemi') && c.textContent.includes('Liisa Virtanen'))`)
	f.until(`!document.querySelector('.team-card.unplaced')?.textContent.includes('Pekka Niemi')`)

	// A late joiner is offered the groups and joins one.
	c := b.tab("Ville", true)
	c.open(tb.created.JoinLink)
	c.join("Ville Yrittäjä", "Kuortaneen Kone ja Kuljetus Oy", "business")
	c.until(`document.querySelector('.team-choose') && !document.querySelector('.team-choose').hidden && document.querySelector('.team-choose').open`)
	f.has(".team-card.unplaced .member", "Ville Yrittäjä")
	c.clickIn(".choose-item", topic1, c.s("work.joinHere"))
	c.has(".team-title", "Ryhmä 1")
	c.has(".team-mates", longName)
	a.has(".team-mates", "Ville Yrittäjä")

	// Many ideas in Ryhmä 1, two in Ryhmä 2. Live: each group sees the
	// other's ideas under its own; the room screen sees only counts.
	g1 := a.eval(`window.__poyta.state.work.find((w) => w.running).mine`)
	ideas1 := []string{
		"Yhteinen avustuskalenteri kaikille järjestöille verkkoon",
		"Kaupungin tilojen maksuton iltakäyttö yhdistyksille",
		"Järjestöavustushakemuslomakkeidenyksinkertaistaminen",
		"Kylätalojen yhteiskäyttösopimus ja avainhallinta",
		"Nuorisotilojen viikonloppuaukiolo vapaaehtoisvoimin",
		"Liikuntapaikkavuorojenjakoperusteiden läpinäkyvyys",
		"Seurojen yhteinen varustevarasto",
		"Kunnan järjestöyhteyshenkilö ja yksi sähköpostiosoite",
	}
	a.typeIn("#team-text", ideas1[0])
	a.clickText(".team-form button", a.s("idea.send"))
	a.has(".team-ideas", ideas1[0])
	c.typeIn("#team-text", ideas1[1])
	c.clickText(".team-form button", c.s("idea.send"))
	// (Test clients that have not read for a while have been dropped: they connect again.)
	fac := s.dial(t, tb.created.ID, "facilitator", tb.created.FacilitatorSecret)
	pekka = s.dial(t, tb.created.ID, "participant", pekka.token)
	for _, idea := range ideas1[2:] {
		fac.do("idea.add", map[string]any{"item": item, "text": idea, "group": g1})
	}
	ideas2 := []string{"Vapaaehtoisrekisteri koko seutukunnalle", "Vapaaehtoisten perehdytyspaketti"}
	for _, idea := range ideas2 {
		pekka.do("idea.add", map[string]any{"item": item, "text": idea})
	}
	a.until(`document.querySelectorAll('.team-ideas .idea').length === %d`, len(ideas1))
	a.has(".team-others summary", "Muiden ryhmien ideat (2)")
	a.clickText(".team-others summary", "Muiden ryhmien ideat (2)")
	a.has(".team-others", ideas2[0])
	bb.has(".team-others summary", "Muiden ryhmien ideat (8)")
	bb.clickText(".team-others summary", "Muiden ryhmien ideat (8)")
	bb.has(".team-others", ideas1[2])
	if strings.Contains(bb.text(".team-others"), longName) {
		t.Error("a live work names another group's members")
	}
	scr.until(`[...document.querySelectorAll('.screen-team')].some((e) => e.textContent.includes('8 ideaa'))`)
	// (A live work's ideas are in every view, the screen's too, by the
	// facilitator's choice; the screen still shows none of them.)
	for _, idea := range append(ideas1, ideas2...) {
		if strings.Contains(scr.text("body"), idea) {
			t.Errorf("the room screen shows a group's idea while the groups work: %q", idea)
		}
	}

	// The timer: the facilitator starts it, the phones follow.
	if a.eval(`document.querySelector('.now .timer').dataset.state`) != "idle" {
		t.Error("the member's timer runs before the facilitator starts it")
	}
	f.clickText(".timer-toggle", f.s("timer.start"))
	for _, p := range []*tab{a, bb, c} {
		p.until(`document.querySelector('.now .timer')?.dataset.state === 'running' && document.querySelector('.now .timer').offsetParent !== null`)
	}
	scr.until(`document.querySelector('.timer-big')?.dataset.state === 'running'`)
	f.clickText(".timer-toggle", f.s("timer.pause"))
	a.until(`document.querySelector('.now .timer').dataset.state === 'paused'`)

	// The dot vote inside the group.
	a.clickIn(".team-ideas .idea", ideas1[2], "+")
	a.has(".team-ideas .idea.voted", ideas1[2])
	a.has(".team .team-dots-left", "1/2")
	c.clickIn(".team-ideas .idea", ideas1[2], "+")
	a.has(".team-ideas .idea", "2 pistettä ryhmältä")

	// The facilitator opens Ryhmä 1 and names its reporter.
	f.clickIn(".team-card", "Ryhmä 1", f.s("work.open"))
	f.has(".team-detail .team-ideas", ideas1[5])
	f.choose("#team-d-rep", longName)
	f.clickIn(".team-rep", "", f.s("work.choose"))
	a.has(".team-reporter", a.s("work.youReport"))
	c.has(".team-reporter", "Raportoija: "+longName)
	a.clickIn(".team-ideas .idea", ideas1[2], a.s("work.pick"))
	a.has(".team-ideas .idea.picked", ideas1[2])
	a.typeIn("#team-sum", "Tilat, avustukset ja vuorot yhteisin pelisäännöin; järjestöille yksi yhteyshenkilö kaupungintalolle.")
	a.clickText(".team-summary-form button", a.s("work.saveSummary"))
	a.has(".team-summary-form", a.s("work.summarySaved"))
	f.has(".team-card .member.is-reporter", longName)

	// The views, messy content and all.
	f.until(`(document.querySelector('.work-scroll').scrollTop = 0, true)`)
	f.axe("facilitator (group overview, by choice)")
	f.noMissingKeys("facilitator (group overview, by choice)")
	f.narrow("facilitator (group overview, by choice)")
	f.fits("group work", ".work-end", "#work-msg", ".team-card:nth-child(2) .team-open")
	f.shot("group-choice-facilitator")
	a.until(`(window.scrollTo(0, 0), true)`)
	a.axe("member (live group work)")
	a.noMissingKeys("member (live group work)")
	a.narrow("member (live group work)")
	a.reflow("member (live group work)")
	a.shot("group-choice-member")
	c.axe("late joiner (group work)")
	scr.axe("screen (live group work)")
	scr.shot("group-choice-screen", "laptop")
	for _, p := range []*tab{f, a, bb, c, scr} {
		p.sameState("during a live group work")
	}

	// The report-back: Ryhmä 1's pick, labelled, on everyone's page.
	f.clickText(".work-end", f.s("work.end"))
	f.until(`document.querySelector('.stage').dataset.mode === 'collect-reports'`)
	bb.has(".idea-list .idea", ideas1[2])
	bb.has(".idea-list .idea-src", "Ryhmä 1")
	bb.has(".reports-card", "Tilat, avustukset ja vuorot")
	scr.has(".screen-reports", ideas1[2])
	c.until(`!document.querySelector('.team-wrap') || document.querySelector('.team-wrap').hidden`)
}

// TestGroupWorkPlacedByHandAndLate: with placement by hand everyone waits
// until the facilitator places them; with automatic placement a person
// who joins while the groups work lands in a group at once, and again
// after a reload.
func TestGroupWorkPlacedByHandAndLate(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Kumppanuuspöytä","lang":"fi",
		"agenda":[{"title":"Tilat","timebox":20},{"title":"Viestintä","timebox":20}]}`)
	tb.fac.try("item.open", map[string]any{"item": tb.item(0)})
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	a := b.tab("Aino", true)
	a.open(tb.created.JoinLink)
	a.join("Aino Asukas", "", "resident")
	for _, p := range [][3]string{{"Pekka Niemi", "Soinin Sisu ry", "association"}, {"Juha Lehto", "Alavuden kaupunki", "municipality"}, {"Liisa Virtanen", "Seinäjoen kaupunki", "municipality"}} {
		tb.join(p[0], p[1], p[2])
	}

	// By hand: Aino waits, then is placed from her menu.
	f.clickText(".work-start", f.s("work.startButton"))
	f.until(`document.querySelector('.work-dialog[open]')`)
	f.do(chromedp.Click(chromedp.CSS(`.work-dialog input[name=work-place][value=manual]`)))
	f.fill(f.s("work.count"), 0, "2")
	f.clickText(".work-dialog button", f.s("work.start"))
	f.until(`document.querySelectorAll('.team-grid > .team-card').length === 3`)
	a.has(".team-waiting", a.s("work.waiting"))
	if a.eval(`String(document.querySelector('.team').hidden && document.querySelector('.team-choose').hidden)`) != "true" {
		t.Error("a member placed by hand sees a group or a choice before being placed")
	}
	a.axe("member (waiting to be placed)")
	f.menuPick(".team-card.unplaced .member", "Aino Asukas", "Siirrä: Ryhmä 2")
	a.has(".team-title", "Ryhmä 2")
	a.until(`document.querySelector('.team-waiting').hidden`)
	f.menuPick(".team-card .member", "Aino Asukas", f.s("work.moveOut"))
	a.until(`!document.querySelector('.team-waiting').hidden && document.querySelector('.team').hidden`)
	f.has(".team-card.unplaced .member", "Aino Asukas")
	f.clickText(".work-end", f.s("work.end"))
	f.until(`document.querySelector('.stage').dataset.mode === 'collect-reports'`)
	a.until(`document.querySelector('.team-wrap').hidden`)

	// At random on the next item; a late joiner lands in a group.
	tb.fac.try("item.open", map[string]any{"item": tb.item(1)})
	f.has(".stage-title", "Viestintä")
	f.clickText(".work-start", f.s("work.startButton"))
	f.until(`document.querySelector('.work-dialog[open]')`)
	f.do(chromedp.Click(chromedp.CSS(`.work-dialog input[name=work-place][value=random]`)))
	f.fill(f.s("work.count"), 0, "2")
	f.clickText(".work-dialog button", f.s("work.start"))
	f.until(`document.querySelectorAll('.team-grid > .team-card').length === 2`)
	a.until(`/^Ryhmä [12]$/.test(document.querySelector('.team-title')?.textContent || '')`)
	late := b.tab("Ville", true)
	late.open(tb.created.JoinLink)
	late.join("Ville Yrittäjä", "Kuortaneen Kone ja Kuljetus Oy", "business")
	late.until(`/^Ryhmä [12]$/.test(document.querySelector('.team-title')?.textContent || '') && !document.querySelector('.team').hidden`)
	group := late.text(".team-title")
	f.until(`[...document.querySelectorAll('.team-card')].some((c) => c.querySelector('.team-name').textContent === %s && c.textContent.includes('Ville Yrittäjä'))`, js(group))
	late.do(chromedp.Reload())
	late.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelector('.team-title')?.textContent === %s`, js(group))
	late.axe("late joiner (random groups)")
	for _, p := range []*tab{f, a, late} {
		p.sameState("random groups with a late joiner")
	}
}
