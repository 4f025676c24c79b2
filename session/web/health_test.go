package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/store"
)

// getJSON asks path and decodes the JSON answer.
func (ts *testServer) getJSON(path string) (int, map[string]any) {
	ts.t.Helper()
	resp, err := http.Get(ts.http.URL + path)
	if err != nil {
		ts.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		ts.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		ts.t.Fatalf("GET %s: decode: %v", path, err)
	}
	return resp.StatusCode, body
}

func TestHealthRoutes(t *testing.T) {
	ts := newTestServer(t)
	for _, c := range []struct {
		path   string
		status string
	}{{"/livez", "ok"}, {"/readyz", "ready"}, {"/readyz", "ready"}, {"/healthz", "ok"}} {
		code, body := ts.getJSON(c.path)
		if code != http.StatusOK || body["status"] != c.status {
			t.Errorf("GET %s: %d %v, want 200 with status %q", c.path, code, body, c.status)
		}
	}
}

// TestNotReadyWhenClosed: a server whose database is closed is alive but
// not ready.
func TestNotReadyWhenClosed(t *testing.T) {
	ts := newTestServer(t)
	if err := ts.db.Close(); err != nil {
		t.Fatal(err)
	}
	code, body := ts.getJSON("/readyz")
	if code != http.StatusServiceUnavailable || body["status"] != "unavailable" || !strings.Contains(body["reason"].(string), "closed") {
		t.Fatalf("GET /readyz with the database closed: %d %v", code, body)
	}
	if code, _ := ts.getJSON("/livez"); code != http.StatusOK {
		t.Fatalf("GET /livez with the database closed: %d, want 200: the process still answers", code)
	}
}

// TestNotReadyOnReadOnlyFile: a database file that cannot be written opens
// and serves reads, but the server is not ready; alive all the same.
func TestNotReadyOnReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenStore(t, path)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		// Permissions do not stop root; an immutable file does.
		if out, err := exec.Command("chattr", "+i", path).CombinedOutput(); err != nil {
			t.Skipf("running as root and cannot make the file immutable (chattr +i: %v %s)", err, out)
		}
		t.Cleanup(func() { exec.Command("chattr", "-i", path).Run() })
	}
	ts := startServer(t, path, testConfig())
	code, body := ts.getJSON("/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body["reason"].(string), "readonly") {
		t.Fatalf("GET /readyz on a read-only file: %d %v", code, body)
	}
	if code, _ := ts.getJSON("/livez"); code != http.StatusOK {
		t.Fatalf("GET /livez on a read-only file: %d", code)
	}
	// Creating a table needs a write, and says so.
	if code, eb := ts.post("/api/tables", demoTable(), nil); code != http.StatusInternalServerError && code != http.StatusServiceUnavailable {
		t.Fatalf("creating a table on a read-only file: %d %+v", code, eb)
	}
}

// TestReadinessChecksAtMostOnceASecond: while the database is fine,
// /readyz costs the writer one check a second however often it is asked;
// a failure is checked again at once.
func TestReadinessChecksAtMostOnceASecond(t *testing.T) {
	ts := newTestServer(t)
	st := &countingStore{Store: ts.db}
	now := time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)
	rd := readiness{now: func() time.Time { return now }}
	check := func(want int) {
		t.Helper()
		for range 20 {
			if err := rd.check(context.Background(), st); (err != nil) != st.fail {
				t.Fatalf("check: %v with the store failing: %v", err, st.fail)
			}
		}
		if st.n != want {
			t.Fatalf("%d checks of the store, want %d", st.n, want)
		}
	}
	check(1)
	now = now.Add(readyFor - time.Millisecond)
	check(1)
	now = now.Add(time.Millisecond)
	check(2)
	now = now.Add(readyFor)
	st.fail = true
	check(22)
	st.fail = false
	check(23)
}

type countingStore struct {
	Store
	n    int
	fail bool
}

func (c *countingStore) Ready(ctx context.Context) error {
	c.n++
	if c.fail {
		return errors.New("store: ready: the database is closed")
	}
	return c.Store.Ready(ctx)
}

var _ Store = (*store.DB)(nil)
