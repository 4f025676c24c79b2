package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// setFileSizeLimit changes the file size limit (RLIMIT_FSIZE) of a running
// process: with 1 byte every write the database makes fails as on a full
// disk (EFBIG instead of ENOSPC), without touching the file system.
func setFileSizeLimit(t *testing.T, pid int, limit string) {
	t.Helper()
	if out, err := exec.Command("prlimit", "--pid", strconv.Itoa(pid), "--fsize="+limit).CombinedOutput(); err != nil {
		t.Fatalf("prlimit: %v %s", err, out)
	}
}

// TestStorageFailureMidMeeting: while the database cannot be written, a
// participant's idea gets a clear error and no ack, the server keeps
// running and serving, and once writing works again the retried idea is
// stored exactly once.
func TestStorageFailureMidMeeting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary")
	}
	if _, err := exec.LookPath("prlimit"); err != nil {
		t.Fatal("prlimit (util-linux) is needed to simulate a full disk")
	}
	bin := buildPoyta(t)
	db := filepath.Join(t.TempDir(), "poyta.db")
	p := startPoyta(t, bin, db)
	base := "http://" + p.addr
	var tbl struct{ ID, Code, FacilitatorSecret string }
	post(t, base+"/api/tables", `{"title":"Joutsan elinvoimapaja","agenda":[{"title":"Yhteistyösuunnitelma"}]}`, &tbl)
	var j struct{ Participant, Token string }
	post(t, base+"/api/join", `{"code":"`+tbl.Code+`","name":"Anu Hätinen","org":"Keski-Suomen Yhteisöjen Tuki ry","sector":"association"}`, &j)
	item := firstItem(t, p.addr, tbl.ID, tbl.FacilitatorSecret)

	conn, _, err := websocket.DefaultDialer.Dial("ws://"+p.addr+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.WriteJSON(map[string]any{"op": "hello", "table": tbl.ID, "role": "participant", "token": j.Token})
	reply := func(id string) (typ, code string) {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				t.Fatalf("waiting for the answer to %s: %v", id, err)
			}
			for _, line := range bytes.Split(frame, []byte("\n")) {
				var m struct{ Type, ID, Code string }
				json.Unmarshal(line, &m)
				if (m.Type == "ack" || m.Type == "error") && m.ID == id {
					return m.Type, m.Code
				}
			}
		}
	}
	idea := func(id, text string) (string, string) {
		conn.WriteJSON(map[string]any{"id": id, "op": "idea.add", "item": item, "text": text})
		return reply(id)
	}
	if typ, code := idea("i1", "Yhteinen tapahtumakalenteri"); typ != "ack" {
		t.Fatalf("first idea: %s %s", typ, code)
	}

	setFileSizeLimit(t, p.cmd.Process.Pid, "1:unlimited") // soft limit only, so it can be raised again
	typ, code := idea("i2", "Kylätalot yhteiskäyttöön")
	if typ != "error" || code != "unavailable" {
		t.Fatalf("with the disk full: %s %s, want error unavailable", typ, code)
	}
	// The server is still up and serving reads.
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz while the disk is full: %v", err)
	}
	resp.Body.Close()

	setFileSizeLimit(t, p.cmd.Process.Pid, "unlimited:unlimited")
	if typ, code := idea("i2", "Kylätalot yhteiskäyttöön"); typ != "ack" {
		t.Fatalf("the retried idea after recovery: %s %s", typ, code)
	}
	if typ, code := idea("i3", "Järjestöjen info-ilta"); typ != "ack" {
		t.Fatalf("a new idea after recovery: %s %s", typ, code)
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	<-p.done

	sdb, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	var check string
	sdb.QueryRow("PRAGMA integrity_check").Scan(&check)
	if check != "ok" {
		t.Fatalf("integrity_check: %s", check)
	}
	for _, op := range []string{"i1", "i2", "i3"} {
		var n int
		sdb.QueryRow("SELECT count(*) FROM events WHERE op = ?", "p:"+j.Participant+" "+op).Scan(&n)
		if n != 1 {
			t.Errorf("op %s is in the log %d times, want once", op, n)
		}
	}
	var last, count int64
	sdb.QueryRow("SELECT max(seq), count(*) FROM events WHERE table_id = ?", tbl.ID).Scan(&last, &count)
	if last != count {
		t.Fatalf("seqs have a gap: max %d, %d events", last, count)
	}
}
