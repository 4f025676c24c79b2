package session_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

func TestAddIdea(t *testing.T) {
	m := newMeeting(t)

	e := mustDo(t, m, m.matti, cmdf(t, `{"id":"c1","op":"idea.add","item":%q,"text":"  Liikuntapaikat maksutta\nlasten harrastuksille  "}`, m.discuss))
	d := e.Data.(*session.IdeaAdded)
	if e.Type != "idea.added" || e.Actor != "p:"+m.matti.ID {
		t.Fatalf("event %q by %q", e.Type, e.Actor)
	}
	i := m.ideaByID(t, d.Idea)
	if i.Text != "Liikuntapaikat maksutta\nlasten harrastuksille" || i.Item != m.discuss || i.Author != m.matti.ID || i.Anonymous {
		t.Fatalf("idea = %+v", i)
	}
	if !i.Created.Equal(m.clock.now) || i.Votes != 0 || i.Hidden || i.MergedInto != "" {
		t.Fatalf("idea = %+v", i)
	}

	m.clock.advance(time.Minute)
	e = mustDo(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Nuorten ääni kuuluviin","anonymous":true}`, m.discuss))
	anon := m.ideaByID(t, e.Data.(*session.IdeaAdded).Idea)
	if !anon.Anonymous || anon.Author != m.aino.ID {
		t.Fatalf("anonymous idea = %+v; the state keeps the author for the author's own view", anon)
	}

	e = mustDo(t, m, m.scribe, cmdf(t, `{"op":"idea.add","item":%q,"text":"Kyläkoulun tilat iltaisin käyttöön"}`, m.discuss))
	room := m.ideaByID(t, e.Data.(*session.IdeaAdded).Idea)
	if room.Group != m.room || room.Author != "" || e.Actor != "scribe:"+m.room {
		t.Fatalf("scribe's idea = %+v by %q", room, e.Actor)
	}
	// A scribe may name its own group and the person it speaks for.
	e = mustDo(t, m, m.scribe, cmdf(t, `{"op":"idea.add","item":%q,"text":"Vapaaehtoisten kiitosjuhla","group":%q,"onBehalf":"Eino, 82 v."}`, m.discuss, m.room))
	if i := m.ideaByID(t, e.Data.(*session.IdeaAdded).Idea); i.Group != m.room || i.OnBehalf != "Eino, 82 v." {
		t.Fatalf("scribe's idea on behalf = %+v", i)
	}

	// The facilitator adds on behalf of someone, for a group, to any item in any phase.
	m.phase(t, m.steps, session.PhaseActions)
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.add","item":%q,"text":"Järjestöinfo kerran vuodessa","onBehalf":" Salin vieras ","group":%q}`, m.steps, m.room))
	fi := m.ideaByID(t, e.Data.(*session.IdeaAdded).Idea)
	if fi.OnBehalf != "Salin vieras" || fi.Group != m.room || fi.Author != "" || fi.Item != m.steps {
		t.Fatalf("facilitator's idea = %+v", fi)
	}

	want := []string{i.ID, anon.ID, room.ID}
	if got := m.tbl.IdeaOrder[:3]; !slices.Equal(got, want) {
		t.Fatalf("idea order = %v, want %v", got, want)
	}
}

func TestAddIdeaTextLimits(t *testing.T) {
	m := newMeeting(t)
	// Limits count characters: 1000 × "ä" is 2000 bytes and fits.
	id := m.idea(t, m.matti, umlauts(session.MaxIdea))
	if got := m.ideaByID(t, id).Text; got != umlauts(session.MaxIdea) {
		t.Fatalf("text shortened to %d bytes", len(got))
	}
	// People's words are kept as written: emoji, combining marks, right-to-left text.
	for _, text := range []string{"Kiitos 🙏🏽 kaikille!", "Ä (A\u0308) ja Å", "مرحبا بالجميع", "‏שלום"} {
		id := m.idea(t, m.liisa, text)
		if got := m.ideaByID(t, id).Text; got != text {
			t.Fatalf("text %q stored as %q", text, got)
		}
	}

	add := func(text string) session.Command {
		return &session.AddIdea{Item: m.discuss, Text: text}
	}
	tests := []struct {
		name string
		cmd  session.Command
		code string
	}{
		{"1001 characters", add(umlauts(session.MaxIdea + 1)), session.CodeTooLong},
		{"empty", add(""), session.CodeMissingField},
		{"only spaces", add(" \n\t "), session.CodeMissingField},
		{"invalid UTF-8", add("Liikunta\xffpaikat"), session.CodeInvalidText},
		{"truncated UTF-8", add("Ähtär\xc3"), session.CodeInvalidText},
		{"NUL", add("Liikunta\x00paikat"), session.CodeInvalidText},
		{"escape", add("\x1b[2J tyhjä ruutu"), session.CodeInvalidText},
		{"DEL", add("poisto\x7f"), session.CodeInvalidText},
		{"C1 control", add("seuraava\u0085rivi"), session.CodeInvalidText},
		{"NUL via JSON", cmdf(t, `{"op":"idea.add","item":%q,"text":"a\u0000b"}`, m.discuss), session.CodeInvalidText},
		{"too long via JSON", cmdf(t, `{"op":"idea.add","item":%q,"text":%q}`, m.discuss, umlauts(session.MaxIdea+1)), session.CodeTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.matti, tc.cmd, tc.code)
		})
	}
	refuse(t, m, m.fac, &session.AddIdea{Item: m.discuss, Text: "Ok", OnBehalf: umlauts(session.MaxName + 1)}, session.CodeTooLong)
	refuse(t, m, m.fac, &session.AddIdea{Item: m.discuss, Text: "Ok", OnBehalf: "Eino\nja Elsa"}, session.CodeInvalidText)
}

