package session_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// Demo data: a partnership table of Ähtäri and Soini.
const (
	demoTitle    = "Ähtärin ja Soinin kumppanuuspöytä"
	demoTheme    = "Millainen on järjestöystävällinen kunta?"
	demoQuestion = "Mikä tekisi kunnastamme järjestöystävällisemmän?"
	demoCode     = "KP-4821"
	demoTableID  = "tbl-ahtari-soini"
	facSecret    = "fac-secret-5f1d0c7e9a3b4d21"
	mattiToken   = "tok-matti-1b2c3d4e5f60718293a4"
	liisaToken   = "tok-liisa-9f8e7d6c5b4a39281706"
	ainoToken    = "tok-aino-0a1b2c3d4e5f6a7b8c9d0"
	pekkaToken   = "tok-pekka-55aa66bb77cc88dd99ee"
)

var demoKey = bytes.Repeat([]byte{0x5a, 0xa5, 0x3c, 0xc3}, 8)

// clock is a deterministic Env: a fixed time that tests advance by hand and
// readable ids "id-1", "id-2", ….
type clock struct {
	now time.Time
	n   int
	max int // MaxParticipants
}

func newClock() *clock {
	return &clock{now: time.Date(2025, 3, 12, 15, 0, 0, 0, time.UTC)}
}

func (c *clock) newID() string {
	c.n++
	return fmt.Sprintf("id-%d", c.n)
}

func (c *clock) env() session.Env {
	return session.Env{Now: c.now, NewID: c.newID, MaxParticipants: c.max}
}

func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }

// meeting is a table under test with its clock and every event that built it.
type meeting struct {
	tbl    *session.Table
	clock  *clock
	events []session.Event

	greet, discuss, steps string // agenda item ids

	fac, screen, guest        session.Who
	matti, liisa, aino, pekka session.Who
	room                      string // room group id
	scribe                    session.Who
}

func demoInput() session.NewTableInput {
	return session.NewTableInput{
		Title:          demoTitle,
		Theme:          demoTheme,
		Date:           "2025-03-12",
		Start:          "17:00",
		End:            "19:30",
		Room:           "Ähtärin kaupungintalo, valtuustosali",
		Link:           "https://meet.example.fi/kumppanuuspoyta",
		Lang:           "fi",
		Facilitator:    "Sanna Koordinaattori",
		AllowAnonymous: true,
		Dots:           3,
		Agenda: []session.ItemInput{
			{Title: "Kaupungin tervehdys", Presenter: "Kaupunginjohtaja", Timebox: 5},
			{Title: "Keskustelu: järjestöystävällinen kunta", Question: demoQuestion, Timebox: 30},
			{Title: "Konkreettiset yhteistyön askeleet ja toteuttajatiimi", Timebox: 20},
		},
	}
}

func demoSecrets() session.Secrets {
	return session.Secrets{ID: demoTableID, Code: demoCode, Key: demoKey, FacilitatorSecret: facSecret}
}

// newTable creates a table from the input with NewTable and Apply and
// nothing else: no participants, the first item open.
func newTable(t *testing.T, in session.NewTableInput) *meeting {
	t.Helper()
	c := newClock()
	e, err := session.NewTable(in, demoSecrets(), c.env())
	if err != nil {
		t.Fatalf("NewTable: %v", err)
	}
	tbl := new(session.Table)
	tbl.Apply(e)
	m := &meeting{tbl: tbl, clock: c, events: []session.Event{e},
		fac:    session.Who{Role: session.RoleFacilitator},
		screen: session.Who{Role: session.RoleScreen},
		guest:  session.Who{Role: session.RoleGuest},
	}
	if len(tbl.Items) >= 3 {
		m.greet, m.discuss, m.steps = tbl.Items[0].ID, tbl.Items[1].ID, tbl.Items[2].ID
	}
	return m
}

// newMeeting builds the realistic demo table: three agenda items, four
// participants, one room group with its scribe, and the discussion item
// open and collecting ideas.
func newMeeting(t *testing.T) *meeting {
	t.Helper()
	m := newTable(t, demoInput())
	m.matti = m.join(t, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association", mattiToken)
	m.liisa = m.join(t, "Liisa Virtanen", "Ähtärin kaupunki", "municipality", liisaToken)
	m.aino = m.join(t, "Aino Asukas", "", "resident", ainoToken)
	m.pekka = m.join(t, "Pekka Korhonen", "Soinin Marttayhdistys ry", "association", pekkaToken)
	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"g1","op":"group.add","name":"Sali, pöytä 2"}`))
	m.room = e.Data.(*session.GroupAdded).Group.ID
	m.scribe = session.Who{Role: session.RoleScribe, ID: m.room}
	m.open(t, m.discuss)
	return m
}

// join lets a guest join with a token and returns the new participant.
func (m *meeting) join(t *testing.T, name, org, sector, token string) session.Who {
	t.Helper()
	e := mustDo(t, m, m.guest, &session.Join{Name: name, Org: org, Sector: sector, TokenHash: session.HashSecret(token)})
	return session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID}
}

func (m *meeting) open(t *testing.T, item string) {
	t.Helper()
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.open","item":%q}`, item))
}

