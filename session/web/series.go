package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/followup"
	"github.com/poyta/poyta/session/minutes"
	"github.com/poyta/poyta/session/tables"
)

// The organiser's tracker: every action of a series, with the facilitator
// secret of any of its tables.
//
//	GET /api/tables/{id}/series?org=&status=&overdue=1&sort=      the tracker's rows (JSON)
//	GET /api/tables/{id}/series/report?format=&lang=&…filters…    the progress report
//	GET /api/tables/{id}/series/actions.ics                      the actions with due dates
//	Authorization: Bearer <facilitator secret>

// seriesView is the tracker's answer.
type seriesView struct {
	Series string         `json:"series"`
	Title  string         `json:"title"`
	Today  string         `json:"today"`
	Tables []seriesTable  `json:"tables"`
	Rows   []followup.Row `json:"rows"`
}

type seriesTable struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Closed bool   `json:"closed"`
}

// readSeries checks the caller's facilitator secret for table id and
// returns copies of every table of its series, or answers the request
// and returns nil.
func (s *Server) readSeries(w http.ResponseWriter, r *http.Request) []*session.Table {
	var self *session.Table
	var copyErr error
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, _ session.Who) {
		self, copyErr = copyTable(t)
	}) {
		return nil
	}
	if copyErr != nil {
		s.writeError(w, copyErr)
		return nil
	}
	series, err := s.seriesTables(r.Context(), self)
	if err != nil {
		s.writeError(w, err)
		return nil
	}
	return series
}

// seriesTables returns copies of the tables of t's series, t among them.
func (s *Server) seriesTables(ctx context.Context, t *session.Table) ([]*session.Table, error) {
	infos, err := s.cfg.Store.Series(ctx, t.Series)
	if err != nil {
		return nil, fmt.Errorf("web: series %s: %w", t.Series, err)
	}
	out := []*session.Table{t}
	for _, info := range infos {
		if info.ID == t.ID {
			continue
		}
		var other *session.Table
		var copyErr error
		err := s.live.Read(ctx, info.ID, func(o *session.Table) { other, copyErr = copyTable(o) })
		if errors.Is(err, tables.ErrNoTable) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, fmt.Errorf("web: series %s: %w", t.Series, err)
		}
		if copyErr != nil {
			return nil, copyErr
		}
		out = append(out, other)
	}
	return out, nil
}

// copyTable copies a table's state, to be read off its goroutine.
func copyTable(t *session.Table) (*session.Table, error) {
	b, err := t.MarshalSnapshot()
	if err != nil {
		return nil, err
	}
	return session.RestoreSnapshot(b)
}

// trackerQuery reads the filter and sort of a tracker request, or
// answers it with the reason and returns false.
func (s *Server) trackerQuery(w http.ResponseWriter, r *http.Request) (followup.Filter, string, bool) {
	q := r.URL.Query()
	f, key, err := followup.ParseFilter(q.Get("org"), q.Get("status"), q.Get("overdue"), q.Get("sort"))
	if err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: err.Error()})
		return f, "", false
	}
	return f, key, true
}

func (s *Server) handleSeries(w http.ResponseWriter, r *http.Request) {
	f, key, ok := s.trackerQuery(w, r)
	if !ok {
		return
	}
	series := s.readSeries(w, r)
	if series == nil {
		return
	}
	now := time.Now()
	rows := f.Apply(followup.Track(series, now), key)
	v := seriesView{Series: series[0].Series, Today: now.Format(time.DateOnly), Tables: []seriesTable{}, Rows: rows}
	if v.Rows == nil {
		v.Rows = []followup.Row{}
	}
	ordered := followup.Ordered(series)
	v.Title = ordered[0].Title
	for _, t := range ordered {
		v.Tables = append(v.Tables, seriesTable{ID: t.ID, Title: t.Title, Date: t.Date, Closed: t.Closed})
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) handleSeriesReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	format, err := minutes.ParseFormat(q.Get("format"))
	if err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: "format must be md, html, docx, json or csv"})
		return
	}
	if err := minutes.CheckLang(q.Get("lang")); err != nil {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue, Message: err.Error()})
		return
	}
	f, key, ok := s.trackerQuery(w, r)
	if !ok {
		return
	}
	series := s.readSeries(w, r)
	if series == nil {
		return
	}
	lang := q.Get("lang")
	if lang == "" {
		lang = series[0].Lang
	}
	now := time.Now()
	rep := followup.Report(lang, series, f.Apply(followup.Track(series, now), key), f, now)
	var buf bytes.Buffer
	if err := minutes.WriteReport(&buf, rep, format); err != nil {
		s.writeError(w, err)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", format.ContentType())
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": minutes.ReportFilename(rep, format)}))
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

func (s *Server) handleSeriesICS(w http.ResponseWriter, r *http.Request) {
	series := s.readSeries(w, r)
	if series == nil {
		return
	}
	now := time.Now()
	title := followup.Ordered(series)[0].Title
	var buf bytes.Buffer
	if err := followup.ICS(&buf, title, followup.Track(series, now), now); err != nil {
		s.writeError(w, err)
		return
	}
	download(w, "text/calendar; charset=utf-8", fileName(title, ".ics"), buf.Bytes())
}