func TestAddIdeaRefusals(t *testing.T) {
	m := newMeeting(t)
	gone := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 9"}`)).Data.(*session.GroupAdded).Group.ID
	mustDo(t, m, m.fac, cmdf(t, `{"op":"group.remove","group":%q}`, gone))
	other := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 3"}`)).Data.(*session.GroupAdded).Group.ID

	add := func(format string, args ...any) session.Command { return cmdf(t, format, args...) }
	tests := []struct {
		name string
		who  session.Who
		cmd  session.Command
		code string
	}{
		{"unknown item", m.matti, add(`{"op":"idea.add","item":"id-999","text":"x"}`), session.CodeNoItem},
		{"no item", m.matti, add(`{"op":"idea.add","text":"x"}`), session.CodeNoItem},
		{"not the open item", m.matti, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.steps), session.CodeNotCurrent},
		{"participant on behalf", m.matti, add(`{"op":"idea.add","item":%q,"text":"x","onBehalf":"Naapuri"}`, m.discuss), session.CodeForbidden},
		{"participant for a group", m.matti, add(`{"op":"idea.add","item":%q,"text":"x","group":%q}`, m.discuss, m.room), session.CodeForbidden},
		{"scribe anonymous", m.scribe, add(`{"op":"idea.add","item":%q,"text":"x","anonymous":true}`, m.discuss), session.CodeForbidden},
		{"scribe for another group", m.scribe, add(`{"op":"idea.add","item":%q,"text":"x","group":%q}`, m.discuss, other), session.CodeForbidden},
		{"scribe not the open item", m.scribe, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.steps), session.CodeNotCurrent},
		{"facilitator anonymous", m.fac, add(`{"op":"idea.add","item":%q,"text":"x","anonymous":true}`, m.discuss), session.CodeInvalidValue},
		{"facilitator unknown group", m.fac, add(`{"op":"idea.add","item":%q,"text":"x","group":"id-999"}`, m.discuss), session.CodeNoGroup},
		{"facilitator removed group", m.fac, add(`{"op":"idea.add","item":%q,"text":"x","group":%q}`, m.discuss, gone), session.CodeNoGroup},
		{"guest", m.guest, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.discuss), session.CodeForbidden},
		{"screen", m.screen, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.discuss), session.CodeForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, tc.cmd, tc.code)
		})
	}

	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.matti, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.discuss), session.CodeWrongPhase)
	refuse(t, m, m.scribe, add(`{"op":"idea.add","item":%q,"text":"x"}`, m.discuss), session.CodeWrongPhase)
	m.phase(t, m.discuss, session.PhaseCollect)

	// Anonymity only where the table allows it.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.edit","allowAnonymous":false}`))
	refuse(t, m, m.aino, add(`{"op":"idea.add","item":%q,"text":"x","anonymous":true}`, m.discuss), session.CodeAnonDisabled)
	m.idea(t, m.aino, "Nimellä sitten")
}

