package session

// Role is what a connection may do at a table.
type Role string

// The roles. A guest is someone joining with the join code, before they
// have a participant token.
const (
	RoleFacilitator Role = "facilitator"
	RoleParticipant Role = "participant"
	RoleScribe      Role = "scribe"
	RoleScreen      Role = "screen"
	RoleGuest       Role = "guest"
)

// Who is the authenticated caller of a command: a role and, for a
// participant or a scribe, the participant or room-group id; for a
// co-facilitator, their id (the table's creator has none).
type Who struct {
	Role Role
	ID   string
}

// Actor is how the event log records who did something.
func (w Who) Actor() string {
	switch w.Role {
	case RoleParticipant:
		return "p:" + w.ID
	case RoleScribe:
		return "scribe:" + w.ID
	case RoleFacilitator:
		if w.ID != "" {
			return "f:" + w.ID
		}
	}
	return string(w.Role)
}

func forbidden() error {
	return errf(KindForbidden, CodeForbidden, "only the facilitator can do this")
}

// facilitatorWrites allows a facilitator command on a table that is not closed.
func facilitatorWrites(t *Table, who Who) error {
	if who.Role != RoleFacilitator {
		return forbidden()
	}
	if t.Closed {
		return errf(KindConflict, CodeClosed, "the table is closed")
	}
	return nil
}

// inputOpen allows input from participants and scribes: the table must be
// neither locked nor closed.
func inputOpen(t *Table) error {
	if t.Closed {
		return errf(KindConflict, CodeClosed, "the table is closed")
	}
	if t.Locked {
		return errf(KindConflict, CodeLocked, "the table is locked")
	}
	return nil
}
