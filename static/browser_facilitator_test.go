package static_test

// The facilitator's screen (issue 12, section 1): one calm view around the
// run of the meeting, every control of the current phase in reach on a
// laptop, one menu per idea, keys for the common moves.

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// busyTable is a table in full swing: five people, a room group, ten ideas
// on the discussion item, which is current.
type busyTable struct {
	*apiTable
	item   string
	people []*wsClient
	ideas  []string
}

var busyIdeas = []string{
	"Yhteinen tapahtumakalenteri kaikille yhdistyksille",
	"Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin",
	"Järjestöyhteyshenkilö kaupungin organisaatioon",
	"Avustushaku yhdelle lomakkeelle ja selkokielelle",
	"Seurojen yhteinen varustevarasto",
	"Kylätalojen yhteiskäyttö",
	"Vapaaehtoisten koulutuspäivä keväällä",
	"Yhdistysinfo kirjastolla kerran kuussa",
	"Nuorten oma vaikuttamisryhmä",
	"Maksuttomat tilat yhdistyksille",
}

func newBusyTable(t *testing.T, s *site) *busyTable {
	t.Helper()
	tb := s.createTable(t, `{"title":"Ähtärin ja Soinin kumppanuuspöytä","date":"2027-02-25","start":"17:00","end":"19:00","facilitator":"Anu Hätinen","dots":3,
		"agenda":[{"title":"Kaupungin tervehdys","presenter":"vs. kaupunginjohtaja, Ähtäri","timebox":10},
		{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?","timebox":50},
		{"title":"Konkreettiset yhteistyön askeleet ja toteuttajatiimi","timebox":30}]}`)
	b := &busyTable{apiTable: tb, item: tb.item(1)}
	for _, p := range [][3]string{
		{"Matti Meikäläinen", "Ähtärin Urheilijat ry", "association"},
		{"Liisa Virtanen", "Ähtärin kaupunki", "municipality"},
		{"Pekka Niemi", "Soinin Sisu", "association"},
		{"Eeva Kallio", "Soinin kyläyhdistys", "association"},
		{"Juha Lehto", "", "resident"},
	} {
		b.people = append(b.people, tb.join(p[0], p[1], p[2]))
	}
	tb.fac.do("item.open", map[string]any{"item": b.item})
	tb.fac.do("group.add", map[string]any{"name": "Sali, pöytä 2"})
	for k, text := range busyIdeas {
		if k%3 == 2 {
			tb.fac.do("idea.add", map[string]any{"item": b.item, "text": text, "onBehalf": "Eeva, Soinin kyläyhdistys"})
		} else {
			b.people[k%len(b.people)].do("idea.add", map[string]any{"item": b.item, "text": text})
		}
		b.ideas = append(b.ideas, tb.lastIdea())
	}
	return b
}

// lastIdea is the id of the idea added last.
func (tb *apiTable) lastIdea() string {
	tb.t.Helper()
	var v struct {
		Ideas []struct{ ID string } `json:"ideas"`
	}
	tb.fac.fresh(&v)
	return v.Ideas[len(v.Ideas)-1].ID
}

// fitJS lists the controls of the facilitator's page that cannot be reached
// without scrolling the page at the current window size. A control is in
// reach when its box is inside the window, or when it sits in a panel that
// scrolls on its own and that panel's box is inside the window (the list
// of ideas, the action board, the side panel): the page itself must not
// scroll at all. The selectors in %s must be inside the window outright:
// they are the phase's own commands.
const fitJS = `((must) => {
  const W = window.innerWidth, H = window.innerHeight, out = [];
  const se = document.scrollingElement;
  if (se.scrollHeight > H + 1) out.push('the page scrolls: ' + se.scrollHeight + ' > ' + H);
  if (se.scrollWidth > W + 1) out.push('the page scrolls sideways: ' + se.scrollWidth + ' > ' + W);
  const inView = (r) => r.top >= -1 && r.left >= -1 && r.bottom <= H + 1 && r.right <= W + 1;
  const name = (e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + (e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 50) + '"';
  const scroller = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowY;
      if ((o === 'auto' || o === 'scroll') && p.scrollHeight > p.clientHeight + 1) return p;
    }
    return null;
  };
  // Not shown: no box, or inside a closed <details> (its content keeps a box in Chromium).
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1 && e.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }); };
  for (const e of document.querySelectorAll('button, input, select, textarea, a[href], summary')) {
    if (!shown(e) || e.closest('dialog, .menu, .toasts')) continue;
    const r = e.getBoundingClientRect();
    if (inView(r)) continue;
    const sp = scroller(e);
    if (sp && inView(sp.getBoundingClientRect())) continue;
    out.push('out of reach (' + Math.round(r.top) + '…' + Math.round(r.bottom) + '): ' + name(e));
  }
  for (const sel of must) {
    const es = [...document.querySelectorAll(sel)].filter(shown);
    if (!es.length) out.push('missing: ' + sel);
    for (const e of es) if (!inView(e.getBoundingClientRect())) out.push('not in the window: ' + sel + ' ' + name(e));
  }
  return JSON.stringify(out);
})(%s)`

