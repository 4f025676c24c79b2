package session

import "time"

func (tm *Timer) pause(now time.Time) {
	if tm.Running {
		tm.Elapsed += now.Sub(tm.StartedAt).Milliseconds()
		tm.Running = false
		tm.StartedAt = time.Time{}
	}
}

// Remaining is the time left on the timer at now; negative when overrun.
func (tm Timer) Remaining(now time.Time) time.Duration {
	elapsed := time.Duration(tm.Elapsed) * time.Millisecond
	if tm.Running {
		elapsed += now.Sub(tm.StartedAt)
	}
	return time.Duration(tm.Duration)*time.Second - elapsed
}

// TimerCommand starts, pauses or resets an item's timer. Seconds, when
// given to start, sets a new duration and starts from zero.
type TimerCommand struct {
	base
	Item    string `json:"item"`
	Seconds *int   `json:"seconds,omitempty"`
	action  string
}

// TimerChanged records the timer's new state; clients count down from it.
type TimerChanged struct {
	Item  string `json:"item"`
	Timer Timer  `json:"timer"`
}

func (*TimerChanged) eventType() string { return "timer.changed" }

func (c *TimerCommand) decide(t *Table, who Who, env Env) (EventData, error) {
	if err := facilitatorWrites(t, who); err != nil {
		return nil, err
	}
	it, err := t.itemFor(c.Item)
	if err != nil {
		return nil, err
	}
	tm := it.Timer
	now := env.Now.UTC()
	switch c.action {
	case "start":
		if c.Seconds != nil {
			if err := checkRange("seconds", *c.Seconds, 1, MaxTimeboxMinutes*60); err != nil {
				return nil, err
			}
			tm = Timer{Duration: *c.Seconds}
		} else if tm.Running {
			return nil, errf(KindConflict, CodeTimerRunning, "the timer is already running")
		}
		if tm.Duration == 0 {
			return nil, errf(KindInvalid, CodeMissingField, "the item has no time box; give seconds")
		}
		tm.Running, tm.StartedAt = true, now
	case "pause":
		if c.Seconds != nil {
			return nil, errf(KindInvalid, CodeInvalidValue, "seconds is only for timer.start")
		}
		if !tm.Running {
			return nil, errf(KindConflict, CodeTimerStopped, "the timer is not running")
		}
		tm.pause(now)
	case "reset":
		if c.Seconds != nil {
			return nil, errf(KindInvalid, CodeInvalidValue, "seconds is only for timer.start")
		}
		if !tm.Running && tm.Elapsed == 0 {
			return nil, errf(KindInvalid, CodeNoChange, "the timer is already reset")
		}
		tm = Timer{Duration: tm.Duration}
	}
	return &TimerChanged{Item: it.ID, Timer: tm}, nil
}

func (d *TimerChanged) apply(t *Table, e *Event) {
	if it, _ := t.item(d.Item); it != nil {
		it.Timer = d.Timer
	}
}

// project: everyone sees the countdown.
func (d *TimerChanged) project(Audience) EventData { return d }
func (*TimerChanged) selfActor() string            { return "" }

// fold takes the whole timer from the event, so the client does no clock
// arithmetic.
func (d *TimerChanged) fold(v *View, seq int64, me Who) {
	if it := v.item(d.Item); it != nil {
		it.Timer = d.Timer
	}
}
