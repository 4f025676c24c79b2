package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/mattn/go-sqlite3"
	"github.com/spf13/cobra"
)

// version is the release this binary is, set by the packaging scripts
// with -ldflags "-X main.version=1.2.0". Without it the module version
// from the build info is shown: "(devel)" or a pseudo-version.
var version string

// buildInfo is what poyta version prints.
type buildInfo struct {
	Version  string // the release, the module's pseudo-version, or "(devel)"
	Commit   string // the commit built, "" if the build had no VCS information
	Date     string // the commit's time (RFC 3339), "" likewise
	Modified bool   // the work tree had changes not committed
	Go       string // the Go toolchain, e.g. go1.26.8
	Platform string // GOOS/GOARCH
	SQLite   string // the SQLite library linked in, e.g. 3.51.3
}

// readBuildInfo reads the build information Go stamps into the binary
// (`go build` in a git checkout records the commit and its time) and the
// version of the SQLite library compiled in. It needs no database.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: "(devel)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	b.SQLite, _, _ = sqlite3.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.Date = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if version != "" {
		b.Version = version
	}
	return b
}

func (b buildInfo) write(w io.Writer) {
	commit, date := b.Commit, b.Date
	if commit == "" {
		commit = "unknown (built without version control information)"
	} else if b.Modified {
		commit += " (with changes not committed)"
	}
	if date == "" {
		date = "unknown"
	}
	fmt.Fprintf(w, "poyta %s\ncommit  %s\ndate    %s\ngo      %s %s\nsqlite  %s\n",
		b.Version, commit, date, b.Go, b.Platform, b.SQLite)
}

func (b buildInfo) String() string {
	var s strings.Builder
	b.write(&s)
	return s.String()
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and SQLite version",
		Long: `Version prints the release of this binary, the commit it was built from and
that commit's date (recorded by go build in a git checkout), the Go toolchain
and the version of the SQLite library linked in. poyta --version prints the
same.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			readBuildInfo().write(cmd.OutOrStdout())
			return nil
		},
	}
}
