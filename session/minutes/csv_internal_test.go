package minutes

import "testing"

// TestCSVCellGuard covers prefixes the domain's trimming never lets
// through whole (a leading tab or CR), so the guard is tested on its own.
func TestCSVCellGuard(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1":                          `"'=1+1"`,
		"+358 40 123":                   `"'+358 40 123"`,
		"-1":                            `"'-1"`,
		"@SUM(A1)":                      `"'@SUM(A1)"`,
		"\t=cmd":                        "\"'\t=cmd\"",
		"\r=cmd":                        "\"'\r=cmd\"",
		"\n=cmd":                        "\"'\n=cmd\"",
		" =1":                           `"' =1"`,
		"\u200B=1":                      "\"'\u200B=1\"",
		"\u202E=1":                      "\"'\u202E=1\u202C\"",
		"＝1":                            `"'＝1"`,
		`=HYPERLINK("http://evil","x")`: `"'=HYPERLINK(""http://evil"",""x"")"`,
		"Kunnan tilat":                  "Kunnan tilat",
		"a;b":                           `"a;b"`,
		`sanoi "kyllä"`:                 `"sanoi ""kyllä"""`,
		"1. kohta":                      "1. kohta",
		"":                              "",
	} {
		if got := csvCell(in, ';'); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
	if got := csvCell("a,b", ','); got != `"a,b"` {
		t.Errorf("comma separator: %q", got)
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                      "plain",
		"\u202Eevil":                 "\u202Eevil\u202C",
		"\u2067rtl":                  "\u2067rtl\u2069",
		"\u202Eclosed\u202C":         "\u202Eclosed\u202C",
		"non\uFFFEchar\uFFFF":        "nonchar",
		"bad \xff utf8":              "bad \uFFFD utf8",
		"e\u0301 combining kept":     "e\u0301 combining kept",
		"zero\u200Bwidth kept":       "zero\u200Bwidth kept",
		"\u202A\u2066two\u202Cthree": "\u202A\u2066two\u202Cthree\u2069",
	} {
		if got := display(in); got != want {
			t.Errorf("display(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLocale(t *testing.T) {
	h := Header{Date: "2027-02-25", Start: "17:00", End: "19:00"}
	for lang, want := range map[string]string{
		"fi": "torstai 25.2.2027 klo 17.00–19.00",
		"sv": "torsdag 25.2.2027 kl. 17.00–19.00",
		"en": "Thursday 25 February 2027, 17:00–19:00",
	} {
		if got := labelsFor(lang).when(h); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	if got := labelsFor("en").date("2027-12-01"); got != "1 December 2027" {
		t.Errorf("en date %q", got)
	}
	if got := labelsFor("fi").date("not a date"); got != "not a date" {
		t.Errorf("bad date %q", got)
	}
	if got := labelsFor("fi").dots(1) + "/" + labelsFor("fi").dots(7); got != "1 piste/7 pistettä" {
		t.Errorf("fi dots %q", got)
	}
	if got := slug("Ähtärin ja Soinin kumppanuuspöytä — ÅÄÖ! <script>", 60); got != "ahtarin-ja-soinin-kumppanuuspoyta-aao-script" {
		t.Errorf("slug %q", got)
	}
}
