package web

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
)

// TestModeratedTableOverTheWire: at a moderated table, a participant's
// idea reaches the facilitator and its author over their websockets, and
// nothing of it reaches another participant or the room screen until the
// facilitator approves it.
func TestModeratedTableOverTheWire(t *testing.T) {
	ts := newTestServer(t)
	in := demoTable()
	in.Moderated = true
	tbl := ts.createTable(in)
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "association")
	q := ts.join(tbl.Code, "Liisa Virtanen", "", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	if !v.Table.Moderated {
		t.Fatal("the table was not created moderated")
	}
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})
	matti := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	liisa := ts.connect("liisa", tbl.ID, session.RoleParticipant, q.Token, 0)
	screenToken := v.ScreenToken
	screen := ts.connect("screen", tbl.ID, session.RoleScreen, screenToken, 0)

	seq := matti.must("idea.add", map[string]any{"item": item, "text": "Salainen ehdotus odottaa"})
	var got session.IdeaAdded
	fac.event("idea.added", &got)
	if !got.Pending || got.Text != "Salainen ehdotus odottaa" {
		t.Fatalf("the facilitator got %+v", got)
	}
	matti.event("idea.added", &got)
	if !got.Pending || got.Text == "" {
		t.Fatalf("the author got %+v", got)
	}
	for _, c := range []*wsClient{liisa, screen} {
		m := c.expectFunc("event", func(m map[string]json.RawMessage) bool { return str(m["event"]) == "idea.added" })
		if b, _ := json.Marshal(m); strings.Contains(string(b), "Salainen") || strings.Contains(string(b), got.Idea) {
			t.Fatalf("%s was sent the waiting idea: %s", c.name, b)
		}
	}
	fac.must("idea.approve", map[string]any{"idea": got.Idea})
	for _, c := range []*wsClient{liisa, screen} {
		var a session.IdeaApproved
		c.event("idea.approved", &a)
		if a.Approved == nil || a.Approved.Text != "Salainen ehdotus odottaa" {
			t.Fatalf("%s: the approval does not carry the idea: %+v", c.name, a)
		}
	}
	if seq == 0 {
		t.Fatal("no seq for the author's idea")
	}
}

// TestCoFacilitatorOverTheWire: a co-facilitator connects with their own
// link, is told who they are, has their own op ids, and is disconnected
// with 1008 "removed" when another facilitator removes them; their link
// then opens nothing.
func TestCoFacilitatorOverTheWire(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	fac.must("facilitator.add", map[string]any{"name": "Riikka Rinnakkainen"})
	var added session.FacilitatorAdded
	fac.event("facilitator.added", &added)
	if added.Token == "" {
		t.Fatal("the facilitator did not get the co-facilitator's link")
	}
	conn, _, err := ts.dial("co", nil)
	if err != nil {
		t.Fatal(err)
	}
	co := &wsClient{t: t, name: "co", conn: conn, msgs: make(chan map[string]json.RawMessage, 1000),
		close: make(chan *websocket.CloseError, 1), presenceChanged: make(chan struct{}, 1)}
	go co.readLoop()
	co.sendRaw(map[string]any{"op": "hello", "table": tbl.ID, "role": "facilitator", "token": added.Token})
	if w := co.expect("welcome"); str(w["you"]) != added.Facilitator.ID {
		t.Fatalf("the co-facilitator's welcome says you = %q", str(w["you"]))
	}
	// The same op id from the creator and the co-facilitator: two ops.
	a := fac.doID("same-id", "item.notes", map[string]any{"item": v.Items[0].ID, "notes": "Luojan muistiinpano"})
	b := co.doID("same-id", "item.notes", map[string]any{"item": v.Items[1].ID, "notes": "Riikan muistiinpano"})
	if a.Type != "ack" || b.Type != "ack" || b.Dup || b.Seq == a.Seq {
		t.Fatalf("the co-facilitator's op with the creator's op id: %+v (the creator's: %+v)", b, a)
	}
	fac.must("facilitator.remove", map[string]any{"facilitator": added.Facilitator.ID})
	select {
	case ce := <-co.close:
		if ce.Code != websocket.ClosePolicyViolation || ce.Text != "removed" {
			t.Fatalf("closed with %d %q", ce.Code, ce.Text)
		}
	case <-time.After(waitFor):
		t.Fatal("the removed co-facilitator stayed connected")
	}
	again, _, err := ts.dial("co-again", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	again.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "facilitator", "token": added.Token})
	var r reply
	again.ReadJSON(&r)
	if r.Code != session.CodeRemoved {
		t.Fatalf("a removed co-facilitator's hello: %+v", r)
	}
}

// TestInterpreterOverTheWire: the interpreter's link opens a connection
// that writes live text, which everyone gets, and nothing else.
func TestInterpreterOverTheWire(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "association")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	if v.InterpreterToken == "" {
		t.Fatal("the facilitator has no interpreter link")
	}
	matti := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	var mv session.View
	json.Unmarshal(matti.expect("snapshot")["state"], &mv)
	if mv.InterpreterToken != "" {
		t.Fatal("a participant got the interpreter's credential")
	}
	in := ts.connect("interpreter", tbl.ID, session.RoleInterpreter, v.InterpreterToken, 0)
	in.must("caption.add", map[string]any{"text": "Puheenjohtaja avaa kokouksen."})
	var c session.CaptionAdded
	matti.event("caption.added", &c)
	if c.Text != "Puheenjohtaja avaa kokouksen." {
		t.Fatalf("the participant got %+v", c)
	}
	in.refused(session.CodeForbidden, "hand.raise", nil)
	in.refused(session.CodeForbidden, "idea.add", map[string]any{"item": v.Items[0].ID, "text": "x"})
}
