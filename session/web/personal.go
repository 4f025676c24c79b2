package web

import (
	"encoding/json"
	"net/http"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// A participant's own data, for the facilitator to hand over on request
// (GDPR right of access):
//
//	GET /api/tables/{id}/participants/{pid}
//	Authorization: Bearer <facilitator secret>
//
// answers a JSON download of everything the table stores about the
// participant: the same as "poyta tables show TABLE --participant ID --json".
func (s *Server) handlePersonalData(w http.ResponseWriter, r *http.Request) {
	var (
		d       session.PersonalData
		through int64
		err     error
	)
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, _ session.Who) {
		p := t.Participants[r.PathValue("pid")]
		if p == nil {
			err = &session.Error{Kind: session.KindNotFound, Code: session.CodeNoParticipant, Message: "no such participant at this table"}
			return
		}
		d, through = t.PersonalDataOf(p), t.Seq
	}) {
		return
	}
	if err == nil {
		// The log is read here, off the table's goroutine.
		err = tables.AddPersonalEvents(r.Context(), s.cfg.Store, &d, through)
	}
	if err != nil {
		s.writeError(w, err)
		return
	}
	body, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		s.writeError(w, err)
		return
	}
	download(w, "application/json; charset=utf-8", fileName(d.Table.Title, "-"+d.Participant.ID+".json"), append(body, '\n'))
}