func (m *meeting) phase(t *testing.T, item string, p session.Phase) {
	t.Helper()
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.phase","item":%q,"phase":%q}`, item, p))
}

// idea adds an idea to the discussion item as who and returns its id.
func (m *meeting) idea(t *testing.T, who session.Who, text string) string {
	t.Helper()
	return m.ideaOn(t, who, m.discuss, text)
}

func (m *meeting) ideaOn(t *testing.T, who session.Who, item, text string) string {
	t.Helper()
	e := mustDo(t, m, who, cmdf(t, `{"op":"idea.add","item":%q,"text":%q}`, item, text))
	return e.Data.(*session.IdeaAdded).Idea
}

func (m *meeting) vote(t *testing.T, who session.Who, idea string) {
	t.Helper()
	mustDo(t, m, who, cmdf(t, `{"op":"vote.add","idea":%q}`, idea))
}

// action adds an action as the facilitator from a JSON body and returns its id.
func (m *meeting) action(t *testing.T, body string, args ...any) string {
	t.Helper()
	e := mustDo(t, m, m.fac, cmdf(t, body, args...))
	return e.Data.(*session.ActionAdded).Action.ID
}

func (m *meeting) item(t *testing.T, id string) *session.Item {
	t.Helper()
	for _, it := range m.tbl.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %q", id)
	return nil
}

func (m *meeting) ideaByID(t *testing.T, id string) *session.Idea {
	t.Helper()
	i := m.tbl.Ideas[id]
	if i == nil {
		t.Fatalf("no idea %q", id)
	}
	return i
}

func (m *meeting) actionByID(t *testing.T, id string) *session.Action {
	t.Helper()
	a := m.tbl.Actions[id]
	if a == nil {
		t.Fatalf("no action %q", id)
	}
	return a
}

// cmdf parses a protocol message, so that tests exercise the JSON field
// names clients use. The format is filled with fmt.Sprintf; %q of plain
// text is valid JSON.
func cmdf(t *testing.T, format string, args ...any) session.Command {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	_, _, cmd, err := session.ParseCommand([]byte(msg))
	if err != nil {
		t.Fatalf("ParseCommand(%s): %v", msg, err)
	}
	return cmd
}

func snapshot(t *testing.T, tbl *session.Table) []byte {
	t.Helper()
	b, err := tbl.MarshalSnapshot()
	if err != nil {
		t.Fatalf("MarshalSnapshot: %v", err)
	}
	return b
}

// mustDo decides a command and applies its event with the next seq. It
// fails the test when the command is refused or Decide changed the table.
func mustDo(t *testing.T, m *meeting, who session.Who, cmd session.Command) session.Event {
	t.Helper()
	before := snapshot(t, m.tbl)
	e, err := session.Decide(m.tbl, who, cmd, m.clock.env())
	if err != nil {
		t.Fatalf("Decide(%s %T) refused: %v", who.Role, cmd, err)
	}
	if after := snapshot(t, m.tbl); !bytes.Equal(before, after) {
		t.Fatalf("Decide(%s %T) changed the table", who.Role, cmd)
	}
	if e.Data == nil || e.Type == "" {
		t.Fatalf("Decide(%s %T) returned an event without data: %+v", who.Role, cmd, e)
	}
	if e.Actor != who.Actor() {
		t.Fatalf("event actor = %q, want %q", e.Actor, who.Actor())
	}
	if !e.Time.Equal(m.clock.now) {
		t.Fatalf("event time = %v, want %v", e.Time, m.clock.now)
	}
	e.Seq = m.tbl.Seq + 1
	m.tbl.Apply(e)
	if m.tbl.Seq != e.Seq {
		t.Fatalf("Seq after Apply = %d, want %d", m.tbl.Seq, e.Seq)
	}
	m.events = append(m.events, e)
	return e
}

