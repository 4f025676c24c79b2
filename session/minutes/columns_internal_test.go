package minutes

import "testing"

// tablesFor are the DOCX's tables in one language with every status and
// the longest dates in their cells, long words in the running text, and
// a pasted link.
func tablesFor(lang string) []docxTable {
	l := labelsFor(lang)
	long := "Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry; Kuusiokuntien sosiaali- ja terveyskuntayhtymä"
	link := "https://www.mikkeli.fi/palvelut/kulttuuri-ja-vapaa-aika/yhdistykset/tilavaraukset-ja-avustukset"
	var actions, follow [][]string
	for _, s := range []string{"open", "in_progress", "done"} {
		actions = append(actions, []string{"Selvitetään kunnan tilojen maksuton käyttö " + link, long,
			l.date("2027-09-30"), l.status(s), "5.\u00A0Konkreettiset yhteistyön askeleet ja toteuttajatiimi"})
	}
	for _, s := range []string{FollowDone, FollowCarried, FollowDropped, ""} {
		follow = append(follow, []string{"Alavuden kumppanuuspöytä (" + l.date("2027-02-17") + ")", "Järjestöinfo kuntatiedotteeseen",
			long, l.date("2027-02-24"), l.follow(s), "Kartoitus valmistuu maaliskuussa"})
	}
	count := map[int]bool{1: true}
	return []docxTable{
		{cols: []string{l.Org, l.Count, l.Names}, rows: [][]string{{"Soinin Vapaaehtoispalokunta ry", "12", "Antti Yli-Härsilä"}},
			width: textW, right: count, whole: count},
		{cols: []string{l.Sector, l.Count}, rows: [][]string{{l.sector("wellbeing"), "1"}, {l.sector("association"), "5"}},
			width: textW * 3 / 4, right: count, whole: count},
		{cols: []string{l.What, l.Who, l.Due, l.Status, l.ItemNo}, rows: actions, width: textW,
			whole: map[int]bool{2: true, 3: true}, narrow: map[int]bool{4: true}},
		{cols: []string{l.FollowTable, l.What, l.Who, l.Due, l.Status, l.FollowNote}, rows: follow, width: textW,
			whole: map[int]bool{3: true, 4: true}},
	}
}

// TestColumnWidths: the widths fill the table exactly, and every header
// word and every word of a whole column (counts, dates, statuses) fits
// in the widest font, with the cell margins, in every language.
func TestColumnWidths(t *testing.T) {
	for lang := range allLabels {
		for n, tb := range tablesFor(lang) {
			widths := columnWidths(tb)
			sum := 0
			for _, w := range widths {
				sum += w
			}
			if sum != tb.width {
				t.Errorf("%s table %d: widths %v add up to %d, want %d", lang, n, widths, sum, tb.width)
			}
			for c, w := range widths {
				fit := func(word string, bold bool) {
					if need := widest.width(word, bold) + 2*cellMargin; need > w {
						t.Errorf("%s table %d column %d (%d twips): %q needs %d", lang, n, c, w, word, need)
					}
				}
				for _, word := range words(tb.cols[c]) {
					fit(word, true)
				}
				if tb.whole[c] {
					for _, r := range tb.rows {
						for _, word := range words(r[c]) {
							fit(word, false)
						}
					}
				}
			}
		}
	}
}

// longestWord is the widest word of a column's cells, in f, with the
// cell margins.
func longestWord(f *fontWidths, tb docxTable, c int) int {
	w := 0
	for _, r := range tb.rows {
		for _, word := range words(r[c]) {
			w = max(w, f.width(word, false))
		}
	}
	return w + 2*cellMargin
}

// TestColumnWidthsGiveWay: a table with room keeps whole cells on one
// line and no word broken in any font; a crowded one keeps its words
// whole in Calibri; a pasted link gives way before anything else.
func TestColumnWidthsGiveWay(t *testing.T) {
	tb := tablesFor("en")[2]
	for _, r := range tb.rows {
		r[0] = "Selvitetään kunnan tilojen maksuton käyttö"
	}
	widths := columnWidths(tb)
	if due := widest.width("30 September 2027", false) + 2*cellMargin; widths[2] < due {
		t.Errorf("due column %d twips, want the whole date on one line: %d", widths[2], due)
	}
	for c := range widths {
		if w := longestWord(widest, tb, c); widths[c] < w {
			t.Errorf("column %d: %d twips, narrower than its longest word %d", c, widths[c], w)
		}
	}
	if w := longestWord(widest, tb, 4); widths[4] != w {
		t.Errorf("item column %d twips, want its longest word exactly: %d", widths[4], w)
	}

	// Six columns of long Finnish words: too many for DejaVu Sans, not for Calibri.
	follow := tablesFor("en")[3]
	got := columnWidths(follow)
	crowded := false
	for c := range got {
		if w := longestWord(calibri, follow, c); got[c] < w {
			t.Errorf("follow-up column %d: %d twips, narrower than its longest word in Calibri %d", c, got[c], w)
		}
		crowded = crowded || got[c] < longestWord(widest, follow, c)
	}
	if !crowded {
		t.Error("the follow-up table fits its words in every font: make it more crowded")
	}

	link := tablesFor("en")[2]
	got = columnWidths(link)
	for c := 1; c < len(got); c++ {
		if w := longestWord(widest, link, c); got[c] < w {
			t.Errorf("column %d: %d twips with a long link beside it, narrower than its longest word %d", c, got[c], w)
		}
	}
	if due := widest.width("30 September 2027", false) + 2*cellMargin; got[2] < due {
		t.Errorf("due column %d twips with a long link beside it, want the whole date on one line: %d", got[2], due)
	}
}
