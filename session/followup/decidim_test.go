package followup_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/followup"
)

// Decidim's import columns, read from its sources (github.com/decidim/decidim,
// see docs/decidim.md): what each import requires in the organisation's
// default locale, and every column it reads at all.
var (
	// Decidim::Proposals::Import::ProposalsVerifier#required_headers and
	// ProposalCreator (title, body, scope, taxonomies, address, latitude,
	// longitude; "id" is dropped).
	proposalsRequired = []string{"title/fi", "body/fi"}
	proposalsKnown    = []string{"id", "title/fi", "body/fi", "scope/id", "taxonomies/ids", "category/id", "address", "latitude", "longitude"}
	// Decidim::Accountability::ResultsCsvImporter and Admin::ResultForm
	// (title and description validated present in the default locale).
	resultsRequired = []string{"title/fi", "description/fi"}
	resultsKnown    = []string{"id", "title/fi", "description/fi", "start_date", "end_date", "progress", "status/id", "parent/id", "category/id", "scope/id", "proposal_urls"}
)

const minutesURL = "https://www.ahtari.fi/kumppanuuspoyta/muistio-2027-02-25.pdf"

// decidimTable is a table of two people, four ideas (one hidden, one
// merged into another, one over 150 characters), a vote, and two actions,
// one with its owner's report.
func decidimTable(t *testing.T) *session.Table {
	t.Helper()
	n := 0
	now := time.Date(2027, 2, 25, 18, 0, 0, 0, time.UTC)
	env := func() session.Env {
		now = now.Add(time.Minute)
		return session.Env{Now: now, NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }}
	}
	var tb session.Table
	apply := func(e session.Event, err error) session.Event {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		return e
	}
	do := func(who session.Who, format string, args ...any) session.Event {
		t.Helper()
		_, _, cmd, err := session.ParseCommand([]byte(fmt.Sprintf(format, args...)))
		if err != nil {
			t.Fatal(err)
		}
		return apply(session.Decide(&tb, who, cmd, env()))
	}
	apply(session.NewTable(session.NewTableInput{Title: "Ähtärin ja Soinin kumppanuuspöytä", Date: "2027-02-25", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Yhdistysten tilat"}, {Title: "Konkreettiset askeleet"}}},
		session.Secrets{ID: "tbl-1", Code: "KP-AAAA-BBBB", Key: make([]byte, 32), FacilitatorSecret: "s"}, env()))
	join := func(name, org string) session.Who {
		e := apply(session.Decide(&tb, session.Who{Role: session.RoleGuest}, &session.Join{Name: name, Org: org, Sector: "association", TokenHash: session.HashSecret(name)}, env()))
		return session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID}
	}
	fac := session.Who{Role: session.RoleFacilitator}
	liisa, pekka := join("Liisa Virtanen", "Ähtärin Urheilijat ry"), join("Pekka Mäkelä", "Soinin kunta")
	item := tb.Items[0].ID
	idea := func(who session.Who, text string) string {
		return do(who, `{"op":"idea.add","item":%q,"text":%q}`, item, text).Data.(*session.IdeaAdded).Idea
	}
	calendar := idea(liisa, "Sähköinen tilavarauskalenteri kunnan ja koulujen tiloille")
	long := idea(pekka, strings.Repeat("Kyläkoulujen liikuntasalit iltakäyttöön yhdistyksille ", 4)+"\nToinen rivi: avaimet vastuuhenkilöille.")
	same := idea(pekka, "Yhteinen varauskalenteri kaikille tiloille")
	hidden := idea(liisa, "Asiaton viesti, joka piilotetaan")
	do(fac, `{"op":"idea.hide","idea":%q}`, hidden)
	do(fac, `{"op":"idea.merge","idea":%q,"into":%q}`, same, calendar)
	do(fac, `{"op":"item.phase","item":%q,"phase":"vote"}`, item)
	do(liisa, `{"op":"vote.add","idea":%q}`, calendar)
	do(pekka, `{"op":"vote.add","idea":%q}`, calendar)
	do(pekka, `{"op":"vote.add","idea":%q}`, long)
	a := do(fac, `{"op":"action.add","item":%q,"title":"Tilavarauskalenteri; pilotti syksyllä","due":"2027-09-30","owners":[{"participant":%q,"org":"Soinin kunta"},{"org":"Ähtärin kaupunki"}]}`, item, pekka.ID).Data.(*session.ActionAdded).Action.ID
	do(fac, `{"op":"action.add","title":"Yhdistysinfo kirjastolla","status":"done"}`)
	do(fac, `{"op":"action.update","action":%q,"status":"in_progress","note":"Kalenterin hankinta kilpailutetaan."}`, a)
	return &tb
}

