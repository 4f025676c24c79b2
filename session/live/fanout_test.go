package live

import (
	"fmt"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// TestFlushGapFollowsWrites: a flush waits FlushPerClient for each client
// it writes to, not for each client at the table. A private group's idea
// goes to its ten members and the facilitators, so it goes out after
// FlushInterval; once a public event is in the outbox the flush writes to
// everyone and waits for all of them, also when it was already armed for
// the group's shorter gap.
func TestFlushGapFollowsWrites(t *testing.T) {
	s := New(Config{})
	defer s.stop()
	h := newHub(s, "gap")
	h.flush.start()
	defer h.flush.stop()
	const groups, members = 100, 10
	for i := range 2 + groups*members {
		who := session.Who{Role: session.RoleParticipant, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i)}
		if i < 2 {
			who = session.Who{Role: session.RoleFacilitator}
		}
		c := &client{srv: s, wake: make(chan struct{}, 1), who: who, actor: who.Actor()}
		h.clients[c] = struct{}{}
		h.byActor.add(c.actor, c)
		if i >= 2 {
			c.group = fmt.Sprintf("g%d", (i-2)%groups)
			h.byGroup.add(c.group, c)
		}
		h.presence.roles[who.Role]++
	}
	cfg := s.cfg
	at := time.Date(2027, 2, 25, 17, 30, 0, 0, time.UTC)
	// The last flush "in a minute": requestFlush always arms the timer,
	// however slow this machine is.
	h.flush.last = time.Now().Add(time.Minute)
	h.beginCommit()
	h.addEvent(session.Event{Seq: 1, Time: at, Type: "idea.added", Data: &session.IdeaAdded{Idea: "i1", Item: "it",
		Text: "Ryhmän idea", Group: "g7", InGroup: true, Private: true, Created: at}})
	if n := h.writes(); n != members+2 {
		t.Errorf("a private group's idea: the flush writes to %d clients, want %d", n, members+2)
	}
	if g := h.flushGap(); g != cfg.FlushInterval {
		t.Errorf("a private group's idea: gap %s, want %s", g, cfg.FlushInterval)
	}
	h.requestFlush()
	if !h.flush.armed || h.flush.gap != cfg.FlushInterval {
		t.Fatalf("armed %v for %s, want armed for %s", h.flush.armed, h.flush.gap, cfg.FlushInterval)
	}
	h.beginCommit()
	h.addEvent(session.Event{Seq: 2, Time: at, Type: "groups.broadcast", Data: &session.GroupsBroadcast{Item: "it", Text: "Viisi minuuttia", At: at}})
	want := time.Duration(len(h.clients)) * cfg.FlushPerClient
	if g := h.flushGap(); g != want {
		t.Errorf("with a public event: gap %s, want %s", g, want)
	}
	h.requestFlush()
	if !h.flush.armed || h.flush.gap != want {
		t.Errorf("armed %v for %s, want put off to %s", h.flush.armed, h.flush.gap, want)
	}
	h.flushOut()
	if h.flush.armed || h.writes() != 0 {
		t.Errorf("after the flush: armed %v, writes %d", h.flush.armed, h.writes())
	}
}
