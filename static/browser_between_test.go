package static_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-ical"
)

// Messy content on purpose: long Finnish compounds and long organisation
// names must wrap in every view without widening the page.
const (
	firstTitle  = "Ähtärin ja Soinin kumppanuuspöytä"
	secondTitle = "Alavuden kumppanuuspöytä"
	spaceAction = "Liikuntatilojen maksuttomuuskokeilu yhdistysten iltavuoroihin ja viikonloppujen harrastustoimintaan"
	guideAction = "Avustushakemuslomakkeen selkokielinen täyttöohje"
	leisureOrg  = "Ähtärin kaupungin vapaa-aikapalvelujen liikuntapaikkasuunnitteluyksikkö"
	supportOrg  = "Keski-Suomen Yhteisöjen Tuki ry – järjestöjen kumppanuusverkosto"
	ownerNote   = "Maksuttomuuskokeilu alkoi maaliskuussa kolmessa salissa. Vapaa-aikalautakunta päättää jatkosta toukokuussa; tarvitsemme yhdistyksiltä käyttötilastot huhtikuun loppuun mennessä."
	minutesURL  = "https://www.ahtari.fi/kumppanuuspoyta/muistio-2027-02-25.pdf"
)

// TestBetweenTables is issue 17's done-when: two tables of a series; the
// facilitator makes an update link for an action, its owner reports
// through it on a phone between the tables, the organiser sees the report
// arrive in the tracker without reloading, downloads the progress report,
// the spreadsheet and the calendar from it and Decidim's files from the
// facilitator's minutes menu; the next table's follow-up starts from the
// owner's status; a revoked link says so.
func TestBetweenTables(t *testing.T) {
	s := startSite(t)
	first := s.createTable(t, `{"title":`+js(firstTitle)+`,"date":"2027-02-25","lang":"fi","agenda":[{"title":"Järjestöystävällisen kunnan konkreettiset toimenpiteet ja vastuunjako"}]}`)
	item := first.item(0)
	first.fac.do("idea.add", map[string]any{"item": item, "text": "Kunnan salit maksutta yhdistyksille iltaisin"})
	first.fac.do("item.phase", map[string]any{"item": item, "phase": "actions"})
	first.fac.do("action.add", map[string]any{"item": item, "title": spaceAction, "due": "2027-04-30",
		"owners": []map[string]any{{"org": leisureOrg}, {"org": supportOrg}}})
	first.fac.do("action.add", map[string]any{"item": item, "title": guideAction, "due": "2021-01-29",
		"owners": []map[string]any{{"org": "Soinin kunta"}}})
	// The meeting is over: the links are made, used and revoked after it closed.
	first.fac.do("table.close", map[string]any{})

	b := newBrowser(t, s)
	b.axe = axeSource(t)

	// The facilitator makes an update link from the action's menu; its
	// label is the action's owners until changed.
	f := b.tab("facilitator", false)
	f.open(first.created.FacilitatorLink)
	f.until(`document.querySelectorAll('.actions-board .action').length === 2`)
	f.menuPick(".actions-board .action", "maksuttomuuskokeilu", f.s("action.updateLink"))
	f.until(`document.querySelector('.links-dialog').open && document.activeElement.closest('.links-dialog')`)
	if got := f.eval(`document.querySelector('.links-form input').value`); !strings.Contains(got, "vapaa-aikapalvelujen") {
		t.Errorf("the link's label is %q, want the owners", got)
	}
	f.has(".links-dialog", f.s("links.none"))
	f.clickText(".links-dialog button", f.s("links.create"))
	f.until(`(document.querySelector('.links-dialog .link-input') || {}).value`)
	link := f.eval(`document.querySelector('.links-dialog .link-input').value`)
	if !strings.HasPrefix(link, s.url+"/u/"+first.created.ID+"#") {
		t.Fatalf("update link %q", link)
	}
	f.noMissingKeys("update link dialog")
	f.axe("update link dialog")
	f.clickText(".links-dialog button", f.s("common.close"))
	f.has(".actions-board .action-links", "vapaa-aikapalvelujen")

	// The tracker opens from the minutes menu in a new tab, with the key
	// in the address's fragment.
	f.until(`(window.open = (u) => { window.__opened = u; return null; }, true)`)
	f.menuPick(".minutes-menu", "", f.s("fac.tracker"))
	f.until(`window.__opened`)
	trackerPath := f.eval(`window.__opened`)
	if trackerPath != "/t/"+first.created.ID+"#"+first.created.FacilitatorSecret {
		t.Fatalf("the tracker opens %q", trackerPath)
	}
	tr := b.tab("tracker", false)
	tr.open(trackerPath)
	tr.until(`document.querySelectorAll('.tracker-table tbody tr').length === 2`)
	tr.has(".tracker-series", firstTitle)
	tr.has(".tracker-table", supportOrg)
	tr.has(".tracker-table tr.late", guideAction)
	tr.has(".tracker-table tr.late", tr.s("tracker.overdue"))

	// The owner opens the link on a phone: that action only.
	o := b.tab("owner", true)
	o.do(chromedp.Navigate(link))
	o.has(".owner-title", spaceAction)
	o.has(".owner-facts", leisureOrg)
	o.has(".owner-facts", "30. huhtikuuta 2027")
	o.has(".owner-where", firstTitle)
	if strings.Contains(o.text("main"), guideAction) {
		t.Error("the owner's page shows another action")
	}
	o.noMissingKeys("owner page")
	o.axe("owner page")
	// A note over the limit is refused in the page, and said why.
	o.setField(".report-form textarea", strings.Repeat("pitkä ", 340))
	o.has(".owner-count.over", "merkkiä liikaa")
	o.clickText(".report-form button", o.s("owner.send"))
	o.has(".report-form .form-error", strings.Replace(o.s("owner.tooLong"), "{max}", "2\u00a0000", 1))
	if o.eval(`document.activeElement.tagName + document.activeElement.getAttribute('aria-invalid')`) != "TEXTAREAtrue" {
		t.Error("the note over the limit is not focused and marked invalid")
	}
	// The report: in progress, with a note.
	o.setField(".report-form textarea", "")
	o.clickText(".choice label", o.s("status.action.in_progress")+o.s("owner.statusHint.in_progress"))
	o.typeIn(".report-form textarea", ownerNote)
	o.clickText(".report-form button", o.s("owner.send"))
	o.has(".owner-done", o.s("owner.sentHeading"))
	o.has(".owner-history", ownerNote)
	o.has(".owner-facts .status-tag", o.s("status.action.in_progress"))
	o.reflow("owner page")
	o.shot("owner-update")
	// In Swedish, by the person's choice; the action is not asked again.
	o.choose(".lang", "Svenska")
	o.until(`document.documentElement.lang === 'sv' && document.querySelector('.owner-history')`)
	o.has(".owner-history", ownerNote)
	o.noMissingKeys("owner page in Swedish")
	o.choose(".lang", "Suomi")
	o.until(`document.documentElement.lang === 'fi' && document.querySelector('.owner-title')`)

	// The organiser sees it arrive: in the tracker without a reload, and
	// on the action board.
	tr.has(".tracker-table tr.fresh", ownerNote)
	tr.has(".tracker-table tr.fresh .new-tag", tr.s("tracker.new"))
	tr.has(".tracker-table tr.fresh .col-status", tr.s("status.action.in_progress"))
	tr.has(".tracker-table tr.fresh .col-update", tr.s("tracker.byOwner"))
	tr.until(`document.getElementById('announcer').textContent.includes(%s)`, js(spaceAction))
	f.has(".actions-board .action-update", ownerNote)
	f.has(".actions-board .action-update", "vastuutahon päivitys")

	// Filters and order.
	tr.typeIn(".tracker-filters input[type=search]", "yhteisöjen tuki")
	tr.until(`document.querySelectorAll('.tracker-table tbody tr').length === 1 && document.querySelector('.tracker-table tbody').textContent.includes('maksuttomuuskokeilu')`)
	tr.clickText(".tracker-reset", tr.s("tracker.reset"))
	tr.until(`document.querySelectorAll('.tracker-table tbody tr').length === 2`)
	tr.do(chromedp.Click(chromedp.CSS(".tracker-filters input[type=checkbox]")))
	tr.until(`document.querySelectorAll('.tracker-table tbody tr').length === 1 && document.querySelector('.tracker-table tbody').textContent.includes(%s)`, js(guideAction))
	tr.clickText(".tracker-reset", tr.s("tracker.reset"))
	tr.clickText(".sort-btn", tr.s("tracker.col.due"))
	tr.until(`document.querySelector('th[aria-sort]') && document.querySelector('th[aria-sort]').textContent.includes(%s) && document.querySelector('.tracker-table tbody tr').textContent.includes(%s)`, js(tr.s("tracker.col.due")), js(guideAction))
	if got := tr.eval(`document.querySelector('th[aria-sort]').getAttribute('aria-sort') + ' ' + document.querySelectorAll('th[aria-sort]').length`); got != "ascending 1" {
		t.Errorf("sorted by due date: aria-sort %q", got)
	}
	tr.until(`document.querySelector('.tracker-filters select:last-of-type') && [...document.querySelectorAll('.tracker-filters select')].some((s) => s.value === 'due')`)

	// The files, through the tracker's menu.
	dir := tr.downloads()
	tr.menuPick(".tracker-files", "", tr.s("tracker.file.md"))
	name, md := tr.downloaded(dir, ".md")
	for _, want := range []string{firstTitle, spaceAction, ownerNote, "Käynnissä", leisureOrg, guideAction} {
		if !strings.Contains(md, want) {
			t.Errorf("the progress report (%s) lacks %q:\n%s", name, want, md)
		}
	}
	tr.menuPick(".tracker-files", "", tr.s("tracker.file.csv"))
	_, csv := tr.downloaded(dir, ".csv")
	if !strings.Contains(csv, spaceAction) || !strings.Contains(csv, ownerNote) {
		t.Errorf("the tracker's spreadsheet lacks the action or its report:\n%s", csv)
	}
	tr.menuPick(".tracker-files", "", tr.s("tracker.file.ics"))
	_, ics := tr.downloaded(dir, ".ics")
	todos := parseTodos(t, ics)
	if len(todos) != 2 {
		t.Fatalf("the series calendar has %d to-dos, want 2", len(todos))
	}
	for _, c := range todos {
		summary, _ := c.Props.Text(ical.PropSummary)
		status, _ := c.Props.Text(ical.PropStatus)
		if summary == spaceAction && (status != "IN-PROCESS" || c.Props.Get(ical.PropDue).Value != "20270430") {
			t.Errorf("the reported action's to-do: status %q due %q", status, c.Props.Get(ical.PropDue).Value)
		}
	}
	tr.noMissingKeys("tracker")
	tr.axe("tracker")
	tr.reflow("tracker")

	// The facilitator's files: the table's calendar and Decidim's.
	fdir := f.downloads()
	f.menuPick(".minutes-menu", "", f.s("fac.ics"))
	_, fics := f.downloaded(fdir, ".ics")
	if n := len(parseTodos(t, fics)); n != 2 {
		t.Errorf("the table's calendar has %d to-dos, want 2", n)
	}
	f.menuPick(".minutes-menu", "", f.s("fac.decidimProposals"))
	f.until(`document.querySelector('.decidim-dialog').open`)
	f.clickText(".decidim-dialog button", f.s("decidim.download"))
	f.has(".decidim-dialog .form-error", f.s("decidim.minutesBad"))
	f.noMissingKeys("Decidim dialog")
	f.axe("Decidim dialog")
	f.setField(".decidim-dialog input[type=url]", minutesURL)
	f.clickText(".decidim-dialog button", f.s("decidim.download"))
	_, proposals := f.downloaded(fdir, "-decidim-proposals.csv")
	checkColumns(t, "proposals", proposals, "title/fi", "body/fi")
	if !strings.Contains(proposals, minutesURL) {
		t.Errorf("the proposals do not link to the minutes:\n%s", proposals)
	}
	// The address is remembered; the locale names the columns.
	f.menuPick(".minutes-menu", "", f.s("fac.decidimResults"))
	f.until(`document.querySelector('.decidim-dialog').open && document.querySelector('.decidim-dialog input[type=url]').value === %s`, js(minutesURL))
	f.choose(".decidim-dialog select", "English")
	f.clickText(".decidim-dialog button", f.s("decidim.download"))
	_, results := f.downloaded(fdir, "-decidim-results.csv")
	checkColumns(t, "results", results, "title/en", "description/en", "start_date", "end_date", "progress")
	if !strings.Contains(results, ";50") && !strings.Contains(results, ";50;") {
		t.Errorf("the reported action is not 50%% in progress in the results:\n%s", results)
	}

	// The next table of the series, made from the first: its follow-up
	// starts from the owner's status and report.
	from, _ := json.Marshal(map[string]any{"title": secondTitle, "date": "2027-05-20",
		"from": map[string]string{"table": first.created.ID, "secret": first.created.FacilitatorSecret}})
	second := s.createTable(t, string(from))
	f2 := b.tab("facilitator, next table", false)
	f2.open(second.created.FacilitatorLink)
	f2.until(`document.querySelectorAll('.follow-panel .fu').length === 2`)
	f2.has(".follow-panel .fu", ownerNote)
	fu := `[...document.querySelectorAll('.follow-panel .fu')].find((l) => l.textContent.includes('maksuttomuuskokeilu'))`
	f2.until(fu+`.querySelector('.status-tag').textContent === %s`, js(f2.s("status.action.in_progress")))
	f2.noMissingKeys("follow-up with a report")
	// Carried on: the tracker, still on the first table's key, follows it
	// to the next table.
	f2.clickIn(".follow-panel .fu", "maksuttomuuskokeilu", f2.s("follow.outcome.carried"))
	f2.has(".actions-board .action", "maksuttomuuskokeilu")
	tr.has(".tracker-tables", secondTitle)
	tr.has(".tracker-table", strings.Replace(tr.s("tracker.carried"), "{title}", firstTitle, 1))
	tr.has(".tracker-table tr", tr.s("status.action.in_progress"))
	// The report carried with it is still the owner's, not the facilitator's.
	tr.has(".tracker-table tr .col-update", tr.s("tracker.byOwner"))
	tr.shot("tracker")
	for _, lang := range []string{"sv", "en"} {
		tr.choose(".lang", map[string]string{"sv": "Svenska", "en": "English"}[lang])
		tr.until(`document.documentElement.lang === %s && document.querySelectorAll('.tracker-table tbody tr').length === 2`, js(lang))
		tr.noMissingKeys("tracker in " + lang)
	}

	// A revoked link says so, and plainly.
	f.menuPick(".actions-board .action", "maksuttomuuskokeilu", f.s("action.updateLink"))
	f.clickText(".links-dialog .link-item button", f.s("links.revoke"))
	f.has(".links-dialog .link-item.revoked", f.s("links.revoked"))
	o.do(chromedp.Reload())
	o.has(".owner-fail", o.s("owner.revoked"))
	o.noMissingKeys("revoked link")
	// A wrong key too (a fresh page: only the fragment differs).
	o.do(chromedp.Navigate("about:blank"))
	o.open("/u/" + first.created.ID + "#vaara-avain")
	o.has(".owner-fail", o.s("owner.badHeading"))
}

// parseTodos reads an iCalendar file with a real parser and returns its to-dos.
func parseTodos(t *testing.T, text string) []*ical.Component {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader([]byte(text))).Decode()
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, text)
	}
	var out []*ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompToDo {
			out = append(out, c)
		}
	}
	return out
}

// checkColumns checks that a Decidim CSV file's header has the columns
// its importer requires (docs/decidim.md).
func checkColumns(t *testing.T, what, csv string, want ...string) {
	t.Helper()
	header, _, _ := strings.Cut(csv, "\n")
	cols := strings.Split(strings.TrimSpace(header), ";")
	for _, w := range want {
		found := false
		for _, c := range cols {
			if strings.Trim(c, `"`) == w {
				found = true
			}
		}
		if !found {
			t.Errorf("Decidim %s: no column %q in %q", what, w, header)
		}
	}
}
