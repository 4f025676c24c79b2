package static_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// langs are the languages of tables, minutes and the UI's translations.
var langs = session.Languages

// TestTranslationsHaveTheSameKeys: every key in one language is in the others.
func TestTranslationsHaveTheSameKeys(t *testing.T) {
	fi := loadStrings(t, "fi")
	for _, l := range langs[1:] {
		other := loadStrings(t, l)
		for k := range fi {
			if _, ok := other[k]; !ok {
				t.Errorf("%s.json lacks %q", l, k)
			}
		}
		for k := range other {
			if _, ok := fi[k]; !ok {
				t.Errorf("%s.json has %q, which fi.json lacks", l, k)
			}
		}
	}
	for _, l := range langs {
		for k, v := range loadStrings(t, l) {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s.json: %q is empty", l, k)
			}
		}
	}
}

// TestEveryErrorCodeIsTranslated reads the codes from session/errors.go so
// that a new code cannot ship without a message in each language.
func TestEveryErrorCodeIsTranslated(t *testing.T) {
	codes := errorCodes(t)
	if len(codes) < 40 {
		t.Fatalf("found only %d error codes in session/errors.go", len(codes))
	}
	for _, l := range langs {
		m := loadStrings(t, l)
		for _, c := range codes {
			if _, ok := m["error."+c]; !ok {
				t.Errorf("%s.json: no message for error code %q", l, c)
			}
		}
		for _, kind := range []string{"invalid", "forbidden", "not_found", "conflict", "limit", "internal"} {
			if _, ok := m["kind."+kind]; !ok {
				t.Errorf("%s.json: no message for error kind %q", l, kind)
			}
		}
	}
}

func errorCodes(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("..", "session", "errors.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, name := range vs.Names {
			if !strings.HasPrefix(name.Name, "Code") || i >= len(vs.Values) {
				continue
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, _ := strconv.Unquote(lit.Value)
				codes = append(codes, s)
			}
		}
		return true
	})
	sort.Strings(codes)
	return codes
}

