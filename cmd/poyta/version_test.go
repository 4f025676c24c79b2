package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestVersion: poyta version and poyta --version print the same, with the
// SQLite version a database opened by the store reports.
func TestVersion(t *testing.T) {
	out, _, err := runCmd(t, "", "version")
	if err != nil {
		t.Fatal(err)
	}
	flagOut, _, err := runCmd(t, "", "--version")
	if err != nil {
		t.Fatal(err)
	}
	if out != flagOut {
		t.Errorf("poyta version:\n%s\npoyta --version:\n%s", out, flagOut)
	}
	db := mustOpenStore(t, filepath.Join(t.TempDir(), "poyta.db"))
	defer db.Close()
	for _, want := range []string{"poyta ", "\nsqlite  " + db.SQLiteVersion() + "\n", "\ngo      " + runtime.Version()} {
		if !strings.Contains(out, want) {
			t.Errorf("poyta version lacks %q:\n%s", want, out)
		}
	}
}

// TestVersionOfBuild builds the binary the way the packaging scripts do,
// in the git checkout and with a release version, and checks that it
// names the commit checked out and the commit's date.
func TestVersionOfBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	root := strings.TrimSpace(string(top))
	if fi, serr := os.Stat(filepath.Join(root, ".git")); err != nil || serr != nil || !fi.IsDir() {
		// go build records no commit outside a git clone, nor in a linked
		// worktree (whose .git is a file). CI runs in a clone.
		if os.Getenv("CI") != "" {
			t.Fatalf("CI runs in a git clone, but: %v %v", err, serr)
		}
		t.Skip("not in a git clone with a .git directory")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "poyta")
	build := exec.Command("go", "build", "-buildvcs=true", "-ldflags", "-X main.version=9.8.7-test", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(context.Background(), bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "poyta 9.8.7-test\ncommit  "+strings.TrimSpace(string(head))) {
		t.Errorf("version of a build of %s:\n%s", head, out)
	}
	if !regexp.MustCompile(`\ndate    \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n`).Match(out) {
		t.Errorf("no commit date:\n%s", out)
	}
}
