package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/tables"
	"github.com/poyta/poyta/static"
)

// The OpenAPI document is held to the server by sending the real server a
// request for every route and every status the document declares, and
// validating each request and answer against the document with
// kin-openapi (which validates OpenAPI 3.1 schemas as JSON Schema 2020-12).
// A status the server answers that the document lacks fails, and so does
// one the document declares that no request here provokes.

// docsCopy is the copy of the document for readers of docs/.
const docsCopy = "../../docs/openapi.yaml"

// contract is the loaded document, its router and what the test exercised.
type contract struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]bool // "METHOD /path status"
}

var registerDecoders sync.Once

func loadContract(t *testing.T) *contract {
	t.Helper()
	registerDecoders.Do(func() {
		// Text bodies are validated as strings; docx and the answers in
		// CSV have no schema to validate against (openapi.yaml).
		for _, ct := range []string{"text/markdown", "text/html", "image/svg+xml", "text/calendar", "text/csv"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
	})
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPI)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.yaml is OpenAPI %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return &contract{t: t, doc: doc, router: router, seen: map[string]bool{}}
}

// bearer is the check of the document's security scheme: an
// Authorization header of the form "Bearer <credential>".
func bearerScheme(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme, cred, ok := strings.Cut(in.RequestValidationInput.Request.Header.Get("Authorization"), " ")
	if !ok || scheme != "Bearer" || cred == "" {
		return errors.New("no bearer credential")
	}
	return nil
}

// call is one request of the test.
type call struct {
	method, path string
	header       map[string]string
	body         []byte
	// outside says the request breaks the document on purpose (a field
	// too long, a missing credential): the document must refuse it, and
	// the server's answer must still be as documented.
	outside bool
	want    int
	csv     bool // the body is a CSV file, not JSON
}

// do sends c to ts, validates both sides and returns the answer's body.
func (k *contract) do(ts *testServer, c call) []byte {
	k.t.Helper()
	var body io.Reader
	if c.body != nil {
		body = bytes.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, ts.http.URL+c.path, body)
	if err != nil {
		k.t.Fatal(err)
	}
	if c.body != nil {
		req.Header.Set("Content-Type", "application/json")
		if c.csv {
			req.Header.Set("Content-Type", "text/csv")
		}
	}
	for name, v := range c.header {
		req.Header.Set(name, v)
	}
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		k.t.Fatalf("%s %s: not in openapi.yaml: %v", c.method, c.path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerScheme}}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	switch {
	case c.outside && reqErr == nil:
		k.t.Errorf("%s %s: the request is outside the document on purpose, but the document accepts it", c.method, c.path)
	case !c.outside && reqErr != nil:
		k.t.Errorf("%s %s: the request does not match openapi.yaml: %v", c.method, c.path, reqErr)
	}
	if c.body != nil {
		req.Body = io.NopCloser(bytes.NewReader(c.body)) // validation read it
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		k.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	var got []byte
	if resp.StatusCode != http.StatusSwitchingProtocols {
		got, _ = io.ReadAll(resp.Body)
	}
	resp.Body.Close()
	if resp.StatusCode != c.want {
		k.t.Fatalf("%s %s: %d %.300s, want %d", c.method, c.path, resp.StatusCode, got, c.want)
	}
	if route.Operation.Responses.Status(resp.StatusCode) == nil {
		k.t.Errorf("%s %s: status %d is not in openapi.yaml", c.method, route.Path, resp.StatusCode)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(got)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		k.t.Errorf("%s %s: the answer %d does not match openapi.yaml: %v\n%.500s", c.method, c.path, resp.StatusCode, err, got)
	}
	k.mu.Lock()
	k.seen[fmt.Sprintf("%s %s %d", route.Method, route.Path, resp.StatusCode)] = true
	k.mu.Unlock()
	return got
}

