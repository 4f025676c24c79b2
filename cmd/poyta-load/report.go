package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// result is one run's figures; it is printed as the JSON line.
type result struct {
	Tool       string `json:"tool"`
	Args       string `json:"args"`
	Label      string `json:"label,omitempty"`
	Started    string `json:"started"`
	LoadAvg    string `json:"loadavg"`              // of the machine when the run started
	LoadAvgEnd string `json:"loadavgEnd,omitempty"` // and when the meeting ended
	// CPUPressure is the share of the meeting in which some task on the
	// machine waited for a CPU (/proc/pressure/cpu "some"), in percent;
	// absent where the kernel does not tell.
	CPUPressure  *float64 `json:"cpuPressurePct,omitempty"`
	Tables       int      `json:"tables"`
	Participants int      `json:"participants"`
	Sources      int      `json:"sources"`
	JoinWithinS  float64  `json:"joinWithinS,omitempty"`
	DurationS    float64  `json:"durationS"`
	IdeasPerS    float64  `json:"ideasPerS"`
	VotesPerS    float64  `json:"votesPerS"`
	CollectS     float64  `json:"collectS"`
	VoteS        float64  `json:"voteS"`
	Reveal       string   `json:"reveal"`

	Joined     int     `json:"joined"`
	In         int     `json:"in"`    // participants connected with their snapshot
	Conns      int     `json:"conns"` // websockets open at the start of the meeting
	JoinAllInS float64 `json:"joinAllInS"`
	Join       latency `json:"joinMs"`    // POST /api/join
	Connect    latency `json:"connectMs"` // to the snapshot (with --join-within: from the join)

	MeetingS      float64 `json:"meetingS"`
	OpsSent       int64   `json:"opsSent"`
	OpsAcked      int64   `json:"opsAcked"`
	Events        int64   `json:"events"` // events committed during the meeting
	EventsPerS    float64 `json:"eventsPerS"`
	Deliveries    int64   `json:"deliveries"` // events received, all connections
	DeliveredPerS float64 `json:"deliveredPerS"`
	Frames        int64   `json:"frames"` // websocket messages received during the meeting, all connections
	FramesPerS    float64 `json:"framesPerS"`
	Latency       latency `json:"latencyMs"` // command sent → event received, every connection (groups mode: the group events)
	Ack           latency `json:"ackMs"`     // command sent → its ack received
	Slowest       string  `json:"slowest,omitempty"`
	SendLagMaxMS  float64 `json:"sendLagMaxMs"`
	SendLate      int64   `json:"sendLate"` // ops sent more than 10 ms after their scheduled time
	Presence      int64   `json:"presence"`
	DrainS        float64 `json:"drainS"`

	Errors      map[string]int64 `json:"errors"`
	Closes      map[string]int64 `json:"closes"` // connections the server closed, by close code
	Dropped     int64            `json:"dropped"`
	Lost        int64            `json:"lost"`   // events open connections never received
	Behind      int              `json:"behind"` // open connections that did not reach their table's last event
	Gaps        int64            `json:"gaps"`
	Dups        int64            `json:"dups"`
	Unmeasured  int64            `json:"unmeasured"`  // events past the send-time record
	Unmatched   int64            `json:"unmatched"`   // events whose sender's ack never came
	Unanswered  int64            `json:"unanswered"`  // ops whose connection closed before the answer
	UnknownAcks int64            `json:"unknownAcks"` // answers to no op we sent
	Overwritten int64            `json:"overwritten"` // ops whose answer came too late to match
	Outstanding int64            `json:"outstanding"` // ops still unanswered after --drain

	Group  *groupSide  `json:"groups,omitempty"` // groups mode (groups.go)
	Server *serverSide `json:"server,omitempty"`
	Load   loadSide    `json:"load"`

	OK       bool     `json:"ok"`
	Problems []string `json:"problems,omitempty"`
}

