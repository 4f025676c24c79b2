package static_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"
)

// snapshot fetches the view the server gives a credential on a fresh
// connection (hello with since 0), as JSON: session.View, shaped for that
// caller.
func (s *site) snapshot(role, table, token string) (int64, json.RawMessage, error) {
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.url, "http")+"/ws", nil)
	if err != nil {
		return 0, nil, err
	}
	defer c.Close()
	hello, _ := json.Marshal(map[string]any{"op": "hello", "table": table, "role": role, "token": token, "since": 0})
	if err := c.WriteMessage(websocket.TextMessage, hello); err != nil {
		return 0, nil, err
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		_, frame, err := c.ReadMessage()
		if err != nil {
			return 0, nil, err
		}
		for _, line := range strings.Split(string(frame), "\n") {
			var m struct {
				Type  string          `json:"type"`
				State json.RawMessage `json:"state"`
				Code  string          `json:"code"`
			}
			if json.Unmarshal([]byte(line), &m) != nil {
				continue
			}
			switch m.Type {
			case "error":
				return 0, nil, fmt.Errorf("hello refused: %s", m.Code)
			case "snapshot":
				var v struct {
					Seq int64 `json:"seq"`
				}
				json.Unmarshal(m.State, &v)
				c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
				return v.Seq, m.State, nil
			}
		}
	}
}

// liveView is what the page's debug hook (window.__poyta) tells about its connection.
type liveView struct {
	Role    string          `json:"role"`
	Table   string          `json:"table"`
	Token   string          `json:"token"`
	Seq     int64           `json:"seq"`
	Pending int             `json:"pending"`
	Status  string          `json:"status"`
	State   json.RawMessage `json:"state"`
}

func (p *tab) live() (liveView, bool) {
	out := p.eval(`(() => { const d = window.__poyta; if (!d || !d.state) return ''; return JSON.stringify({role: d.role, table: d.table, token: d.token, seq: d.seq, pending: d.pending, status: d.status, state: d.state}); })()`)
	var l liveView
	if out == "" || json.Unmarshal([]byte(out), &l) != nil {
		return l, false
	}
	return l, true
}

// sameState checks that the view this browser folded from its snapshot and
// every later event equals the snapshot the server gives the same
// credential now: fold.js must follow session/fold.go exactly. Nothing is
// normalised: the browser keeps its client-side data (drafts, unsent ops,
// presence) outside the view.
func (p *tab) sameState(when string) {
	p.b.t.Helper()
	deadline := time.Now().Add(p.b.budget)
	for {
		l, ok := p.live()
		if ok && l.Status == "online" && l.Pending == 0 {
			seq, snap, err := p.b.site.snapshot(l.Role, l.Table, l.Token)
			if err != nil {
				p.fatal("snapshot for %s: %v", when, err)
			}
			if seq == l.Seq {
				var got, want any
				json.Unmarshal(l.State, &got)
				json.Unmarshal(snap, &want)
				if diffs := jsonDiff("state", got, want, nil); len(diffs) > 0 {
					if len(diffs) > 25 {
						diffs = append(diffs[:25], fmt.Sprintf("… and %d more", len(diffs)-25))
					}
					p.b.t.Errorf("%s (%s) %s: the browser's folded view differs from the server's snapshot at seq %d:\n  %s",
						p.name, l.Role, when, seq, strings.Join(diffs, "\n  "))
				}
				return
			}
		}
		if time.Now().After(deadline) {
			p.fatal("%s: the browser did not reach the server's seq (browser %+v)", when, l.Seq)
		}
		time.Sleep(40 * time.Millisecond)
	}
}

// jsonDiff lists the differences between two decoded JSON values, by path.
func jsonDiff(path string, got, want any, out []string) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return append(out, fmt.Sprintf("%s: browser %s, server %s", path, short(got), short(want)))
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			gv, gok := g[k]
			wv, wok := w[k]
			switch {
			case !gok:
				out = append(out, fmt.Sprintf("%s.%s: missing in the browser (server %s)", path, k, short(wv)))
			case !wok:
				out = append(out, fmt.Sprintf("%s.%s: only in the browser (%s)", path, k, short(gv)))
			default:
				out = jsonDiff(path+"."+k, gv, wv, out)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return append(out, fmt.Sprintf("%s: browser %s, server %s", path, short(got), short(want)))
		}
		for i := range w {
			out = jsonDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i], out)
		}
		return out
	}
	if !reflect.DeepEqual(got, want) {
		out = append(out, fmt.Sprintf("%s: browser %s, server %s", path, short(got), short(want)))
	}
	return out
}

