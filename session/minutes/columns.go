package minutes

import "strings"

// Word tables in the DOCX have a fixed layout: Word and LibreOffice take
// the column widths as given and break a word that does not fit its
// column in the middle ("Määräaik|a"). So the widths are computed from the
// table's own text, in the minutes' language, instead of guessed as
// percentages.

// The table text's size and the cells' side margins, in the units of
// styles.xml: half-points and twentieths of a point (twips).
const (
	tableTextSize = 20 // 10 pt
	cellMargin    = 100
)

// docxTable is one Word table: a header row that repeats on every page,
// the rows, and how its columns behave.
type docxTable struct {
	cols  []string
	rows  [][]string
	width int          // twips
	right map[int]bool // right-aligned: counts
	whole map[int]bool // kept on one line while there is room: counts, dates, statuses
	// sub is a second, smaller line under each row's first cell, or "":
	// the agenda item of an action, the earlier table of a follow-up.
	sub []string
}

// column is what one column's text asks for, in twips, cell margins
// included. Widths are measured with the widest fonts the document may be
// drawn in, word too with Calibri itself (see fontWidths). A word wider
// than a third of the table (a pasted link) does not count: it has to
// break anyway, and the table is not spoiled for it.
type column struct {
	head int // the widest header word, in bold
	word int // the widest word of a cell
	line int // the widest line of a cell: to wrap nothing
	// wordCalibri is word in Calibri: enough where the document is shown
	// as it asks, in Word, or in LibreOffice with Carlito.
	wordCalibri int
}

func (t docxTable) measure() []column {
	cols := make([]column, len(t.cols))
	for c := range cols {
		col := &cols[c]
		for _, w := range words(t.cols[c]) {
			col.head = max(col.head, widest.width(w, true))
		}
		col.line = widest.width(t.cols[c], true)
		for n, r := range t.rows {
			var text []string
			if c < len(r) {
				text = lines(display(r[c]))
			}
			if c == 0 && n < len(t.sub) {
				// Measured at the table text's size, a little wide.
				text = append(text, lines(display(t.sub[n]))...)
			}
			for _, ln := range text {
				col.line = max(col.line, widest.width(strings.TrimSpace(ln), false))
				for _, w := range words(ln) {
					if ww := widest.width(w, false); ww <= t.width/3 {
						col.word = max(col.word, ww)
						col.wordCalibri = max(col.wordCalibri, calibri.width(w, false))
					}
				}
			}
		}
		col.head += 2 * cellMargin
		col.word += 2 * cellMargin
		col.wordCalibri += 2 * cellMargin
		col.line += 2 * cellMargin
	}
	return cols
}

// columnWidths shares the table's width between its columns. Each column
// gets what needs says it must have; what is left goes to the columns
// whose text wraps, in proportion to what each would need more to show
// its longest line unwrapped; if all of that fits, the running-text
// columns share the rest. The widths add up to the table's width exactly.
func columnWidths(t docxTable) []int {
	n := len(t.cols)
	if n == 0 {
		return nil
	}
	cols := t.measure()
	need := t.needs(cols)
	want := make([]int, n)
	var sumNeed, sumGap, sumFlex int
	for c := range n {
		want[c] = max(cols[c].line, need[c])
		sumNeed += need[c]
		sumGap += want[c] - need[c]
		if t.flex(c) {
			sumFlex += want[c]
		}
	}

	widths := make([]int, n)
	switch extra := t.width - sumNeed; {
	case extra < 0:
		// Not even the header words fit: keep the proportions and let
		// them break rather than run off the page.
		for c := range n {
			widths[c] = need[c] * t.width / sumNeed
		}
	case sumGap >= extra:
		for c := range n {
			widths[c] = need[c]
			if sumGap > 0 {
				widths[c] += extra * (want[c] - need[c]) / sumGap
			}
		}
	default:
		surplus := extra - sumGap
		for c := range n {
			widths[c] = want[c]
			if sumFlex > 0 && t.flex(c) {
				widths[c] += surplus * want[c] / sumFlex
			} else if sumFlex == 0 {
				widths[c] += surplus / n
			}
		}
	}
	// Rounding leaves a few twips; the widest column takes them.
	rest, widestCol := t.width, 0
	for c := range n {
		rest -= widths[c]
		if widths[c] > widths[widestCol] {
			widestCol = c
		}
	}
	widths[widestCol] += rest
	return widths
}

// needs is how wide each column must be: the first of these that fits.
//
//  1. No word is broken and no cell of a whole column wraps, in any of
//     the fonts the document may be drawn in.
//  2. The same, but whole columns may wrap between words (a date on two
//     lines).
//  3. The longest words of the running text fit in Calibri only, as few
//     of them as it takes: nothing breaks in Word, or in LibreOffice with
//     Carlito.
//  4. The longest words are let break, all cut to one width, no more than
//     it takes.
//
// Header words and the words of whole columns (statuses, dates, counts)
// always fit, in any of the fonts; if even they do not, needs returns
// them and columnWidths scales them down.
func (t docxTable) needs(cols []column) []int {
	hard := make([]int, len(cols))
	longest := 0
	for c, col := range cols {
		hard[c] = col.head
		if t.whole[c] {
			hard[c] = max(col.head, col.word)
		}
		longest = max(longest, col.word)
	}
	try := func(need func(c int) int) ([]int, bool) {
		out, sum := make([]int, len(cols)), 0
		for c := range cols {
			out[c] = max(hard[c], need(c))
			sum += out[c]
		}
		return out, sum <= t.width
	}
	// search finds the largest limit for which need fits.
	search := func(need func(limit, c int) int) ([]int, bool) {
		at := func(limit int) func(c int) int { return func(c int) int { return need(limit, c) } }
		if _, ok := try(at(0)); !ok {
			return nil, false
		}
		lo, hi := 0, longest
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if _, ok := try(at(mid)); ok {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		return try(at(lo))
	}
	if out, ok := try(func(c int) int {
		if t.whole[c] {
			return cols[c].line
		}
		return cols[c].word
	}); ok {
		return out
	}
	if out, ok := search(func(limit, c int) int { return min(cols[c].word, max(cols[c].wordCalibri, limit)) }); ok {
		return out
	}
	if out, ok := search(func(limit, c int) int { return min(cols[c].word, limit) }); ok {
		return out
	}
	return hard
}

// words splits s where a line may break: at spaces and tabs, not at
// no-break spaces. (A line may break after a hyphen too; a hyphenated
// word counts whole, which errs on the wide side.)
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// flex reports a column of running text, which may grow past what it
// wants when the table has room to spare.
func (t docxTable) flex(c int) bool { return !t.whole[c] && !t.right[c] }
