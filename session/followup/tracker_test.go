package followup_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/followup"
	"github.com/poyta/poyta/session/minutes"
)

// player plays tables through Decide and Apply with a clock that moves a
// minute a step.
type player struct {
	t   *testing.T
	now time.Time
	n   int
}

func (p *player) env() session.Env {
	p.now = p.now.Add(time.Minute)
	return session.Env{Now: p.now, NewID: func() string { p.n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", p.n) }}
}

// to applies a decided event to tb.
func (p *player) to(tb *session.Table) func(session.Event, error) session.Event {
	return func(e session.Event, err error) session.Event {
		p.t.Helper()
		if err != nil {
			p.t.Fatal(err)
		}
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		return e
	}
}

func (p *player) do(tb *session.Table, who session.Who, format string, args ...any) session.Event {
	p.t.Helper()
	_, _, cmd, err := session.ParseCommand([]byte(fmt.Sprintf(format, args...)))
	if err != nil {
		p.t.Fatal(err)
	}
	return p.to(tb)(session.Decide(tb, who, cmd, p.env()))
}

var fac = session.Who{Role: session.RoleFacilitator}

// series plays two tables of a series: Ähtäri in February agrees four
// actions (one reported on through its update link, one done); Soini in
// May reviews the open ones (one carried on, one dropped, one done) and
// agrees one more.
func series(t *testing.T) (first, second *session.Table) {
	p := &player{t: t, now: time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)}
	first = new(session.Table)
	p.to(first)(session.NewTable(session.NewTableInput{Title: "Ähtärin kumppanuuspöytä", Date: "2027-02-25", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Tilat"}, {Title: "Viestintä"}}},
		session.Secrets{ID: "tbl-ahtari", Code: "KP-AAAA-AAAA", Key: make([]byte, 32), FacilitatorSecret: "a"}, p.env()))
	liisa := p.to(first)(session.Decide(first, session.Who{Role: session.RoleGuest},
		&session.Join{Name: "Liisa Virtanen", Org: "Ähtärin Urheilijat ry", Sector: "association", TokenHash: session.HashSecret("l")}, p.env())).
		Data.(*session.ParticipantJoined).ID
	add := func(format string, args ...any) string {
		return p.do(first, fac, format, args...).Data.(*session.ActionAdded).Action.ID
	}
	tilat := add(`{"op":"action.add","item":%q,"title":"Tilavarauskalenteri","due":"2027-04-30","owners":[{"participant":%q},{"org":"Ähtärin kaupunki"}]}`, first.Items[0].ID, liisa)
	add(`{"op":"action.add","item":%q,"title":"Yhdistysinfo kirjastolla","due":"2027-03-15","owners":[{"org":"Ähtärin kirjasto"}]}`, first.Items[1].ID)
	add(`{"op":"action.add","title":"Avustusten haku yhteiseksi","due":"2027-03-31","owners":[{"org":"Soinin kunta"}]}`)
	add(`{"op":"action.add","title":"Muistion jakelu","status":"done","owners":[{"org":"Ähtärin kaupunki"}]}`)
	link := p.do(first, fac, `{"op":"action.link","action":%q,"label":"Liisa"}`, tilat).Data.(*session.ActionLinked)
	p.now = time.Date(2027, 4, 10, 9, 0, 0, 0, time.UTC)
	p.to(first)(session.Decide(first, session.Who{Role: session.RoleOwner, ID: link.Link.ID},
		&session.UpdateAction{Status: session.StatusInProgress, Note: "Kalenteri kilpailutetaan."}, p.env()))

	p.now = time.Date(2027, 5, 20, 17, 0, 0, 0, time.UTC)
	e, err := session.NewTableFrom(session.NewTableInput{Title: "Soinin kumppanuuspöytä", Date: "2027-05-20"},
		session.Secrets{ID: "tbl-soini", Code: "KP-BBBB-BBBB", Key: make([]byte, 32), FacilitatorSecret: "b"}, first, p.env())
	second = new(session.Table)
	p.to(second)(e, err)
	if len(second.FollowUps) != 3 {
		t.Fatalf("%d follow-ups, want the 3 open actions", len(second.FollowUps))
	}
	outcome := map[string]string{"Tilavarauskalenteri": "carried", "Yhdistysinfo kirjastolla": "dropped", "Avustusten haku yhteiseksi": "done"}
	for _, f := range second.FollowUps {
		p.do(second, fac, `{"op":"followup.mark","action":%q,"outcome":%q}`, f.Action, outcome[f.Title])
	}
	p.do(second, fac, `{"op":"action.add","title":"Kylätalojen avaimet","due":"2027-08-31","owners":[{"org":"Soinin kyläyhdistys"}]}`)
	return first, second
}

func titles(rows []followup.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Title)
	}
	return out
}

