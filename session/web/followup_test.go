package web

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
	"github.com/poyta/poyta/session"
)

// facilitatorGet fetches a path with a facilitator's secret.
func facilitatorGet(t *testing.T, ts *testServer, path, secret string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.http.URL+path, nil)
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestFollowUpDownloads: a facilitator downloads the table's actions as an
// iCalendar file and the ideas and actions for Decidim; without the secret
// or with options a person got wrong, a clear refusal.
func TestFollowUpDownloads(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	fac.expect("snapshot")
	fac.must("action.add", map[string]any{"title": "Kunnan tilat maksutta yhdistyksille", "due": "2027-04-30",
		"owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	fac.must("action.add", map[string]any{"title": "Ilman määräaikaa"})

	resp, body := facilitatorGet(t, ts, "/api/tables/"+tbl.ID+"/actions.ics", tbl.FacilitatorSecret)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), ".ics") {
		t.Fatalf("ics: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("ics does not parse: %v", err)
	}
	if todos := cal.Children; len(todos) != 1 {
		t.Fatalf("%d components, want the one action with a due date", len(todos))
	} else if s, _ := todos[0].Props.Text(ical.PropSummary); s != "Kunnan tilat maksutta yhdistyksille" {
		t.Errorf("summary %q", s)
	}

	minutes := url.QueryEscape("https://www.ahtari.fi/muistio.pdf")
	resp, body = facilitatorGet(t, ts, "/api/tables/"+tbl.ID+"/decidim/results?format=csv&minutes="+minutes, tbl.FacilitatorSecret)
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if resp.StatusCode != 200 || err != nil || len(recs) != 3 || recs[0][0] != "title/fi" || !strings.Contains(recs[1][1], "https://www.ahtari.fi/muistio.pdf") {
		t.Fatalf("results: %d %v %q", resp.StatusCode, err, recs)
	}
	resp, body = facilitatorGet(t, ts, "/api/tables/"+tbl.ID+"/decidim/proposals?format=json&locale=sv&minutes="+minutes, tbl.FacilitatorSecret)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || strings.TrimSpace(string(body)) != "[]" {
		t.Fatalf("proposals of a table without ideas: %d %s", resp.StatusCode, body)
	}

	for _, c := range []struct {
		path, secret string
		want         int
	}{
		{"/api/tables/" + tbl.ID + "/actions.ics", "", http.StatusForbidden},
		{"/api/tables/" + tbl.ID + "/actions.ics", "wrong-secret-0123456789", http.StatusForbidden},
		{"/api/tables/" + tbl.ID + "/decidim/results?minutes=" + minutes, "", http.StatusForbidden},
		{"/api/tables/" + tbl.ID + "/decidim/results", tbl.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + tbl.ID + "/decidim/results?format=xlsx&minutes=" + minutes, tbl.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + tbl.ID + "/decidim/results?minutes=javascript:alert(1)", tbl.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + tbl.ID + "/decidim/budgets?minutes=" + minutes, tbl.FacilitatorSecret, http.StatusNotFound},
	} {
		if resp, body := facilitatorGet(t, ts, c.path, c.secret); resp.StatusCode != c.want {
			t.Errorf("GET %s: %d %s, want %d", c.path, resp.StatusCode, body, c.want)
		}
	}
}
