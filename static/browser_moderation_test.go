package static_test

// Pre-moderation and co-facilitators (issue 12, section 1), in the UI.

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestPreModeration: a table created with pre-moderation on the start page;
// a participant's idea waits in the facilitator's review queue, marked as
// waiting on its author's phone and absent from the room screen, until it
// is approved (from the keyboard); a hidden one never reaches anyone; with
// moderation turned off in the settings, ideas go straight through.
func TestPreModeration(t *testing.T) {
	s := startSite(t)
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open("/")
	f.until(`document.querySelector('.create-card')`)
	f.typeLabel(f.s("start.title"), 0, "Joutsan elinvoimapaja")
	f.fill(f.s("start.itemTitle"), 0, "Järjestöystävällinen kunta")
	f.do(chromedp.Click(chromedp.CSS("#moderated")))
	f.clickText("button", f.s("start.create"))
	f.until(`document.querySelector('#f-link')`)
	fLink := f.eval(`document.querySelector('#f-link').value`)
	sLink := f.eval(`document.querySelector('#s-link').value`)
	code := f.eval(`document.querySelector('.code-big').textContent`)
	f.do(chromedp.Navigate(fLink))
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)

	scr := b.tab("screen", false)
	scr.do(chromedp.Navigate(sLink))
	scr.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	p := b.tab("participant", true)
	p.open("/j/" + code)
	p.join("Matti Meikäläinen", "Joutsan Urheilijat ry", "association")
	p.has(".phase-hint", p.s("hint.collectModerated"))

	// The idea waits: its author sees it marked, the facilitator in the queue, the room not at all.
	p.typeIn("#idea-text", "Yhteinen tapahtumakalenteri kaikille yhdistyksille")
	p.clickText(".idea-form button", p.s("idea.send"))
	p.has(".idea-list .idea.mine .idea-waiting", p.s("review.waiting"))
	f.has(".review", "Yhteinen tapahtumakalenteri")
	f.has(".review-h", "(1)")
	if n := f.eval(`String(document.querySelectorAll('.mod-list > li').length)`); n != "0" {
		t.Errorf("a waiting idea is in the facilitator's list as well as the queue (%s)", n)
	}
	f.axe("facilitator (review queue)")
	p.axe("participant (idea waiting)")
	f.shot("facilitator-review", "laptop")
	p.shot("participant-waiting", "phone")
	f.narrow("facilitator (review queue)")
	p.narrow("participant (idea waiting)")
	p.sameState("with an idea waiting")
	scr.sameState("with an idea waiting")
	if n := scr.eval(`String(document.querySelectorAll('.screen-ideas li').length)`); n != "0" {
		t.Errorf("the room screen shows %s ideas while the only one waits", n)
	}

	// Approve from the keyboard.
	f.do(chromedp.Focus(chromedp.CSS(".review-item .btn-primary")))
	f.press(kb.Enter)
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 1`)
	scr.has(".screen-ideas", "Yhteinen tapahtumakalenteri")
	p.until(`![...document.querySelectorAll('.idea-waiting')].some((e) => e.offsetParent)`)
	f.until(`document.querySelector('.review').hidden && document.querySelectorAll('.mod-list > li').length === 1`)

	// Hide: the idea reaches nobody, its author's copy goes too.
	p.typeIn("#idea-text", "Halpoja sähkösopimuksia, soita heti!")
	p.clickText(".idea-form button", p.s("idea.send"))
	f.has(".review", "Halpoja sähkösopimuksia")
	f.clickIn(".review-item", "Halpoja sähkösopimuksia", f.s("review.hide"))
	p.until(`!document.querySelector('.idea-list').textContent.includes('Halpoja')`)
	f.has(".mod-list .hidden-idea", "Halpoja sähkösopimuksia")
	if strings.Contains(scr.text(".screen"), "Halpoja") {
		t.Error("a hidden idea reached the room screen")
	}

	// Moderation off in the table's settings: ideas go straight through.
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.until(`document.querySelector('dialog[open] #set-moderated')?.checked === true`)
	f.axe("facilitator (settings)")
	f.do(chromedp.Click(chromedp.CSS("#set-moderated")))
	f.clickText("dialog[open] button", f.s("common.save"))
	p.has(".phase-hint", p.s("hint.collect"))
	p.typeIn("#idea-text", "Kylätalojen yhteiskäyttö")
	p.clickText(".idea-form button", p.s("idea.send"))
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 2`)
	for _, x := range []*tab{f, p, scr} {
		x.sameState("after the review")
	}
}

// TestCoFacilitators: the facilitator gives a colleague a link of their
// own; the colleague runs the table with it; taking it back ends their
// access and tells them so.
func TestCoFacilitators(t *testing.T) {
	s := startSite(t)
	tb := s.createTable(t, `{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Järjestöystävällinen kunta"}]}`)
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online'`)
	f.do(chromedp.Click(chromedp.CSS(".cofac summary")))
	f.typeIn("#cofac-name", "Pekka Niemi")
	f.clickText(".cofac-form button", f.s("cofac.add"))
	f.until(`document.querySelector('.cofac-item[data-link*="/f/"]')`)
	link := f.eval(`document.querySelector('.cofac-item').dataset.link`)
	if !strings.Contains(link, "/f/"+tb.created.ID+"#") || strings.HasSuffix(link, tb.created.FacilitatorSecret) {
		t.Fatalf("the co-facilitator's link %q is not a link of their own", link)
	}
	f.has(".cofac summary", "(1)")
	f.axe("facilitator (co-facilitators)")

	// The colleague runs the table with their link: the next phase, from the keyboard.
	c := b.tab("co-facilitator", false)
	c.do(chromedp.Navigate(link))
	c.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelector('.next-phase')`)
	c.press("n")
	f.until(`document.querySelector('.seg-vote[aria-pressed="true"]')`)
	c.sameState("as a co-facilitator")

	// Taking the link back.
	f.menuPick(".cofac-item", "Pekka Niemi", f.s("cofac.remove"))
	c.has("main", c.s("fac.removedHeading"))
	f.until(`!document.querySelector('.cofac-item')`)
	c.axe("co-facilitator (removed)")
}
