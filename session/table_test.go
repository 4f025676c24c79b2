package session_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

func TestNewTable(t *testing.T) {
	m := newTable(t, demoInput())
	tbl := m.tbl
	e := m.events[0]
	if e.Seq != 1 || e.Type != "table.created" || e.Actor != "facilitator" {
		t.Fatalf("first event = seq %d type %q actor %q, want 1 table.created facilitator", e.Seq, e.Type, e.Actor)
	}
	if tbl.ID != demoTableID || tbl.Code != demoCode || tbl.Seq != 1 {
		t.Fatalf("id/code/seq = %q %q %d", tbl.ID, tbl.Code, tbl.Seq)
	}
	if tbl.Title != demoTitle || tbl.Theme != demoTheme || tbl.Date != "2025-03-12" || tbl.Start != "17:00" || tbl.End != "19:30" {
		t.Fatalf("details = %q %q %q %q %q", tbl.Title, tbl.Theme, tbl.Date, tbl.Start, tbl.End)
	}
	if tbl.Lang != "fi" || !tbl.AllowAnonymous || tbl.Dots != 3 || tbl.MultiDot {
		t.Fatalf("settings = lang %q anon %v dots %d multi %v", tbl.Lang, tbl.AllowAnonymous, tbl.Dots, tbl.MultiDot)
	}
	if len(tbl.Facilitators) != 1 || tbl.Facilitators[0] != "Sanna Koordinaattori" {
		t.Fatalf("facilitators = %q", tbl.Facilitators)
	}
	if !tbl.Created.Equal(m.clock.now) {
		t.Fatalf("created = %v, want %v", tbl.Created, m.clock.now)
	}
	if tbl.FacilitatorHash != session.HashSecret(facSecret) || tbl.FacilitatorHash == facSecret {
		t.Fatalf("facilitator secret is not stored as its hash: %q", tbl.FacilitatorHash)
	}
	wantItems := []struct {
		title, question string
		timebox         int
	}{
		{"Kaupungin tervehdys", "", 5},
		{"Keskustelu: järjestöystävällinen kunta", demoQuestion, 30},
		{"Konkreettiset yhteistyön askeleet ja toteuttajatiimi", "", 20},
	}
	if len(tbl.Items) != len(wantItems) {
		t.Fatalf("%d items, want %d", len(tbl.Items), len(wantItems))
	}
	for i, w := range wantItems {
		it := tbl.Items[i]
		if it.Title != w.title || it.Question != w.question || it.Timebox != w.timebox {
			t.Errorf("item %d = %q %q %d, want %q %q %d", i, it.Title, it.Question, it.Timebox, w.title, w.question, w.timebox)
		}
		if it.Phase != session.PhaseCollect || it.Dots != 3 || it.MultiDot || it.Timer.Duration != w.timebox*60 || it.Timer.Running {
			t.Errorf("item %d starts as phase %q dots %d multi %v timer %+v", i, it.Phase, it.Dots, it.MultiDot, it.Timer)
		}
	}
	if tbl.Items[0].ID != "id-1" || tbl.Items[2].ID != "id-3" {
		t.Fatalf("item ids = %q %q, want id-1 … id-3 from Env.NewID", tbl.Items[0].ID, tbl.Items[2].ID)
	}
	if tbl.Current != tbl.Items[0].ID {
		t.Fatalf("current = %q, want the first item", tbl.Current)
	}
	if tbl.Participants == nil || tbl.Ideas == nil || tbl.Actions == nil || tbl.Ballots == nil {
		t.Fatal("maps of a new table are nil")
	}
}

