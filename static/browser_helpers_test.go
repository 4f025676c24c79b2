package static_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/poyta/poyta/session/live"
	"github.com/poyta/poyta/session/web"
	"github.com/poyta/poyta/static"
	"github.com/poyta/poyta/store"
)

// The browser tests drive Debian's Chromium. Without it they skip, unless CI
// is set: there a missing browser or axe-core is a failure.
const howToEnable = "install Debian's chromium (apt-get install chromium) and axe-core, or run .ci/run, which installs both"

func chromiumPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("POYTA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but no Chromium was found: %s", howToEnable)
	}
	t.Skipf("browser tests skipped: no Chromium found; %s", howToEnable)
	return ""
}

// axeSource returns axe-core's script: $POYTA_AXE, or the copy .ci/run
// installs under static/.axe (git-ignored).
func axeSource(t *testing.T) string {
	t.Helper()
	paths := []string{os.Getenv("POYTA_AXE"), filepath.Join(".axe", "node_modules", "axe-core", "axe.min.js")}
	for _, p := range paths {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			p = filepath.Join(p, "node_modules", "axe-core", "axe.min.js")
		}
		if b, err := os.ReadFile(p); err == nil {
			return string(b)
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI is set but axe-core was not found (POYTA_AXE=%q): %s", os.Getenv("POYTA_AXE"), howToEnable)
	}
	t.Skipf("axe checks skipped: axe-core not found; %s", howToEnable)
	return ""
}

// site is a real Pöytä server on loopback with the embedded web UI.
type site struct {
	url  string
	srv  *live.Server
	mu   sync.Mutex
	ws   []net.Conn // hijacked connections: the websockets
	http *httptest.Server
}

// startSite starts it; each option may change the server's configuration.
func startSite(t *testing.T, options ...func(*web.Config)) *site {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "poyta.db"))
	if err != nil {
		t.Fatal(err)
	}
	srv := live.New(live.Config{Store: db, PresenceInterval: 50 * time.Millisecond})
	s := &site{srv: srv}
	cfg := web.Config{Store: db, Live: srv, Static: static.FS(), TablesPerHour: web.DefaultTablesPerHour}
	for _, o := range options {
		o(&cfg)
	}
	api := web.New(cfg)
	s.http = httptest.NewUnstartedServer(api.Handler())
	s.http.Config.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateHijacked {
			s.mu.Lock()
			s.ws = append(s.ws, c)
			s.mu.Unlock()
		}
	}
	s.http.Start()
	s.url = s.http.URL
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		s.http.CloseClientConnections()
		s.http.Close()
		db.Close()
	})
	return s
}

// cutWebsockets closes the server's side of every open websocket, as a
// network failure would.
func (s *site) cutWebsockets() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.ws {
		c.Close()
	}
	s.ws = nil
}

// browser is one headless Chromium; each tab has its own browser context
// (its own storage), as separate people on separate devices.
type browser struct {
	t      *testing.T
	ctx    context.Context
	site   *site
	fi     map[string]string
	axe    string
	shots  string
	budget time.Duration
}

func newBrowser(t *testing.T, s *site) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("disable-renderer-backgrounding", true), chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true), chromedp.Flag("lang", "fi-FI"),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	b := &browser{t: t, ctx: ctx, site: s, fi: loadStrings(t, "fi"), shots: os.Getenv("POYTA_SCREENSHOTS"), budget: 10 * time.Second}
	if b.shots != "" && !filepath.IsAbs(b.shots) {
		// Relative to the repository root, as the README's command gives it.
		b.shots = filepath.Join("..", b.shots)
	}
	return b
}

func loadStrings(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("web", "i18n", lang+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s.json: %v", lang, err)
	}
	return m
}

// tab is one person's browser.
type tab struct {
	b       *browser
	name    string
	ctx     context.Context
	w, h    int64
	mobile  bool
	mu      sync.Mutex
	logs    []string
	dialogs []string // "type: message" of each JavaScript dialog the page opened
}

