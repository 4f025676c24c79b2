package live

import (
	"fmt"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/metrics"
)

// Benchmark events: a dot before the reveal (three shapes: the voter's,
// the facilitators', everyone else's) and an idea (one shape for all).
func benchEvents() map[string]session.Event {
	at := time.Date(2027, 2, 25, 17, 30, 0, 0, time.UTC)
	return map[string]session.Event{
		"vote": {Seq: 4711, Time: at, Actor: "p:abfc6d3e-05ef-4a38-b5b3-6a1dac184ade", Type: "vote.changed",
			Data: &session.VoteChanged{Item: "ff5d928e-bb5f-4126-ba03-f38b8efbf0b9", Idea: "d0630e0b-0738-40ae-b954-613f4f326c16",
				Voter: "abfc6d3e-05ef-4a38-b5b3-6a1dac184ade", Delta: 1, Votes: 17, Cast: 1234}},
		"idea": {Seq: 4712, Time: at, Actor: "p:abfc6d3e-05ef-4a38-b5b3-6a1dac184ade", Type: "idea.added",
			Data: &session.IdeaAdded{Idea: "5c500ff4-4ed6-4e69-abbe-74814527070b", Item: "ff5d928e-bb5f-4126-ba03-f38b8efbf0b9",
				Text: "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin", Author: "abfc6d3e-05ef-4a38-b5b3-6a1dac184ade",
				Created: at, Profile: &session.ParticipantView{ID: "abfc6d3e-05ef-4a38-b5b3-6a1dac184ade", Name: "Matti Meikäläinen",
					Org: "Ähtärin Urheilijat ry", Sector: "association", Seq: 2}}},
	}
}

// BenchmarkEncodeEvent is the broadcast encode of one event: its
// projection for each audience and the JSON of each, which the hub does
// once per audience however many clients there are.
func BenchmarkEncodeEvent(b *testing.B) {
	for name, e := range benchEvents() {
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				pub := session.Project(e, session.AudiencePublic)
				n += len(eventBytes(e, pub))
				if fac := session.Project(e, session.AudienceFacilitator); fac != pub {
					n += len(eventBytes(e, fac))
				}
				if session.SelfActor(e) != "" {
					n += len(eventBytes(e, session.Project(e, session.AudienceSelf)))
				}
			}
			b.ReportMetric(float64(n)/float64(b.N), "bytes/op")
		})
	}
}

// BenchmarkFanout is the hub's side of a broadcast to N clients: one
// commit of k votes from k participants (each gets its ack and its own
// shape of its dot), every event encoded per audience, and a flush that
// queues one frame per client. The write pumps are replaced by emptying
// the queues, so the figure is the hub goroutine's cost alone; the
// delivery to real sockets is what poyta-load measures.
func BenchmarkFanout(b *testing.B) {
	for _, clients := range []int{100, 1000, 10000} {
		for _, perFlush := range []int{1, 10} {
			b.Run(fmt.Sprintf("clients=%d/events=%d", clients, perFlush), func(b *testing.B) {
				benchFanout(b, clients, perFlush)
			})
		}
	}
}

func benchFanout(b *testing.B, clients, perFlush int) {
	// With the metrics on, as a server with --metrics-addr runs.
	s := New(Config{Metrics: metrics.New(metrics.Build{})})
	defer s.stop()
	h := newHub(s, "bench")
	var all []*client
	for i := range clients {
		who := session.Who{Role: session.RoleParticipant, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i)}
		if i < 2 {
			who = session.Who{Role: session.RoleFacilitator}
		}
		c := &client{srv: s, wake: make(chan struct{}, 1), who: who, actor: who.Actor()}
		h.clients[c] = struct{}{}
		h.byActor[c.actor] = append(h.byActor[c.actor], c)
		h.presence.roles[who.Role]++
		all = append(all, c)
	}
	vote := benchEvents()["vote"]
	ack := encode(ackMsg{Type: "ack", ID: "k3J9xQ2aTfE-17", Seq: vote.Seq})
	seq := int64(0)
	for b.Loop() {
		h.beginCommit()
		for k := range perFlush {
			sender := all[2+(int(seq)+k)%(clients-2)]
			h.addReply(sender, ack)
		}
		for k := range perFlush {
			sender := all[2+(int(seq)+k)%(clients-2)]
			seq++
			e := vote
			d := *vote.Data.(*session.VoteChanged)
			d.Voter = sender.who.ID
			e.Seq, e.Data = seq, &d
			h.addEvent(e)
		}
		h.flushOut()
		for _, c := range all {
			c.written(c.take())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*clients), "ns/client")
	b.ReportMetric(float64(b.N*clients*perFlush)/b.Elapsed().Seconds(), "deliveries/s")
}
