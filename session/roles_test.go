package session_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/poyta/poyta/session"
)

var allRoles = []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe, session.RoleScreen, session.RoleGuest, session.RoleInterpreter}

// roleCase is one op of the protocol: the roles that may use it at all, and
// a message that succeeds for ok on a table prepared by setup.
type roleCase struct {
	allowed []session.Role
	ok      func(m *meeting) session.Who
	setup   func(t *testing.T, m *meeting) string // returns the message
}

func facOnly(setup func(t *testing.T, m *meeting) string) roleCase {
	return roleCase{allowed: []session.Role{session.RoleFacilitator}, ok: func(m *meeting) session.Who { return m.fac }, setup: setup}
}

func msg(format string, args ...any) func(t *testing.T, m *meeting) string {
	return func(t *testing.T, m *meeting) string { return fmt.Sprintf(format, args...) }
}

// roleCases has one entry for every op in session.Ops().
var roleCases = map[string]roleCase{
	"followup.mark": facOnly(func(t *testing.T, m *meeting) string {
		*m = *seriesOf(t, m)
		return fmt.Sprintf(`{"op":"followup.mark","action":%q,"outcome":"carried"}`, m.tbl.FollowUps[0].Action)
	}),
	"table.edit": facOnly(msg(`{"op":"table.edit","title":"Uusi otsikko"}`)),
	"table.lock": facOnly(msg(`{"op":"table.lock"}`)),
	"table.unlock": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
		return `{"op":"table.unlock"}`
	}),
	"table.close": facOnly(msg(`{"op":"table.close"}`)),
	"table.reopen": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
		return `{"op":"table.reopen"}`
	}),
	"participant.update": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup:   msg(`{"op":"participant.update","name":"Liisa V.","org":"Ähtärin kaupunki","sector":"municipality"}`),
	},
	"participant.remove": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"participant.remove","participant":%q}`, m.aino.ID)
	}),
	"participant.forget": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"participant.forget","participant":%q}`, m.aino.ID)
	}),
	"item.add": facOnly(msg(`{"op":"item.add","title":"Kahvitauko"}`)),
	"item.edit": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.edit","item":%q,"timebox":7}`, m.greet)
	}),
	"item.move": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.move","item":%q,"index":2}`, m.greet)
	}),
	"item.remove": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.remove","item":%q}`, m.greet)
	}),
	"item.open": facOnly(func(t *testing.T, m *meeting) string { return fmt.Sprintf(`{"op":"item.open","item":%q}`, m.steps) }),
	"item.phase": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.phase","item":%q,"phase":"vote"}`, m.discuss)
	}),
	"item.notes": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.notes","item":%q,"notes":"Sovittiin jatkosta."}`, m.discuss)
	}),
	"item.voting": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.voting","item":%q,"dots":5}`, m.discuss)
	}),
	"item.reveal": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss)
	}),
	"timer.start": facOnly(func(t *testing.T, m *meeting) string { return fmt.Sprintf(`{"op":"timer.start","item":%q}`, m.discuss) }),
	"timer.pause": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss))
		return fmt.Sprintf(`{"op":"timer.pause","item":%q}`, m.discuss)
	}),
	"timer.reset": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss))
		return fmt.Sprintf(`{"op":"timer.reset","item":%q}`, m.discuss)
	}),
	"idea.add": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			return fmt.Sprintf(`{"op":"idea.add","item":%q,"text":"Yhteinen kalenteri"}`, m.discuss)
		},
	},
	"idea.edit": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.scribe },
		setup: func(t *testing.T, m *meeting) string {
			return fmt.Sprintf(`{"op":"idea.edit","idea":%q,"text":"Kyläkoulun tilat iltaisin"}`, m.idea(t, m.scribe, "Kyläkoulun tilat"))
		},
	},
	"idea.delete": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.matti },
		setup: func(t *testing.T, m *meeting) string {
			return fmt.Sprintf(`{"op":"idea.delete","idea":%q}`, m.idea(t, m.matti, "Peruttava idea"))
		},
	},
	"idea.hide": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"idea.hide","idea":%q}`, m.idea(t, m.matti, "Aiheen ohi"))
	}),
	"idea.unhide": facOnly(func(t *testing.T, m *meeting) string {
		id := m.idea(t, m.matti, "Aiheen ohi")
		mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, id))
		return fmt.Sprintf(`{"op":"idea.unhide","idea":%q}`, id)
	}),
	"idea.merge": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"idea.merge","idea":%q,"into":%q}`, m.idea(t, m.matti, "Kopio"), m.idea(t, m.liisa, "Alkuperäinen"))
	}),
	"vote.add": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			id := m.idea(t, m.matti, "Liikuntapaikat maksutta")
			m.phase(t, m.discuss, session.PhaseVote)
			return fmt.Sprintf(`{"op":"vote.add","idea":%q}`, id)
		},
	},
	"vote.remove": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			id := m.idea(t, m.matti, "Liikuntapaikat maksutta")
			m.phase(t, m.discuss, session.PhaseVote)
			m.vote(t, m.liisa, id)
			return fmt.Sprintf(`{"op":"vote.remove","idea":%q}`, id)
		},
	},
	"room.dots": {
		allowed: []session.Role{session.RoleScribe, session.RoleFacilitator},
		ok:      func(m *meeting) session.Who { return m.scribe },
		setup: func(t *testing.T, m *meeting) string {
			id := m.idea(t, m.matti, "Liikuntapaikat maksutta")
			m.phase(t, m.discuss, session.PhaseVote)
			return fmt.Sprintf(`{"op":"room.dots","idea":%q,"group":%q,"dots":6}`, id, m.room)
		},
	},
	"action.add": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			m.phase(t, m.discuss, session.PhaseActions)
			return `{"op":"action.add","title":"Tilavarausohjeet selkeiksi"}`
		},
	},
	"action.edit": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.fac },
		setup: func(t *testing.T, m *meeting) string {
			return fmt.Sprintf(`{"op":"action.edit","action":%q,"status":"done"}`, m.action(t, `{"op":"action.add","title":"Kalenteri"}`))
		},
	},
	"action.assign": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"action.assign","action":%q,"participant":%q}`, m.action(t, `{"op":"action.add","title":"Kalenteri"}`), m.liisa.ID)
	}),
	"action.unassign": facOnly(func(t *testing.T, m *meeting) string {
		id := m.action(t, `{"op":"action.add","title":"Kalenteri","owners":[{"org":"Ähtärin seurakunta"}]}`)
		return fmt.Sprintf(`{"op":"action.unassign","action":%q,"owner":%q}`, id, m.tbl.Actions[id].Owners[0].ID)
	}),
	"action.volunteer": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			m.phase(t, m.discuss, session.PhaseActions)
			return fmt.Sprintf(`{"op":"action.volunteer","action":%q}`, m.action(t, `{"op":"action.add","title":"Kalenteri"}`))
		},
	},
	"action.unvolunteer": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			m.phase(t, m.discuss, session.PhaseActions)
			id := m.action(t, `{"op":"action.add","title":"Kalenteri"}`)
			mustDo(t, m, m.liisa, cmdf(t, `{"op":"action.volunteer","action":%q}`, id))
			return fmt.Sprintf(`{"op":"action.unvolunteer","action":%q}`, id)
		},
	},
	"action.remove": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"action.remove","action":%q}`, m.action(t, `{"op":"action.add","title":"Kalenteri"}`))
	}),
	"hand.raise": {
		allowed: []session.Role{session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup:   msg(`{"op":"hand.raise"}`),
	},
	"hand.lower": {
		allowed: []session.Role{session.RoleParticipant, session.RoleFacilitator},
		ok:      func(m *meeting) session.Who { return m.fac },
		setup: func(t *testing.T, m *meeting) string {
			mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
			return fmt.Sprintf(`{"op":"hand.lower","participant":%q}`, m.matti.ID)
		},
	},
	"floor.give": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"floor.give","participant":%q}`, m.matti.ID)
	}),
	"queue.clear": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
		return `{"op":"queue.clear"}`
	}),
	"group.add": facOnly(msg(`{"op":"group.add","name":"Sali, pöytä 3"}`)),
	"group.rename": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"group.rename","group":%q,"name":"Eturivi"}`, m.room)
	}),
	"group.remove": facOnly(func(t *testing.T, m *meeting) string { return fmt.Sprintf(`{"op":"group.remove","group":%q}`, m.room) }),
	"idea.approve": facOnly(func(t *testing.T, m *meeting) string {
		mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","moderated":true}`))
		return fmt.Sprintf(`{"op":"idea.approve","idea":%q}`, m.idea(t, m.matti, "Odottaa tarkastusta"))
	}),
	"action.link": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"action.link","action":%q,"label":"Liisa / Ähtärin kaupunki"}`, m.action(t, `{"op":"action.add","title":"Tilat auki"}`))
	}),
	"action.unlink": facOnly(func(t *testing.T, m *meeting) string {
		a := m.action(t, `{"op":"action.add","title":"Tilat auki"}`)
		l := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.link","action":%q}`, a)).Data.(*session.ActionLinked).Link.ID
		return fmt.Sprintf(`{"op":"action.unlink","link":%q}`, l)
	}),
	"action.update": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"action.update","action":%q,"status":"in_progress","note":"Aloitettu."}`, m.action(t, `{"op":"action.add","title":"Tilat auki"}`))
	}),
	"ideas.import": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"ideas.import","item":%q,"rows":[{"text":"Paperilta","onBehalf":"Kaisa","group":%q,"dots":3}]}`, m.discuss, m.room)
	}),
	"caption.add": {
		allowed: []session.Role{session.RoleInterpreter},
		ok:      func(m *meeting) session.Who { return session.Who{Role: session.RoleInterpreter} },
		setup:   msg(`{"op":"caption.add","text":"Puheenjohtaja avaa kokouksen."}`),
	},
	"facilitator.add": facOnly(msg(`{"op":"facilitator.add","name":"Sanna Koordinaattori"}`)),
	"groups.start": facOnly(func(t *testing.T, m *meeting) string {
		return fmt.Sprintf(`{"op":"groups.start","item":%q,"groups":[{"name":"Ryhmä 1"},{"name":"Ryhmä 2"}],"rooms":[%q],"placement":"mixed"}`, m.discuss, m.room)
	}),
	"groups.broadcast": facOnly(func(t *testing.T, m *meeting) string {
		m.groupWork(t, session.PlaceManual, false, 0)
		return `{"op":"groups.broadcast","text":"Viisi minuuttia aikaa!"}`
	}),
	"groups.end": facOnly(func(t *testing.T, m *meeting) string {
		m.groupWork(t, session.PlaceManual, false, 0)
		return `{"op":"groups.end"}`
	}),
	"group.move": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			g := m.groupWork(t, session.PlaceChoice, false, 0)
			return fmt.Sprintf(`{"op":"group.move","participant":%q,"group":%q}`, m.liisa.ID, g[1])
		},
	},
	"group.reporter": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			g := m.groupWork(t, session.PlaceManual, false, 0)
			return fmt.Sprintf(`{"op":"group.reporter","group":%q,"participant":%q}`, g[0], m.liisa.ID)
		},
	},
	"group.summary": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			g := m.groupWork(t, session.PlaceManual, false, 0)
			mustDo(t, m, m.liisa, cmdf(t, `{"op":"group.reporter","participant":%q}`, m.liisa.ID))
			return fmt.Sprintf(`{"op":"group.summary","group":%q,"summary":"Kylätalot auki kaikille."}`, g[0])
		},
	},
	"group.pick": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			m.groupWork(t, session.PlaceManual, false, 0)
			mustDo(t, m, m.liisa, cmdf(t, `{"op":"group.reporter","participant":%q}`, m.liisa.ID))
			return fmt.Sprintf(`{"op":"group.pick","idea":%q,"picked":true}`, m.idea(t, m.matti, "Kylätalot yhteiskäyttöön"))
		},
	},
	"group.help": {
		allowed: []session.Role{session.RoleFacilitator, session.RoleParticipant, session.RoleScribe},
		ok:      func(m *meeting) session.Who { return m.liisa },
		setup: func(t *testing.T, m *meeting) string {
			m.groupWork(t, session.PlaceManual, false, 0)
			return `{"op":"group.help","help":true}`
		},
	},
	"group.video": facOnly(func(t *testing.T, m *meeting) string {
		g := m.groupWork(t, session.PlaceManual, false, 0)
		return fmt.Sprintf(`{"op":"group.video","group":%q,"link":"https://meet.example.fi/ryhma-1"}`, g[0])
	}),
	"facilitator.remove": facOnly(func(t *testing.T, m *meeting) string {
		e := mustDo(t, m, m.fac, cmdf(t, `{"op":"facilitator.add","name":"Sanna Koordinaattori"}`))
		return fmt.Sprintf(`{"op":"facilitator.remove","facilitator":%q}`, e.Data.(*session.FacilitatorAdded).Facilitator.ID)
	}),
}