func TestNewTableDefaults(t *testing.T) {
	m := newTable(t, session.NewTableInput{Title: "  Soinin kyläilta  "})
	if m.tbl.Title != "Soinin kyläilta" {
		t.Errorf("title = %q, want it trimmed", m.tbl.Title)
	}
	if m.tbl.Lang != "fi" || m.tbl.Dots != session.DefaultDots || m.tbl.AllowAnonymous || m.tbl.MultiDot {
		t.Errorf("defaults = lang %q dots %d anon %v multi %v", m.tbl.Lang, m.tbl.Dots, m.tbl.AllowAnonymous, m.tbl.MultiDot)
	}
	if len(m.tbl.Items) != 0 || m.tbl.Current != "" || len(m.tbl.Facilitators) != 0 {
		t.Errorf("items %d current %q facilitators %q, want none", len(m.tbl.Items), m.tbl.Current, m.tbl.Facilitators)
	}

	in := demoInput()
	in.Lang, in.Dots, in.MultiDot = "sv", 5, true
	m = newTable(t, in)
	if m.tbl.Lang != "sv" || m.tbl.Dots != 5 || !m.tbl.MultiDot || m.tbl.Items[1].Dots != 5 || !m.tbl.Items[1].MultiDot {
		t.Errorf("items do not take the table's voting defaults: %+v", m.tbl.Items[1])
	}

	// A facilitator name of only spaces names nobody.
	in = demoInput()
	in.Facilitator = "   "
	m = newTable(t, in)
	if len(m.tbl.Facilitators) != 0 {
		t.Errorf("facilitators = %q, want none for a blank name", m.tbl.Facilitators)
	}
}

func TestNewTableRefusals(t *testing.T) {
	agenda := func(n int) []session.ItemInput {
		out := make([]session.ItemInput, n)
		for i := range out {
			out[i] = session.ItemInput{Title: fmt.Sprintf("Kohta %d", i+1)}
		}
		return out
	}
	tests := []struct {
		name string
		edit func(*session.NewTableInput)
		code string
	}{
		{"title missing", func(in *session.NewTableInput) { in.Title = "   " }, session.CodeMissingField},
		{"title too long", func(in *session.NewTableInput) { in.Title = umlauts(session.MaxTitle + 1) }, session.CodeTooLong},
		{"title two lines", func(in *session.NewTableInput) { in.Title = "Ähtäri\nSoini" }, session.CodeInvalidText},
		{"title NUL", func(in *session.NewTableInput) { in.Title = "Ähtäri\x00" }, session.CodeInvalidText},
		{"title invalid UTF-8", func(in *session.NewTableInput) { in.Title = "\xffÄhtäri" }, session.CodeInvalidText},
		{"theme too long", func(in *session.NewTableInput) { in.Theme = umlauts(session.MaxTheme + 1) }, session.CodeTooLong},
		{"theme control", func(in *session.NewTableInput) { in.Theme = "kunta\x1b[31m" }, session.CodeInvalidText},
		{"date", func(in *session.NewTableInput) { in.Date = "12.3.2025" }, session.CodeInvalidValue},
		{"date out of range", func(in *session.NewTableInput) { in.Date = "2025-02-30" }, session.CodeInvalidValue},
		{"start", func(in *session.NewTableInput) { in.Start = "5pm" }, session.CodeInvalidValue},
		{"start one-digit hour", func(in *session.NewTableInput) { in.Start = "9:30" }, session.CodeInvalidValue},
		{"end", func(in *session.NewTableInput) { in.End = "24:00" }, session.CodeInvalidValue},
		{"room too long", func(in *session.NewTableInput) { in.Room = umlauts(session.MaxPlace + 1) }, session.CodeTooLong},
		{"room two lines", func(in *session.NewTableInput) { in.Room = "Sali\nKerros 2" }, session.CodeInvalidText},
		{"link javascript", func(in *session.NewTableInput) { in.Link = "javascript:alert(1)" }, session.CodeInvalidValue},
		{"link data", func(in *session.NewTableInput) { in.Link = "data:text/html,<b>x</b>" }, session.CodeInvalidValue},
		{"link without host", func(in *session.NewTableInput) { in.Link = "https://" }, session.CodeInvalidValue},
		{"link relative", func(in *session.NewTableInput) { in.Link = "/meet" }, session.CodeInvalidValue},
		{"link too long", func(in *session.NewTableInput) {
			in.Link = "https://meet.example.fi/" + strings.Repeat("a", session.MaxLink)
		}, session.CodeTooLong},
		{"lang", func(in *session.NewTableInput) { in.Lang = "de" }, session.CodeInvalidValue},
		{"facilitator too long", func(in *session.NewTableInput) { in.Facilitator = umlauts(session.MaxName + 1) }, session.CodeTooLong},
		{"facilitator control", func(in *session.NewTableInput) { in.Facilitator = "Sanna\x07" }, session.CodeInvalidText},
		{"dots too many", func(in *session.NewTableInput) { in.Dots = session.MaxDots + 1 }, session.CodeInvalidValue},
		{"dots negative", func(in *session.NewTableInput) { in.Dots = -1 }, session.CodeInvalidValue},
		{"agenda too long", func(in *session.NewTableInput) { in.Agenda = agenda(session.MaxItems + 1) }, session.CodeTooMany},
		{"item title missing", func(in *session.NewTableInput) { in.Agenda[1].Title = "" }, session.CodeMissingField},
		{"item question too long", func(in *session.NewTableInput) { in.Agenda[1].Question = umlauts(session.MaxQuestion + 1) }, session.CodeTooLong},
		{"item presenter too long", func(in *session.NewTableInput) { in.Agenda[0].Presenter = umlauts(2*session.MaxName + 1) }, session.CodeTooLong},
		{"item timebox negative", func(in *session.NewTableInput) { in.Agenda[0].Timebox = -5 }, session.CodeInvalidValue},
		{"item timebox over a day", func(in *session.NewTableInput) { in.Agenda[0].Timebox = session.MaxTimeboxMinutes + 1 }, session.CodeInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := demoInput()
			tc.edit(&in)
			_, err := session.NewTable(in, demoSecrets(), newClock().env())
			var se *session.Error
			if !errors.As(err, &se) || se.Code != tc.code {
				t.Fatalf("NewTable error = %v, want %s", err, tc.code)
			}
			if want, ok := kindOf[tc.code]; ok && se.Kind != want {
				t.Fatalf("kind = %s, want %s", se.Kind, want)
			}
		})
	}
}

