package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// reply is the answer to one of the facilitator's ops.
type reply struct {
	n    uint64
	seq  int64
	code string // "" for an ack
}

// table is one live table of the run and the driver that plays its meeting.
type table struct {
	run    *runState
	n      int
	id     string
	code   string
	secret string
	screen string // the screen token

	fac        *conn
	scr        *conn
	parts      []*conn
	facReplies chan reply

	mu      sync.Mutex
	items   []string
	current string
	ideas   map[string][]string // item -> its plenary ideas, as the facilitator saw them added

	// Groups mode (groups.go), as the facilitator's connection saw it;
	// under mu.
	groupIDs    []string         // the work's groups, in order; index k is group k+1
	groupIndex  map[string]int32 // group id -> its 1-based index
	members     map[string]string
	groupIdeas  [][]string // by group index - 1: the group's ideas
	plenary     []int      // by group index - 1: ideas groups.ended brought to the plenary
	plenaryWant int        // the picks the reporters sent, so the plenary ideas to expect
	endSent     atomic.Int64

	// Latency bookkeeping: the send time of the op behind each event after
	// measureFrom, filled in when the sender's ack arrives.
	measureFrom atomic.Int64
	sendAt      []atomic.Int64
	outstanding atomic.Int64 // ops sent and not yet answered
	maxSeq      atomic.Int64 // highest seq acknowledged

	// Groups mode: who each event after measureFrom is for (audPublic or
	// a group's index; 0 while unknown), filled in from its op when the
	// ack arrives, and the highest seq acknowledged for each audience
	// (index 0: public, k: group k).
	aud    []atomic.Int32
	maxAud []atomic.Int64

	// The driver's own state.
	rng     *rand.Rand
	scratch []byte
	ideaN   int
}

func newTable(r *runState, n int, c createdTable) *table {
	t := &table{run: r, n: n, id: c.ID, code: c.Code, secret: c.FacilitatorSecret, screen: screenToken(c.ScreenLink),
		facReplies: make(chan reply, 64), ideas: map[string][]string{},
		rng: rand.New(rand.NewPCG(r.o.seed, uint64(n)))}
	t.measureFrom.Store(1<<62 - 1) // nothing is measured before the meeting starts
	return t
}

// onSnapshot learns the agenda from the facilitator's snapshot.
func (t *table) onSnapshot(state json.RawMessage) {
	var v struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
		Current string `json:"current"`
		Ideas   []struct {
			ID   string `json:"id"`
			Item string `json:"item"`
		} `json:"ideas"`
	}
	if err := json.Unmarshal(state, &v); err != nil {
		t.run.countError("bad_snapshot")
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.items = t.items[:0]
	for _, it := range v.Items {
		t.items = append(t.items, it.ID)
	}
	t.current = v.Current
	for _, i := range v.Ideas {
		t.ideas[i.Item] = append(t.ideas[i.Item], i.ID)
	}
}

// onIdea records an idea the facilitator's connection saw added: a plenary
// idea of its item, or an idea made inside a group.
func (t *table) onIdea(msg []byte) {
	var m struct {
		Data struct {
			Idea    string `json:"idea"`
			Item    string `json:"item"`
			Group   string `json:"group"`
			InGroup bool   `json:"inGroup"`
		} `json:"data"`
	}
	if json.Unmarshal(msg, &m) != nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if m.Data.InGroup {
		if k := t.groupIndex[m.Data.Group]; k > 0 {
			t.groupIdeas[k-1] = append(t.groupIdeas[k-1], m.Data.Idea)
		}
		return
	}
	t.ideas[m.Data.Item] = append(t.ideas[m.Data.Item], m.Data.Idea)
}

func (t *table) ideasOf(item string) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.ideas[item]
}

// startMeasuring marks the table's current seq as the start of the meeting
// and makes room for the send times of up to capacity events after it.
func (t *table) startMeasuring(capacity int) {
	t.sendAt = make([]atomic.Int64, capacity)
	if t.run.o.groups > 0 {
		t.mu.Lock()
		groups := len(t.groupIDs)
		t.mu.Unlock()
		t.aud = make([]atomic.Int32, capacity)
		t.maxAud = make([]atomic.Int64, groups+1)
		for _, c := range t.all() {
			c.got = make([]uint64, (capacity+63)/64)
		}
	}
	t.maxSeq.Store(t.fac.lastSeq.Load())
	t.measureFrom.Store(t.fac.lastSeq.Load()) // publishes sendAt to the readers
}

