package session_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// The property: a client that starts from ViewFor(me) and folds every event
// it is sent, projected for it and decoded from JSON as a browser would,
// holds exactly what ViewFor(me) shows at every seq. Random meetings drawn
// from every op check it, and check that no projection leaks what the
// privacy rules keep from the caller.

var (
	foldSeeds = flag.Int("fold.seeds", 0, "random meetings TestFoldMatchesView plays (0: 100, or 40 under -race, 10 with -short)")
	foldSteps = flag.Int("fold.steps", 300, "commands per random meeting")
)

func TestFoldMatchesView(t *testing.T) {
	seeds, steps := *foldSeeds, *foldSteps
	switch {
	case seeds > 0:
	case testing.Short():
		seeds = 10
	case raceDetector:
		seeds = 40
	default:
		seeds = 100
	}
	total := newFoldStats()
	for seed := range seeds {
		s := playFold(t, uint64(seed), steps)
		total.add(s)
	}
	// Every event type must have been folded, or the property says little.
	for _, typ := range allEventTypes {
		if total.events[typ] == 0 {
			t.Errorf("no %s event in %d random meetings: the generator never makes one", typ, seeds)
		}
	}
	for _, op := range append(session.Ops(), "join") {
		if total.accepted[op] == 0 {
			t.Errorf("op %s was never accepted in %d random meetings", op, seeds)
		}
	}
	t.Logf("%d meetings × %d commands: %d events folded into %d views, %d not sent to an observer (checked untouched), %d commands refused",
		seeds, steps, total.folded, total.compared, total.skipped, total.refusals())
	if testing.Verbose() {
		for _, op := range slices.Sorted(maps.Keys(foldOps)) {
			t.Logf("  %-20s accepted %5d  refused %5d", op, total.accepted[op], total.refused[op])
		}
		for _, typ := range allEventTypes {
			t.Logf("  %-20s %5d events", typ, total.events[typ])
		}
		for _, k := range slices.Sorted(maps.Keys(total.codes)) {
			t.Logf("  refused %-40s %5d", k, total.codes[k])
		}
	}
}

// FuzzFold plays one random meeting per seed. Under -fuzz the fuzzer
// explores seeds; in normal runs only the corpus below runs.
func FuzzFold(f *testing.F) {
	for _, seed := range []int64{1, 42, 2025, 4821, -7} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		playFold(t, uint64(seed), 200)
	})
}

// Fold refuses what it cannot apply and leaves the view as it was.
func TestFoldRefuses(t *testing.T) {
	m := newMeeting(t)
	view := m.tbl.ViewFor(m.matti)
	before := mustJSON(t, view)
	next := session.Event{Seq: view.Seq + 1, Type: "item.opened", Data: &session.ItemOpened{Item: m.greet}}
	for _, tc := range []struct {
		name string
		e    session.Event
	}{
		{"an old event", session.Event{Seq: view.Seq, Type: next.Type, Data: next.Data}},
		{"an older event", session.Event{Seq: view.Seq - 1, Type: next.Type, Data: next.Data}},
		{"no data", session.Event{Seq: view.Seq + 1, Type: "item.opened"}},
		{"a type that does not match the data", session.Event{Seq: view.Seq + 1, Type: "item.phase", Data: next.Data}},
		{"table.created later on", session.Event{Seq: view.Seq + 1, Type: "table.created", Data: m.events[0].Data}},
	} {
		if err := view.Fold(tc.e, m.matti); err == nil {
			t.Errorf("Fold accepted %s", tc.name)
		}
		if after := mustJSON(t, view); !bytes.Equal(before, after) {
			t.Fatalf("a refused fold (%s) changed the view", tc.name)
		}
	}
	if err := view.Fold(next, m.matti); err != nil || view.Current != m.greet || view.Seq != next.Seq {
		t.Fatalf("Fold(item.opened) = %v; current %q, seq %d", err, view.Current, view.Seq)
	}
}

// allEventTypes is every event type the package defines, sorted.
var allEventTypes = slices.Sorted(slices.Values(session.EventTypes()))

