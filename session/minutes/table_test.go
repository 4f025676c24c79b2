package minutes_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/poyta/poyta/session"
)

// builder plays a table through session.NewTable, Decide and Apply with a
// fixed clock and readable ids, so the minutes of it are deterministic.
type builder struct {
	t   *testing.T
	tbl *session.Table
	now time.Time
	n   int
	fac session.Who
}

func (b *builder) env() session.Env {
	return session.Env{Now: b.now, NewID: func() string { b.n++; return fmt.Sprintf("id-%02d", b.n) }}
}

func newBuilder(t *testing.T, in session.NewTableInput, start time.Time) *builder {
	t.Helper()
	b := &builder{t: t, now: start, fac: session.Who{Role: session.RoleFacilitator}}
	sec := session.Secrets{ID: "tbl-ahtari-soini", Code: "KP-4F7K-9QX2", Key: make([]byte, 32), FacilitatorSecret: "facilitator-secret"}
	e, err := session.NewTable(in, sec, b.env())
	if err != nil {
		t.Fatalf("NewTable: %v", err)
	}
	b.tbl = new(session.Table)
	b.tbl.Apply(e)
	return b
}

// do decides and applies a command given as a protocol message, a minute
// after the previous one.
func (b *builder) do(who session.Who, format string, args ...any) session.Event {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	_, _, cmd, err := session.ParseCommand([]byte(msg))
	if err != nil {
		b.t.Fatalf("ParseCommand(%s): %v", msg, err)
	}
	return b.apply(who, cmd)
}

func (b *builder) apply(who session.Who, cmd session.Command) session.Event {
	b.t.Helper()
	b.now = b.now.Add(time.Minute)
	e, err := session.Decide(b.tbl, who, cmd, b.env())
	if err != nil {
		b.t.Fatalf("Decide(%s %T): %v", who.Role, cmd, err)
	}
	e.Seq = b.tbl.Seq + 1
	b.tbl.Apply(e)
	return e
}

func (b *builder) join(name, org, sector string) session.Who {
	b.t.Helper()
	e := b.apply(session.Who{Role: session.RoleGuest}, &session.Join{Name: name, Org: org, Sector: sector,
		TokenHash: session.HashSecret("token-" + name)})
	return session.Who{Role: session.RoleParticipant, ID: e.Data.(*session.ParticipantJoined).ID}
}

func (b *builder) idea(who session.Who, item, text string, extra string) string {
	b.t.Helper()
	e := b.do(who, `{"op":"idea.add","item":%q,"text":%q%s}`, item, text, extra)
	return e.Data.(*session.IdeaAdded).Idea
}

func (b *builder) vote(who session.Who, ideas ...string) {
	b.t.Helper()
	for _, i := range ideas {
		b.do(who, `{"op":"vote.add","idea":%q}`, i)
	}
}

func (b *builder) phase(item string, p session.Phase) {
	b.t.Helper()
	b.do(b.fac, `{"op":"item.phase","item":%q,"phase":%q}`, item, p)
}

func (b *builder) action(who session.Who, body string, args ...any) string {
	b.t.Helper()
	e := b.do(who, body, args...)
	return e.Data.(*session.ActionAdded).Action.ID
}

