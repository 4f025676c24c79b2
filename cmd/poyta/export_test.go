package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExport(t *testing.T) {
	db := twoTables(t)
	// Markdown to stdout by default; the join code in any spelling.
	for _, name := range []string{ahtari.id, ahtari.code, "kp 4f7k 9qx2", "4F7K9QX2"} {
		out, _, err := runCmd(t, "", "export", name, "--db", db)
		if err != nil {
			t.Fatalf("export %s: %v", name, err)
		}
		for _, want := range []string{"# Muistio: Ähtärin ja Soinin kumppanuuspöytä", "torstai 25.2.2027 klo 17.00–19.00",
			"Yhteinen tapahtumakalenteri kaikille yhdistyksille", "Eeva Rantala", "Riikka Salo (Ähtärin kaupunki); Kuudestaan ry", "31.3.2027"} {
			if !strings.Contains(out, want) {
				t.Errorf("export %s lacks %q:\n%s", name, want, out)
			}
		}
	}
	out, _, err := runCmd(t, "", "export", ahtari.code, "--db", db, "--lang", "en", "--no-names", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Lang    string
		NoNames bool
		Table   struct{ ID string }
	}
	if json.Unmarshal([]byte(out), &doc) != nil || doc.Lang != "en" || !doc.NoNames || doc.Table.ID != ahtari.id || strings.Contains(out, "Riikka") {
		t.Errorf("json export: %+v", doc)
	}
	out, _, err = runCmd(t, "", "export", ahtari.code, "--db", db, "--format", "csv", "--what", "ideas", "--lang", "sv")
	if err != nil || !strings.HasPrefix(out, "\uFEFFPunkt på dagordningen;Placering;Idé;") {
		t.Errorf("csv ideas export: %v %q", err, out)
	}

	// DOCX into a file, and into a directory under the suggested name.
	dir := t.TempDir()
	file := filepath.Join(dir, "muistio.docx")
	_, stderr, err := runCmd(t, "", "export", ahtari.code, "--db", db, "--format", "docx", "--out", file)
	if err != nil || !strings.Contains(stderr, file) {
		t.Fatalf("export docx: %v %s", err, stderr)
	}
	data, _ := os.ReadFile(file)
	if _, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Errorf("the DOCX is not a zip: %v", err)
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("minutes file mode %v, want 0600", fi.Mode().Perm())
	}
	if _, _, err := runCmd(t, "", "export", ahtari.code, "--db", db, "--format", "html", "--out", dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "muistio-ahtarin-ja-soinin-kumppanuuspoyta-2027-02-25.html")); err != nil {
		t.Errorf("no file under the suggested name: %v", err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".poyta-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "KP-2222-2222", "--db", db}, "no table"},
		{[]string{"export", "no-such-id", "--db", db}, "no table"},
		{[]string{"export", ahtari.code, "--db", db, "--format", "pdf"}, "format"},
		{[]string{"export", ahtari.code, "--db", db, "--lang", "de"}, "--lang"},
		{[]string{"export", ahtari.code, "--db", db, "--what", "ideas"}, "--what"},
		{[]string{"export", ahtari.code, "--db", db, "--format", "csv", "--what", "owners"}, "--what"},
		{[]string{"export", ahtari.code, "--db", filepath.Join(dir, "missing.db")}, "no database"},
		{[]string{"export", "--db", db}, "arg"},
	} {
		if _, _, err := runCmd(t, "", c.args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one about %s", c.args, err, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("export created a database for a mistyped --db")
	}
}

// TestExportRefusesBinaryToTerminal: DOCX to a terminal is refused; to
// the null device, a character device too, it is written.
func TestExportRefusesBinaryToTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) || isTerminal(&bytes.Buffer{}) {
		t.Error("the null device or a buffer taken for a terminal")
	}
	tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no terminal here")
	}
	defer tty.Close()
	cmd := newRootCmd()
	cmd.SetOut(tty)
	cmd.SetArgs([]string{"export", ahtari.code, "--db", twoTables(t), "--format", "docx"})
	if err := cmd.Execute(); err == nil || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("docx to a terminal: %v", err)
	}
}