// foldStats counts what one or more random meetings did.
type foldStats struct {
	events, accepted, refused map[string]int
	codes                     map[string]int // refusals by op and code
	folded, compared, skipped int            // skipped: events an observer was not sent
}

func newFoldStats() foldStats {
	return foldStats{events: map[string]int{}, accepted: map[string]int{}, refused: map[string]int{}, codes: map[string]int{}}
}

func (s *foldStats) add(o foldStats) {
	for k, n := range o.events {
		s.events[k] += n
	}
	for k, n := range o.accepted {
		s.accepted[k] += n
	}
	for k, n := range o.refused {
		s.refused[k] += n
	}
	for k, n := range o.codes {
		s.codes[k] += n
	}
	s.folded += o.folded
	s.compared += o.compared
	s.skipped += o.skipped
}

func (s *foldStats) refusals() int {
	n := 0
	for _, c := range s.refused {
		n += c
	}
	return n
}

// observer is one client connection: who it is, the view it folded, and
// the last event data it was sent (for failure messages).
type observer struct {
	name string
	who  session.Who
	view *session.View
	last []byte
}

// foldRun is one random meeting in play.
type foldRun struct {
	t       *testing.T
	seed    uint64
	step    int
	rnd     *rand.Rand
	m       *meeting
	obs     []*observer
	joins   int      // guests who joined, for unique tokens and names
	secrets [][]byte // never in any client's data: token hashes, the facilitator hash
	creds   [][]byte // only for facilitators: the screen and scribe tokens
	stats   foldStats
}

// playFold plays one random meeting of steps commands and checks the
// property after every event.
func playFold(t *testing.T, seed uint64, steps int) foldStats {
	t.Helper()
	r := &foldRun{t: t, seed: seed, rnd: rand.New(rand.NewPCG(seed, 0x5017_a4821)), m: foldMeeting(t, seed),
		stats: newFoldStats()}
	m := r.m
	r.secrets = append(r.secrets, []byte(m.tbl.FacilitatorHash))
	for _, id := range m.tbl.People {
		r.secrets = append(r.secrets, []byte(m.tbl.Participants[id].TokenHash))
	}
	r.creds = append(r.creds, []byte(m.tbl.ScreenToken()), []byte(m.tbl.ScribeToken(m.room)))
	for _, o := range []*observer{
		{name: "facilitator", who: m.fac},
		{name: "Matti", who: m.matti},
		{name: "Aino", who: m.aino},
		{name: "scribe of Sali, pöytä 2", who: m.scribe},
		{name: "room screen", who: m.screen},
		{name: "interpreter", who: session.Who{Role: session.RoleInterpreter}},
	} {
		// Folding the whole log from nothing gives the same view. (No client
		// does so in practice: it gets a snapshot first.)
		o.view = &session.View{}
		for _, e := range m.events {
			r.deliver(o, e)
		}
		o.view.Seq = m.tbl.Seq // the last events may not have been for it
		r.compare(o, session.Event{Seq: m.tbl.Seq, Type: "(the log from seq 1)"})
		o.view = m.tbl.ViewFor(o.who)
		r.obs = append(r.obs, o)
	}
	for _, e := range m.events {
		r.stats.events[e.Type]++
	}
	lateAt := steps / 3
	for r.step = 1; r.step <= steps && !t.Failed(); r.step++ {
		m.clock.advance(time.Duration(r.rnd.Int64N(int64(90 * time.Second))))
		join := r.step >= lateAt && !r.hasLate() && !m.tbl.Locked && !m.tbl.Closed
		op, who, cmd := r.next(join)
		e, err := session.Decide(m.tbl, who, cmd, m.clock.env())
		if err != nil {
			r.stats.refused[op]++
			if se, ok := err.(*session.Error); ok {
				r.stats.codes[op+" "+se.Code]++
			}
			continue
		}
		r.stats.accepted[op]++
		e.Seq = m.tbl.Seq + 1
		m.tbl.Apply(e)
		m.events = append(m.events, e)
		r.stats.events[e.Type]++
		for _, o := range r.obs {
			if r.deliver(o, e) {
				r.compare(o, e)
			} else {
				r.untouched(o, e)
			}
		}
		r.after(e, r.step >= lateAt)
	}
	return r.stats
}