// groupWork plays the group work on the concrete steps of the Ähtäri and
// Soini table: two groups online, placed mixed by sector, and the hall's
// table with its scribe; a move, ideas (an anonymous one, a hidden one, a
// merged one), the groups' votes, reporters chosen by a member and by the
// facilitator, summaries, picks, the report-back (the hall's table picked
// nothing and brings its summary), and the plenary's vote on what the
// groups brought. It returns the plenary ideas made of the two most voted
// picks.
func groupWork(b *builder, item, room string) (varaus, opastus string) {
	b.t.Helper()
	fac := b.fac
	e := b.do(fac, `{"op":"groups.start","item":%q,"groups":[{"name":"Ryhmä 1","topic":"Tilat ja kyläkoulut"},{"name":"Ryhmä 2","topic":"Tiedotus ja tapahtumat"}],"rooms":[%q],"placement":"mixed","dots":2}`,
		item, room)
	g1 := e.Data.(*session.GroupsStarted).New[0].ID
	who := map[string]session.Who{}
	for _, id := range b.tbl.People {
		who[b.tbl.Participants[id].Name] = session.Who{Role: session.RoleParticipant, ID: id}
	}
	erkki, jussi, tuula, markku, aino := who["Erkki Mäkinen"], who["Jussi Peltoniemi"], who["Tuula Hakala"], who["Markku Hautala"], who["Aino Virtanen"]
	leena, sanna, riikka, paivi, mikko := who["Leena Koskinen"], who["Sanna Ojala"], who["Riikka Salo"], who["Päivi Niemelä"], who["Mikko Lahti"]
	scribe := session.Who{Role: session.RoleScribe, ID: room}
	if w := b.tbl.Works[0]; w.Members[erkki.ID] != g1 || w.Members[markku.ID] != g1 || w.Members[mikko.ID] == g1 {
		b.t.Fatalf("mixed placement changed: %v", w.Members)
	}
	// Mikko sits at the hall's table in Soini.
	b.do(fac, `{"op":"group.move","participant":%q,"group":%q}`, mikko.ID, room)

	// Ryhmä 1: premises and village schools.
	tilat := b.idea(jussi, item, "Sähköinen tilavarauskalenteri kunnan ja koulujen tiloille", "")
	avaimet := b.idea(aino, item, "Kylätalojen avaimet yhdistysten vastuuhenkilöille", `,"anonymous":true`)
	jumppa := b.idea(erkki, item, "Kyläkoulun liikuntasali eläkeläisten kuntojumppaan aamupäivisin", "")
	kunnantalo := b.idea(markku, item, "Soinin kunnantalon kokoushuoneet yhdistysten käyttöön iltaisin", "")
	testi := b.idea(tuula, item, "testi", "")
	b.do(fac, `{"op":"idea.hide","idea":%q}`, testi)
	b.vote(erkki, tilat, jumppa)
	b.vote(jussi, tilat, kunnantalo)
	b.vote(tuula, tilat, avaimet)
	b.vote(markku, kunnantalo, tilat)
	b.vote(aino, avaimet, jumppa)
	b.do(tuula, `{"op":"group.reporter","participant":%q}`, jussi.ID)
	b.do(jussi, `{"op":"group.summary","summary":%q}`,
		"Tiloja on, mutta niistä ei tiedetä eikä niitä saa helposti varattua.\nYhteinen varauskalenteri ratkaisisi suurimman osan ongelmista.")
	b.do(jussi, `{"op":"group.pick","idea":%q,"picked":true}`, tilat)
	b.do(jussi, `{"op":"group.pick","idea":%q,"picked":true}`, kunnantalo)

	// Ryhmä 2: information and events.
	tiedote := b.idea(leena, item, "Yhdistysten tiedotteet kunnan viikkotiedotteeseen kerran kuussa", "")
	ilta := b.idea(sanna, item, "Opastusilta tapahtumakalenterin käytöstä yhdistyksille", "")
	koulutus := b.idea(riikka, item, "Kalenterin käyttökoulutus yhdistysten hallituksille", "")
	info := b.idea(paivi, item, "Järjestöinfo KuusSoTen asiakasohjauksen tiimipalavereihin", "")
	b.do(fac, `{"op":"idea.merge","idea":%q,"into":%q}`, koulutus, ilta)
	b.vote(leena, tiedote, ilta)
	b.vote(sanna, ilta, info)
	b.vote(riikka, tiedote, ilta)
	b.vote(paivi, info)
	b.do(fac, `{"op":"group.reporter","group":%q,"participant":%q}`, b.tbl.Works[0].Members[sanna.ID], sanna.ID)
	b.do(sanna, `{"op":"group.summary","summary":%q}`,
		"Tieto yhdistysten toiminnasta ei nyt kulje kunnan eikä KuusSoTen asiakkaille asti. Ryhmä ehdottaa yhteistä kalenteria ja sen käytön opastusta sekä säännöllistä palstaa kunnan tiedotteessa.")
	b.do(sanna, `{"op":"group.pick","idea":%q,"picked":true}`, ilta)
	b.do(sanna, `{"op":"group.pick","idea":%q,"picked":true}`, tiedote)

	// The hall's table: its scribe writes, Mikko votes; it picks nothing.
	lehti := b.idea(scribe, item, "Kylien tapahtumat myös paikallislehteen ja kauppojen ilmoitustauluille", "")
	kauppa := b.idea(scribe, item, "Kyläkauppa jakaa tapahtumailmoituksia kassalla", "")
	b.vote(mikko, lehti, kauppa)
	b.do(scribe, `{"op":"group.summary","summary":%q}`,
		"Kaikki eivät käytä verkkoa: tapahtumista on kerrottava myös lehdessä, kyläkaupassa ja ilmoitustauluilla.")

	b.do(b.fac, `{"op":"groups.broadcast","text":"Viisi minuuttia aikaa: valitkaa, mitä tuotte yhteiseen keskusteluun."}`)
	ended := b.do(fac, `{"op":"groups.end"}`).Data.(*session.GroupsEnded)
	from := map[string]string{}
	for _, i := range ended.Ideas {
		from[i.Origin] = i.ID
		if i.Origin == "" {
			from["summary"] = i.ID
		}
	}
	varaus, opastus = from[tilat], from[ilta]

	// The plenary votes on what the groups brought.
	b.phase(item, session.PhaseVote)
	b.vote(riikka, varaus, opastus)
	b.vote(markku, varaus, from["summary"])
	b.vote(paivi, opastus)
	b.vote(erkki, varaus, from["summary"])
	b.vote(leena, from[tiedote], varaus)
	b.vote(jussi, varaus)
	b.vote(sanna, opastus, from[tiedote])
	b.vote(tuula, opastus)
	b.vote(aino, from["summary"])
	b.vote(mikko, from["summary"], from[kunnantalo])
	b.do(fac, `{"op":"item.reveal","item":%q,"revealed":true}`, item)
	return varaus, opastus
}