func (p *tab) fits(phase string, must ...string) {
	p.b.t.Helper()
	p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
	var problems []string
	if err := json.Unmarshal([]byte(p.eval(fitJS, jsArray(must))), &problems); err != nil {
		p.fatal("fits %s: %v", phase, err)
	}
	for _, pr := range problems {
		p.b.t.Errorf("%s at %d×%d, %s: %s", p.name, p.w, p.h, phase, pr)
	}
}

// TestFacilitatorScreenFits: in every phase, with ten ideas and five
// actions on the item, every control of that phase is within reach at
// 1366×900 without scrolling the page (see fitJS for what "in reach"
// means), the phone layout has the same functions stacked, and axe finds
// nothing serious.
func TestFacilitatorScreenFits(t *testing.T) {
	s := startSite(t)
	bt := newBusyTable(t, s)
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(bt.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelectorAll('.mod-list > li').length === 10`)
	f.hand("Liisa Virtanen", bt.people[1])

	// Collect: the incoming ideas and their moderation.
	f.fits("collect", ".stepper button", ".next-phase", ".timer-toggle", ".behalf summary", ".notes-box summary", ".mod-list > li:first-child .btn-dots")
	f.axe("facilitator (collect)")
	f.noMissingKeys("facilitator (collect)")
	f.shot("facilitator-collect")

	// Vote: progress and the reveal beside the live ranking.
	f.clickText(".next-phase", "Seuraava: "+f.s("phase.vote")+" →")
	f.until(`document.querySelector('.vote-panel') && document.querySelector('.vote-panel').offsetParent`)
	for k, p := range bt.people {
		for d := 0; d < 3 && d <= k; d++ {
			p.do("vote.add", map[string]any{"idea": bt.ideas[(k*3+d*4)%len(bt.ideas)]})
		}
	}
	bt.fac.do("room.dots", map[string]any{"idea": bt.ideas[1], "group": bt.fac.added("group.added"), "dots": 4})
	f.until(`document.querySelector('.vote-people').textContent.includes('12/15')`)
	f.fits("vote", ".stepper button", ".next-phase", ".timer-toggle", ".btn-reveal", ".rules summary", ".notes-box summary", ".mod-list > li:first-child .btn-dots")
	f.axe("facilitator (vote)")
	f.noMissingKeys("facilitator (vote)")
	f.shot("facilitator-vote")

	// Reveal, then actions: the action board beside the results.
	f.clickText(".btn-reveal", f.s("fac.reveal"))
	f.until(`document.querySelector('.btn-reveal').getAttribute('aria-pressed') === 'true'`)
	f.clickText(".next-phase", "Seuraava: "+f.s("phase.actions")+" →")
	f.until(`document.querySelector('.actions-board') && document.querySelector('.actions-board').offsetParent`)
	for k, a := range []struct {
		title string
		idea  int
	}{{"Kunnan tilat maksutta yhdistysten käyttöön", 1}, {"Yhteinen tapahtumakalenteri verkkoon", 0}, {"Järjestöyhteyshenkilö kaupungille", 2}, {"Avustushaun selkokielinen ohje", 3}, {"Yhdistysinfo kirjastolla kerran kuussa", 7}} {
		bt.fac.do("action.add", map[string]any{"item": bt.item, "title": a.title, "ideas": []string{bt.ideas[a.idea]}, "due": "2027-04-30",
			"owners": []map[string]any{{"participant": bt.people[k].you}, {"org": "Ähtärin kaupunki"}}})
	}
	f.until(`document.querySelectorAll('.actions-board .action').length === 5`)
	f.fits("actions", ".stepper button", ".next-phase", ".add-action summary", ".notes-box summary", ".stage-aside .mod-list > li:first-child .to-action", ".board > li:first-child .owner-form select")
	f.axe("facilitator (actions)")
	f.noMissingKeys("facilitator (actions)")
	f.shot("facilitator-actions")

	// The item done: the next item is one key or one click away.
	f.do(chromedp.Click(chromedp.CSS(".seg-closed")))
	f.until(`document.querySelector('.seg-closed[aria-pressed="true"]') && document.querySelector('.next-item').offsetParent`)
	f.fits("closed", ".stepper button", ".next-item", ".notes-box summary")
	f.shot("facilitator-closed", "laptop")
	f.axe("facilitator (closed)")

	// The phone: the same functions, stacked, nothing wider than the screen.
	f.reflow("facilitator (closed)")
	f.narrow("facilitator (closed)")
}

// hand raises a hand for someone and waits until the facilitator sees it.
func (p *tab) hand(name string, who *wsClient) {
	p.b.t.Helper()
	who.do("hand.raise", nil)
	p.has(".queue-list", name)
}

// TestFacilitatorShortcuts: N, T, R and J move the meeting on; ? lists
// them; none fires while the facilitator types in a text field.
func TestFacilitatorShortcuts(t *testing.T) {
	s := startSite(t)
	bt := newBusyTable(t, s)
	b := newBrowser(t, s)
	b.axe = axeSource(t)
	f := b.tab("facilitator", false)
	f.open(bt.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelectorAll('.mod-list > li').length === 10`)
	phase := func(want string) {
		t.Helper()
		f.until(`document.querySelector('.seg[aria-pressed="true"]')?.textContent.includes(%s)`, js(f.s("phase."+want)))
	}
	key := func(k string) { t.Helper(); f.press(k) }

	// Typing in the notes: the letters go into the text, nothing moves.
	f.do(chromedp.Click(chromedp.CSS(".notes-box summary")))
	f.typeIn("#notes", "Nyt tarvitaan rohkeutta: tärkeä päätös")
	if got := f.eval(`document.querySelector('#notes').value`); got != "Nyt tarvitaan rohkeutta: tärkeä päätös" {
		t.Errorf("notes: %q", got)
	}
	phase("collect")
	if f.eval(`document.querySelector('.timer').dataset.state`) != "idle" {
		t.Error("typing T in the notes started the timer")
	}
	// The behalf form's text field, the group name: the same.
	f.typeIn("#group-name", "Nurkkapöytä?")
	if f.eval(`String(!!document.querySelector('dialog.keys-dialog[open]'))`) != "false" {
		t.Error("typing ? in a field opened the shortcuts")
	}
	f.setField("#group-name", "")

	// Out of the field the keys work.
	f.until(`(document.activeElement.blur(), true)`)
	key("n")
	phase("vote")
	key("t")
	f.until(`document.querySelector('.timer').dataset.state === 'running'`)
	key("t")
	f.until(`document.querySelector('.timer').dataset.state === 'paused'`)
	key("r")
	f.until(`document.querySelector('.btn-reveal').getAttribute('aria-pressed') === 'true'`)
	key("R")
	f.until(`document.querySelector('.btn-reveal').getAttribute('aria-pressed') === 'false'`)
	key("j")
	f.has(".stage-title", "Konkreettiset yhteistyön askeleet")
	phase("collect")

	// With a menu open the keys wait.
	f.do(chromedp.Focus(chromedp.CSS(".agenda-item .btn-dots")))
	f.press(kb.Enter)
	f.until(`document.querySelector('.menu:not([hidden])')`)
	key("n")
	key(kb.Escape)
	f.until(`!document.querySelector('.menu:not([hidden])')`)
	phase("collect")

	// ? lists the keys; Escape closes the list.
	f.until(`(document.activeElement.blur(), true)`)
	key("?")
	f.until(`document.querySelector('dialog.keys-dialog[open]')`)
	for _, k := range []string{"keys.nextPhase", "keys.timer", "keys.reveal", "keys.nextItem"} {
		f.has("dialog.keys-dialog", f.s(k))
	}
	f.axe("facilitator (shortcuts)")
	f.shot("facilitator-keys", "laptop")
	key("n") // the list has the keyboard
	key(kb.Escape)
	f.until(`!document.querySelector('dialog.keys-dialog[open]')`)
	phase("collect")
}

