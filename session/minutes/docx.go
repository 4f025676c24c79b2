package minutes

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// WriteDOCX writes the minutes as a Word document (Office Open XML), made
// with archive/zip and encoding/xml: headings, paragraphs, and the
// attendance and action tables as Word tables, on A4. Characters XML 1.0
// forbids are dropped. The zip entries carry the table's creation time,
// so the same minutes give the same bytes.
func WriteDOCX(w io.Writer, m *Minutes) error {
	return writeDOCX(w, newPage(m), m.Table.Theme, m.Table.Created)
}

// writeDOCX writes a page as a Word document; subject is its core
// properties' subject and created its time.
func writeDOCX(w io.Writer, p *page, subject string, created time.Time) error {
	parts := docxParts(p, subject, created)
	stamp := created.UTC()
	if stamp.Year() < 1980 {
		stamp = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, part := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return fmt.Errorf("minutes: write docx: %w", err)
		}
		if _, err := f.Write(part.data); err != nil {
			return fmt.Errorf("minutes: write docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("minutes: write docx: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("minutes: write docx: %w", err)
	}
	return nil
}

// DocumentXML returns the main part of the DOCX, word/document.xml.
func DocumentXML(m *Minutes) []byte {
	doc, _ := documentXML(newPage(m))
	return doc
}

type docxPart struct {
	name string
	data []byte
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func docxParts(p *page, subject string, created time.Time) []docxPart {
	doc, link := documentXML(p)
	rels := xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`
	if link != "" {
		rels += `<Relationship Id="rIdLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="` +
			xmlAttr(link) + `" TargetMode="External"/>`
	}
	rels += `</Relationships>`
	return []docxPart{
		{"[Content_Types].xml", []byte(contentTypesXML)},
		{"_rels/.rels", []byte(packageRelsXML)},
		{"docProps/core.xml", coreXML(p, subject, created)},
		{"docProps/app.xml", []byte(appXML)},
		{"word/_rels/document.xml.rels", []byte(rels)},
		{"word/document.xml", doc},
		{"word/styles.xml", []byte(stylesXML(p.Lang))},
		{"word/settings.xml", []byte(settingsXML)},
	}
}

const contentTypesXML = xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const packageRelsXML = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const appXML = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>Pöytä</Application></Properties>`

const settingsXML = xmlHeader + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:defaultTabStop w:val="709"/><w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`</w:settings>`

// wordLang is the language tag Word's proofing uses.
var wordLang = map[string]string{"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}

func coreXML(p *page, subject string, at time.Time) []byte {
	created := at.UTC().Format(time.RFC3339)
	return []byte(xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + xmlText(p.Heading) + `</dc:title>` +
		`<dc:subject>` + xmlText(subject) + `</dc:subject>` +
		`<dc:creator>Pöytä</dc:creator>` +
		`<dc:language>` + wordLang[p.Lang] + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + created + `</dcterms:modified>` +
		`</cp:coreProperties>`)
}

// The text width of an A4 page with 2 cm margins, in twentieths of a point.
const (
	pageW   = 11906
	pageH   = 16838
	margin  = 1134
	textW   = pageW - 2*margin
	linkRel = "rIdLink"
)

// documentXML builds word/document.xml and returns the external link it
// refers to, if any.
func documentXML(p *page) ([]byte, string) {
	d := &docxWriter{}
	d.WriteString(xmlHeader)
	d.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"` +
		` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>` + "\n")
	d.para("Subtitle", run{text: p.Doc})
	d.para("Title", run{text: p.Title})
	if p.Draft != "" {
		d.para("Draft", run{text: p.Draft})
	}
	link := ""
	for _, f := range p.Facts {
		if f.Link {
			if u, err := url.Parse(f.Value); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
				link = u.String()
			}
		}
		d.fact(f, link != "" && f.Link)
	}

	if p.AttendanceHeading != "" {
		d.para("Heading1", run{text: p.AttendanceHeading})
		d.para("", run{text: p.Total, bold: true})
	}
	if len(p.Orgs) > 0 {
		count := map[int]bool{1: true}
		d.para("Heading3", run{text: p.L.ByOrg})
		d.table(docxTable{cols: p.OrgCols, rows: p.Orgs, width: textW, right: count, whole: count})
		// Two short columns read better close together than across the page.
		d.table(docxTable{cols: p.SectorCols, rows: p.Sectors, width: textW * 3 / 4, right: count, whole: count})
	}

	for _, it := range p.Items {
		d.para("Heading1", run{text: it.Heading})
		for _, f := range it.Facts {
			d.fact(f, false)
		}
		if it.Notes != "" {
			if it.HasIdeas() || it.Work != nil {
				d.para("Heading2", run{text: it.NotesHeading})
			}
			d.paragraphs(it.Notes)
		}
		if it.Work != nil {
			d.work(it.Work)
		}
		if it.HasIdeas() {
			d.ideas("Heading2", it.ideaList)
		}
	}

	d.para("Heading1", run{text: p.ActionsHeading})
	if len(p.Actions) == 0 {
		d.para("", run{text: p.NoActions})
	} else {
		d.table(under(p.ActionCols, p.Actions, 4, map[int]bool{2: true, 3: true}))
	}
	if len(p.Follow) > 0 {
		d.para("Heading1", run{text: p.FollowHeading})
		d.table(under(p.FollowCols, p.Follow, 0, map[int]bool{2: true, 3: true}))
	}
	fmt.Fprintf(d, `<w:sectPr><w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>`,
		pageW, pageH, margin, margin, margin, margin)
	d.WriteString("\n</w:body></w:document>\n")
	return d.Bytes(), link
}

