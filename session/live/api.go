package live

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/store"
)

// codeAlphabet has no vowels (no words by accident) and no look-alikes
// (0/O, 1/I/L): 27 symbols, so an 8-symbol code has 2.8·10¹¹ values.
const codeAlphabet = "23456789BCDFGHJKMNPQRSTVWXZ"

// newCode makes a join code like "KP-4F7K-9QX2".
func newCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		// 256 % 27 leaves a slight bias; rejecting values ≥ 243 removes it.
		for b[i] >= 243 {
			var one [1]byte
			rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return "KP-" + string(b[:4]) + "-" + string(b[4:])
}

// NormalizeCode turns what a person typed ("kp 4f7k9qx2", "4F7K-9QX2")
// into the stored form, or "" if it cannot be a code.
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	c := b.String()
	if len(c) == 10 && strings.HasPrefix(c, "KP") {
		c = c[2:]
	}
	if len(c) != 8 {
		return ""
	}
	for _, r := range c {
		if !strings.ContainsRune(codeAlphabet, r) {
			return ""
		}
	}
	return "KP-" + c[:4] + "-" + c[4:]
}

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreatedTable is the answer to creating a table. FacilitatorSecret is
// shown once: it is the key to the table and is stored only as a hash.
type CreatedTable struct {
	ID                string `json:"id"`
	Code              string `json:"code"`
	FacilitatorSecret string `json:"facilitatorSecret"`
	FacilitatorLink   string `json:"facilitatorLink"`
	JoinLink          string `json:"joinLink"`
	ScreenLink        string `json:"screenLink"`
	FollowUps         int    `json:"followUps,omitempty"` // earlier actions brought for review
}

// Links are relative to the server's address. Credentials travel in the
// fragment, which browsers never send to a server or put in a Referer.
func facilitatorLink(id, secret string) string { return "/f/" + id + "#" + secret }
func joinLink(code string) string              { return "/j/" + code }
func screenLink(id, token string) string       { return "/s/" + id + "#" + token }

// ScribeLink is a room group's scribe link.
func ScribeLink(id, token string) string { return "/r/" + id + "#" + token }

// Creator stores new tables.
type Creator interface {
	CreateTable(ctx context.Context, info store.TableInfo, first store.Event) error
}

// CreateTable makes a new table from a facilitator's input and stores it.
// With prev, the new table continues prev's series: see session.NewTableFrom.
func CreateTable(ctx context.Context, st Creator, in session.NewTableInput, prev *session.Table) (CreatedTable, error) {
	now := time.Now()
	for attempt := 0; ; attempt++ {
		sec := session.Secrets{ID: uuid.NewString(), Code: newCode(), Key: make([]byte, 32), FacilitatorSecret: randomToken()}
		rand.Read(sec.Key)
		env := session.Env{Now: now, NewID: uuid.NewString}
		var ev session.Event
		var err error
		if prev != nil {
			ev, err = session.NewTableFrom(in, sec, prev, env)
		} else {
			ev, err = session.NewTable(in, sec, env)
		}
		if err != nil {
			return CreatedTable{}, err
		}
		data, err := session.EncodeData(ev)
		if err != nil {
			return CreatedTable{}, err
		}
		var t session.Table
		t.Apply(ev)
		info := store.TableInfo{ID: sec.ID, Code: sec.Code, Title: t.Title, Status: "open", CreatedAt: ev.Time, UpdatedAt: ev.Time}
		first := store.Event{Table: sec.ID, Seq: 1, Time: ev.Time, Actor: ev.Actor, Type: ev.Type, Data: data}
		err = st.CreateTable(ctx, info, first)
		if errors.Is(err, store.ErrConflict) && attempt < 5 {
			continue // a join code collision: draw another
		}
		if err != nil {
			return CreatedTable{}, err
		}
		return CreatedTable{ID: sec.ID, Code: sec.Code, FacilitatorSecret: sec.FacilitatorSecret,
			FacilitatorLink: facilitatorLink(sec.ID, sec.FacilitatorSecret), JoinLink: joinLink(sec.Code),
			ScreenLink: screenLink(sec.ID, t.ScreenToken()), FollowUps: len(t.FollowUps)}, nil
	}
}

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
		ip, now := s.remoteIP(r), time.Now()
		if s.creates.blocked(ip, now) {
			s.writeError(w, &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited,
				Message: "too many tables created from this address; try again later"})
			return
		}
		s.creates.spend(ip, now)
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
	out, err := CreateTable(r.Context(), s.cfg.Store, in.NewTableInput, prev)
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
	ip, now := s.remoteIP(r), time.Now()
	refused := &session.Error{Kind: session.KindForbidden, Code: session.CodeUnauthorized, Message: "no earlier table with this facilitator link"}
	if s.codes.blocked(ip, now) {
		return nil, &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many failed attempts; wait a minute"}
	}
	id := ref
	if code := NormalizeCode(ref); code != "" {
		info, err := s.cfg.Store.TableByCode(r.Context(), code)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		id = info.ID
	}
	if _, err := uuid.Parse(id); err != nil {
		s.codes.spend(ip, now)
		return nil, refused
	}
	l, err := Load(r.Context(), s.cfg.Store, id, 0)
	if errors.Is(err, errNoTable) {
		s.codes.spend(ip, now)
		return nil, refused
	}
	if err != nil {
		return nil, err
	}
	if _, err := l.Table.Authenticate(session.RoleFacilitator, secret); err != nil {
		s.codes.spend(ip, now)
		return nil, refused
	}
	return l.Table, nil
}