// TestTrackSeries: the tracker lists every action of the series once: the
// one carried on as the later table's (with where it came from), the ones
// the later table marked done or dropped with that status, the owner's
// latest report, and what is overdue on the day.
func TestTrackSeries(t *testing.T) {
	first, second := series(t)
	if first.Series != "tbl-ahtari" || second.Series != "tbl-ahtari" {
		t.Fatalf("series %q and %q, want both the first table's id", first.Series, second.Series)
	}
	rows := followup.Track([]*session.Table{second, first}, time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	want := []string{"Yhdistysinfo kirjastolla", "Avustusten haku yhteiseksi", "Muistion jakelu", "Tilavarauskalenteri", "Kylätalojen avaimet"}
	if got := titles(rows); !slices.Equal(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	by := map[string]followup.Row{}
	for _, r := range rows {
		by[r.Title] = r
	}
	if r := by["Yhdistysinfo kirjastolla"]; r.Status != followup.StatusDropped || r.Overdue || r.Item != "2. Viestintä" || r.TableTitle != "Ähtärin kumppanuuspöytä" {
		t.Errorf("dropped: %+v", r)
	}
	if r := by["Avustusten haku yhteiseksi"]; r.Status != session.StatusDone || r.Overdue {
		t.Errorf("done at review: %+v", r)
	}
	carried := by["Tilavarauskalenteri"]
	if carried.Table != "tbl-soini" || carried.CarriedFrom != "Ähtärin kumppanuuspöytä" || carried.Due != "2027-04-30" || !carried.Overdue {
		t.Errorf("carried: %+v", carried)
	}
	if len(carried.Owners) != 2 || carried.Owners[0].Label() != "Liisa Virtanen" || carried.Owners[1].Org != "Ähtärin kaupunki" {
		t.Errorf("carried owners %+v", carried.Owners)
	}
	if r := by["Kylätalojen avaimet"]; r.Overdue || r.Status != session.StatusOpen {
		t.Errorf("new action: %+v", r)
	}

	// Before the review, the first table's own row shows the owner's report.
	rows = followup.Track([]*session.Table{first}, time.Date(2027, 4, 11, 0, 0, 0, 0, time.UTC))
	if r := rows[0]; r.Update == nil || r.Update.Note != "Kalenteri kilpailutetaan." || !r.Update.ByLink || r.Status != session.StatusInProgress || r.Links != 1 || r.Reports != 1 {
		t.Errorf("reported action: %+v %+v", r, r.Update)
	}
	if r := rows[1]; !r.Overdue {
		t.Errorf("due 2027-03-15, open on 2027-04-11, not overdue: %+v", r)
	}
}

// TestTrackerFilterAndSort: filters by organisation (any owner's, ignoring
// case), status and overdue; sorts by each key; refuses bad queries.
func TestTrackerFilterAndSort(t *testing.T) {
	first, second := series(t)
	rows := followup.Track([]*session.Table{first, second}, time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		org, status, overdue, sort string
		want                       []string
	}{
		{"ähtärin KAUPUNKI", "", "", "", []string{"Muistion jakelu", "Tilavarauskalenteri"}},
		{"", "dropped", "", "", []string{"Yhdistysinfo kirjastolla"}},
		{"", "", "1", "", []string{"Tilavarauskalenteri"}},
		{"", "", "", "due", []string{"Yhdistysinfo kirjastolla", "Avustusten haku yhteiseksi", "Tilavarauskalenteri", "Kylätalojen avaimet", "Muistion jakelu"}},
		{"", "", "", "status", []string{"Tilavarauskalenteri", "Kylätalojen avaimet", "Avustusten haku yhteiseksi", "Muistion jakelu", "Yhdistysinfo kirjastolla"}},
		{"", "", "", "owner", []string{"Tilavarauskalenteri", "Avustusten haku yhteiseksi", "Kylätalojen avaimet", "Muistion jakelu", "Yhdistysinfo kirjastolla"}},
		{"", "", "", "title", []string{"Avustusten haku yhteiseksi", "Kylätalojen avaimet", "Muistion jakelu", "Tilavarauskalenteri", "Yhdistysinfo kirjastolla"}},
	} {
		f, key, err := followup.ParseFilter(c.org, c.status, c.overdue, c.sort)
		if err != nil {
			t.Fatal(err)
		}
		if got := titles(f.Apply(rows, key)); !slices.Equal(got, c.want) {
			t.Errorf("org %q status %q overdue %q sort %q: %q, want %q", c.org, c.status, c.overdue, c.sort, got, c.want)
		}
	}
	f, key, _ := followup.ParseFilter("", "", "", "updated")
	if got := f.Apply(rows, key); got[0].Title != "Tilavarauskalenteri" {
		t.Errorf("by latest report, first %q", got[0].Title)
	}
	for _, bad := range [][4]string{{"", "valmis", "", ""}, {"", "", "kyllä", ""}, {"", "", "", "random"}} {
		if _, _, err := followup.ParseFilter(bad[0], bad[1], bad[2], bad[3]); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestSeriesReport: the progress report of the tracker's rows is titled
// by the series' first table, lists both tables in order and carries each
// row's status, owners and latest report.
func TestSeriesReport(t *testing.T) {
	first, second := series(t)
	made := time.Date(2027, 6, 1, 8, 0, 0, 0, time.UTC)
	rows := followup.Track([]*session.Table{second, first}, made)
	r := followup.Report("fi", []*session.Table{second, first}, rows, followup.Filter{Overdue: true}, made)
	if r.Title != "Ähtärin kumppanuuspöytä" || len(r.Tables) != 2 || r.Tables[1].Title != "Soinin kumppanuuspöytä" || !r.Filter.Overdue {
		t.Fatalf("report %+v", r)
	}
	if len(r.Actions) != len(rows) {
		t.Fatalf("%d actions, want %d", len(r.Actions), len(rows))
	}
	var b strings.Builder
	if err := minutes.WriteReport(&b, r, minutes.Markdown); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Liisa Virtanen", "Kalenteri kilpailutetaan.", "Luovuttu", "Käynnissä, myöhässä", "**Rajaus:** myöhässä"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}
