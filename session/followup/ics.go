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

// ICS writes the rows that have a due date as an iCalendar file named
// name: one VTODO each, with a UID that stays the same for the action, so
// that importing the file again updates the calendar's to-dos rather than
// adding new ones. SEQUENCE counts the reports, LAST-MODIFIED is the
// latest, and STATUS follows the row's.
func ICS(w io.Writer, name string, rows []Row, now time.Time) error {
	c := &icsWriter{w: w}
	c.line("BEGIN:VCALENDAR")
	c.line("VERSION:2.0")
	c.line("PRODID:-//Pöytä//Kumppanuuspöytä//FI")
	c.line("CALSCALE:GREGORIAN")
	c.prop("X-WR-CALNAME", name)
	stamp := func(t time.Time) string { return t.UTC().Format("20060102T150405Z") }
	for _, r := range rows {
		due, err := time.Parse("2006-01-02", r.Due)
		if err != nil {
			continue // no due date: not a to-do for a calendar
		}
		c.line("BEGIN:VTODO")
		c.line("UID:" + r.Action + "@" + r.Table + ".poyta")
		c.line("DTSTAMP:" + stamp(now))
		modified := r.Created
		if r.Update != nil {
			modified = r.Update.At
		}
		c.line("CREATED:" + stamp(r.Created))
		c.line("LAST-MODIFIED:" + stamp(modified))
		c.line(fmt.Sprintf("SEQUENCE:%d", r.Reports))
		c.prop("SUMMARY", r.Title)
		c.line("DUE;VALUE=DATE:" + due.Format("20060102"))
		switch r.Status {
		case session.StatusDone:
			c.line("STATUS:COMPLETED")
			c.line("PERCENT-COMPLETE:100")
		case session.StatusInProgress:
			c.line("STATUS:IN-PROCESS")
		case StatusDropped:
			c.line("STATUS:CANCELLED")
		default:
			c.line("STATUS:NEEDS-ACTION")
		}
		c.prop("DESCRIPTION", describe(r))
		c.line("END:VTODO")
	}
	c.line("END:VCALENDAR")
	return c.err
}

// describe is an action's description in the calendar: who, where it came
// from, and the latest report.
func describe(r Row) string {
	var b strings.Builder
	var who []string
	for _, p := range r.Owners {
		who = append(who, p.Label())
	}
	if len(who) > 0 {
		b.WriteString(strings.Join(who, ", ") + "\n")
	}
	b.WriteString(r.TableTitle)
	if r.TableDate != "" {
		b.WriteString(" (" + r.TableDate + ")")
	}
	if r.Item != "" {
		b.WriteString(": " + r.Item)
	}
	if r.Update != nil && r.Update.Note != "" {
		b.WriteString("\n" + r.Update.At.UTC().Format("2006-01-02") + ": " + r.Update.Note)
	}
	return b.String()
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