func TestNewTableLimitsCountCharacters(t *testing.T) {
	in := demoInput()
	in.Title = umlauts(session.MaxTitle) // 400 bytes, 200 characters
	in.Agenda = make([]session.ItemInput, session.MaxItems)
	for i := range in.Agenda {
		in.Agenda[i] = session.ItemInput{Title: fmt.Sprintf("Kohta %d", i+1), Timebox: session.MaxTimeboxMinutes}
	}
	in.Agenda[0].Question = umlauts(session.MaxQuestion)
	m := newTable(t, in)
	if m.tbl.Title != in.Title || len(m.tbl.Items) != session.MaxItems {
		t.Fatalf("a title of %d characters or %d items was not accepted", session.MaxTitle, session.MaxItems)
	}
	if m.tbl.Items[0].Timer.Duration != session.MaxTimeboxMinutes*60 {
		t.Fatalf("timer duration = %d", m.tbl.Items[0].Timer.Duration)
	}
}

func TestAuthenticate(t *testing.T) {
	m := newMeeting(t)
	tbl := m.tbl
	removedGroup := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 5"}`)).Data.(*session.GroupAdded).Group.ID
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.remove","group":%q}`, removedGroup))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"participant.remove","participant":%q}`, m.pekka.ID))

	good := []struct {
		name string
		role session.Role
		cred string
		want session.Who
	}{
		{"facilitator", session.RoleFacilitator, facSecret, m.fac},
		{"participant matti", session.RoleParticipant, mattiToken, m.matti},
		{"participant liisa", session.RoleParticipant, liisaToken, m.liisa},
		{"scribe", session.RoleScribe, tbl.ScribeToken(m.room), m.scribe},
		{"screen", session.RoleScreen, tbl.ScreenToken(), m.screen},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			who, err := tbl.Authenticate(tc.role, tc.cred)
			if err != nil || who != tc.want {
				t.Fatalf("Authenticate = %+v, %v; want %+v", who, err, tc.want)
			}
		})
	}

	bad := []struct {
		name string
		role session.Role
		cred string
		code string
	}{
		{"facilitator wrong secret", session.RoleFacilitator, facSecret + "x", session.CodeUnauthorized},
		{"facilitator hash instead of secret", session.RoleFacilitator, tbl.FacilitatorHash, session.CodeUnauthorized},
		{"facilitator empty", session.RoleFacilitator, "", session.CodeUnauthorized},
		{"facilitator with a participant token", session.RoleFacilitator, mattiToken, session.CodeUnauthorized},
		{"facilitator with the screen token", session.RoleFacilitator, tbl.ScreenToken(), session.CodeUnauthorized},
		{"participant wrong token", session.RoleParticipant, "tok-nobody", session.CodeUnauthorized},
		{"participant token hash", session.RoleParticipant, session.HashSecret(mattiToken), session.CodeUnauthorized},
		{"participant facilitator secret", session.RoleParticipant, facSecret, session.CodeUnauthorized},
		{"participant too long", session.RoleParticipant, strings.Repeat("x", 201), session.CodeUnauthorized},
		{"participant removed", session.RoleParticipant, pekkaToken, session.CodeRemoved},
		{"scribe wrong token", session.RoleScribe, tbl.ScreenToken(), session.CodeUnauthorized},
		{"scribe of a removed group", session.RoleScribe, tbl.ScribeToken(removedGroup), session.CodeUnauthorized},
		{"scribe of an unknown group", session.RoleScribe, tbl.ScribeToken("id-999"), session.CodeUnauthorized},
		{"screen wrong token", session.RoleScreen, tbl.ScribeToken(m.room), session.CodeUnauthorized},
		{"screen empty", session.RoleScreen, "", session.CodeUnauthorized},
		{"guest", session.RoleGuest, facSecret, session.CodeUnauthorized},
		{"unknown role", session.Role("admin"), facSecret, session.CodeUnauthorized},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			who, err := tbl.Authenticate(tc.role, tc.cred)
			var se *session.Error
			if !errors.As(err, &se) || se.Code != tc.code || se.Kind != session.KindForbidden {
				t.Fatalf("Authenticate = %+v, %v; want %s", who, err, tc.code)
			}
			if who != (session.Who{}) {
				t.Fatalf("a refused credential still named %+v", who)
			}
		})
	}
}

