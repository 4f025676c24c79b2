package static_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/poyta/poyta/session"
)

// TestEnumsMatchTheServer keeps the closed lists the UI offers
// (web/js/enums.js) equal to the server's, in the server's order, so that
// the Go lists are the one source of truth: a value added in Go and not in
// the UI (or the other way round) fails here, as does a value without its
// translation in every language.
func TestEnumsMatchTheServer(t *testing.T) {
	js := jsLists(t, filepath.Join("web", "js", "enums.js"))
	consts := sessionConsts(t)
	for _, c := range []struct {
		js  string
		go_ []string
		key string // the translation key of each value
	}{
		{"SECTORS", session.Sectors, "sector.%s"},
		{"LANGS", session.Languages, "lang.name.%s"},
		{"PHASES", consts.phases, "phase.%s"},
		{"STATUSES", consts.prefixed["Status"], "status.action.%s"},
		{"OUTCOMES", consts.prefixed["Outcome"], "follow.outcome.%s"},
	} {
		got, ok := js[c.js]
		if !ok {
			t.Errorf("enums.js does not export %s", c.js)
			continue
		}
		if len(c.go_) == 0 {
			t.Errorf("%s: found no values in the session package", c.js)
		}
		if !slices.Equal(got, c.go_) {
			t.Errorf("enums.js %s = %q, the server's = %q", c.js, got, c.go_)
		}
		for _, l := range langs {
			m := loadStrings(t, l)
			for _, v := range c.go_ {
				if k := strings.Replace(c.key, "%s", v, 1); m[k] == "" {
					t.Errorf("%s.json: no %q for %s value %q", l, k, c.js, v)
				}
			}
		}
	}
	for name := range js {
		switch name {
		case "SECTORS", "LANGS", "PHASES", "STATUSES", "OUTCOMES":
		default:
			t.Errorf("enums.js exports %s, which this test does not compare with the server", name)
		}
	}
}

// jsLists reads the `export const NAME = ['a', 'b'];` lists of a module.
func jsLists(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string][]string{}
	decl := regexp.MustCompile(`(?m)^export const (\w+) = \[([^\]]*)\];`)
	item := regexp.MustCompile(`'([^'\\]*)'`)
	for _, m := range decl.FindAllStringSubmatch(string(b), -1) {
		vals := []string{}
		for _, v := range item.FindAllStringSubmatch(m[2], -1) {
			vals = append(vals, v[1])
		}
		lists[m[1]] = vals
	}
	if n := strings.Count(string(b), "export "); n != len(lists) {
		t.Fatalf("%s: %d exports but %d lists read; keep each as `export const NAME = ['a', 'b'];`", path, n, len(lists))
	}
	return lists
}

// goEnums are the values of the session package's string constants.
type goEnums struct {
	phases   []string            // constants of type Phase
	prefixed map[string][]string // by name prefix: Status…, Outcome…
}

// sessionConsts reads the session package's source, in declaration order,
// as i18n_test.go reads the error codes: these lists are constants there,
// not exported slices.
func sessionConsts(t *testing.T) goEnums {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "session", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	e := goEnums{prefixed: map[string][]string{}}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					v, _ := strconv.Unquote(lit.Value)
					if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Phase" {
						e.phases = append(e.phases, v)
					}
					for _, p := range []string{"Status", "Outcome"} {
						if strings.HasPrefix(name.Name, p) {
							e.prefixed[p] = append(e.prefixed[p], v)
						}
					}
				}
			}
		}
	}
	return e
}

// TestFoldJSFoldsEveryEvent: the browser's fold (web/js/fold.js) has a
// fold for every event type the session package defines, and for nothing
// else, so that an event added in Go cannot reach browsers that would
// have to reload a snapshot for it.
func TestFoldJSFoldsEveryEvent(t *testing.T) {
	var types []string
	files, err := filepath.Glob(filepath.Join("..", "session", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "eventType" || fn.Body == nil || len(fn.Body.List) != 1 {
				continue
			}
			if r, ok := fn.Body.List[0].(*ast.ReturnStmt); ok && len(r.Results) == 1 {
				if lit, ok := r.Results[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					types = append(types, v)
					continue
				}
			}
			t.Errorf("%s: an eventType method that does not return a string literal", path)
		}
	}
	if len(types) < 30 {
		t.Fatalf("found only %d event types in the session package", len(types))
	}
	b, err := os.ReadFile(filepath.Join("web", "js", "fold.js"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start := strings.Index(src, "\nconst folds = {\n")
	if start < 0 {
		t.Fatal("fold.js: no `const folds = { … };` object")
	}
	body, _, ok := strings.Cut(src[start:], "\n};\n")
	if !ok {
		t.Fatal("fold.js: the folds object does not end with `};` on a line of its own")
	}
	var folded []string
	for _, m := range regexp.MustCompile(`(?m)^  '([a-z.]+)'\(`).FindAllStringSubmatch(body, -1) {
		folded = append(folded, m[1])
	}
	slices.Sort(types)
	slices.Sort(folded)
	for _, typ := range types {
		if _, ok := slices.BinarySearch(folded, typ); !ok {
			t.Errorf("fold.js has no fold for %s", typ)
		}
	}
	for _, typ := range folded {
		if _, ok := slices.BinarySearch(types, typ); !ok {
			t.Errorf("fold.js folds %s, which is no event type of the session package", typ)
		}
	}
}