// tableByCode finds the table of a join code, counting failures per
// address so that guessing codes is rate-limited.
func (s *Server) tableByCode(r *http.Request, code string) (string, error) {
	ip, now := s.remoteIP(r), time.Now()
	if s.codes.blocked(ip, now) {
		return "", &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many wrong codes; wait a minute"}
	}
	wrong := &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no table has this code"}
	norm := NormalizeCode(code)
	if norm == "" {
		s.codes.spend(ip, now)
		return "", wrong
	}
	info, err := s.cfg.Store.TableByCode(r.Context(), norm)
	if errors.Is(err, store.ErrNotFound) {
		s.codes.spend(ip, now)
		return "", wrong
	}
	if err != nil {
		return "", err
	}
	return info.ID, nil
}

// TableInfo is what the join page shows before someone joins.
type TableInfo struct {
	ID     string `json:"id"`
	Code   string `json:"code"`
	Title  string `json:"title"`
	Theme  string `json:"theme"`
	Date   string `json:"date"`
	Start  string `json:"start"`
	End    string `json:"end"`
	Room   string `json:"room"`
	Link   string `json:"link"`
	Lang   string `json:"lang"`
	Locked bool   `json:"locked"`
	Closed bool   `json:"closed"`
}

func (s *Server) handleLookup(w http.ResponseWriter, r *http.Request) {
	id, err := s.tableByCode(r, r.PathValue("code"))
	if err != nil {
		s.writeError(w, err)
		return
	}
	h, err := s.acquire(r.Context(), id)
	if err != nil {
		s.writeError(w, err)
		return
	}
	defer s.release(h)
	var info TableInfo
	err = h.read(r.Context(), func(t *session.Table) {
		info = TableInfo{ID: t.ID, Code: t.Code, Title: t.Title, Theme: t.Theme, Date: t.Date, Start: t.Start, End: t.End,
			Room: t.Room, Link: t.Link, Lang: t.Lang, Locked: t.Locked, Closed: t.Closed}
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
	h, err := s.acquire(r.Context(), id)
	if err != nil {
		s.writeError(w, err)
		return
	}
	defer s.release(h)
	token := in.Token
	if token == "" {
		token = randomToken()
	} else if !clientToken(token) {
		s.writeError(w, &session.Error{Kind: session.KindInvalid, Code: session.CodeInvalidValue,
			Message: "token: 22 to 64 characters of A-Z, a-z, 0-9, - and _ (at least 128 random bits)"})
		return
	}
	ev, err := h.call(r.Context(), session.Who{Role: session.RoleGuest},
		&session.Join{Name: in.Name, Org: in.Org, Sector: in.Sector, TokenHash: session.HashSecret(token)})
	if se := (*session.Error)(nil); errors.As(err, &se) && se.Code == session.CodeAlreadyJoined {
		// The same join again: answer with the participant it made, unless
		// the facilitator has removed them since.
		var who session.Who
		if rerr := h.read(r.Context(), func(t *session.Table) { who, err = t.Authenticate(session.RoleParticipant, token) }); rerr != nil {
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

func decodeBody(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &session.Error{Kind: session.KindLimit, Code: session.CodeTooLarge, Message: "request body too large"}
		}
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: "could not read the body"}
	}
	return session.Decode(body, v)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

type errorBody struct {
	Error struct {
		Code    string       `json:"code"`
		Kind    session.Kind `json:"kind"`
		Message string       `json:"message"`
	} `json:"error"`
}

// writeError answers with the error's status and code; internal causes go
// to the log only.
func (s *Server) writeError(w http.ResponseWriter, err error) {
	e := session.AsError(err)
	if e.Kind == session.KindInternal && e.Code == session.CodeInternal {
		s.log.Error("request failed", "err", err)
	}
	var b errorBody
	b.Error.Code, b.Error.Kind, b.Error.Message = e.Code, e.Kind, e.Message
	writeJSON(w, e.Status(), b)
}
