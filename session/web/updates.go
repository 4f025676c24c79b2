package web

import (
	"net/http"
	"slices"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/limit"
)

// An action's owner reports through their update link, /u/{table}#{token}:
//
//	GET  /api/tables/{id}/update   the action the link is for
//	POST /api/tables/{id}/update   {"status": …, "note": …}
//	Authorization: Bearer <the link's token>
//
// A wrong or revoked token and an unknown table get the same 403, counted
// against the caller's address like wrong join codes; reports are limited
// per address too.

// ownerAction is what an update link shows: its action and where it is from.
type ownerAction struct {
	Table  ownerTable     `json:"table"`
	Label  string         `json:"label"`
	Action session.Action `json:"action"`
	Item   string         `json:"item,omitempty"` // the agenda item's title
	Owners []ownerName    `json:"owners"`         // the action's owners, as names
}

type ownerTable struct {
	Title string `json:"title"`
	Date  string `json:"date"`
	Lang  string `json:"lang"`
}

type ownerName struct {
	Name string `json:"name,omitempty"`
	Org  string `json:"org,omitempty"`
}

type updateRequest struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// tooManyUpdates answers a flood of reports.
var tooManyUpdates = &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many updates from this address; try again later"}

// newUpdateLimit is the budget for reports per address: 30 at once, then 120 an hour.
func newUpdateLimit() *limit.PerAddress { return limit.NewPerAddress(120, 30, tooManyUpdates) }

// readAsOwner runs f on the table's goroutine for the holder of an update
// link, as readAsFacilitator does for facilitators.
func (s *Server) readAsOwner(w http.ResponseWriter, r *http.Request, id string, f func(*session.Table, session.Who)) bool {
	return s.readAs(w, r, id, (*session.Table).OwnerByToken, f)
}

func (s *Server) handleOwnerGet(w http.ResponseWriter, r *http.Request) {
	var out ownerAction
	if !s.readAsOwner(w, r, r.PathValue("id"), func(t *session.Table, who session.Who) { out = ownerView(t, who.ID) }) {
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleOwnerPost(w http.ResponseWriter, r *http.Request) {
	ip := s.remoteIP(r)
	if err := s.updates.Check(ip); err != nil {
		s.writeError(w, err)
		return
	}
	s.updates.Spend(ip)
	var in updateRequest
	if err := decodeBody(w, r, 8<<10, &in); err != nil {
		s.writeError(w, err)
		return
	}
	var who session.Who
	if !s.readAsOwner(w, r, r.PathValue("id"), func(_ *session.Table, w session.Who) { who = w }) {
		return
	}
	ev, err := s.live.Call(r.Context(), r.PathValue("id"), who, &session.UpdateAction{Status: in.Status, Note: in.Note})
	if err != nil {
		s.writeError(w, err)
		return
	}
	u := ev.Data.(*session.ActionUpdated).Update
	u.Link = ""
	writeJSON(w, http.StatusCreated, u)
}

// ownerView is the action an update link is for, as its owner sees it.
func ownerView(t *session.Table, link string) ownerAction {
	var l *session.UpdateLink
	for _, x := range t.UpdateLinks {
		if x.ID == link {
			l = x
		}
	}
	a := *t.Actions[l.Action]
	a.Updates = slices.Clone(a.Updates)
	for i := range a.Updates {
		a.Updates[i].Link = ""
	}
	out := ownerAction{Table: ownerTable{Title: t.Title, Date: t.Date, Lang: t.Lang}, Label: l.Label, Action: a, Owners: []ownerName{}}
	for _, it := range t.Items {
		if it.ID == a.Item {
			out.Item = it.Title
		}
	}
	for _, o := range a.Owners {
		n := ownerName{Org: o.Org}
		if p := t.Participants[o.Participant]; p != nil {
			n.Name = p.Name
			if n.Org == "" {
				n.Org = p.Org
			}
		}
		out.Owners = append(out.Owners, n)
	}
	return out
}
