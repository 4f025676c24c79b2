package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// ownerCall calls the update link's API with a token.
func ownerCall(t *testing.T, ts *testServer, method, table, token, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, ts.http.URL+"/api/tables/"+table+"/update", strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestUpdateLink: a facilitator makes an update link for an action; its
// holder sees that action only and reports its status and a note, also
// after the table has closed; the organiser sees the report live; a
// revoked link, a wrong token and a bad status are refused and change
// nothing.
func TestUpdateLink(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	fac.expect("snapshot")
	fac.must("action.add", map[string]any{"title": "Kunnan tilat maksutta yhdistyksille", "due": "2027-04-30",
		"owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	var added session.ActionAdded
	fac.event("action.added", &added)
	fac.must("action.add", map[string]any{"title": "Toinen toimenpide"})
	fac.must("action.link", map[string]any{"action": added.Action.ID, "label": "Liisa / Ähtärin kaupunki"})
	var linked session.ActionLinked
	fac.event("action.linked", &linked)
	fac.must("table.close", nil)

	status, body := ownerCall(t, ts, "GET", tbl.ID, linked.Token, "")
	var view ownerAction
	json.Unmarshal([]byte(body), &view)
	if status != 200 || view.Action.Title != "Kunnan tilat maksutta yhdistyksille" || view.Owners[0].Org != "Ähtärin kaupunki" ||
		strings.Contains(body, "Toinen toimenpide") {
		t.Fatalf("the owner's view: %d %s", status, body)
	}
	status, body = ownerCall(t, ts, "POST", tbl.ID, linked.Token, `{"status":"in_progress","note":"Sopimus valmisteilla, päätös toukokuussa."}`)
	if status != http.StatusCreated {
		t.Fatalf("the report: %d %s", status, body)
	}
	var upd session.ActionUpdated
	fac.event("action.updated", &upd)
	if upd.Action != added.Action.ID || upd.Update.Status != "in_progress" || upd.Update.Link != linked.Link.ID {
		t.Fatalf("the organiser got %+v", upd)
	}
	for _, c := range []struct {
		token, body string
		want        int
	}{
		{linked.Token, `{"status":"valmis","note":"x"}`, http.StatusBadRequest},
		{linked.Token, `{"status":"done","note":"` + strings.Repeat("x", 2001) + `"}`, http.StatusBadRequest},
		{linked.Token, `{"status":"done","Note":"x"}`, http.StatusBadRequest},
		{"väärä-tunnus-0123456789abcdef", `{"status":"done"}`, http.StatusForbidden},
		{"", `{"status":"done"}`, http.StatusForbidden},
	} {
		if status, body := ownerCall(t, ts, "POST", tbl.ID, c.token, c.body); status != c.want {
			t.Errorf("POST %.40s with %.10q: %d %s, want %d", c.body, c.token, status, body, c.want)
		}
	}
	fac.must("action.unlink", map[string]any{"link": linked.Link.ID})
	if status, body := ownerCall(t, ts, "GET", tbl.ID, linked.Token, ""); status != http.StatusForbidden || !strings.Contains(body, "removed") {
		t.Errorf("a revoked link: %d %s", status, body)
	}
	// Only the one report is in the log.
	_, raw := ts.snapshot(tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret)
	if n := bytes.Count(raw, []byte(`"status":"in_progress"`)); n != 2 { // the action and its one update
		t.Errorf("the facilitator's view has %d in_progress marks: %s", n, raw)
	}
}