func (m *meeting) as(role session.Role) session.Who {
	switch role {
	case session.RoleFacilitator:
		return m.fac
	case session.RoleParticipant:
		return m.liisa
	case session.RoleScribe:
		return m.scribe
	case session.RoleScreen:
		return m.screen
	case session.RoleInterpreter:
		return session.Who{Role: session.RoleInterpreter}
	}
	return m.guest
}

// TestRoleMatrix refuses every op for every role that may not use it, on a
// table where the op succeeds for a role that may.
func TestRoleMatrix(t *testing.T) {
	ops := sortedOps()
	for _, op := range ops {
		if _, ok := roleCases[op]; !ok {
			t.Errorf("op %s has no role matrix case", op)
		}
	}
	if len(roleCases) != len(ops) {
		t.Errorf("%d role cases for %d ops", len(roleCases), len(ops))
	}
	for _, op := range ops {
		rc, ok := roleCases[op]
		if !ok {
			continue
		}
		t.Run(op, func(t *testing.T) {
			m := newMeeting(t)
			body := rc.setup(t, m)
			for _, role := range allRoles {
				if slices.Contains(rc.allowed, role) {
					continue
				}
				se := refused(t, m, m.as(role), cmdf(t, "%s", body))
				if se.Kind != session.KindForbidden {
					t.Errorf("%s as %s: refused with %s/%s, want a forbidden kind", op, role, se.Kind, se.Code)
				}
			}
			e := mustDo(t, m, rc.ok(m), cmdf(t, "%s", body))
			if e.Type == "" {
				t.Fatalf("%s: no event", op)
			}
		})
	}
}

