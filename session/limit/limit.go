// Package limit holds the rate limits of the server: a token bucket per
// websocket connection, and budgets per client address for failures (wrong
// join codes, credentials and table ids) and for creating tables.
package limit

import (
	"context"
	"sync"
	"time"

	"github.com/poyta/poyta/session"
)

// Conn limits one connection's messages: a token bucket, and a watch for
// floods. It is used by the connection's read pump only.
type Conn struct {
	rate, burst, tokens float64
	last                time.Time
	refused             int // refusals in a row

	// Flood detection counts accepted and refused messages per second: a
	// connection most of whose messages were refused floodSeconds seconds
	// running is flooding, even if a message now and then gets through.
	second          time.Time // start of the current second
	okIn, refusedIn int       // messages accepted and refused in it
	floodingFor     int       // seconds in a row with most messages refused
}

// floodSeconds is how many seconds in a row a connection may have most of
// its messages refused before it is closed.
const floodSeconds = 3

// NewConn makes a connection's limit: rate messages a second, bursts of up
// to burst.
func NewConn(rate, burst int) *Conn {
	return &Conn{rate: float64(rate), burst: float64(burst), tokens: float64(burst)}
}

// Allow takes a token for a message arriving at now, or reports that the
// message is over the limit.
func (b *Conn) Allow(now time.Time) bool {
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
func (b *Conn) tally(now time.Time) {
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

// Answer says whether a refusal is worth an answer: only the first of a
// run is. Answering every message of a flood would be work done for the
// flooder; an honest client resends what is unanswered after the first
// rate_limited it gets.
func (b *Conn) Answer() bool { return b.refused == 1 }

// Flooding reports a connection that goes on sending long after being
// told to slow down: far more than a burst of refusals in a row, or most
// of its messages refused for floodSeconds seconds running.
func (b *Conn) Flooding() bool {
	return b.refused > int(b.burst)*10 || b.floodingFor >= floodSeconds
}

// Refusal is the one answer to a message over a connection's limit.
var Refusal = &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "too many messages; slow down"}

// PerAddress is a budget per client address: a token bucket for each,
// which something spends (a failed attempt, a table created) and which
// refills at a steady rate. It is safe for concurrent use.
//
// The buckets are in memory, one node's, unless Share puts them in the
// database that the nodes of a cluster share.
type PerAddress struct {
	mu      sync.Mutex
	rate    float64 // tokens a second
	burst   float64
	refusal *session.Error
	byAddr  map[string]*bucket

	shared  Shared // nil: the buckets are byAddr
	purpose string // the shared keys' prefix
}

// Shared keeps token buckets where every node of a cluster sees them: the
// store's budgets (store.DB).
type Shared interface {
	// Take takes a token if there is one and reports whether there was.
	Take(ctx context.Context, key string, burst, perHour float64) (bool, error)
	// Spend takes a token, below zero if need be.
	Spend(ctx context.Context, key string, burst, perHour float64) (bool, error)
	// HasToken reports whether a token is left, taking none.
	HasToken(ctx context.Context, key string, burst, perHour float64) (bool, error)
}

// sharedTimeout bounds a call to the shared budgets: a database that does
// not answer refuses, it does not hold requests.
const sharedTimeout = 5 * time.Second

// Unavailable is the refusal when the shared budgets cannot be read: a
// limit that cannot be checked is not passed.
var Unavailable = &session.Error{Kind: session.KindInternal, Code: session.CodeUnavailable,
	Message: "the database cannot be reached; try again shortly"}

// Share makes l keep its buckets in s, under keys that start with purpose,
// so that every node of a cluster spends from the same budget. Call it
// before l is used.
func (l *PerAddress) Share(s Shared, purpose string) *PerAddress {
	l.shared, l.purpose = s, purpose
	return l
}

func (l *PerAddress) key(addr string) string { return l.purpose + "|" + addr }

type bucket struct {
	tokens float64
	last   time.Time
}

// maxAddresses is how many addresses a budget remembers: under a spread-out
// attack it forgets everyone rather than grow without bound.
const maxAddresses = 100000

// NewPerAddress makes a budget of burst at once, refilled at perHour an
// hour; Check refuses an address that has spent it with refusal.
func NewPerAddress(perHour float64, burst int, refusal *session.Error) *PerAddress {
	return &PerAddress{rate: perHour / 3600, burst: float64(burst), refusal: refusal, byAddr: map[string]*bucket{}}
}

// NewFailures makes the budget for failed attempts (wrong join codes, wrong
// credentials, unknown tables): 20 at once, then 30 a minute. Every check
// of a credential or a code goes through the same budget, so that guessing
// is slow as well as improbable.
func NewFailures() *PerAddress {
	return NewPerAddress(30*60, 20, &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited,
		Message: "too many failed attempts from your address; wait a minute"})
}

// Check returns the budget's refusal when addr has nothing left right now.
// A failure is spent afterwards, with Spend, once it is known to be one.
func (l *PerAddress) Check(addr string) error {
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		defer cancel()
		ok, err := l.shared.HasToken(ctx, l.key(addr), l.burst, l.rate*3600)
		switch {
		case err != nil:
			return Unavailable
		case !ok:
			return l.refusal
		}
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.byAddr[addr]
	if b == nil {
		return nil
	}
	l.refill(b, time.Now())
	if b.tokens < 1 {
		return l.refusal
	}
	return nil
}

// Take spends one of addr's tokens if it has one left, and returns the
// budget's refusal if not: Check and Spend at once.
func (l *PerAddress) Take(addr string) error {
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		defer cancel()
		ok, err := l.shared.Take(ctx, l.key(addr), l.burst, l.rate*3600)
		switch {
		case err != nil:
			return Unavailable
		case !ok:
			return l.refusal
		}
		return nil
	}
	if err := l.Check(addr); err != nil {
		return err
	}
	l.Spend(addr)
	return nil
}

// SpendSoon spends one of addr's tokens without waiting for a shared
// budget: for callers that must not wait on the database (a table's hub).
// In memory it is Spend.
func (l *PerAddress) SpendSoon(addr string) {
	if l.shared != nil {
		go l.Spend(addr)
		return
	}
	l.Spend(addr)
}

// Spend spends one of addr's tokens. A shared budget that cannot be
// reached spends nothing; its next Check refuses anyway.
func (l *PerAddress) Spend(addr string) {
	if l.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
		defer cancel()
		l.shared.Spend(ctx, l.key(addr), l.burst, l.rate*3600)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	b := l.byAddr[addr]
	if b == nil {
		if len(l.byAddr) >= maxAddresses {
			clear(l.byAddr)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.byAddr[addr] = b
	}
	l.refill(b, now)
	b.tokens--
}

func (l *PerAddress) refill(b *bucket, now time.Time) {
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
}