func TestAddIdeaPerPersonCap(t *testing.T) {
	m := newMeeting(t)
	for n := range session.MaxIdeasPerPerson {
		m.idea(t, m.matti, fmt.Sprintf("Idea numero %d", n+1))
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yksi liikaa"}`, m.discuss), session.CodeTooMany)
	// A table restored from its snapshot (a restarted server) counts the same.
	restored, err := session.RestoreSnapshot(snapshot(t, m.tbl))
	if err != nil {
		t.Fatal(err)
	}
	env := m.clock.env()
	if _, err := session.Decide(restored, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yksi liikaa"}`, m.discuss), env); session.AsError(err).Code != session.CodeTooMany {
		t.Fatalf("after a restore the cap is %v, want %s", err, session.CodeTooMany)
	}
	if _, err := session.Decide(restored, m.liisa, cmdf(t, `{"op":"idea.add","item":%q,"text":"Liisan idea"}`, m.discuss), env); err != nil {
		t.Fatalf("after a restore Liisa cannot add an idea: %v", err)
	}
	// The cap is per person and per item.
	m.idea(t, m.liisa, "Liisan idea")
	m.open(t, m.steps)
	m.ideaOn(t, m.matti, m.steps, "Seuraavan kohdan idea")
	// Withdrawing one makes room again.
	m.open(t, m.discuss)
	mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":%q}`, m.tbl.IdeaOrder[0]))
	m.idea(t, m.matti, "Korvaava idea")
}

func TestAddIdeaTableCap(t *testing.T) {
	m := newMeeting(t)
	// Fill the table through the log; deciding 10,000 ideas one by one is slow under -race.
	for n := len(m.tbl.Ideas); n < session.MaxIdeas; n++ {
		m.tbl.Apply(session.Event{Seq: m.tbl.Seq + 1, Type: "idea.added", Data: &session.IdeaAdded{
			Idea: fmt.Sprintf("bulk-%d", n), Item: m.discuss, Text: "Täyte", Created: m.clock.now}})
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yksi liikaa"}`, m.discuss), session.CodeTooMany)
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.add","item":%q,"text":"Yksi liikaa"}`, m.discuss), session.CodeTooMany)
}

func TestEditIdea(t *testing.T) {
	m := newMeeting(t)
	mine := m.idea(t, m.matti, "Liikuntapaikat maksutta")
	liisas := m.idea(t, m.liisa, "Avustushaku yhdelle lomakkeelle")
	roomIdea := m.idea(t, m.scribe, "Kyläkoulun tilat")
	facRoom := mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.add","item":%q,"text":"Salin toive","group":%q}`, m.discuss, m.room)).Data.(*session.IdeaAdded).Idea
	other := mustDo(t, m, m.fac, cmdf(t, `{"op":"group.add","name":"Sali, pöytä 3"}`)).Data.(*session.GroupAdded).Group.ID
	otherScribe := session.Who{Role: session.RoleScribe, ID: other}

	m.clock.advance(2 * time.Minute)
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Liikuntapaikat maksutta alle 18-vuotiaille"}`, mine))
	i := m.ideaByID(t, mine)
	if i.Text != "Liikuntapaikat maksutta alle 18-vuotiaille" || !i.Edited.Equal(m.clock.now) || e.Data.(*session.IdeaEdited).Idea != mine {
		t.Fatalf("edited idea = %+v", i)
	}
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Kyläkoulun tilat iltaisin"}`, roomIdea))
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Salin toive, tarkennettu"}`, facRoom))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.edit","idea":%q,"text":"Avustushaku yhdelle sähköiselle lomakkeelle"}`, liisas))
	if m.ideaByID(t, liisas).Author != m.liisa.ID {
		t.Fatal("the facilitator's edit changed the author")
	}

	edit := func(idea, text string) session.Command {
		return cmdf(t, `{"op":"idea.edit","idea":%q,"text":%q}`, idea, text)
	}
	tests := []struct {
		name string
		who  session.Who
		cmd  session.Command
		code string
	}{
		{"unknown idea", m.matti, edit("id-999", "x"), session.CodeNoIdea},
		{"someone else's", m.matti, edit(liisas, "Minun nyt"), session.CodeNotOwner},
		{"group idea by a participant", m.matti, edit(roomIdea, "x"), session.CodeNotOwner},
		{"participant's idea by a scribe", m.scribe, edit(mine, "x"), session.CodeNotOwner},
		{"other group's scribe", otherScribe, edit(roomIdea, "x"), session.CodeNotOwner},
		{"guest", m.guest, edit(mine, "x"), session.CodeForbidden},
		{"same text", m.matti, edit(mine, " Liikuntapaikat maksutta alle 18-vuotiaille "), session.CodeNoChange},
		{"empty", m.matti, edit(mine, ""), session.CodeMissingField},
		{"too long", m.matti, edit(mine, umlauts(session.MaxIdea+1)), session.CodeTooLong},
		{"invalid UTF-8", m.matti, &session.EditIdea{Idea: mine, Text: "\xfe\xff"}, session.CodeInvalidText},
		{"control", m.matti, &session.EditIdea{Idea: mine, Text: "a\x01b"}, session.CodeInvalidText},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, tc.who, tc.cmd, tc.code)
		})
	}

	// Hidden and merged ideas are the facilitator's.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, liisas))
	refuse(t, m, m.liisa, edit(liisas, "Piilossa"), session.CodeIdeaHidden)
	dup := m.idea(t, m.matti, "Maksuttomat salivuorot")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, dup, mine))
	refuse(t, m, m.matti, edit(dup, "Maksuttomat salivuorot nuorille"), session.CodeIdeaMerged)
	mustDo(t, m, m.fac, edit(liisas, "Facilitaattori korjasi piilotetun"))

	// Participants edit only while the open item collects ideas.
	m.phase(t, m.discuss, session.PhaseVote)
	refuse(t, m, m.matti, edit(mine, "Äänestyksen aikana"), session.CodeWrongPhase)
	refuse(t, m, m.scribe, edit(roomIdea, "Äänestyksen aikana"), session.CodeWrongPhase)
	mustDo(t, m, m.fac, edit(mine, "Facilitaattori korjasi kirjoitusvirheen"))
	m.phase(t, m.discuss, session.PhaseCollect)
	m.open(t, m.steps)
	refuse(t, m, m.matti, edit(mine, "Väärä kohta"), session.CodeNotCurrent)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"table.close"}`))
	refuse(t, m, m.fac, edit(mine, "Suljettu"), session.CodeClosed)
	refuse(t, m, m.matti, edit(mine, "Suljettu"), session.CodeClosed)
}

