package web

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/poyta/poyta/session"
)

// The statements a deployer publishes: the accessibility statement
// (saavutettavuusseloste, required of public bodies by the Act on the
// Provision of Digital Services 306/2019) and the privacy notice
// (tietosuojaseloste, GDPR articles 13 and 14), in Finnish, Swedish and
// English. The product's own part is written here; the deployer's part
// (who they are, where feedback goes, when they reviewed it) comes from
// Site, and where it is missing the page says what the deployer must fill
// in.

// Site is the deployer's part of the statements.
type Site struct {
	Organisation  string // who runs this Pöytä, e.g. "Ähtärin kaupunki"
	Feedback      string // where accessibility feedback goes: an e-mail address or a web address
	Reviewed      string // when the deployer last reviewed the accessibility statement, YYYY-MM-DD
	PrivacyEmail  string // where people ask about or have their data erased
	DPO           string // the data protection officer's contact, if any
	Retention     time.Duration
	RetentionText string // how --retention was given, e.g. "365d"; "" keeps tables until deleted
}

//go:embed statements.html.tmpl
var statementsTemplate string

var statementsPage = template.Must(template.New("statements").Parse(statementsTemplate))

// statementPage is what the template gets.
type statementPage struct {
	Lang, Kind string
	Site       Site
	T          map[string]template.HTML
	Langs      []string
	Path       string
	Missing    string
}

// statementRoutes are the statements' pages, under a name in each
// language too.
func (s *Server) statementRoutes() []route {
	var rs []route
	for _, p := range []string{"/accessibility", "/saavutettavuus", "/tillganglighet"} {
		rs = append(rs, route{"GET " + p, func(w http.ResponseWriter, r *http.Request) { s.serveStatement(w, r, "accessibility", p) }})
	}
	for _, p := range []string{"/privacy", "/tietosuoja", "/dataskydd"} {
		rs = append(rs, route{"GET " + p, func(w http.ResponseWriter, r *http.Request) { s.serveStatement(w, r, "privacy", p) }})
	}
	return rs
}

// statementLang is the page's language: ?lang= if it is one of ours, else
// the page name's language, else the browser's first of ours, else Finnish.
func statementLang(r *http.Request, path string) string {
	if l := r.URL.Query().Get("lang"); slices.Contains(session.Languages, l) {
		return l
	}
	switch path {
	case "/saavutettavuus", "/tietosuoja":
		return "fi"
	case "/tillganglighet", "/dataskydd":
		return "sv"
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if slices.Contains(session.Languages, base) {
			return base
		}
	}
	return "fi"
}

func (s *Server) serveStatement(w http.ResponseWriter, r *http.Request, kind, path string) {
	lang := statementLang(r, path)
	page := statementPage{Lang: lang, Kind: kind, Site: s.cfg.Site, T: statementTexts[lang], Langs: session.Languages, Path: path,
		Missing: string(statementTexts[lang]["missing"])}
	var buf bytes.Buffer
	if err := statementsPage.Execute(&buf, page); err != nil {
		s.writeError(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Language", lang)
	w.Write(buf.Bytes())
}
