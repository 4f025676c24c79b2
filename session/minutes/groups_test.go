package minutes_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
	"github.com/poyta/poyta/session/minutes"
)

// TestGroupWork reads the group work of the Ähtäri–Soini table back from
// the model: the groups in order, their final members, ideas ranked by
// the groups' dots, reporters, summaries, picks and the report-back.
func TestGroupWork(t *testing.T) {
	tbl := ahtariSoini(t)
	m := build(t, tbl, minutes.Options{})
	it := m.Items[4]
	if it.GroupWork == nil || it.GroupWork.Running || it.GroupWork.Ended == nil ||
		it.GroupWork.Placement != session.PlaceMixed || it.GroupWork.Dots != 2 {
		t.Fatalf("group work %+v", it.GroupWork)
	}
	for n, other := range m.Items[:4] {
		if other.GroupWork != nil || len(other.Groups) != 0 {
			t.Errorf("item %d has group work", n+1)
		}
	}
	var names []string
	for _, g := range it.Groups {
		names = append(names, g.Name)
	}
	if want := []string{"Sali, pöytä 2", "Ryhmä 1", "Ryhmä 2"}; !slices.Equal(names, want) {
		t.Fatalf("groups %v, want %v", names, want)
	}
	room, g1, g2 := it.Groups[0], it.Groups[1], it.Groups[2]

	if room.Online || !g1.Online || g1.Topic != "Tilat ja kyläkoulut" {
		t.Errorf("online/topic: room %v, g1 %v %q", room.Online, g1.Online, g1.Topic)
	}
	// Mikko was moved to the hall's table after the mixed placement.
	if room.Members.Total != 1 || room.Members.People[0].Name != "Mikko Lahti" {
		t.Errorf("room group members %+v", room.Members)
	}
	var inG1 []string
	for _, p := range g1.Members.People {
		inG1 = append(inG1, p.Name)
	}
	if want := []string{"Markku Hautala", "Erkki Mäkinen", "Jussi Peltoniemi", "Tuula Hakala", "Aino Virtanen"}; !slices.Equal(inG1, want) {
		t.Errorf("Ryhmä 1 members %v, want %v (join order)", inG1, want)
	}
	if g1.Members.Total+g2.Members.Total+room.Members.Total != m.Attendance.Total {
		t.Error("the groups' members do not add up to the attendance")
	}

	if g1.Reporter == nil || g1.Reporter.Name != "Jussi Peltoniemi" || room.Reporter != nil {
		t.Errorf("reporters: g1 %+v, room %+v", g1.Reporter, room.Reporter)
	}
	if !strings.HasPrefix(g2.Summary, "Tieto yhdistysten") {
		t.Errorf("Ryhmä 2 summary %q", g2.Summary)
	}
	if !g1.Voted || len(g1.Ideas) != 4 || g1.Ideas[0].Votes != 4 || g1.Ideas[0].Rank != 1 {
		t.Fatalf("Ryhmä 1 ideas %+v", g1.Ideas)
	}
	for n, i := range g1.Ideas {
		if n > 0 && i.Total > g1.Ideas[n-1].Total {
			t.Errorf("group idea %d has more dots than the one before it", n+1)
		}
		if i.Hidden {
			t.Errorf("hidden group idea %q without IncludeHidden", i.Text)
		}
		if i.Anonymous && i.Author != nil {
			t.Errorf("anonymous group idea %q has an author", i.Text)
		}
	}
	if len(g2.Ideas[0].Merged) != 1 {
		t.Errorf("the merged group idea is not under the one it was merged into: %+v", g2.Ideas[0])
	}
	if len(g1.Picked) != 2 || g1.Picked[0] != g1.Ideas[0].ID || len(room.Picked) != 0 {
		t.Errorf("picks: g1 %v, room %v", g1.Picked, room.Picked)
	}

	// The plenary has the five ideas the groups brought, labelled with
	// their group and linked to their origin.
	plenary := map[string]minutes.Idea{}
	for _, i := range it.Ideas {
		plenary[i.ID] = i
		if i.Group == nil {
			t.Errorf("plenary idea %q has no group", i.Text)
		}
	}
	if len(it.Ideas) != 5 || len(g1.Reported) != 2 || len(g2.Reported) != 2 || len(room.Reported) != 1 {
		t.Fatalf("plenary %d ideas; reported %v %v %v", len(it.Ideas), room.Reported, g1.Reported, g2.Reported)
	}
	for k, id := range g1.Reported {
		if p := plenary[id]; p.Origin != g1.Picked[k] || p.Group.ID != g1.ID {
			t.Errorf("reported %s: origin %q, want %q", id, p.Origin, g1.Picked[k])
		}
	}
	if p := plenary[room.Reported[0]]; p.Origin != "" || p.Text != room.Summary {
		t.Errorf("the hall's table brought %+v, want its summary", p)
	}
	if a := m.Actions[4]; len(a.Ideas) != 1 || plenary[a.Ideas[0]].Origin != g1.Ideas[0].ID {
		t.Errorf("the action of the room booking calendar comes from %v", a.Ideas)
	}

	h := build(t, tbl, minutes.Options{IncludeHidden: true})
	hg := h.Items[4].Groups[1]
	if last := hg.Ideas[len(hg.Ideas)-1]; len(hg.Ideas) != 5 || !last.Hidden || last.Rank != 0 || last.Text != "testi" {
		t.Errorf("with IncludeHidden the hidden group idea comes last, unranked: %+v", hg.Ideas)
	}
	for _, i := range h.Items[4].Ideas {
		if i.Text == "testi" {
			t.Error("a hidden group idea is among the plenary's hidden ideas")
		}
	}

	p := build(t, tbl, minutes.Options{NoNames: true})
	pg := p.Items[4].Groups[1]
	if len(pg.Members.People) != 0 || pg.Members.Total != 5 || len(pg.Members.BySector) != 3 {
		t.Errorf("NoNames members %+v", pg.Members)
	}
	if r := pg.Reporter; r == nil || r.ID != "" || r.Name != "" || r.Org != "Ähtärin Urheilijat ry" {
		t.Errorf("NoNames reporter %+v", r)
	}
}

