package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/poyta/poyta/session"
)

// Importing ideas collected on paper or by e-mail:
//
//	POST /api/tables/{id}/import?item=…[&dryRun=1]
//	Authorization: Bearer <facilitator secret>
//	Content-Type: text/csv
//
// The body is a CSV file as Excel or LibreOffice writes it: UTF-8 (with or
// without a byte order mark) or the Windows code page Excel uses for
// Finnish and Swedish (Windows-1252), separated by ";" or ",", with a
// header row naming the columns in any of our languages: the text (the
// only one required), a name or organisation, a room group, dots. The
// answer lists every row as read, with its line in the file, and every
// problem; with dryRun, or with any problem, nothing is imported.

// maxImportBody is the most an import may send.
const maxImportBody = 1 << 20

// importedRow is a row of the file as read.
type importedRow struct {
	Line int `json:"line"`
	session.ImportRow
}

// importProblem is a problem with the file or a row of it (Line 0: the file).
type importProblem struct {
	Line    int    `json:"line"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importAnswer struct {
	Rows     []importedRow   `json:"rows"`
	Problems []importProblem `json:"problems"`
	Imported int             `json:"imported"`
	Seq      int64           `json:"seq,omitempty"`
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			s.writeError(w, tooLarge)
			return
		}
		s.writeError(w, unreadable)
		return
	}
	item, dryRun := r.URL.Query().Get("item"), r.URL.Query().Get("dryRun") == "1"
	ans := importAnswer{Rows: []importedRow{}, Problems: []importProblem{}}
	rows, groups, problems := parseImport(body)
	ans.Problems = append(ans.Problems, problems...)
	var who session.Who
	if !s.readAsFacilitator(w, r, r.PathValue("id"), func(t *session.Table, w session.Who) {
		who = w
		byName := map[string]string{}
		for _, g := range t.Groups {
			if !g.Removed {
				byName[strings.ToLower(g.Name)] = g.ID
			}
		}
		in := make([]session.ImportRow, len(rows))
		for k, row := range rows {
			in[k] = row.ImportRow
			if id, ok := byName[strings.ToLower(groups[k])]; ok {
				in[k].Group = id
			}
		}
		clean, ps := t.CheckImport(item, in)
		for _, p := range ps {
			line := 0
			if p.Row >= 0 {
				line = rows[p.Row].Line
			}
			ans.Problems = append(ans.Problems, importProblem{Line: line, Code: p.Code, Message: p.What})
		}
		if len(ps) == 0 {
			for k := range clean {
				rows[k].ImportRow = clean[k]
			}
		}
	}) {
		return
	}
	ans.Rows = append(ans.Rows, rows...)
	if len(ans.Problems) > 0 {
		writeJSON(w, http.StatusBadRequest, ans)
		return
	}
	if dryRun {
		writeJSON(w, http.StatusOK, ans)
		return
	}
	in := make([]session.ImportRow, len(rows))
	for k, row := range rows {
		in[k] = row.ImportRow
	}
	ev, err := s.live.Call(r.Context(), r.PathValue("id"), who, &session.ImportIdeas{Item: item, Rows: in})
	if err != nil {
		s.writeError(w, err)
		return
	}
	ans.Imported, ans.Seq = len(in), ev.Seq
	writeJSON(w, http.StatusCreated, ans)
}

// parseImport reads the CSV file: its rows with their lines, each row's
// group as written (a name, matched to the table's groups by the caller),
// and the problems of the file itself.
func parseImport(body []byte) ([]importedRow, []string, []importProblem) {
	problem := func(line int, msg string) []importProblem {
		return []importProblem{{Line: line, Code: session.CodeBadMessage, Message: msg}}
	}
	text := decodeImport(body)
	header, _, _ := strings.Cut(text, "\n")
	rd := csv.NewReader(strings.NewReader(text))
	rd.Comma = ','
	if strings.Count(header, ";") > strings.Count(header, ",") {
		rd.Comma = ';'
	}
	rd.FieldsPerRecord = -1
	rd.TrimLeadingSpace = true
	head, err := rd.Read()
	if err != nil {
		return nil, nil, problem(1, "the file has no header row")
	}
	cols := map[string]int{}
	var probs []importProblem
	for k, h := range head {
		f := session.ImportColumn(h)
		switch {
		case f == "" && strings.TrimSpace(h) != "":
			probs = append(probs, problem(1, "unknown column "+strconv.Quote(h)+": use text, name, group and dots")...)
		case f != "":
			if _, dup := cols[f]; dup {
				probs = append(probs, problem(1, "column "+strconv.Quote(h)+" twice")...)
			}
			cols[f] = k
		}
	}
	if _, ok := cols["text"]; !ok {
		return nil, nil, append(probs, problem(1, "no text column (text, idea, teksti, idé …)")...)
	}
	var rows []importedRow
	var groups []string
	cell := func(rec []string, f string) string {
		if k, ok := cols[f]; ok && k < len(rec) {
			return strings.TrimSpace(rec[k])
		}
		return ""
	}
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		line, _ := rd.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			probs = append(probs, problem(line, "unreadable row: "+err.Error())...)
			break
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty row
		}
		row := importedRow{Line: line, ImportRow: session.ImportRow{Text: cell(rec, "text"), OnBehalf: cell(rec, "who")}}
		if d := cell(rec, "dots"); d != "" {
			n, err := strconv.Atoi(d)
			if err != nil {
				probs = append(probs, importProblem{Line: line, Code: session.CodeInvalidValue, Message: "dots must be a whole number"})
			}
			row.Dots = n
		}
		rows = append(rows, row)
		groups = append(groups, cell(rec, "group"))
	}
	return rows, groups, probs
}

// decodeImport turns the file into text: UTF-8 as it is (without a byte
// order mark), anything else read as Windows-1252, the code page Excel
// uses for Finnish and Swedish.
func decodeImport(b []byte) string {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if utf8.Valid(b) {
		return strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xa0:
			sb.WriteRune(cp1252[c-0x80])
		default:
			sb.WriteRune(rune(c)) // Windows-1252 is Latin-1 from 0xA0 on
		}
	}
	return strings.ReplaceAll(sb.String(), "\r\n", "\n")
}

// cp1252 is Windows-1252 from 0x80 to 0x9F (unused bytes as U+FFFD).
var cp1252 = [32]rune{
	'€', '\ufffd', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\ufffd', 'Ž', '\ufffd',
	'\ufffd', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\ufffd', 'ž', 'Ÿ',
}
