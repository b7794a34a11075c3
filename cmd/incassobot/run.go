package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/incassobot/incassobot/bot/logsafe"
)

// env is what every command gets: the process's surroundings, passed in
// so that tests run commands with their own environment, clock and buffers.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	logLevel       *slog.LevelVar
	now            func() time.Time
	clock          bool // now is an injected clock (tests), not time.Now
}

// command is one subcommand. A new command is one file that calls
// register from an init function; nothing else needs to change.
type command struct {
	name    string
	args    string // argument synopsis for the usage text
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

var commands []command

func register(c command) {
	commands = append(commands, c)
	slices.SortFunc(commands, func(a, b command) int { return strings.Compare(a.name, b.name) })
}

// run is the whole program behind main.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := newEnv(getenv, stdin, stdout, stderr)
	now, err := testClock(getenv)
	if err != nil {
		return err
	}
	if now != nil {
		e.now, e.clock = now, true
	}
	return runEnv(ctx, e, args)
}

// newEnv is the surroundings run gives a command: the real clock.
func newEnv(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) *env {
	level := new(slog.LevelVar)
	return &env{
		getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr,
		log:      slog.New(logsafe.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))),
		logLevel: level,
		now:      time.Now,
	}
}

// runEnv dispatches to a command; tests call it to inject a clock.
func runEnv(ctx context.Context, e *env, args []string) error {
	if len(args) < 2 {
		usage(e.stderr)
		return usageErrorf("no command given")
	}
	name := args[1]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(e.stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(ctx, e, args[2:])
		}
	}
	usage(e.stderr)
	return usageErrorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: incassobot COMMAND [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'incassobot COMMAND --help' for a command's options.")
	fmt.Fprintln(w, "Configuration comes from the environment: ADDR, DATABASE_URL, REDIS_URL,")
	fmt.Fprintln(w, "INCASSOBOT_DB, LOG_LEVEL (see README.md). Without DATABASE_URL the embedded")
	fmt.Fprintln(w, "SQLite file INCASSOBOT_DB (default ./incassobot.db) is used.")
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode maps an error from run to the process exit status: 2 for a
// usage or configuration mistake, 1 for anything else.
func exitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// newFlags makes a flag set for a command that reports to stderr and
// returns errors instead of exiting.
func newFlags(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: incassobot %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses flags wherever they stand among the positional
// arguments ("import cases.csv --dry-run" and "import --dry-run cases.csv")
// and returns the positional ones. -h/--help is reported as flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// helpOK turns an asked-for --help into success; the usage was printed.
func helpOK(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}
