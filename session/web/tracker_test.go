package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// TestSeriesTracker: with the facilitator secret of either table of a
// series, the organiser gets every action of both (the carried one once),
// with an owner's report made through the update link; filtered, sorted;
// the report and the .ics for the whole series; a table of another series
// is not in it, and a wrong secret gets nothing.
func TestSeriesTracker(t *testing.T) {
	ts := newTestServer(t)
	a := ts.createTable(demoTable())
	fa := ts.connect("fa", a.ID, session.RoleFacilitator, a.FacilitatorSecret, 0)
	fa.expect("snapshot")
	fa.must("action.add", map[string]any{"title": "Tilavarauskalenteri", "due": "2099-04-30", "owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	var added session.ActionAdded
	fa.event("action.added", &added)
	fa.must("action.add", map[string]any{"title": "Yhdistysinfo kirjastolla", "due": "2020-03-15", "owners": []map[string]any{{"org": "Ähtärin kirjasto"}}})
	fa.must("action.link", map[string]any{"action": added.Action.ID, "label": "Ähtärin kaupunki"})
	var linked session.ActionLinked
	fa.event("action.linked", &linked)
	fa.must("table.close", nil)
	if status, body := ownerCall(t, ts, "POST", a.ID, linked.Token, `{"status":"in_progress","note":"Kilpailutus käynnissä."}`); status != http.StatusCreated {
		t.Fatalf("owner's report: %d %s", status, body)
	}

	var b tables.Created
	next := demoTable()
	next.Title, next.Date = "Soinin kumppanuuspöytä", "2027-05-20"
	if status, eb := ts.post("/api/tables", map[string]any{"title": next.Title, "date": next.Date,
		"from": map[string]any{"table": a.ID, "secret": a.FacilitatorSecret}}, &b); status != http.StatusCreated {
		t.Fatalf("next table: %d %+v", status, eb)
	}
	other := ts.createTable(demoTable()) // another series
	fb := ts.connect("fb", b.ID, session.RoleFacilitator, b.FacilitatorSecret, 0)
	fb.expect("snapshot")
	view, _ := ts.snapshot(b.ID, session.RoleFacilitator, b.FacilitatorSecret)
	if len(view.FollowUps) != 2 {
		t.Fatalf("%d follow-ups, want the 2 open actions", len(view.FollowUps))
	}
	for _, f := range view.FollowUps {
		if f.Title == "Tilavarauskalenteri" {
			if f.Status != session.StatusInProgress {
				t.Errorf("the next table's follow-up starts from %q, want the owner's in_progress", f.Status)
			}
			fb.must("followup.mark", map[string]any{"action": f.Action, "outcome": "carried"})
		}
	}
	fb.must("action.add", map[string]any{"title": "Kylätalojen avaimet", "owners": []map[string]any{{"org": "Soinin kyläyhdistys"}}})

	get := func(path, secret string) (int, []byte, http.Header) {
		resp, body := facilitatorGet(t, ts, path, secret)
		return resp.StatusCode, body, resp.Header
	}
	for _, c := range []struct{ table, secret string }{{a.ID, a.FacilitatorSecret}, {b.ID, b.FacilitatorSecret}} {
		status, body, _ := get("/api/tables/"+c.table+"/series", c.secret)
		var sv seriesView
		if err := json.Unmarshal(body, &sv); status != 200 || err != nil {
			t.Fatalf("series from %s: %d %v %s", c.table, status, err, body)
		}
		var titles []string
		for _, r := range sv.Rows {
			titles = append(titles, r.Title)
		}
		if sv.Series != a.ID || sv.Title != "Ähtärin ja Soinin kumppanuuspöytä" || len(sv.Tables) != 2 ||
			strings.Join(titles, "|") != "Yhdistysinfo kirjastolla|Tilavarauskalenteri|Kylätalojen avaimet" {
			t.Fatalf("series from %s: %+v", c.table, sv)
		}
		if r := sv.Rows[1]; r.Table != b.ID || r.Status != session.StatusInProgress || r.Update == nil || r.Update.Note != "Kilpailutus käynnissä." {
			t.Errorf("the carried action: %+v", r)
		}
		if !sv.Rows[0].Overdue {
			t.Errorf("due 2020-03-15 and open, not overdue: %+v", sv.Rows[0])
		}
		if sv.Rows[1].Overdue {
			t.Errorf("due 2099-04-30, overdue: %+v", sv.Rows[1])
		}
	}
	status, body, _ := get("/api/tables/"+b.ID+"/series?org=kirjasto&sort=title", b.FacilitatorSecret)
	if !strings.Contains(string(body), "Yhdistysinfo kirjastolla") || strings.Contains(string(body), "Kylätalojen") || status != 200 {
		t.Errorf("filtered by organisation: %d %s", status, body)
	}
	status, body, hd := get("/api/tables/"+b.ID+"/series/report?format=md&lang=fi", b.FacilitatorSecret)
	if status != 200 || !strings.Contains(hd.Get("Content-Disposition"), "seurantaraportti-") ||
		!strings.Contains(string(body), "# Seurantaraportti: Ähtärin ja Soinin kumppanuuspöytä") || !strings.Contains(string(body), "Kilpailutus käynnissä.") {
		t.Errorf("report: %d %v\n%s", status, hd, body)
	}
	status, body, _ = get("/api/tables/"+a.ID+"/series/actions.ics", a.FacilitatorSecret)
	cal, err := ical.NewDecoder(bytes.NewReader(body)).Decode()
	if status != 200 || err != nil || len(cal.Children) != 2 {
		t.Fatalf("series ics: %d %v %s", status, err, body)
	}
	status, body, _ = get("/api/tables/"+other.ID+"/series", other.FacilitatorSecret)
	if status != 200 || strings.Contains(string(body), "Tilavarauskalenteri") {
		t.Errorf("another series sees this one's actions: %s", body)
	}
	for _, c := range []struct {
		path, secret string
		want         int
	}{
		{"/api/tables/" + b.ID + "/series", a.FacilitatorSecret, http.StatusForbidden},
		{"/api/tables/" + b.ID + "/series", "", http.StatusForbidden},
		{"/api/tables/" + b.ID + "/series?status=valmis", b.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + b.ID + "/series?sort=random", b.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + b.ID + "/series/report?format=pdf", b.FacilitatorSecret, http.StatusBadRequest},
		{"/api/tables/" + b.ID + "/series/report?lang=de", b.FacilitatorSecret, http.StatusBadRequest},
	} {
		if status, body, _ := get(c.path, c.secret); status != c.want {
			t.Errorf("GET %s: %d %s, want %d", c.path, status, body, c.want)
		}
	}
}