func jsonBody(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// upgrade is the header of a websocket handshake.
func upgrade(extra map[string]string) map[string]string {
	h := map[string]string{"Upgrade": "websocket", "Connection": "Upgrade",
		"Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
	for k, v := range extra {
		h[k] = v
	}
	return h
}

// TestOpenAPIMatchesTheServer sends every route of the document its
// successes and its errors.
func TestOpenAPIMatchesTheServer(t *testing.T) {
	k := loadContract(t)
	cfg := testConfig()
	cfg.Static = static.FS()
	ts := startServer(t, "", cfg)

	// Health and the document itself.
	for _, p := range []string{"/livez", "/readyz", "/healthz"} {
		k.do(ts, call{method: "GET", path: p, want: 200})
	}
	if served := k.do(ts, call{method: "GET", path: "/api/openapi.yaml", want: 200}); !bytes.Equal(served, openAPI) {
		t.Error("GET /api/openapi.yaml does not serve openapi.yaml")
	}

	// Creating tables.
	var tbl tables.Created
	json.Unmarshal(k.do(ts, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 201}), &tbl)
	k.do(ts, call{method: "POST", path: "/api/tables", body: []byte(`{"title":"Pöytä","agendaa":[]}`), outside: true, want: 400})
	k.do(ts, call{method: "POST", path: "/api/tables", body: []byte(`{"title":"Pöytä","dots":50}`), outside: true, want: 400})
	big := demoTable()
	big.Agenda = make([]session.ItemInput, session.MaxItems+1)
	for i := range big.Agenda {
		big.Agenda[i].Title = fmt.Sprint("Kohta ", i+1)
	}
	k.do(ts, call{method: "POST", path: "/api/tables", body: jsonBody(t, big), outside: true, want: 409})
	huge := demoTable()
	huge.Theme = strings.Repeat("kumppanuus ", 30000)
	k.do(ts, call{method: "POST", path: "/api/tables", body: jsonBody(t, huge), outside: true, want: 413})
	next := map[string]any{"title": "Toinen kumppanuuspöytä", "from": map[string]string{"table": tbl.Code, "secret": tables.NewToken()}}
	k.do(ts, call{method: "POST", path: "/api/tables", body: jsonBody(t, next), want: 403})
	next["from"] = map[string]string{"table": tbl.ID, "secret": tbl.FacilitatorSecret}
	k.do(ts, call{method: "POST", path: "/api/tables", body: jsonBody(t, next), want: 201})

	// Looking up and joining.
	k.do(ts, call{method: "GET", path: "/api/join/" + strings.ToLower(strings.ReplaceAll(tbl.Code, "-", "%20")), want: 200})
	k.do(ts, call{method: "GET", path: "/api/join/KP-ZZZZ-ZZZZ", want: 404})
	token := tables.NewToken()
	join := JoinRequest{Code: tbl.Code, Name: "Riikka Salo", Org: "Ähtärin kaupunki", Sector: "municipality", Token: token}
	var joined Joined
	json.Unmarshal(k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, join), want: 201}), &joined)
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, join), want: 200})
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Erkki Mäkinen"}), want: 201})
	k.do(ts, call{method: "POST", path: "/api/join", body: []byte(`{"code":"` + tbl.Code + `","nimi":"Erkki"}`), outside: true, want: 400})
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Aino", Token: "lyhyt"}), outside: true, want: 400})
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: strings.Repeat("A", 9000)}), outside: true, want: 413})
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: "KP-ZZZZ-ZZZZ", Name: "Arvaaja"}), want: 404})
	fac := ts.connect("fac", tbl.ID, session.RoleFacilitator, tbl.FacilitatorSecret, 0)
	var view session.View
	json.Unmarshal(fac.expect("snapshot")["state"], &view)
	fac.must("participant.remove", map[string]any{"participant": joined.Participant})
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, join), want: 403})
	fac.must("table.lock", nil)
	k.do(ts, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Pekka Myöhäinen"}), want: 409})
	fac.must("table.unlock", nil)

	// The QR code.
	qr := "/api/join/" + tbl.Code + "/qr.svg"
	k.do(ts, call{method: "GET", path: qr, want: 200})
	resp, err := http.Get(ts.http.URL + qr)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	k.do(ts, call{method: "GET", path: qr, header: map[string]string{"If-None-Match": resp.Header.Get("ETag")}, want: 304})
	k.do(ts, call{method: "GET", path: "/api/join/KP-ZZZZ-ZZZZ/qr.svg", want: 404})

	// The minutes, in every format.
	minutes := "/api/tables/" + tbl.ID + "/minutes"
	auth := map[string]string{"Authorization": "Bearer " + tbl.FacilitatorSecret}
	for _, q := range []string{"", "?format=md&lang=sv", "?format=html&names=0", "?format=docx&hidden=1", "?format=json", "?format=csv", "?format=csv&what=ideas&lang=en"} {
		k.do(ts, call{method: "GET", path: minutes + q, header: auth, want: 200})
	}
	k.do(ts, call{method: "GET", path: minutes + "?format=pdf", header: auth, outside: true, want: 400})
	k.do(ts, call{method: "GET", path: minutes + "?format=md&what=ideas", header: auth, want: 400})
	k.do(ts, call{method: "GET", path: minutes, outside: true, want: 403})
	k.do(ts, call{method: "GET", path: minutes, header: map[string]string{"Authorization": "Bearer " + tables.NewToken()}, want: 403})

	// Following the actions up: the calendar, Decidim, an owner's update link.
	fac.must("action.add", map[string]any{"title": "Kunnan tilat maksutta yhdistyksille", "due": "2027-04-30",
		"owners": []map[string]any{{"org": "Ähtärin kaupunki"}}})
	var added session.ActionAdded
	fac.event("action.added", &added)
	fac.must("action.link", map[string]any{"action": added.Action.ID, "label": "Liisa / Ähtärin kaupunki"})
	var linked session.ActionLinked
	fac.event("action.linked", &linked)
	base := "/api/tables/" + tbl.ID
	wrong := map[string]string{"Authorization": "Bearer " + tables.NewToken()}
	k.do(ts, call{method: "GET", path: base + "/actions.ics", header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/actions.ics", header: wrong, want: 403})
	published := "&minutes=" + url.QueryEscape("https://www.ahtari.fi/kumppanuuspoyta/muistio.pdf")
	k.do(ts, call{method: "GET", path: base + "/decidim/results?format=csv" + published, header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/decidim/proposals?format=json&locale=sv" + published, header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/decidim/results?format=xlsx" + published, header: auth, outside: true, want: 400})
	k.do(ts, call{method: "GET", path: base + "/decidim/comments?format=csv" + published, header: auth, outside: true, want: 404})
	k.do(ts, call{method: "GET", path: base + "/decidim/results?format=csv" + published, header: wrong, want: 403})
	owner := map[string]string{"Authorization": "Bearer " + linked.Token}
	k.do(ts, call{method: "GET", path: base + "/update", header: owner, want: 200})
	k.do(ts, call{method: "GET", path: base + "/update", header: wrong, want: 403})
	k.do(ts, call{method: "POST", path: base + "/update", header: owner, body: []byte(`{"status":"in_progress","note":"Sopimus valmisteilla."}`), want: 201})
	k.do(ts, call{method: "POST", path: base + "/update", header: owner, body: []byte(`{"status":"valmis"}`), outside: true, want: 400})
	k.do(ts, call{method: "POST", path: base + "/update", header: owner, body: []byte(`{"status":"done","note":"` + strings.Repeat("x", 9000) + `"}`), outside: true, want: 413})
	k.do(ts, call{method: "POST", path: base + "/update", header: wrong, body: []byte(`{"status":"done"}`), want: 403})
	k.do(ts, call{method: "GET", path: base + "/series?sort=due&status=in_progress", header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/series?sort=colour", header: auth, outside: true, want: 400})
	k.do(ts, call{method: "GET", path: base + "/series", header: wrong, want: 403})
	for _, f := range []string{"md", "html", "docx", "json", "csv"} {
		k.do(ts, call{method: "GET", path: base + "/series/report?lang=sv&format=" + f, header: auth, want: 200})
	}
	k.do(ts, call{method: "GET", path: base + "/series/report?format=pdf", header: auth, outside: true, want: 400})
	k.do(ts, call{method: "GET", path: base + "/series/report", header: wrong, want: 403})
	k.do(ts, call{method: "GET", path: base + "/series/actions.ics", header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/series/actions.ics", header: wrong, want: 403})

	// A participant's own data.
	k.do(ts, call{method: "GET", path: base + "/participants/" + joined.Participant, header: auth, want: 200})
	k.do(ts, call{method: "GET", path: base + "/participants/no-such-participant", header: auth, want: 404})
	k.do(ts, call{method: "GET", path: base + "/participants/" + joined.Participant, header: wrong, want: 403})

	// Ideas from paper.
	paper := []byte("Idea;Nimi tai organisaatio;Pisteet\r\nKylätalot yhteiskäyttöön;Soinin Marttayhdistys ry;4\r\n")
	imp := base + "/import?item=" + view.Items[1].ID
	k.do(ts, call{method: "POST", path: imp + "&dryRun=1", header: auth, body: paper, csv: true, want: 200})
	k.do(ts, call{method: "POST", path: imp, header: auth, body: paper, csv: true, want: 201})
	k.do(ts, call{method: "POST", path: imp, header: auth, body: []byte("Väri;Idea\r\nsininen;Kylätalot\r\n"), csv: true, want: 400})
	k.do(ts, call{method: "POST", path: imp, header: auth, body: bytes.Repeat([]byte("Kylätalot yhteiskäyttöön\n"), 50000), csv: true, want: 413})
	k.do(ts, call{method: "POST", path: imp, header: wrong, body: paper, csv: true, want: 403})

	// The websocket and the pages.
	k.do(ts, call{method: "GET", path: "/ws", header: upgrade(nil), want: 101})
	k.do(ts, call{method: "GET", path: "/ws", outside: true, want: 400})
	k.do(ts, call{method: "GET", path: "/ws", header: upgrade(map[string]string{"Origin": "https://poyta.example.com"}), want: 403})
	for _, p := range []string{"/", "/j/" + tbl.Code, "/f/" + tbl.ID, "/s/" + tbl.ID, "/r/" + tbl.ID, "/i/" + tbl.ID, "/u/" + tbl.ID, "/t/" + tbl.ID} {
		k.do(ts, call{method: "GET", path: p, want: 200})
	}

	// Printed material and the statements.
	for _, p := range []string{"poster", "forms"} {
		k.do(ts, call{method: "GET", path: "/api/join/" + tbl.Code + "/" + p, want: 200})
		k.do(ts, call{method: "GET", path: "/api/join/KP-ZZZZ-ZZZZ/" + p, want: 404})
	}
	for _, p := range []string{"/accessibility", "/saavutettavuus", "/tillganglighet", "/privacy", "/tietosuoja", "/dataskydd"} {
		k.do(ts, call{method: "GET", path: p, want: 200})
	}
	k.do(ts, call{method: "GET", path: "/privacy?lang=sv", want: 200})
	k.do(ts, call{method: "GET", path: "/accessibility", header: map[string]string{"Accept-Language": "sv-FI, en;q=0.5"}, want: 200})
	k.do(ts, call{method: "GET", path: "/accessibility?lang=de", outside: true, want: 200})

	// Limits: tables per address, failures per address, websockets per address.
	cfg = testConfig()
	cfg.TablesPerHour = 1
	cfg.MaxConnsPerIP = 1
	limited := startServer(t, "", cfg)
	json.Unmarshal(k.do(limited, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 201}), &tbl)
	k.do(limited, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 429})
	conn, _, err := limited.dial("hold", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	k.do(limited, call{method: "GET", path: "/ws", header: upgrade(nil), want: 429})
	for i := 0; ; i++ {
		resp, err := http.Get(limited.http.URL + "/api/join/KP-ZZZZ-ZZZZ")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
		if i > 100 {
			t.Fatal("wrong codes are never limited")
		}
	}
	k.do(limited, call{method: "GET", path: "/api/join/" + tbl.Code, want: 429})
	k.do(limited, call{method: "GET", path: "/api/join/" + tbl.Code + "/qr.svg", want: 429})
	k.do(limited, call{method: "GET", path: "/api/join/" + tbl.Code + "/poster", want: 429})
	k.do(limited, call{method: "GET", path: "/api/join/" + tbl.Code + "/forms", want: 429})
	k.do(limited, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Liisa"}), want: 429})
	k.do(limited, call{method: "GET", path: "/api/tables/" + tbl.ID + "/minutes", header: map[string]string{"Authorization": "Bearer " + tbl.FacilitatorSecret}, want: 429})
	k.facilitatorRoutes(limited, tbl, 429)

	// A server stopping: the live tables are gone, the store is still open.
	stopping := newTestServer(t)
	json.Unmarshal(k.do(stopping, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 201}), &tbl)
	if err := stopping.live.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	k.do(stopping, call{method: "GET", path: "/api/join/" + tbl.Code, want: 503})
	k.do(stopping, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Liisa"}), want: 503})
	k.do(stopping, call{method: "GET", path: "/api/tables/" + tbl.ID + "/minutes", header: map[string]string{"Authorization": "Bearer " + tbl.FacilitatorSecret}, want: 503})
	k.do(stopping, call{method: "GET", path: "/ws", header: upgrade(nil), want: 503})
	k.do(stopping, call{method: "GET", path: "/api/join/" + tbl.Code + "/poster", want: 503})
	k.do(stopping, call{method: "GET", path: "/api/join/" + tbl.Code + "/forms", want: 503})
	k.facilitatorRoutes(stopping, tbl, 503)

	// A node of a cluster whose shared budgets cannot be read: refused,
	// never let through.
	cfg = testConfig()
	cfg.Budgets = downBudgets{}
	unbudgeted := startServer(t, "", cfg)
	k.do(unbudgeted, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 503})
	k.do(unbudgeted, call{method: "GET", path: "/api/join/" + tbl.Code + "/qr.svg", want: 503})

	// A server whose database has gone: our fault, said without details.
	broken := newTestServer(t)
	json.Unmarshal(k.do(broken, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 201}), &tbl)
	if err := broken.db.Close(); err != nil {
		t.Fatal(err)
	}
	k.do(broken, call{method: "GET", path: "/readyz", want: 503})
	k.do(broken, call{method: "POST", path: "/api/tables", body: jsonBody(t, demoTable()), want: 500})
	k.do(broken, call{method: "GET", path: "/api/join/" + tbl.Code, want: 500})
	k.do(broken, call{method: "GET", path: "/api/join/" + tbl.Code + "/qr.svg", want: 500})
	k.do(broken, call{method: "GET", path: "/api/join/" + tbl.Code + "/poster", want: 500})
	k.do(broken, call{method: "GET", path: "/api/join/" + tbl.Code + "/forms", want: 500})
	k.facilitatorRoutes(broken, tbl, 500)
	k.do(broken, call{method: "POST", path: "/api/join", body: jsonBody(t, JoinRequest{Code: tbl.Code, Name: "Liisa"}), want: 500})
	k.do(broken, call{method: "GET", path: "/api/tables/" + tbl.ID + "/minutes", header: map[string]string{"Authorization": "Bearer " + tbl.FacilitatorSecret}, want: 500})

	// Every status of every operation was answered by the server.
	for path, item := range k.doc.Paths.Map() {
		for method, op := range item.Operations() {
			for status := range op.Responses.Map() {
				if key := method + " " + path + " " + status; !k.seen[key] {
					t.Errorf("openapi.yaml declares %s, which no request here provoked", key)
				}
			}
		}
	}
}

// facilitatorRoutes sends the routes of a table's facilitators and its
// actions' owners requests that pass every check before the table is read,
// and expects want: what reading the table answers (the failure budget
// spent, the server stopping, the database gone).
func (k *contract) facilitatorRoutes(ts *testServer, tbl tables.Created, want int) {
	k.t.Helper()
	base := "/api/tables/" + tbl.ID
	auth := map[string]string{"Authorization": "Bearer " + tbl.FacilitatorSecret}
	published := "&minutes=" + url.QueryEscape("https://www.ahtari.fi/kumppanuuspoyta/muistio.pdf")
	k.do(ts, call{method: "GET", path: base + "/actions.ics", header: auth, want: want})
	k.do(ts, call{method: "GET", path: base + "/decidim/proposals?format=csv" + published, header: auth, want: want})
	k.do(ts, call{method: "GET", path: base + "/series", header: auth, want: want})
	k.do(ts, call{method: "GET", path: base + "/series/report?format=md", header: auth, want: want})
	k.do(ts, call{method: "GET", path: base + "/series/actions.ics", header: auth, want: want})
	k.do(ts, call{method: "GET", path: base + "/participants/x", header: auth, want: want})
	k.do(ts, call{method: "POST", path: base + "/import?item=x", header: auth, body: []byte("Idea\nKylätalot\n"), csv: true, want: want})
	owner := map[string]string{"Authorization": "Bearer " + tables.NewToken()}
	k.do(ts, call{method: "GET", path: base + "/update", header: owner, want: want})
	k.do(ts, call{method: "POST", path: base + "/update", header: owner, body: []byte(`{"status":"done"}`), want: want})
}

// TestOpenAPIHasEveryRoute: every route the server registers is in the
// document, and the document has no route the server lacks. The web UI's
// files (GET /, everything below the root) have no path template.
func TestOpenAPIHasEveryRoute(t *testing.T) {
	k := loadContract(t)
	s := New(Config{Static: static.FS()})
	ours := map[string]bool{}
	for _, r := range s.routes() {
		if r.pattern == "GET /" {
			continue
		}
		method, path, _ := strings.Cut(r.pattern, " ")
		path = strings.TrimSuffix(path, "{$}")
		ours[method+" "+path] = true
		item := k.doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("route %q is not in openapi.yaml", r.pattern)
		}
	}
	for path, item := range k.doc.Paths.Map() {
		for method := range item.Operations() {
			if !ours[method+" "+path] {
				t.Errorf("openapi.yaml has %s %s, which the server does not route", method, path)
			}
		}
	}
}

// TestOpenAPIErrorCodes: the document's error codes are the protocol's.
func TestOpenAPIErrorCodes(t *testing.T) {
	k := loadContract(t)
	var doc []string
	for _, v := range k.doc.Components.Schemas["ErrorCode"].Value.Enum {
		doc = append(doc, v.(string))
	}
	codes := protocolErrorCodes(t)
	slices.Sort(doc)
	slices.Sort(codes)
	if !slices.Equal(doc, codes) {
		t.Errorf("ErrorCode in openapi.yaml:\n%v\nthe codes of session/errors.go:\n%v", doc, codes)
	}
}

// TestOpenAPIDocsCopy: docs/openapi.yaml is a copy of the embedded file.
func TestOpenAPIDocsCopy(t *testing.T) {
	b, err := os.ReadFile(docsCopy)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, openAPI) {
		t.Fatalf("docs/openapi.yaml differs from session/web/openapi.yaml, the file to edit; copy it over: cp session/web/openapi.yaml docs/openapi.yaml")
	}
}

// downBudgets is a cluster's shared budgets with the database gone.
type downBudgets struct{}

var errBudgetsDown = errors.New("database gone")

func (downBudgets) Take(context.Context, string, float64, float64) (bool, error) {
	return false, errBudgetsDown
}
func (downBudgets) Spend(context.Context, string, float64, float64) (bool, error) {
	return false, errBudgetsDown
}
func (downBudgets) HasToken(context.Context, string, float64, float64) (bool, error) {
	return false, errBudgetsDown
}
