package live

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
)

// bucket is a token bucket limiting one connection's messages. It is used
// by the connection's read pump only.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
	refused             int // refusals in a row
}

func newBucket(rate, burst int) *bucket {
	return &bucket{rate: float64(rate), burst: float64(burst), tokens: float64(burst)}
}

func (b *bucket) allow(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		b.refused = 0
		return true
	}
	b.refused++
	return false
}

// abusive reports a client that keeps sending long after being told to
// slow down: far more than a burst of refusals in a row.
func (b *bucket) abusive() bool { return b.refused > int(b.burst)*10 }

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

// strictHello decodes a hello: exactly the known fields, a table id that
// is a UUID, a known role.
func strictHello(msg []byte, hl *hello) error {
	bad := func(m string) error {
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: m}
	}
	if err := checkShape(msg); err != nil {
		return err
	}
	var op struct {
		Op string `json:"op"`
	}
	if json.Unmarshal(msg, &op) == nil && op.Op != "hello" {
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeNotJoined, Message: "send hello first"}
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.DisallowUnknownFields()
	if err := dec.Decode(hl); err != nil {
		return bad("the first message must be a hello")
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad("data after the hello")
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

// maxDepth is how deeply a client message may nest objects and arrays; no
// op needs more than 3.
const maxDepth = 8

// checkShape refuses messages that encoding/json would accept but that no
// honest client sends: duplicate keys (which one wins is a matter of
// parser, a classic smuggling trick) and deep nesting.
func checkShape(msg []byte) error {
	bad := func(m string) error {
		return &session.Error{Kind: session.KindInvalid, Code: session.CodeBadMessage, Message: m}
	}
	dec := json.NewDecoder(bytes.NewReader(msg))
	type level struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token in this object is a key
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return bad("malformed message")
		}
		var top *level
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if len(stack) >= maxDepth {
					return bad("message nested too deeply")
				}
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, level{object: v == '{', keys: map[string]bool{}, key: true})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object {
				if top.key {
					if top.keys[v] {
						return bad("duplicate key " + strconv.Quote(truncateKey(v)))
					}
					top.keys[v] = true
				}
				top.key = !top.key
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}

func truncateKey(k string) string {
	if len(k) > 30 {
		return k[:30]
	}
	return k
}
