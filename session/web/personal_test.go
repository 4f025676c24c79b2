package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
)

// TestForgetParticipantLive: a facilitator downloads what the table holds
// about a participant, then forgets them from the live view: their
// connection closes, their link stops working, their idea stays without a
// name, and the database's files keep no byte of the name.
func TestForgetParticipantLive(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	const name, org = "Qzx Forgettable Äijälä", "Qzx Unohdettavien yhdistys ry"
	me := ts.join(tbl.Code, name, org, "association")
	other := ts.join(tbl.Code, "Riikka Salo", "Ähtärin kaupunki", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	v, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	item := v.Items[1].ID
	fac.must("item.open", map[string]any{"item": item})
	p := ts.connect("p", tbl.ID, session.RoleParticipant, me.Token, 0)
	p.must("idea.add", map[string]any{"item": item, "text": "Yhteinen tapahtumakalenteri kaikille yhdistyksille"})

	path := "/api/tables/" + tbl.ID + "/participants/" + me.Participant
	resp, body := facilitatorGet(t, ts, path, tbl.FacilitatorSecret)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), ".json") {
		t.Fatalf("GET %s: %d %v %s", path, resp.StatusCode, resp.Header, body)
	}
	var d session.PersonalData
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	if d.Participant.Name != name || d.Participant.Org != org || len(d.Ideas) != 1 || len(d.Events) != 2 || d.Participant.TokenHash != "" {
		t.Fatalf("the download does not hold what is stored about them: %s", body)
	}
	for _, c := range []struct {
		path, secret string
		want         int
	}{
		{path, "", http.StatusForbidden},
		{path, me.Token, http.StatusForbidden}, // not even their own token: a facilitator hands it over
		{"/api/tables/" + tbl.ID + "/participants/no-such-id", tbl.FacilitatorSecret, http.StatusNotFound},
	} {
		if resp, body := facilitatorGet(t, ts, c.path, c.secret); resp.StatusCode != c.want {
			t.Errorf("GET %s: %d %s, want %d", c.path, resp.StatusCode, body, c.want)
		}
	}

	p.refused(session.CodeForbidden, "participant.forget", map[string]any{"participant": other.Participant})
	fac.must("participant.forget", map[string]any{"participant": me.Participant})
	select {
	case ce := <-p.close:
		if ce.Code != websocket.ClosePolicyViolation {
			t.Fatalf("closed with %d %q", ce.Code, ce.Text)
		}
	case <-time.After(waitFor):
		t.Fatal("the forgotten participant stayed connected")
	}
	conn, _, err := ts.dial("again", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": me.Token})
	conn.SetReadDeadline(time.Now().Add(waitFor))
	if _, frame, err := conn.ReadMessage(); err != nil || !bytes.Contains(frame, []byte(`"error"`)) {
		t.Fatalf("the forgotten participant's link still opens the table: %s %v", frame, err)
	}

	v, _ = ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	if len(v.Ideas) != 1 || v.Ideas[0].Text != "Yhteinen tapahtumakalenteri kaikille yhdistyksille" {
		t.Fatalf("the forgotten participant's idea is gone: %+v", v.Ideas)
	}
	_, body = facilitatorGet(t, ts, path, tbl.FacilitatorSecret)
	if bytes.Contains(body, []byte("Qzx")) || !bytes.Contains(body, []byte(`"forgotten": true`)) {
		t.Fatalf("after forgetting, the download still names them: %s", body)
	}
	// The files are scrubbed as the event is committed; give SQLite's
	// checkpoint a moment.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := 0
		for _, suffix := range []string{"", "-wal", "-shm"} {
			b, _ := os.ReadFile(ts.path + suffix)
			n += bytes.Count(b, []byte("Qzx"))
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d copies of the forgotten name and organisation are still in the database's files", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
