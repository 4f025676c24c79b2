package live

import "github.com/poyta/poyta/session"

// resumeWindow keeps a table's last events so that a client that
// reconnects gets exactly the ones it missed instead of a snapshot. It
// belongs to the hub's goroutine.
type resumeWindow struct {
	size   int             // events kept, at least
	events []session.Event // the last events, oldest first
}

// add keeps committed events, forgetting old ones a quarter window at a
// time so that trimming is rare.
func (w *resumeWindow) add(events []session.Event) {
	w.events = append(w.events, events...)
	if over := len(w.events) - w.size; over > w.size/4 {
		w.events = append(w.events[:0:0], w.events[over:]...)
	}
}

// missed returns the events after since, up to the table's seq current,
// when the window still has all of them; otherwise the client needs a
// snapshot.
func (w *resumeWindow) missed(since, current int64) ([]session.Event, bool) {
	if since <= 0 || since > current {
		return nil, false
	}
	if since == current {
		return nil, true
	}
	if len(w.events) == 0 || w.events[0].Seq > since+1 {
		return nil, false
	}
	return w.events[since+1-w.events[0].Seq:], true
}
