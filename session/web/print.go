package web

import (
	"bytes"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// Printed material for people without a device: an A4 poster with the
// table's title, its join QR code and code in large type, and an A4
// paper idea form for each agenda item with its question, in the table's
// language. Both are print-ready HTML (one A4 page each), reached by the
// join code like the join page, since they show nothing a participant
// does not see.

//go:embed print.html.tmpl
var printTemplate string

var printPages = template.Must(template.New("print").Parse(printTemplate))

type printPage struct {
	Kind     string // "poster" or "forms"
	Lang     string
	T        map[string]string
	Title    string
	Theme    string
	When     string
	Place    string
	Code     string
	Link     string
	QR       template.HTML
	Items    []session.Item
	NumLines []int
}

func (s *Server) printRoutes() []route {
	return []route{
		{"GET /api/join/{code}/poster", s.owned(byCode, func(w http.ResponseWriter, r *http.Request) { s.handlePrint(w, r, "poster") })},
		{"GET /api/join/{code}/forms", s.owned(byCode, func(w http.ResponseWriter, r *http.Request) { s.handlePrint(w, r, "forms") })},
	}
}

func (s *Server) handlePrint(w http.ResponseWriter, r *http.Request, kind string) {
	id, err := s.tableByCode(r, r.PathValue("code"))
	if err != nil {
		s.writeError(w, err)
		return
	}
	var page printPage
	err = s.live.Read(r.Context(), id, func(t *session.Table) {
		page = printPage{Kind: kind, Lang: t.Lang, Title: t.Title, Theme: t.Theme, Place: t.Room, Code: t.Code,
			Items: make([]session.Item, 0, len(t.Items)), NumLines: []int{1, 2, 3, 4, 5}}
		for _, it := range t.Items {
			page.Items = append(page.Items, *it)
		}
		if t.Date != "" {
			page.When = t.Date
			if t.Start != "" {
				page.When += " " + t.Start
				if t.End != "" {
					page.When += "–" + t.End
				}
			}
		}
	})
	if err != nil {
		s.writeError(w, err)
		return
	}
	page.T = printTexts[page.Lang]
	if page.T == nil {
		page.T = printTexts["fi"]
	}
	page.Link = baseURL(r) + tables.JoinLink(page.Code)
	svg, err := qrSVG(page.Link)
	if err != nil {
		s.writeError(w, err)
		return
	}
	page.QR = template.HTML(svg) // our own SVG, drawn from the link
	var buf bytes.Buffer
	if err := printPages.Execute(&buf, page); err != nil {
		s.writeError(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// Self-contained: its own inline styles and the QR code inline, nothing to load.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Write(buf.Bytes())
}

// printTexts are the printed pages' words, by language.
var printTexts = map[string]map[string]string{
	"fi": {
		"poster": "Juliste", "forms": "Idealomakkeet",
		"join": "Osallistu puhelimella tai tietokoneella", "scan": "Skannaa QR-koodi tai mene osoitteeseen",
		"code": "ja anna koodi", "noDevice": "Ei laitetta? Pyydä paperilomake ja kirjoita ideasi siihen.",
		"form": "Ideat paperilla", "idea": "Idea", "who": "Nimi tai organisaatio (vapaaehtoinen)",
		"group": "Ryhmä tai pöytä (vapaaehtoinen)", "return": "Palauta lomake fasilitaattorille. Ideasi kirjataan pöytään.",
		"item": "Asialistan kohta",
	},
	"sv": {
		"poster": "Affisch", "forms": "Idéblanketter",
		"join": "Delta med telefon eller dator", "scan": "Skanna QR-koden eller gå till",
		"code": "och ange koden", "noDevice": "Ingen enhet? Be om en pappersblankett och skriv din idé på den.",
		"form": "Idéer på papper", "idea": "Idé", "who": "Namn eller organisation (frivilligt)",
		"group": "Grupp eller bord (frivilligt)", "return": "Lämna blanketten till facilitatorn. Dina idéer förs in vid bordet.",
		"item": "Punkt på dagordningen",
	},
	"en": {
		"poster": "Poster", "forms": "Idea forms",
		"join": "Take part with your phone or computer", "scan": "Scan the QR code or go to",
		"code": "and enter the code", "noDevice": "No device? Ask for a paper form and write your idea on it.",
		"form": "Ideas on paper", "idea": "Idea", "who": "Name or organisation (optional)",
		"group": "Group or table (optional)", "return": "Give the form to the facilitator. Your ideas will be entered at the table.",
		"item": "Agenda item",
	},
}
