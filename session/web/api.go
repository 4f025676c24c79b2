package web

import (
	"errors"
	"net/http"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/store"
)

// createRequest is a facilitator's table form; From names an earlier table
// of the series, with its facilitator secret as proof of access to it.
type createRequest struct {
	session.NewTableInput
	From *struct {
		Table  string `json:"table"`  // id or join code
		Secret string `json:"secret"` // the earlier table's facilitator secret
	} `json:"from,omitempty"`
}

func (s *Server) handleCreate(w http.ResponseWriter, r *http.Request) {
	if s.creates != nil {
		// Every attempt counts, so that junk cannot probe for free.
		ip := s.remoteIP(r)
		if err := s.creates.Take(ip); err != nil {
			s.writeError(w, err)
			return
		}
	}
	var in createRequest
	if err := decodeBody(w, r, 256<<10, &in); err != nil {
		s.writeError(w, err)
		return
	}
	var prev *session.Table
	if in.From != nil {
		var err error
		if prev, err = s.earlierTable(r, in.From.Table, in.From.Secret); err != nil {
			s.writeError(w, err)
			return
		}
	}
	out, err := tables.Create(r.Context(), s.cfg.Store, in.NewTableInput, prev)
	if err != nil {
		s.writeError(w, err)
		return
	}
	s.log.Info("table created", "table", out.ID, "followUps", out.FollowUps)
	writeJSON(w, http.StatusCreated, out)
}

// earlierTable loads the table a new one continues, if the caller holds its
// facilitator secret. Every failure looks the same and counts against the
// caller's address.
func (s *Server) earlierTable(r *http.Request, ref, secret string) (*session.Table, error) {
	ip := s.remoteIP(r)
	refused := &session.Error{Kind: session.KindForbidden, Code: session.CodeUnauthorized, Message: "no earlier table with this facilitator link"}
	if err := s.failures.Check(ip); err != nil {
		return nil, err
	}
	id := ref
	if code := tables.NormalizeCode(ref); code != "" {
		info, err := s.cfg.Store.TableByCode(r.Context(), code)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		id = info.ID
	}
	if _, err := uuid.Parse(id); err != nil {
		s.failures.Spend(ip)
		return nil, refused
	}
	l, err := tables.Load(r.Context(), s.cfg.Store, id, 0)
	if errors.Is(err, tables.ErrNoTable) {
		s.failures.Spend(ip)
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	if _, err := l.Table.Authenticate(session.RoleFacilitator, secret); err != nil {
		s.failures.Spend(ip)
		return nil, refused
	}
	return l.Table, nil
}

// tableByCode finds the table of a join code, counting failures per
// address so that guessing codes is rate-limited.
func (s *Server) tableByCode(r *http.Request, code string) (string, error) {
	ip := s.remoteIP(r)
	if err := s.failures.Check(ip); err != nil {
		return "", err
	}
	wrong := &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no table has this code"}
	norm := tables.NormalizeCode(code)
	if norm == "" {
		s.failures.Spend(ip)
		return "", wrong
	}
	info, err := s.cfg.Store.TableByCode(r.Context(), norm)
	if errors.Is(err, store.ErrNotFound) {
		s.failures.Spend(ip)
		return "", wrong
	}
	if err != nil {
		return "", err
	}
	return info.ID, nil
}

// TableInfo is what the join page shows before someone joins.
type TableInfo struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Title string `json:"title"`
	Theme string `json:"theme"`
	Date  string `json:"date"`
	Start string `json:"start"`
	End   string `json:"end"`
	Room  string `json:"room"`
	Link  string `json:"link"`
	Lang  string `json:"lang"`
	// Plain: the join page and the participant's view start in plain
	// Finnish (selkosuomi) unless the person has chosen a language.
	Plain  bool `json:"plain"`
	Locked bool `json:"locked"`
	Closed bool `json:"closed"`
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	id, err := s.tableByCode(r, r.PathValue("code"))
	if err != nil {
		s.writeError(w, err)
		return
	}
	var info TableInfo
	err = s.live.Read(r.Context(), id, func(t *session.Table) {
		info = TableInfo{ID: t.ID, Code: t.Code, Title: t.Title, Theme: t.Theme, Date: t.Date, Start: t.Start, End: t.End,
			Room: t.Room, Link: t.Link, Lang: t.Lang, Plain: t.Plain, Locked: t.Locked, Closed: t.Closed}
	})
	if err != nil {
		s.writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// JoinRequest is a guest's join form.
type JoinRequest struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Org    string `json:"org"`
	Sector string `json:"sector"`
	// Token, if given, is the participant token the browser made itself
	// (clientToken says what it must look like). Sending the same join
	// again with the same token answers with the same participant, so a
	// join whose answer was lost can be retried without a second person.
	Token string `json:"token,omitempty"`
}

// Joined is the answer to a join: the participant's token is their
// credential; the browser keeps it so a reload keeps the same person.
type Joined struct {
	Table       string `json:"table"`
	Participant string `json:"participant"`
	Token       string `json:"token"`
}

func (s *Server) handleJoin(w http.ResponseWriter, r *http.Request) {
	var in JoinRequest
	if err := decodeBody(w, r, 8<<10, &in); err != nil {
		s.writeError(w, err)
		return
	}
	id, err := s.tableByCode(r, in.Code)
	if err != nil {
		s.writeError(w, err)
		return
	}
	token := in.Token
	if token == "" {
		token = tables.NewToken()
	} else if !clientToken(token) {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue,
			Message: "token: 22 to 64 characters of A-Z, a-z, 0-9, - and _ (at least 128 random bits)"})
		return
	}
	ev, err := s.live.Call(r.Context(), id, session.Who{Role: session.RoleGuest},
		&session.Join{Name: in.Name, Org: in.Org, Sector: in.Sector, TokenHash: session.HashSecret(token)})
	if se := (*session.Error)(nil); errors.As(err, &se) && se.Code == session.CodeAlreadyJoined {
		// The same join again: answer with the participant it made, unless
		// the facilitator has removed them since.
		var who session.Who
		if rerr := s.live.Read(r.Context(), id, func(t *session.Table) { who, err = t.Authenticate(session.RoleParticipant, token) }); rerr != nil {
			err = rerr
		}
		if err != nil {
			s.writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, Joined{Table: id, Participant: who.ID, Token: token})
		return
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	p := ev.Data.(*session.ParticipantJoined)
	writeJSON(w, http.StatusCreated, Joined{Table: id, Participant: p.ID, Token: token})
}

// clientToken says whether a participant token made by a browser looks
// like one: 22 to 64 characters of base64url, as 16 to 48 random bytes
// encode. Its randomness is the browser's business; a guessable token
// endangers only its own participant.
func clientToken(s string) bool {
	if len(s) < 22 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
