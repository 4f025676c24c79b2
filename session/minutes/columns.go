package minutes

import (
	"strings"
	"unicode"
)

// Word tables in the DOCX have a fixed layout: Word and LibreOffice take
// the column widths as given and break a word that does not fit its
// column in the middle ("Määräaik|a"). So the widths are computed from the
// table's own text, in every language, instead of guessed as percentages.

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
	whole map[int]bool // never wrapped: counts, dates, statuses
	// narrow columns keep to their longest word and wrap the rest: the
	// agenda item an action came from, whose heading says it in full.
	narrow map[int]bool
}

// columnWidths shares the table's width between its columns. Each column
// gets at least its longest unbreakable piece: a header word (bold), a
// word of a cell, or a whole cell of a whole column, plus the cell
// margins. A word wider than an equal share of the table (a pasted link)
// does not count: it has to break anyway. What is left goes to the columns
// whose text wraps, in proportion to what each would need more to show
// its longest line unwrapped (narrow columns want no more than they
// need); if all of it fits, the text columns share the rest. The widths add up to the table's width exactly.
func columnWidths(t docxTable) []int {
	n := len(t.cols)
	need, want := make([]int, n), make([]int, n)
	share := t.width / max(n, 1)
	for c := range n {
		for _, w := range words(t.cols[c]) {
			need[c] = max(need[c], textWidth(w, true))
		}
		want[c] = textWidth(t.cols[c], true)
		for _, r := range t.rows {
			if c >= len(r) {
				continue
			}
			for _, ln := range lines(display(r[c])) {
				lw := textWidth(strings.TrimSpace(ln), false)
				want[c] = max(want[c], lw)
				if t.whole[c] {
					need[c] = max(need[c], lw)
					continue
				}
				for _, w := range words(ln) {
					if ww := textWidth(w, false); ww <= share {
						need[c] = max(need[c], ww)
					}
				}
			}
		}
		need[c] += 2 * cellMargin
		want[c] = max(want[c]+2*cellMargin, need[c])
		if t.narrow[c] {
			want[c] = need[c]
		}
	}

	widths := make([]int, n)
	var sumNeed, sumGap, sumFlex int
	for c := range n {
		sumNeed += need[c]
		sumGap += want[c] - need[c]
		if t.flex(c) {
			sumFlex += want[c]
		}
	}
	switch extra := t.width - sumNeed; {
	case extra < 0:
		// Not even the words fit: keep the proportions and let them break
		// rather than run off the page.
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
	rest, widest := t.width, 0
	for c := range n {
		rest -= widths[c]
		if widths[c] > widths[widest] {
			widest = c
		}
	}
	if n > 0 {
		widths[widest] += rest
	}
	return widths
}

// words splits s where a line may break: at spaces and tabs, not at
// no-break spaces. (A line may break after a hyphen too; a hyphenated
// word counts whole, which errs on the wide side.)
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}

// flex reports a column of running text, which may grow past what it
// wants when the table has room to spare.
func (t docxTable) flex(c int) bool { return !t.whole[c] && !t.right[c] && !t.narrow[c] }

// textWidth is how wide s is set in the table text, in twips, with a
// little to spare for kerning and rounding. It errs on the wide side: the
// advance widths are the widest of three fonts (see advance).
func textWidth(s string, bold bool) int {
	em := 0 // thousandths of an em
	for _, r := range s {
		em += advance(r, bold)
	}
	// 1 em is the font size: tableTextSize half-points = tableTextSize*10 twips.
	w := em * tableTextSize * 10 / 1000
	return w + w/20 + 20
}

// advance is the advance width of r in thousandths of an em. The document
// asks for Calibri; what draws it may be Calibri, Carlito (Calibri's
// metrics, in LibreOffice on Linux), Liberation Sans (Arial's metrics), or
// DejaVu Sans, LibreOffice's fallback where neither is installed and the
// widest of them. The tables hold the widest of Carlito, Liberation Sans
// and DejaVu Sans for U+0020–U+017F (Basic Latin, Latin-1, Latin
// Extended-A: Finnish, Swedish, English and the Sámi letters there).
// Other characters count as 1 em, marks and format characters as nothing.
func advance(r rune, bold bool) int {
	if r >= 0x20 && r < 0x20+rune(len(advanceRegular)) {
		if bold {
			return int(advanceBold[r-0x20])
		}
		return int(advanceRegular[r-0x20])
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return 0
	}
	return 1000
}

