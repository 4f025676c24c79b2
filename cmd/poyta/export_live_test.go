package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestExportWhileServing runs the real `poyta serve` while three clients
// write ideas over websockets, and meanwhile exports the table again and
// again in-process from the same database file. Every export succeeds and
// shows a consistent state: each writer's ideas are a gapless prefix of
// what it wrote (it waits for each ack before the next idea), and the
// table's seq never goes back.
func TestExportWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildPoyta(t)
	db := filepath.Join(t.TempDir(), "poyta.db")
	p := startPoyta(t, bin, db)
	base := "http://" + p.addr

	var tbl struct{ ID, Code, FacilitatorSecret string }
	post(t, base+"/api/tables", `{"title":"Ähtärin ja Soinin kumppanuuspöytä","date":"2027-02-25","lang":"fi",`+
		`"agenda":[{"title":"Keskustelu: järjestöystävällinen kunta","question":"Mikä tekisi kunnastamme järjestöystävällisemmän?"}]}`, &tbl)
	type writer struct {
		name, role, token string
	}
	writers := []writer{{name: "f", role: "facilitator", token: tbl.FacilitatorSecret}}
	for _, n := range []string{"Riikka Salo", "Erkki Mäkinen"} {
		var j struct{ Token string }
		post(t, base+"/api/join", fmt.Sprintf(`{"code":%q,"name":%q,"sector":"association"}`, tbl.Code, n), &j)
		writers = append(writers, writer{name: fmt.Sprintf("p%d", len(writers)), role: "participant", token: j.Token})
	}

	const run = 2 * time.Second
	stop := time.Now().Add(run)
	var wg sync.WaitGroup
	acked := make([]int, len(writers))
	errs := make(chan error, len(writers))
	for w, wr := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := writeIdeas(p.addr, tbl.ID, wr.role, wr.token, wr.name, stop)
			acked[w] = n
			if err != nil {
				errs <- fmt.Errorf("%s: %w", wr.name, err)
			}
		}()
	}

	ideaRe := regexp.MustCompile(`^Idea ([a-z0-9]+)-([0-9]+)$`)
	exports, lastSeq := 0, int64(0)
	check := func(out string) {
		var doc struct {
			Table struct{ Seq int64 }
			Items []struct{ Ideas []struct{ Text string } }
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("export %d is not JSON: %v", exports, err)
		}
		if doc.Table.Seq < lastSeq {
			t.Errorf("export %d: seq %d after %d", exports, doc.Table.Seq, lastSeq)
		}
		lastSeq = doc.Table.Seq
		seen := map[string][]int{}
		for _, i := range doc.Items[0].Ideas {
			m := ideaRe.FindStringSubmatch(i.Text)
			if m == nil {
				t.Fatalf("export %d: unexpected idea %q", exports, i.Text)
			}
			n, _ := strconv.Atoi(m[2])
			seen[m[1]] = append(seen[m[1]], n)
		}
		for who, ns := range seen {
			for k, n := range ns {
				if n != k+1 {
					t.Fatalf("export %d: %s's ideas are %v, not a gapless prefix", exports, who, ns)
				}
			}
		}
	}
	for time.Now().Before(stop) {
		args := []string{"export", tbl.Code, "--db", db, "--format", "json"}
		out, _, err := runCmd(t, "", args...)
		if err != nil {
			t.Fatalf("export %d while serving: %v", exports, err)
		}
		check(out)
		if exports%5 == 0 {
			if _, _, err := runCmd(t, "", "export", tbl.ID, "--db", db, "--format", "docx", "--out", t.TempDir()); err != nil {
				t.Fatalf("docx export while serving: %v", err)
			}
			if out, _, err := runCmd(t, "", "tables", "list", "--db", db); err != nil || !strings.Contains(out, tbl.Code) {
				t.Fatalf("tables list while serving: %v", err)
			}
		}
		exports++
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The last export has everything that was acknowledged.
	out, _, err := runCmd(t, "", "export", tbl.Code, "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	check(out)
	total := 0
	for _, n := range acked {
		total += n
	}
	if got := strings.Count(out, `"text": "Idea `); got != total || total < 10 {
		t.Errorf("final export has %d ideas, %d were acknowledged", got, total)
	}
	if bin := backupWhileServing(t, db); bin != "" {
		t.Error(bin)
	}
	t.Logf("%d exports during %s; %d ideas written", exports, run, total)
}

// writeIdeas says hello and adds "Idea <name>-1", "-2", … one after the
// other, each after the previous one's ack, until stop. It returns how
// many were acknowledged.
func writeIdeas(addr, table, role, token, name string, stop time.Time) (int, error) {
	conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"op": "hello", "table": table, "role": role, "token": token}); err != nil {
		return 0, err
	}
	item := ""
	read := func(want func(map[string]json.RawMessage) bool) error {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return err
			}
			for _, line := range bytes.Split(frame, []byte("\n")) {
				var m map[string]json.RawMessage
				json.Unmarshal(line, &m)
				if string(m["type"]) == `"error"` {
					return fmt.Errorf("refused: %s", line)
				}
				if want(m) {
					return nil
				}
			}
		}
	}
	err = read(func(m map[string]json.RawMessage) bool {
		if string(m["type"]) != `"snapshot"` {
			return false
		}
		var s struct {
			State struct{ Items []struct{ ID string } }
		}
		b, _ := json.Marshal(m)
		json.Unmarshal(b, &s)
		item = s.State.Items[0].ID
		return true
	})
	if err != nil {
		return 0, err
	}
	n := 0
	// 15 ideas a second stays under the per-connection rate limit.
	tick := time.NewTicker(66 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(stop) {
		<-tick.C
		id := fmt.Sprintf("%s-%d", name, n+1)
		if err := conn.WriteJSON(map[string]any{"id": id, "op": "idea.add", "item": item, "text": "Idea " + id}); err != nil {
			return n, err
		}
		if err := read(func(m map[string]json.RawMessage) bool {
			return string(m["type"]) == `"ack"` && string(m["id"]) == `"`+id+`"`
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// backupWhileServing backs up the database the server is writing and
// checks the copy opens; it returns a problem or "".
func backupWhileServing(t *testing.T, db string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "copy.db")
	if _, _, err := runCmd(t, "", "backup", dest, "--db", db); err != nil {
		return "backup while serving: " + err.Error()
	}
	cp := mustOpenStore(t, dest)
	defer cp.Close()
	return ""
}
