package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Groups mode (--groups): the meeting is a private group work. Before the
// meeting the facilitator starts group work on the first item with
// --groups new groups, placing everyone mixed by sector (placement mixed)
// or by hand (placement manual, then one group.move per participant).
// During the meeting random members add ideas to their own group and,
// with --group-dots, place and take back dots on their group's ideas, at
// --ideas + --votes per second per table. Then each group's reporter,
// chosen by the group (group.reporter), picks up to --picks of its ideas
// for the plenary (group.pick), and the facilitator ends the work
// (groups.end): the report-back, which everyone receives as groups.ended.
//
// A private group's events go only to its members and the facilitators,
// so a client's seqs skip by design. The load generator knows who each
// event is for from the op that caused it (the sender's group, or
// everyone for the facilitator's commands) and every connection records
// which events it received; the audit at the end counts each delivery
// outside its audience as a leak and each event a connection should have
// had and did not get as lost.

// startGroups starts the group work, before the meeting, and learns who is
// in which group.
func (t *table) startGroups(ctx context.Context) error {
	o := t.run.o
	t.mu.Lock()
	item := ""
	if len(t.items) > 0 {
		item = t.items[0]
	}
	t.mu.Unlock()
	if item == "" {
		return errors.New("the table has no agenda item")
	}
	var b strings.Builder
	fmt.Fprintf(&b, `"op":"groups.start","item":"%s","placement":"%s","dots":%d,"groups":[`, item, o.placement, o.groupDots)
	for k := range o.groups {
		if k > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"Ryhmä %d"}`, k+1)
	}
	b.WriteByte(']')
	if err := t.facOp(ctx, b.String()); err != nil {
		return fmt.Errorf("groups.start: %w", err)
	}
	// The ack comes just before the event, in the same frame.
	if !t.waitFor(ctx, func() bool { return t.groupIDs != nil }) {
		return errors.New("groups.started never reached the facilitator")
	}
	if o.placement == "manual" {
		return t.placeByHand(ctx)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.parts {
		if c != nil {
			c.group = t.groupIndex[t.members[c.pid]]
		}
	}
	return nil
}

// onGroupsStarted learns the groups and the placement from the
// facilitator's groups.started.
func (t *table) onGroupsStarted(msg []byte) {
	var m struct {
		Data struct {
			Groups  []string          `json:"groups"`
			Members map[string]string `json:"members"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.run.countError("bad_groups_started")
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.groupIDs = m.Data.Groups
	t.groupIndex = make(map[string]int32, len(m.Data.Groups))
	for k, g := range m.Data.Groups {
		t.groupIndex[g] = int32(k + 1)
	}
	t.members = m.Data.Members
	t.groupIdeas = make([][]string, len(m.Data.Groups))
}

