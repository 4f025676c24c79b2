package minutes

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/poyta/poyta/session"
)

// labels are the fixed texts of the minutes in one language.
type labels struct {
	Doc, Draft                                  string
	Theme, Time, Place, Online                  string
	Facilitator, Facilitators                   string
	Attendance, Total                           string // Total has one %d
	ByOrg, BySector, Org, Sector, Count, Names  string
	NoOrg                                       string
	Question, Presenter, Timebox                string // Timebox has one %d
	Notes, Ideas, IdeasRanked, NoIdeas          string
	HiddenIdeas, Hidden, Merged, GroupPrefix    string
	Participants                                string // source of participants' dots
	DotOne, DotMany                             string // one %d each
	Actions, NoActions                          string
	What, Who, Due, Status, Item, ItemCol       string // ItemCol heads the action table's item column ("5. Title")
	Participant                                 string // an owner without a name
	FollowUp, FollowTable, FollowNote           string
	LiveText, LiveBefore                        string // the interpreter's live text; its lines before the first item
	Rank, Idea, AuthorCol, TotalCol, VotesCol   string // CSV of ideas
	RoomDotsCol, MergedInto, HiddenCol, Yes, No string
	Clock                                       string // before a time span: "klo"
	ClockSep                                    string // between hours and minutes
	Months, Weekdays                            []string
	Sectors, Statuses, Follow                   map[string]string
	FilePrefix, ActionsPrefix, IdeasPrefix      string

	// Group work.
	GroupWork, Grouping, GroupVote, Each  string // Each has one %s: "2 pistettä kullakin"
	Placements                            map[string]string
	WorkRunning                           string
	Topic, InRoom, Members, MemberCount   string // InRoom: where a room group worked
	Orgs, SectorsLabel, Reporter, Summary string
	Brought, Picking, SummaryBrought      string // Picking: Brought while the work runs
	GroupCol, WorkCol, OwnIdea, OwnPicked string // CSV of ideas
	FromGroup                             string
}

