package web

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
)

// TestSeriesFollowUp: the Kurikka table's open actions come to the next
// table of the series (Ähtäri–Soini) for review; its facilitator marks one
// done, carries one on and drops one, and the minutes report it.
func TestSeriesFollowUp(t *testing.T) {
	ts := newTestServer(t)
	first := demoTable()
	first.Title, first.Date = "Kurikan kumppanuuspöytä", "2027-02-24"
	a := ts.createTable(first)
	fa := ts.connect("fac-a", a.ID, session.RoleFacilitator, a.FacilitatorSecret, 0)
	var v session.View
	json.Unmarshal(fa.expect("snapshot")["state"], &v)
	for _, title := range []string{"Kylätalojen varausohjeet yhteen paikkaan", "Yhteinen tapahtumakalenteri", "Järjestöjen info-ilta", "Vanha juttu"} {
		fa.must("action.add", map[string]any{"item": v.Items[2].ID, "title": title, "owners": []map[string]any{{"org": "Kurikan kaupunki"}}})
	}
	av, _ := ts.snapshot(a.ID, session.RoleFacilitator, a.FacilitatorSecret)
	fa.must("action.edit", map[string]any{"action": av.Actions[3].ID, "status": "done"}) // "Vanha juttu" is done already
	fa.must("table.close", nil)

	// Only the holder of the earlier facilitator link can continue the series.
	next := demoTable()
	next.Agenda = nil
	status, eb := ts.post("/api/tables", map[string]any{"title": "Ähtärin ja Soinin kumppanuuspöytä", "date": "2027-02-25",
		"from": map[string]any{"table": a.Code, "secret": "arvaus"}}, nil)
	if status != http.StatusForbidden || eb.Error.Code != session.CodeUnauthorized {
		t.Fatalf("continuing with a wrong secret: %d %+v", status, eb)
	}
	var b tables.Created
	if status, eb := ts.post("/api/tables", map[string]any{"title": "Ähtärin ja Soinin kumppanuuspöytä", "date": "2027-02-25",
		"from": map[string]any{"table": strings.ToLower(a.Code), "secret": a.FacilitatorSecret}}, &b); status != http.StatusCreated {
		t.Fatalf("continue the series: %d %+v", status, eb)
	}
	if b.FollowUps != 3 {
		t.Fatalf("%d actions brought for review, want the 3 not done", b.FollowUps)
	}
	fb := ts.connect("fac-b", b.ID, session.RoleFacilitator, b.FacilitatorSecret, 0)
	var bv session.View
	json.Unmarshal(fb.expect("snapshot")["state"], &bv)
	if len(bv.Items) != 4 || bv.Items[0].ID != bv.FollowItem || bv.Items[1].Title != "Kaupungin tervehdys" || bv.Table.Theme != first.Theme {
		t.Fatalf("the new table's agenda: %+v", bv.Items)
	}
	fb.must("followup.mark", map[string]any{"action": bv.FollowUps[0].Action, "outcome": "done", "note": "Ohjeet julkaistu kaupungin sivuilla."})
	fb.must("followup.mark", map[string]any{"action": bv.FollowUps[1].Action, "outcome": "carried"})
	fb.must("followup.mark", map[string]any{"action": bv.FollowUps[2].Action, "outcome": "dropped", "note": "Ei tekijöitä."})
	after, _ := ts.snapshot(b.ID, session.RoleFacilitator, b.FacilitatorSecret)
	if len(after.Actions) != 1 || after.Actions[0].Title != "Yhteinen tapahtumakalenteri" || after.Actions[0].Owners[0].Org != "Kurikan kaupunki" {
		t.Fatalf("the carried action: %+v", after.Actions)
	}

	// The minutes of the new table report the review.
	req, _ := http.NewRequest("GET", ts.http.URL+"/api/tables/"+b.ID+"/minutes?format=md&lang=fi", nil)
	req.Header.Set("Authorization", "Bearer "+b.FacilitatorSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	md := string(body)
	for _, want := range []string{"Kylätalojen varausohjeet yhteen paikkaan", "Tehty", "Jatkuu", "Luovuttu", "Ohjeet julkaistu kaupungin sivuilla", "Kurikan kumppanuuspöytä"} {
		if !strings.Contains(md, want) {
			t.Errorf("the minutes do not mention %q:\n%s", want, md)
		}
	}
}
