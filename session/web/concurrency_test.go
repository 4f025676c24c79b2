package web

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestConcurrentParticipants: many participants adding ideas and voting at
// once. Every client sees the same gapless log, each acknowledged command
// is in it exactly once, and the tallies add up.
func TestConcurrentParticipants(t *testing.T) {
	ts := newTestServer(t)
	in := demoTable()
	in.MultiDot = true
	in.Dots = 5
	tbl := ts.createTable(in)
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})

	const n = 20
	clients := make([]*wsClient, n)
	for i := range clients {
		p := ts.join(tbl.Code, fmt.Sprintf("Osallistuja %d", i+1), "Kylätoimikunta", "resident")
		clients[i] = ts.connect(fmt.Sprintf("p%d", i), tbl.ID, session.RoleParticipant, p.Token, 0)
	}
	// Everyone adds two ideas at once.
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 2 {
				if err := c.conn.WriteJSON(map[string]any{"id": fmt.Sprintf("%s-idea-%d", c.name, k), "op": "idea.add", "item": item, "text": c.name + " idea " + itoa(k)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range clients {
		for k := range 2 {
			id := fmt.Sprintf("%s-idea-%d", c.name, k)
			c.expectFunc("ack", func(m map[string]json.RawMessage) bool { return str(m["id"]) == id })
		}
	}
	last := fac.must("item.phase", map[string]any{"item": item, "phase": "vote"})
	fac.waitSeq(last)
	fv, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	if len(fv.Ideas) != 2*n {
		t.Fatalf("%d ideas, want %d", len(fv.Ideas), 2*n)
	}
	// Everyone places all five dots at once, on ideas picked round-robin,
	// then tries a sixth that must be refused.
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 6 {
				if err := c.conn.WriteJSON(map[string]any{"id": fmt.Sprintf("%s-vote-%d", c.name, k), "op": "vote.add", "idea": fv.Ideas[(i+k)%len(fv.Ideas)].ID}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	acked := 0
	for _, c := range clients {
		for k := range 6 {
			id := fmt.Sprintf("%s-vote-%d", c.name, k)
			m := c.expectFunc("", func(m map[string]json.RawMessage) bool {
				return (str(m["type"]) == "ack" || str(m["type"]) == "error") && str(m["id"]) == id
			})
			switch {
			case str(m["type"]) == "ack":
				acked++
			case str(m["code"]) != session.CodeBudget:
				t.Fatalf("%s: vote %d refused with %s", c.name, k, str(m["code"]))
			}
		}
	}
	if acked != 5*n {
		t.Fatalf("%d votes acknowledged, want %d", acked, 5*n)
	}
	end := fac.must("item.reveal", map[string]any{"item": item, "revealed": true})

	// Every client saw the same seqs, without gaps or repeats.
	for _, c := range append(clients, fac) {
		c.waitSeq(end)
		seqs := c.eventSeqs()
		for i := 1; i < len(seqs); i++ {
			if seqs[i] != seqs[i-1]+1 {
				t.Fatalf("%s: seq %d follows %d", c.name, seqs[i], seqs[i-1])
			}
		}
		if seqs[len(seqs)-1] != end {
			t.Fatalf("%s: last seq %d, want %d", c.name, seqs[len(seqs)-1], end)
		}
	}
	final, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	total := 0
	for _, i := range final.Ideas {
		total += i.Votes
	}
	if total != 5*n || final.Items[1].Cast != 5*n {
		t.Fatalf("tallies: %d on ideas, %d cast; want %d", total, final.Items[1].Cast, 5*n)
	}
}
