package session_test

import (
	"testing"

	"github.com/poyta/poyta/session"
)

// TestPlainFinnishDefault: a facilitator makes plain Finnish (selkosuomi)
// the participants' default UI language at creation or later; everyone's
// view carries the setting (the participants' browsers pick the language
// from it), and only a facilitator may change it.
func TestPlainFinnishDefault(t *testing.T) {
	in := demoInput()
	in.Plain = true
	m := newTable(t, in)
	if !m.tbl.Plain {
		t.Fatal("a table created with plain is not plain")
	}
	if d := m.events[0].Data.(*session.TableCreated); !d.Plain {
		t.Fatal("table.created does not carry plain")
	}

	m = newMeeting(t)
	if m.tbl.Plain {
		t.Fatal("a table is plain without being asked")
	}
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","plain":true}`))
	d, ok := e.Data.(*session.TableEdited)
	if !ok || d.Plain == nil || !*d.Plain || d.Title != nil || d.Moderated != nil {
		t.Fatalf("table.edit plain: event %s %+v, want table.edited with plain only", e.Type, e.Data)
	}
	if !m.tbl.Plain {
		t.Fatal("table.edited did not make the table plain")
	}
	for _, who := range []session.Who{m.fac, m.matti, {Role: session.RoleScreen}} {
		if v := m.tbl.ViewFor(who); !v.Table.Plain {
			t.Errorf("%s's view does not say the table is plain", who.Role)
		}
	}
	// The same value again changes nothing; a participant may not change it.
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.edit","plain":true}`), session.CodeNoChange)
	refuse(t, m, m.matti, cmdf(t, `{"op":"table.edit","plain":false}`), session.CodeForbidden)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","plain":false}`))
	if m.tbl.Plain {
		t.Fatal("plain could not be turned off")
	}
}