var allLabels = map[string]*labels{
	"fi": {
		Doc: "Muistio", Draft: "Luonnos: pöytä on vielä käynnissä.",
		Theme: "Teema", Time: "Aika", Place: "Paikka", Online: "Verkossa",
		Facilitator: "Fasilitaattori", Facilitators: "Fasilitaattorit",
		Attendance: "Osallistujat", Total: "Osallistujia yhteensä %d.",
		ByOrg: "Organisaatioittain", BySector: "Sektoreittain", Org: "Organisaatio", Sector: "Sektori",
		Count: "Määrä", Names: "Nimet", NoOrg: "Ei organisaatiota",
		Question: "Kysymys", Presenter: "Alustaja", Timebox: "%d min",
		Notes: "Muistiinpanot ja päätökset", Ideas: "Ideat", IdeasRanked: "Ideat äänten mukaan", NoIdeas: "Ei ideoita.",
		HiddenIdeas: "Piilotetut ideat", Hidden: "piilotettu", Merged: "Yhdistetty tähän", GroupPrefix: "Ryhmä",
		Participants: "osallistujat", DotOne: "%d piste", DotMany: "%d pistettä",
		Actions: "Sovitut toimenpiteet", NoActions: "Toimenpiteitä ei sovittu.",
		What: "Toimenpide", Who: "Vastuutaho", Due: "Määräaika", Status: "Tila", Item: "Asialistan kohta", ItemCol: "Kohta",
		Participant: "osallistuja",
		FollowUp:    "Edellisten pöytien toimenpiteiden seuranta", FollowTable: "Pöytä", FollowNote: "Huomiot",
		LiveText: "Kirjoitustulkkaus", LiveBefore: "Ennen ensimmäistä kohtaa",
		Rank: "Sija", Idea: "Idea", AuthorCol: "Esittäjä", TotalCol: "Pisteet yhteensä", VotesCol: "Osallistujien pisteet",
		RoomDotsCol: "Ryhmien pisteet", MergedInto: "Yhdistetty ideaan", HiddenCol: "Piilotettu", Yes: "kyllä", No: "",
		Clock: "klo ", ClockSep: ".",
		Months:   []string{"tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"},
		Weekdays: []string{"sunnuntai", "maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai"},
		Sectors: map[string]string{"municipality": "Kunta", "wellbeing": "Hyvinvointialue", "association": "Järjestö tai yhdistys",
			"business": "Yritys", "resident": "Asukas", "education": "Oppilaitos", "other": "Muu"},
		Statuses:   map[string]string{"open": "Avoin", "in_progress": "Käynnissä", "done": "Valmis"},
		Follow:     map[string]string{FollowDone: "Tehty", FollowCarried: "Jatkuu", FollowDropped: "Luovuttu", "": "Ei käsitelty"},
		FilePrefix: "muistio", ActionsPrefix: "toimenpiteet", IdeasPrefix: "ideat",
		GroupWork: "Ryhmätyö", Grouping: "Ryhmäjako", GroupVote: "Äänestys ryhmissä", Each: "%s kullakin",
		Placements: map[string]string{session.PlaceMixed: "sektorit sekoittaen", session.PlaceRandom: "satunnainen",
			session.PlaceChoice: "osallistujat valitsivat ryhmän aiheen mukaan", session.PlaceManual: "fasilitaattori jakoi ryhmät"},
		WorkRunning: "Ryhmätyö on vielä käynnissä.",
		Topic:       "Aihe", InRoom: "salissa, kirjurin kanssa", Members: "Jäsenet", MemberCount: "Jäseniä",
		Orgs: "Organisaatiot", SectorsLabel: "Sektorit", Reporter: "Raportoija", Summary: "Yhteenveto",
		Brought: "Yhteiseen keskusteluun tuodut", Picking: "Yhteiseen keskusteluun valitut",
		SummaryBrought: "Ryhmä ei valinnut ideoita; sen yhteenveto tuotiin yhteiseen keskusteluun.",
		GroupCol:       "Ryhmä", WorkCol: "Ryhmätyö", OwnIdea: "ryhmän oma idea",
		OwnPicked: "ryhmän oma idea, tuotu yhteiseen keskusteluun", FromGroup: "tuotu ryhmästä",
	},
	"sv": {
		Doc: "Minnesanteckningar", Draft: "Utkast: bordet pågår fortfarande.",
		Theme: "Tema", Time: "Tid", Place: "Plats", Online: "Online",
		Facilitator: "Facilitator", Facilitators: "Facilitatorer",
		Attendance: "Deltagare", Total: "Totalt %d deltagare.",
		ByOrg: "Per organisation", BySector: "Per sektor", Org: "Organisation", Sector: "Sektor",
		Count: "Antal", Names: "Namn", NoOrg: "Ingen organisation",
		Question: "Fråga", Presenter: "Inledare", Timebox: "%d min",
		Notes: "Anteckningar och beslut", Ideas: "Idéer", IdeasRanked: "Idéer enligt röster", NoIdeas: "Inga idéer.",
		HiddenIdeas: "Dolda idéer", Hidden: "dold", Merged: "Sammanslagen med ovanstående", GroupPrefix: "Grupp",
		Participants: "deltagarna", DotOne: "%d poäng", DotMany: "%d poäng",
		Actions: "Överenskomna åtgärder", NoActions: "Inga åtgärder överenskoms.",
		What: "Åtgärd", Who: "Ansvarig", Due: "Senast", Status: "Status", Item: "Punkt på dagordningen", ItemCol: "Punkt",
		Participant: "deltagare",
		FollowUp:    "Uppföljning av tidigare bords åtgärder", FollowTable: "Bord", FollowNote: "Kommentar",
		LiveText: "Skrivtolkning", LiveBefore: "Före första punkten",
		Rank: "Placering", Idea: "Idé", AuthorCol: "Förslagsställare", TotalCol: "Poäng totalt", VotesCol: "Deltagarnas poäng",
		RoomDotsCol: "Gruppernas poäng", MergedInto: "Sammanslagen med", HiddenCol: "Dold", Yes: "ja", No: "",
		Clock: "kl. ", ClockSep: ".",
		Months:   []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
		Weekdays: []string{"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"},
		Sectors: map[string]string{"municipality": "Kommun", "wellbeing": "Välfärdsområde", "association": "Förening eller organisation",
			"business": "Företag", "resident": "Invånare", "education": "Läroanstalt", "other": "Annat"},
		Statuses:   map[string]string{"open": "Öppen", "in_progress": "Pågår", "done": "Klar"},
		Follow:     map[string]string{FollowDone: "Klar", FollowCarried: "Fortsätter", FollowDropped: "Slopad", "": "Inte behandlad"},
		FilePrefix: "minnesanteckningar", ActionsPrefix: "atgarder", IdeasPrefix: "ideer",
		GroupWork: "Grupparbete", Grouping: "Gruppindelning", GroupVote: "Röstning i grupperna", Each: "%s var",
		Placements: map[string]string{session.PlaceMixed: "sektorerna blandade", session.PlaceRandom: "slumpmässig",
			session.PlaceChoice: "deltagarna valde grupp enligt tema", session.PlaceManual: "facilitatorn delade in grupperna"},
		WorkRunning: "Grupparbetet pågår fortfarande.",
		Topic:       "Tema", InRoom: "i salen, med sekreterare", Members: "Medlemmar", MemberCount: "Antal medlemmar",
		Orgs: "Organisationer", SectorsLabel: "Sektorer", Reporter: "Rapportör", Summary: "Sammanfattning",
		Brought: "Till den gemensamma diskussionen", Picking: "Valda för den gemensamma diskussionen",
		SummaryBrought: "Gruppen valde inga idéer; dess sammanfattning fördes till den gemensamma diskussionen.",
		GroupCol:       "Grupp", WorkCol: "Grupparbete", OwnIdea: "gruppens egen idé",
		OwnPicked: "gruppens egen idé, förd till den gemensamma diskussionen", FromGroup: "från gruppen",
	},
	"en": {
		Doc: "Minutes", Draft: "Draft: the table is still in progress.",
		Theme: "Theme", Time: "Time", Place: "Place", Online: "Online",
		Facilitator: "Facilitator", Facilitators: "Facilitators",
		Attendance: "Attendance", Total: "%d participants in all.",
		ByOrg: "By organisation", BySector: "By sector", Org: "Organisation", Sector: "Sector",
		Count: "Number", Names: "Names", NoOrg: "No organisation",
		Question: "Question", Presenter: "Presenter", Timebox: "%d min",
		Notes: "Notes and decisions", Ideas: "Ideas", IdeasRanked: "Ideas by votes", NoIdeas: "No ideas.",
		HiddenIdeas: "Hidden ideas", Hidden: "hidden", Merged: "Merged into this", GroupPrefix: "Group",
		Participants: "participants", DotOne: "%d dot", DotMany: "%d dots",
		Actions: "Agreed actions", NoActions: "No actions were agreed.",
		What: "Action", Who: "Who", Due: "Due", Status: "Status", Item: "Agenda item", ItemCol: "Item",
		Participant: "participant",
		FollowUp:    "Follow-up of earlier tables' actions", FollowTable: "Table", FollowNote: "Note",
		LiveText: "Live captions (speech-to-text interpreter)", LiveBefore: "Before the first item",
		Rank: "Rank", Idea: "Idea", AuthorCol: "Put forward by", TotalCol: "Total dots", VotesCol: "Participants' dots",
		RoomDotsCol: "Room groups' dots", MergedInto: "Merged into", HiddenCol: "Hidden", Yes: "yes", No: "",
		Clock: "", ClockSep: ":",
		Months:   []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		Weekdays: []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		Sectors: map[string]string{"municipality": "Municipality", "wellbeing": "Wellbeing services county", "association": "Association or NGO",
			"business": "Business", "resident": "Resident", "education": "Education", "other": "Other"},
		Statuses:   map[string]string{"open": "Open", "in_progress": "In progress", "done": "Done"},
		Follow:     map[string]string{FollowDone: "Done", FollowCarried: "Carried on", FollowDropped: "Dropped", "": "Not reviewed"},
		FilePrefix: "minutes", ActionsPrefix: "actions", IdeasPrefix: "ideas",
		GroupWork: "Group work", Grouping: "Grouping", GroupVote: "Voting in the groups", Each: "%s each",
		Placements: map[string]string{session.PlaceMixed: "mixed by sector", session.PlaceRandom: "at random",
			session.PlaceChoice: "participants chose a group by its topic", session.PlaceManual: "by the facilitator"},
		WorkRunning: "The group work is still in progress.",
		Topic:       "Topic", InRoom: "in the room, with a scribe", Members: "Members", MemberCount: "Members",
		Orgs: "Organisations", SectorsLabel: "Sectors", Reporter: "Reporter", Summary: "Summary",
		Brought: "Brought to the plenary", Picking: "Picked for the plenary",
		SummaryBrought: "The group picked no ideas; its summary was brought to the plenary.",
		GroupCol:       "Group", WorkCol: "Group work", OwnIdea: "the group's own idea",
		OwnPicked: "the group's own idea, brought to the plenary", FromGroup: "from the group",
	},
}

