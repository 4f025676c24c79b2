package web

import (
	"bytes"
	"errors"
	"mime"
	"net/http"
	"strings"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
	"github.com/poyta/poyta/session/tables"
)

// handleMinutes serves a table's minutes to its facilitator:
//
//	GET /api/tables/{id}/minutes?format=md|html|docx|json|csv&lang=fi|sv|en&names=0&hidden=1&what=ideas
//	Authorization: Bearer <facilitator secret>
//
// The secret travels in a header, never in the URL, so it stays out of
// logs and browser history (readAsFacilitator). The minutes are built on the hub's goroutine from the live state and
// rendered outside it.
func (s *Server) handleMinutes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format, err := minutes.ParseFormat(q.Get("format"))
	if err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: "format must be md, html, docx, json or csv"})
		return
	}
	opt := minutes.Options{Lang: q.Get("lang"), NoNames: q.Get("names") == "0", IncludeHidden: q.Get("hidden") == "1"}
	if err := minutes.CheckLang(opt.Lang); err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: err.Error()})
		return
	}
	what := q.Get("what")
	if what != "" && (format != minutes.CSV || (what != minutes.CSVActions && what != minutes.CSVIdeas)) {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: "what must be actions or ideas, with format csv"})
		return
	}

	var m *minutes.Minutes
	var buildErr error
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, _ session.Who) { m, buildErr = minutes.Build(t, opt) }) {
		return
	}
	if buildErr != nil {
		s.writeError(w, buildErr)
		return
	}
	var buf bytes.Buffer
	if err := minutes.Render(&buf, m, format, what); err != nil {
		s.writeError(w, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", format.ContentType())
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": minutes.Filename(m, format, what)}))
	hd.Set("Cache-Control", "no-store")
	// Opened in place rather than saved, the HTML minutes still run nothing
	// and load nothing: they need only their own inline styles.
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// readAsFacilitator runs f on the goroutine of table id for a caller
// whose "Authorization: Bearer" header holds a facilitator credential of
// it, and reports true. Otherwise it answers the request and reports
// false (see readAs).
func (s *Server) readAsFacilitator(w http.ResponseWriter, r *http.Request, id string, f func(*session.Table, session.Who)) bool {
	return s.readAs(w, r, id, func(t *session.Table, secret string) (session.Who, error) {
		return t.Authenticate(session.RoleFacilitator, secret)
	}, f)
}

// readAs runs f on the goroutine of table id for a caller whose
// "Authorization: Bearer" credential auth accepts, and reports true.
// Otherwise it answers the request and reports false. A wrong or missing
// credential and an unknown table get the same 403, so the answer tells
// nothing to someone without a credential; such failures count against
// the caller's address like wrong join codes. A credential that was real
// but revoked is told so (removed), as the websocket does.
func (s *Server) readAs(w http.ResponseWriter, r *http.Request, id string, auth func(*session.Table, string) (session.Who, error), f func(*session.Table, session.Who)) bool {
	ip := s.remoteIP(r)
	if err := s.failures.Check(ip); err != nil {
		s.writeError(w, err)
		return false
	}
	cred, ok := bearer(r)
	if !ok {
		s.failures.Spend(ip)
		s.writeError(w, denied)
		return false
	}
	var authErr error
	err := s.live.Read(r.Context(), id, func(t *session.Table) {
		var who session.Who
		if who, authErr = auth(t, cred); authErr == nil {
			f(t, who)
		}
	})
	switch {
	case errors.Is(err, tables.ErrNoTable) || err == nil && authErr != nil:
		s.failures.Spend(ip)
		if e := session.AsError(authErr); authErr != nil && e.Code == session.CodeRemoved {
			s.writeError(w, e)
			return false
		}
		s.writeError(w, denied)
		return false
	case err != nil:
		s.writeError(w, err)
		return false
	}
	return true
}

// bearer returns the credential of an "Authorization: Bearer …" header.
func bearer(r *http.Request) (string, bool) {
	scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	cred = strings.TrimSpace(cred)
	return cred, cred != ""
}
