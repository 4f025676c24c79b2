package web

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// getMinutes downloads minutes with an optional Authorization header.
func (ts *testServer) getMinutes(t *testing.T, path, auth string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.http.URL+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestMinutesDownload: the facilitator downloads the live table's minutes
// with the secret in a Bearer header; anyone else gets the same 403.
func TestMinutesDownload(t *testing.T) {
	ts := newTestServer(t)
	tbl := ts.createTable(demoTable())
	secret := tbl.FacilitatorSecret
	matti := ts.join(tbl.Code, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association")
	ts.join(tbl.Code, "Liisa Virtanen", "Ähtärin kaupunki", "municipality")
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, secret, 0)
	var view session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &view)
	discussion := view.Items[1].ID
	fac.must("item.open", map[string]any{"item": discussion})
	fac.must("idea.add", map[string]any{"item": discussion, "text": "Kunnan tilat maksutta yhdistysten käyttöön", "onBehalf": "Eeva Rantala"})
	fac.must("action.add", map[string]any{"item": discussion, "title": "Selvitetään tilojen maksuton käyttö",
		"owners": []map[string]any{{"participant": matti.Participant}, {"org": "Soinin kunta"}}, "due": "2027-04-30"})

	base := "/api/tables/" + tbl.ID + "/minutes"
	resp, body := ts.getMinutes(t, base, "Bearer "+secret)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("minutes: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	_, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || params["filename"] != "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.md" {
		t.Errorf("Content-Disposition %q", resp.Header.Get("Content-Disposition"))
	}
	md := string(body)
	for _, want := range []string{"# Muistio: Ähtärin ja Soinin kumppanuuspöytä", "Kunnan tilat maksutta yhdistysten käyttöön",
		"Eeva Rantala", "Matti Meikäläinen (Ähtärin Urheilijat ry); Soinin kunta", "30.4.2027"} {
		if !strings.Contains(md, want) {
			t.Errorf("minutes lack %q:\n%s", want, md)
		}
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Error("minutes may be cached")
	}

	// Other formats and options.
	for _, c := range []struct {
		query, ctype, file string
		check              func([]byte) bool
	}{
		{"?format=html&lang=en", "text/html; charset=utf-8", "minutes-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.html",
			func(b []byte) bool { return bytes.Contains(b, []byte("Agreed actions")) }},
		{"?format=json&names=0", "application/json; charset=utf-8", "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.json",
			func(b []byte) bool { return json.Valid(b) && !bytes.Contains(b, []byte("Matti")) }},
		{"?format=csv&lang=sv", "text/csv; charset=utf-8", "atgarder-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.csv",
			func(b []byte) bool { return bytes.HasPrefix(b, []byte("\uFEFFÅtgärd;")) }},
		{"?format=csv&what=ideas&hidden=1", "text/csv; charset=utf-8", "ideat-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.csv",
			func(b []byte) bool { return bytes.Contains(b, []byte("Kunnan tilat")) }},
		{"?format=docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.docx",
			func(b []byte) bool { _, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); return err == nil }},
	} {
		resp, body := ts.getMinutes(t, base+c.query, "Bearer "+secret)
		_, params, _ := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != c.ctype || params["filename"] != c.file || !c.check(body) {
			t.Errorf("%s: %d %q %q", c.query, resp.StatusCode, resp.Header.Get("Content-Type"), params["filename"])
		}
	}

	// Refusals: all the same 403 with our error body, nothing of the table in it.
	other := ts.createTable(demoTable())
	for name, c := range map[string]struct{ path, auth string }{
		"missing":        {base, ""},
		"wrong":          {base, "Bearer not-the-secret"},
		"not bearer":     {base, "Basic " + secret},
		"empty bearer":   {base, "Bearer "},
		"participant":    {base, "Bearer " + matti.Token},
		"other table's":  {base, "Bearer " + other.FacilitatorSecret},
		"unknown table":  {"/api/tables/00000000-0000-0000-0000-000000000000/minutes", "Bearer " + secret},
		"secret in url":  {base + "?token=" + secret + "&secret=" + secret, ""},
		"wrong with fmt": {base + "?format=docx", "Bearer x"},
	} {
		resp, body := ts.getMinutes(t, c.path, c.auth)
		var eb errorBody
		if resp.StatusCode != http.StatusForbidden || json.Unmarshal(body, &eb) != nil || eb.Error.Code != session.CodeUnauthorized {
			t.Errorf("%s: %d %s, want 403 unauthorized", name, resp.StatusCode, body)
		}
		if bytes.Contains(body, []byte("Ähtäri")) || resp.Header.Get("Content-Disposition") != "" {
			t.Errorf("%s: the refusal leaks the table", name)
		}
	}
	for _, q := range []string{"?format=pdf", "?lang=de", "?what=ideas", "?format=csv&what=owners"} {
		if resp, _ := ts.getMinutes(t, base+q, "Bearer "+secret); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, resp.StatusCode)
		}
	}
}