func (r *foldRun) hasLate() bool {
	return slices.ContainsFunc(r.obs, func(o *observer) bool { return o.name == "late participant" })
}

// foldMeeting is the demo meeting; every fourth seed starts it without an
// agenda, so that the first item added becomes the current one.
func foldMeeting(t *testing.T, seed uint64) *meeting {
	t.Helper()
	if seed%4 == 1 {
		// The next table of a series, reviewing the earlier one's actions.
		return seriesOf(t, newMeeting(t))
	}
	if seed%4 != 3 {
		return newMeeting(t)
	}
	in := demoInput()
	in.Agenda = nil
	m := newTable(t, in)
	m.matti = m.join(t, "Matti Meikäläinen", "Ähtärin Urheilijat ry", "association", mattiToken)
	m.liisa = m.join(t, "Liisa Virtanen", "Ähtärin kaupunki", "municipality", liisaToken)
	m.aino = m.join(t, "Aino Asukas", "", "resident", ainoToken)
	m.pekka = m.join(t, "Pekka Korhonen", "Soinin Marttayhdistys ry", "association", pekkaToken)
	m.room = mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 2"}`)).Data.(*session.GroupAdded).Group.ID
	m.scribe = session.Who{Role: session.RoleScribe, ID: m.room}
	return m
}

// after follows the connections an event opens or closes: a removed
// participant's and a removed group's scribe's connections are closed; the
// first guest to join after a third of the meeting, and the scribe of the
// first group added, connect and get their first view.
func (r *foldRun) after(e session.Event, late bool) {
	switch d := e.Data.(type) {
	case *session.ParticipantRemoved:
		r.obs = slices.DeleteFunc(r.obs, func(o *observer) bool {
			return o.who.Role == session.RoleParticipant && o.who.ID == d.Participant
		})
	case *session.GroupRemoved:
		r.obs = slices.DeleteFunc(r.obs, func(o *observer) bool {
			return o.who.Role == session.RoleScribe && o.who.ID == d.Group
		})
	case *session.FacilitatorRemoved:
		r.obs = slices.DeleteFunc(r.obs, func(o *observer) bool {
			return o.who.Role == session.RoleFacilitator && o.who.ID == d.Facilitator
		})
	case *session.FacilitatorAdded:
		r.creds = append(r.creds, []byte(r.m.tbl.CoFacilitatorToken(d.Facilitator.ID)))
		if !slices.ContainsFunc(r.obs, func(o *observer) bool { return o.name == "co-facilitator" }) {
			who := session.Who{Role: session.RoleFacilitator, ID: d.Facilitator.ID}
			r.obs = append(r.obs, &observer{name: "co-facilitator", who: who, view: r.m.tbl.ViewFor(who)})
		}
	case *session.ParticipantJoined:
		r.secrets = append(r.secrets, []byte(d.TokenHash))
		if late && !r.hasLate() {
			who := session.Who{Role: session.RoleParticipant, ID: d.ID}
			r.obs = append(r.obs, &observer{name: "late participant", who: who, view: r.m.tbl.ViewFor(who)})
		}
	case *session.GroupAdded:
		r.creds = append(r.creds, []byte(r.m.tbl.ScribeToken(d.Group.ID)))
		if !slices.ContainsFunc(r.obs, func(o *observer) bool { return o.name == "scribe of a new group" }) {
			who := session.Who{Role: session.RoleScribe, ID: d.Group.ID}
			r.obs = append(r.obs, &observer{name: "scribe of a new group", who: who, view: r.m.tbl.ViewFor(who)})
		}
	}
}

