package static_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/poyta/poyta/session"
)

// TestFoldSeries runs the browser's fold (static/web/js/fold.js) on the
// events of a table that continues a series: table.created with the
// earlier table's open actions, and followup.marked carrying one on,
// marking one done and one dropped. A browser never folds table.created in
// practice (a new connection gets a snapshot), so the play-through cannot
// check it. After each event the folded view must equal ViewFor, the
// snapshot the server would send, for a facilitator and for the room
// screen, as session/fold.go's property test demands of the Go fold.
func TestFoldSeries(t *testing.T) {
	now := time.Date(2027, 4, 8, 17, 0, 0, 0, time.UTC)
	env := session.Env{Now: now, NewID: uuid.NewString}
	fac := session.Who{Role: session.RoleFacilitator}
	apply := func(tb *session.Table, e session.Event) session.Event {
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		return e
	}
	do := func(tb *session.Table, msg string) session.Event {
		t.Helper()
		_, _, cmd, err := session.ParseCommand([]byte(msg))
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		e, err := session.Decide(tb, fac, cmd, env)
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		return apply(tb, e)
	}
	secrets := func(code string) session.Secrets {
		return session.Secrets{ID: uuid.NewString(), Code: code, Key: make([]byte, 32), FacilitatorSecret: "salaisuus-" + code}
	}

	// The earlier table: three actions, one already done.
	var prev session.Table
	e, err := session.NewTable(session.NewTableInput{Title: "Ähtärin ja Soinin kumppanuuspöytä", Date: "2027-02-25", Lang: "fi",
		Agenda: []session.ItemInput{{Title: "Keskustelu", Question: "Mikä tekisi kunnastamme järjestöystävällisemmän?", Timebox: 50}}}, secrets("KP-AAAA-BBBB"), env)
	if err != nil {
		t.Fatal(err)
	}
	earlier := []session.Event{apply(&prev, e)}
	item := prev.Items[0].ID
	for _, a := range []string{`"title":"Kunnan tilat maksutta yhdistyksille","owners":[{"org":"Ähtärin kaupunki"},{"org":"<img src=x onerror=alert(1)>"}],"due":"2027-04-30"`,
		`"title":"Yhdistysinfo kirjastolla"`, `"title":"Avustushaun selkokielinen ohje"`, `"title":"Jo tehty"`} {
		earlier = append(earlier, do(&prev, fmt.Sprintf(`{"op":"action.add","item":%q,%s}`, item, a)))
	}
	earlier = append(earlier, do(&prev, fmt.Sprintf(`{"op":"action.edit","action":%q,"status":"done"}`, prev.ActionOrder[3])))
	// Between the tables, an owner reports through an update link.
	link := do(&prev, fmt.Sprintf(`{"op":"action.link","action":%q,"label":"Liisa / Ähtärin kaupunki"}`, prev.ActionOrder[0]))
	earlier = append(earlier, link)
	linkID := link.Data.(*session.ActionLinked).Link.ID
	upd, err := session.Decide(&prev, session.Who{Role: session.RoleOwner, ID: linkID}, &session.UpdateAction{Status: "in_progress", Note: "Sopimus valmisteilla."}, env)
	if err != nil {
		t.Fatal(err)
	}
	earlier = append(earlier, apply(&prev, upd))
	earlier = append(earlier, do(&prev, fmt.Sprintf(`{"op":"action.unlink","link":%q}`, linkID)))

	// The next table of the series, and the review.
	var next session.Table
	created, err := session.NewTableFrom(session.NewTableInput{Title: "Alavuden kumppanuuspöytä", Date: "2027-04-08"}, secrets("KP-CCCC-DDDD"), &prev, env)
	if err != nil {
		t.Fatal(err)
	}
	events := []session.Event{apply(&next, created)}
	if len(next.FollowUps) != 3 {
		t.Fatalf("%d follow-ups, want 3", len(next.FollowUps))
	}
	for _, m := range []string{
		`{"op":"followup.mark","action":%q,"outcome":"carried"}`,
		`{"op":"followup.mark","action":%q,"outcome":"done","note":"Aloitettu maaliskuussa.\nJatkuu."}`,
		`{"op":"followup.mark","action":%q,"outcome":"dropped"}`,
	} {
		events = append(events, do(&next, fmt.Sprintf(m, next.FollowUps[len(events)-1].Action)))
	}
	// Marking again never carries twice; taking the outcome back keeps the action.
	events = append(events, do(&next, fmt.Sprintf(`{"op":"followup.mark","action":%q,"outcome":"carried","note":"Vastuu kaupungilla."}`, next.FollowUps[0].Action)))
	events = append(events, do(&next, fmt.Sprintf(`{"op":"followup.mark","action":%q,"outcome":""}`, next.FollowUps[0].Action)))

	s := startSite(t)
	b := newBrowser(t, s)
	p := b.tab("fold", false)
	p.open("/")
	p.until(`document.querySelector('.create-card')`)
	p.until(`(import('/js/fold.js').then((m) => { window.__fold = m.fold; }), true)`)
	p.until(`typeof window.__fold === 'function'`)

	// Replay each table from its first event, checking the view after each:
	// the earlier table (it continues nothing: followUps is []) and the next.
	for _, table := range [][]session.Event{earlier, events} {
		checkJSFold(t, p, table, []session.Who{fac, {Role: session.RoleScreen}})
	}
}