func (b *browser) tab(name string, phone bool) *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	p := &tab{b: b, name: name, ctx: ctx, w: 1366, h: 900}
	if phone {
		p.w, p.h, p.mobile = 390, 844, true
	}
	if err := chromedp.Do(ctx, p.viewport(p.w, p.h, p.mobile)); err != nil {
		b.t.Fatalf("%s: %v", name, err)
	}
	// The debug hook (static/web/js/conn.js): every page of this tab exposes
	// its live connection as window.__poyta, for sameState. The flag is set
	// by the browser before any page script runs; the page's CSP is untouched.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: "window.__poytaDebug = true;"}); err != nil {
		b.t.Fatalf("%s: debug hook: %v", name, err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.logs = append(p.logs, string(m.Type)+": "+m.Text)
			p.mu.Unlock()
		}
	}()
	chromedp.Listen(ctx, func(ev any) {
		if d, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			p.mu.Lock()
			p.dialogs = append(p.dialogs, string(d.Type)+": "+d.Message)
			p.mu.Unlock()
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	})
	b.t.Cleanup(p.checkConsole)
	return p
}

func (p *tab) viewport(w, h int64, mobile bool) chromedp.Action[chromedp.Void] {
	if mobile {
		return chromedp.EmulateViewport(w, h, chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(w, h)
}

// checkConsole fails the test on a CSP violation, an uncaught exception or
// a warning from our code (such as a missing translation). Network errors
// that the offline test causes on purpose are expected.
func (p *tab) checkConsole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.logs {
		switch {
		case strings.Contains(l, "Content Security Policy"), strings.Contains(l, "Content-Security-Policy"):
			p.b.t.Errorf("%s: CSP violation: %s", p.name, l)
		case strings.HasPrefix(l, "exception"):
			p.b.t.Errorf("%s: uncaught exception: %s", p.name, l)
		case strings.Contains(l, "i18n: missing"), strings.Contains(l, "poyta: fold"):
			p.b.t.Errorf("%s: %s", p.name, l)
		}
	}
	// The UI asks with confirm() only; an alert or a prompt is injected script.
	for _, d := range p.dialogs {
		if !strings.HasPrefix(d, "confirm:") {
			p.b.t.Errorf("%s: a dialog opened: %s", p.name, d)
		}
	}
}

func (p *tab) fatal(format string, args ...any) {
	p.b.t.Helper()
	p.mu.Lock()
	logs := strings.Join(p.logs, "\n  ")
	p.mu.Unlock()
	p.b.t.Fatalf("%s: %s\nconsole:\n  %s", p.name, fmt.Sprintf(format, args...), logs)
}

func (p *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	p.b.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.fatal("%v", err)
	}
}

func (p *tab) open(path string) {
	p.b.t.Helper()
	p.do(chromedp.Navigate(p.b.site.url + path))
}

// until waits until the JavaScript expression is truthy. An expression with
// a side effect (a click) that returns true runs that effect exactly once.
func (p *tab) until(js string, args ...any) {
	p.b.t.Helper()
	expr := fmt.Sprintf(js, args...)
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+expr+")", chromedp.WithPollingInterval(40*time.Millisecond)))
		if err == nil {
			return
		}
		// A navigation (a link, a reload) ends the page the poll ran in: poll the new one.
		if ctx.Err() == nil && (strings.Contains(err.Error(), "navigated or closed") || strings.Contains(err.Error(), "context was destroyed") || strings.Contains(err.Error(), "Cannot find context")) {
			time.Sleep(40 * time.Millisecond)
			continue
		}
		p.fatal("waiting for %s: %v\nbody: %s", expr, err, p.eval("document.body.innerText.slice(-2500)"))
	}
}

func (p *tab) eval(js string, args ...any) string {
	ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(js, args...)))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return v
}

// js quotes a Go string as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// clickText clicks the first visible, enabled element matching sel whose
// text is text (trimmed), waiting until there is one.
func (p *tab) clickText(sel, text string) {
	p.b.t.Helper()
	p.until(`(() => { const e = [...document.querySelectorAll(%s)].find((e) => e.textContent.trim() === %s && e.offsetParent !== null && !e.disabled); if (!e) return false; e.click(); return true; })()`, js(sel), js(text))
}

// clickIn clicks the button with text inside the visible element matching
// sel that contains the text has.
func (p *tab) clickIn(sel, has, button string) {
	p.b.t.Helper()
	p.until(`(() => { const c = [...document.querySelectorAll(%s)].find((e) => e.textContent.includes(%s) && e.offsetParent !== null); if (!c) return false; const b = [...c.querySelectorAll('button')].find((b) => b.textContent.trim() === %s && b.offsetParent !== null && !b.disabled); if (!b) return false; b.click(); return true; })()`, js(sel), js(has), js(button))
}

