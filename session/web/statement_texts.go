package web

import "html/template"

// statementTexts are the product's part of the statements, by language.
// They are HTML written here, never user input. Keep them true: when the
// product changes, change them, and the known shortcomings with them.
var statementTexts = map[string]map[string]template.HTML{
	"fi": {
		"missing":    "Käyttöönottajan täytettävä",
		"langs":      "Kieli",
		"org":        "palvelun ylläpitäjä (organisaatio)",
		"a.title":    "Saavutettavuusseloste",
		"a.intro":    "Tämä saavutettavuusseloste koskee kumppanuuspöytien Pöytä-verkkopalvelua, jota ylläpitää",
		"a.reviewed": "Käyttöönottaja on arvioinut selosteen viimeksi",
		"a.date":     "arvioinnin päivämäärä",
		"a.status.h": "Palvelun saavutettavuuden tila",
		"a.status":   "Pöytä täyttää WCAG 2.1 -ohjeistuksen AA-tason saavutettavuusvaatimukset osittain. Tavoitteena on WCAG 2.2:n AA-taso, jonka automaattisesti testattavat vaatimukset palvelu täyttää. Osallistujat voivat valita käyttökieleksi myös selkosuomen. Alla on lueteltu puutteet, jotka tiedämme.",
		"a.gaps.h":   "Tiedossa olevat puutteet",
		"a.gaps": `<ul>
<li>Palvelua ei ole vielä testattu ruudunlukijoiden käyttäjien kanssa. Automaattiset testit ja näppäimistötestit eivät korvaa sitä.</li>
<li>Videopuhelun puhe ei tule Pöytään. Kokouksen järjestäjä voi kutsua kirjoitustulkin, jonka kirjoittama teksti näkyy tekstityksenä Pöydässä.</li>
<li>Paperilla tai sähköpostilla annetut ideat tuodaan palveluun järjestäjän kautta, joten niiden näkyminen voi viivästyä.</li>
<li>Selkosuomi on käytössä vain osallistujan näkymissä. Järjestäjän, kirjurin ja salinäytön näkymät sekä muistio ovat yleiskieltä (suomi, ruotsi tai englanti), ja osallistujien omat tekstit näkyvät sellaisinaan.</li>
</ul>`,
		"a.alt.h":        "Vaihtoehtoiset tavat osallistua",
		"a.alt":          "Jos et voi käyttää palvelua, voit antaa ideasi kokouksen järjestäjälle suullisesti, paperilla tai sähköpostilla. Järjestäjä kirjaa ne pöytään puolestasi. Kokouksen muistio on saatavilla tekstinä (Markdown), HTML-sivuna ja Word-asiakirjana.",
		"a.how.h":        "Miten saavutettavuus on arvioitu",
		"a.how":          "Palvelun kehittäjä on arvioinut saavutettavuuden itse. Jokainen näkymä ja tila tarkistetaan automaattisesti axe-core-työkalulla WCAG 2.2:n A- ja AA-tason säännöillä. Lisäksi selaintestit tarkistavat sen, mitä axe-core ei näe: kohdistettu painike tai kenttä ei jää kiinteän palkin alle, painikkeet ovat vähintään 24 × 24 pikseliä, ideoiden yhdistämiseen ei tarvita vetämistä, tilaviestit (uusi idea, jäljellä olevat pisteet, vaiheen vaihtuminen, ajan viimeinen minuutti, yhteyden katkeaminen ja palaaminen) välittyvät ruudunlukijalle, liikettä vähentävä asetus pysäyttää animaatiot ja näkymät toimivat 400 %:n suurennoksella. Testit käyttävät palvelua myös pelkällä näppäimistöllä ja 320–390 pikselin levyisellä näytöllä. Ruudunlukijoiden käyttäjät eivät ole vielä testanneet palvelua. Käyttöönottaja vastaa omasta arviostaan ja sen päivämäärästä.",
		"a.feedback.h":   "Palaute ja yhteystiedot",
		"a.feedback":     "Huomasitko saavutettavuuspuutteen? Kerro siitä meille. Vastaamme 14 päivän kuluessa. Palautekanava:",
		"a.channel":      "sähköpostiosoite tai verkkolomake saavutettavuuspalautteelle",
		"a.super.h":      "Valvontaviranomainen",
		"a.super":        "Jos huomaat palvelussa saavutettavuusongelmia, anna ensin palautetta meille. Jos et ole tyytyväinen vastaukseen tai et saa vastausta 14 päivän kuluessa, voit tehdä ilmoituksen valvontaviranomaiselle, joka on Liikenne- ja viestintävirasto Traficom. Ohjeet ja yhteystiedot löytyvät osoitteesta www.saavutettavuusvaatimukset.fi.",
		"p.title":        "Tietosuojaseloste",
		"p.controller.h": "Rekisterinpitäjä",
		"p.contact":      "Tietosuojaa koskevat kysymykset ja pyynnöt:",
		"p.channel":      "yhteystieto tietosuoja-asioille",
		"p.dpo":          "Tietosuojavastaava:",
		"p.purpose.h":    "Mihin tietoja käytetään",
		"p.purpose":      "Tietoja käytetään kumppanuuspöytien järjestämiseen: osallistujien ideoiden, äänten ja sovittujen toimenpiteiden kirjaamiseen sekä kokouksen muistion laatimiseen ja toimenpiteiden seurantaan. Rekisterinpitäjä kertoo käsittelyn oikeusperusteen.",
		"p.data.h":       "Mitä sinusta tallennetaan",
		"p.data": `<ul>
<li>nimi, organisaatio (jos annat sen) ja sektori</li>
<li>ideasi, pisteesi, toimenpiteet joiden vastuuhenkilö olet sekä puheenvuoropyyntösi, ajankohtineen</li>
<li>satunnainen tunnus, jolla selaimesi pysyy samana osallistujana; palvelin tallentaa siitä vain tiivisteen</li>
</ul>
<p>Palvelu ei tallenna IP-osoitettasi, sähköpostiosoitettasi eikä puhelinnumeroasi, eikä se käytä evästeitä. Tunnus säilyy selaimesi paikallisessa muistissa.</p>`,
		"p.who.h": "Kuka tiedot näkee",
		"p.who": `<ul>
<li>Fasilitaattorit näkevät osallistujien nimet, organisaatiot ja sektorit.</li>
<li>Muut osallistujat näkevät nimesi vain niiden sisältöjen yhteydessä, jotka he näkevät: ideasi (ellet anna sitä nimettömänä), toimenpiteesi ja puheenvuorosi. Pienryhmässä ryhmän jäsenet näkevät toistensa nimet.</li>
<li>Kukaan muu ei näe, mille ideoille annoit pisteesi.</li>
<li>Muistio näyttää nimet, ellei järjestäjä tee siitä versiota ilman nimiä. Nimettömien ideoiden laatijaa ei näytetä koskaan.</li>
</ul>`,
		"p.keep.h":     "Kuinka kauan tietoja säilytetään",
		"p.keep.for":   "Suljettu pöytä poistetaan kaikkine tietoineen, kun sen sulkemisesta on kulunut",
		"p.keep.until": "Pöytä säilyy, kunnes järjestäjä poistaa sen.",
		"p.keep.erase": "Poistettujen tietojen jäljet hävitetään myös tietokannan tiedostoista.",
		"p.rights.h":   "Oikeutesi",
		"p.rights":     "Voit pyytää nähtäväksesi kaikki sinusta tallennetut tiedot. Voit pyytää poistamaan nimesi ja organisaatiosi: ideasi ja pisteesi jäävät pöytään nimettöminä, jotta kokouksen kirjaus säilyy ehjänä. Ota yhteyttä yllä mainittuun osoitteeseen.",
		"p.where.h":    "Missä tiedot ovat",
		"p.where":      "Tiedot ovat ylläpitäjän omalla palvelimella. Palvelu ei lähetä tietoja kolmansille osapuolille eikä käytä ulkopuolisia palveluja, kuten analytiikkaa, käännöspalveluja tai tekoälyä.",
	},
	"sv": {
		"missing":    "Fylls i av den som tar tjänsten i bruk",
		"langs":      "Språk",
		"org":        "den som upprätthåller tjänsten (organisation)",
		"a.title":    "Tillgänglighetsutlåtande",
		"a.intro":    "Detta tillgänglighetsutlåtande gäller webbtjänsten Pöytä för partnerskapsbord, som upprätthålls av",
		"a.reviewed": "Utlåtandet granskades senast av den som tagit tjänsten i bruk",
		"a.date":     "granskningens datum",
		"a.status.h": "Tjänstens tillgänglighet",
		"a.status":   "Pöytä uppfyller tillgänglighetskraven i WCAG 2.1 på nivå AA delvis. Målet är nivå AA i WCAG 2.2, vars automatiskt testbara krav tjänsten uppfyller. Deltagarna kan också välja lättläst finska (selkosuomi) som språk. Nedan finns de brister vi känner till.",
		"a.gaps.h":   "Kända brister",
		"a.gaps": `<ul>
<li>Tjänsten har ännu inte testats tillsammans med personer som använder skärmläsare. Automatiska tester och tangentbordstester ersätter inte det.</li>
<li>Talet i ett videosamtal når inte Pöytä. Mötets arrangör kan bjuda in en skrivtolk, vars text visas som textning i Pöytä.</li>
<li>Idéer som ges på papper eller per e-post förs in av arrangören, så de kan synas med en fördröjning.</li>
<li>Lättläst finska finns bara i deltagarens vyer. Vyerna för arrangören, sekreteraren och salsskärmen samt protokollet är på standardspråk (finska, svenska eller engelska), och deltagarnas egna texter visas som de skrivits.</li>
</ul>`,
		"a.alt.h":        "Andra sätt att delta",
		"a.alt":          "Om du inte kan använda tjänsten kan du ge dina idéer till mötets arrangör muntligt, på papper eller per e-post. Arrangören för in dem åt dig. Mötets protokoll finns som text (Markdown), som HTML-sida och som Word-dokument.",
		"a.how.h":        "Hur tillgängligheten har bedömts",
		"a.how":          "Tjänstens utvecklare har själv bedömt tillgängligheten. Varje vy och varje läge kontrolleras automatiskt med verktyget axe-core enligt reglerna för nivå A och AA i WCAG 2.2. Dessutom kontrollerar webbläsartester det som axe-core inte ser: en fokuserad knapp eller ett fokuserat fält döljs inte under en fast list, knapparna är minst 24 × 24 pixlar, idéer kan slås ihop utan att dra, statusmeddelanden (en ny idé, kvarvarande poäng, ny fas, tidens sista minut, avbrott och återkomst av anslutningen) når skärmläsaren, inställningen för minskad rörelse stoppar animationer och vyerna fungerar med 400 % förstoring. Testerna använder också tjänsten enbart med tangentbordet och på en skärm som är 320–390 pixlar bred. Personer som använder skärmläsare har ännu inte testat tjänsten. Den som tar tjänsten i bruk svarar för sin egen bedömning och dess datum.",
		"a.feedback.h":   "Respons och kontaktuppgifter",
		"a.feedback":     "Har du upptäckt en brist i tillgängligheten? Berätta det för oss. Vi svarar inom 14 dagar. Kanal för respons:",
		"a.channel":      "e-postadress eller webbformulär för respons om tillgänglighet",
		"a.super.h":      "Tillsynsmyndighet",
		"a.super":        "Om du märker tillgänglighetsproblem i tjänsten, ge först respons till oss. Om du inte är nöjd med svaret eller inte får svar inom 14 dagar kan du anmäla saken till tillsynsmyndigheten, som är Transport- och kommunikationsverket Traficom. Anvisningar och kontaktuppgifter finns på www.tillganglighetskrav.fi.",
		"p.title":        "Dataskyddsbeskrivning",
		"p.controller.h": "Personuppgiftsansvarig",
		"p.contact":      "Frågor och begäranden om dataskydd:",
		"p.channel":      "kontaktuppgift för dataskyddsärenden",
		"p.dpo":          "Dataskyddsombud:",
		"p.purpose.h":    "Vad uppgifterna används till",
		"p.purpose":      "Uppgifterna används för att ordna partnerskapsbord: för att föra in deltagarnas idéer, röster och överenskomna åtgärder samt för att göra mötets protokoll och följa upp åtgärderna. Den personuppgiftsansvariga anger den rättsliga grunden för behandlingen.",
		"p.data.h":       "Vad som sparas om dig",
		"p.data": `<ul>
<li>namn, organisation (om du anger den) och sektor</li>
<li>dina idéer, dina poäng, åtgärder du ansvarar för och dina begäranden om ordet, med tidpunkter</li>
<li>en slumpmässig kod som gör att din webbläsare förblir samma deltagare; servern sparar bara ett hashvärde av den</li>
</ul>
<p>Tjänsten sparar inte din IP-adress, e-postadress eller ditt telefonnummer och använder inga kakor. Koden finns i webbläsarens lokala minne.</p>`,
		"p.who.h": "Vem som ser uppgifterna",
		"p.who": `<ul>
<li>Facilitatorerna ser deltagarnas namn, organisationer och sektorer.</li>
<li>Andra deltagare ser ditt namn bara tillsammans med innehåll de ser: dina idéer (om du inte ger dem anonymt), dina åtgärder och dina inlägg. I en smågrupp ser gruppens medlemmar varandras namn.</li>
<li>Ingen annan ser vilka idéer du gav dina poäng.</li>
<li>Protokollet visar namn om inte arrangören gör en version utan namn. Vem som skrivit en anonym idé visas aldrig.</li>
</ul>`,
		"p.keep.h":     "Hur länge uppgifterna sparas",
		"p.keep.for":   "Ett stängt bord raderas med alla sina uppgifter när det har gått följande tid sedan det stängdes:",
		"p.keep.until": "Bordet finns kvar tills arrangören raderar det.",
		"p.keep.erase": "Spåren av raderade uppgifter försvinner också ur databasens filer.",
		"p.rights.h":   "Dina rättigheter",
		"p.rights":     "Du kan be att få se alla uppgifter som sparats om dig. Du kan be att ditt namn och din organisation raderas: dina idéer och poäng blir kvar anonymt, så att mötets dokumentation förblir hel. Kontakta adressen ovan.",
		"p.where.h":    "Var uppgifterna finns",
		"p.where":      "Uppgifterna finns på den upprätthållandes egen server. Tjänsten skickar inga uppgifter till tredje parter och använder inga utomstående tjänster som analys, översättning eller artificiell intelligens.",
	},
	"en": {
		"missing":    "To be filled in by the deployer",
		"langs":      "Language",
		"org":        "who runs the service (organisation)",
		"a.title":    "Accessibility statement",
		"a.intro":    "This accessibility statement applies to Pöytä, the web service for partnership tables, run by",
		"a.reviewed": "The deployer last reviewed this statement on",
		"a.date":     "date of the review",
		"a.status.h": "Compliance status",
		"a.status":   "Pöytä partially conforms to WCAG 2.1 level AA. The aim is WCAG 2.2 level AA, whose automatically testable requirements the service meets. Participants can also choose plain Finnish (selkosuomi) as their language. The shortcomings we know of are listed below.",
		"a.gaps.h":   "Known shortcomings",
		"a.gaps": `<ul>
<li>The service has not yet been tested with people who use screen readers. Automated tests and keyboard tests do not replace that.</li>
<li>Speech in the video call does not reach Pöytä. The organiser can invite a speech-to-text interpreter, whose text is shown as captions in Pöytä.</li>
<li>Ideas given on paper or by e-mail are entered by the organiser, so they may appear with a delay.</li>
<li>Plain Finnish is offered in the participant's views only. The organiser's, the scribe's and the room screen's views and the minutes are in standard Finnish, Swedish or English, and what participants write is shown as written.</li>
</ul>`,
		"a.alt.h":        "Other ways to take part",
		"a.alt":          "If you cannot use the service, you can give your ideas to the organiser orally, on paper or by e-mail, and they will enter them for you. The minutes are available as text (Markdown), as an HTML page and as a Word document.",
		"a.how.h":        "How accessibility was assessed",
		"a.how":          "The developer of the service assessed its accessibility. Every view and state is checked automatically with axe-core against the WCAG 2.2 level A and AA rules. Browser tests also check what axe-core cannot see: a focused control is never hidden under a fixed bar, controls are at least 24 × 24 pixels, ideas can be merged without dragging, status messages (a new idea, the dots left, a new phase, the last minute of the timer, a lost and a restored connection) reach screen readers, the reduced-motion setting stops animations, and the views work at 400% zoom. The tests also use the service with the keyboard alone and on screens 320 to 390 pixels wide. People who use screen readers have not yet tested the service. The deployer is responsible for their own assessment and its date.",
		"a.feedback.h":   "Feedback and contact",
		"a.feedback":     "Did you notice an accessibility problem? Tell us. We answer within 14 days. Feedback:",
		"a.channel":      "an e-mail address or a web form for accessibility feedback",
		"a.super.h":      "Supervisory authority",
		"a.super":        "If you notice accessibility problems, first give feedback to us. If you are not satisfied with the answer or get no answer within 14 days, you can report it to the supervisory authority, the Finnish Transport and Communications Agency Traficom. Instructions and contact details are at www.webaccessibility.fi.",
		"p.title":        "Privacy notice",
		"p.controller.h": "Controller",
		"p.contact":      "Questions and requests about your data:",
		"p.channel":      "a contact for privacy matters",
		"p.dpo":          "Data protection officer:",
		"p.purpose.h":    "What the data is used for",
		"p.purpose":      "The data is used to run partnership tables: to record participants' ideas, votes and agreed actions, and to write the minutes and follow the actions up. The controller states the legal basis of the processing.",
		"p.data.h":       "What is stored about you",
		"p.data": `<ul>
<li>your name, organisation (if you give one) and sector</li>
<li>your ideas, your dots, the actions you are responsible for and your requests to speak, with their times</li>
<li>a random token that keeps your browser the same participant; the server stores only a hash of it</li>
</ul>
<p>The service does not store your IP address, e-mail address or phone number, and uses no cookies. The token is kept in your browser's local storage.</p>`,
		"p.who.h": "Who sees it",
		"p.who": `<ul>
<li>Facilitators see participants' names, organisations and sectors.</li>
<li>Other participants see your name only with the content they see: your ideas (unless you give them anonymously), your actions and your turns to speak. In a small group, its members see each other's names.</li>
<li>Nobody else sees which ideas you gave your dots.</li>
<li>The minutes show names unless the organiser makes a version without them. The author of an anonymous idea is never shown.</li>
</ul>`,
		"p.keep.h":     "How long it is kept",
		"p.keep.for":   "A closed table is deleted with all its data this long after it was closed:",
		"p.keep.until": "A table is kept until the organiser deletes it.",
		"p.keep.erase": "Deleted data leaves no trace in the database files either.",
		"p.rights.h":   "Your rights",
		"p.rights":     "You can ask to see everything stored about you. You can ask to have your name and organisation erased: your ideas and dots stay at the table anonymously, so that the record of the meeting stays whole. Contact the address above.",
		"p.where.h":    "Where it is",
		"p.where":      "The data is on the operator's own server. The service sends no data to third parties and uses no outside services such as analytics, translation or artificial intelligence.",
	},
}