type serverSide struct {
	PID             int     `json:"pid"`
	RSSBeforeMiB    float64 `json:"rssBeforeMiB"`    // before the participants' websockets
	RSSConnectedMiB float64 `json:"rssConnectedMiB"` // all connected and settled
	RSSEndMiB       float64 `json:"rssEndMiB"`
	RSSPeakMiB      float64 `json:"rssPeakMiB"`
	PerConnKiB      float64 `json:"perConnKiB"` // (connected - before) / participants' websockets
	CPUPct          float64 `json:"cpuPct"`     // during the meeting; 100 = one core
	CPUWaitPct      float64 `json:"cpuWaitPct"` // its threads' wait for a CPU during the meeting, summed; 100 = one thread always waiting
}

type loadSide struct {
	CPUPct     float64 `json:"cpuPct"` // poyta-load itself during the meeting
	CPUWaitPct float64 `json:"cpuWaitPct"`
	RSSMiB     float64 `json:"rssMiB"`
}

// judge decides whether the run was clean: the --check verdict.
func (res *result) judge(o *runOptions) {
	p := res.Problems
	if res.In < o.participants {
		p = append(p, fmt.Sprintf("%d of %d participants got in", res.In, o.participants))
	}
	var nerr int64
	for _, n := range res.Errors {
		nerr += n
	}
	if nerr > 0 {
		p = append(p, fmt.Sprintf("%d errors", nerr))
	}
	if res.Dropped > 0 {
		p = append(p, fmt.Sprintf("%d connections closed by the server", res.Dropped))
	}
	if res.Lost > 0 || res.Gaps > 0 || res.Dups > 0 {
		p = append(p, fmt.Sprintf("%d events lost, %d missing in sequence, %d duplicated", res.Lost, res.Gaps, res.Dups))
	}
	if res.Unmatched > 0 || res.Unanswered > 0 || res.UnknownAcks > 0 || res.Overwritten > 0 {
		p = append(p, fmt.Sprintf("%d events unmatched, %d ops unanswered, %d unknown answers, %d answers too late",
			res.Unmatched, res.Unanswered, res.UnknownAcks, res.Overwritten))
	}
	if res.Outstanding > 0 {
		p = append(p, fmt.Sprintf("%d ops never answered", res.Outstanding))
	}
	if g := res.Group; g != nil {
		if g.Leaks > 0 {
			p = append(p, fmt.Sprintf("%d deliveries leaked outside their group", g.Leaks))
		}
		if g.Unaudited > 0 {
			p = append(p, fmt.Sprintf("%d events whose audience is unknown", g.Unaudited))
		}
		if g.NoReportBack > 0 {
			p = append(p, fmt.Sprintf("%d connections never got the report-back", g.NoReportBack))
		}
		if g.PlenaryIdeas != g.PlenaryWant {
			p = append(p, fmt.Sprintf("the report-back brought %d plenary ideas, %d picked", g.PlenaryIdeas, g.PlenaryWant))
		}
	}
	res.Problems, res.OK = p, len(p) == 0
}