func labelsFor(lang string) *labels {
	if l, ok := allLabels[lang]; ok {
		return l
	}
	return allLabels["en"]
}

// dots says "1 piste", "7 pistettä".
func (l *labels) dots(n int) string {
	if n == 1 {
		return fmt.Sprintf(l.DotOne, n)
	}
	return fmt.Sprintf(l.DotMany, n)
}

// group labels an idea with its group: "Ryhmä: Sali, pöytä 2", or just
// "Ryhmä 3" when the name says it is a group already.
func (l *labels) group(name string) string {
	p := l.GroupPrefix
	if len(name) >= len(p) && strings.EqualFold(name[:len(p)], p) &&
		(len(name) == len(p) || name[len(p)] == ' ' || unicode.IsDigit(rune(name[len(p)]))) {
		return name
	}
	return p + ": " + name
}

func (l *labels) placement(s string) string {
	if v, ok := l.Placements[s]; ok {
		return v
	}
	return s
}

func (l *labels) sector(s string) string {
	if v, ok := l.Sectors[s]; ok {
		return v
	}
	return s
}

func (l *labels) status(s string) string {
	if v, ok := l.Statuses[s]; ok {
		return v
	}
	return s
}

func (l *labels) follow(s string) string {
	if v, ok := l.Follow[s]; ok {
		return v
	}
	return s
}