// readDecidim reads an export as Decidim does: CSV with ";" and no BOM,
// or JSON as an array of flat objects whose first object's keys are the
// headers.
func readDecidim(t *testing.T, format string, b []byte) (header []string, rows []map[string]string) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Fatal("not UTF-8")
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Fatal("a byte-order mark: Ruby's CSV would read it into the first header")
	}
	if format == followup.DecidimJSON {
		var objs []map[string]json.RawMessage
		if err := json.Unmarshal(b, &objs); err != nil {
			t.Fatalf("JSON: %v\n%s", err, b)
		}
		// Decidim takes the headers from the first object's keys in order.
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.Token() // [
		dec.Token() // {
		for dec.More() {
			k, _ := dec.Token()
			header = append(header, k.(string))
			var v json.RawMessage
			dec.Decode(&v)
		}
		for _, o := range objs {
			row := map[string]string{}
			for k, v := range o {
				var s string
				if err := json.Unmarshal(v, &s); err != nil {
					t.Errorf("%s is not a string: %s", k, v)
				}
				row[k] = s
			}
			rows = append(rows, row)
		}
		return header, rows
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, b)
	}
	header = recs[0]
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range header {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return header, rows
}

func checkColumns(t *testing.T, header, required, known []string) {
	t.Helper()
	for _, h := range required {
		if !slices.Contains(header, h) {
			t.Errorf("no %q column; Decidim requires it (header %q)", h, header)
		}
	}
	for _, h := range header {
		if !slices.Contains(known, h) {
			t.Errorf("column %q is not one Decidim's import reads", h)
		}
	}
	if slices.Contains(header, "id") {
		t.Error("an id column: Decidim would take our id for one of its own")
	}
}

// TestDecidimProposals: every idea the minutes list becomes a proposal
// with the columns Decidim's proposal import reads, titled by its first
// line (at most 150 characters), its body the whole idea, the merged
// ideas, where it came from, its votes and the link to the minutes; no
// names and no hidden idea.
func TestDecidimProposals(t *testing.T) {
	tb := decidimTable(t)
	for _, format := range []string{followup.DecidimCSV, followup.DecidimJSON} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := followup.DecidimProposals(&buf, tb, followup.DecidimOptions{Format: format, Minutes: minutesURL}); err != nil {
				t.Fatal(err)
			}
			header, rows := readDecidim(t, format, buf.Bytes())
			checkColumns(t, header, proposalsRequired, proposalsKnown)
			if len(rows) != 2 {
				t.Fatalf("%d proposals, want 2 (four ideas, one hidden, one merged): %q", len(rows), rows)
			}
			first, second := rows[0], rows[1]
			if first["title/fi"] != "Sähköinen tilavarauskalenteri kunnan ja koulujen tiloille" {
				t.Errorf("title %q", first["title/fi"])
			}
			for _, want := range []string{"Yhteinen varauskalenteri kaikille tiloille", "Ähtärin ja Soinin kumppanuuspöytä, 2027-02-25 – kohta 1: Yhdistysten tilat", "Ääniä: 2", "Muistio: " + minutesURL} {
				if !strings.Contains(first["body/fi"], want) {
					t.Errorf("body lacks %q:\n%s", want, first["body/fi"])
				}
			}
			if n := utf8.RuneCountInString(second["title/fi"]); n > 150 || !strings.HasSuffix(second["title/fi"], "…") || strings.Contains(second["title/fi"], "Toinen rivi") {
				t.Errorf("long idea's title (%d characters): %q", n, second["title/fi"])
			}
			if !strings.Contains(second["body/fi"], "Toinen rivi: avaimet vastuuhenkilöille.") {
				t.Errorf("the long idea's body lost its text: %q", second["body/fi"])
			}
			all := buf.String()
			for _, leak := range []string{"Liisa", "Pekka", "Asiaton"} {
				if strings.Contains(all, leak) {
					t.Errorf("the proposals contain %q", leak)
				}
			}
		})
	}
}