func TestRoleMatrixJoin(t *testing.T) {
	m := newMeeting(t)
	join := &session.Join{Name: "Uusi Osallistuja", Org: "Soinin kunta", Sector: "municipality", TokenHash: session.HashSecret("tok-new")}
	for _, role := range allRoles {
		if role == session.RoleGuest {
			continue
		}
		if se := refused(t, m, m.as(role), join); se.Kind != session.KindForbidden {
			t.Errorf("join as %s: refused with %s/%s, want a forbidden kind", role, se.Kind, se.Code)
		}
	}
	mustDo(t, m, m.guest, join)
}

// TestClosedTableMatrix closes the table after preparing each op: only the
// facilitator finishing the minutes (notes, follow-up of actions) and
// reopening, and forgetting a participant on request, still work;
// everything else is refused with table_closed.
func TestClosedTableMatrix(t *testing.T) {
	stillOpen := map[string]bool{"action.link": true, "action.unlink": true, "action.update": true, "item.notes": true, "action.edit": true, "action.assign": true, "action.unassign": true, "action.remove": true, "followup.mark": true, "table.reopen": true, "participant.forget": true}
	for _, op := range sortedOps() {
		rc, ok := roleCases[op]
		if !ok {
			continue // TestRoleMatrix reports it
		}
		t.Run(op, func(t *testing.T) {
			m := newMeeting(t)
			body := rc.setup(t, m)
			if !m.tbl.Closed {
				mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
			}
			if stillOpen[op] {
				mustDo(t, m, rc.ok(m), cmdf(t, "%s", body))
				return
			}
			refuse(t, m, rc.ok(m), cmdf(t, "%s", body), session.CodeClosed)
		})
	}
}

// TestLockedTableMatrix locks the table after preparing each op: the
// facilitator keeps working, participants' and scribes' input is refused
// with table_locked.
func TestLockedTableMatrix(t *testing.T) {
	// Correcting one's own profile is not input to the meeting.
	stillOpen := map[string]bool{"participant.update": true, "caption.add": true} // the live text goes on while participants are frozen
	for _, op := range sortedOps() {
		rc, ok := roleCases[op]
		if !ok {
			continue // TestRoleMatrix reports it
		}
		t.Run(op, func(t *testing.T) {
			m := newMeeting(t)
			body := rc.setup(t, m)
			if !m.tbl.Locked && !m.tbl.Closed {
				mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
			}
			who := rc.ok(m)
			switch {
			case op == "table.lock":
				refuse(t, m, who, cmdf(t, "%s", body), session.CodeLocked)
			case who.Role == session.RoleFacilitator || stillOpen[op]:
				mustDo(t, m, who, cmdf(t, "%s", body))
			default:
				refuse(t, m, who, cmdf(t, "%s", body), session.CodeLocked)
			}
		})
	}
}

func sortedOps() []string {
	ops := session.Ops()
	slices.Sort(ops)
	return ops
}
