package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/incassobot/incassobot/casestore/importfile"
	"github.com/incassobot/incassobot/casestore/postgres"
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
	bad := 0
	problem := func(p importfile.Problem) { fmt.Fprintln(e.stderr, p) }
	src, err := openImportFile(e, pos[0], func(p importfile.Problem) { bad++; problem(p) })
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := openStore(ctx, e, cfg, false)
	if err != nil {
		return err
	}
	defer st.Close()
	opt := importfile.Options{File: filepath.Base(pos[0]), DryRun: *dryRun, Batch: importBatch, Refused: problem}
	if !cfg.Followup.Off {
		// A new case's reminder sequence is scheduled in its import's
		// transaction; serve sends it.
		eng, err := newFollowUps(e, cfg, st, nil, nil)
		if err != nil {
			return err
		}
		opt.Created = eng.CaseOpened
	}
	bar := newImportBar(e, -1)
	if bar != nil {
		opt.Progress = func(done, _ int) { bar.Set(done) }
	}
	sum, _, err := importfile.ImportFrom(ctx, st, src, -1, opt)
	if bar != nil {
		bar.Finish()
		fmt.Fprintln(e.stderr)
	}
	sum.BadRows += bad
	fmt.Fprintln(e.stdout, sum)
	if *dryRun {
		fmt.Fprintln(e.stdout, "dry run: nothing was written")
	}
	if !*dryRun && sum.New+sum.Updated > 0 {
		analyzeImported(ctx, e, cfg, st)
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

// importBatch is how many cases share one transaction: a commit per case
// was most of an import's time (docs/BENCHMARKS.md).
const importBatch = 500

// openImportFile opens path ("-": standard input) as a stream of cases,
// reporting bad rows to problem as they are found. Invoice copies are named
// relative to the file's folder (standard input: the working directory)
// and read from there only.
func openImportFile(e *env, path string, problem func(importfile.Problem)) (*importfile.Stream, error) {
	var r io.Reader = e.stdin
	dir := "."
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // the stream has read the file when it opens
		r = f
		dir = filepath.Dir(path)
	}
	src, err := importfile.NewStream(r, path, importfile.StreamOptions{Problem: problem, Documents: os.DirFS(dir)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return src, nil
}

// analyzeImported refreshes the planner's statistics of the tables the
// import filled: after a large import, a planner that still believes
// them empty slows every webhook down until autovacuum comes round. Only
// the tables' owner may: under the production split of roles that is
// MIGRATE_DATABASE_URL's, used when set. A failure is reported, not fatal:
// the cases are imported.
func analyzeImported(ctx context.Context, e *env, cfg config, st *openedStore) {
	skipped, err := importfile.Analyze(ctx, st.Store)
	if err == nil && len(skipped) > 0 && cfg.MigrateDatabaseURL != "" {
		owner, oerr := postgres.Open(ctx, cfg.MigrateDatabaseURL)
		if oerr != nil {
			err = oerr
		} else {
			skipped, err = importfile.Analyze(ctx, owner)
			owner.Close()
		}
	}
	switch {
	case err != nil:
		fmt.Fprintf(e.stderr, "note: refreshing the database's statistics failed (%v); run ANALYZE as the schema's owner\n", err)
	case len(skipped) > 0:
		fmt.Fprintf(e.stderr, "note: not allowed to ANALYZE %s; run it as the schema's owner (or set MIGRATE_DATABASE_URL)\n", strings.Join(skipped, ", "))
	}
}

// newImportBar shows progress only to a person watching a terminal; in a
// pipe or CI log a bar is noise, and the summary line says it all.
// total is -1 when not known (a streamed case file's count is known at
// its end).
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
JSON (.json; an array of case objects), see docs/IMPORT.md. Cases are
written whole, 500 to a transaction; re-importing updates cases by dossier number,
creditors by code and debtors by reference, so running a file again after
an interruption completes it. Bad rows are reported as "line N: reason";
the good ones are imported and the exit status is 1.

Options:
  --dry-run   check everything, write nothing

CSV columns (header row required; delimiter "," or ";"):
`