// TestDecidimResults: every action becomes an Accountability result with
// the columns its import reads: owners (as organisations), item, latest
// report and minutes link in the description, the table's date as start,
// the due date as end, progress from the status.
func TestDecidimResults(t *testing.T) {
	tb := decidimTable(t)
	for _, format := range []string{followup.DecidimCSV, followup.DecidimJSON} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := followup.DecidimResults(&buf, tb, followup.DecidimOptions{Format: format, Minutes: minutesURL}); err != nil {
				t.Fatal(err)
			}
			header, rows := readDecidim(t, format, buf.Bytes())
			checkColumns(t, header, resultsRequired, resultsKnown)
			if len(rows) != 2 {
				t.Fatalf("%d results, want 2", len(rows))
			}
			r := rows[0]
			if r["title/fi"] != "Tilavarauskalenteri; pilotti syksyllä" || r["start_date"] != "2027-02-25" || r["end_date"] != "2027-09-30" || r["progress"] != "50" {
				t.Errorf("result %q", r)
			}
			for _, want := range []string{"Vastuussa: Soinin kunta, Ähtärin kaupunki", "kohta 1: Yhdistysten tilat", "Kalenterin hankinta kilpailutetaan.", "Muistio: " + minutesURL} {
				if !strings.Contains(r["description/fi"], want) {
					t.Errorf("description lacks %q:\n%s", want, r["description/fi"])
				}
			}
			if rows[1]["progress"] != "100" || rows[1]["end_date"] != "" {
				t.Errorf("done action without a due date: %q", rows[1])
			}
			for _, row := range rows {
				for _, d := range []string{row["start_date"], row["end_date"]} {
					if _, err := time.Parse("2006-01-02", d); d != "" && err != nil {
						t.Errorf("date %q is not ISO", d)
					}
				}
				if p, err := strconv.Atoi(row["progress"]); err != nil || p < 0 || p > 100 {
					t.Errorf("progress %q", row["progress"])
				}
			}
			if strings.Contains(buf.String(), "Pekka") {
				t.Error("a name in the results")
			}
		})
	}
}

// TestDecidimLocaleAndOptions: the localized columns follow the locale
// asked for (the Decidim organisation's default), and options a person
// got wrong are refused with words for them.
func TestDecidimLocaleAndOptions(t *testing.T) {
	tb := decidimTable(t)
	var buf bytes.Buffer
	if err := followup.DecidimResults(&buf, tb, followup.DecidimOptions{Format: "csv", Minutes: minutesURL, Locale: "sv"}); err != nil {
		t.Fatal(err)
	}
	header, rows := readDecidim(t, "csv", buf.Bytes())
	if header[0] != "title/sv" || header[1] != "description/sv" || !strings.Contains(rows[0]["description/sv"], "Ansvariga: ") {
		t.Errorf("header %q, first row %q", header, rows[0])
	}
	for _, o := range []followup.DecidimOptions{
		{Format: "xlsx", Minutes: minutesURL},
		{Format: "csv"},
		{Format: "csv", Minutes: "javascript:alert(1)"},
		{Format: "csv", Minutes: "muistio.pdf"},
		{Format: "csv", Minutes: minutesURL, Locale: "fi;drop"},
		{Format: "csv", Minutes: minutesURL, Locale: "suomi"},
	} {
		if err := followup.DecidimProposals(&bytes.Buffer{}, tb, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
