package limit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// TestConnFloodThatLeaksThrough: a sender at 750 messages a second gets a
// message through now and then, which resets the run of refusals; it is
// flooding all the same once most of its messages have been refused three
// seconds running, and only the first refusal of each run is answered.
func TestConnFloodThatLeaksThrough(t *testing.T) {
	b := NewConn(20, 40)
	start := time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)
	answered, refused := 0, 0
	for i := 0; ; i++ {
		now := start.Add(time.Duration(i) * time.Second / 750)
		if b.Allow(now) {
			continue
		}
		refused++
		if b.Answer() {
			answered++
		}
		if b.Flooding() {
			if took := now.Sub(start); took < 3*time.Second || took > 4500*time.Millisecond {
				t.Fatalf("flooding after %s, want 3 to 4.5 s", took)
			}
			break
		}
		if i > 750*10 {
			t.Fatal("a 750/s flood was not noticed in 10 s")
		}
	}
	if answered*10 > refused {
		t.Errorf("%d of %d refusals answered", answered, refused)
	}
}

// TestConnBurstIsNotAFlood: an honest client that pastes a burst and then
// keeps to the rate is never flooding.
func TestConnBurstIsNotAFlood(t *testing.T) {
	b := NewConn(20, 40)
	now := time.Date(2027, 2, 25, 17, 0, 0, 0, time.UTC)
	for range 100 { // a burst: 60 refused
		b.Allow(now)
	}
	for range 20 * 60 { // then 15 a second for a minute
		now = now.Add(time.Second / 15)
		if !b.Allow(now) {
			t.Fatal("a message within the rate was refused")
		}
		if b.Flooding() {
			t.Fatal("an honest client was taken for a flood")
		}
	}
}

// TestPerAddress: an address spends its burst, then is refused with the
// budget's refusal; another address is not affected.
func TestPerAddress(t *testing.T) {
	l := NewFailures()
	for i := range 20 {
		if err := l.Check("203.0.113.5"); err != nil {
			t.Fatalf("refused after %d failures: %v", i, err)
		}
		l.Spend("203.0.113.5")
	}
	if err := l.Check("203.0.113.5"); err == nil || err.Error() != "rate_limited: too many failed attempts from your address; wait a minute" {
		t.Fatalf("after 20 failures: %v", err)
	}
	if err := l.Check("198.51.100.7"); err != nil {
		t.Fatalf("another address: %v", err)
	}
}

// fakeShared is a shared budget in a map, or one that fails.
type fakeShared struct {
	tokens map[string]float64
	err    error
}

func (f *fakeShared) get(key string, burst float64) float64 {
	if v, ok := f.tokens[key]; ok {
		return v
	}
	return burst
}

func (f *fakeShared) Take(_ context.Context, key string, burst, _ float64) (bool, error) {
	if f.err != nil {
		return false, f.err
	}
	if t := f.get(key, burst); t >= 1 {
		f.tokens[key] = t - 1
		return true, nil
	}
	return false, nil
}

func (f *fakeShared) Spend(_ context.Context, key string, burst, _ float64) (bool, error) {
	if f.err != nil {
		return false, f.err
	}
	t := f.get(key, burst)
	f.tokens[key] = t - 1
	return t >= 1, nil
}

func (f *fakeShared) HasToken(_ context.Context, key string, burst, _ float64) (bool, error) {
	if f.err != nil {
		return false, f.err
	}
	return f.get(key, burst) >= 1, nil
}

// TestShared: a shared budget is spent under the purpose's key, and one
// that cannot be reached refuses with unavailable, never lets through.
func TestShared(t *testing.T) {
	refusal := &session.Error{Kind: session.KindLimit, Code: session.CodeRateLimited, Message: "no"}
	f := &fakeShared{tokens: map[string]float64{}}
	l := NewPerAddress(1, 2, refusal).Share(f, "create")
	for i := range 2 {
		if err := l.Take("192.0.2.1"); err != nil {
			t.Fatalf("take %d: %v", i+1, err)
		}
	}
	if err := l.Take("192.0.2.1"); err != refusal {
		t.Fatalf("third take: %v", err)
	}
	if _, ok := f.tokens["create|192.0.2.1"]; !ok {
		t.Fatalf("keys %v", f.tokens)
	}
	fl := NewFailures().Share(f, "fail")
	fl.Spend("192.0.2.1")
	if f.tokens["fail|192.0.2.1"] != 19 {
		t.Fatalf("keys %v", f.tokens)
	}
	f.err = errors.New("database gone")
	if err := l.Take("192.0.2.9"); err != Unavailable {
		t.Errorf("Take with the database gone: %v", err)
	}
	if err := fl.Check("192.0.2.9"); err != Unavailable {
		t.Errorf("Check with the database gone: %v", err)
	}
	if Unavailable.Code != session.CodeUnavailable {
		t.Errorf("Unavailable's code %s", Unavailable.Code)
	}
}
