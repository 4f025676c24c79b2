package session_test

import (
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

func TestTimer(t *testing.T) {
	m := newMeeting(t)
	start := m.clock.now
	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"t1","op":"timer.start","item":%q}`, m.discuss))
	if e.Type != "timer.changed" {
		t.Fatalf("event type %q", e.Type)
	}
	tm := m.item(t, m.discuss).Timer
	if !tm.Running || !tm.StartedAt.Equal(start) || tm.Duration != 30*60 || tm.Elapsed != 0 {
		t.Fatalf("started timer = %+v", tm)
	}
	if got := tm.Remaining(start); got != 30*time.Minute {
		t.Fatalf("remaining at start = %v", got)
	}
	m.clock.advance(10 * time.Minute)
	if got := m.item(t, m.discuss).Timer.Remaining(m.clock.now); got != 20*time.Minute {
		t.Fatalf("remaining after 10 min = %v", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss), session.CodeTimerRunning)

	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.pause","item":%q}`, m.discuss))
	tm = m.item(t, m.discuss).Timer
	if tm.Running || tm.Elapsed != (10*time.Minute).Milliseconds() {
		t.Fatalf("paused timer = %+v", tm)
	}
	m.clock.advance(5 * time.Minute)
	if got := tm.Remaining(m.clock.now); got != 20*time.Minute {
		t.Fatalf("a paused timer kept running: %v left", got)
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"timer.pause","item":%q}`, m.discuss), session.CodeTimerStopped)

	// Resuming continues from where it paused.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, m.discuss))
	m.clock.advance(25 * time.Minute)
	if got := m.item(t, m.discuss).Timer.Remaining(m.clock.now); got != -5*time.Minute {
		t.Fatalf("overrun timer remaining = %v, want -5m", got)
	}

	// Reset stops it and keeps the duration.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.reset","item":%q}`, m.discuss))
	tm = m.item(t, m.discuss).Timer
	if tm.Running || tm.Elapsed != 0 || tm.Duration != 30*60 || !tm.StartedAt.IsZero() {
		t.Fatalf("reset timer = %+v", tm)
	}
	if got := tm.Remaining(m.clock.now); got != 30*time.Minute {
		t.Fatalf("remaining after reset = %v", got)
	}

	// Seconds set a new duration and start from zero, even while running.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q,"seconds":120}`, m.discuss))
	m.clock.advance(30 * time.Second)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q,"seconds":300}`, m.discuss))
	tm = m.item(t, m.discuss).Timer
	if !tm.Running || tm.Duration != 300 || tm.Elapsed != 0 || tm.Remaining(m.clock.now) != 5*time.Minute {
		t.Fatalf("restarted timer = %+v", tm)
	}
	if m.item(t, m.steps).Timer.Running {
		t.Fatal("another item's timer runs")
	}
}

func TestTimerRefusals(t *testing.T) {
	m := newTable(t, session.NewTableInput{Title: "Soinin kyläilta", Agenda: []session.ItemInput{{Title: "Avoin keskustelu"}, {Title: "Aikataulutettu", Timebox: 10}}})
	free, boxed := m.tbl.Items[0].ID, m.tbl.Items[1].ID
	tests := []struct {
		name string
		msg  string
		code string
	}{
		{"no time box", `{"op":"timer.start","item":%q}`, session.CodeMissingField},
		{"zero seconds", `{"op":"timer.start","item":%q,"seconds":0}`, session.CodeInvalidValue},
		{"over a day", `{"op":"timer.start","item":%q,"seconds":86401}`, session.CodeInvalidValue},
		{"pause with seconds", `{"op":"timer.pause","item":%q,"seconds":60}`, session.CodeInvalidValue},
		{"reset with seconds", `{"op":"timer.reset","item":%q,"seconds":60}`, session.CodeInvalidValue},
		{"pause stopped", `{"op":"timer.pause","item":%q}`, session.CodeTimerStopped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, cmdf(t, tc.msg, free), tc.code)
		})
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":"id-999"}`), session.CodeNoItem)
	refuse(t, m, m.fac, cmdf(t, `{"op":"timer.reset","item":"id-999"}`), session.CodeNoItem)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q,"seconds":%d}`, free, 24*60*60))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"timer.start","item":%q}`, boxed))
	if m.tbl.Items[1].Timer.Duration != 600 {
		t.Fatalf("duration = %d", m.tbl.Items[1].Timer.Duration)
	}
}

func TestTimerRemainingZeroValue(t *testing.T) {
	var tm session.Timer
	if got := tm.Remaining(time.Now()); got != 0 {
		t.Fatalf("zero timer remaining = %v", got)
	}
}