func TestDeleteIdea(t *testing.T) {
	m := newMeeting(t)
	mine := m.idea(t, m.matti, "Liikuntapaikat maksutta")
	e := mustDo(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":%q}`, mine))
	if e.Data.(*session.IdeaDeleted).Idea != mine || m.tbl.Ideas[mine] != nil || slices.Contains(m.tbl.IdeaOrder, mine) {
		t.Fatal("the idea was not withdrawn")
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":%q}`, mine), session.CodeNoIdea)

	roomIdea := m.idea(t, m.scribe, "Kyläkoulun tilat")
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"idea.delete","idea":%q}`, roomIdea))
	liisas := m.idea(t, m.liisa, "Avustushaku yhdelle lomakkeelle")
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":%q}`, liisas), session.CodeNotOwner)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"idea.delete","idea":%q}`, liisas), session.CodeNotOwner)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.delete","idea":%q}`, liisas))

	// Ideas with votes, room dots, merged ideas or actions are only hidden.
	voted := m.idea(t, m.matti, "Yhteinen tapahtumakalenteri")
	dotted := m.idea(t, m.aino, "Nuorisovaltuusto mukaan")
	target := m.idea(t, m.liisa, "Järjestöyhdyshenkilö kaupungille")
	dup := m.idea(t, m.pekka, "Yhteyshenkilö järjestöille")
	cited := m.idea(t, m.pekka, "Avoimet ovet -päivä")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, dup, target))
	m.action(t, `{"op":"action.add","item":%q,"title":"Järjestetään avoimet ovet","ideas":[%q]}`, m.discuss, cited)
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.liisa, voted)
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":3}`, dotted))
	for _, id := range []string{voted, dotted, target, cited} {
		refuse(t, m, m.fac, cmdf(t, `{"op":"idea.delete","idea":%q}`, id), session.CodeIdeaHasVotes)
	}
	// A merged duplicate is part of the idea it was merged into: deleting it
	// would leave that idea listing an idea that no longer exists.
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.delete","idea":%q}`, dup), session.CodeIdeaMerged)
	if !slices.Contains(m.ideaByID(t, target).Merged, dup) || m.tbl.Ideas[dup] == nil {
		t.Fatal("the merge record is broken")
	}
	m.phase(t, m.discuss, session.PhaseCollect)
	refuse(t, m, m.matti, cmdf(t, `{"op":"idea.delete","idea":%q}`, voted), session.CodeIdeaHasVotes)
	refuse(t, m, m.pekka, cmdf(t, `{"op":"idea.delete","idea":%q}`, dup), session.CodeIdeaMerged)
	refuse(t, m, m.screen, cmdf(t, `{"op":"idea.delete","idea":%q}`, voted), session.CodeForbidden)
}