func TestDerivedTokens(t *testing.T) {
	m := newMeeting(t)
	other := newTable(t, demoInput())
	other.tbl.Key = []byte("another table's key, 32 bytes..")
	if m.tbl.ScreenToken() == m.tbl.ScribeToken(m.room) {
		t.Fatal("screen and scribe tokens are equal")
	}
	if m.tbl.ScribeToken("id-1") == m.tbl.ScribeToken("id-2") {
		t.Fatal("two groups share a scribe token")
	}
	if m.tbl.ScreenToken() == other.tbl.ScreenToken() {
		t.Fatal("two tables with different keys share a screen token")
	}
	if m.tbl.ScreenToken() != m.tbl.ScreenToken() {
		t.Fatal("the screen token is not stable")
	}
	if len(m.tbl.ScreenToken()) < 20 {
		t.Fatalf("screen token %q is too short to be a credential", m.tbl.ScreenToken())
	}
}

func TestEditTable(t *testing.T) {
	m := newMeeting(t)
	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"e1","op":"table.edit",
		"title":"Ähtärin, Soinin ja Alavuden kumppanuuspöytä",
		"theme":"Järjestöt ja kunta\nyhdessä",
		"date":"2025-04-02","start":"18:00","end":"20:00",
		"room":"Soinin kunnantalo","link":"http://meet.example.fi/uusi","lang":"sv",
		"facilitators":["Sanna Koordinaattori"," Jukka Järjestäjä "],
		"allowAnonymous":false,"dots":5,"multiDot":true}`))
	if e.Type != "table.edited" {
		t.Fatalf("event type %q", e.Type)
	}
	tbl := m.tbl
	if tbl.Title != "Ähtärin, Soinin ja Alavuden kumppanuuspöytä" || tbl.Theme != "Järjestöt ja kunta\nyhdessä" ||
		tbl.Date != "2025-04-02" || tbl.Start != "18:00" || tbl.End != "20:00" || tbl.Room != "Soinin kunnantalo" ||
		tbl.Link != "http://meet.example.fi/uusi" || tbl.Lang != "sv" {
		t.Fatalf("details not changed: %+v", tbl)
	}
	if len(tbl.Facilitators) != 2 || tbl.Facilitators[1] != "Jukka Järjestäjä" {
		t.Fatalf("facilitators = %q", tbl.Facilitators)
	}
	if tbl.AllowAnonymous || tbl.Dots != 5 || !tbl.MultiDot {
		t.Fatalf("defaults = anon %v dots %d multi %v", tbl.AllowAnonymous, tbl.Dots, tbl.MultiDot)
	}
	// Defaults are for new items; existing items keep their voting rules.
	if m.item(t, m.discuss).Dots != 3 {
		t.Fatal("editing the table default changed an existing item's budget")
	}
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"item.add","title":"Lisäkohta"}`))
	if it := e.Data.(*session.ItemAdded).Item; it.Dots != 5 || !it.MultiDot {
		t.Fatalf("new item has dots %d multi %v, want the new defaults", it.Dots, it.MultiDot)
	}

	// Absent fields stay; clearing optional fields is allowed.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","room":"","link":"","date":"","facilitators":[]}`))
	if tbl.Title != "Ähtärin, Soinin ja Alavuden kumppanuuspöytä" || tbl.Room != "" || tbl.Link != "" || tbl.Date != "" || len(tbl.Facilitators) != 0 {
		t.Fatalf("after clearing: title %q room %q link %q date %q facilitators %q", tbl.Title, tbl.Room, tbl.Link, tbl.Date, tbl.Facilitators)
	}
	if tbl.Start != "18:00" || tbl.Lang != "sv" {
		t.Fatal("absent fields changed")
	}
}

