package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

// TestTableCreationIsLimited: one address can create a few tables at once
// and then only a few an hour, so that nobody fills the disk with tables;
// another address is not affected, and nothing is created when refused.
func TestTableCreationIsLimited(t *testing.T) {
	cfg := testConfig()
	cfg.TablesPerHour = 3
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	ts := startServer(t, "", cfg)
	create := func(from, body string) (int, string) {
		req, _ := http.NewRequest("POST", ts.http.URL+"/api/tables", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", from)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var eb errorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return resp.StatusCode, eb.Error.Code
	}
	const table = `{"title":"Kuopion kumppanuuspöytä","agenda":[{"title":"Vapaaehtoistoiminta"}]}`
	for i := range 3 {
		if status, code := create("198.51.100.7", table); status != http.StatusCreated {
			t.Fatalf("table %d: %d %s", i+1, status, code)
		}
	}
	for _, body := range []string{table, `{"title":`} {
		if status, code := create("198.51.100.7", body); status != http.StatusTooManyRequests || code != "rate_limited" {
			t.Fatalf("a 4th attempt %.20q: %d %s, want 429 rate_limited", body, status, code)
		}
	}
	if status, code := create("203.0.113.9", table); status != http.StatusCreated {
		t.Fatalf("another address: %d %s", status, code)
	}
	tables, err := ts.db.Tables(context.Background())
	if err != nil || len(tables) != 4 {
		t.Fatalf("%d tables in the store (%v), want 4", len(tables), err)
	}
}