// TestGroupWorkRendered: every format shows the groups, in every
// language, and the plenary's ideas name the group they came from.
func TestGroupWorkRendered(t *testing.T) {
	tbl := ahtariSoini(t)
	words := map[string][]string{
		"fi": {"Ryhmätyö", "Ryhmäjako", "Jäsenet", "Raportoija", "Yhteenveto", "Yhteiseen keskusteluun tuodut", "tuotu ryhmästä"},
		"sv": {"Grupparbete", "Gruppindelning", "Medlemmar", "Rapportör", "Sammanfattning", "Till den gemensamma diskussionen", "från gruppen"},
		"en": {"Group work", "Grouping", "Members", "Reporter", "Summary", "Brought to the plenary", "from the group"},
	}
	for _, lang := range session.Languages {
		m := build(t, tbl, minutes.Options{Lang: lang})
		outs := map[string]string{
			"md":   string(render(t, m, minutes.Markdown, "")),
			"html": string(render(t, m, minutes.HTML, "")),
			"docx": docxText(t, minutes.DocumentXML(m)),
		}
		for f, out := range outs {
			for _, w := range words[lang][:6] {
				if !strings.Contains(out, w) {
					t.Errorf("%s %s lacks %q", lang, f, w)
				}
			}
			for _, s := range []string{"Tilat ja kyläkoulut", "Ryhmä ehdottaa yhteistä kalenteria", "Kylätalojen avaimet", "Mikko Lahti (Soinin Kyläkauppa Oy)"} {
				if !strings.Contains(out, s) {
					t.Errorf("%s %s lacks %q", lang, f, s)
				}
			}
			if strings.Contains(out, "testi") {
				t.Errorf("%s %s shows the hidden group idea", lang, f)
			}
		}
		csv := string(render(t, m, minutes.CSV, minutes.CSVIdeas))
		if !strings.Contains(csv, words[lang][6]) {
			t.Errorf("%s ideas CSV does not mark the ideas brought from a group", lang)
		}
	}
	// In Finnish a group named "Ryhmä 1" is not called "Ryhmä: Ryhmä 1".
	md := string(render(t, build(t, tbl, minutes.Options{}), minutes.Markdown, ""))
	if strings.Contains(md, "Ryhmä: Ryhmä") || !strings.Contains(md, "   Ryhmä 1\n") || !strings.Contains(md, "Ryhmä: Sali, pöytä 2") {
		t.Error("plenary ideas are not labelled with their group as expected")
	}
}