// typeIn types text into a field like a person (key by key, so drafts are kept).
func (p *tab) typeIn(sel, text string) {
	p.b.t.Helper()
	c := chromedp.CSS(sel)
	p.do(chromedp.WaitVisible(c), chromedp.Focus(c), chromedp.SendKeys(c, text))
}

// setField sets a field's value at once, as autofill or a date picker does.
func (p *tab) setField(sel, value string) {
	p.b.t.Helper()
	p.until(`(() => { const e = document.querySelector(%s); if (!e) return false; e.value = %s; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`, js(sel), js(value))
}

func (p *tab) text(sel string) string {
	return p.eval(`((document.querySelector(%s) || {}).innerText || '').replace(/\u00ad/g, '')`, js(sel))
}

func (p *tab) s(key string) string {
	v, ok := p.b.fi[key]
	if !ok {
		p.b.t.Fatalf("no Finnish string %q", key)
	}
	return v
}

// offline cuts this tab off the network (and back on).
func (p *tab) offline(off bool) {
	p.b.t.Helper()
	if _, err := chromedp.Call(p.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		p.fatal("offline %v: %v", off, err)
	}
}

// shot saves the page at phone and laptop width (or only the sizes named)
// when POYTA_SCREENSHOTS names a folder.
func (p *tab) shot(name string, only ...string) {
	p.b.t.Helper()
	if p.b.shots == "" {
		return
	}
	if err := os.MkdirAll(p.b.shots, 0o755); err != nil {
		p.b.t.Fatal(err)
	}
	for _, size := range []struct {
		suffix string
		w, h   int64
		mobile bool
	}{{"phone", 390, 844, true}, {"laptop", 1366, 900, false}} {
		if len(only) > 0 && !slices.Contains(only, size.suffix) {
			continue
		}
		p.do(p.viewport(size.w, size.h, size.mobile))
		p.until(`(window.scrollTo(0, 0), document.activeElement && document.activeElement.blur && document.activeElement !== document.body && document.activeElement.blur(), new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))`)
		ctx, cancel := context.WithTimeout(p.ctx, p.b.budget)
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		cancel()
		if err != nil {
			p.fatal("screenshot: %v", err)
		}
		if err := os.WriteFile(filepath.Join(p.b.shots, name+"-"+size.suffix+".png"), png, 0o644); err != nil {
			p.b.t.Fatal(err)
		}
	}
	p.do(p.viewport(p.w, p.h, p.mobile))
}

type axeResult struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	WCAG   bool     `json:"wcag"`
	Nodes  []string `json:"nodes"`
}

// axeOptions run the rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA
// (target-size, which axe leaves off by default, included) and axe's best
// practices.
const axeOptions = `{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}, rules: {'target-size': {enabled: true}}, resultTypes: ['violations']}`

// axe runs axe-core on the page and fails on any violation of a WCAG rule,
// and on serious or critical violations of a best practice.
// Runtime.evaluate is not subject to the page's CSP, so the script can be injected.
func (p *tab) axe(view string) {
	p.b.t.Helper()
	if p.b.axe == "" {
		return
	}
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.axe ? true : (()=>{"+p.b.axe+"\n;return true})()")); err != nil {
		p.fatal("inject axe: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, `+axeOptions+`).then((r) => JSON.stringify([r.passes.length + r.violations.length + r.incomplete.length, ...r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help, wcag: v.tags.some((t) => /^wcag\d+a+$/.test(t)), nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' '))}))]))`, chromedp.EvalAwaitPromise))
	if err != nil {
		p.fatal("axe: %v", err)
	}
	var res []json.RawMessage
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res) == 0 {
		p.fatal("axe result: %v", err)
	}
	var rules int
	json.Unmarshal(res[0], &rules)
	if rules < 20 {
		p.b.t.Errorf("axe on %s (%s) ran only %d rules", view, p.name, rules)
	}
	for _, raw := range res[1:] {
		var v axeResult
		if err := json.Unmarshal(raw, &v); err != nil {
			p.fatal("axe result: %v", err)
		}
		if v.WCAG || v.Impact == "serious" || v.Impact == "critical" {
			p.b.t.Errorf("axe on %s (%s): %s %s: %s at %v", view, p.name, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			p.b.t.Logf("axe on %s (%s): %s %s: %s at %v", view, p.name, v.Impact, v.ID, v.Help, v.Nodes)
		}
	}
}
