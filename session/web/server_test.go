package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// playSome gives a table some history: ideas, votes, an action, room dots.
func playSome(t *testing.T, ts *testServer, tbl tables.Created) (fac *wsClient, p Joined) {
	t.Helper()
	p = ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	fac = ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID
	c := ts.connect("liisa", tbl.ID, session.RoleParticipant, p.Token, 0)
	fac.must("item.open", map[string]any{"item": item})
	c.must("idea.add", map[string]any{"item": item, "text": "Kylätalot yhteiskäyttöön", "anonymous": true})
	a := c.must("idea.add", map[string]any{"item": item, "text": "Järjestöjen info-ilta kahdesti vuodessa"})
	c.waitSeq(a)
	var g session.GroupAdded
	fac.must("group.add", map[string]any{"name": "Sali, pöytä 2"})
	fac.event("group.added", &g)
	fac.must("item.phase", map[string]any{"item": item, "phase": "vote"})
	var ideas []string
	for _, e := range []string{"idea.added", "idea.added"} {
		var ia session.IdeaAdded
		fac.event(e, &ia)
		ideas = append(ideas, ia.Idea)
	}
	c.must("vote.add", map[string]any{"idea": ideas[0]})
	c.must("vote.add", map[string]any{"idea": ideas[1]})
	fac.must("room.dots", map[string]any{"idea": ideas[1], "group": g.Group.ID, "dots": 7})
	fac.must("item.reveal", map[string]any{"item": item, "revealed": true})
	fac.must("action.add", map[string]any{"item": item, "title": "Info-ilta syksyllä", "owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	fac.must("hand.lower", map[string]any{"participant": p.Participant}) // refused below if no hand: check a refusal too
	return fac, p
}

// TestRestartGivesIdenticalState: a server restarted on the same database
// file shows everyone exactly the state they saw before.
func TestRestartGivesIdenticalState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	for _, every := range []int{1000, 3} { // without and with snapshots on the way
		t.Run("snapshotEvery="+itoa(every), func(t *testing.T) {
			cfg := testConfig()
			cfg.SnapshotEvery = every
			ts := startServer(t, path, cfg)
			tbl := ts.createTable(demoTable())
			_, p := playSomeNoHand(t, ts, tbl)
			_, facBefore := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
			_, partBefore := ts.snapshot(tbl.ID, session.RoleParticipant, p.Token)
			ts.stop()

			ts2 := startServer(t, path, cfg)
			_, facAfter := ts2.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
			_, partAfter := ts2.snapshot(tbl.ID, session.RoleParticipant, p.Token)
			if string(facBefore) != string(facAfter) {
				t.Fatalf("facilitator view changed across restart:\nbefore %s\nafter  %s", facBefore, facAfter)
			}
			if string(partBefore) != string(partAfter) {
				t.Fatalf("participant view changed across restart:\nbefore %s\nafter  %s", partBefore, partAfter)
			}
			// The restarted table still takes commands and continues the seq.
			fac := ts2.connect("fac2", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
			var v session.View
			json.Unmarshal(fac.expect("snapshot")["state"], &v)
			if seq := fac.must("table.lock", nil); seq != v.Seq+1 {
				t.Fatalf("first seq after restart %d, want %d", seq, v.Seq+1)
			}
		})
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func playSomeNoHand(t *testing.T, ts *testServer, tbl tables.Created) (*wsClient, Joined) {
	t.Helper()
	p := ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[1].ID
	c := ts.connect("liisa", tbl.ID, session.RoleParticipant, p.Token, 0)
	fac.must("item.open", map[string]any{"item": item})
	var ideas []string
	for _, text := range []string{"Kylätalot yhteiskäyttöön", "Järjestöjen info-ilta kahdesti vuodessa"} {
		seq := c.must("idea.add", map[string]any{"item": item, "text": text, "anonymous": text[0] == 'K'})
		var ia session.IdeaAdded
		for fac.event("idea.added", &ia) != seq {
		}
		ideas = append(ideas, ia.Idea)
	}
	var g session.GroupAdded
	fac.must("group.add", map[string]any{"name": "Sali, pöytä 2"})
	fac.event("group.added", &g)
	fac.must("item.phase", map[string]any{"item": item, "phase": "vote"})
	c.must("vote.add", map[string]any{"idea": ideas[0]})
	c.must("vote.add", map[string]any{"idea": ideas[1]})
	fac.must("room.dots", map[string]any{"idea": ideas[1], "group": g.Group.ID, "dots": 7})
	fac.must("item.reveal", map[string]any{"item": item, "revealed": true})
	fac.must("action.add", map[string]any{"item": item, "title": "Info-ilta syksyllä", "owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	c.must("hand.raise", nil)
	fac.must("timer.start", map[string]any{"item": item})
	return fac, p
}

// TestGracefulShutdown: on shutdown, commands already sent are committed
// and acknowledged, and clients are told the server is going away.
func TestGracefulShutdown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	ts := startServer(t, path, testConfig())
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)
	item := v.Items[0].ID
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	// Fire a burst without waiting, then stop the server at once.
	const n = 30
	for i := range n {
		c.sendRaw(map[string]any{"id": "burst-" + itoa(i), "op": "idea.add", "item": item, "text": "Idea " + itoa(i)})
	}
	stopped := make(chan struct{})
	go func() {
		ts.stop()
		close(stopped)
	}()
	acked := map[string]bool{}
	var closeErr *websocket.CloseError
	timeout := time.After(waitFor)
loop:
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				break loop
			}
			if str(m["type"]) == "ack" {
				acked[str(m["id"])] = true
			}
		case <-timeout:
			t.Fatal("the connection did not end on shutdown")
		}
	}
	select {
	case closeErr = <-c.close:
	default:
	}
	if closeErr == nil || closeErr.Code != websocket.CloseGoingAway {
		t.Fatalf("close on shutdown: %v, want 1001 going away", closeErr)
	}
	// Everything acknowledged is in the database after a restart.
	<-stopped
	ts2 := startServer(t, path, testConfig())
	after, _ := ts2.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	have := map[string]bool{}
	for _, i := range after.Ideas {
		have[i.Text] = true
	}
	for i := range n {
		if acked["burst-"+itoa(i)] && !have["Idea "+itoa(i)] {
			t.Fatalf("acknowledged idea %d is missing after restart", i)
		}
	}
	if len(acked) == 0 {
		t.Log("no command was acknowledged before the shutdown")
	}
}

// TestHelloIsChecked: a wrong credential, another table's credential or a
// missing table gets an error and a policy close.
func TestHelloIsChecked(t *testing.T) {
	ts := newTestServer(t)
	a := ts.createTable(demoTable())
	b := ts.createTable(demoTable())
	p := ts.join(a.Code, "Matti Meikäläinen", "", "resident")
	cases := []struct {
		name  string
		hello map[string]any
		code  string
	}{
		{"wrong secret", map[string]any{"op": "hello", "table": a.ID, "role": "facilitator", "token": "wrong"}, session.CodeUnauthorized},
		{"other table's secret", map[string]any{"op": "hello", "table": a.ID, "role": "facilitator", "token": b.FacilitatorSecret}, session.CodeUnauthorized},
		{"participant token as facilitator", map[string]any{"op": "hello", "table": a.ID, "role": "facilitator", "token": p.Token}, session.CodeUnauthorized},
		{"participant token at other table", map[string]any{"op": "hello", "table": b.ID, "role": "participant", "token": p.Token}, session.CodeUnauthorized},
		{"no token", map[string]any{"op": "hello", "table": a.ID, "role": "participant"}, session.CodeUnauthorized},
		{"unknown table", map[string]any{"op": "hello", "table": "00000000-0000-4000-8000-000000000000", "role": "participant", "token": p.Token}, session.CodeNoTable},
		{"not a table id", map[string]any{"op": "hello", "table": "../../etc", "role": "participant", "token": p.Token}, session.CodeNoTable},
		{"command before hello", map[string]any{"op": "idea.add", "id": "x"}, session.CodeNotJoined},
		{"hello with unknown field", map[string]any{"op": "hello", "table": a.ID, "role": "participant", "token": p.Token, "admin": true}, session.CodeBadMessage},
		{"unknown role", map[string]any{"op": "hello", "table": a.ID, "role": "admin", "token": p.Token}, session.CodeBadMessage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn, _, err := ts.dial(tc.name, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.WriteJSON(tc.hello)
			var m reply
			if err := conn.ReadJSON(&m); err != nil {
				t.Fatalf("read: %v", err)
			}
			if m.Type != "error" || m.Code != tc.code {
				t.Fatalf("got %+v, want error %s", m, tc.code)
			}
			_, _, err = conn.ReadMessage()
			ce, ok := err.(*websocket.CloseError)
			if !ok || ce.Code != websocket.ClosePolicyViolation {
				t.Fatalf("close: %v, want 1008", err)
			}
		})
	}
}

// TestOriginIsChecked: browsers on foreign or look-alike origins cannot
// open a websocket; our own origin and configured ones can.
func TestOriginIsChecked(t *testing.T) {
	cfg := testConfig()
	cfg.AllowedOrigins = []string{"https://poyta.example.fi"}
	ts := startServer(t, "", cfg)
	host := strings.TrimPrefix(ts.http.URL, "http://")
	for origin, ok := range map[string]bool{
		"":                                 true,
		"http://" + host:                   true,
		"https://poyta.example.fi":         true,
		"https://evil.example":             false,
		"null":                             false,
		"https://poyta.example.fi.evil.io": false,
		"http://" + host + ".evil.io":      false,
		"http://user@" + host:              false,
	} {
		h := http.Header{}
		if origin != "" {
			h.Set("Origin", origin)
		}
		conn, resp, err := ts.dial("origin", h)
		if ok && err != nil {
			t.Errorf("origin %q refused: %v", origin, err)
		}
		if !ok && (err == nil || resp == nil || resp.StatusCode != http.StatusForbidden) {
			t.Errorf("origin %q was not refused with 403 (err %v)", origin, err)
		}
		if conn != nil {
			conn.Close()
		}
	}
}

// TestSlowClientIsDropped: a client that does not read is disconnected
// when its queue is full, and the others keep getting everything.
func TestSlowClientIsDropped(t *testing.T) {
	cfg := testConfig()
	cfg.SendQueue = 64
	cfg.MaxQueueBytes = 2 << 20
	cfg.RatePerSecond, cfg.RateBurst = 100000, 100000
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &v)

	// A raw connection that says hello and then never reads.
	p := ts.join(tbl.Code, "Hidas Hannu", "", "resident")
	slow, _, err := ts.dial("slow", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	slow.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": p.Token})
	slow.UnderlyingConn().(interface{ SetReadBuffer(int) error }).SetReadBuffer(1024)

	fac.waitPresence(func(pc presenceCounts) bool { return pc.Participants == 1 })

	// Send 400 notes of 40 KB (16 MB in all, more than socket buffers and
	// the slow client's queue hold), 20 at a time so that the facilitator,
	// who reads, never falls far behind.
	const n, window = 400, 20
	big := strings.Repeat("🌲", session.MaxNotes-10)
	for i := range n {
		fac.sendRaw(map[string]any{"id": "note-" + itoa(i), "op": "item.notes", "item": v.Items[0].ID, "notes": big + itoa(i)})
		if (i+1)%window == 0 {
			fac.expectFunc("ack", func(m map[string]json.RawMessage) bool { return str(m["id"]) == "note-"+itoa(i) })
		}
	}
	// The slow client was dropped: the table no longer counts it as present.
	fac.waitPresence(func(pc presenceCounts) bool { return pc.Participants == 0 })
}

// TestIdleTableUnloadsAndReloads: a table nobody is connected to leaves
// memory and comes back from the store on the next connection.
func TestIdleTableUnloadsAndReloads(t *testing.T) {
	cfg := testConfig()
	cfg.IdleTimeout = 50 * time.Millisecond
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	c.expect("snapshot")
	seq := c.must("hand.raise", nil)
	if ts.live.LiveTables() != 1 {
		t.Fatalf("live tables while connected: %d", ts.live.LiveTables())
	}
	c.conn.Close()
	eventually(t, "the idle table to be unloaded", func() bool { return ts.live.LiveTables() == 0 })
	back := ts.connect("matti-back", tbl.ID, session.RoleParticipant, p.Token, seq)
	back.refused(session.CodeInQueue, "hand.raise", nil)
}

// TestRemovedParticipantLosesAccess: removal ends the connection at once
// and the token no longer works.
func TestRemovedParticipantLosesAccess(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Häiriköivä Harri", "", "other")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	c := ts.connect("harri", tbl.ID, session.RoleParticipant, p.Token, 0)
	c.must("hand.raise", nil)
	fac.must("participant.remove", map[string]any{"participant": p.Participant})
	select {
	case ce := <-c.close:
		if ce.Code != websocket.ClosePolicyViolation {
			t.Fatalf("close code %d, want 1008", ce.Code)
		}
	case <-time.After(waitFor):
		t.Fatal("the removed participant's connection stayed open")
	}
	conn, _, _ := ts.dial("harri-again", nil)
	defer conn.Close()
	conn.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": p.Token})
	var m reply
	conn.ReadJSON(&m)
	if m.Code != session.CodeRemoved {
		t.Fatalf("hello after removal: %+v", m)
	}
}

// TestParticipantCap: a table stops taking participants at the cap.
func TestParticipantCap(t *testing.T) {
	cfg := testConfig()
	cfg.MaxParticipants = 2
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	ts.join(tbl.Code, "Yksi", "", "resident")
	ts.join(tbl.Code, "Kaksi", "", "resident")
	status, eb := ts.post("/api/join", JoinRequest{Code: tbl.Code, Name: "Kolme", Sector: "resident"}, nil)
	if status != http.StatusConflict || eb.Error.Code != session.CodeTableFull {
		t.Fatalf("third join: %d %+v", status, eb)
	}
}

// TestRateLimit: a connection flooding commands is refused beyond its
// rate, and a persistent flood is disconnected, without affecting others.
func TestRateLimit(t *testing.T) {
	cfg := testConfig()
	cfg.RatePerSecond, cfg.RateBurst = 5, 5
	ts := startServer(t, "", cfg)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	q := ts.join(tbl.Code, "Liisa Virtanen", "", "resident")
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	other := ts.connect("liisa", tbl.ID, session.RoleParticipant, q.Token, 0)
	for i := range 200 {
		// The server may close the connection mid-flood; later writes fail.
		if c.conn.WriteJSON(map[string]any{"id": "flood-" + itoa(i), "op": "hand.raise"}) != nil {
			break
		}
	}
	limited := c.expectFunc("error", func(m map[string]json.RawMessage) bool { return str(m["code"]) == session.CodeRateLimited })
	if limited == nil {
		t.Fatal("no rate_limited error")
	}
	select {
	case ce := <-c.close:
		if ce.Code != websocket.ClosePolicyViolation {
			t.Fatalf("flooder closed with %d, want 1008", ce.Code)
		}
	case <-time.After(waitFor):
		t.Fatal("the flooding connection was not closed")
	}
	other.must("hand.raise", nil)
}

// TestJoinCodeGuessingIsLimited: wrong codes from one address are
// rate-limited; a right code still works from elsewhere.
func TestJoinCodeGuessingIsLimited(t *testing.T) {
	ts := newTestServer(t)
	var last int
	for i := range 40 {
		status, _ := ts.post("/api/join", JoinRequest{Code: "KP-2345-" + []string{"6789", "BCDF", "GHJK", "MNPQ"}[i%4], Name: "Arvaaja"}, nil)
		last = status
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("after 40 wrong codes the status is %d, want 429", last)
	}
}

// TestHealthz answers without touching any table.
func TestHealthz(t *testing.T) {
	ts := newTestServer(t)
	resp, err := http.Get(ts.http.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != 200 || body["status"] != "ok" {
		t.Fatalf("healthz: %d %v", resp.StatusCode, body)
	}
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("security headers missing: %v", resp.Header)
	}
	_ = context.Background
}

// TestResumeAcrossRestartWithSnapshots: after a restart that loaded the
// table from a snapshot, a client can still resume with exactly the events
// it missed, even those from before the snapshot.
func TestResumeAcrossRestartWithSnapshots(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	cfg := testConfig()
	cfg.SnapshotEvery = 3
	ts := startServer(t, path, cfg)
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Matti Meikäläinen", "", "resident")
	c := ts.connect("matti", tbl.ID, session.RoleParticipant, p.Token, 0)
	var v session.View
	json.Unmarshal(c.expect("snapshot")["state"], &v)
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var want []int64
	for _, it := range v.Items[1:] {
		want = append(want, fac.must("item.open", map[string]any{"item": it.ID}))
	}
	want = append(want, fac.must("table.lock", nil), fac.must("table.unlock", nil))
	ts.stop()

	ts2 := startServer(t, path, cfg)
	back := ts2.connect("matti-back", tbl.ID, session.RoleParticipant, p.Token, v.Seq)
	back.waitSeq(want[len(want)-1])
	if got := back.eventSeqs(); !slices.Equal(got, want) {
		t.Fatalf("after restart, resumed events %v, want %v", got, want)
	}
}

// TestRemoteAddressBehindProxy: X-Forwarded-For is believed only from a
// trusted proxy, and only up to the first untrusted hop.
func TestRemoteAddressBehindProxy(t *testing.T) {
	s := New(Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}})
	cases := []struct{ peer, xff, want string }{
		{"203.0.113.5:4000", "", "203.0.113.5"},
		{"203.0.113.5:4000", "198.51.100.7", "203.0.113.5"},        // not from a proxy: header ignored
		{"10.1.2.3:4000", "198.51.100.7", "198.51.100.7"},          // from the proxy
		{"10.1.2.3:4000", "6.6.6.6, 198.51.100.7", "198.51.100.7"}, // a client-supplied first hop is not believed
		{"10.1.2.3:4000", "198.51.100.7, 10.9.9.9", "198.51.100.7"},
		{"10.1.2.3:4000", "garbage", "10.1.2.3"},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/ws", nil)
		r.RemoteAddr = tc.peer
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.remoteIP(r); got != tc.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", tc.peer, tc.xff, got, tc.want)
		}
	}
}