// ahtariSoini is the Ähtäri and Soini partnership table of
// shared/examples: a hybrid evening with ten participants from the two
// municipalities, the KuusSoTe joint authority, village associations,
// sports clubs, a pensioners' association, the Leader group, a local
// business and a resident, and a room group in Soini whose scribe entered
// ideas and hand-counted dots. It has merged, hidden and anonymous ideas,
// an idea entered on behalf of someone, and actions with several owners.
func ahtariSoini(t *testing.T) *session.Table {
	t.Helper()
	b := newBuilder(t, session.NewTableInput{
		Title: "Ähtärin ja Soinin kumppanuuspöytä", Theme: "Millainen on järjestöystävällinen kunta?",
		Date: "2027-02-25", Start: "17:00", End: "19:00",
		Room: "Soinin kunnantalo, valtuustosali", Link: "https://teams.example.fi/l/kumppanuuspoyta-ahtari-soini",
		Lang: "fi", Facilitator: "Sari Kivelä", AllowAnonymous: true, Dots: 3,
		Agenda: []session.ItemInput{
			{Title: "Kaupungin tervehdys", Presenter: "vs. kaupunginjohtaja, Ähtärin kaupunki", Timebox: 10},
			{Title: "Soinin kunnan tervehdys", Presenter: "kunnanjohtaja, Soinin kunta", Timebox: 10},
			{Title: "Kuntayhtymän tervehdys", Presenter: "johtaja, KuusSoTe", Question: "Millaista järjestöyhteistyötä kuntayhtymä tekee ja toivoo?", Timebox: 10},
			{Title: "Keskustelu: järjestöystävällinen kunta", Question: "Mikä tekisi kunnastamme järjestöystävällisemmän?", Timebox: 50},
			{Title: "Konkreettiset yhteistyön askeleet ja toteuttajatiimi", Timebox: 30},
		},
	}, time.Date(2027, 2, 25, 14, 30, 0, 0, time.UTC))
	fac := b.fac
	b.do(fac, `{"op":"table.edit","facilitators":["Sari Kivelä","Jouni Mattila"]}`)
	items := make([]string, len(b.tbl.Items))
	for n, it := range b.tbl.Items {
		items[n] = it.ID
	}
	greet, soini, kuussote, discuss, steps := items[0], items[1], items[2], items[3], items[4]

	riikka := b.join("Riikka Salo", "Ähtärin kaupunki", "municipality")
	markku := b.join("Markku Hautala", "Soinin kunta", "municipality")
	paivi := b.join("Päivi Niemelä", "KuusSoTe", "wellbeing")
	erkki := b.join("Erkki Mäkinen", "Ähtärin Eläkeläiset ry", "association")
	leena := b.join("Leena Koskinen", "Inhan kyläyhdistys ry", "association")
	jussi := b.join("Jussi Peltoniemi", "Ähtärin Urheilijat ry", "association")
	sanna := b.join("Sanna Ojala", "Soinin Sisu ry", "association")
	tuula := b.join("Tuula Hakala", "Kuudestaan ry", "association")
	aino := b.join("Aino Virtanen", "", "resident")
	mikko := b.join("Mikko Lahti", "Soinin Kyläkauppa Oy", "business")
	e := b.do(fac, `{"op":"group.add","name":"Sali, pöytä 2"}`)
	room := e.Data.(*session.GroupAdded).Group.ID
	scribe := session.Who{Role: session.RoleScribe, ID: room}

	b.do(fac, `{"op":"item.notes","item":%q,"notes":%q}`, greet,
		"Kaupunki pitää järjestöjä tärkeimpänä kumppaninaan: ilman yhdistyksiä moni tapahtuma jäisi pitämättä.\nAvustukset haetaan vuodesta 2027 alkaen sähköisesti.")
	b.phase(greet, session.PhaseClosed)
	b.do(fac, `{"op":"item.open","item":%q}`, soini)
	b.do(fac, `{"op":"item.notes","item":%q,"notes":%q}`, soini,
		"Pienessä kunnassa järjestöyhteistyö ei ole valinta vaan välttämättömyys. Kylätalot ovat kunnan tärkeimpiä kohtaamispaikkoja.")
	b.phase(soini, session.PhaseClosed)
	b.do(fac, `{"op":"item.open","item":%q}`, kuussote)
	b.do(fac, `{"op":"item.notes","item":%q,"notes":%q}`, kuussote,
		"Järjestöt tuottavat virkistystoimintaa kuntayhtymän asiakkaille. Toiveena on yhteinen palvelutarjotin, josta asiakasohjaus löytää järjestöjen toiminnan.")
	b.phase(kuussote, session.PhaseClosed)

	b.do(fac, `{"op":"item.open","item":%q}`, discuss)
	tilat := b.idea(jussi, discuss, "Kunnan tilat maksutta yhdistysten käyttöön iltaisin ja viikonloppuisin", "")
	kalenteri := b.idea(erkki, discuss, "Yhteinen tapahtumakalenteri kaikille yhdistyksille kunnan verkkosivuille", "")
	yhdys := b.idea(riikka, discuss, "Nimetty yhdyshenkilö kuntaan järjestöasioille", "")
	avustus := b.idea(leena, discuss, "Avustusten hakuun selkeämmät ohjeet ja vähemmän paperitöitä", `,"anonymous":true`)
	kylakoulu := b.idea(fac, discuss, "Kyläkoulujen tilat iltaisin kylätoiminnan käyttöön", `,"onBehalf":"Eeva Rantala, Hankolan kyläyhdistys"`)
	talo := b.idea(scribe, discuss, "Järjestöjen ja kuntien yhteinen kumppanuustalo Ähtärin keskustaan", "")
	verkko := b.idea(sanna, discuss, "Tapahtumakalenteri verkkoon niin, että yhdistykset voivat itse lisätä tapahtumansa", "")
	kyydit := b.idea(aino, discuss, "Kimppakyydit kylistä keskustan tapahtumiin", "")
	tarjotin := b.idea(paivi, discuss, "KuusSoTen ja järjestöjen yhteinen palvelutarjotin asiakasohjauksen käyttöön", "")
	kuusi := b.idea(mikko, discuss, "Kuka hoitaa torin joulukuusen tänä vuonna?", "")
	b.do(fac, `{"op":"idea.merge","idea":%q,"into":%q}`, verkko, kalenteri)
	b.do(fac, `{"op":"idea.hide","idea":%q}`, kuusi)

	b.phase(discuss, session.PhaseVote)
	b.vote(riikka, kalenteri, yhdys, tarjotin)
	b.vote(markku, tilat, kalenteri, kylakoulu)
	b.vote(paivi, tarjotin, avustus, kalenteri)
	b.vote(erkki, tilat, kalenteri, kyydit)
	b.vote(leena, tilat, avustus, kylakoulu)
	b.vote(jussi, tilat, talo, kalenteri)
	b.vote(sanna, kalenteri, tilat, avustus)
	b.vote(tuula, kalenteri, talo, yhdys)
	b.vote(aino, kyydit, kylakoulu, tilat)
	b.vote(mikko, talo, tilat)
	b.do(scribe, `{"op":"room.dots","idea":%q,"dots":7}`, tilat)
	b.do(scribe, `{"op":"room.dots","idea":%q,"dots":4}`, talo)
	b.do(scribe, `{"op":"room.dots","idea":%q,"dots":2}`, kalenteri)
	b.do(fac, `{"op":"item.reveal","item":%q,"revealed":true}`, discuss)
	b.do(fac, `{"op":"item.notes","item":%q,"notes":%q}`, discuss,
		"Keskustelussa korostuivat tilojen saatavuus ja tiedonkulku kunnan ja yhdistysten välillä.\n\nPäätettiin, että tilojen maksuttomasta käytöstä tehdään esitys Ähtärin kaupunginhallitukselle ja Soinin kunnanhallitukselle.")
	b.phase(discuss, session.PhaseClosed)

	b.do(fac, `{"op":"item.open","item":%q}`, steps)
	varaus, opastus := groupWork(b, steps, room)
	b.phase(steps, session.PhaseActions)
	b.action(fac, `{"op":"action.add","item":%q,"title":"Selvitetään kunnan tilojen maksuton käyttö yhdistyksille","ideas":[%q],"owners":[{"participant":%q},{"participant":%q,"org":"Soinin kunta"}],"due":"2027-04-30","status":"in_progress"}`,
		steps, tilat, riikka.ID, markku.ID)
	b.action(fac, `{"op":"action.add","item":%q,"title":"Perustetaan yhteinen tapahtumakalenteri ja kerrotaan siitä yhdistyksille","ideas":[%q],"owners":[{"participant":%q,"org":"Kuudestaan ry"},{"participant":%q},{"org":"Ähtärin kaupungin viestintä"}],"due":"2027-03-31"}`,
		steps, kalenteri, tuula.ID, sanna.ID)
	b.action(fac, `{"op":"action.add","item":%q,"title":"Kootaan toteuttajatiimi ja sovitaan seuraava tapaaminen","owners":[{"org":"Järjestöt mukana muutoksessa -hanke"},{"participant":%q}],"due":"2027-03-15","status":"done"}`,
		steps, paivi.ID)
	kimppa := b.action(aino, `{"op":"action.add","title":"Kokeillaan kimppakyytejä kevään tapahtumiin","ideas":[%q],"volunteer":true}`, kyydit)
	b.do(fac, `{"op":"action.edit","action":%q,"due":"2027-05-31"}`, kimppa)
	b.action(fac, `{"op":"action.add","item":%q,"title":"Otetaan käyttöön sähköinen tilavarauskalenteri kunnan ja koulujen tiloille","ideas":[%q],"owners":[{"participant":%q},{"org":"Ähtärin kaupungin sivistyspalvelut"}],"due":"2027-08-31"}`,
		steps, varaus, jussi.ID)
	b.action(fac, `{"op":"action.add","item":%q,"title":"Järjestetään yhdistyksille opastusilta tapahtumakalenterin käytöstä","ideas":[%q],"owners":[{"participant":%q}],"due":"2027-04-15"}`,
		steps, opastus, sanna.ID)
	b.do(fac, `{"op":"item.notes","item":%q,"notes":%q}`, steps,
		"Toteuttajatiimiin tulevat kuntien, KuusSoTen ja Leader-ryhmän edustajat. Seuraava kumppanuuspöytä pidetään syksyllä.")
	b.phase(steps, session.PhaseClosed)
	b.do(fac, `{"op":"table.close"}`)
	return b.tbl
}