func TestEditTableRefusals(t *testing.T) {
	m := newMeeting(t)
	tooMany := `["a","b","c","d","e","f","g","h","i","j","k"]`
	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"nothing", `{"op":"table.edit"}`, session.CodeNoChange},
		{"title empty", `{"op":"table.edit","title":" "}`, session.CodeMissingField},
		{"title too long", fmt.Sprintf(`{"op":"table.edit","title":%q}`, umlauts(session.MaxTitle+1)), session.CodeTooLong},
		{"theme too long", fmt.Sprintf(`{"op":"table.edit","theme":%q}`, umlauts(session.MaxTheme+1)), session.CodeTooLong},
		{"date", `{"op":"table.edit","date":"2025-13-01"}`, session.CodeInvalidValue},
		{"start", `{"op":"table.edit","start":"25:00"}`, session.CodeInvalidValue},
		{"end", `{"op":"table.edit","end":"7"}`, session.CodeInvalidValue},
		{"room", `{"op":"table.edit","room":"Sali\tA"}`, session.CodeInvalidText},
		{"link", `{"op":"table.edit","link":"javascript:alert(1)"}`, session.CodeInvalidValue},
		{"lang", `{"op":"table.edit","lang":"FI"}`, session.CodeInvalidValue},
		{"facilitators too many", `{"op":"table.edit","facilitators":` + tooMany + `}`, session.CodeTooMany},
		{"facilitator empty", `{"op":"table.edit","facilitators":["Sanna",""]}`, session.CodeMissingField},
		{"facilitator too long", fmt.Sprintf(`{"op":"table.edit","facilitators":[%q]}`, umlauts(session.MaxName+1)), session.CodeTooLong},
		{"dots zero", `{"op":"table.edit","dots":0}`, session.CodeInvalidValue},
		{"dots too many", `{"op":"table.edit","dots":21}`, session.CodeInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, cmdf(t, "%s", tc.msg), tc.code)
		})
	}
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","facilitators":["a","b","c","d","e","f","g","h","i","j"]}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.edit","title":"Uusi"}`), session.CodeClosed)
}

func TestLockTable(t *testing.T) {
	m := newMeeting(t)
	idea := m.idea(t, m.matti, "Maksuttomat tilat järjestöille")
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`), session.CodeNotLocked)

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`))
	if d := e.Data.(*session.TableLocked); !d.Locked || !m.tbl.Locked {
		t.Fatalf("table.lock: event %+v, locked %v", d, m.tbl.Locked)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.lock"}`), session.CodeLocked)

	// Participants, scribes and new guests are stopped.
	refuse(t, m, m.guest, &session.Join{Name: "Myöhäinen Mauno", TokenHash: session.HashSecret("late")}, session.CodeLocked)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yhteinen kalenteri"}`, m.discuss), session.CodeLocked)
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Maksuttomat tilat"}`, idea), session.CodeLocked)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"idea.add","item":%q,"text":"Salin idea"}`, m.discuss), session.CodeLocked)
	refuse(t, m, m.aino, cmdf(t, `{"op":"hand.raise"}`), session.CodeLocked)

	// The facilitator still works.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yhteinen kalenteri","onBehalf":"Salin vieras"}`, m.discuss))
	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.matti, cmdf(t, `{"op":"vote.add","idea":%q}`, idea), session.CodeLocked)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":4}`, idea, m.room))

	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"table.unlock"}`))
	if e.Data.(*session.TableLocked).Locked || m.tbl.Locked {
		t.Fatal("table.unlock did not unlock")
	}
	m.vote(t, m.matti, idea)
	m.join(t, "Myöhäinen Mauno", "", "", "late")
}

func TestCloseTable(t *testing.T) {
	m := newMeeting(t)
	idea := m.idea(t, m.matti, "Maksuttomat tilat järjestöille")
	act := m.action(t, `{"op":"action.add","item":%q,"title":"Tilavarausten selvitys","ideas":[%q]}`, m.discuss, idea)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss))
	mustDo(t, m, m.matti, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.liisa, cmdf(t, `{"op":"hand.raise"}`))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"floor.give","participant":%q}`, m.matti.ID))
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.reopen"}`), session.CodeNotClosed)

	m.clock.advance(90 * time.Second)
	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	if !e.Data.(*session.TableClosed).Closed || !m.tbl.Closed {
		t.Fatal("table.close did not close")
	}
	if len(m.tbl.Queue) != 0 || m.tbl.Floor != "" || !m.tbl.FloorSince.IsZero() {
		t.Fatalf("closing left queue %v floor %q since %v", m.tbl.Queue, m.tbl.Floor, m.tbl.FloorSince)
	}
	tm := m.item(t, m.discuss).Timer
	if tm.Running || tm.Elapsed != 90_000 {
		t.Fatalf("closing did not pause the timer at 90 s: %+v", tm)
	}
	m.clock.advance(time.Hour)
	if got := tm.Remaining(m.clock.now); got != 30*time.Minute-90*time.Second {
		t.Fatalf("remaining after close = %v, want the paused 28m30s", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"table.close"}`), session.CodeClosed)

	// Nobody but the facilitator finishing the minutes may write.
	closed := []struct {
		name string
		who  session.Who
		msg  string
	}{
		{"participant idea", m.liisa, fmt.Sprintf(`{"op":"idea.add","item":%q,"text":"Myöhässä"}`, m.discuss)},
		{"participant hand", m.liisa, `{"op":"hand.raise"}`},
		{"participant profile", m.liisa, `{"op":"participant.update","name":"Liisa V."}`},
		{"scribe idea", m.scribe, fmt.Sprintf(`{"op":"idea.add","item":%q,"text":"Myöhässä"}`, m.discuss)},
		{"facilitator idea", m.fac, fmt.Sprintf(`{"op":"idea.add","item":%q,"text":"Myöhässä"}`, m.discuss)},
		{"facilitator lock", m.fac, `{"op":"table.lock"}`},
		{"facilitator item", m.fac, `{"op":"item.add","title":"Uusi"}`},
		{"facilitator phase", m.fac, fmt.Sprintf(`{"op":"item.phase","item":%q,"phase":"vote"}`, m.discuss)},
		{"facilitator timer", m.fac, fmt.Sprintf(`{"op":"timer.start","item":%q}`, m.discuss)},
		{"facilitator hide", m.fac, fmt.Sprintf(`{"op":"idea.hide","idea":%q}`, idea)},
		{"facilitator edit idea", m.fac, fmt.Sprintf(`{"op":"idea.edit","idea":%q,"text":"Uusi"}`, idea)},
		{"facilitator room dots", m.fac, fmt.Sprintf(`{"op":"room.dots","idea":%q,"group":%q,"dots":2}`, idea, m.room)},
		{"facilitator floor", m.fac, fmt.Sprintf(`{"op":"floor.give","participant":%q}`, m.aino.ID)},
		{"facilitator group", m.fac, `{"op":"group.add","name":"Sali 3"}`},
		{"facilitator remove participant", m.fac, fmt.Sprintf(`{"op":"participant.remove","participant":%q}`, m.aino.ID)},
	}
	for _, tc := range closed {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, cmdf(t, "%s", tc.msg), session.CodeClosed)
		})
	}
	refuse(t, m, m.guest, &session.Join{Name: "Myöhäinen Mauno", TokenHash: session.HashSecret("late")}, session.CodeClosed)

	// Notes, follow-up of actions and reopening still work.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.notes","item":%q,"notes":"Päätettiin selvittää tilat."}`, m.discuss))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.edit","action":%q,"status":"in_progress","due":"2025-05-31"}`, act))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.assign","action":%q,"org":"Ähtärin kaupunki"}`, act))
	if a := m.actionByID(t, act); a.Status != session.StatusInProgress || a.Due != "2025-05-31" || len(a.Owners) != 1 {
		t.Fatalf("action after close = %+v", a)
	}
	late := mustDo(t, m, m.fac, cmdf(t, `{"op":"action.add","title":"Unohtunut sopimus kirjataan"}`)).Data.(*session.ActionAdded).Action.ID
	mustDo(t, m, m.fac, cmdf(t, `{"op":"action.remove","action":%q}`, late))

	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"table.reopen"}`))
	if e.Data.(*session.TableClosed).Closed || m.tbl.Closed {
		t.Fatal("table.reopen did not reopen")
	}
	if m.item(t, m.discuss).Timer.Running {
		t.Fatal("reopening restarted the timer")
	}
	m.idea(t, m.liisa, "Takaisin pöydän ääreen")
}

func TestErrorText(t *testing.T) {
	e := &session.Error{Kind: session.KindLimit, Code: session.CodeBudget, Message: "all your 3 dots are placed"}
	if e.Error() != "budget_exhausted: all your 3 dots are placed" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestAsError(t *testing.T) {
	e := &session.Error{Kind: session.KindConflict, Code: session.CodeWrongPhase, Message: "x"}
	if got := session.AsError(fmt.Errorf("hub: %w", e)); got != e {
		t.Errorf("AsError of a wrapped *Error = %+v, want the same error", got)
	}
	got := session.AsError(errors.New("disk I/O error at /var/lib/poyta/poyta.db"))
	if got.Kind != session.KindInternal || got.Code != session.CodeInternal || strings.Contains(got.Message, "/var/lib") {
		t.Errorf("AsError of a plain error = %+v, want an internal error that hides the cause", got)
	}
}
