package main

// The README is a promise to a newcomer: every command in its code blocks
// runs as written, from the repository root after `make build`, on a fresh
// checkout. This test builds the binary once, gives it a temporary
// directory shaped like the checkout (no incassobot.db), and runs each
// `bin/incassobot …` command of the README in order through sh, as a
// person pasting them would. It checks the exit status (0, or the one the
// README announces as "# exit status N") and that the output lines the
// README shows under a command ("#   …") appear in order, "…" standing for
// text that depends on the day. Then it runs the read-only commands again
// on the now used database: the tour must also hold the second time.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readmeSkip lists README commands the test does not run, each with why.
// The README has none today that need an outside service (Twilio,
// Telegram, a public URL); such a command goes here, matched by prefix.
var readmeSkip = map[string]string{}

// readmeCommand is one command of the README with what it promises.
type readmeCommand struct {
	line  int    // in README.md
	shell string // as written, continuation lines joined
	exit  int    // the exit status the README announces; 0 when none
	shown []string
}

func (c readmeCommand) subcommand() string {
	_, after, _ := strings.Cut(c.shell, "bin/incassobot ")
	name, _, _ := strings.Cut(after, " ")
	return name
}

var exitNote = regexp.MustCompile(`exit status (\d)`)

// readmeCommands extracts the commands from the fenced code blocks.
func readmeCommands(t *testing.T, readme string) []readmeCommand {
	t.Helper()
	var (
		cmds    []readmeCommand
		inBlock bool
		pending string // a command continued on the next line
	)
	lines := strings.Split(readme, "\n")
	for i, raw := range lines {
		if strings.HasPrefix(raw, "```") {
			inBlock = !inBlock
			continue
		}
		if !inBlock {
			continue
		}
		if strings.Contains(raw, "go run ./cmd/incassobot") {
			t.Errorf("README.md:%d uses go run; the README runs bin/incassobot (after make build) throughout", i+1)
		}
		if shown, ok := strings.CutPrefix(raw, "#   "); ok && pending == "" && len(cmds) > 0 {
			last := &cmds[len(cmds)-1]
			last.shown = append(last.shown, shown)
			continue
		}
		code, comment := splitComment(raw)
		if pending != "" {
			code = pending + "\n" + code
			pending = ""
		}
		trimmed := strings.TrimSpace(code)
		if strings.HasSuffix(trimmed, "|") || strings.HasSuffix(trimmed, `\`) {
			pending = code
			continue
		}
		if !strings.Contains(code, "bin/incassobot ") {
			continue
		}
		c := readmeCommand{line: i + 1, shell: strings.TrimSpace(code)}
		if m := exitNote.FindStringSubmatch(comment); m != nil {
			c.exit, _ = strconv.Atoi(m[1])
		}
		cmds = append(cmds, c)
	}
	return cmds
}

// splitComment cuts a shell line at a # that starts a comment (after
// white space, outside quotes).
func splitComment(line string) (code, comment string) {
	var quote rune
	for i, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '#' && i > 0 && (line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i], line[i:]
		}
	}
	return line, ""
}

func TestREADMECommandsRunAsWritten(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(t, string(readme))
	if len(cmds) < 10 {
		t.Fatalf("found %d commands in README.md; the extraction is broken", len(cmds))
	}
	dir := checkoutWithoutDatabase(t)
	for _, c := range cmds {
		if why, skip := skipped(c); skip {
			t.Logf("README.md:%d not run (%s): %s", c.line, why, c.shell)
			continue
		}
		runREADMECommand(t, dir, c)
	}
	// Again, on a database the tour has used.
	for _, c := range cmds {
		switch c.subcommand() {
		case "costs", "balance", "chat":
			if c.exit == 0 {
				runREADMECommand(t, dir, c)
			}
		}
	}
}

func skipped(c readmeCommand) (string, bool) {
	for prefix, why := range readmeSkip {
		if strings.HasPrefix(c.shell, prefix) {
			return why, true
		}
	}
	return "", false
}

// checkoutWithoutDatabase is a temporary directory with bin/incassobot
// built from this source and the repository's files linked in, so that
// paths in the README resolve and ./incassobot.db is created fresh.
func checkoutWithoutDatabase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Without -race: the README's commands are checked for what they print
	// (the other tests look for races), and a race-enabled binary starts
	// several times slower, some 30 times over here.
	if err := os.Symlink(buildIncassobotRace(t, false), filepath.Join(dir, "bin", "incassobot")); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		// Not bin/ (ours is linked in) nor a SQLite file a developer left
		// in the checkout: the README's stores must start out absent.
		if name := e.Name(); name != "bin" && !strings.Contains(name, ".db") {
			if err := os.Symlink(filepath.Join(root, name), filepath.Join(dir, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

// readmeEnv is a newcomer's environment: nothing of incassobot's configured
// (the CI machine's DATABASE_URL or REDIS_URL would point elsewhere),
// except a free port for serve.
func readmeEnv(dir string) []string {
	return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TMPDIR=" + os.TempDir(), "ADDR=127.0.0.1:0", "LANG=C.UTF-8"}
}

func runREADMECommand(t *testing.T, dir string, c readmeCommand) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", c.shell)
	cmd.Dir, cmd.Env = dir, readmeEnv(dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if c.subcommand() == "serve" {
		serveUntilListening(t, cmd, &out, c)
	} else if err := cmd.Run(); exitStatus(err) != c.exit {
		t.Errorf("README.md:%d %s\nexit status %d (%v), the README says %d; output:\n%s", c.line, c.shell, exitStatus(err), err, c.exit, &out)
		return
	}
	if missing := firstMissing(out.String(), c.shown); missing != "" {
		t.Errorf("README.md:%d %s\nthe output lacks the shown line %q; output:\n%s", c.line, c.shell, missing, &out)
	}
}

// serveUntilListening starts serve, waits for its address line, then
// stops it as Ctrl-C would: it must exit 0.
func serveUntilListening(t *testing.T, cmd *exec.Cmd, out *bytes.Buffer, c readmeCommand) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = pw, pw
	// sh -c runs a single command in its own place (exec), so the signal
	// reaches incassobot itself.
	cmd.Args = []string{"sh", "-c", "exec " + c.shell}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	listening, done := make(chan bool, 1), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		said := false
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if !said && strings.Contains(sc.Text(), "listening on http://") {
				said = true
				listening <- true
			}
		}
		if !said {
			listening <- false
		}
	}()
	if !<-listening {
		cmd.Wait()
		<-done
		t.Fatalf("README.md:%d %s: never said it was listening:\n%s", c.line, c.shell, out)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err = cmd.Wait()
	<-done
	if err != nil {
		t.Errorf("README.md:%d %s: stopped with Ctrl-C: %v (want exit status 0)", c.line, c.shell, err)
	}
}

func exitStatus(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	default:
		return -1
	}
}

var spaces = regexp.MustCompile(`\s+`)

// firstMissing returns the first shown line whose pieces (split at "…")
// do not appear in order in the output, white space runs counting as one
// space (tables are aligned by the terminal width of their cells).
func firstMissing(output string, shown []string) string {
	out := spaces.ReplaceAllString(output, " ")
	at := 0
	for _, line := range shown {
		for _, piece := range strings.Split(line, "…") {
			piece = strings.TrimSpace(spaces.ReplaceAllString(piece, " "))
			if piece == "" {
				continue
			}
			i := strings.Index(out[at:], piece)
			if i < 0 {
				return line
			}
			at += i + len(piece)
		}
	}
	return ""
}

// Every variable the configuration reads is documented in the README's
// configuration table.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	read := regexp.MustCompile(`getenv\("([A-Z_]+)"\)`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllSubmatch(src, -1) {
			if !bytes.Contains(readme, []byte("`"+string(m[1])+"`")) {
				t.Errorf("%s reads %s, which the README's configuration table does not name", f, m[1])
			}
		}
	}
}
