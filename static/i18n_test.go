package static_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
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
