package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	"github.com/spf13/cobra"
)

type runOptions struct {
	url          string
	tables       int
	participants int
	screens      bool
	joinWithin   time.Duration
	concurrency  int
	duration     time.Duration
	ideas        float64 // per table per second, in the collect phase
	votes        float64 // per table per second, in the vote phase
	collect      time.Duration
	vote         time.Duration
	reveal       string
	dots         int
	settle       time.Duration
	drain        time.Duration
	pid          int
	sources      int
	maxConns     int
	seed         uint64
	jsonOut      string
	label        string
	check        bool
	progress     time.Duration
	cpuProfile   string
	groups       int    // groups per table; 0: a plenary meeting
	placement    string // mixed or manual
	groupDots    int
	picks        int
}

// Bounds that keep a mistyped flag from turning into a runaway process.
const (
	maxTables       = 1000
	maxParticipants = 50000
	maxDuration     = time.Hour
	maxRate         = 20000
)

func newRunCmd() *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Play a scripted meeting against a running poyta serve and measure it",
		Long: `Run creates tables on a running "poyta serve" on this machine, joins
participants to them over HTTP and websockets exactly as browsers do, plays a
scripted meeting for a fixed time and measures it: for every event, the time
from its sender sending the command to each connection receiving the event
(p50, p95, p99, max), acknowledgement latency, delivered events per second,
errors by code, connections the server closed (by close code), lost events,
and the server's memory and CPU (with --pid). It prints a summary and, last,
one JSON line.

The meeting: each table's facilitator goes through the agenda. On each item
participants add ideas at --ideas per second for --collect, the facilitator
moves the item to the vote phase, participants place and take back dots at
--votes per second for --vote (several dots per idea allowed, --dots each),
and the facilitator reveals the results (--reveal end; --reveal early shows
live results during the vote). Rates are per table. The table only takes
ideas in the collect phase and dots in the vote phase, so the two rates
alternate rather than overlap.

With --groups N the meeting is group work instead (see "Groups mode" in
docs/performance.md): the facilitator splits the first item into N
private groups per table (--placement mixed, or manual with one group.move
per participant), random members add ideas to their own group and, with
--group-dots, place and take back dots on their group's ideas, together
--ideas + --votes per second per table for --duration. Then each group's
reporter picks --picks of its ideas for the plenary and the facilitator
ends the group work. It reports the latency of the group events, the
report-back (groups.end sent to groups.ended at each connection) and an
audit of every delivery: an event outside its group's members and the
facilitators is a leak, one a member or facilitator never got is lost.

Only loopback targets are accepted. The run is bounded in time and size and
stops by itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.complete(cmd); err != nil {
				return err
			}
			res, err := runLoad(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), o)
			if err != nil {
				return err
			}
			if o.check && !res.OK {
				return fmt.Errorf("check failed: %s", strings.Join(res.Problems, "; "))
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server, on this machine (loopback only)")
	f.IntVar(&o.tables, "tables", 1, "tables to create")
	f.IntVarP(&o.participants, "participants", "n", 100, "participants in all, spread evenly over the tables")
	f.BoolVar(&o.screens, "screen", true, "connect a room screen to every table, besides its facilitator")
	f.DurationVar(&o.joinWithin, "join-within", 0, "join storm: every participant joins and connects at once, like a browser, all spread evenly within this time; 0 joins everyone over HTTP first and then opens the websockets, as fast as --concurrency allows")
	f.IntVar(&o.concurrency, "concurrency", 64, "joins and connections in flight during setup (without --join-within)")
	f.DurationVar(&o.duration, "duration", 30*time.Second, "how long the meeting runs")
	f.Float64Var(&o.ideas, "ideas", 0, "ideas per second per table, in the collect phase")
	f.Float64Var(&o.votes, "votes", 0, "dots placed or taken back per second per table, in the vote phase")
	f.DurationVar(&o.collect, "collect", 0, "collect phase of each item (default: a quarter of --duration when both --ideas and --votes are set, all of it with only --ideas)")
	f.DurationVar(&o.vote, "vote", 0, "vote phase of each item (default: the rest of --duration)")
	f.StringVar(&o.reveal, "reveal", "end", "when the facilitator reveals the results: end (after the vote), early (before it: live results) or never")
	f.IntVar(&o.dots, "dots", 20, "dots per person per item (1-20); several may go on one idea")
	f.DurationVar(&o.settle, "settle", 2*time.Second, "pause after everyone is connected, before the meeting and the memory reading")
	f.DurationVar(&o.drain, "drain", 20*time.Second, "after the meeting, how long to wait for the last acks and events")
	f.IntVar(&o.pid, "pid", 0, "the server's process id, to read its memory and CPU from /proc")
	f.IntVar(&o.sources, "sources", 0, "source addresses 127.0.0.1…N to spread websockets over (default: one per 1500 connections)")
	f.IntVar(&o.maxConns, "max-conns", 20000, "refuse to open more websockets than this")
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the meeting script")
	f.StringVar(&o.jsonOut, "json-out", "", "also append the JSON line to this file")
	f.StringVar(&o.label, "label", "", "a label carried into the JSON line (for plots)")
	f.BoolVar(&o.check, "check", false, "exit with status 1 on any error, closed connection, lost event or participant not in")
	f.DurationVar(&o.progress, "progress", 5*time.Second, "progress line interval on stderr; 0 for none")
	f.StringVar(&o.cpuProfile, "cpuprofile", "", "write poyta-load's own CPU profile of the meeting to this file")
	f.IntVar(&o.groups, "groups", 0, "groups mode: split each table into this many private groups working on the first item (0: a plenary meeting)")
	f.StringVar(&o.placement, "placement", "mixed", "groups mode: how people are placed: mixed (by the server, each sector spread over the groups) or manual (the facilitator moves each one)")
	f.IntVar(&o.groupDots, "group-dots", 0, "groups mode: dots per person inside a group (0-20); --votes needs them")
	f.IntVar(&o.picks, "picks", 5, "groups mode: ideas each group's reporter picks for the plenary before the report-back")
	return cmd
}

// complete fills defaults that depend on other flags and checks bounds.
func (o *runOptions) complete(cmd *cobra.Command) error {
	f := cmd.Flags()
	switch {
	case o.tables < 1 || o.tables > maxTables:
		return fmt.Errorf("--tables: want 1-%d", maxTables)
	case o.participants < 0 || o.participants > maxParticipants:
		return fmt.Errorf("--participants: want 0-%d", maxParticipants)
	case o.duration < 0 || o.duration > maxDuration:
		return fmt.Errorf("--duration: want at most %s", maxDuration)
	case o.joinWithin < 0 || o.joinWithin > 10*time.Minute:
		return errors.New("--join-within: want at most 10m")
	case o.ideas < 0 || o.ideas > maxRate || o.votes < 0 || o.votes > maxRate:
		return fmt.Errorf("--ideas, --votes: want 0-%d per second", maxRate)
	case o.dots < 1 || o.dots > 20:
		return errors.New("--dots: want 1-20")
	case o.reveal != "end" && o.reveal != "early" && o.reveal != "never":
		return errors.New("--reveal: want end, early or never")
	case o.concurrency < 1 || o.concurrency > 1000:
		return errors.New("--concurrency: want 1-1000")
	case o.settle < 0 || o.settle > 5*time.Minute || o.drain < 0 || o.drain > 5*time.Minute:
		return errors.New("--settle, --drain: want at most 5m")
	case o.sources < 0 || o.sources > 250:
		return errors.New("--sources: want 0-250")
	}
	if o.groups > 0 {
		if err := o.completeGroups(f); err != nil {
			return err
		}
	}
	if !f.Changed("collect") && !f.Changed("vote") {
		switch {
		case o.ideas > 0 && o.votes > 0:
			o.collect = o.duration / 4
			o.vote = o.duration - o.collect
		case o.ideas > 0:
			o.collect = o.duration
		case o.votes > 0:
			o.vote = o.duration
		}
	} else if !f.Changed("vote") {
		o.vote = max(0, o.duration-o.collect)
	}
	if o.ideas == 0 && o.votes == 0 || o.groups > 0 {
		o.collect, o.vote = 0, 0 // an idle meeting, or group work, which has no phases
	}
	conns := o.participants + o.tables*o.perTable()
	if conns > o.maxConns {
		return fmt.Errorf("%d websockets would exceed --max-conns %d", conns, o.maxConns)
	}
	if o.sources == 0 {
		o.sources = (conns + 1499) / 1500
	}
	return nil
}

// completeGroups checks the flags of groups mode.
func (o *runOptions) completeGroups(f interface{ Changed(string) bool }) error {
	perTable := (o.participants + o.tables - 1) / o.tables
	// The server's own limits: 200 groups in a group work, 20 dots, 20
	// picks, 10,000 ideas at a table.
	switch {
	case o.groups < 2 || o.groups > 200:
		return errors.New("--groups: want 2-200")
	case o.placement != "mixed" && o.placement != "manual":
		return errors.New("--placement: want mixed or manual")
	case o.groupDots < 0 || o.groupDots > 20:
		return errors.New("--group-dots: want 0-20")
	case o.votes > 0 && o.groupDots == 0:
		return errors.New("--votes in groups mode: give the groups dots with --group-dots")
	case o.picks < 0 || o.picks > 20:
		return errors.New("--picks: want 0-20")
	case f.Changed("collect") || f.Changed("vote") || f.Changed("reveal"):
		return errors.New("--collect, --vote, --reveal: group work has no phases; ideas and votes run together")
	case o.groups > perTable:
		return fmt.Errorf("--groups %d: more groups than the %d participants of a table", o.groups, perTable)
	}
	if ideas := o.ideas*o.duration.Seconds() + float64(o.groups*o.picks); ideas > 9500 {
		return fmt.Errorf("about %.0f ideas per table: the server takes at most 10,000 at a table; lower --ideas or --duration", ideas)
	}
	return nil
}

// perTable is the connections every table has besides its participants.
func (o *runOptions) perTable() int {
	if o.screens {
		return 2
	}
	return 1
}

// runState is what every connection and table of a run shares.
type runState struct {
	o       *runOptions
	base    time.Time
	baseURL string
	wsURL   string
	http    *http.Client
	dialer  *websocket.Dialer
	log     io.Writer

	conns                  atomic.Int64
	lat, ack, joinH, connH shardedHist

	sent, acked, presence    atomic.Int64
	unmeasured, unmatched    atomic.Int64
	unknownAcks, overwritten atomic.Int64
	unanswered               atomic.Int64
	lagMax, lagLate          atomic.Int64

	mu     sync.Mutex
	errors map[string]int64
	closes map[int]int64
}

// now is nanoseconds since the run began, never 0, from the monotonic clock.
func (r *runState) now() int64 { return int64(time.Since(r.base)) + 1 }

func (r *runState) countError(code string) {
	r.mu.Lock()
	r.errors[code]++
	r.mu.Unlock()
}

func (r *runState) countClose(code int) {
	r.mu.Lock()
	r.closes[code]++
	r.mu.Unlock()
}

func (r *runState) noteLag(d time.Duration) {
	if d > 10*time.Millisecond {
		r.lagLate.Add(1)
	}
	for {
		m := r.lagMax.Load()
		if int64(d) <= m || r.lagMax.CompareAndSwap(m, int64(d)) {
			return
		}
	}
}

func (r *runState) logf(format string, args ...any) {
	fmt.Fprintf(r.log, "%s  "+format+"\n", append([]any{time.Since(r.base).Truncate(100 * time.Millisecond)}, args...)...)
}

func runLoad(ctx context.Context, stdout, stderr io.Writer, o *runOptions) (*result, error) {
	u, target, err := loopbackTarget(ctx, o.url)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, errors.New("--url: only http is supported (loopback, no TLS)")
	}
	if err := checkPID(o.pid); err != nil {
		return nil, err
	}
	conns := o.participants + o.tables*o.perTable()
	if lim := raiseFileLimit(); lim > 0 && uint64(conns)+256 > lim {
		return nil, fmt.Errorf("%d websockets need more open files than the limit %d allows (ulimit -n)", conns, lim)
	}
	// A hard stop, whatever happens: setup, meeting, drain and closing.
	setup := 2*time.Minute + time.Duration(conns)*20*time.Millisecond + o.joinWithin
	ctx, cancel := context.WithTimeout(ctx, setup+o.settle+o.duration+2*o.drain+time.Minute)
	defer cancel()

	sources := newSourcePool(target, o.sources)
	r := &runState{o: o, base: time.Now(), baseURL: u.String(), log: stderr,
		errors: map[string]int64{}, closes: map[int]int64{}}
	r.wsURL = "ws://" + u.Host + "/ws"
	r.http = &http.Client{Transport: &http.Transport{DialContext: sources.dialContext,
		MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}}
	defer r.http.CloseIdleConnections()
	r.dialer = &websocket.Dialer{NetDialContext: sources.dialContext, HandshakeTimeout: 60 * time.Second,
		ReadBufferSize: 2048, WriteBufferSize: 1024}

	res := &result{Tool: "poyta-load", Args: strings.Join(os.Args[1:], " "), Label: o.label,
		Tables: o.tables, Participants: o.participants, DurationS: o.duration.Seconds(),
		IdeasPerS: o.ideas, VotesPerS: o.votes, CollectS: o.collect.Seconds(), VoteS: o.vote.Seconds(),
		Reveal: o.reveal, Sources: len(sources.addrs), LoadAvg: loadAvg(), Started: r.base.UTC().Format(time.RFC3339)}
	if o.joinWithin > 0 {
		res.JoinWithinS = o.joinWithin.Seconds()
	}
	pid := strconv.Itoa(o.pid)
	sample := func() procSample {
		if o.pid == 0 {
			return procSample{}
		}
		return readProc(pid)
	}
	r.logf("target %s, %d tables, %d participants, %d websockets from %d source addresses", r.baseURL, o.tables, o.participants, conns, len(sources.addrs))

	// Tables, each with its facilitator (and room screen) connected first,
	// so that they see everyone arrive.
	cycle := o.collect + o.vote
	items := 1
	if cycle > 0 && o.groups == 0 {
		items = min(50, max(1, int((o.duration+cycle-1)/cycle)))
	}
	tables := make([]*table, o.tables)
	err = parallel(ctx, o.tables, min(o.concurrency, 16), func(i int) error {
		ct, err := r.createTable(ctx, i, items, o.dots)
		if err != nil {
			return err
		}
		t := newTable(r, i, ct)
		t.parts = make([]*conn, 0)
		t.fac = newConn(r, t, "facilitator", t.secret, "")
		if err := t.fac.open(ctx); err != nil {
			return fmt.Errorf("facilitator of table %d: %w", i+1, err)
		}
		if o.screens {
			t.scr = newConn(r, t, "screen", t.screen, "")
			if err := t.scr.open(ctx); err != nil {
				return fmt.Errorf("screen of table %d: %w", i+1, err)
			}
		}
		tables[i] = t
		return nil
	})
	if err != nil {
		closeAll(tables)
		return nil, fmt.Errorf("creating tables: %w", err)
	}
	for i, t := range tables {
		t.parts = make([]*conn, (o.participants-i+o.tables-1)/o.tables)
	}
	r.logf("%d tables ready", o.tables)

	// Participants.
	var before procSample
	var joinedN, inN atomic.Int64
	joinStart := time.Now()
	if o.joinWithin > 0 {
		before = sample()
		lastIn := r.storm(ctx, tables, &joinedN, &inN)
		res.JoinAllInS = lastIn.Sub(joinStart).Seconds()
	} else {
		parallel(ctx, o.participants, o.concurrency, func(i int) error {
			t := tables[i%o.tables]
			t0 := time.Now()
			j, err := r.join(ctx, t.code, i)
			r.joinH.record(i, time.Since(t0).Microseconds())
			if err != nil {
				return nil // counted by code; the run goes on without them
			}
			joinedN.Add(1)
			t.parts[i/o.tables] = newConn(r, t, "participant", j.Token, j.Participant)
			return nil
		})
		r.logf("%d participants joined over HTTP in %s", joinedN.Load(), time.Since(joinStart).Round(time.Millisecond))
		before = sample()
		connStart := time.Now()
		parallel(ctx, o.participants, o.concurrency, func(i int) error {
			c := tables[i%o.tables].parts[i/o.tables]
			if c == nil {
				return nil
			}
			t0 := time.Now()
			if err := c.open(ctx); err != nil {
				return nil
			}
			r.connH.record(i, time.Since(t0).Microseconds())
			inN.Add(1)
			return nil
		})
		res.JoinAllInS = time.Since(joinStart).Seconds()
		r.logf("%d participants connected in %s", inN.Load(), time.Since(connStart).Round(time.Millisecond))
	}
	res.Joined, res.In = int(joinedN.Load()), int(inN.Load())
	res.Conns = res.In + o.tables*o.perTable()
	if ctx.Err() != nil {
		closeAll(tables)
		return nil, fmt.Errorf("setup did not finish in time: %w", ctx.Err())
	}
	if o.groups > 0 {
		err := parallel(ctx, len(tables), min(o.concurrency, 16), func(i int) error {
			if err := tables[i].startGroups(ctx); err != nil {
				return fmt.Errorf("group work at table %d: %w", i+1, err)
			}
			return nil
		})
		if err != nil {
			closeAll(tables)
			return nil, err
		}
		r.logf("group work started: %d groups per table, placement %s", o.groups, o.placement)
		// Setting up the group work (groups.start, the moves) is not the
		// meeting; every op of it has been answered.
		r.sent.Store(0)
		r.acked.Store(0)
		r.ack.reset()
	}
	sleepCtx(ctx, o.settle)
	connected := sample()

	// The meeting.
	for _, t := range tables {
		t.startMeasuring(int((o.ideas+o.votes)*o.duration.Seconds()*1.5) + 20000 + 2*o.groups*(o.picks+1))
	}
	selfStart := readProc("self")
	pressureStart := cpuPressure()
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
	}
	meetingStart := time.Now()
	end := meetingStart.Add(o.duration)
	if o.groups > 0 {
		r.logf("meeting starts: %s of group work, ideas %.0f/s and votes %.0f/s per table in %d groups, then the report-back", o.duration, o.ideas, o.votes, o.groups)
	} else {
		r.logf("meeting starts: %s, ideas %.0f/s for %s, votes %.0f/s for %s per item, per table", o.duration, o.ideas, o.collect, o.votes, o.vote)
	}
	peak := connected
	var stopProgress = make(chan struct{})
	var progressDone sync.WaitGroup
	progressDone.Go(func() {
		r.watch(tables, meetingStart, &peak, sample, stopProgress)
	})
	var drivers sync.WaitGroup
	for _, t := range tables {
		drivers.Go(func() { t.play(ctx, end) })
	}
	drivers.Wait()
	sleepCtx(ctx, time.Until(end))
	meetingEnd := time.Now()
	res.LoadAvgEnd = loadAvg()
	atEnd := sample()
	selfEnd := readProc("self")
	if p := cpuPressure(); p >= 0 && pressureStart >= 0 {
		pct := float64(p-pressureStart) / 1e6 / time.Since(meetingStart).Seconds() * 100
		res.CPUPressure = &pct
	}
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	close(stopProgress)
	progressDone.Wait()

	// Drain: the last acks, then every open connection up to its table's last event.
	r.logf("meeting over; waiting for the last acks and events")
	deadline := time.Now().Add(o.drain)
	for _, t := range tables {
		for t.outstanding.Load() > 0 && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
	}
	// Every open connection up to the last event meant for it: in groups
	// mode not every event is (lastFor).
	caughtUp := func() (behind int, lost int64) {
		for _, t := range tables {
			for _, c := range t.all() {
				if c.code.Load() != 0 {
					continue
				}
				final := t.maxSeq.Load()
				if o.groups > 0 {
					final = t.lastFor(c)
				}
				if s := c.lastSeq.Load(); s < final {
					behind++
					lost += final - s
				}
			}
		}
		return
	}
	for {
		if b, _ := caughtUp(); b == 0 || !time.Now().Before(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	res.Behind, res.Lost = caughtUp()
	for _, t := range tables {
		res.Outstanding += t.outstanding.Load()
	}
	res.DrainS = time.Since(meetingEnd).Seconds()
	closeAll(tables)
	for _, t := range tables {
		for _, c := range t.all() {
			if c.ws != nil {
				<-c.done
				c.resolve(true)
			}
		}
	}
	if o.groups > 0 {
		g := &groupSide{PerTable: o.groups, Placement: o.placement, Dots: o.groupDots, Picks: o.picks}
		var rb shardedHist
		for _, t := range tables {
			t.audit(g)
			t.reportBack(&rb, g)
		}
		g.ReportBack = rb.snapshot().summary()
		// The audit counts what every open connection should have had;
		// seqs of other groups are skipped by design, not lost.
		res.Lost = g.Lost
		res.Group = g
	}

	// Results.
	meeting := meetingEnd.Sub(meetingStart).Seconds()
	var slowest slow
	var slowTable int
	for _, t := range tables {
		res.Events += t.maxSeq.Load() - t.measureFrom.Load()
		for _, c := range t.all() {
			if c.slowest.d > slowest.d {
				slowest, slowTable = c.slowest, t.n+1
			}
			res.Deliveries += c.events.Load()
			res.Frames += c.frames.Load()
			res.Gaps += c.gaps.Load()
			res.Dups += c.dups.Load()
		}
	}
	res.MeetingS = meeting
	if slowest.d > 0 {
		res.Slowest = fmt.Sprintf("%.1f ms: table %d, seq %d, sent %.1f s into the meeting",
			float64(slowest.d)/1e6, slowTable, slowest.seq, time.Duration(slowest.sent).Seconds()-meetingStart.Sub(r.base).Seconds())
	}
	if meeting > 0 {
		res.EventsPerS = float64(res.Events) / meeting
		res.DeliveredPerS = float64(res.Deliveries) / meeting
		res.FramesPerS = float64(res.Frames) / meeting
	}
	res.OpsSent, res.OpsAcked = r.sent.Load(), r.acked.Load()
	res.Latency = r.lat.snapshot().summary()
	res.Ack = r.ack.snapshot().summary()
	res.Join = r.joinH.snapshot().summary()
	res.Connect = r.connH.snapshot().summary()
	res.Unmeasured, res.Unmatched, res.Unanswered = r.unmeasured.Load(), r.unmatched.Load(), r.unanswered.Load()
	res.UnknownAcks, res.Overwritten = r.unknownAcks.Load(), r.overwritten.Load()
	res.SendLagMaxMS = float64(r.lagMax.Load()) / 1e6
	res.SendLate = r.lagLate.Load()
	res.Presence = r.presence.Load()
	r.mu.Lock()
	res.Errors = r.errors
	res.Closes = map[string]int64{}
	for code, n := range r.closes {
		res.Closes[strconv.Itoa(code)] = n
		res.Dropped += n
	}
	r.mu.Unlock()
	res.Load = loadSide{CPUPct: cpuPercent(selfStart, selfEnd), CPUWaitPct: waitPercent(selfStart, selfEnd), RSSMiB: mib(selfEnd.rss)}
	if o.pid != 0 {
		res.Server = &serverSide{PID: o.pid, RSSBeforeMiB: mib(before.rss), RSSConnectedMiB: mib(connected.rss),
			RSSEndMiB: mib(atEnd.rss), RSSPeakMiB: mib(max(peak.rss, atEnd.rss)), CPUPct: cpuPercent(connected, atEnd),
			CPUWaitPct: waitPercent(connected, atEnd)}
		if n := res.Conns - o.tables*o.perTable(); n > 0 && before.ok {
			res.Server.PerConnKiB = float64(connected.rss-before.rss) / 1024 / float64(n)
		}
	}
	if o.pid != 0 && (!connected.ok || !atEnd.ok) {
		res.Problems = append(res.Problems, fmt.Sprintf("could not read /proc/%d during the run: is the server still running?", o.pid))
	}
	res.judge(o)
	res.print(stdout)
	if o.jsonOut != "" {
		if err := res.appendJSON(o.jsonOut); err != nil {
			return res, err
		}
	}
	return res, nil
}

// storm joins every participant and opens its websocket at once, like a
// browser on the join page, the starts spread evenly over --join-within.
func (r *runState) storm(ctx context.Context, tables []*table, joinedN, inN *atomic.Int64) time.Time {
	o := r.o
	start := time.Now()
	var mu sync.Mutex
	lastIn := start
	var wg sync.WaitGroup
	for i := range o.participants {
		at := start.Add(time.Duration(int64(o.joinWithin) * int64(i) / int64(max(1, o.participants))))
		wg.Go(func() {
			if !sleepCtx(ctx, time.Until(at)) {
				return
			}
			t := tables[i%o.tables]
			t0 := time.Now()
			j, err := r.join(ctx, t.code, i)
			r.joinH.record(i, time.Since(t0).Microseconds())
			if err != nil {
				return
			}
			joinedN.Add(1)
			c := newConn(r, t, "participant", j.Token, j.Participant)
			t.parts[i/o.tables] = c
			if err := c.open(ctx); err != nil {
				return
			}
			r.connH.record(i, time.Since(t0).Microseconds())
			inN.Add(1)
			mu.Lock()
			lastIn = time.Now()
			mu.Unlock()
		})
	}
	wg.Wait()
	r.logf("join storm: %d joined, %d in, the last %s after the first started", joinedN.Load(), inN.Load(), lastIn.Sub(start).Round(time.Millisecond))
	return lastIn
}

// watch prints progress and keeps the server's peak memory until stop.
func (r *runState) watch(tables []*table, start time.Time, peak *procSample, sample func() procSample, stop chan struct{}) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var lastN int64
	lastAt := time.Now()
	lastPrint := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		if s := sample(); s.rss > peak.rss {
			*peak = s
		}
		if r.o.progress <= 0 || time.Since(lastPrint) < r.o.progress {
			continue
		}
		lastPrint = time.Now()
		var n, open int64
		for _, t := range tables {
			for _, c := range t.all() {
				n += c.events.Load()
				if c.code.Load() == 0 {
					open++
				}
			}
		}
		rate := float64(n-lastN) / time.Since(lastAt).Seconds()
		lastN, lastAt = n, time.Now()
		snap := r.lat.snapshot()
		r.mu.Lock()
		nerr := int64(0)
		for _, v := range r.errors {
			nerr += v
		}
		r.mu.Unlock()
		r.logf("meeting %3.0fs: %7.0f deliveries/s, p99 so far %.1f ms, %d ops sent, %d open, %d errors",
			time.Since(start).Seconds(), rate, float64(snap.quantile(0.99))/1000, r.sent.Load(), open, nerr)
	}
}

// all is every connection of the table that was made.
func (t *table) all() []*conn {
	out := make([]*conn, 0, len(t.parts)+2)
	for _, c := range append([]*conn{t.fac, t.scr}, t.parts...) {
		if c != nil && c.ws != nil {
			out = append(out, c)
		}
	}
	return out
}

func closeAll(tables []*table) {
	var all []*conn
	for _, t := range tables {
		if t != nil {
			all = append(all, t.all()...)
		}
	}
	parallel(context.Background(), len(all), 256, func(i int) error {
		all[i].close()
		return nil
	})
}

// parallel runs f(0…n-1) with at most width at a time and returns the
// first error; the others still run.
func parallel(ctx context.Context, n, width int, f func(int) error) error {
	var wg sync.WaitGroup
	var first error
	var mu sync.Mutex
	sem := make(chan struct{}, width)
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return first
}

// sleepCtx sleeps for d unless ctx ends first; it reports whether it slept.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
