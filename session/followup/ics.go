// Package followup is what an organiser takes away from a table to follow
// its actions up between the tables: the actions as an iCalendar file, and
// the ideas and actions in the formats a municipality's participation
// platform (Decidim) imports.
package followup

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
)

// ICS writes the table's actions that have a due date as an iCalendar
// file: one VTODO each, with a UID that stays the same for the action, so
// that importing the file again updates the calendar's to-dos rather than
// adding new ones. SEQUENCE counts the owners' reports, LAST-MODIFIED is
// the latest, and STATUS follows the action's.
func ICS(w io.Writer, t *session.Table, now time.Time) error {
	c := &icsWriter{w: w}
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//Pöytä//Kumppanuuspöytä//FI")
	c.line("CALSCALE:GREGORIAN")
	c.prop("X-WR-CALNAME", t.Title)
	for _, id := range t.ActionOrder {
		a := t.Actions[id]
		due, err := time.Parse("2006-01-02", a.Due)
		if err != nil {
			continue // no due date: not a to-do for a calendar
		}
		c.line("BEGIN:VTODO")
		c.line("UID:" + a.ID + "@" + t.ID + ".poyta")
		c.line("DTSTAMP:" + now.UTC().Format("20060102T150405Z"))
		modified := a.Created
		if n := len(a.Updates); n > 0 {
			modified = a.Updates[n-1].At
		}
		c.line("CREATED:" + a.Created.UTC().Format("20060102T150405Z"))
		c.line("LAST-MODIFIED:" + modified.UTC().Format("20060102T150405Z"))
		c.line(fmt.Sprintf("SEQUENCE:%d", len(a.Updates)))
		c.prop("SUMMARY", a.Title)
		c.line("DUE;VALUE=DATE:" + due.Format("20060102"))
		switch a.Status {
		case session.StatusDone:
			c.line("STATUS:COMPLETED")
			c.line("PERCENT-COMPLETE:100")
		case session.StatusInProgress:
			c.line("STATUS:IN-PROCESS")
		default:
			c.line("STATUS:NEEDS-ACTION")
		}
		c.prop("DESCRIPTION", describe(t, a))
		c.line("END:VTODO")
	}
	c.line("END:VCALENDAR")
	return c.err
}

// describe is an action's description in the calendar: who, where it came
// from, and the latest report.
func describe(t *session.Table, a *session.Action) string {
	var b strings.Builder
	if who := OwnerNames(t, a); len(who) > 0 {
		b.WriteString(strings.Join(who, ", "))
		b.WriteString("\n")
	}
	b.WriteString(t.Title)
	if t.Date != "" {
		b.WriteString(" (" + t.Date + ")")
	}
	for _, it := range t.Items {
		if it.ID == a.Item {
			b.WriteString(": " + it.Title)
		}
	}
	if n := len(a.Updates); n > 0 && a.Updates[n-1].Note != "" {
		u := a.Updates[n-1]
		b.WriteString("\n" + u.At.UTC().Format("2006-01-02") + ": " + u.Note)
	}
	return b.String()
}

// OwnerNames are an action's owners as text: a participant's name (and
// organisation), or an organisation.
func OwnerNames(t *session.Table, a *session.Action) []string {
	var out []string
	for _, o := range a.Owners {
		p := t.Participants[o.Participant]
		switch {
		case p != nil && o.Org != "":
			out = append(out, p.Name+" ("+o.Org+")")
		case p != nil && p.Name != "":
			out = append(out, p.Name)
		case o.Org != "":
			out = append(out, o.Org)
		}
	}
	return out
}

// icsWriter writes content lines: CRLF-terminated, folded at 75 octets
// without splitting a character (RFC 5545 3.1).
type icsWriter struct {
	w   io.Writer
	err error
}

func (c *icsWriter) line(s string) {
	if c.err != nil {
		return
	}
	var b strings.Builder
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ") // a continuation line starts with a space: 74 octets of content
		s, limit = s[cut:], 74
	}
	b.WriteString(s)
	b.WriteString("\r\n")
	_, c.err = io.WriteString(c.w, b.String())
}

// prop writes a text property, escaped (RFC 5545 3.3.11).
func (c *icsWriter) prop(name, text string) {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)
	c.line(name + ":" + r.Replace(text))
}