func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 160 {
		return string(b[:160]) + "…"
	}
	return string(b)
}

// reflowJS lists what breaks the layout at the current viewport: sideways
// scrolling of the page, and controls or text outside the viewport, where
// nobody can reach or read them.
const reflowJS = `((width) => {
  // On a phone, content wider than the screen makes the browser zoom out,
  // which widens innerWidth: compare with the layout width as well.
  const W = Math.min(window.innerWidth, document.documentElement.clientWidth), out = [];
  const se = document.scrollingElement;
  if (window.innerWidth > width) out.push('the page was zoomed out to fit: innerWidth ' + window.innerWidth + ' > ' + width);
  if (se.scrollWidth > W) out.push('the page scrolls sideways: scrollWidth ' + se.scrollWidth + ' > ' + W);
  const name = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 40) + '"';
  const shown = (e) => { const r = e.getBoundingClientRect(); return r.width > 1 && r.height > 1 && getComputedStyle(e).visibility !== 'hidden' ? r : null; };
  for (const e of document.querySelectorAll('button, input, select, textarea, a[href], summary, [tabindex]:not([tabindex="-1"])')) {
    const r = shown(e);
    if (r && (r.left < -1 || r.right > W + 1)) out.push('control outside the viewport (' + Math.round(r.left) + '…' + Math.round(r.right) + '): ' + name(e));
  }
  for (const e of document.body.querySelectorAll('*')) {
    if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const r = shown(e);
    if (r && r.right > W + 1) out.push('text outside the viewport (right ' + Math.round(r.right) + '): ' + name(e));
  }
  return JSON.stringify(out.slice(0, 12));
})(%d)`

// reflow checks the page at 320 CSS pixels wide (a small phone, WCAG
// 1.4.10) and at 200% zoom of a 1280×800 laptop screen (640×400 CSS
// pixels at device scale 2, WCAG 1.4.4): no sideways scrolling, every
// control and every text within reach.
func (p *tab) reflow(view string) {
	p.b.t.Helper()
	for _, v := range []struct {
		name   string
		width  int
		action chromedp.Action[chromedp.Void]
	}{
		{"320 px", 320, chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile, chromedp.EmulateTouch)},
		{"200% zoom", 640, chromedp.EmulateViewport(640, 400, chromedp.EmulateScale(2))},
	} {
		p.do(v.action)
		p.until(`new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`)
		var problems []string
		if err := json.Unmarshal([]byte(p.eval(reflowJS, v.width)), &problems); err != nil {
			p.fatal("reflow %s: %v", view, err)
		}
		for _, pr := range problems {
			p.b.t.Errorf("%s: %s at %s: %s", p.name, view, v.name, pr)
		}
	}
	p.do(p.viewport(p.w, p.h, p.mobile))
}

// injectedJS finds an element that hostile user text would have created
// had it been parsed as HTML anywhere on the page.
const injectedJS = `(() => {
  const e = document.querySelector('img[src="x"], img[src$="/x"], [onerror], script:not([src]), b, iframe, object, embed');
  return e ? e.outerHTML.slice(0, 200) : '';
})()`

// literal checks that each text is on the page as text and that nothing
// was injected.
func (p *tab) literal(view string, texts ...string) {
	p.b.t.Helper()
	for _, s := range texts {
		p.until(`document.body.textContent.replace(/\u00ad/g, '').includes(%s)`, js(s))
	}
	if bad := p.eval(injectedJS); bad != "" {
		p.b.t.Errorf("%s: %s: hostile text became HTML: %s", p.name, view, bad)
	}
}

// downloads lets this tab download files into a fresh folder and returns it.
func (p *tab) downloads() string {
	p.b.t.Helper()
	dir := p.b.t.TempDir()
	id := chromedp.FromContext(p.ctx).BrowserContextID
	if _, err := chromedp.CallBrowser(p.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, BrowserContextID: id, DownloadPath: dir}); err != nil {
		p.fatal("downloads: %v", err)
	}
	return dir
}

// downloaded waits for a finished file with the suffix in dir and returns its content.
func (p *tab) downloaded(dir, suffix string) (string, string) {
	p.b.t.Helper()
	deadline := time.Now().Add(p.b.budget)
	for time.Now().Before(deadline) {
		names, _ := filepath.Glob(filepath.Join(dir, "*"+suffix))
		if len(names) > 0 {
			b, err := os.ReadFile(names[0])
			if err == nil && len(b) > 0 {
				return filepath.Base(names[0]), string(b)
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.fatal("no %s file was downloaded", suffix)
	return "", ""
}
