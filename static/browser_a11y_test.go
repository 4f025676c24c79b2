package static_test

// WCAG 2.2 AA in a real browser: what axe-core checks (with the wcag2a …
// wcag22aa tags, target-size included), and the criteria axe cannot see:
// focus not obscured (2.4.11), target size with the spacing exception
// (2.5.8), a single-pointer way for every drag (2.5.7), status messages
// in live regions (4.1.3, read from Chromium's accessibility tree), reduced
// motion (2.3.3 as a courtesy, and what prefers-reduced-motion promises)
// and 400% zoom (1.4.10). One server, one browser; the views are visited in
// the states a meeting goes through.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// targetsJS lists the controls smaller than 24×24 CSS pixels that do not
// meet the spacing exception of WCAG 2.5.8: a 24 px circle centred on the
// target must not reach another target, nor another small target's circle.
// A link inside a line of text is exempt (its size is the line's).
const targetsJS = `(() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=menuitem], [role=tab], [role=checkbox], [tabindex]:not([tabindex="-1"])';
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40) + '"';
  const all = [...document.querySelectorAll(sel)].map((e) => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[inert], .sr-only'));
  const inline = (e) => getComputedStyle(e).display === 'inline' && [...e.parentElement.childNodes].some((n) => n !== e && n.textContent.trim());
  const small = all.filter(([e, r]) => (r.width < 23.5 || r.height < 23.5) && !inline(e));
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const reaches = ([cx, cy], r) => { const x = Math.max(r.left, Math.min(cx, r.right)), y = Math.max(r.top, Math.min(cy, r.bottom)); return Math.hypot(cx - x, cy - y) < 12; };
  const out = [];
  for (const [e, r] of small) {
    const c = centre(r);
    const near = all.find(([o, or]) => o !== e && !o.contains(e) && !e.contains(o) && reaches(c, or)) ||
      small.find(([o, or]) => o !== e && Math.hypot(c[0] - centre(or)[0], c[1] - centre(or)[1]) < 24);
    if (near) out.push(name(e) + ' is ' + Math.round(r.width) + '×' + Math.round(r.height) + ' px, too near ' + name(near[0]));
  }
  return JSON.stringify({bad: out.slice(0, 15), spaced: small.length - out.length});
})()`

// targets fails on controls below 24×24 CSS pixels without the spacing
// the criterion asks for.
func (p *tab) targets(view string) {
	p.b.t.Helper()
	var res struct {
		Bad    []string `json:"bad"`
		Spaced int      `json:"spaced"`
	}
	if err := json.Unmarshal([]byte(p.eval(targetsJS)), &res); err != nil {
		p.fatal("targets on %s: %v", view, err)
	}
	for _, b := range res.Bad {
		p.b.t.Errorf("%s: target size on %s: %s", p.name, view, b)
	}
	if res.Spaced > 0 {
		p.b.t.Logf("%s: %s: %d controls under 24 px pass by their spacing", p.name, view, res.Spaced)
	}
}

// focusJS describes the focused element and what covers it: for five
// points of its box, the element on top there, unless that is the focused
// element itself or inside it. A cover that is (inside) a fixed or sticky
// element is named as such: the sticky dots bar, the header, a menu.
const focusJS = `(() => {
  const a = document.activeElement;
  if (!a || a === document.body || a === document.documentElement) return JSON.stringify({id: 0});
  window.__focusIds = window.__focusIds || new WeakMap();
  if (!window.__focusIds.has(a)) window.__focusIds.set(a, (window.__focusN = (window.__focusN || 0) + 1));
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().slice(0, 40) + '"';
  const pinned = (e) => { for (let x = e; x && x !== document.body; x = x.parentElement) { const p = getComputedStyle(x).position; if (p === 'fixed' || p === 'sticky') return x; } return null; };
  const r = a.getBoundingClientRect();
  const out = {id: window.__focusIds.get(a), name: name(a), problems: []};
  if (r.width < 1 || r.height < 1) return JSON.stringify(out);
  let seen = 0;
  // The centre and four points between it and the edges: inside a round
  // button too, whose corners show what lies beneath.
  for (const [fx, fy] of [[.5, .5], [.22, .5], [.78, .5], [.5, .22], [.5, .78]]) {
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    seen++;
    const e = document.elementFromPoint(x, y);
    // What lies under the control (its own container) does not cover it.
    if (!e || e === a || a.contains(e) || e.contains(a)) continue;
    // A label of the focused control is the control's own.
    if (e.closest('label') && e.closest('label').control === a) continue;
    const pin = pinned(e);
    out.problems.push('covered at (' + Math.round(x) + ', ' + Math.round(y) + ') by ' + (pin ? getComputedStyle(pin).position + ' ' + name(pin) : name(e)));
  }
  if (!seen) out.problems.push('outside the viewport (' + Math.round(r.left) + ', ' + Math.round(r.top) + ')');
  return JSON.stringify(out);
})()`

