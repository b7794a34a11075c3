package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/incassobot/incassobot/casestore/importfile"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

func init() {
	register(command{name: "import", args: "FILE [--dry-run]", summary: "import cases from a CSV or JSON file", run: cmdImport})
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "FILE [--dry-run]")
	dryRun := fs.Bool("dry-run", false, "check the file against the store and report, without writing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), importUsage)
		fmt.Fprint(fs.Output(), importfile.HelpText())
	}
	pos, err := parseFlags(fs, args)
	if err != nil {
		return helpOK(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return usageErrorf("import: want exactly one FILE, got %d", len(pos))
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	res, err := parseImportFile(e, pos[0])
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintln(e.stderr, p)
	}
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := importfile.Options{File: filepath.Base(pos[0]), DryRun: *dryRun}
	if !cfg.Followup.Off {
		// A new case's reminder sequence is scheduled in its import's
		// transaction; serve sends it.
		eng, err := newFollowUps(e, cfg, st, nil, nil)
		if err != nil {
			return err
		}
		opt.Created = eng.CaseOpened
	}
	bar := newImportBar(e, len(res.Records))
	if bar != nil {
		opt.Progress = func(done, total int) { bar.Set(done) }
	}
	sum, refused, err := importfile.Import(ctx, st, res.Records, opt)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(e.stderr)
	}
	for _, p := range refused {
		fmt.Fprintln(e.stderr, p)
	}
	sum.BadRows += len(res.Problems)
	fmt.Fprintln(e.stdout, sum)
	if *dryRun {
		fmt.Fprintln(e.stdout, "dry run: nothing was written")
	}
	if err != nil {
		return err
	}
	if sum.BadRows > 0 {
		if *dryRun {
			return fmt.Errorf("%d bad rows (listed above); nothing was written (dry run)", sum.BadRows)
		}
		return fmt.Errorf("%d bad rows (listed above); the good rows were imported", sum.BadRows)
	}
	return nil
}

func parseImportFile(e *env, path string) (*importfile.Result, error) {
	var r io.Reader = e.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	res, err := importfile.Parse(r, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// Invoice copies are named relative to the file's folder (standard
	// input: the working directory) and read from there only.
	dir := "."
	if path != "-" {
		dir = filepath.Dir(path)
	}
	res.LoadDocuments(os.DirFS(dir))
	return res, nil
}

// newImportBar shows progress only to a person watching a terminal; in a
// pipe or CI log a bar is noise, and the summary line says it all.
func newImportBar(e *env, total int) *progressbar.ProgressBar {
	f, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || total == 0 {
		return nil
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("importing cases"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(false),
	)
}

const importUsage = `Usage: incassobot import FILE [--dry-run]

Imports cases from FILE ("-" reads standard input). FILE is CSV (.csv) or
JSON (.json; an array of case objects), see docs/IMPORT.md. Each case is
written in one transaction; re-importing updates cases by dossier number,
creditors by code and debtors by reference, so running a file again after
an interruption completes it. Bad rows are reported as "line N: reason";
the good ones are imported and the exit status is 1.

Options:
  --dry-run   check everything, write nothing

CSV columns (header row required; delimiter "," or ";"):
`
