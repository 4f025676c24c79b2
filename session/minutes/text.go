package minutes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// display prepares user text for a human-readable format: invalid UTF-8
// becomes U+FFFD, characters XML 1.0 forbids (the domain already refuses
// control characters; this drops the noncharacters U+FFFE and U+FFFF) are
// dropped, and bidirectional embeddings, overrides and isolates the
// text opened are closed at its end, so that a U+202E in a name cannot
// reverse the rest of a line or a table row. The text itself is kept as
// written.
func display(s string) string {
	s = xmlSafe(s)
	var embeds, isolates int
	for _, r := range s {
		switch r {
		case '\u202A', '\u202B', '\u202D', '\u202E': // LRE RLE LRO RLO
			embeds++
		case '\u202C': // PDF
			if embeds > 0 {
				embeds--
			}
		case '\u2066', '\u2067', '\u2068': // LRI RLI FSI
			isolates++
		case '\u2069': // PDI
			if isolates > 0 {
				isolates--
			}
		}
	}
	if embeds == 0 && isolates == 0 {
		return s
	}
	return s + strings.Repeat("\u202C", embeds) + strings.Repeat("\u2069", isolates)
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// xmlSafe drops the characters XML 1.0 forbids, so the document parses.
func xmlSafe(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, func(r rune) bool { return !xmlChar(r) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if xmlChar(r) {
			return r
		}
		return -1
	}, s)
}

// lines splits text on any line ending: \r\n, \r or \n.
func lines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}

// paragraphs splits text into paragraphs at blank lines; each paragraph
// keeps its line breaks.
func paragraphs(s string) [][]string {
	var out [][]string
	var cur []string
	for _, ln := range lines(s) {
		if strings.TrimSpace(ln) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, ln)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// compareText orders names the way the language's readers expect: in
// Finnish and Swedish å, ä and ö come after z; in English they sort as a
// and o. Case is ignored.
func compareText(lang string, a, b string) int {
	ka, kb := sortKey(lang, a), sortKey(lang, b)
	if c := strings.Compare(ka, kb); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func sortKey(lang, s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if lang == "fi" || lang == "sv" {
			switch r {
			case 'å':
				b.WriteString("z\x01")
				continue
			case 'ä', 'æ':
				b.WriteString("z\x02")
				continue
			case 'ö', 'ø':
				b.WriteString("z\x03")
				continue
			}
		}
		if f, ok := fold[r]; ok {
			r = f
		}
		b.WriteRune(r)
	}
	return b.String()
}

// fold maps accented Latin letters to their base letter, for sorting and
// for file names.
var fold = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ä': 'a', 'å': 'a', 'ã': 'a', 'æ': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o', 'ø': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ý': 'y', 'ÿ': 'y', 'ñ': 'n', 'ç': 'c', 'š': 's', 'ž': 'z', 'ß': 's',
}

// slug makes an ASCII file-name part: "Ähtärin ja Soinin kumppanuuspöytä"
// becomes "ahtarin-ja-soinin-kumppanuuspoyta". It is at most max bytes and
// never starts or ends with a dash.
func slug(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := fold[r]; ok {
			r = f
		}
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			if b.Len() >= max {
				break
			}
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > max {
		out = out[:max]
	}
	return strings.Trim(out, "-")
}