// advanceRegular and advanceBold are read from the fonts' hmtx tables:
// for each character, the largest advance of the three fonts, in
// thousandths of an em, rounded up.
var advanceRegular = [...]uint16{
	318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 387, // U+0020
	637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 557, // U+0030
	1016, 685, 687, 723, 771, 667, 611, 778, 752, 295, 500, 667, 558, 863, 749, 788, // U+0040
	667, 788, 723, 667, 611, 732, 685, 989, 686, 667, 686, 391, 387, 391, 838, 557, // U+0050
	500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612, // U+0060
	635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 461, 637, 838, 0, // U+0070
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // U+0080
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // U+0090
	318, 401, 637, 637, 637, 637, 499, 557, 500, 1000, 472, 612, 838, 361, 1000, 553, // U+00A0
	500, 838, 401, 401, 500, 637, 637, 334, 500, 401, 472, 612, 970, 970, 970, 611, // U+00B0
	685, 685, 685, 685, 685, 685, 1000, 723, 667, 667, 667, 667, 295, 295, 295, 295, // U+00C0
	775, 749, 788, 788, 788, 788, 788, 838, 788, 732, 732, 732, 732, 667, 667, 630, // U+00D0
	613, 613, 613, 613, 613, 613, 982, 550, 616, 616, 616, 616, 278, 278, 278, 278, // U+00E0
	612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592, // U+00F0
	685, 613, 685, 613, 685, 613, 723, 550, 723, 550, 723, 550, 723, 550, 771, 635, // U+0100
	775, 635, 667, 616, 667, 616, 667, 616, 667, 616, 667, 616, 778, 635, 778, 635, // U+0110
	778, 635, 778, 635, 752, 634, 917, 695, 295, 278, 295, 278, 295, 278, 295, 278, // U+0120
	295, 278, 735, 556, 500, 278, 667, 580, 580, 558, 278, 558, 278, 558, 375, 558, // U+0130
	374, 563, 285, 749, 634, 749, 634, 749, 634, 814, 749, 634, 788, 612, 788, 612, // U+0140
	788, 612, 1070, 1023, 723, 412, 723, 412, 723, 412, 667, 521, 667, 521, 667, 521, // U+0150
	667, 521, 611, 393, 611, 393, 611, 393, 732, 634, 732, 634, 732, 634, 732, 634, // U+0160
	732, 634, 732, 634, 989, 818, 667, 592, 667, 686, 525, 686, 525, 686, 525, 353, // U+0170
}

var advanceBold = [...]uint16{
	349, 457, 521, 838, 696, 1002, 873, 307, 458, 458, 523, 838, 380, 416, 380, 430, // U+0020
	696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 611, // U+0030
	1000, 774, 763, 734, 831, 684, 684, 821, 837, 373, 557, 775, 638, 996, 837, 851, // U+0040
	733, 851, 771, 721, 683, 813, 774, 1104, 771, 725, 726, 458, 430, 458, 838, 557, // U+0050
	500, 675, 716, 593, 716, 679, 436, 716, 712, 343, 343, 666, 343, 1042, 712, 688, // U+0060
	716, 716, 494, 596, 479, 712, 652, 924, 646, 652, 583, 712, 476, 712, 838, 0, // U+0070
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // U+0080
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // U+0090
	349, 457, 696, 696, 637, 696, 499, 557, 500, 1000, 564, 646, 838, 416, 1000, 553, // U+00A0
	500, 838, 438, 438, 500, 736, 637, 380, 500, 438, 564, 646, 1036, 1036, 1036, 611, // U+00B0
	774, 774, 774, 774, 774, 774, 1085, 734, 684, 684, 684, 684, 373, 373, 373, 373, // U+00C0
	838, 837, 851, 851, 851, 851, 851, 838, 851, 813, 813, 813, 813, 725, 738, 720, // U+00D0
	675, 675, 675, 675, 675, 675, 1048, 593, 679, 679, 679, 679, 343, 343, 343, 343, // U+00E0
	688, 712, 688, 688, 688, 688, 688, 838, 688, 712, 712, 712, 712, 652, 716, 652, // U+00F0
	774, 675, 774, 675, 774, 675, 734, 593, 734, 593, 734, 593, 734, 593, 831, 719, // U+0100
	838, 716, 684, 679, 684, 679, 684, 679, 684, 679, 684, 679, 821, 716, 821, 716, // U+0110
	821, 716, 821, 716, 837, 712, 974, 791, 373, 343, 373, 343, 373, 343, 373, 343, // U+0120
	373, 343, 785, 686, 557, 343, 775, 666, 666, 638, 343, 638, 343, 638, 480, 638, // U+0130
	557, 643, 372, 837, 712, 837, 712, 837, 712, 983, 837, 712, 851, 688, 851, 688, // U+0140
	851, 688, 1167, 1095, 771, 494, 771, 494, 771, 494, 721, 596, 721, 596, 721, 596, // U+0150
	721, 596, 683, 479, 683, 480, 683, 479, 813, 712, 813, 712, 813, 712, 813, 712, // U+0160
	813, 712, 813, 712, 1104, 924, 725, 652, 725, 726, 583, 726, 583, 726, 583, 436, // U+0170
}