// TestGroupMembersAsAttendance: a group's members are its members when
// the work ended, counted as the attendance counts people: someone the
// facilitator removed, during the work or after it, is not listed, but
// what they wrote stays. Minutes of a work that still runs say so.
func TestGroupMembersAsAttendance(t *testing.T) {
	b := newBuilder(t, session.NewTableInput{Title: "Mikkelin kumppanuustalon suunnittelupöytä", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Mitä kumppanuustalo tarjoaa?"}}}, testStart)
	item := b.tbl.Items[0].ID
	pirjo := b.join("Pirjo Mäkelä", "Mikkelin Seudun Omaishoitajat ry", "association")
	ville := b.join("Ville Hämäläinen", "Mikkelin kaupunki", "municipality")
	x := b.join("Häirikkö", "", "other")
	y := b.join("Ylimääräinen", "", "resident")
	b.do(b.fac, `{"op":"groups.start","item":%q,"groups":[{"name":"Ryhmä A"},{"name":"Ryhmä B"}],"placement":"manual"}`, item)
	w := b.tbl.Works[0]
	a, bb := w.Groups[0], w.Groups[1]
	for _, p := range []session.Who{pirjo, x, y} {
		b.do(b.fac, `{"op":"group.move","participant":%q,"group":%q}`, p.ID, a)
	}
	b.do(b.fac, `{"op":"group.move","participant":%q,"group":%q}`, ville.ID, bb)
	b.idea(x, item, "Kahvio ja kokoustilat samaan taloon", "")
	b.idea(y, item, "Lastenhoito kokousten ajaksi", "")
	b.do(b.fac, `{"op":"participant.remove","participant":%q}`, x.ID)

	running := build(t, b.tbl, minutes.Options{})
	if g := running.Items[0].GroupWork; g == nil || !g.Running || g.Ended != nil {
		t.Fatalf("running group work %+v", g)
	}
	b.do(pirjo, `{"op":"group.reporter","participant":%q}`, pirjo.ID)
	b.do(pirjo, `{"op":"group.pick","idea":%q,"picked":true}`, b.tbl.IdeaOrder[1])
	running = build(t, b.tbl, minutes.Options{})
	md := string(render(t, running, minutes.Markdown, ""))
	if !strings.Contains(md, "Ryhmätyö on vielä käynnissä.") || !strings.Contains(md, "##### Yhteiseen keskusteluun valitut\n\n1. Lastenhoito") {
		t.Errorf("the minutes of a running group work do not say it runs, or what a group picked so far:\n%s", md)
	}
	b.do(pirjo, `{"op":"group.pick","idea":%q,"picked":false}`, b.tbl.IdeaOrder[1])
	b.do(b.fac, `{"op":"groups.end"}`)
	b.do(b.fac, `{"op":"participant.remove","participant":%q}`, y.ID)

	m := build(t, b.tbl, minutes.Options{})
	ga := m.Items[0].Groups[0]
	if ga.Members.Total != 1 || len(ga.Members.People) != 1 || ga.Members.People[0].Name != "Pirjo Mäkelä" {
		t.Errorf("Ryhmä A members %+v, want only Pirjo Mäkelä", ga.Members)
	}
	if len(ga.Ideas) != 2 || ga.Ideas[0].Author == nil || ga.Ideas[0].Author.Name != "Häirikkö" {
		t.Errorf("the removed participants' ideas are gone: %+v", ga.Ideas)
	}
	if ga.Voted {
		t.Error("a group work without dots voted")
	}
	// No picks and no summary: the group brought nothing.
	if len(ga.Reported) != 0 || len(m.Items[0].Ideas) != 0 {
		t.Errorf("reported %v, plenary %d ideas", ga.Reported, len(m.Items[0].Ideas))
	}
	var buf bytes.Buffer
	if err := minutes.WriteMarkdown(&buf, m); err != nil {
		t.Fatal(err)
	}
	md = buf.String()
	if strings.Contains(md, "Yhteiseen keskusteluun") || !strings.Contains(md, "#### Ryhmä B") {
		t.Errorf("Markdown of a group that brought nothing:\n%s", md)
	}
}
