package web

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// hostileSetup is a table with a facilitator, a participant and an idea,
// and a second table whose ids must never work at the first.
type hostileSetup struct {
	ts              *testServer
	tbl, other      tables.Created
	fac, p          *wsClient
	item, idea      string
	otherItem       string
	otherIdea       string
	participant     Joined
	otherParticipnt Joined
}

func newHostile(t *testing.T, cfg serverConfig) *hostileSetup {
	t.Helper()
	h := &hostileSetup{ts: startServer(t, "", cfg)}
	h.tbl, h.other = h.ts.createTable(demoTable()), h.ts.createTable(demoTable())
	h.participant = h.ts.join(h.tbl.Code, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	h.otherParticipnt = h.ts.join(h.other.Code, "Muu Ihminen", "", "resident")
	h.fac = h.ts.connect("fac", h.tbl.ID, session.RoleFacilitator, h.tbl.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(h.fac.expect("snapshot")["state"], &v)
	h.item = v.Items[1].ID
	h.fac.must("item.open", map[string]any{"item": h.item})
	h.p = h.ts.connect("matti", h.tbl.ID, session.RoleParticipant, h.participant.Token, 0)
	h.p.must("idea.add", map[string]any{"item": h.item, "text": "Kylätalot yhteiskäyttöön"})
	var ia session.IdeaAdded
	h.fac.event("idea.added", &ia)
	h.idea = ia.Idea

	of := h.ts.connect("other-fac", h.other.ID, session.RoleFacilitator, h.other.FacilitatorSecret, 0)
	json.Unmarshal(of.expect("snapshot")["state"], &v)
	h.otherItem = v.Items[1].ID
	of.must("item.open", map[string]any{"item": h.otherItem})
	of.must("idea.add", map[string]any{"item": h.otherItem, "text": "Toisen pöydän idea"})
	of.event("idea.added", &ia)
	h.otherIdea = ia.Idea
	return h
}

// state is the facilitator's full view of the table, to check that refused
// input changed nothing.
func (h *hostileSetup) state(t *testing.T) string {
	t.Helper()
	_, raw := h.ts.snapshot(h.tbl.ID, session.RoleFacilitator, h.tbl.FacilitatorSecret)
	return string(raw)
}

// TestParticipantCannotUseFacilitatorOps: every facilitator-only op sent by
// a participant over the wire is refused with a forbidden-kind error, and
// the table is unchanged.
func TestParticipantCannotUseFacilitatorOps(t *testing.T) {
	cfg := testConfig()
	cfg.RateBurst = 1000
	h := newHostile(t, cfg)
	before := h.state(t)
	args := map[string]map[string]any{
		"table.edit":         {"title": "Kaapattu"},
		"table.lock":         nil,
		"table.unlock":       nil,
		"table.close":        nil,
		"table.reopen":       nil,
		"participant.remove": {"participant": h.participant.Participant},
		"item.add":           {"title": "Uusi"},
		"item.edit":          {"item": h.item, "title": "Uusi"},
		"item.move":          {"item": h.item, "index": 0},
		"item.remove":        {"item": h.item},
		"item.open":          {"item": h.item},
		"item.phase":         {"item": h.item, "phase": "vote"},
		"item.notes":         {"item": h.item, "notes": "x"},
		"item.voting":        {"item": h.item, "dots": 9},
		"item.reveal":        {"item": h.item, "revealed": true},
		"timer.start":        {"item": h.item},
		"timer.pause":        {"item": h.item},
		"timer.reset":        {"item": h.item},
		"idea.hide":          {"idea": h.idea},
		"idea.unhide":        {"idea": h.idea},
		"idea.merge":         {"idea": h.idea, "into": h.idea},
		"room.dots":          {"idea": h.idea, "group": "g", "dots": 3},
		"action.assign":      {"action": "a", "org": "x"},
		"action.unassign":    {"action": "a", "owner": "o"},
		"action.remove":      {"action": "a"},
		"floor.give":         {"participant": h.participant.Participant},
		"queue.clear":        nil,
		"group.add":          {"name": "Sali"},
		"group.rename":       {"group": "g", "name": "x"},
		"group.remove":       {"group": "g"},
	}
	for op, fields := range args {
		r := h.p.do(op, fields)
		if r.Type != "error" {
			t.Errorf("participant %s: %s, want refused", op, r.Type)
			continue
		}
		if kind := kindOfCode(r.Code); kind != session.KindForbidden {
			t.Errorf("participant %s: refused with %s (%s), want a forbidden kind", op, r.Code, kind)
		}
	}
	// The room screen may not write anything at all.
	screen := h.ts.connect("screen", h.tbl.ID, session.RoleScreen, screenToken(h.tbl), 0)
	for _, op := range session.Ops() {
		if r := screen.do(op, args[op]); r.Type != "error" || r.Code != session.CodeForbidden {
			t.Errorf("room screen %s: %s %s, want forbidden", op, r.Type, r.Code)
		}
	}
	if after := h.state(t); after != before {
		t.Fatalf("refused commands changed the table")
	}
}

func screenToken(c tables.Created) string {
	return c.ScreenLink[strings.IndexByte(c.ScreenLink, '#')+1:]
}

func kindOfCode(code string) session.Kind {
	switch code {
	case session.CodeForbidden, session.CodeNotOwner, session.CodeUnauthorized, session.CodeRemoved, session.CodeAnonDisabled:
		return session.KindForbidden
	}
	return "other"
}

// TestForeignIDsAreRefused: ids that do not exist or belong to another
// table are refused as not found, and nothing is written.
func TestForeignIDsAreRefused(t *testing.T) {
	h := newHostile(t, testConfig())
	before := h.state(t)
	cases := []struct {
		op     string
		fields map[string]any
		code   string
	}{
		{"idea.add", map[string]any{"item": h.otherItem, "text": "x"}, session.CodeNoItem},
		{"idea.edit", map[string]any{"idea": h.otherIdea, "text": "x"}, session.CodeNoIdea},
		{"idea.merge", map[string]any{"idea": h.idea, "into": h.otherIdea}, session.CodeNoIdea},
		{"idea.hide", map[string]any{"idea": "00000000-0000-4000-8000-000000000000"}, session.CodeNoIdea},
		{"item.open", map[string]any{"item": h.otherItem}, session.CodeNoItem},
		{"participant.remove", map[string]any{"participant": h.otherParticipnt.Participant}, session.CodeNoParticipant},
		{"action.assign", map[string]any{"action": "nope", "org": "x"}, session.CodeNoAction},
		{"floor.give", map[string]any{"participant": h.otherParticipnt.Participant}, session.CodeNoParticipant},
	}
	for _, tc := range cases {
		h.fac.refused(tc.code, tc.op, tc.fields)
	}
	if after := h.state(t); after != before {
		t.Fatalf("refused commands changed the table")
	}
}

// TestMalformedMessages: bytes no honest client sends get a clear error,
// the connection survives, and nothing is written.
func TestMalformedMessages(t *testing.T) {
	h := newHostile(t, testConfig())
	before := h.state(t)
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	cases := map[string]struct {
		msg  string
		code string
	}{
		"truncated":            {`{"id":"t1","op":"idea.add","item":"` + h.item + `","text":"kesken`, session.CodeBadMessage},
		"not json":             {`hello?`, session.CodeBadMessage},
		"array":                {`[1,2,3]`, session.CodeBadMessage},
		"deep nesting":         {`{"id":"t2","op":"idea.add","item":` + deep + `}`, session.CodeBadMessage},
		"duplicate keys":       {`{"id":"t3","op":"idea.add","item":"` + h.item + `","text":"yksi","text":"kaksi"}`, session.CodeBadMessage},
		"duplicate op":         {`{"id":"t4","op":"hand.raise","op":"table.close"}`, session.CodeBadMessage},
		"huge number":          {`{"id":"t5","op":"item.voting","item":"` + h.item + `","dots":1e400}`, session.CodeBadMessage},
		"wrong type":           {`{"id":"t6","op":"idea.add","item":"` + h.item + `","text":42}`, session.CodeBadMessage},
		"unknown op":           {`{"id":"t7","op":"table.destroy"}`, session.CodeUnknownOp},
		"unknown field":        {`{"id":"t8","op":"hand.raise","admin":true}`, session.CodeBadMessage},
		"trailing data":        {`{"id":"t9","op":"hand.raise"} {"op":"table.close"}`, session.CodeBadMessage},
		"NUL":                  {`{"id":"t10","op":"idea.add","item":"` + h.item + `","text":"a\u0000b"}`, session.CodeInvalidText},
		"lone surrogate":       {`{"id":"t11","op":"idea.add","item":"` + h.item + `","text":"a\ud800b"}`, session.CodeInvalidText},
		"invalid UTF-8":        {"{\"id\":\"t12\",\"op\":\"idea.add\",\"item\":\"" + h.item + "\",\"text\":\"a\xff\xfeb\"}", session.CodeInvalidText},
		"control character":    {`{"id":"t13","op":"participant.update","name":"a\u0007b"}`, session.CodeInvalidText},
		"hello again":          {`{"op":"hello","table":"` + h.tbl.ID + `","role":"facilitator","token":"` + h.tbl.FacilitatorSecret + `"}`, session.CodeAlreadyJoined},
		"too long in runes":    {`{"id":"t14","op":"idea.add","item":"` + h.item + `","text":"` + strings.Repeat("ä", session.MaxIdea+1) + `"}`, session.CodeTooLong},
		"id too long":          {`{"id":"` + strings.Repeat("x", 65) + `","op":"hand.raise"}`, session.CodeInvalidValue},
		"negative seconds":     {`{"id":"t15","op":"timer.start","item":"` + h.item + `","seconds":-5}`, session.CodeForbidden},
		"number as string":     {`{"id":"t16","op":"item.voting","item":"` + h.item + `","dots":"3"}`, session.CodeBadMessage},
		"null where string":    {`{"id":"t17","op":"hand.lower","participant":null}`, ""},
		"empty object":         {`{}`, session.CodeUnknownOp},
		"op with odd spelling": {`{"id":"t18","op":"IDEA.ADD"}`, session.CodeUnknownOp},
	}
	for name, tc := range cases {
		if err := h.p.conn.WriteMessage(websocket.TextMessage, []byte(tc.msg)); err != nil {
			t.Fatalf("%s: write: %v", name, err)
		}
		m := h.p.expectFunc("", func(m map[string]json.RawMessage) bool {
			typ := str(m["type"])
			return typ == "error" || typ == "ack"
		})
		if tc.code == "" {
			continue // accepted or refused on its merits; only the connection must survive
		}
		if str(m["type"]) != "error" || str(m["code"]) != tc.code {
			t.Errorf("%s: got %s %s (%s), want error %s", name, str(m["type"]), str(m["code"]), str(m["message"]), tc.code)
		}
		if strings.Contains(str(m["message"]), "kesken") {
			t.Errorf("%s: the error echoes the client's text", name)
		}
	}
	h.p.refused(session.CodeNotInQueue, "hand.lower", nil) // still connected and answered
	if after := h.state(t); after != before {
		t.Fatalf("malformed messages changed the table")
	}
}

// TestHTTPBodiesAreChecked: the HTTP API refuses duplicate keys, deep
// nesting and unknown fields like the websocket does.
func TestHTTPBodiesAreChecked(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	for name, body := range map[string]string{
		"duplicate key": `{"code":"` + tbl.Code + `","name":"Matti","name":"Admin"}`,
		"deep nesting":  `{"code":"` + tbl.Code + `","name":"Matti","org":` + strings.Repeat("[", 20) + strings.Repeat("]", 20) + `}`,
		"unknown field": `{"code":"` + tbl.Code + `","name":"Matti","role":"facilitator"}`,
		"trailing data": `{"code":"` + tbl.Code + `","name":"Matti"} {}`,
	} {
		resp, err := http.Post(ts.http.URL+"/api/join", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var eb errorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || eb.Error.Code != session.CodeBadMessage {
			t.Errorf("%s: %d %+v, want 400 bad_message", name, resp.StatusCode, eb)
		}
	}
	view, _ := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	if view.People.Total != 0 {
		t.Fatalf("refused joins added %d participants", view.People.Total)
	}
}

// TestOversizedFrameClosesConnection: a frame over the read limit closes
// the connection with 1009 and writes nothing.
func TestOversizedFrameClosesConnection(t *testing.T) {
	cfg := testConfig()
	cfg.MaxMessage = 4096
	h := newHostile(t, cfg)
	big := `{"id":"big","op":"item.notes","item":"` + h.item + `","notes":"` + strings.Repeat("a", 8000) + `"}`
	h.p.conn.WriteMessage(websocket.TextMessage, []byte(big))
	select {
	case ce := <-h.p.close:
		if ce.Code != websocket.CloseMessageTooBig {
			t.Fatalf("close code %d, want 1009", ce.Code)
		}
	case <-time.After(waitFor):
		t.Fatal("an oversized frame did not close the connection")
	}
}

// TestConnectionsPerAddressAreCapped: one address cannot open unlimited
// websockets; others can still connect.
func TestConnectionsPerAddressAreCapped(t *testing.T) {
	cfg := testConfig()
	cfg.MaxConnsPerIP = 5
	ts := startServer(t, "", cfg)
	var open []*websocket.Conn
	defer func() {
		for _, c := range open {
			c.Close()
		}
	}()
	for i := range 5 {
		c, _, err := ts.dial("cap", nil)
		if err != nil {
			t.Fatalf("connection %d refused: %v", i+1, err)
		}
		open = append(open, c)
	}
	if _, resp, err := ts.dial("cap", nil); err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the 6th connection from one address: %v, want 429", err)
	}
	open[0].Close()
	open = open[1:]
	// The slot is given back when a connection ends.
	var err error
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) { // poll: the slot frees when the server notices the close
		var c *websocket.Conn
		if c, _, err = ts.dial("cap", nil); err == nil {
			open = append(open, c)
			break
		}
	}
	if err != nil {
		t.Fatalf("after closing one, a new connection is still refused: %v", err)
	}
}

// TestSlowHeadersTimeOut: a client sending its request headers byte by
// byte (Slowloris) is cut off by the server's header timeout.
func TestSlowHeadersTimeOut(t *testing.T) {
	ts := startServer(t, "", testConfig())
	// The same handler behind an http.Server with a short header timeout, as
	// poyta serve configures one (10 s there).
	hs := httptest.NewUnstartedServer(ts.web.Handler())
	hs.Config.ReadHeaderTimeout = 300 * time.Millisecond
	hs.Start()
	defer hs.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(hs.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
	start := time.Now()
	for i := 0; i < len(req); i++ {
		if _, err := conn.Write([]byte{req[i]}); err != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
		if time.Since(start) > 3*time.Second {
			t.Fatal("the server kept a byte-by-byte request open for 3 s")
		}
	}
	conn.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 512)
	n, _ := conn.Read(buf)
	if n > 0 && !strings.Contains(string(buf[:n]), "408") && !strings.Contains(string(buf[:n]), "400") {
		t.Fatalf("unexpected answer to a slow request: %q", buf[:n])
	}
	_, err = conn.Write([]byte("X: y\r\n\r\n"))
	if _, err2 := conn.Read(buf); err == nil && err2 == nil {
		t.Fatal("the connection is still open after the header timeout")
	}
}

// TestResumeEdgeCases: resuming from too far back or from the future gets
// an explicit snapshot; never a silent gap.
func TestResumeEdgeCases(t *testing.T) {
	cfg := testConfig()
	cfg.ResumeWindow = 4
	h := newHostile(t, cfg)
	var last int64
	for i := range 10 {
		last = h.fac.must("item.notes", map[string]any{"item": h.item, "notes": fmt.Sprint("versio ", i)})
	}
	for name, since := range map[string]int64{"too old": 2, "future": last + 100} {
		c := h.ts.connect(name, h.tbl.ID, session.RoleParticipant, h.participant.Token, since)
		c.expect("snapshot")
		if got := c.lastSeq(); got != last {
			t.Errorf("%s: snapshot at %d, want %d", name, got, last)
		}
	}
	c := h.ts.connect("recent", h.tbl.ID, session.RoleParticipant, h.participant.Token, last-2)
	c.waitSeq(last)
	if seqs := c.eventSeqs(); len(seqs) != 2 || seqs[0] != last-1 {
		t.Errorf("recent: events %v, want exactly %d and %d", seqs, last-1, last)
	}
}

// TestCompressionIsNotNegotiated: permessage-deflate is never accepted,
// so there is no compression bomb to defuse.
func TestCompressionIsNotNegotiated(t *testing.T) {
	ts := newTestServer(t)
	d := websocket.Dialer{EnableCompression: true}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(ts.http.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if ext := resp.Header.Get("Sec-WebSocket-Extensions"); ext != "" {
		t.Fatalf("the server negotiated %q", ext)
	}
}

// TestTextIsKeptFaithfully: right-to-left overrides, zero-width joiners,
// combining marks and emoji are people's text: limits count characters and
// the text comes back exactly as written.
func TestTextIsKeptFaithfully(t *testing.T) {
	h := newHostile(t, testConfig())
	texts := []string{
		"Kylätalo \u202eolatälyk\u202c ja takaisin",       // bidi override
		"Yhteis\u200btyö ilman\u200d välilyöntiä",         // zero-width space and joiner
		"Ä" + "\u0308\u0308" + " ja n\u0303 ja a\u030a",   // combining marks
		"Perheet 👨‍👩‍👧‍👦 ja lemmikit 🐕‍🦺",                 // emoji sequences
		strings.Repeat("ä", session.MaxIdea-1) + "\u0301", // 1000 characters, 2001 bytes
	}
	for i, text := range texts {
		r := h.p.do("idea.add", map[string]any{"item": h.item, "text": text})
		if r.Type != "ack" {
			t.Fatalf("text %d refused: %s %s", i, r.Code, r.Message)
		}
	}
	v, _ := h.ts.snapshot(h.tbl.ID, session.RoleFacilitator, h.tbl.FacilitatorSecret)
	got := map[string]bool{}
	for _, i := range v.Ideas {
		got[i.Text] = true
	}
	for i, text := range texts {
		if !got[text] {
			t.Errorf("text %d did not come back exactly as written", i)
		}
	}
	// One character more than the limit is refused, counted in characters.
	h.p.refused(session.CodeTooLong, "idea.add", map[string]any{"item": h.item, "text": strings.Repeat("ä", session.MaxIdea+1)})
}

// TestPersistentFloodIsClosed: a connection sending ~750 messages a second
// gets one through every 50 ms, which used to reset the "refusals in a
// row" count, so it was never closed and got an answer for every refused
// message (issue 10). It must be closed with 1008 "flooding" within a few
// seconds, get few answers, and leave another client's acks unhurt.
func TestPersistentFloodIsClosed(t *testing.T) {
	ts := startServer(t, "", testConfig()) // the production rate: 20/s, burst 40
	tbl := ts.createTable(demoTable())
	p := ts.join(tbl.Code, "Tulva Testaaja", "", "resident")
	q := ts.join(tbl.Code, "Liisa Virtanen", "", "resident")
	flooder := ts.connect("flooder", tbl.ID, session.RoleParticipant, p.Token, 0)
	other := ts.connect("liisa", tbl.ID, session.RoleParticipant, q.Token, 0)

	// The other client raises and lowers its hand ten times a second and
	// times each ack.
	stop := make(chan struct{})
	latencies := make(chan []time.Duration, 1)
	var done atomic.Int64 // the other client's completed ops
	go func() {
		var ds []time.Duration
		defer func() { latencies <- ds }()
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			start := time.Now()
			op := []string{"hand.raise", "hand.lower"}[i%2]
			if r := other.do(op, nil); r.Type != "ack" {
				t.Errorf("the other client's %s: %s %s", op, r.Code, r.Message)
				return
			}
			ds = append(ds, time.Since(start))
			done.Add(1)
		}
	}()

	sent, start := 0, time.Now()
	tick := time.NewTicker(4 * time.Millisecond)
	var closed *websocket.CloseError
flood:
	for time.Since(start) < 15*time.Second {
		select {
		case closed = <-flooder.close:
			break flood
		case <-tick.C:
		}
		for range 3 { // 3 per 4 ms: 750 a second
			if flooder.conn.WriteMessage(websocket.TextMessage, []byte(`{"id":"f-`+itoa(sent)+`","op":"hand.raise"}`)) != nil {
				break
			}
			sent++
		}
	}
	tick.Stop()
	if closed == nil {
		select {
		case closed = <-flooder.close:
		case <-time.After(waitFor):
			t.Fatalf("a connection sending 750 messages a second was not closed in %s (%d sent)", time.Since(start).Round(time.Second), sent)
		}
	}
	took := time.Since(start)
	if closed.Code != websocket.ClosePolicyViolation || closed.Text != "flooding" {
		t.Fatalf("the flooder was closed with %d %q, want 1008 \"flooding\"", closed.Code, closed.Text)
	}
	answered := 0
	for m := range flooder.msgs {
		if str(m["type"]) == "error" && str(m["code"]) == session.CodeRateLimited {
			answered++
		}
	}
	if answered*5 > sent {
		t.Errorf("%d of %d flood messages were answered rate_limited; a flood should get few answers", answered, sent)
	}
	// A few more of the other client's ops after the close.
	atClose := done.Load()
	eventually(t, "the other client's ops after the flooder was closed", func() bool { return done.Load() >= atClose+3 })
	close(stop)
	ds := <-latencies
	if len(ds) < 10 {
		t.Fatalf("the other client completed only %d ops during the flood", len(ds))
	}
	slices.Sort(ds)
	t.Logf("flood of %d messages closed after %s with %d rate_limited answers; the other client's ack p50 %s, p99 %s, max %s over %d ops",
		sent, took.Round(time.Millisecond), answered, ds[len(ds)/2].Round(time.Microsecond),
		ds[(len(ds)*99)/100].Round(time.Microsecond), ds[len(ds)-1].Round(time.Microsecond), len(ds))
}
