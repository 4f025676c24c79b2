package web

import (
	"bytes"
	"mime"
	"net/http"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/followup"
	"github.com/poyta/poyta/session/minutes"
)

// What a facilitator takes away to follow a table's actions up:
//
//	GET /api/tables/{id}/actions.ics                    the actions with due dates as to-dos
//	GET /api/tables/{id}/decidim/proposals?format=csv|json&minutes=URL&locale=fi
//	GET /api/tables/{id}/decidim/results?format=csv|json&minutes=URL&locale=fi
//	Authorization: Bearer <facilitator secret>
//
// Each file is made on the table's goroutine, where the table is read.

func (s *Server) handleICS(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	var err error
	var title string
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, _ session.Who) {
		title = t.Title
		now := time.Now()
		err = followup.ICS(&buf, t.Title, followup.Track([]*session.Table{t}, now), now)
	}) {
		return
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	download(w, "text/calendar; charset=utf-8", fileName(title, ".ics"), buf.Bytes())
}

func (s *Server) handleDecidim(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	o := followup.DecidimOptions{Format: q.Get("format"), Minutes: q.Get("minutes"), Locale: q.Get("locale")}
	if o.Format == "" {
		o.Format = followup.DecidimCSV
	}
	if err := o.Check(); err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: err.Error()})
		return
	}
	kind := r.PathValue("kind")
	write := followup.DecidimProposals
	switch kind {
	case "proposals":
	case "results":
		write = followup.DecidimResults
	default:
		http.NotFound(w, r)
		return
	}
	var buf bytes.Buffer
	var err error
	var title string
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, _ session.Who) {
		title = t.Title
		err = write(&buf, t, o)
	}) {
		return
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if o.Format == followup.DecidimJSON {
		ctype = "application/json"
	}
	download(w, ctype, fileName(title, "-decidim-"+kind+"."+o.Format), buf.Bytes())
}

// download answers with a file to save.
func download(w http.ResponseWriter, ctype, name string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// fileName is a download's name: the table's title made safe, and what
// the file is.
func fileName(title, suffix string) string {
	s := minutes.Slug(title, 60)
	if s == "" {
		s = "poyta"
	}
	return s + suffix
}
