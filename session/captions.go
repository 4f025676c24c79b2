package session

import "time"

// Live text. A speech-to-text interpreter (kirjoitustulkki) holds the
// table's interpreter link and types what is said; each line they send is
// a caption that everyone may show (participants on request, each for
// themselves; the room screen when a facilitator switches it on). Nothing
// here listens to speech: the text is the interpreter's. Captions stay out
// of the minutes unless a facilitator puts them in (CaptionsInMinutes).

// RoleInterpreter is the speech-to-text interpreter's role.
const RoleInterpreter Role = "interpreter"

// Caption is one line of live text, with the item it was said under.
type Caption struct {
	Item string    `json:"item,omitempty"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Limits of live text.
const (
	MaxCaption        = 500 // characters in one line
	CaptionsInView    = 5   // the last lines a view holds
	MaxCaptionsStored = 20000
)

// InterpreterToken is the credential of the table's interpreter link.
func (t *Table) InterpreterToken() string { return t.derive("interpreter") }

// AddCaption is a line of live text from the interpreter.
type AddCaption struct {
	base
	Text string `json:"text"`
}

// CaptionAdded records a line of live text.
type CaptionAdded struct {
	Caption
}

func (*CaptionAdded) eventType() string { return "caption.added" }

func (c *AddCaption) decide(t *Table, who Who, env Env) (EventData, error) {
	if who.Role != RoleInterpreter {
		return nil, errf(KindForbidden, CodeForbidden, "only the interpreter writes live text")
	}
	if t.Closed {
		return nil, errf(KindConflict, CodeClosed, "the table is closed")
	}
	text, err := cleanText("text", c.Text, MaxCaption, true, false)
	if err != nil {
		return nil, err
	}
	if len(t.Captions) >= MaxCaptionsStored {
		return nil, errf(KindLimit, CodeTooMany, "the table has reached %d lines of live text", MaxCaptionsStored)
	}
	return &CaptionAdded{Caption{Item: t.Current, Text: text, At: env.Now.UTC()}}, nil
}

func (d *CaptionAdded) apply(t *Table, e *Event) { t.Captions = append(t.Captions, d.Caption) }

// project: live text is for everyone who wants it.
func (d *CaptionAdded) project(Audience) EventData { return d }
func (*CaptionAdded) selfActor() string            { return "" }

func (d *CaptionAdded) fold(v *View, seq int64, me Who) {
	v.Captions = keepLast(append(v.Captions, d.Caption), CaptionsInView)
}

// lastCaptions is the captions a view holds.
func (t *Table) lastCaptions() []Caption {
	n := max(0, len(t.Captions)-CaptionsInView)
	out := make([]Caption, len(t.Captions)-n)
	copy(out, t.Captions[n:])
	return out
}