// TestScriptsUseOnlyKnownKeys checks the literal keys in the JavaScript
// against fi.json (plural keys need their .one and .other forms).
func TestScriptsUseOnlyKnownKeys(t *testing.T) {
	fi := loadStrings(t, "fi")
	re := regexp.MustCompile(`\b(t|tn)\('([a-zA-Z0-9_.]+)'`)
	err := filepath.Walk(filepath.Join("web", "js"), func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys := []string{m[2]}
			if m[1] == "tn" {
				keys = []string{m[2] + ".one", m[2] + ".other"}
			}
			for _, k := range keys {
				if _, ok := fi[k]; !ok {
					t.Errorf("%s uses %q, which fi.json lacks", path, k)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoUnsafeDOM guards the rule that user text never becomes HTML and the
// page needs no inline script or style.
func TestNoUnsafeDOM(t *testing.T) {
	bad := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\('style'|\.cssText`)
	filepath.Walk("web", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(path)
		switch filepath.Ext(path) {
		case ".js":
			if loc := bad.FindIndex(b); loc != nil {
				t.Errorf("%s: unsafe DOM use %q", path, b[loc[0]:loc[1]])
			}
		case ".html":
			s := string(b)
			if strings.Contains(s, "<script>") || strings.Contains(s, " style=") || strings.Contains(s, "<style") || strings.Contains(s, " on") && regexp.MustCompile(`\son[a-z]+=`).MatchString(s) {
				t.Errorf("%s: inline script or style", path)
			}
		}
		return nil
	})
}

// participantFamilies and participantModules are the one place that says
// which keys are participant-facing: the families (a key's part before its
// first dot) that the join page and the participant's view show, and what
// those share with every live view (the connection, the language, the
// timer, errors); plus every key that a participant-side module uses,
// whatever its family (group work's work.*, the footer's foot.*, the
// captions' captions.*, and the odd facilitator's or scribe's key that
// the participant's group view borrows). Plain Finnish (selko.json, the
// UI language "selko") must have every one of these keys; other keys (the
// start page's, the facilitator's, the scribe's, the room screen's) fall
// back to Finnish.
// At run time js/i18n.js warns, and the browser tests fail, when a
// participant's page in plain Finnish shows a key that selko.json lacks.
var participantFamilies = []string{
	"action", "agenda", "announce", "brand", "common", "error", "follow", "hint", "idea", "join", "kind",
	"lang", "live", "notfound", "now", "person", "phase", "profile", "queue", "results", "review", "role",
	"sector", "skip", "status", "table", "timer", "vote", "when",
}

// participantModules are the scripts (globs under web/js) that the join
// page and the participant's view run. A new participant-side module
// belongs here.
var participantModules = []string{
	"views/join.js", "views/participant.js", "views/p-*.js", "views/team.js",
	"work.js", "captions.js", "footer.js",
}

// keyCall finds t('…'), t("…"), t(`…`) and tn(…) calls; in a template
// literal only the part before the first ${ is the key (a prefix).
var keyCall = regexp.MustCompile(`\b(t|tn)\((?:'([^']*)'|"([^"]*)"|` + "`([^`]*)`)")

// moduleKeys returns the fi.json keys that the participant-side modules
// use: a literal key as such (tn's with its .one and .other forms), a
// template literal t(`work.othersIdeas.${n}`) as every key that starts
// with its part before ${.
func moduleKeys(t *testing.T, fi map[string]string) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	files := 0
	for _, g := range participantModules {
		paths, err := filepath.Glob(filepath.Join("web", "js", filepath.FromSlash(g)))
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 {
			t.Errorf("participantModules: %q matches no file", g)
		}
		for _, path := range paths {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, m := range keyCall.FindAllStringSubmatch(string(b), -1) {
				if strings.Contains(m[4], "${") {
					prefix, _, _ := strings.Cut(m[4], "${")
					found := false
					for k := range fi {
						if strings.HasPrefix(k, prefix) {
							keys[k], found = true, true
						}
					}
					if !found {
						t.Errorf("%s: no fi.json key starts with %q", path, prefix)
					}
					continue
				}
				k := m[2] + m[3] + m[4]
				if m[1] == "tn" {
					keys[k+".one"], keys[k+".other"] = true, true
				} else {
					keys[k] = true
				}
			}
		}
	}
	if files < 8 {
		t.Errorf("participantModules: only %d files", files)
	}
	return keys
}

// participantKey reports whether a key is participant-facing: of a
// participant family, or used by a participant-side module.
func participantKey(k string, used map[string]bool) bool {
	fam, _, _ := strings.Cut(k, ".")
	return slices.Contains(participantFamilies, fam) || used[k]
}

// TestPlainFinnishHasEveryParticipantKey: selko.json has each
// participant-facing key of fi.json, non-empty and with the same
// placeholders, and no key that fi.json lacks.
func TestPlainFinnishHasEveryParticipantKey(t *testing.T) {
	fi, selko := loadStrings(t, "fi"), loadStrings(t, "selko")
	placeholders := regexp.MustCompile(`\{\w+\}`)
	set := func(s string) string {
		p := placeholders.FindAllString(s, -1)
		sort.Strings(p)
		return strings.Join(slices.Compact(p), " ")
	}
	used := moduleKeys(t, fi)
	for k := range used {
		if _, ok := fi[k]; !ok {
			t.Errorf("a participant-side module uses %q, which fi.json lacks", k)
		}
	}
	n := 0
	for k, v := range fi {
		if !participantKey(k, used) {
			continue
		}
		n++
		s, ok := selko[k]
		switch {
		case !ok:
			t.Errorf("selko.json lacks the participant-facing key %q (fi: %q)", k, v)
		case strings.TrimSpace(s) == "":
			t.Errorf("selko.json: %q is empty", k)
		case set(s) != set(v):
			t.Errorf("selko.json: %q has the placeholders %q, fi.json %q", k, set(s), set(v))
		}
	}
	for k := range selko {
		if _, ok := fi[k]; !ok {
			t.Errorf("selko.json has %q, which fi.json lacks", k)
		}
	}
	if n < 200 {
		t.Errorf("only %d participant-facing keys: is participantFamilies right?", n)
	}
}