// refused decides a command that must be refused and returns the refusal.
// It fails the test when the command succeeds, the error is not a
// *session.Error, or Decide changed the table.
func refused(t *testing.T, m *meeting, who session.Who, cmd session.Command) *session.Error {
	t.Helper()
	before := snapshot(t, m.tbl)
	e, err := session.Decide(m.tbl, who, cmd, m.clock.env())
	if after := snapshot(t, m.tbl); !bytes.Equal(before, after) {
		t.Fatalf("refused Decide(%s %T) changed the table", who.Role, cmd)
	}
	if err == nil {
		t.Fatalf("Decide(%s %T) = %s event, want a refusal", who.Role, cmd, e.Type)
	}
	if e.Data != nil {
		t.Fatalf("refused Decide(%s %T) still returned event data %T", who.Role, cmd, e.Data)
	}
	var se *session.Error
	if !errors.As(err, &se) {
		t.Fatalf("Decide(%s %T) error %v is %T, not *session.Error", who.Role, cmd, err, err)
	}
	if se.Code == "" || se.Kind == "" || se.Message == "" {
		t.Fatalf("refusal without code, kind or message: %+v", se)
	}
	return se
}

// refuse asserts that a command is refused with exactly code (and, where
// kindOf knows it, the code's kind) and that the table did not change.
func refuse(t *testing.T, m *meeting, who session.Who, cmd session.Command, code string) *session.Error {
	t.Helper()
	se := refused(t, m, who, cmd)
	if se.Code != code {
		t.Fatalf("Decide(%s %T) refused with %s (%s), want %s", who.Role, cmd, se.Code, se.Message, code)
	}
	if want, ok := kindOf[code]; ok && se.Kind != want {
		t.Fatalf("%s has kind %s, want %s", code, se.Kind, want)
	}
	return se
}

// kindOf is the Kind every code in these tests is expected to belong to.
var kindOf = map[string]session.Kind{
	session.CodeNotInGroup:    session.KindForbidden,
	session.CodeNotReporter:   session.KindForbidden,
	session.CodeGroupWork:     session.KindConflict,
	session.CodeGroupEnded:    session.KindConflict,
	session.CodeIdeaPending:   session.KindConflict,
	session.CodeIdeaApproved:  session.KindConflict,
	session.CodeNoFacilitator: session.KindNotFound,
	session.CodeMissingField:  session.KindInvalid,
	session.CodeInvalidText:   session.KindInvalid,
	session.CodeTooLong:       session.KindInvalid,
	session.CodeInvalidValue:  session.KindInvalid,
	session.CodeNoChange:      session.KindInvalid,
	session.CodeSameIdea:      session.KindInvalid,
	session.CodeUnauthorized:  session.KindForbidden,
	session.CodeForbidden:     session.KindForbidden,
	session.CodeNotOwner:      session.KindForbidden,
	session.CodeAnonDisabled:  session.KindForbidden,
	session.CodeNoItem:        session.KindNotFound,
	session.CodeNoIdea:        session.KindNotFound,
	session.CodeNoAction:      session.KindNotFound,
	session.CodeNoParticipant: session.KindNotFound,
	session.CodeNoGroup:       session.KindNotFound,
	session.CodeNoOwner:       session.KindNotFound,
	session.CodeWrongPhase:    session.KindConflict,
	session.CodeNotCurrent:    session.KindConflict,
	session.CodeLocked:        session.KindConflict,
	session.CodeClosed:        session.KindConflict,
	session.CodeNotClosed:     session.KindConflict,
	session.CodeNotLocked:     session.KindConflict,
	session.CodeIdeaHidden:    session.KindConflict,
	session.CodeIdeaMerged:    session.KindConflict,
	session.CodeAlreadyVoted:  session.KindConflict,
	session.CodeNoVote:        session.KindConflict,
	session.CodeInQueue:       session.KindConflict,
	session.CodeNotInQueue:    session.KindConflict,
	session.CodeItemNotEmpty:  session.KindConflict,
	session.CodeIdeaHasVotes:  session.KindConflict,
	session.CodeOtherItem:     session.KindConflict,
	session.CodeAlreadyOwner:  session.KindConflict,
	session.CodeTimerRunning:  session.KindConflict,
	session.CodeTimerStopped:  session.KindConflict,
	session.CodeBudget:        session.KindLimit,
	session.CodeTooMany:       session.KindLimit,
	session.CodeTableFull:     session.KindLimit,
}

// umlauts repeats "ä" n times: n characters, 2n bytes.
func umlauts(n int) string { return strings.Repeat("ä", n) }

func ptr[T any](v T) *T { return &v }