// play runs the scripted meeting until end: for each agenda item, ideas
// in the collect phase, then votes in the vote phase, then the reveal.
func (t *table) play(ctx context.Context, end time.Time) {
	o := t.run.o
	if o.groups > 0 {
		t.playGroups(ctx, end)
		return
	}
	if o.collect <= 0 && o.vote <= 0 {
		<-ctxOrTime(ctx, end) // an idle table
		return
	}
	t.mu.Lock()
	items := append([]string(nil), t.items...)
	t.mu.Unlock()
	if len(items) == 0 {
		t.run.countError("no_items")
		return
	}
	for k := 0; ctx.Err() == nil && time.Now().Before(end); k++ {
		item := items[k%len(items)]
		if k > 0 {
			t.drain(ctx)
			if err := t.facOp(ctx, `"op":"item.open","item":"`+item+`"`); err != nil {
				return
			}
			if k >= len(items) { // a second round over the agenda
				t.facOp(ctx, `"op":"item.phase","item":"`+item+`","phase":"collect"`)
			}
		}
		if o.collect > 0 {
			t.pace(ctx, o.ideas, earliest(end, time.Now().Add(o.collect)), func() { t.sendIdea(item) })
			t.drain(ctx)
		}
		if o.vote <= 0 || !time.Now().Before(end) {
			continue
		}
		if err := t.seed(ctx, item); err != nil {
			return
		}
		if err := t.facOp(ctx, `"op":"item.phase","item":"`+item+`","phase":"vote"`); err != nil {
			return
		}
		if o.reveal == "early" {
			t.facOp(ctx, `"op":"item.reveal","item":"`+item+`","revealed":true`)
		}
		t.pace(ctx, o.votes, earliest(end, time.Now().Add(o.vote)), func() { t.sendVote(item) })
		t.drain(ctx)
		if o.reveal == "end" {
			t.facOp(ctx, `"op":"item.reveal","item":"`+item+`","revealed":true`)
		}
	}
}

// seed makes sure an item has ideas to vote on: the facilitator enters a
// few on behalf of people in the room when participants added none.
func (t *table) seed(ctx context.Context, item string) error {
	const seeds = 5
	if len(t.ideasOf(item)) > 0 {
		return nil
	}
	for i := range seeds {
		if err := t.facOp(ctx, `"op":"idea.add","item":"`+item+`","text":"Huoneesta: ehdotus `+strconv.Itoa(i+1)+`","onBehalf":"Salin ryhmä"`); err != nil {
			return err
		}
	}
	// The ack comes just before the event; wait for the event too.
	deadline := time.Now().Add(5 * time.Second)
	for len(t.ideasOf(item)) < seeds && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	return nil
}

// pace calls send rate times a second until until, catching up when it
// falls behind and recording how far behind it fell.
func (t *table) pace(ctx context.Context, rate float64, until time.Time, send func()) {
	if rate <= 0 {
		<-ctxOrTime(ctx, until)
		return
	}
	begin := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	for n := 0; ; {
		now := time.Now()
		if !now.Before(until) || ctx.Err() != nil {
			return
		}
		for due := int(now.Sub(begin)/interval) + 1; n < due; n++ {
			if lag := time.Since(begin.Add(time.Duration(n) * interval)); lag > 0 {
				t.run.noteLag(lag)
			}
			send()
		}
		next := begin.Add(time.Duration(n) * interval)
		if d := time.Until(next); d > 0 {
			time.Sleep(min(d, time.Until(until)))
		}
	}
}

// participant picks a random participant whose connection is up.
func (t *table) participant() *conn {
	for range 20 {
		if c := t.parts[t.rng.IntN(len(t.parts))]; c.live() {
			return c
		}
	}
	return nil
}

var ideaTexts = []string{
	"Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin",
	"Yhteinen tapahtumakalenteri kaikille yhdistyksille kunnan verkkosivuille",
	"Järjestöjen ja kunnan yhteinen kumppanuustalo keskustaan",
	"Avustushaku kerran vuodessa ja selkeät ohjeet",
	"Nimetty yhteyshenkilö järjestöille kunnan organisaatiossa",
	"Vapaaehtoisten koulutusta yhdessä naapurikuntien kanssa",
}

