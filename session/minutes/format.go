package minutes

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/poyta/poyta/session"
)

// Format is an output format of the minutes.
type Format string

// The formats.
const (
	Markdown Format = "md"
	HTML     Format = "html"
	DOCX     Format = "docx"
	JSON     Format = "json"
	CSV      Format = "csv"
)

// Formats lists every format, in the order help texts show them.
var Formats = []Format{Markdown, HTML, DOCX, JSON, CSV}

// ParseFormat accepts a format name as users type it ("md", "markdown",
// "HTML", …).
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "md", "markdown":
		return Markdown, nil
	case "html", "htm":
		return HTML, nil
	case "docx", "word":
		return DOCX, nil
	case "json":
		return JSON, nil
	case "csv":
		return CSV, nil
	}
	return "", fmt.Errorf("unknown format %q: want md, html, docx, json or csv", s)
}

// CheckLang accepts "" (the table's own language) or one of
// session.Languages.
func CheckLang(lang string) error {
	if lang == "" || slices.Contains(session.Languages, lang) {
		return nil
	}
	return fmt.Errorf("unknown language %q: want %s", lang, strings.Join(session.Languages, ", "))
}

// Binary reports a format that is not text and should not go to a terminal.
func (f Format) Binary() bool { return f == DOCX }

// ContentType is the format's media type for HTTP.
func (f Format) ContentType() string {
	switch f {
	case HTML:
		return "text/html; charset=utf-8"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case JSON:
		return "application/json; charset=utf-8"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "text/markdown; charset=utf-8"
}

// Render writes the minutes in a format. what chooses the content of a
// CSV (CSVActions, the default, or CSVIdeas) and must be empty otherwise.
func Render(w io.Writer, m *Minutes, f Format, what string) error {
	if f != CSV && what != "" && what != CSVActions {
		return fmt.Errorf("minutes: %q applies to csv only", what)
	}
	switch f {
	case Markdown:
		return WriteMarkdown(w, m)
	case HTML:
		return WriteHTML(w, m)
	case DOCX:
		return WriteDOCX(w, m)
	case JSON:
		return WriteJSON(w, m)
	case CSV:
		return WriteCSV(w, m, what)
	}
	return fmt.Errorf("minutes: unknown format %q", f)
}

// Filename suggests a file name for the minutes, in the minutes' language,
// e.g. "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.md". It is
// plain ASCII, so it is safe in a Content-Disposition header and on any disk.
func Filename(m *Minutes, f Format, what string) string {
	l := labelsFor(m.Lang)
	prefix := l.FilePrefix
	if f == CSV {
		prefix = l.ActionsPrefix
		if what == CSVIdeas {
			prefix = l.IdeasPrefix
		}
	}
	parts := []string{prefix}
	if s := slug(m.Table.Title, 60); s != "" {
		parts = append(parts, s)
	}
	if m.Table.Date != "" {
		parts = append(parts, slug(m.Table.Date, 10))
	}
	return strings.Join(parts, "-") + "." + string(f)
}

// Slug is text as a part of a file name, as Filename makes it: at most n
// characters, "" if nothing of it is left.
func Slug(text string, n int) string { return slug(text, n) }
