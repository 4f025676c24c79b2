package web

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestJoinRetriedWithTheSameToken is a phone on a bad connection: its join
// reached the server but the answer did not, so it sends the same join
// again, with the token it made itself. It must get the same participant
// back, not a second one in the attendance.
func TestJoinRetriedWithTheSameToken(t *testing.T) {
	ts := newTestServer(t)
	created := ts.createTable(demoTable())
	const token = "Hk3v9Qm2Lx8Zp4Rt7Wy1Nc6Bd0Fg5Js"
	req := JoinRequest{Code: created.Code, Name: "Matti Meikäläinen", Org: "Ähtärin Urheilijat ry", Sector: "association", Token: token}

	var first Joined
	if status, eb := ts.post("/api/join", req, &first); status != http.StatusCreated {
		t.Fatalf("first join: %d %+v", status, eb)
	}
	if first.Token != token || first.Participant == "" {
		t.Fatalf("first join answered %+v", first)
	}

	// Five retries at once, one with the name typed differently: each gets
	// the participant of the first join.
	req.Name = "Matti M."
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			var again Joined
			if status, eb := ts.post("/api/join", req, &again); status != http.StatusOK {
				t.Errorf("retry: %d %+v, want 200", status, eb)
			} else if again != first {
				t.Errorf("retry answered %+v, want %+v", again, first)
			}
		})
	}
	wg.Wait()

	view, _ := ts.snapshot(created.ID, session.RoleFacilitator, created.FacilitatorSecret)
	if view.People.Total != 1 || len(view.Participants) != 1 || view.Participants[0].Name != "Matti Meikäläinen" {
		t.Fatalf("the table has %d people: %+v, want Matti once", view.People.Total, view.Participants)
	}
	c := ts.connect("matti", created.ID, session.RoleParticipant, token, 0)
	c.expect("snapshot")
	c.conn.Close()

	// A locked table takes no newcomers but still answers Matti's retry.
	fac := ts.connect("fac", created.ID, session.RoleFacilitator, created.FacilitatorSecret, 0)
	fac.expect("snapshot")
	fac.must("table.lock", nil)
	if status, eb := ts.post("/api/join", req, nil); status != http.StatusOK {
		t.Fatalf("retry at a locked table: %d %+v, want 200", status, eb)
	}
	other := JoinRequest{Code: created.Code, Name: "Aino Asukas", Token: "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0"}
	if status, eb := ts.post("/api/join", other, nil); status != http.StatusConflict || eb.Error.Code != session.CodeLocked {
		t.Fatalf("newcomer at a locked table: %d %+v, want 409 %s", status, eb, session.CodeLocked)
	}
	fac.must("table.unlock", nil)

	// Once the facilitator has removed Matti, his retry is refused too.
	fac.must("participant.remove", map[string]any{"participant": first.Participant})
	if status, eb := ts.post("/api/join", req, nil); status != http.StatusForbidden || eb.Error.Code != session.CodeRemoved {
		t.Fatalf("retry after removal: %d %+v, want 403 %s", status, eb, session.CodeRemoved)
	}
	fac.conn.Close()
}

// TestJoinTokenMustLookLikeOne: a browser's own token is 22 to 64
// characters of base64url; anything else is refused and nobody joins.
func TestJoinTokenMustLookLikeOne(t *testing.T) {
	ts := newTestServer(t)
	created := ts.createTable(demoTable())
	for _, tok := range []string{
		"short",
		strings.Repeat("a", 21),
		strings.Repeat("a", 65),
		"Hk3v9Qm2Lx8Zp4Rt7Wy1Nc 6Bd0Fg5Js",
		"Hk3v9Qm2Lx8Zp4Rt7Wy1Nc+6Bd0Fg5Js",
		"Hk3v9Qm2Lx8Zp4Rt7Wy1Nc=6Bd0Fg5Js",
		"Hk3v9Qm2Lx8Zp4Rt7Wy1Ncä6Bd0Fg5Js",
	} {
		req := JoinRequest{Code: created.Code, Name: "Matti", Token: tok}
		if status, eb := ts.post("/api/join", req, nil); status != http.StatusBadRequest || eb.Error.Code != session.CodeInvalidValue {
			t.Errorf("token %q: %d %+v, want 400 %s", tok, status, eb, session.CodeInvalidValue)
		}
	}
	view, _ := ts.snapshot(created.ID, session.RoleFacilitator, created.FacilitatorSecret)
	if view.People.Total != 0 {
		t.Fatalf("%d people joined with bad tokens", view.People.Total)
	}
	// Without a token the server makes one, as before; every join is new.
	a, b := ts.join(created.Code, "Aino", "", ""), ts.join(created.Code, "Aino", "", "")
	if a.Participant == b.Participant || a.Token == b.Token || len(a.Token) < 22 {
		t.Fatalf("two joins without a token: %+v %+v", a, b)
	}
}
