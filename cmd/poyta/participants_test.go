package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// oneTable is a database file with the Alavus table only, so that a
// name's bytes in the files are that table's.
func oneTable(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "poyta.db")
	db := mustOpenStore(t, path)
	seedTable(t, db, alavus)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestShowParticipant: an access request is answered with everything
// stored about the person, as text and as JSON.
func TestShowParticipant(t *testing.T) {
	db := oneTable(t)
	out, _, err := runCmd(t, "", "tables", "show", alavus.code, "--participant", "Erkki Mäkinen", "--db", db)
	if err != nil {
		t.Fatalf("tables show --participant: %v", err)
	}
	for _, want := range []string{"Erkki Mäkinen", "Ähtärin Eläkeläiset ry", "association", "Ideas (1)",
		"Yhteinen tapahtumakalenteri kaikille yhdistyksille", "participant.joined", "idea.added", "State:", "present"} {
		if !strings.Contains(out, want) {
			t.Errorf("the participant's data lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Kyläkoulujen tilat") {
		t.Errorf("an idea the facilitator wrote on someone else's behalf is listed as Erkki's:\n%s", out)
	}

	out, _, err = runCmd(t, "", "tables", "show", alavus.code, "--participant", "Riikka Salo", "--json", "--db", db)
	if err != nil {
		t.Fatalf("tables show --participant --json: %v", err)
	}
	var d struct {
		Table       struct{ Title string }
		Participant struct{ ID, Name, Org, TokenHash string }
		Ideas       []struct{ Text string }
		Actions     []struct {
			Title string
			Owner bool
		}
		Events []struct{ Type string }
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if d.Participant.Name != "Riikka Salo" || d.Participant.Org != "Ähtärin kaupunki" || d.Table.Title != alavus.title {
		t.Errorf("JSON names the wrong person or table: %+v %+v", d.Participant, d.Table)
	}
	if d.Participant.TokenHash != "" {
		t.Error("the JSON hands out the token's hash")
	}
	if len(d.Actions) != 1 || !d.Actions[0].Owner || d.Actions[0].Title != "Perustetaan yhteinen tapahtumakalenteri" {
		t.Errorf("Riikka owns the calendar action; got %+v", d.Actions)
	}
	if len(d.Ideas) != 0 || len(d.Events) != 1 || d.Events[0].Type != "participant.joined" {
		t.Errorf("Riikka only joined; got ideas %+v, events %+v", d.Ideas, d.Events)
	}

	if _, _, err := runCmd(t, "", "tables", "show", alavus.code, "--participant", "Nobody Here", "--db", db); err == nil {
		t.Error("a name no one has is not refused")
	}
}

// TestForgetParticipant: forgetting a person erases their name and
// organisation from the state and from the raw database files, keeps
// their idea as an anonymous contribution, and asks first.
func TestForgetParticipant(t *testing.T) {
	db := oneTable(t)
	const name, org = "Erkki Mäkinen", "Ähtärin Eläkeläiset ry"
	if n, _ := tracesIn(t, db, name); n == 0 {
		t.Fatal("the name is not in the files before; the test would prove nothing")
	}

	out, _, err := runCmd(t, "no\n", "participants", "forget", alavus.code, name, "--db", db)
	if err == nil {
		t.Fatalf("forgot without a yes: %s", out)
	}
	if !strings.Contains(out, name) {
		t.Errorf("the question does not say whom it forgets: %q", out)
	}
	if n, _ := tracesIn(t, db, name); n == 0 {
		t.Fatal("an unconfirmed forget erased the name")
	}

	out, _, err = runCmd(t, "", "participants", "forget", alavus.code, name, "--yes", "--db", db)
	if err != nil {
		t.Fatalf("participants forget: %v", err)
	}
	if !strings.Contains(out, "Forgot participant") {
		t.Errorf("no confirmation: %q", out)
	}
	for _, s := range []string{name, org, "Mäkinen", "Eläkeläiset"} {
		if n, where := tracesIn(t, db, s); n > 0 {
			t.Errorf("%d copies of %q are still in the files: %v", n, s, where)
		}
	}

	// The table's record stays whole: the idea is there, without a name.
	out, _, err = runCmd(t, "", "tables", "show", alavus.code, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !regexpLine(out, "Ideas:", "2") {
		t.Errorf("the forgotten person's idea is gone from the table:\n%s", out)
	}
	if _, _, err := runCmd(t, "", "tables", "show", alavus.code, "--participant", name, "--db", db); err == nil {
		t.Error("the forgotten name is still found")
	}
	// Others stay as they were.
	out, _, err = runCmd(t, "", "tables", "show", alavus.code, "--participant", "Riikka Salo", "--db", db)
	if err != nil || !strings.Contains(out, "Ähtärin kaupunki") {
		t.Errorf("another participant changed: %v\n%s", err, out)
	}
	export, _, err := runCmd(t, "", "export", alavus.code, "--format", "md", "--db", db)
	if err != nil {
		t.Fatalf("export after forgetting: %v", err)
	}
	if !strings.Contains(export, "Yhteinen tapahtumakalenteri kaikille yhdistyksille") {
		t.Errorf("the minutes lost the forgotten person's idea:\n%s", export)
	}
	if strings.Contains(export, "Mäkinen") || strings.Contains(export, "Eläkeläiset") {
		t.Errorf("the minutes still name the forgotten person:\n%s", export)
	}
}

// regexpLine reports whether some line starts with key and ends with value.
func regexpLine(out, key, value string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, key) && strings.TrimSpace(strings.TrimPrefix(l, key)) == value {
			return true
		}
	}
	return false
}