// under makes a full-width table of rows whose column k goes under the
// first cell, as a smaller "Header: value" line, instead of into a column
// of its own: the agenda item of an action, the earlier table of a
// follow-up. On A4, another column could not hold the long words of
// their titles beside long organisation names without cutting them.
// whole counts the columns that are left.
func under(cols []string, rows [][]string, k int, whole map[int]bool) docxTable {
	t := docxTable{cols: slices.Delete(slices.Clone(cols), k, k+1), width: textW, whole: whole}
	for _, r := range rows {
		sub := ""
		if k < len(r) && r[k] != "" {
			sub = cols[k] + ": " + r[k]
		}
		t.rows = append(t.rows, slices.Delete(slices.Clone(r), k, min(k+1, len(r))))
		t.sub = append(t.sub, sub)
	}
	return t
}

type docxWriter struct{ bytes.Buffer }

// run is a piece of text with one formatting. Line breaks in text become
// Word line breaks, tabs Word tabs.
type run struct {
	text   string
	bold   bool
	italic bool
	color  string // hex RGB, e.g. "5B6B73"
	style  string // a character style
}

func (d *docxWriter) para(style string, runs ...run) {
	d.WriteString("<w:p>")
	if style != "" {
		d.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, r := range runs {
		d.run(r)
	}
	d.WriteString("</w:p>\n")
}

func (d *docxWriter) run(r run) {
	if r.text == "" {
		return
	}
	var props string
	if r.style != "" {
		props += `<w:rStyle w:val="` + r.style + `"/>`
	}
	if r.bold {
		props += "<w:b/>"
	}
	if r.italic {
		props += "<w:i/>"
	}
	if r.color != "" {
		props += `<w:color w:val="` + r.color + `"/>`
	}
	d.WriteString("<w:r>")
	if props != "" {
		d.WriteString("<w:rPr>" + props + "</w:rPr>")
	}
	for n, ln := range lines(xmlSafe(display(r.text))) {
		if n > 0 {
			d.WriteString("<w:br/>")
		}
		for k, part := range strings.Split(ln, "\t") {
			if k > 0 {
				d.WriteString("<w:tab/>")
			}
			if part != "" {
				d.WriteString(`<w:t xml:space="preserve">` + xmlText(part) + `</w:t>`)
			}
		}
	}
	d.WriteString("</w:r>")
}

func (d *docxWriter) fact(f fact, link bool) {
	d.WriteString(`<w:p><w:pPr><w:pStyle w:val="Fact"/></w:pPr>`)
	d.run(run{text: f.Label + ": ", bold: true})
	if link {
		d.WriteString(`<w:hyperlink r:id="` + linkRel + `" w:history="1">`)
		d.run(run{text: f.Value, style: "Hyperlink"})
		d.WriteString(`</w:hyperlink>`)
	} else {
		d.run(run{text: f.Value})
	}
	d.WriteString("</w:p>\n")
}

// paragraphs writes multi-line user text, blank lines between paragraphs.
func (d *docxWriter) paragraphs(s string) {
	for _, para := range paragraphs(s) {
		d.para("", run{text: strings.Join(para, "\n")})
	}
}

// ideas writes a ranked list of ideas under a heading, and the hidden
// ones under another.
func (d *docxWriter) ideas(heading string, x ideaList) {
	d.para(heading, run{text: x.IdeasHeading})
	if len(x.Ideas) == 0 {
		d.para("", run{text: x.NoIdeas})
	}
	for _, i := range x.Ideas {
		d.idea(i)
	}
	if len(x.HiddenIdeas) > 0 {
		d.para(heading, run{text: x.HiddenHead})
		for _, i := range x.HiddenIdeas {
			d.idea(i)
		}
	}
}

// work writes an item's group work: each group under a heading of its
// own, its parts under smaller ones.
func (d *docxWriter) work(w *pageWork) {
	d.para("Heading2", run{text: w.Heading})
	for _, f := range w.Facts {
		d.fact(f, false)
	}
	if w.Running != "" {
		d.para("", run{text: w.Running, italic: true})
	}
	for _, g := range w.Groups {
		d.para("Heading3", run{text: g.Heading})
		for _, f := range g.Facts {
			d.fact(f, false)
		}
		if g.Summary != "" {
			d.para("Heading4", run{text: g.SummaryHeading})
			d.paragraphs(g.Summary)
		}
		d.ideas("Heading4", g.ideaList)
		if len(g.Brought) > 0 || g.SummaryBrought != "" {
			d.para("Heading4", run{text: g.BroughtHeading})
		}
		for n, s := range g.Brought {
			d.para("Idea", run{text: strconv.Itoa(n+1) + ".\t", bold: true, color: "1F5F7A"}, run{text: s})
		}
		if g.SummaryBrought != "" {
			d.para("", run{text: g.SummaryBrought})
		}
	}
}

func (d *docxWriter) idea(i pageIdea) {
	var runs []run
	if i.Rank > 0 {
		runs = append(runs, run{text: strconv.Itoa(i.Rank) + ".\t", bold: true, color: "1F5F7A"})
	} else {
		runs = append(runs, run{text: "–\t", color: "5B6B73"})
	}
	runs = append(runs, run{text: i.Text})
	if i.Points != "" {
		runs = append(runs, run{text: " — "}, run{text: i.Points, bold: true})
	}
	if i.Hidden != "" {
		runs = append(runs, run{text: " (" + i.Hidden + ")", italic: true, color: "9A3B3B"})
	}
	d.para("Idea", runs...)
	if i.Meta != "" {
		d.para("IdeaMeta", run{text: i.Meta})
	}
	for _, c := range i.Merged {
		runs := []run{{text: c.MergedAs + ": ", italic: true}, {text: c.Text}}
		if c.By != "" {
			runs = append(runs, run{text: " — " + c.By, color: "5B6B73"})
		}
		d.para("Merged", runs...)
	}
}

// table writes a Word table with a header row that repeats on every page,
// its columns as wide as columnWidths makes them.
func (d *docxWriter) table(t docxTable) {
	widths := columnWidths(t)
	fmt.Fprintf(d, `<w:tbl><w:tblPr><w:tblStyle w:val="PoytaTable"/><w:tblW w:w="%d" w:type="dxa"/><w:tblLayout w:type="fixed"/>`+
		`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>`, t.width)
	d.WriteString("<w:tblGrid>")
	for _, w := range widths {
		fmt.Fprintf(d, `<w:gridCol w:w="%d"/>`, w)
	}
	d.WriteString("</w:tblGrid>\n")
	d.row(t.cols, "", widths, t.right, true)
	for n, r := range t.rows {
		sub := ""
		if n < len(t.sub) {
			sub = t.sub[n]
		}
		d.row(r, sub, widths, t.right, false)
	}
	d.WriteString("</w:tbl>\n")
	// Word needs a paragraph between two tables, or it joins them.
	d.para("TableAfter")
}

// row writes a table row; sub, if any, goes under the first cell in
// smaller grey text.
func (d *docxWriter) row(cells []string, sub string, widths []int, right map[int]bool, header bool) {
	d.WriteString("<w:tr>")
	if header {
		d.WriteString("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>")
	} else {
		d.WriteString("<w:trPr><w:cantSplit/></w:trPr>")
	}
	for n, w := range widths {
		v := ""
		if n < len(cells) {
			v = cells[n]
		}
		fmt.Fprintf(d, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
		if header {
			d.WriteString(`<w:shd w:val="clear" w:color="auto" w:fill="E8EEF1"/>`)
		}
		d.WriteString("</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>")
		if right[n] {
			d.WriteString(`<w:jc w:val="right"/>`)
		}
		d.WriteString("</w:pPr>")
		d.run(run{text: v, bold: header})
		d.WriteString("</w:p>")
		if n == 0 && sub != "" {
			d.WriteString(`<w:p><w:pPr><w:pStyle w:val="TableSub"/></w:pPr>`)
			d.run(run{text: sub})
			d.WriteString("</w:p>")
		}
		d.WriteString("</w:tc>")
	}
	d.WriteString("</w:tr>\n")
}

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(xmlSafe(s)))
	return b.String()
}

// xmlAttr escapes an attribute value; EscapeText escapes quotes too.
func xmlAttr(s string) string { return xmlText(s) }
