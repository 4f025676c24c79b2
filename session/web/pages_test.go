package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/poyta/poyta/static"
)

func newPagesServer(t *testing.T) *testServer {
	t.Helper()
	cfg := testConfig()
	cfg.Static = fstest.MapFS{
		"index.html": {Data: []byte("<!doctype html><title>Pöytä</title>")},
		"style.css":  {Data: []byte("body{}")},
	}
	return startServer(t, "", cfg)
}

func get(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPagesServeTheShell(t *testing.T) {
	ts := newPagesServer(t)
	tb := ts.createTable(demoTable())
	for _, path := range []string{tb.JoinLink, "/j/kp-2345-6789", "/f/" + tb.ID, "/s/" + tb.ID, "/r/" + tb.ID} {
		resp, body := get(t, ts.http.URL+path, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, "<title>Pöytä</title>") {
			t.Errorf("%s: %d %q", path, resp.StatusCode, body)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	// Deeper paths and other methods are not pages.
	if resp, _ := get(t, ts.http.URL+"/f/"+tb.ID+"/x", nil); resp.StatusCode != 404 {
		t.Errorf("/f/id/x: %d, want 404", resp.StatusCode)
	}
	resp, err := http.Post(ts.http.URL+"/f/"+tb.ID, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /f/id: %d, want 405", resp.StatusCode)
	}
}

func TestPagesWithoutStatic(t *testing.T) {
	ts := newTestServer(t)
	tb := ts.createTable(demoTable())
	if resp, _ := get(t, ts.http.URL+tb.JoinLink, nil); resp.StatusCode != 404 {
		t.Errorf("join page without a web UI: %d, want 404", resp.StatusCode)
	}
	// The QR code does not need the web UI.
	if resp, _ := get(t, ts.http.URL+"/api/join/"+tb.Code+"/qr.svg", nil); resp.StatusCode != 200 {
		t.Errorf("qr without a web UI: %d, want 200", resp.StatusCode)
	}
}

func TestJoinQRCode(t *testing.T) {
	ts := newPagesServer(t)
	tb := ts.createTable(demoTable())
	resp, body := get(t, ts.http.URL+"/api/join/"+strings.ToLower(tb.Code)+"/qr.svg", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") || !strings.Contains(cc, "private") {
		t.Errorf("Cache-Control %q", cc)
	}
	if !strings.HasPrefix(body, "<svg ") || !strings.Contains(body, `<path fill="#000" d="M`) || !strings.HasSuffix(body, "</svg>") {
		t.Errorf("not an SVG path: %.120s", body)
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "onload") {
		t.Errorf("SVG must be inert: %.120s", body)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	again, body2 := get(t, ts.http.URL+"/api/join/"+tb.Code+"/qr.svg", nil)
	if again.Header.Get("ETag") != etag || body2 != body {
		t.Error("the QR code of one link is not stable")
	}
	nm, _ := get(t, ts.http.URL+"/api/join/"+tb.Code+"/qr.svg", http.Header{"If-None-Match": {etag}})
	if nm.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", nm.StatusCode)
	}
	// The link in the code is absolute and depends on the scheme the browser used.
	https, body3 := get(t, ts.http.URL+"/api/join/"+tb.Code+"/qr.svg", http.Header{"X-Forwarded-Proto": {"https"}})
	if https.StatusCode != 200 || body3 == body {
		t.Error("X-Forwarded-Proto https should change the encoded link")
	}
}

func TestQRSVGEncodesTheLink(t *testing.T) {
	svg, err := qrSVG("http://127.0.0.1:8080/j/KP-2345-6789")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	// Version 3 at level M holds this link: 29 modules + 2×4 quiet zone.
	if !strings.Contains(s, `viewBox="0 0 37 37"`) {
		t.Errorf("unexpected size: %.100s", s)
	}
	// The top-left finder pattern starts with a run of 7 dark modules at the quiet zone.
	if !strings.Contains(s, "M4 4h7v1h-7z") {
		t.Errorf("no finder pattern: %.200s", s)
	}
}

func TestJoinQRUnknownCode(t *testing.T) {
	ts := newPagesServer(t)
	resp, body := get(t, ts.http.URL+"/api/join/KP-2345-6789/qr.svg", nil)
	if resp.StatusCode != 404 || !strings.Contains(body, `"no_such_table"`) {
		t.Errorf("unknown code: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, ts.http.URL+"/api/join/nonsense/qr.svg", nil)
	if resp.StatusCode != 404 {
		t.Errorf("malformed code: %d", resp.StatusCode)
	}
}

// rawGet sends a GET for a raw request target, exactly as given (no
// cleaning, no redirects followed), and returns the status and headers.
func rawGet(t *testing.T, ts *testServer, target string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", ts.http.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.URL.Opaque = target
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestStaticFilesOnly: the web UI is served as files: a directory is 404,
// never a listing, and a path that is not valid UTF-8 or points outside is
// the client's mistake, 400 or 404 with the usual headers, never 500
// (issue 10).
func TestStaticFilesOnly(t *testing.T) {
	cfg := testConfig()
	cfg.Static = static.FS() // the real web UI
	ts := startServer(t, "", cfg)
	for _, target := range []string{
		"/%ff", "/%c0%ae%c0%ae/etc/passwd", "/js/%ff.js", "/%ed%a0%80", // not UTF-8
		"/js/", "/js", "/i18n/", "/js/views/", // directories
		"/nothing.js", "/js/nothing.js", "/%2e%2e/etc/passwd", "/js/..%2fstyle.css", "/js/%00",
		"/js//", "/.", "/js/./app.js", // not clean: the router redirects to the clean path
	} {
		status, h, body := rawGet(t, ts, target)
		switch status {
		case http.StatusBadRequest, http.StatusNotFound, http.StatusTemporaryRedirect, http.StatusMovedPermanently:
		default:
			t.Errorf("GET %s: %d, want 400 or 404 (or a redirect to a clean path)", target, status)
		}
		if status < 300 && strings.Contains(body, ".js") {
			t.Errorf("GET %s lists files: %q", target, body)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("GET %s: without the usual headers (CSP %q)", target, csp)
		}
	}
	for target, want := range map[string]string{"/": "<title>", "/js/app.js": "import", "/style.css": "{", "/i18n/fi.json": "{"} {
		status, h, body := rawGet(t, ts, target)
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s: %d %q", target, status, body)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Type") == "" {
			t.Errorf("GET %s: headers %v", target, h)
		}
	}
	if _, h, _ := rawGet(t, ts, "/js/app.js"); !strings.Contains(h.Get("Content-Type"), "javascript") {
		t.Errorf("app.js served as %q", h.Get("Content-Type"))
	}
}