// checkJSFold replays events from the first in the browser's fold, for
// each observer, and checks the folded view after each event against
// ViewFor, the snapshot the server would send at that seq.
func checkJSFold(t *testing.T, p *tab, events []session.Event, observers []session.Who) {
	t.Helper()
	for _, who := range observers {
		var replay session.Table
		for _, e := range events {
			replay.Apply(e)
			data := session.ProjectFor(e, who, replay.GroupOf(who))
			me, _ := json.Marshal(map[string]string{"role": string(who.Role), "you": who.ID})
			start := "{seq: 0}"
			if e.Seq > 1 {
				start = "window.__view"
			}
			var got string
			if data == nil {
				// Not sent to this observer: its view stays, but for the seq.
				got = p.eval(`JSON.stringify(window.__view)`)
			} else {
				msg, _ := json.Marshal(map[string]any{"type": "event", "seq": e.Seq, "at": e.Time, "event": e.Type, "data": data})
				got = p.eval(`(() => { const v = %s; if (!window.__fold(v, %s, %s)) return 'refused'; window.__view = v; return JSON.stringify(v); })()`, start, msg, me)
			}
			view := replay.ViewFor(who)
			if data == nil {
				var folded struct{ Seq int64 }
				json.Unmarshal([]byte(got), &folded)
				view.Seq = folded.Seq
			}
			want, _ := json.Marshal(view)
			var g, w any
			if err := json.Unmarshal([]byte(got), &g); err != nil {
				t.Fatalf("%s %s: fold of %s at seq %d: %s", who.Role, who.ID, e.Type, e.Seq, got)
			}
			json.Unmarshal(want, &w)
			if diffs := jsonDiff("view", g, w, nil); len(diffs) > 0 {
				t.Errorf("%s %s: after %s at seq %d the browser's fold differs from ViewFor:\n  %s", who.Role, who.ID, e.Type, e.Seq, strings.Join(diffs, "\n  "))
			}
		}
	}
}

