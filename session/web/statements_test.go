package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestStatements: the accessibility statement and the privacy notice are
// served in Finnish, Swedish and English, under a name in each language,
// with the deployer's part where it is given and a note of what to fill
// in where it is not.
func TestStatements(t *testing.T) {
	ts := newTestServer(t) // no site configuration
	for _, c := range []struct{ path, lang, want string }{
		{"/accessibility?lang=fi", "fi", "Saavutettavuusseloste"},
		{"/saavutettavuus", "fi", "Traficom"},
		{"/tillganglighet", "sv", "Tillgänglighetsutlåtande"},
		{"/accessibility?lang=en", "en", "Known shortcomings"},
		{"/privacy?lang=fi", "fi", "Tietosuojaseloste"},
		{"/dataskydd", "sv", "Dataskyddsbeskrivning"},
		{"/privacy?lang=en", "en", "does not store your IP address"},
	} {
		resp, body := get(t, ts.http.URL+c.path, nil)
		if resp.StatusCode != 200 || !strings.Contains(body, c.want) || !strings.Contains(body, `<html lang="`+c.lang+`">`) {
			t.Errorf("%s: %d, want %q in %s", c.path, resp.StatusCode, c.want, c.lang)
		}
		if !strings.Contains(body, `class="missing"`) {
			t.Errorf("%s: without configuration the page does not say what to fill in", c.path)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", c.path, csp)
		}
	}
	if resp, body := get(t, ts.http.URL+"/privacy", http.Header{"Accept-Language": {"sv-FI,sv;q=0.9,en;q=0.5"}}); !strings.Contains(body, `lang="sv"`) || resp.Header.Get("Content-Language") != "sv" {
		t.Errorf("Accept-Language sv: %s", resp.Header.Get("Content-Language"))
	}

	cfg := testConfig()
	cfgSite := Site{Organisation: "Ähtärin kaupunki", Feedback: "saavutettavuus@ahtari.example", Reviewed: "2027-01-15",
		PrivacyEmail: "tietosuoja@ahtari.example", DPO: "Tietosuojavastaava, puh. 040 123 4567", Retention: 365 * 24 * time.Hour, RetentionText: "365d"}
	configured := startServerSite(t, cfg, cfgSite)
	_, body := get(t, configured.http.URL+"/accessibility", nil)
	for _, want := range []string{"Ähtärin kaupunki", "saavutettavuus@ahtari.example", "2027-01-15"} {
		if !strings.Contains(body, want) {
			t.Errorf("the accessibility statement lacks %q", want)
		}
	}
	_, body = get(t, configured.http.URL+"/privacy", nil)
	for _, want := range []string{"Ähtärin kaupunki", "tietosuoja@ahtari.example", "040 123 4567", "365d"} {
		if !strings.Contains(body, want) {
			t.Errorf("the privacy notice lacks %q", want)
		}
	}
	if strings.Contains(body, `class="missing"`) {
		t.Error("a configured privacy notice still says what to fill in")
	}
}
