package minutes

import "testing"

// tablesFor are the DOCX's tables in one language, made as documentXML
// makes them, with every status and the longest dates in their cells,
// long words in the running text, and a pasted link.
func tablesFor(lang string) []docxTable {
	l := labelsFor(lang)
	long := "Ähtärin Seudun Mielenterveysyhdistys Mielenmaja ry; Kuusiokuntien sosiaali- ja terveyskuntayhtymä"
	link := "https://www.mikkeli.fi/palvelut/kulttuuri-ja-vapaa-aika/yhdistykset/tilavaraukset-ja-avustukset"
	var actions, follow [][]string
	for _, s := range []string{"open", "in_progress", "done"} {
		actions = append(actions, []string{"Selvitetään kunnan tilojen maksuton käyttö " + link, long,
			l.date("2027-09-30"), l.status(s), "4.\u00A0Keskustelu: järjestöystävällinen kunta"})
	}
	for _, s := range []string{FollowDone, FollowCarried, FollowDropped, ""} {
		follow = append(follow, []string{"Alavuden kumppanuuspöytä (" + l.date("2027-02-17") + ")", "Järjestöinfo kuntatiedotteeseen",
			long, l.date("2027-09-30"), l.follow(s), "Kartoitus valmistuu maaliskuussa"})
	}
	count := map[int]bool{1: true}
	return []docxTable{
		{cols: []string{l.Org, l.Count, l.Names}, rows: [][]string{{"Soinin Vapaaehtoispalokunta ry", "12", "Antti Yli-Härsilä"}},
			width: textW, right: count, whole: count},
		{cols: []string{l.Sector, l.Count}, rows: [][]string{{l.sector("wellbeing"), "1"}, {l.sector("association"), "5"}},
			width: textW * 3 / 4, right: count, whole: count},
		under([]string{l.What, l.Who, l.Due, l.Status, l.ItemCol}, actions, 4, map[int]bool{2: true, 3: true}),
		under([]string{l.FollowTable, l.What, l.Who, l.Due, l.Status, l.FollowNote}, follow, 0, map[int]bool{2: true, 3: true}),
	}
}

// longestWord is the widest word of a column's cells, in f, with the
// cell margins; the first column's include the lines under it.
func longestWord(f *fontWidths, tb docxTable, c int) int {
	w := 0
	for n, r := range tb.rows {
		text := r[c]
		if c == 0 && n < len(tb.sub) {
			text += " " + tb.sub[n]
		}
		for _, word := range words(text) {
			if ww := f.width(word, false); ww <= tb.width/3 {
				w = max(w, ww)
			}
		}
	}
	return w + 2*cellMargin
}

// TestColumnWidths: the widths fill the table exactly; every header word
// and every word of a whole column (counts, dates, statuses) fits in the
// widest font, with the cell margins; and in these tables, long Finnish
// words and all, so does every other word, in every language.
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
				for _, word := range words(tb.cols[c]) {
					if need := widest.width(word, true) + 2*cellMargin; need > w {
						t.Errorf("%s table %d column %d (%d twips): header %q needs %d", lang, n, c, w, word, need)
					}
				}
				if need := longestWord(widest, tb, c); need > w {
					t.Errorf("%s table %d column %d (%d twips): its longest word needs %d", lang, n, c, w, need)
				}
			}
		}
	}
}

// TestColumnWidthsGiveWay: a table with room keeps whole cells on one
// line; a crowded one keeps its words whole in Calibri before it cuts
// any; a pasted link does not widen its column.
func TestColumnWidthsGiveWay(t *testing.T) {
	tb := tablesFor("en")[2]
	for _, r := range tb.rows {
		r[0] = "Selvitetään kunnan tilojen maksuton käyttö"
	}
	widths := columnWidths(tb)
	if due := widest.width("30 September 2027", false) + 2*cellMargin; widths[2] < due {
		t.Errorf("due column %d twips, want the whole date on one line: %d", widths[2], due)
	}
	link := columnWidths(tablesFor("en")[2])
	if link[2] < widths[2] || link[3] < widths[3] {
		t.Errorf("with a link in the first column, due and status are %v wide, %v without", link[2:], widths[2:])
	}

	// Six columns of long Finnish words: too many for DejaVu Sans, not
	// for Calibri.
	crowded := docxTable{cols: []string{"Pöytä", "Toimenpide", "Vastuutaho", "Määräaika", "Tila", "Huomiot"}, width: textW,
		whole: map[int]bool{3: true, 4: true}, rows: [][]string{{"Alavuden kumppanuuspöytä", "Järjestöinfo kuntatiedotteeseen",
			"Kuusiokuntien terveyskuntayhtymä", "24.2.2027", "Ei käsitelty", "Kartoitus valmistuu maaliskuussa"}}}
	got := columnWidths(crowded)
	tight := false
	for c := range got {
		if w := longestWord(calibri, crowded, c); got[c] < w {
			t.Errorf("crowded column %d: %d twips, narrower than its longest word in Calibri %d", c, got[c], w)
		}
		tight = tight || got[c] < longestWord(widest, crowded, c)
	}
	if !tight {
		t.Error("the crowded table fits its words in every font: crowd it more")
	}
}