// TestFoldModerationAndCoFacilitators runs the browser's fold on a
// moderated table: ideas that wait for review reach only facilitators and
// their author (marked waiting), an edit of one likewise, an approval
// brings one to everyone, hiding another is its review; and on a
// co-facilitator added and removed, whom only facilitators learn of.
func TestFoldModerationAndCoFacilitators(t *testing.T) {
	now := time.Date(2027, 4, 8, 17, 0, 0, 0, time.UTC)
	env := session.Env{Now: now, NewID: uuid.NewString}
	fac := session.Who{Role: session.RoleFacilitator}
	var tb session.Table
	var events []session.Event
	do := func(who session.Who, msg string) session.Event {
		t.Helper()
		_, _, cmd, err := session.ParseCommand([]byte(msg))
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		e, err := session.Decide(&tb, who, cmd, env)
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		events = append(events, e)
		return e
	}
	created, err := session.NewTable(session.NewTableInput{Title: "Mikkelin kumppanuuspöytä", Lang: "fi", Moderated: true, AllowAnonymous: true, Plain: true,
		Agenda: []session.ItemInput{{Title: "Ideointi", Question: "Mitä tehdään yhdessä?"}}},
		session.Secrets{ID: uuid.NewString(), Code: "KP-EEEE-FFFF", Key: make([]byte, 32), FacilitatorSecret: "salaisuus"}, env)
	if err != nil {
		t.Fatal(err)
	}
	tb.Apply(created)
	events = append(events, created)
	join := func(name string) session.Who {
		e, err := session.Decide(&tb, session.Who{Role: session.RoleGuest}, &session.Join{Name: name, Sector: "association", TokenHash: session.HashSecret(name)}, env)
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		events = append(events, e)
		return session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID}
	}
	matti, liisa := join("Matti Meikäläinen"), join("Liisa Virtanen")
	item := tb.Items[0].ID
	idea := func(who session.Who, text string, anon bool) string {
		e := do(who, fmt.Sprintf(`{"op":"idea.add","item":%q,"text":%q,"anonymous":%t}`, item, text, anon))
		return e.Data.(*session.IdeaAdded).Idea
	}
	a := idea(matti, "Kylätalot yhteiskäyttöön", false)
	b := idea(matti, "<b>Aiheen ohi</b>", true)
	c := idea(liisa, "Yhteinen tapahtumakalenteri", true)
	do(matti, fmt.Sprintf(`{"op":"idea.edit","idea":%q,"text":"Kylätalot ja koulut yhteiskäyttöön"}`, a))
	do(fac, fmt.Sprintf(`{"op":"idea.approve","idea":%q}`, a))
	do(fac, fmt.Sprintf(`{"op":"idea.hide","idea":%q}`, b))
	do(fac, fmt.Sprintf(`{"op":"idea.approve","idea":%q}`, c))
	do(fac, `{"op":"table.edit","moderated":false,"captionsOnScreen":true}`)
	do(fac, `{"op":"table.edit","plain":false}`)
	do(fac, `{"op":"table.edit","plain":true}`)
	do(fac, fmt.Sprintf(`{"op":"ideas.import","item":%q,"rows":[{"text":"Paperilta: kylätalot auki","onBehalf":"Kaisa Koski","dots":4},{"text":"Toinen paperi-idea"}]}`, tb.Items[0].ID))
	do(fac, fmt.Sprintf(`{"op":"item.reveal","item":%q,"revealed":true}`, tb.Items[0].ID))
	for _, line := range []string{"Puheenjohtaja avaa kokouksen.", "Kysymyksiä?", "Seuraava puhuja.", "Kiitos.", "Tauko.", "Jatketaan."} {
		do(session.Who{Role: session.RoleInterpreter}, fmt.Sprintf(`{"op":"caption.add","text":%q}`, line))
	}
	idea(liisa, "Ilman tarkastusta", false)
	added := do(fac, `{"op":"facilitator.add","name":"Sanna Koordinaattori"}`).Data.(*session.FacilitatorAdded)
	co := session.Who{Role: session.RoleFacilitator, ID: added.Facilitator.ID}
	do(co, `{"op":"facilitator.add","name":"Jukka Järjestäjä"}`)
	do(fac, fmt.Sprintf(`{"op":"facilitator.remove","facilitator":%q}`, co.ID))

	s := startSite(t)
	br := newBrowser(t, s)
	p := br.tab("fold", false)
	p.open("/")
	p.until(`document.querySelector('.create-card')`)
	p.until(`(import('/js/fold.js').then((m) => { window.__fold = m.fold; }), true)`)
	p.until(`typeof window.__fold === 'function'`)
	checkJSFold(t, p, events, []session.Who{fac, co, matti, liisa, {Role: session.RoleScreen}})
}