func TestHideIdea(t *testing.T) {
	m := newMeeting(t)
	off := m.idea(t, m.pekka, "Täysin aiheen ohi")
	anon := mustDo(t, m, m.aino, cmdf(t, `{"op":"idea.add","item":%q,"text":"Nimetön ehdotus","anonymous":true}`, m.discuss)).Data.(*session.IdeaAdded).Idea
	keep := m.idea(t, m.liisa, "Avustushaku yhdelle lomakkeelle")
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.matti, off)
	m.vote(t, m.matti, anon)

	e := mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, off))
	if d := e.Data.(*session.IdeaHidden); !d.Hidden || d.Restored != nil {
		t.Fatalf("hide event = %+v", d)
	}
	if !m.ideaByID(t, off).Hidden {
		t.Fatal("idea not hidden")
	}
	for _, r := range m.tbl.Results(m.discuss) {
		if r.Idea == off {
			t.Fatal("a hidden idea is in the results")
		}
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, off), session.CodeNoChange)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":%q}`, off), session.CodeIdeaHidden)
	// A dot on an idea that was hidden can still be taken back.
	mustDo(t, m, m.matti, cmdf(t, `{"op":"vote.remove","idea":%q}`, off))

	// Unhiding carries the idea as it is, for clients that never saw it.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, anon))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.reveal","item":%q,"revealed":true}`, m.discuss))
	e = mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, anon))
	d := e.Data.(*session.IdeaHidden)
	if d.Hidden || d.Restored == nil || d.Restored.ID != anon || d.Restored.Hidden || d.Restored.Votes != 1 || !d.Revealed {
		t.Fatalf("unhide event = %+v restored %+v", d, d.Restored)
	}
	if m.ideaByID(t, anon).Hidden {
		t.Fatal("idea still hidden")
	}
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.unhide","idea":%q}`, anon), session.CodeNoChange)
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":"id-999"}`), session.CodeNoIdea)
	refuse(t, m, m.liisa, cmdf(t, `{"op":"idea.hide","idea":%q}`, keep), session.CodeForbidden)
	m.phase(t, m.discuss, session.PhaseCollect)
	dup := m.idea(t, m.matti, "Avustushaku yhteen lomakkeeseen")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, dup, keep))
	refuse(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, dup), session.CodeIdeaMerged)
}

