package limit

import (
	"testing"
	"time"
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
