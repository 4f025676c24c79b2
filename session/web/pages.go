package web

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/poyta/poyta/session/tables"
	"rsc.io/qr"
)

// pageRoutes are the web UI's page paths and the join QR code. The pages
// are one single-page shell: the browser reads the table id, code or
// credential from the path and the fragment. The QR code is served even
// without a web UI, so that other clients can show it.
func (s *Server) pageRoutes() []route {
	rs := []route{{"GET /api/join/{code}/qr.svg", s.handleQR}}
	if s.cfg.Static == nil {
		return rs
	}
	for _, p := range []string{"GET /{$}", "GET /j/{code}", "GET /f/{id}", "GET /s/{id}", "GET /r/{id}", "GET /i/{id}", "GET /u/{id}", "GET /t/{id}"} {
		rs = append(rs, route{p, s.handleShell})
	}
	return append(rs, route{"GET /", s.handleFile})
}

// handleFile serves one file of the web UI. Only files: a directory is
// 404, not a listing, and a path that is not valid UTF-8 or not a clean
// path inside the UI is the client's mistake (400 or 404), never ours.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if !utf8.ValidString(p) {
		http.Error(w, "bad request: the path is not valid UTF-8", http.StatusBadRequest)
		return
	}
	name := strings.TrimPrefix(p, "/")
	if !fs.ValidPath(name) || strings.HasSuffix(name, "/") {
		http.NotFound(w, r)
		return
	}
	f, err := s.cfg.Static.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	rs, seekable := f.(io.ReadSeeker)
	if err != nil || fi.IsDir() || !seekable {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, name, fi.ModTime(), rs)
}

// handleShell serves index.html for a page path. It is never cached, so a
// new release reaches every open table on its next load.
func (s *Server) handleShell(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(s.cfg.Static, "index.html")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.Write(b)
}

// handleQR draws the absolute join link of a table as an SVG QR code.
// Unknown codes count as wrong guesses, as on the lookup route.
func (s *Server) handleQR(w http.ResponseWriter, r *http.Request) {
	if _, err := s.tableByCode(r, r.PathValue("code")); err != nil {
		s.writeError(w, err)
		return
	}
	link := baseURL(r) + tables.JoinLink(tables.NormalizeCode(r.PathValue("code")))
	svg, err := qrSVG(link)
	if err != nil {
		s.writeError(w, err)
		return
	}
	sum := sha256.Sum256(svg)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	// The image depends on the address the browser used, so it is private
	// to that browser and varies with the host.
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("Vary", "Host, X-Forwarded-Proto")
	h.Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Write(svg)
}

// baseURL is the scheme and host the browser used to reach us. Behind a
// TLS-terminating proxy X-Forwarded-Proto tells the scheme.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// qrSVG renders text as a QR code: one path of dark modules with a
// four-module quiet zone, crisp at any size.
func qrSVG(text string) ([]byte, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return nil, fmt.Errorf("web: qr: %w", err)
	}
	const quiet = 4
	n := code.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" shape-rendering="crispEdges">`, n, n, n*8, n*8)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; {
			if !code.Black(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < code.Size && code.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>`)
	return []byte(b.String()), nil
}