// shiftTab presses Shift+Tab.
func (p *tab) shiftTab() {
	p.b.t.Helper()
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeRawKeyDown, Key: "Tab", Code: "Tab", NativeVirtualKeyCode: 9, WindowsVirtualKeyCode: 9, Modifiers: 8}
	up := down
	up.Type = input.DispatchKeyEventTypeKeyUp
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	for _, ev := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, ev); err != nil {
			p.fatal("shift+tab: %v", err)
		}
	}
}

// focusNotObscured tabs through the whole page (and back with Shift+Tab
// when back is set: the way up is where a sticky bar at the top hides
// things) and fails on every focused element that something covers.
func (p *tab) focusNotObscured(view string, back bool) {
	p.b.t.Helper()
	p.until(`(document.activeElement && document.activeElement.blur && document.activeElement.blur(), window.scrollTo(0, 0), true)`)
	n := atoi(p.eval(`String(document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').length)`))
	steps := 0
	for _, dir := range []bool{false, true} {
		if dir && !back {
			break
		}
		first, reported := 0, map[string]bool{}
		for i := 0; i < n+10; i++ {
			if dir {
				p.shiftTab()
			} else {
				p.press(kb.Tab)
			}
			steps++
			var f struct {
				ID       int      `json:"id"`
				Name     string   `json:"name"`
				Problems []string `json:"problems"`
			}
			if err := json.Unmarshal([]byte(p.eval(focusJS)), &f); err != nil {
				p.fatal("focus on %s: %v", view, err)
			}
			if f.ID == 0 {
				continue
			}
			if f.ID == first {
				break
			}
			if first == 0 {
				first = f.ID
			}
			for _, pr := range f.Problems {
				if key := f.Name + pr; !reported[key] {
					reported[key] = true
					way := "Tab"
					if dir {
						way = "Shift+Tab"
					}
					p.b.t.Errorf("%s: focus obscured on %s (%s): %s %s", p.name, view, way, f.Name, pr)
				}
			}
		}
	}
	p.b.t.Logf("%s: %s: %d focus steps checked", p.name, view, steps)
	p.until(`(document.activeElement && document.activeElement.blur && document.activeElement.blur(), window.scrollTo(0, 0), true)`)
}

// zoom400 checks the page at 400% zoom of a 1280×1024 screen: 320×256
// CSS pixels. Nothing scrolls sideways or sits outside the viewport, and
// fixed or sticky parts leave most of the screen to the content.
func (p *tab) zoom400(view string) {
	p.b.t.Helper()
	p.do(chromedp.EmulateViewport(320, 256, chromedp.EmulateScale(4)))
	p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	var problems []string
	if err := json.Unmarshal([]byte(p.eval(reflowJS, 320)), &problems); err != nil {
		p.fatal("zoom %s: %v", view, err)
	}
	pinned := p.eval(`[...document.querySelectorAll('body *')].filter((e) => { const s = getComputedStyle(e); return (s.position === 'fixed' || s.position === 'sticky') && e.offsetParent !== null || s.position === 'fixed' && e.getClientRects().length; }).map((e) => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.height > innerHeight * 0.4 && r.width > 1).map(([e, r]) => e.className + ' is ' + Math.round(r.height) + ' px of ' + innerHeight).join('; ')`)
	if pinned != "" {
		problems = append(problems, "a fixed or sticky part covers much of the screen: "+pinned)
	}
	for _, pr := range problems {
		p.b.t.Errorf("%s: %s at 400%% zoom: %s", p.name, view, pr)
	}
	p.do(p.viewport(p.w, p.h, p.mobile))
}

