package minutes_test

import (
	"strings"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// TestLiveText: the interpreter's live text stays out of the minutes
// unless a facilitator puts it in; then every format has every line,
// under the item that was current when it was written, in order.
func TestLiveText(t *testing.T) {
	b := newBuilder(t, session.NewTableInput{
		Title: "Tekstitetty pöytä", Lang: "fi", Facilitator: "Sari Kivelä", Dots: 3,
		Agenda: []session.ItemInput{{Title: "Avaus"}, {Title: "Keskustelu"}},
	}, time.Date(2027, 2, 25, 15, 0, 0, 0, time.UTC))
	interp := session.Who{Role: session.RoleInterpreter}
	first, second := b.tbl.Items[0].ID, b.tbl.Items[1].ID
	b.do(interp, `{"op":"caption.add","text":"Tervetuloa kumppanuuspöytään."}`)
	b.do(interp, `{"op":"caption.add","text":"# Kaupunginjohtaja: <b>kiitos</b> kaikille"}`)
	b.do(b.fac, `{"op":"item.open","item":%q}`, second)
	b.do(interp, `{"op":"caption.add","text":"Puheenvuoro: kylätalot auki iltaisin."}`)

	lines := []string{"Tervetuloa kumppanuuspöytään.", "Kaupunginjohtaja:", "kylätalot auki iltaisin."}
	m := build(t, b.tbl, minutes.Options{})
	if len(m.LiveText) != 0 {
		t.Fatalf("live text in the minutes by default: %+v", m.LiveText)
	}
	for _, f := range []minutes.Format{minutes.Markdown, minutes.HTML, minutes.JSON} {
		if out := string(render(t, m, f, "")); strings.Contains(out, lines[0]) || strings.Contains(out, "Kirjoitustulkkaus") {
			t.Errorf("%s has the live text by default", f)
		}
	}
	if strings.Contains(string(minutes.DocumentXML(m)), lines[0]) {
		t.Error("DOCX has the live text by default")
	}

	b.do(b.fac, `{"op":"table.edit","captionsInMinutes":true}`)
	m = build(t, b.tbl, minutes.Options{})
	if len(m.LiveText) != 3 || m.LiveText[0].Item != first || m.LiveText[0].ItemNumber != 1 || m.LiveText[2].ItemNumber != 2 ||
		m.LiveText[2].Text != "Puheenvuoro: kylätalot auki iltaisin." || m.LiveText[0].At.IsZero() {
		t.Fatalf("live text %+v", m.LiveText)
	}
	md := string(render(t, m, minutes.Markdown, ""))
	for _, want := range append([]string{"## Kirjoitustulkkaus", "### 1. Avaus", "### 2. Keskustelu", `\# Kaupunginjohtaja: \<b\>kiitos\</b\>`}, lines...) {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Index(md, "### 1. Avaus") > strings.Index(md, lines[0]) || strings.Index(md, lines[0]) > strings.Index(md, "### 2. Keskustelu") {
		t.Errorf("Markdown: the lines are not under their items:\n%s", md)
	}
	html := string(render(t, m, minutes.HTML, ""))
	if !strings.Contains(html, "&lt;b&gt;kiitos&lt;/b&gt;") || strings.Contains(html, "<b>kiitos") || !strings.Contains(html, lines[2]) {
		t.Errorf("HTML live text:\n%s", html[strings.Index(html, "<section class=\"live\">"):])
	}
	js := string(render(t, m, minutes.JSON, ""))
	if !strings.Contains(js, `"liveText": [`) || !strings.Contains(js, `"itemNumber": 2`) {
		t.Error("JSON lacks liveText")
	}
	if doc := string(minutes.DocumentXML(m)); !strings.Contains(doc, lines[2]) || !strings.Contains(doc, "&lt;b&gt;kiitos") {
		t.Error("DOCX lacks the live text")
	}

	// With no item open (an agenda not yet written), a line is before the first item.
	b2 := newBuilder(t, session.NewTableInput{Title: "Pöytä", Lang: "sv", Facilitator: "Sari", Dots: 3},
		time.Date(2027, 2, 25, 15, 0, 0, 0, time.UTC))
	b2.do(b2.fac, `{"op":"table.edit","captionsInMinutes":true}`)
	b2.do(interp, `{"op":"caption.add","text":"Välkomna."}`)
	md = string(render(t, build(t, b2.tbl, minutes.Options{}), minutes.Markdown, ""))
	if !strings.Contains(md, "## Skrivtolkning\n\n### Före första punkten\n\nVälkomna.") {
		t.Errorf("Swedish live text before the first item:\n%s", md)
	}
}