// deliver sends an event to one observer as the server does: projected for
// its audience and its group in group work, encoded, and decoded by the
// client without actor or op. It reports false when the observer gets
// nothing of the event (a private group's content outside the group).
func (r *foldRun) deliver(o *observer, e session.Event) bool {
	t := r.t
	t.Helper()
	data := session.ProjectFor(e, o.who, r.m.tbl.GroupOf(o.who))
	if data == nil {
		return false
	}
	b, err := json.Marshal(data)
	if err != nil {
		t.Fatalf("seed %d step %d: marshal %s: %v", r.seed, r.step, e.Type, err)
	}
	o.last = b
	r.checkPrivacy(o, e, data, b)
	got, err := session.DecodeEvent(e.Seq, e.Time, "", e.Type, "", b)
	if err != nil {
		t.Fatalf("seed %d step %d: the %s cannot decode its %s: %v\n%s", r.seed, r.step, o.name, e.Type, err, b)
	}
	if err := o.view.Fold(got, o.who); err != nil {
		t.Fatalf("seed %d step %d: the %s cannot fold seq %d %s: %v\n%s", r.seed, r.step, o.name, e.Seq, e.Type, err, b)
	}
	if after, _ := json.Marshal(got.Data); !bytes.Equal(after, b) {
		t.Fatalf("seed %d step %d: Fold changed the %s data\nbefore: %s\nafter:  %s", r.seed, r.step, e.Type, b, after)
	}
	r.stats.folded++
	return true
}

// untouched checks that an event an observer is not sent changes nothing
// of its view but the seq: what it does not get, it must not miss.
func (r *foldRun) untouched(o *observer, e session.Event) {
	t := r.t
	t.Helper()
	view := r.m.tbl.ViewFor(o.who)
	view.Seq = o.view.Seq
	want, _ := json.Marshal(view)
	got, _ := json.Marshal(o.view)
	if !bytes.Equal(got, want) {
		t.Fatalf("seed %d step %d: the %s is not sent seq %d %s, yet its view should change\n--- ViewFor\n+++ folded\n%s",
			r.seed, r.step, o.name, e.Seq, e.Type, jsonDiff(want, got))
	}
	r.stats.skipped++
}

// compare checks one observer's folded view against the server's view for
// it. Their JSON encodings are the judge; equal structs are equal JSON, so
// the encoding is only made when reflect.DeepEqual finds a difference
// (such as nil against an empty list, which encode alike) or when
// checking credentials in a non-facilitator's view.
func (r *foldRun) compare(o *observer, e session.Event) {
	t := r.t
	t.Helper()
	view := r.m.tbl.ViewFor(o.who)
	r.stats.compared++
	if o.who.Role != session.RoleFacilitator && (view.ScreenToken != "" || slices.ContainsFunc(view.Groups, func(g session.GroupView) bool { return g.ScribeToken != "" })) {
		t.Fatalf("seed %d step %d: ViewFor(%s) holds a credential", r.seed, r.step, o.name)
	}
	r.checkGroups(o)
	if reflect.DeepEqual(o.view, view) {
		return
	}
	want, err := json.Marshal(view)
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(o.view)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	t.Fatalf("seed %d step %d: after seq %d %s the %s's folded view differs from ViewFor\nit was sent: %s\n--- ViewFor\n+++ folded\n%s",
		r.seed, r.step, e.Seq, e.Type, o.name, o.last, jsonDiff(want, got))
}

// checkGroups checks that no view but a facilitator's holds a private
// group's ideas, unless the observer is in that group.
func (r *foldRun) checkGroups(o *observer) {
	if o.who.Role == session.RoleFacilitator {
		return
	}
	for _, i := range o.view.Ideas {
		if !i.Private {
			continue
		}
		mine := ""
		for _, w := range o.view.Work {
			if w.Item == i.Item {
				mine = w.Mine
			}
		}
		if mine != i.Group {
			r.t.Fatalf("seed %d step %d: the %s (in group %q) holds an idea of group %q: %s", r.seed, r.step, o.name, mine, i.Group, i.Text)
		}
	}
}

