package live

import (
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
)

// bucket is a token bucket limiting one connection's messages. It is used
// by the connection's read pump only, which also asks it whether the
// connection is flooding.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
	refused             int // refusals in a row

	// Flood detection counts accepted and refused messages per second: a
	// connection most of whose messages were refused, floodSeconds seconds
	// running, is flooding even if a message now and then gets through.
	second          time.Time // start of the current second
	okIn, refusedIn int       // messages accepted and refused in it
	floodingFor     int       // seconds in a row with most messages refused
}

// floodSeconds is how many seconds in a row a connection may have most of
// its messages refused before it is closed.
const floodSeconds = 3

func newBucket(rate, burst int) *bucket {
	return &bucket{rate: float64(rate), burst: float64(burst), tokens: float64(burst)}
}

func (b *bucket) allow(now time.Time) bool {
	b.tally(now)
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.refused = 0
		b.okIn++
		return true
	}
	b.refused++
	b.refusedIn++
	return false
}

// tally closes the current second if now is past it.
func (b *bucket) tally(now time.Time) {
	elapsed := now.Sub(b.second)
	if elapsed < time.Second {
		return
	}
	switch {
	case elapsed >= 2*time.Second:
		// A quiet second in between: whatever it was, it stopped.
		b.floodingFor = 0
	case b.refusedIn > b.okIn && float64(b.refusedIn) >= b.rate:
		b.floodingFor++
	default:
		b.floodingFor = 0
	}
	b.second, b.okIn, b.refusedIn = now, 0, 0
}

// answer says whether a refusal is worth an answer: only the first of a
// run is. Answering every message of a flood would be work done for the
// flooder; an honest client resends what is unanswered after the first
// rate_limited it gets.
func (b *bucket) answer() bool { return b.refused == 1 }

// flooding reports a connection that goes on sending long after being
// told to slow down: far more than a burst of refusals in a row, or most
// of its messages refused for floodSeconds seconds running.
func (b *bucket) flooding() bool {
	return b.refused > int(b.burst)*10 || b.floodingFor >= floodSeconds
}

// ipLimiter limits what one remote address may do per minute: fail (wrong
// join codes, so that guessing codes is slow as well as improbable), or
// create tables.
type ipLimiter struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	byAddr map[string]*bucket
}

func newIPLimiter(perMinute float64, burst int) *ipLimiter {
	return &ipLimiter{rate: perMinute / 60, burst: float64(burst), byAddr: map[string]*bucket{}}
}

// blocked reports whether addr has nothing left to spend right now.
func (l *ipLimiter) blocked(addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.byAddr[addr]
	if b == nil {
		return false
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	return b.tokens < 1
}

// spend spends one of addr's tokens.
func (l *ipLimiter) spend(addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.byAddr[addr]
	if b == nil {
		if len(l.byAddr) > 100000 {
			// Forget everyone rather than grow without bound under a spread-out attack.
			clear(l.byAddr)
		}
		b = &bucket{rate: l.rate, burst: l.burst, tokens: l.burst, last: now}
		l.byAddr[addr] = b
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate) - 1
	b.last = now
}

// strictHello decodes a hello strictly (session.Decode says how): exactly
// the known fields, a table id that is a UUID, a known role.
func strictHello(msg []byte, hl *hello) error {
	bad := func(m string) error {
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: m}
	}
	_, _, err := session.DecodeEnvelope(msg, func(op string) (any, error) {
		if op != "hello" {
			return nil, &session.Error{Kind: session.KindInvalid, Code: session.CodeNotJoined, Message: "send hello first"}
		}
		return hl, nil
	})
	if err != nil {
		return err
	}
	if _, err := uuid.Parse(hl.Table); err != nil || len(hl.Table) != 36 {
		return &session.Error{Kind: session.KindNotFound, Code: session.CodeNoTable, Message: "no such table"}
	}
	switch hl.Role {
	case session.RoleFacilitator, session.RoleParticipant, session.RoleScribe, session.RoleScreen:
	default:
		return bad("role must be facilitator, participant, scribe or screen")
	}
	if hl.Since < 0 {
		return bad("since must not be negative")
	}
	return nil
}