func (res *result) print(w io.Writer) {
	fmt.Fprintf(w, "\npoyta-load: %d tables, %d participants (%d in), %d websockets; %.0f s meeting, ideas %.0f/s, votes %.0f/s per table\n",
		res.Tables, res.Participants, res.In, res.Conns, res.MeetingS, res.IdeasPerS, res.VotesPerS)
	if res.LoadAvg != "" {
		fmt.Fprintf(w, "  machine load at start   %s; at the meeting's end %s\n", res.LoadAvg, res.LoadAvgEnd)
	}
	if res.CPUPressure != nil {
		fmt.Fprintf(w, "  CPU pressure            some task waited for a CPU %.0f%% of the meeting\n", *res.CPUPressure)
	}
	lat := func(name string, l latency) {
		if l.Count == 0 {
			return
		}
		fmt.Fprintf(w, "  %-23s p50 %7.2f  p95 %7.2f  p99 %7.2f  max %8.2f ms  (%d)\n", name, l.P50, l.P95, l.P99, l.Max, l.Count)
	}
	lat("join (HTTP)", res.Join)
	lat("connect (to snapshot)", res.Connect)
	if res.JoinWithinS > 0 {
		fmt.Fprintf(w, "  join storm              %d joined, %d in, last in after %.2f s (within %.0f s)\n", res.Joined, res.In, res.JoinAllInS, res.JoinWithinS)
	}
	fmt.Fprintf(w, "  ops                     %d sent, %d acknowledged; %d events committed (%.0f/s)\n", res.OpsSent, res.OpsAcked, res.Events, res.EventsPerS)
	fmt.Fprintf(w, "  delivered               %d events (%.0f/s) in %d frames (%.0f/s)\n", res.Deliveries, res.DeliveredPerS, res.Frames, res.FramesPerS)
	if g := res.Group; g != nil {
		fmt.Fprintf(w, "  groups                  %d per table, placement %s, %d dots each, %d picks per group\n", g.PerTable, g.Placement, g.Dots, g.Picks)
		lat("group event latency", res.Latency)
	} else {
		lat("event latency", res.Latency)
	}
	lat("ack latency", res.Ack)
	if res.Slowest != "" {
		fmt.Fprintf(w, "  slowest event           %s\n", res.Slowest)
	}
	if res.SendLagMaxMS > 10 {
		fmt.Fprintf(w, "  sending fell behind     max %.1f ms; %d ops over 10 ms late\n", res.SendLagMaxMS, res.SendLate)
	}
	fmt.Fprintf(w, "  errors                  %s\n", counts(res.Errors))
	fmt.Fprintf(w, "  closed by the server    %s\n", counts(res.Closes))
	fmt.Fprintf(w, "  lost events             %d (gaps %d, dups %d, %d connections behind; unmatched %d, unmeasured %d)\n",
		res.Lost, res.Gaps, res.Dups, res.Behind, res.Unmatched, res.Unmeasured)
	if g := res.Group; g != nil {
		fmt.Fprintf(w, "  delivery audit          %d deliveries called for, %d lost, %d leaked; %d rightly not sent outside their group; %d events unaudited\n",
			g.Expected, g.Lost, g.Leaks, g.Skipped, g.Unaudited)
		lat("report-back", g.ReportBack)
		fmt.Fprintf(w, "  plenary list            %d ideas brought back (%d picked); %d connections without it\n", g.PlenaryIdeas, g.PlenaryWant, g.NoReportBack)
	}
	if s := res.Server; s != nil {
		fmt.Fprintf(w, "  server memory           %.1f MiB before the websockets, %.1f connected (%.1f KiB each), %.1f at the end, peak %.1f MiB\n",
			s.RSSBeforeMiB, s.RSSConnectedMiB, s.PerConnKiB, s.RSSEndMiB, s.RSSPeakMiB)
		fmt.Fprintf(w, "  server CPU              %.0f%% of one core during the meeting; its threads waited for a CPU %.0f%% of it\n", s.CPUPct, s.CPUWaitPct)
	}
	fmt.Fprintf(w, "  poyta-load CPU          %.0f%% of one core, %.0f MiB; its threads waited for a CPU %.0f%% of the meeting\n", res.Load.CPUPct, res.Load.RSSMiB, res.Load.CPUWaitPct)
	if res.OK {
		fmt.Fprintf(w, "  verdict                 clean: no errors, drops, lost events or leaks\n")
	} else {
		fmt.Fprintf(w, "  verdict                 %s\n", strings.Join(res.Problems, "; "))
	}
	b, _ := json.Marshal(res)
	fmt.Fprintf(w, "%s\n", b)
}

func counts[K comparable](m map[K]int64) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%v: %d", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

func (res *result) appendJSON(path string) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