// liveRegion is a live region as Chromium's accessibility tree has it.
type liveRegion struct {
	Live string // polite or assertive
	Role string
	Text string
}

// liveRegions reads the page's live regions and their text from the
// accessibility tree (CDP Accessibility.getFullAXTree), as a screen reader
// would find them.
func (p *tab) liveRegions() []liveRegion {
	p.b.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	res, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		p.fatal("accessibility tree: %v", err)
	}
	byID := map[accessibility.NodeID]*accessibility.Node{}
	for _, n := range res.Nodes {
		byID[n.NodeID] = n
	}
	str := func(v *accessibility.Value) string {
		if v == nil {
			return ""
		}
		var s string
		json.Unmarshal([]byte(v.Value), &s)
		return s
	}
	var text func(n *accessibility.Node, b *strings.Builder)
	text = func(n *accessibility.Node, b *strings.Builder) {
		if n == nil {
			return
		}
		// An element without meaning of its own (a span) is an ignored
		// node, but its text is still read: go through it.
		if str(n.Role) == "StaticText" && !n.Ignored {
			b.WriteString(str(n.Name))
			b.WriteString(" ")
			return
		}
		for _, c := range n.ChildIDs {
			text(byID[c], b)
		}
	}
	var out []liveRegion
	for _, n := range res.Nodes {
		if n.Ignored {
			continue
		}
		for _, pr := range n.Properties {
			if pr.Name != accessibility.PropertyNameLive {
				continue
			}
			if live := str(pr.Value); live == "polite" || live == "assertive" {
				var b strings.Builder
				text(n, &b)
				out = append(out, liveRegion{Live: live, Role: str(n.Role), Text: strings.Join(strings.Fields(strings.ReplaceAll(b.String(), "\u00ad", "")), " ")})
			}
		}
	}
	return out
}

// announced waits until a live region of the politeness holds the text.
func (p *tab) announced(live, text string) {
	p.b.t.Helper()
	for i := 0; ; i++ {
		for _, r := range p.liveRegions() {
			if r.Live == live && strings.Contains(r.Text, text) {
				return
			}
		}
		if i > 0 && i%50 == 0 {
			p.b.t.Logf("%s: still waiting for a %s live region with %q: %+v", p.name, live, text, p.liveRegions())
		}
		if i > 250 {
			p.fatal("no %s live region says %q; the live regions: %+v", live, text, p.liveRegions())
		}
		p.until(`new Promise((r) => setTimeout(() => r(true), 40))`)
	}
}

// reducedMotion emulates prefers-reduced-motion (or stops emulating it).
func (p *tab) reducedMotion(on bool) {
	p.b.t.Helper()
	var f []*emulation.MediaFeature
	if on {
		f = []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: f}); err != nil {
		p.fatal("reduced motion: %v", err)
	}
}

// motionJS lists what moves: running animations and transitions, and any
// element whose style would animate or transition.
const motionJS = `(() => {
  const out = document.getAnimations().map((a) => 'running: ' + (a.animationName || a.transitionProperty || a.constructor.name) + ' on ' + (a.effect && a.effect.target ? a.effect.target.className : '?'));
  for (const e of document.querySelectorAll('*')) {
    const s = getComputedStyle(e);
    const moving = (s.animationName !== 'none' && parseFloat(s.animationDuration) > 0) || s.transitionDuration.split(',').some((d) => parseFloat(d) > 0) || s.scrollBehavior === 'smooth';
    if (moving) out.push('styled to move: ' + e.tagName.toLowerCase() + '.' + String(e.className).trim().split(/\s+/).join('.') + ' (' + s.animationName + ' ' + s.animationDuration + ', transition ' + s.transitionDuration + ', scroll ' + s.scrollBehavior + ')');
  }
  return JSON.stringify(out.slice(0, 12));
})()`