// TestFoldGroupWork runs the browser's fold on a private group work: two
// online groups and a room group, ideas, votes, reporters, summaries,
// picks, a help call, a video room, a move, a newcomer placed in a group, a
// removal, a broadcast and the report-back. Each observer folds what it is
// sent (nothing of another group's content) and must equal ViewFor.
func TestFoldGroupWork(t *testing.T) {
	now := time.Date(2027, 4, 8, 17, 0, 0, 0, time.UTC)
	n := 0
	env := session.Env{Now: now, NewID: func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }}
	fac := session.Who{Role: session.RoleFacilitator}
	var tb session.Table
	var events []session.Event
	apply := func(e session.Event) session.Event {
		e.Seq = tb.Seq + 1
		tb.Apply(e)
		events = append(events, e)
		return e
	}
	do := func(who session.Who, format string, args ...any) session.Event {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		_, _, cmd, err := session.ParseCommand([]byte(msg))
		if err != nil {
			t.Fatalf("%s: %v", msg, err)
		}
		e, err := session.Decide(&tb, who, cmd, env)
		if err != nil {
			t.Fatalf("%s as %s: %v", msg, who.Role, err)
		}
		return apply(e)
	}
	created, err := session.NewTable(session.NewTableInput{Title: "Etelä-Pohjanmaan kumppanuuspöytä", Lang: "fi", AllowAnonymous: true,
		Agenda: []session.ItemInput{{Title: "Ryhmätyö", Question: "Miten järjestöt ja kunta tekevät yhdessä?"}}},
		session.Secrets{ID: uuid.NewString(), Code: "KP-GGGG-HHHH", Key: make([]byte, 32), FacilitatorSecret: "salaisuus"}, env)
	if err != nil {
		t.Fatal(err)
	}
	apply(created)
	join := func(name, sector string) session.Who {
		e, err := session.Decide(&tb, session.Who{Role: session.RoleGuest}, &session.Join{Name: name, Sector: sector, TokenHash: session.HashSecret(name)}, env)
		if err != nil {
			t.Fatal(err)
		}
		return session.Who{Role: session.RoleParticipant, ID: apply(e).Data.(*session.ParticipantJoined).ID}
	}
	matti, liisa, aino, pekka := join("Matti Meikäläinen", "association"), join("Liisa Virtanen", "municipality"),
		join("Aino Asukas", "resident"), join("Pekka Korhonen", "business")
	room := do(fac, `{"op":"group.add","name":"Sali, pöytä 2"}`).Data.(*session.GroupAdded).Group.ID
	scribe := session.Who{Role: session.RoleScribe, ID: room}
	item := tb.Items[0].ID
	started := do(fac, `{"op":"groups.start","item":%q,"groups":[{"name":"Ryhmä 1","topic":"Tilat"},{"name":"Ryhmä 2"}],"rooms":[%q],"placement":"mixed","dots":2}`, item, room).Data.(*session.GroupsStarted)
	g1 := started.Members[matti.ID]
	var other session.Who
	for _, w := range []session.Who{liisa, aino, pekka} {
		if started.Members[w.ID] == g1 && other.ID == "" {
			other = w
		}
	}
	if other.ID == "" {
		other = liisa
		do(fac, `{"op":"group.move","participant":%q,"group":%q}`, liisa.ID, g1)
	}
	a := do(matti, `{"op":"idea.add","item":%q,"text":"Kylätalot yhteiskäyttöön"}`, item).Data.(*session.IdeaAdded).Idea
	do(other, `{"op":"idea.add","item":%q,"text":"Nimetön ajatus","anonymous":true}`, item)
	salin := do(scribe, `{"op":"idea.add","item":%q,"text":"Salin idea"}`, item).Data.(*session.IdeaAdded).Idea
	do(other, `{"op":"vote.add","idea":%q}`, a)
	do(matti, `{"op":"group.reporter","participant":%q}`, matti.ID)
	do(matti, `{"op":"group.summary","summary":"Tilat kaikkien käyttöön"}`)
	do(matti, `{"op":"group.pick","idea":%q,"picked":true}`, a)
	// Two groups' picks: the report-back adds two ideas in one event, in order.
	do(scribe, `{"op":"group.pick","idea":%q,"picked":true}`, salin)
	do(other, `{"op":"group.help","help":true}`)
	do(fac, `{"op":"group.video","group":%q,"link":"https://meet.example.fi/ryhma-1"}`, g1)
	do(fac, `{"op":"groups.broadcast","text":"Viisi minuuttia!"}`)
	late := join("Eeva Ek", "education")
	var mover session.Who
	for _, w := range []session.Who{liisa, aino, pekka} {
		if g := tb.GroupOf(w); g != g1 && g != "" && mover.ID == "" {
			mover = w
		}
	}
	if mover.ID != "" {
		do(fac, `{"op":"group.move","participant":%q,"group":%q}`, mover.ID, g1)
	}
	do(fac, `{"op":"participant.remove","participant":%q}`, late.ID)
	do(fac, `{"op":"groups.end"}`)

	s := startSite(t)
	br := newBrowser(t, s)
	p := br.tab("fold", false)
	p.open("/")
	p.until(`document.querySelector('.create-card')`)
	p.until(`(import('/js/fold.js').then((m) => { window.__fold = m.fold; }), true)`)
	p.until(`typeof window.__fold === 'function'`)
	checkJSFold(t, p, events, []session.Who{fac, matti, liisa, aino, pekka, scribe, {Role: session.RoleScreen}})
}
