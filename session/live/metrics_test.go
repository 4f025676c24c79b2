package live

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
)

// metricValue reads one series of a metric, summing the series whose
// labels include the given ones.
func metricValue(t *testing.T, m *metrics.Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, s := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range s.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue series
				}
			}
			switch {
			case s.GetCounter() != nil:
				sum += s.GetCounter().GetValue()
			case s.GetGauge() != nil:
				sum += s.GetGauge().GetValue()
			}
		}
	}
	return sum
}

// TestFanoutIsCounted: the frames and messages the metrics count for a
// flush are those the clients' queues got, also when the flush has owners
// (acks, a voter's own shape of its dot, a private group's idea for its
// members only) and drops a slow client.
func TestFanoutIsCounted(t *testing.T) {
	m := metrics.New(metrics.Build{})
	s := New(Config{Metrics: m, SendQueue: 2})
	defer s.stop()
	h := newHub(s, "metrics")
	var all []*client
	for i := range 9 {
		who := session.Who{Role: session.RoleParticipant, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i)}
		if i < 2 {
			who = session.Who{Role: session.RoleFacilitator}
		}
		c := &client{srv: s, wake: make(chan struct{}, 1), done: make(chan struct{}), who: who, actor: who.Actor()}
		h.clients[c] = struct{}{}
		h.byActor[c.actor] = append(h.byActor[c.actor], c)
		h.presence.arrive(who, "association")
		all = append(all, c)
	}
	// The last participant's queue is full: the flush drops it.
	slow := all[len(all)-1]
	slow.push(partsFrame([]byte(`{}`)), 2, 1<<20)
	slow.push(partsFrame([]byte(`{}`)), 2, 1<<20)

	vote := benchEvents()["vote"]
	idea := benchEvents()["idea"]
	h.beginCommit()
	voters := all[2:4]
	for _, c := range voters {
		h.addReply(c, encode(ackMsg{Type: "ack", ID: "op", Seq: 1}))
	}
	for i, c := range voters {
		e := vote
		d := *vote.Data.(*session.VoteChanged)
		d.Voter = c.who.ID
		e.Seq, e.Data = int64(i+1), &d
		h.addEvent(e)
	}
	idea.Seq = 3
	h.addEvent(idea)
	// A private group's idea: its members get it, nobody else but the
	// facilitators does.
	for _, c := range all[4:6] {
		c.group = "group-1"
		h.byGroup.add(c.group, c)
	}
	private := benchEvents()["idea"]
	d := *private.Data.(*session.IdeaAdded)
	d.Idea, d.Group, d.InGroup, d.Private = "private-idea", "group-1", true, true
	private.Seq, private.Data = 4, &d
	h.addEvent(private)
	h.flushOut()

	frames, messages := 0, 0
	for _, c := range all {
		if c == slow {
			continue
		}
		for _, f := range c.take() {
			frames++
			if f.shared != nil {
				messages += bytes.Count(f.shared.data, newline) + 1
				continue
			}
			messages += bytes.Count(bytes.Join(f.parts, newline), newline) + 1
		}
	}
	if frames != len(all)-1 {
		t.Fatalf("%d frames queued to %d clients", frames, len(all)-1)
	}
	if got := metricValue(t, m, "poyta_fanout_frames_total", nil); got != float64(frames) {
		t.Errorf("frames counted %v, queued %d", got, frames)
	}
	if got := metricValue(t, m, "poyta_fanout_deliveries_total", nil); got != float64(messages) {
		t.Errorf("messages counted %v, queued %d", got, messages)
	}
	if got := metricValue(t, m, "poyta_slow_clients_dropped_total", nil); got != 1 {
		t.Errorf("slow clients dropped: %v, want 1", got)
	}
	if got := metricValue(t, m, "poyta_queue_overflows_total", map[string]string{"queue": "send"}); got != 1 {
		t.Errorf("send queue overflows: %v, want 1", got)
	}
}