func TestMergeIdea(t *testing.T) {
	m := newMeeting(t)
	mustDo(t, m, m.fac, cmdf(t, `{"op":"item.voting","item":%q,"dots":5}`, m.discuss))
	target := m.idea(t, m.liisa, "Järjestöyhdyshenkilö kaupungille")
	dup := m.idea(t, m.matti, "Yhteyshenkilö järjestöille")
	child := m.idea(t, m.pekka, "Kaupungille järjestökoordinaattori")
	other := m.idea(t, m.aino, "Nuorisovaltuusto mukaan")
	m.phase(t, m.discuss, session.PhaseVote)
	m.vote(t, m.matti, dup)
	m.vote(t, m.aino, dup)
	m.vote(t, m.aino, target)
	m.vote(t, m.pekka, child)
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":4}`, dup))
	mustDo(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":2}`, target))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"room.dots","idea":%q,"group":%q,"dots":1}`, child, m.room))
	castBefore := m.item(t, m.discuss).Cast

	// child → dup first, so dup carries a merged child.
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, child, dup))
	if d := m.ideaByID(t, dup); d.Votes != 3 || d.RoomDots[m.room] != 5 || !slices.Equal(d.Merged, []string{child}) {
		t.Fatalf("after the first merge dup = %+v", d)
	}

	e := mustDo(t, m, m.fac, cmdf(t, `{"id":"m1","op":"idea.merge","idea":%q,"into":%q}`, dup, target))
	md := e.Data.(*session.IdeaMerged)
	if md.Idea != dup || md.Into != target || md.Item != m.discuss || md.Votes != 4 || md.RoomDots[m.room] != 7 || md.Revealed {
		t.Fatalf("merge event = %+v", md)
	}
	tg, src, ch := m.ideaByID(t, target), m.ideaByID(t, dup), m.ideaByID(t, child)
	if tg.Votes != 4 || tg.RoomDots[m.room] != 7 || tg.Total() != 11 {
		t.Fatalf("target tally = votes %d room %v total %d, want 4, 7, 11", tg.Votes, tg.RoomDots, tg.Total())
	}
	if !slices.Equal(tg.Merged, []string{dup, child}) {
		t.Fatalf("target merged = %v, want [dup child]", tg.Merged)
	}
	if src.MergedInto != target || src.Votes != 0 || src.RoomDots != nil || len(src.Merged) != 0 {
		t.Fatalf("source after merge = %+v", src)
	}
	if ch.MergedInto != target {
		t.Fatalf("the source's merged child points to %q, want the final target", ch.MergedInto)
	}
	if m.item(t, m.discuss).Cast != castBefore {
		t.Fatal("merging changed how many dots were cast")
	}
	res := m.tbl.Results(m.discuss)
	if len(res) != 2 || res[0].Idea != target || res[0].Total != 11 || res[1].Idea != other {
		t.Fatalf("results = %+v", res)
	}

	// Ballots moved: Matti and Pekka can take back their dots from the target.
	if m.tbl.Ballots[m.discuss][m.matti.ID][target] != 1 || m.tbl.Ballots[m.discuss][m.aino.ID][target] != 2 {
		t.Fatalf("ballots = %v", m.tbl.Ballots[m.discuss])
	}
	refuse(t, m, m.matti, cmdf(t, `{"op":"vote.remove","idea":%q}`, dup), session.CodeNoVote)
	mustDo(t, m, m.matti, cmdf(t, `{"op":"vote.remove","idea":%q}`, target))
	mustDo(t, m, m.pekka, cmdf(t, `{"op":"vote.remove","idea":%q}`, target))
	if tg.Votes != 2 {
		t.Fatalf("target votes = %d after two dots taken back", tg.Votes)
	}
	// Aino had one dot on each: after the merge she holds two on the target.
	mustDo(t, m, m.aino, cmdf(t, `{"op":"vote.remove","idea":%q}`, target))
	mustDo(t, m, m.aino, cmdf(t, `{"op":"vote.remove","idea":%q}`, target))
	refuse(t, m, m.aino, cmdf(t, `{"op":"vote.remove","idea":%q}`, target), session.CodeNoVote)

	// Merged ideas take no votes or dots.
	refuse(t, m, m.liisa, cmdf(t, `{"op":"vote.add","idea":%q}`, dup), session.CodeIdeaMerged)
	refuse(t, m, m.scribe, cmdf(t, `{"op":"room.dots","idea":%q,"dots":9}`, child), session.CodeIdeaMerged)
}

func TestMergeIdeaRefusals(t *testing.T) {
	m := newMeeting(t)
	a := m.idea(t, m.matti, "Liikuntapaikat maksutta")
	b := m.idea(t, m.liisa, "Salivuorot ilmaiseksi")
	c := m.idea(t, m.aino, "Nuorisovaltuusto mukaan")
	hidden := m.idea(t, m.pekka, "Aiheen ohi")
	m.open(t, m.steps)
	elsewhere := m.ideaOn(t, m.matti, m.steps, "Toteuttajatiimi kokoon")
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, b, a))
	mustDo(t, m, m.fac, cmdf(t, `{"op":"idea.hide","idea":%q}`, hidden))

	merge := func(idea, into string) session.Command {
		return cmdf(t, `{"op":"idea.merge","idea":%q,"into":%q}`, idea, into)
	}
	tests := []struct {
		name string
		cmd  session.Command
		code string
	}{
		{"same idea", merge(a, a), session.CodeSameIdea},
		{"different items", merge(c, elsewhere), session.CodeOtherItem},
		{"source already merged", merge(b, c), session.CodeIdeaMerged},
		{"target already merged", merge(c, b), session.CodeIdeaMerged},
		{"source hidden", merge(hidden, c), session.CodeIdeaHidden},
		{"target hidden", merge(c, hidden), session.CodeIdeaHidden},
		{"unknown source", merge("id-999", c), session.CodeNoIdea},
		{"unknown target", merge(c, "id-999"), session.CodeNoIdea},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			refuse(t, m, m.fac, tc.cmd, tc.code)
		})
	}
	refuse(t, m, m.matti, merge(c, a), session.CodeForbidden)
	refuse(t, m, m.scribe, merge(c, a), session.CodeForbidden)
}