// checkPrivacy checks the data one observer is sent against the privacy
// rules: anonymous authors and voters only to themselves, tallies before
// the reveal only to facilitators (and to a scribe its own group's count),
// hidden ideas' text and credentials only to facilitators, and secrets to nobody.
func (r *foldRun) checkPrivacy(o *observer, e session.Event, data session.EventData, b []byte) {
	t := r.t
	t.Helper()
	fac := o.who.Role == session.RoleFacilitator
	isParticipant := func(id string) bool { return o.who.Role == session.RoleParticipant && o.who.ID == id }
	leak := func(what string) {
		t.Fatalf("seed %d step %d: the %s is sent %s in %s: %s", r.seed, r.step, o.name, what, e.Type, b)
	}
	switch d := e.Data.(type) {
	case *session.IdeaAdded:
		p := data.(*session.IdeaAdded)
		if d.Anonymous && !isParticipant(d.Author) && p.Author != "" {
			leak("the author of an anonymous idea")
		}
		if d.Pending && !fac && !isParticipant(d.Author) && (p.Text != "" || p.Idea != "" || p.Author != "" || p.Profile != nil) {
			leak("an idea that waits for review")
		}
	case *session.FacilitatorAdded:
		if p := data.(*session.FacilitatorAdded); !fac && (p.Facilitator.Name != "" || p.Token != "") {
			leak("a co-facilitator")
		}
	case *session.IdeaHidden:
		if d.Restored == nil {
			break
		}
		p := data.(*session.IdeaHidden).Restored
		if d.Restored.Anonymous && !isParticipant(d.Restored.Author) && p.Author != "" {
			leak("the author of an anonymous idea")
		}
		// A group's tallies are the group's to see at once.
		if !d.Revealed && !fac && !d.Restored.InGroup && (p.Votes != 0 || p.RoomDots != nil || p.PaperDots != 0) {
			leak("a tally before the reveal")
		}
	case *session.IdeaEdited:
		if d.Hidden && !fac && data.(*session.IdeaEdited).Text != "" {
			leak("the text of a hidden idea")
		}
		if d.Pending && !fac && !isParticipant(d.Author) && data.(*session.IdeaEdited).Text != "" {
			leak("the text of an idea that waits for review")
		}
	case *session.IdeasImported:
		for _, i := range data.(*session.IdeasImported).Ideas {
			if !d.Revealed && !fac && i.PaperDots != 0 {
				leak("dots counted on paper before the reveal")
			}
		}
	case *session.IdeaMerged:
		if p := data.(*session.IdeaMerged); !d.Revealed && !fac && (p.Votes != 0 || p.RoomDots != nil) {
			leak("a tally before the reveal")
		}
	case *session.VoteChanged:
		p := data.(*session.VoteChanged)
		if !isParticipant(d.Voter) && p.Voter != "" {
			leak("who voted")
		}
		if !d.Revealed && !fac && (p.Votes != 0 || (!isParticipant(d.Voter) && p.Idea != "")) {
			leak("a tally before the reveal")
		}
	case *session.RoomDotsRecorded:
		own := o.who.Role == session.RoleScribe && o.who.ID == d.Group
		if p := data.(*session.RoomDotsRecorded); !d.Revealed && !fac && !own && (p.Idea != "" || p.Dots != 0) {
			leak("a room group's count before the reveal")
		}
	}
	for _, s := range r.secrets {
		if len(s) > 0 && bytes.Contains(b, s) {
			leak("a secret " + string(s))
		}
	}
	if !fac {
		for _, c := range r.creds {
			if bytes.Contains(b, c) {
				leak("a credential " + string(c))
			}
		}
	}
}

// jsonDiff shows two JSON documents, indented, line by line: lines only in
// a with "-", only in b with "+", and two lines of context around changes.
func jsonDiff(a, b []byte) string {
	lines := func(doc []byte) []string {
		var buf bytes.Buffer
		if err := json.Indent(&buf, doc, "", "  "); err != nil {
			return strings.Split(string(doc), "\n")
		}
		return strings.Split(buf.String(), "\n")
	}
	x, y := lines(a), lines(b)
	// lcs[i][j] is the length of the longest common subsequence of x[i:] and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		mark byte
		text string
	}
	var out []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			out = append(out, line{' ', x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, line{'+', y[j]})
			j++
		default:
			out = append(out, line{'-', x[i]})
			i++
		}
	}
	var sb strings.Builder
	shown := -1
	for k, l := range out {
		near := false
		for d := max(0, k-2); d <= min(len(out)-1, k+2); d++ {
			near = near || out[d].mark != ' '
		}
		if !near {
			continue
		}
		if shown >= 0 && k > shown+1 {
			sb.WriteString("…\n")
		}
		fmt.Fprintf(&sb, "%c %s\n", l.mark, l.text)
		shown = k
	}
	return sb.String()
}