func (p *tab) still(view string) {
	p.b.t.Helper()
	var moving []string
	if err := json.Unmarshal([]byte(p.eval(motionJS)), &moving); err != nil {
		p.fatal("motion on %s: %v", view, err)
	}
	for _, m := range moving {
		p.b.t.Errorf("%s: with reduced motion on %s: %s", p.name, view, m)
	}
}

// checkView is the whole automated check of one view in one state.
func (p *tab) checkView(view string) {
	p.b.t.Helper()
	p.noMissingKeys(view)
	p.axe(view)
	p.targets(view)
}

// TestWCAG22 walks a table through its phases and checks each view in each
// state against WCAG 2.2 AA: axe-core (the wcag22aa rules included), target
// size, focus not obscured, 400% zoom, reduced motion, the click-only way
// to merge, and the status messages a screen reader hears.
func TestWCAG22(t *testing.T) {
	s := startSite(t)
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	tb := s.createTable(t, `{"title":"Ähtärin ja Soinin kumppanuuspöytä","theme":"Millainen on järjestöystävällinen kunta?","date":"2027-02-25","start":"17:00","end":"19:00",
		"link":"https://teams.example.fi/kumppanuuspoyta","lang":"fi","facilitator":"Anu Hätinen","allowAnonymous":true,"dots":3,
		"agenda":[{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":50},{"title":"Konkreettiset yhteistyön askeleet","timebox":30}]}`)
	item := tb.item(0)
	liisa := tb.join("Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	tb.fac.do("group.add", map[string]any{"name": "Sali, pöytä 2"})
	liisa.do("idea.add", map[string]any{"item": item, "text": "Yhteinen tapahtumakalenteri kaikille yhdistyksille"})
	tb.fac.do("idea.add", map[string]any{"item": item, "text": "Kunnan tilat maksutta yhdistysten käyttöön", "onBehalf": "Eeva Kallio, Soinin kyläyhdistys"})
	liisa.do("idea.add", map[string]any{"item": item, "text": "Järjestöyhteyshenkilö kaupungin organisaatioon", "anonymous": true})
	liisa.do("hand.raise", nil)
	var v struct {
		Groups []struct{ ScribeToken string } `json:"groups"`
	}
	tb.fac.fresh(&v)

	// Anyone: the start page and the statements.
	visitor := b.tab("visitor", false)
	visitor.open("/")
	visitor.until(`document.querySelector('.create-card')`)
	visitor.checkView("start")
	visitor.focusNotObscured("start", false)
	visitor.zoom400("start")
	for _, path := range []string{"/saavutettavuus", "/tietosuoja", "/accessibility?lang=en"} {
		visitor.open(path)
		visitor.until(`document.querySelector('main h1')`)
		visitor.axe(path)
		visitor.targets(path)
		visitor.zoom400(path)
	}

	// The participant joins on a phone.
	p := b.tab("participant", true)
	p.open(tb.created.JoinLink)
	p.until(`document.querySelector('form button')`)
	p.checkView("join")
	p.focusNotObscured("join", false)
	p.zoom400("join")
	p.join("Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	p.until(`document.querySelectorAll('.idea-list:not(.pending-list) .idea').length === 3`)

	f := b.tab("facilitator", false)
	f.open(tb.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelectorAll('.mod-list > li').length === 3`)
	sc := b.tab("scribe", false)
	sc.open(fmt.Sprintf("/r/%s#%s", tb.created.ID, v.Groups[0].ScribeToken))
	sc.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelector('#scribe-text')`)
	scr := b.tab("screen", false)
	scr.open(tb.created.ScreenLink)
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 3`)

	// Collecting ideas.
	p.checkView("participant (collect)")
	p.focusNotObscured("participant (collect)", true)
	p.zoom400("participant (collect)")
	f.checkView("facilitator (collect)")
	f.focusNotObscured("facilitator (collect)", false)
	f.zoom400("facilitator (collect)")
	sc.checkView("scribe (collect)")
	sc.focusNotObscured("scribe (collect)", false)
	sc.zoom400("scribe (collect)")
	scr.checkView("screen (collect)")
	scr.zoom400("screen (collect)")

	// The facilitator's menus and dialogs.
	f.menuPick(".mod-list > li", "Yhteinen tapahtumakalenteri", f.s("common.edit"))
	f.until(`document.querySelector('.mod-list .edit-form textarea') === document.activeElement`)
	f.checkView("facilitator (editing an idea)")
	f.clickText(".mod-list .edit-form button", f.s("common.cancel"))
	f.until(`(() => { const b = document.querySelector('.mod-list > li .btn-dots'); b.click(); return b.getAttribute('aria-expanded') === 'true'; })()`)
	f.until(`document.querySelector('[role=menu]:not([hidden]) [role=menuitem]')`)
	f.checkView("facilitator (idea menu)")
	f.press(kb.Escape)
	f.until(`(() => { const b = document.querySelector('.table-menu [aria-haspopup=menu], .table-menu[aria-haspopup=menu]'); b.click(); return b.getAttribute('aria-expanded') === 'true'; })()`)
	f.checkView("facilitator (table menu)")
	f.press(kb.Escape)
	f.menuPick(".table-menu", "", f.s("fac.settings"))
	f.until(`document.querySelector('dialog[open]')`)
	f.checkView("facilitator (settings dialog)")
	f.focusNotObscured("facilitator (settings dialog)", false)
	f.press(kb.Escape)
	f.until(`!document.querySelector('dialog[open]')`)
	f.clickText("header button", f.s("fac.share"))
	f.until(`document.querySelector('dialog[open] img.qr')?.naturalWidth > 0`)
	f.checkView("facilitator (share dialog)")
	f.focusNotObscured("facilitator (share dialog)", false)
	f.press(kb.Escape)
	f.until(`!document.querySelector('dialog[open]')`)
	f.press("?")
	f.until(`document.querySelector('dialog[open]')`)
	f.checkView("facilitator (keys dialog)")
	f.press(kb.Escape)
	f.until(`!document.querySelector('dialog[open]')`)

	// The API clients read only while they wait for an ack, so after the
	// browser's long checks they connect again (the server drops a
	// connection that leaves its pings unanswered). Op ids go on from
	// where they were: a repeated id is answered as a retry.
	redial := func(w *wsClient) *wsClient {
		c := s.dial(t, w.table, w.role, w.token)
		c.n, c.you = w.n, w.you
		return c
	}
	again := func() { tb.fac, liisa = redial(tb.fac), redial(liisa) }
	again()

	// 4.1.3: a new idea is announced on the facilitator's list.
	liisa.do("idea.add", map[string]any{"item": item, "text": "Seurojen yhteinen varustevarasto"})
	f.announced("polite", "Seurojen yhteinen varustevarasto")

	// 2.5.7: merging by dragging has a single-pointer way: each draggable
	// idea has a menu with "merge", and the merge is done with clicks.
	clickMerge(t, f)

	// Reduced motion: nothing moves as ideas arrive and the vote goes on.
	for _, x := range []*tab{f, scr} {
		x.reducedMotion(true)
	}
	again()
	tb.fac.do("idea.add", map[string]any{"item": item, "text": "Kylätalojen yhteiskäyttö"})
	scr.until(`document.querySelectorAll('.screen-ideas li').length === 4 && document.querySelector('.screen-ideas').textContent.includes('Kylätalojen')`)
	scr.still("screen (an idea arrives)")
	if got := scr.eval(`String(matchMedia('(prefers-reduced-motion: reduce)').matches)`); got != "true" {
		t.Fatalf("reduced motion is not emulated: %s", got)
	}

	// Voting.
	again()
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "vote"})
	p.until(`document.querySelector('.dots-left') && document.querySelector('.dots-left').offsetParent`)
	p.announced("polite", "Vaihe vaihtui: "+p.s("phase.vote"))
	p.checkView("participant (vote)")
	p.clickIn(".idea-list > li", "Yhteinen tapahtumakalenteri", "+")
	p.announced("polite", "2/3 pistettä jäljellä")
	p.clickIn(".idea-list > li", "Kylätalojen yhteiskäyttö", "+")
	p.announced("polite", "1/3 piste jäljellä")
	p.checkView("participant (vote, dots placed)")
	p.focusNotObscured("participant (vote)", true)
	// The check sees a cover: a fixed bar laid over a focused vote button.
	cover := p.eval(`(() => { const b = [...document.querySelectorAll('.idea-list .btn-plus')].find((x) => x.offsetParent && !x.disabled); b.scrollIntoView({block: 'center'}); b.focus({preventScroll: true}); const r = b.getBoundingClientRect(); const d = document.createElement('div'); d.id = 'a11y-cover'; Object.assign(d.style, {position: 'fixed', left: '0', right: '0', top: (r.top - 4) + 'px', height: (r.height + 8) + 'px', background: '#fff', zIndex: 50}); document.body.append(d); const out = ` + focusJS + `; d.remove(); b.blur(); return out; })()`)
	if !strings.Contains(cover, "covered") || !strings.Contains(cover, "fixed div#a11y-cover") {
		t.Errorf("the focus check does not see a fixed bar over the focused button: %s", cover)
	}
	p.zoom400("participant (vote)")
	p.reducedMotion(true)
	p.clickIn(".idea-list > li", "Järjestöyhteyshenkilö", "+")
	p.announced("polite", "0/3 pistettä jäljellä")
	p.still("participant (vote)")
	f.until(`document.querySelector('.cast')`)
	f.checkView("facilitator (vote)")
	f.focusNotObscured("facilitator (vote)", false)
	f.still("facilitator (vote)")
	sc.until(`document.querySelectorAll('.dots-form input').length >= 3`)
	sc.checkView("scribe (vote)")
	sc.focusNotObscured("scribe (vote)", false)
	scr.checkView("screen (vote)")

	// The timer's last minute.
	again()
	tb.fac.do("timer.start", map[string]any{"item": item, "seconds": 60})
	// Once both pages have said it, the timer is paused: its end would
	// replace the message, and reading the accessibility tree must not
	// race the clock.
	for _, x := range []*tab{p, f} {
		x.until(`document.getElementById('announcer')?.textContent === %s`, js(x.s("timer.lastMinute")))
	}
	tb.fac.do("timer.pause", map[string]any{"item": item})
	p.announced("polite", p.s("timer.lastMinute"))
	f.announced("polite", f.s("timer.lastMinute"))

	// A lost connection and its return are told.
	p.offline(true)
	s.cutWebsockets()
	p.announced("polite", p.s("status.offline"))
	p.offline(false)
	p.announced("polite", p.s("status.online"))

	// Results and actions.
	again()
	tb.fac.do("item.reveal", map[string]any{"item": item, "revealed": true})
	p.announced("polite", p.s("announce.revealed"))
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "actions"})
	tb.fac.do("action.add", map[string]any{"item": item, "title": "Avustushaun selkokielinen ohje", "owners": []map[string]any{{"org": "Soinin kunta"}, {"participant": liisa.you}}})
	p.until(`document.querySelectorAll('.action-list .action').length === 1`)
	p.checkView("participant (actions)")
	p.focusNotObscured("participant (actions)", false)
	p.zoom400("participant (actions)")
	f.until(`document.querySelectorAll('.actions-board .action').length === 1`)
	f.checkView("facilitator (actions)")
	f.focusNotObscured("facilitator (actions)", false)
	f.zoom400("facilitator (actions)")
	scr.checkView("screen (results)")

	// The item closed, then the table.
	again()
	tb.fac.do("item.phase", map[string]any{"item": item, "phase": "closed"})
	p.until(`document.querySelector('.now-phase').textContent.includes(%s)`, js(p.s("phase.closed")))
	p.checkView("participant (item closed)")
	f.checkView("facilitator (item closed)")
	tb.fac.do("table.close", nil)
	p.has(".banner-slot", p.s("table.closedNote"))
	p.checkView("participant (table closed)")
	f.until(`document.querySelector('.banner')`)
	f.checkView("facilitator (table closed)")
	scr.checkView("screen (table closed)")

	// The follow-up of a series.
	next := seriesTable(t, s)
	f.open(next.created.FacilitatorLink)
	f.until(`document.querySelectorAll('.follow-panel .fu').length === 1`)
	f.checkView("facilitator (follow-up)")
	f.focusNotObscured("facilitator (follow-up)", false)
	p.open(next.created.JoinLink)
	p.clickText("form button", p.s("join.button"))
	p.until(`document.querySelector('.follow') && !document.querySelector('.follow').hidden`)
	p.checkView("participant (follow-up)")
	scr.open(next.created.ScreenLink)
	scr.until(`document.querySelectorAll('.screen-follow .fu').length === 1`)
	scr.checkView("screen (follow-up)")
}

// clickMerge checks that each draggable idea of the facilitator's list can
// be merged without dragging, and merges one with mouse clicks only.
func clickMerge(t *testing.T, f *tab) {
	t.Helper()
	bad := f.eval(`[...document.querySelectorAll('[draggable=true]')].filter((e) => !e.querySelector('[aria-haspopup=menu]')).map((e) => e.textContent.slice(0, 40)).join('; ')`)
	if bad != "" {
		t.Errorf("draggable without a menu (a way without dragging): %s", bad)
	}
	if n := atoi(f.eval(`String(document.querySelectorAll('[draggable=true]').length)`)); n < 2 {
		t.Fatalf("%d draggable ideas; the test needs some", n)
	}
	click := func(js string, args ...any) {
		t.Helper()
		f.until(`(() => { document.querySelectorAll('[data-a11y-click]').forEach((e) => e.removeAttribute('data-a11y-click')); const e = (`+js+`); if (!e) return false; e.setAttribute('data-a11y-click', ''); return true; })()`, args...)
		f.do(chromedp.ScrollIntoView(chromedp.CSS(`[data-a11y-click]`)), chromedp.Click(chromedp.CSS(`[data-a11y-click]`)))
	}
	click(`[...document.querySelectorAll('.mod-list > li[draggable=true]')].find((l) => l.textContent.includes('Seurojen yhteinen varustevarasto'))?.querySelector('.btn-dots')`)
	click(`[...document.querySelectorAll('[role=menuitem]')].find((m) => m.textContent.trim() === %s && m.offsetParent)`, js(f.s("fac.merge")))
	click(`[...document.querySelectorAll('.merge-form .merge-target')].find((b) => b.textContent.includes('Yhteinen tapahtumakalenteri'))`)
	f.until(`[...document.querySelectorAll('.mod-list > li')].some((l) => l.textContent.includes('Yhteinen tapahtumakalenteri') && l.textContent.includes('Seurojen yhteinen varustevarasto'))`)
}

// TestEveryDragHasAClickWay: every drag source in the UI is listed here
// with its single-pointer alternative (WCAG 2.5.7), which TestWCAG22 uses.
// A new drag fails until it has one.
func TestEveryDragHasAClickWay(t *testing.T) {
	alternatives := map[string]string{
		"views/f-ideas.js":  "an idea's menu: Merge…, then the idea it goes into (clickMerge in TestWCAG22)",
		"views/f-groups.js": "a person's menu in the group work overview: Siirrä: Ryhmä N (TestGroupWork moves Ville so)",
	}
	drag := regexp.MustCompile(`'(dragstart|pointermove|mousemove|touchmove)'`)
	var found []string
	filepath.Walk(filepath.Join("web", "js"), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, _ := os.ReadFile(path)
		if drag.Match(b) {
			rel, _ := filepath.Rel(filepath.Join("web", "js"), path)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(found)
	for _, f := range found {
		if alternatives[f] == "" {
			t.Errorf("%s drags (dragstart or pointer moves): give it a single-pointer way and name it here", f)
		}
	}
	if len(found) == 0 {
		t.Error("no drag found: the merge by dragging was expected in views/f-ideas.js")
	}
}