// date formats YYYY-MM-DD the local way: 25.2.2027 in Finnish and Swedish,
// 25 February 2027 in English. Anything else is returned as is.
func (l *labels) date(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	if l.ClockSep == ":" {
		return fmt.Sprintf("%d %s %d", d.Day(), l.Months[d.Month()-1], d.Year())
	}
	return fmt.Sprintf("%d.%d.%d", d.Day(), int(d.Month()), d.Year())
}

// longDate adds the weekday: "torstai 25.2.2027", "Thursday 25 February 2027".
func (l *labels) longDate(s string) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return l.Weekdays[d.Weekday()] + " " + l.date(s)
}

// clock formats HH:MM: 17.00 in Finnish and Swedish, 17:00 in English.
func (l *labels) clock(s string) string {
	return strings.Replace(s, ":", l.ClockSep, 1)
}

// when is the meeting's date and time: "torstai 25.2.2027 klo 17.00–19.00".
func (l *labels) when(h Header) string {
	var parts []string
	if h.Date != "" {
		parts = append(parts, l.longDate(h.Date))
	}
	span := ""
	switch {
	case h.Start != "" && h.End != "":
		span = l.clock(h.Start) + "–" + l.clock(h.End)
	case h.Start != "":
		span = l.clock(h.Start)
	}
	if span != "" {
		if l.ClockSep == ":" && len(parts) > 0 {
			parts[0] += ","
		}
		parts = append(parts, l.Clock+span)
	}
	return strings.Join(parts, " ")
}