// onGroupsEnded counts the plenary ideas each group brought, from the
// facilitator's groups.ended.
func (t *table) onGroupsEnded(msg []byte) {
	var m struct {
		Data struct {
			Ideas []struct {
				Group  string `json:"group"`
				Origin string `json:"origin"`
			} `json:"ideas"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		t.run.countError("bad_groups_ended")
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.plenary = make([]int, len(t.groupIDs))
	for _, i := range m.Data.Ideas {
		if k := t.groupIndex[i.Group]; k > 0 && i.Origin != "" {
			t.plenary[k-1]++
		}
	}
}

// waitFor polls cond (under t.mu) until it holds, for up to 15 s.
func (t *table) waitFor(ctx context.Context, cond func() bool) bool {
	deadline := time.Now().Add(15 * time.Second)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		t.mu.Lock()
		ok := cond()
		t.mu.Unlock()
		if ok {
			return true
		}
		time.Sleep(time.Millisecond)
	}
	return false
}

// Manual placement moves every participant one by one. The server allows
// a connection 20 messages a second, so the facilitator opens a few more
// tabs for it, each sending at movesPerTab a second, and closes them
// before the meeting.
const (
	movesPerTab = 15
	maxTabs     = 10
)

// placeByHand puts participant k of the table in group k mod --groups with
// group.move, from extra facilitator tabs.
func (t *table) placeByHand(ctx context.Context) error {
	r := t.run
	type move struct {
		c     *conn
		group int32
	}
	var moves []move
	t.mu.Lock()
	for k, c := range t.parts {
		if c != nil && c.ws != nil {
			moves = append(moves, move{c, int32(k%len(t.groupIDs) + 1)})
		}
	}
	ids := t.groupIDs
	t.mu.Unlock()
	tabs := min(maxTabs, max(1, (len(moves)+10*movesPerTab-1)/(10*movesPerTab)))
	helpers := make([]*conn, tabs)
	defer func() {
		for _, h := range helpers {
			if h != nil && h.ws != nil {
				h.close()
			}
		}
	}()
	for i := range helpers {
		h := newConn(r, t, "facilitator", t.secret, "")
		h.helper = true
		if err := h.open(ctx); err != nil {
			return fmt.Errorf("facilitator tab for the placement: %w", err)
		}
		helpers[i] = h
	}
	errs := make(chan error, tabs)
	for i, h := range helpers {
		go func() {
			// Each tab builds its own commands: the table's scratch buffer
			// is the driver's.
			interval := time.Second / movesPerTab
			begin := time.Now()
			n := 0
			for k := i; k < len(moves); k += tabs {
				if !sleepCtx(ctx, time.Until(begin.Add(time.Duration(n)*interval))) {
					errs <- ctx.Err()
					return
				}
				n++
				m := moves[k]
				b := fmt.Appendf(nil, `{"id":"%s-%d","op":"group.move","participant":"%s","group":"%s"}`,
					h.prefix, h.opN+1, m.c.pid, ids[m.group-1])
				if err := h.send(b, audPublic); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range helpers {
		if err := <-errs; err != nil {
			return fmt.Errorf("moving participants: %w", err)
		}
	}
	t.drain(ctx)
	for _, m := range moves {
		m.c.group = m.group
	}
	return nil
}

// playGroups runs the meeting of one table in groups mode: group ideas and
// votes until end, then the reporters' picks, then the report-back.
func (t *table) playGroups(ctx context.Context, end time.Time) {
	o := t.run.o
	t.mu.Lock()
	item := t.items[0]
	t.mu.Unlock()
	rate := o.ideas + o.votes
	t.pace(ctx, rate, end, func() { t.sendGroupOp(item) })
	t.drain(ctx)
	if ctx.Err() != nil {
		return
	}
	// Each group chooses its reporter, who picks the ideas for the
	// plenary; all groups at once, at the meeting's rate (100/s at least).
	ops := t.reportOps()
	interval := time.Duration(float64(time.Second) / max(rate, 100))
	begin := time.Now()
	for n, op := range ops {
		if !sleepCtx(ctx, time.Until(begin.Add(time.Duration(n)*interval))) {
			return
		}
		op()
	}
	t.drain(ctx)
	if ctx.Err() != nil {
		return
	}
	if err := t.facOp(ctx, `"op":"groups.end"`); err != nil {
		return
	}
	t.endSent.Store(t.fac.sentAt[t.fac.opN%ring].Load())
}

// member picks a random participant who is in a group and whose
// connection is up.
func (t *table) member() *conn {
	for range 20 {
		if c := t.parts[t.rng.IntN(len(t.parts))]; c != nil && c.group > 0 && c.live() {
			return c
		}
	}
	return nil
}

// sendGroupOp sends one group event: a dot in the member's group (in the
// share --votes has of the rate, when the group has ideas), else an idea.
func (t *table) sendGroupOp(item string) {
	o := t.run.o
	c := t.member()
	if c == nil {
		return
	}
	if o.votes > 0 && t.rng.Float64()*(o.ideas+o.votes) < o.votes && t.sendGroupVote(c, item) {
		return
	}
	t.ideaN++
	b := t.begin(c, "idea.add")
	b = append(b, `,"item":"`...)
	b = append(b, item...)
	b = append(b, `","text":"`...)
	b = append(b, ideaTexts[t.ideaN%len(ideaTexts)]...)
	b = append(b, ` (ryhmä `...)
	b = strconv.AppendInt(b, int64(c.group), 10)
	b = append(b, `, `...)
	b = strconv.AppendInt(b, int64(t.ideaN), 10)
	b = append(b, `)"`...)
	if t.ideaN%5 == 0 {
		b = append(b, `,"anonymous":true`...)
	}
	t.finish(c, b, c.group)
}

// sendGroupVote places a dot on an idea of the member's group or takes
// one back, within the work's dots per person; false when the group has no
// ideas yet.
func (t *table) sendGroupVote(c *conn, item string) bool {
	t.mu.Lock()
	ideas := t.groupIdeas[c.group-1]
	t.mu.Unlock()
	if len(ideas) == 0 {
		return false
	}
	if c.ballotItem != item {
		c.ballotItem, c.ballot = item, c.ballot[:0]
	}
	var b []byte
	if len(c.ballot) < t.run.o.groupDots && (len(c.ballot) == 0 || t.rng.IntN(4) != 0) {
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
	t.finish(c, b, c.group)
	return true
}

// reportOps are the report-back's commands of every group: its first
// member online makes themselves the reporter and picks the group's first
// --picks ideas. It also notes how many plenary ideas groups.ended must
// bring.
func (t *table) reportOps() []func() {
	o := t.run.o
	t.mu.Lock()
	defer t.mu.Unlock()
	var ops []func()
	t.plenaryWant = 0
	for k := range t.groupIDs {
		g := int32(k + 1)
		var rep *conn
		for _, c := range t.parts {
			if c != nil && c.group == g && c.live() {
				rep = c
				break
			}
		}
		ideas := t.groupIdeas[k]
		n := min(o.picks, len(ideas))
		if rep == nil || n == 0 {
			continue
		}
		t.plenaryWant += n
		ops = append(ops, func() {
			b := t.begin(rep, "group.reporter")
			b = append(b, `,"participant":"`...)
			b = append(b, rep.pid...)
			b = append(b, '"')
			t.finish(rep, b, g)
		})
		for _, idea := range ideas[:n] {
			ops = append(ops, func() {
				b := t.begin(rep, "group.pick")
				b = append(b, `,"idea":"`...)
				b = append(b, idea...)
				b = append(b, `","picked":true`...)
				t.finish(rep, b, g)
			})
		}
	}
	return ops
}

// lastFor is the last seq a connection must reach to have every event of
// the meeting meant for it: a facilitator every event, the screen the
// public ones, a participant the public ones and its own group's.
func (t *table) lastFor(c *conn) int64 {
	switch {
	case c.role == "facilitator":
		return t.maxSeq.Load()
	case c.group > 0 && int(c.group) < len(t.maxAud):
		return max(t.maxAud[0].Load(), t.maxAud[c.group].Load())
	case len(t.maxAud) > 0:
		return t.maxAud[0].Load()
	}
	return t.maxSeq.Load()
}

// groupSide is what a run in groups mode measured besides the latency of
// the group events.
type groupSide struct {
	PerTable  int    `json:"perTable"` // groups at each table
	Placement string `json:"placement"`
	Dots      int    `json:"dots"`  // dots per person inside a group
	Picks     int    `json:"picks"` // ideas each group's reporter picks

	// The audit of every delivery of the meeting's events, each event
	// against its audience: everyone, or one group's members and the
	// facilitators.
	Expected  int64 `json:"expected"`  // deliveries the audiences call for
	Leaks     int64 `json:"leaks"`     // deliveries to a connection outside the event's audience
	Lost      int64 `json:"lost"`      // deliveries called for that never came (open connections)
	Skipped   int64 `json:"skipped"`   // events rightly not sent to a connection outside their group
	Unaudited int64 `json:"unaudited"` // events whose audience is unknown (no ack, or past the record)

	// The report-back: from the facilitator sending groups.end to each
	// connection receiving groups.ended, and the plenary ideas it brought.
	ReportBack   latency `json:"reportBackMs"`
	NoReportBack int     `json:"noReportBack"` // open connections that never got groups.ended
	PlenaryIdeas int     `json:"plenaryIdeas"`
	PlenaryWant  int     `json:"plenaryWant"`
}

// audit checks every delivery of the table's meeting against its
// audience. It runs after every reader has stopped.
func (t *table) audit(g *groupSide) {
	from := t.measureFrom.Load()
	n := t.maxSeq.Load() - from
	if n > int64(len(t.aud)) {
		g.Unaudited += n - int64(len(t.aud))
		n = int64(len(t.aud))
	}
	conns := t.all()
	for i := int64(0); i < n; i++ {
		a := t.aud[i].Load()
		if a == 0 {
			g.Unaudited++
			continue
		}
		for _, c := range conns {
			got := c.got != nil && c.got[i>>6]&(1<<(i&63)) != 0
			want := a == audPublic || c.role == "facilitator" || c.group == a
			switch {
			case want:
				g.Expected++
				if !got && c.code.Load() == 0 {
					g.Lost++
				}
			case got:
				g.Leaks++
			default:
				g.Skipped++
			}
		}
	}
}

// reportBack records, for each open connection, how long after the
// groups.end was sent groups.ended reached it.
func (t *table) reportBack(h *shardedHist, g *groupSide) {
	sent := t.endSent.Load()
	for _, c := range t.all() {
		if c.code.Load() != 0 {
			continue
		}
		at := c.endedAt.Load()
		if at == 0 || sent == 0 {
			g.NoReportBack++
			continue
		}
		h.record(c.idx, (at-sent)/1000)
	}
	t.mu.Lock()
	for _, p := range t.plenary {
		g.PlenaryIdeas += p
	}
	g.PlenaryWant += t.plenaryWant
	t.mu.Unlock()
}