// TestIdeaMenuByKeyboard: each idea has one menu; it opens with Enter, its
// commands are chosen with the arrow keys, Escape closes it, and merging
// picks the target from a list.
func TestIdeaMenuByKeyboard(t *testing.T) {
	s := startSite(t)
	bt := newBusyTable(t, s)
	b := newBrowser(t, s)
	f := b.tab("facilitator", false)
	f.open(bt.created.FacilitatorLink)
	f.until(`document.querySelector('.status')?.dataset.state === 'online' && document.querySelectorAll('.mod-list > li').length === 10`)
	if n := f.eval(`String(Math.max(...[...document.querySelectorAll('.mod-list > li')].map((li) => [...li.querySelectorAll('button')].filter((b) => b.offsetParent).length)))`); n != "1" {
		t.Errorf("an idea shows %s buttons, want its one menu", n)
	}
	// The newest idea first: open its menu from the keyboard.
	menu := `.mod-list > li:first-child .btn-dots`
	f.do(chromedp.Focus(chromedp.CSS(menu)))
	f.press(kb.Enter)
	f.until(`document.activeElement.getAttribute('role') === 'menuitem' && document.activeElement.textContent === %s`, js(f.s("common.edit")))
	f.press(kb.ArrowUp)
	f.until(`document.activeElement.textContent === %s`, js(f.s("fac.toAction")))
	f.press(kb.Escape)
	f.until(`document.activeElement.matches(%s) && document.activeElement.getAttribute('aria-expanded') === 'false'`, js(menu))
	// Hide: Enter, down, Enter.
	f.press(kb.Enter, kb.ArrowDown)
	f.until(`document.activeElement.textContent === %s`, js(f.s("fac.hide")))
	f.press(kb.Enter)
	f.has(".mod-list > li:first-child .idea-src", f.s("fac.hiddenTag"))
	// Merge the second newest into another, by the list of targets.
	second := `.mod-list > li:nth-child(2) .btn-dots`
	f.do(chromedp.Focus(chromedp.CSS(second)))
	f.press(kb.Enter, "y")
	f.until(`document.activeElement.textContent === %s`, js(f.s("fac.merge")))
	f.press(kb.Enter)
	f.until(`document.activeElement.classList.contains('merge-target')`)
	f.clickText(".merge-target", "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin")
	f.has(".mod-list", "↳")
	var v struct {
		Ideas []struct {
			Text       string
			MergedInto string
			Hidden     bool
		}
	}
	bt.fac.fresh(&v)
	var merged, hidden []string
	for _, i := range v.Ideas {
		if i.MergedInto != "" {
			merged = append(merged, i.Text)
		}
		if i.Hidden {
			hidden = append(hidden, i.Text)
		}
	}
	if fmt.Sprint(hidden) != "[Maksuttomat tilat yhdistyksille]" || fmt.Sprint(merged) != "[Nuorten oma vaikuttamisryhmä]" {
		t.Errorf("hidden %q, merged %q", hidden, merged)
	}
}

// press types keys the way a keyboard does: a keydown that carries the
// key's text (the browser makes the keypress itself, unless the page
// cancelled the keydown) and a keyup. chromedp's KeyEvent sends a separate
// char event that no page can cancel, which a real keyboard never does.
func (p *tab) press(keys ...string) {
	p.b.t.Helper()
	for _, k := range keys {
		r := []rune(k)[0]
		v, ok := kb.Keys[r]
		if !ok {
			p.fatal("press: unknown key %q", k)
		}
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: v.Key, Code: v.Code, NativeVirtualKeyCode: v.Native, WindowsVirtualKeyCode: v.Windows}
		if v.Shift {
			down.Modifiers = 8
		}
		if v.Print {
			down.Text, down.UnmodifiedText = v.Text, v.Unmodified
		} else {
			down.Type = input.DispatchKeyEventTypeRawKeyDown
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
		for _, ev := range []input.DispatchKeyEventParams{down, up} {
			if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, ev); err != nil {
				cancel()
				p.fatal("press %q: %v", k, err)
			}
		}
		cancel()
	}
}
