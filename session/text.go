package session

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Text limits, counted in characters (runes), not bytes, so a Finnish text
// full of ä and ö gets the same room as an English one.
const (
	MaxTitle     = 200
	MaxTheme     = 500
	MaxQuestion  = 500
	MaxName      = 80
	MaxOrg       = 150
	MaxIdea      = 1000
	MaxNotes     = 10000
	MaxAction    = 300
	MaxPlace     = 300
	MaxLink      = 1000
	MaxGroupName = 80
)

// Caps on the number of things in one table.
const (
	MaxItems          = 50
	MaxIdeas          = 10000 // per table
	MaxIdeasPerPerson = 100   // per participant per item
	MaxActions        = 1000
	MaxOwners         = 20
	MaxGroups         = 50   // room groups (with a scribe), removed ones included
	MaxAllGroups      = 2000 // groups of every kind: room groups and every group work's online groups
	MaxFacilitators   = 10
	MaxActionIdeas    = 20
	MaxDots           = 20
	MaxRoomDots       = 1000
	MaxTimeboxMinutes = 24 * 60
	DefaultDots       = 3
	DefaultMaxPeople  = 10000
)

// cleanText checks user text and returns it trimmed. It refuses invalid
// UTF-8, NUL and other control characters (newlines and tabs are allowed
// when multiline), and text longer than max characters. What passes is kept
// exactly as written: combining marks, emoji and right-to-left text are
// people's names and words.
func cleanText(field, s string, max int, required, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", errf(KindInvalid, CodeInvalidText, "%s is not valid UTF-8", field)
	}
	for _, r := range s {
		if r == '\n' || r == '\t' || r == '\r' {
			if multiline {
				continue
			}
			return "", errf(KindInvalid, CodeInvalidText, "%s must be a single line", field)
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			return "", errf(KindInvalid, CodeInvalidText, "%s contains a control character", field)
		}
	}
	s = strings.TrimSpace(s)
	if multiline {
		s = strings.ReplaceAll(s, "\r\n", "\n")
	}
	if required && s == "" {
		return "", errf(KindInvalid, CodeMissingField, "%s is required", field)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", errf(KindInvalid, CodeTooLong, "%s is %d characters, at most %d allowed", field, n, max)
	}
	return s, nil
}

// cleanLink accepts an empty string or an absolute http(s) URL, so that a
// link shown to every participant can never be javascript: or data:.
func cleanLink(field, s string) (string, error) {
	s, err := cleanText(field, s, MaxLink, false, false)
	if err != nil || s == "" {
		return s, err
	}
	u, perr := url.Parse(s)
	if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errf(KindInvalid, CodeInvalidValue, "%s must be an http or https address", field)
	}
	return s, nil
}

// cleanDate accepts "" or a calendar date YYYY-MM-DD.
func cleanDate(field, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", errf(KindInvalid, CodeInvalidValue, "%s must be a date YYYY-MM-DD", field)
	}
	return s, nil
}

// cleanClock accepts "" or a wall-clock time HH:MM.
func cleanClock(field, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse("15:04", s); err != nil || len(s) != 5 {
		return "", errf(KindInvalid, CodeInvalidValue, "%s must be a time HH:MM", field)
	}
	return s, nil
}

func checkRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return errf(KindInvalid, CodeInvalidValue, "%s must be between %d and %d", field, lo, hi)
	}
	return nil
}
