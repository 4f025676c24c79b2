package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/poyta/poyta/session/minutes"
	"github.com/spf13/cobra"
)

type exportOptions struct {
	db            string
	format        string
	lang          string
	out           string
	what          string
	noNames       bool
	includeHidden bool
}

func newExportCmd() *cobra.Command {
	o := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export TABLE",
		Short: "Write a table's minutes (Markdown, HTML, DOCX, JSON or CSV)",
		Long: `Export writes the minutes (muistio) of a table, given by its id or its join
code in any spelling: the header, attendance by organisation and sector, each
agenda item with its notes and its ideas ranked by votes, and the agreed
actions. Markdown goes to standard output unless --out names a file; DOCX is
binary and needs --out or a redirect. CSV holds the actions, or with
--what ideas the ideas and their votes.

Export reads the database directly and works while poyta serve runs on it.`,
		Example: `  poyta export KP-4F7K-9QX2 > muistio.md
  poyta export KP-4F7K-9QX2 --format docx --out muistio.docx
  poyta export KP-4F7K-9QX2 --format html --lang sv --no-names --out .
  poyta export KP-4F7K-9QX2 --format csv --what ideas --out ideat.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	addDBFlag(f, &o.db)
	f.StringVar(&o.format, "format", "md", "md, html, docx, json or csv")
	f.StringVar(&o.lang, "lang", "", "language of the minutes: fi, sv or en (default: the table's)")
	f.StringVar(&o.out, "out", "", "write to this file, or into this directory under a suggested name (default: standard output)")
	f.StringVar(&o.what, "what", "", "for csv: actions (default) or ideas")
	f.BoolVar(&o.noNames, "no-names", false, "leave people's names out, for publishing")
	f.BoolVar(&o.includeHidden, "include-hidden", false, "list ideas the facilitator hid, marked as hidden")
	return cmd
}

func runExport(ctx context.Context, cmd *cobra.Command, o *exportOptions, arg string) error {
	format, err := minutes.ParseFormat(o.format)
	if err != nil {
		return err
	}
	if o.what != "" && o.what != minutes.CSVActions && o.what != minutes.CSVIdeas {
		return fmt.Errorf("--what %q: want actions or ideas", o.what)
	}
	if o.what != "" && format != minutes.CSV {
		return fmt.Errorf("--what applies to --format csv only")
	}
	if err := minutes.CheckLang(o.lang); err != nil {
		return fmt.Errorf("--lang: %w", err)
	}
	stdout := cmd.OutOrStdout()
	if format.Binary() && o.out == "" && isTerminal(stdout) {
		return fmt.Errorf("%s is a binary format: give --out FILE or redirect standard output", format)
	}
	db, err := openExisting(ctx, o.db)
	if err != nil {
		return err
	}
	defer db.Close()
	_, tbl, err := tableOf(ctx, db, arg)
	if err != nil {
		return err
	}
	m, err := minutes.Build(tbl, minutes.Options{Lang: o.lang, NoNames: o.noNames, IncludeHidden: o.includeHidden})
	if err != nil {
		return err
	}
	// Render fully before writing, so a failure never leaves half a file.
	var buf bytes.Buffer
	if err := minutes.Render(&buf, m, format, o.what); err != nil {
		return err
	}
	if o.out == "" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	path := o.out
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, minutes.Filename(m, format, o.what))
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return err
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", path)
	return nil
}

// writeFileAtomic writes through a temporary file in the same directory
// and renames it into place: readers never see a half-written file. The
// file is readable by its owner only, as minutes hold personal data.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".poyta-*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if err := errors.Join(werr, f.Sync(), f.Close()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// isTerminal reports whether w is a terminal, where binary output would
// only garble the screen: a character device other than the null device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