func (t *table) sendIdea(item string) {
	c := t.participant()
	if c == nil {
		return
	}
	t.ideaN++
	b := t.begin(c, "idea.add")
	b = append(b, `,"item":"`...)
	b = append(b, item...)
	b = append(b, `","text":"`...)
	b = append(b, ideaTexts[t.ideaN%len(ideaTexts)]...)
	b = append(b, ` (`...)
	b = strconv.AppendInt(b, int64(t.ideaN), 10)
	b = append(b, `)"`...)
	if t.ideaN%5 == 0 {
		b = append(b, `,"anonymous":true`...)
	}
	t.finish(c, b, audPublic)
}

// sendVote places a dot on a random idea of the item, or, now and then
// and always when the budget is spent, takes one back, as people do.
func (t *table) sendVote(item string) {
	c := t.participant()
	if c == nil {
		return
	}
	ideas := t.ideasOf(item)
	if len(ideas) == 0 {
		return
	}
	if c.ballotItem != item {
		c.ballotItem, c.ballot = item, c.ballot[:0]
	}
	var b []byte
	if len(c.ballot) < t.run.o.dots && (len(c.ballot) == 0 || t.rng.IntN(4) != 0) {
		idea := ideas[t.rng.IntN(len(ideas))]
		c.ballot = append(c.ballot, idea)
		b = t.begin(c, "vote.add")
		b = append(b, `,"idea":"`...)
		b = append(b, idea...)
	} else {
		k := t.rng.IntN(len(c.ballot))
		idea := c.ballot[k]
		c.ballot[k] = c.ballot[len(c.ballot)-1]
		c.ballot = c.ballot[:len(c.ballot)-1]
		b = t.begin(c, "vote.remove")
		b = append(b, `,"idea":"`...)
		b = append(b, idea...)
	}
	b = append(b, '"')
	t.finish(c, b, audPublic)
}

// begin starts a command with the connection's next op id.
func (t *table) begin(c *conn, op string) []byte {
	b := append(t.scratch[:0], `{"id":"`...)
	b = append(b, c.prefix...)
	b = append(b, '-')
	b = strconv.AppendUint(b, c.opN+1, 10)
	b = append(b, `","op":"`...)
	b = append(b, op...)
	return append(b, '"')
}

// audPublic is the audience of an event for everyone at the table; a
// group's private events have the group's index instead.
const audPublic = -1

// finish ends a command and sends it; its event is for aud.
func (t *table) finish(c *conn, b []byte, aud int32) {
	b = append(b, '}')
	t.scratch = b
	c.send(b, aud)
}

// facOp sends one facilitator command and waits for its answer. Its event
// is for everyone: the facilitator's commands in a run are the table's.
func (t *table) facOp(ctx context.Context, fields string) error {
	for len(t.facReplies) > 0 {
		<-t.facReplies // stale answers of ops that timed out
	}
	n := t.fac.opN + 1
	b := append(t.scratch[:0], `{"id":"`...)
	b = append(b, t.fac.prefix...)
	b = append(b, '-')
	b = strconv.AppendUint(b, n, 10)
	b = append(b, `",`...)
	b = append(b, fields...)
	t.finish(t.fac, b, audPublic)
	timeout := time.After(15 * time.Second)
	for {
		select {
		case r := <-t.facReplies:
			if r.n != n {
				continue
			}
			if r.code != "" {
				return fmt.Errorf("facilitator op refused: %s", r.code)
			}
			return nil
		case <-timeout:
			t.run.countError("facilitator_timeout")
			return fmt.Errorf("facilitator op %d: no answer", n)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// drain waits until every op sent has been answered, so that a phase
// change never overtakes commands sent for the phase before.
func (t *table) drain(ctx context.Context) {
	deadline := time.Now().Add(10 * time.Second)
	for t.outstanding.Load() > 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
}

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// ctxOrTime is closed when ctx ends or at t, whichever comes first.
func ctxOrTime(ctx context.Context, t time.Time) <-chan struct{} {
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		timer := time.NewTimer(time.Until(t))
		defer timer.Stop()
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
	}()
	return ch
}
