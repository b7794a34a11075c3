package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while a server goroutine writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testEnv is an environment with its own SQLite file and a fixed clock.
type testEnv struct {
	vars           map[string]string
	stdout, stderr *syncBuffer
	now            time.Time
}

func newTestEnv(t *testing.T) *testEnv {
	return &testEnv{
		vars:   map[string]string{"INCASSOBOT_DB": filepath.Join(t.TempDir(), "incassobot.db")},
		stdout: &syncBuffer{}, stderr: &syncBuffer{},
		now: time.Date(2026, time.March, 14, 10, 0, 0, 0, time.UTC),
	}
}

// run runs the binary's commands as main would, with the fixed clock.
func (te *testEnv) run(ctx context.Context, args ...string) error {
	e := &env{
		getenv: func(k string) string { return te.vars[k] },
		stdin:  strings.NewReader(""),
		stdout: te.stdout, stderr: te.stderr,
		now: func() time.Time { return te.now },
	}
	e.logLevel = new(slog.LevelVar)
	e.log = slog.New(slog.NewTextHandler(te.stderr, &slog.HandlerOptions{Level: e.logLevel}))
	return runEnv(ctx, e, append([]string{"incassobot"}, args...))
}

func TestUsageListsCommands(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"incassobot"}, func(string) string { return "" }, nil, &out, &errb)
	if exitCode(err) != 2 {
		t.Errorf("no command: exit %d (%v), want 2", exitCode(err), err)
	}
	for _, cmd := range []string{"serve", "migrate", "import", "costs", "balance"} {
		if !strings.Contains(errb.String(), "  "+cmd+" ") {
			t.Errorf("usage does not list %s:\n%s", cmd, errb.String())
		}
	}
	if err := run(context.Background(), []string{"incassobot", "frobnicate"}, func(string) string { return "" }, nil, &out, &errb); exitCode(err) != 2 || !strings.Contains(err.Error(), `"frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
}

func TestConfigProblemsAreReportedAtOnce(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.vars["ADDR"] = "8080"
	te.vars["DATABASE_URL"] = "mysql://root@localhost/db"
	te.vars["REDIS_URL"] = "http://localhost"
	te.vars["LOG_LEVEL"] = "chatty"
	te.vars["OFFICE_HOURS"] = "weekdays 9-17"
	te.vars["SMTP_URL"] = "imap://mail.example.nl"
	err := te.run(context.Background(), "migrate")
	if exitCode(err) != 2 {
		t.Fatalf("exit %d, want 2: %v", exitCode(err), err)
	}
	for _, v := range []string{"ADDR", "DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "OFFICE_HOURS", "SMTP_URL"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error does not mention %s:\n%v", v, err)
		}
	}
}

func TestCosts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		// WIK staffel (Besluit BIK art. 2): 15% of the first €2,500 = €375.
		{"NL staffel", []string{"--regime", "nl-b2c", "--principal", "2500"}, []string{"€375.00", "€0.00", "Basis:"}},
		// Same, with 21% VAT: 375 × 0.21 = 78.75; total 453.75.
		{"NL with VAT", []string{"--regime", "nl-b2c", "--principal", "2.500,00", "--vat"}, []string{"€375.00", "€78.75", "€453.75"}},
		// BE B2B: law of 2 August 2002 art. 6, flat €40.
		{"BE B2B flat", []string{"--principal", "10000", "--regime", "be-b2b"}, []string{"€40.00"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			te := newTestEnv(t)
			if err := te.run(context.Background(), append([]string{"costs"}, tc.args...)...); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(te.stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, te.stdout)
				}
			}
		})
	}
}

func TestCostsJSON(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	if err := te.run(context.Background(), "costs", "--regime", "nl-b2b", "--principal", "1000", "--json"); err != nil {
		t.Fatal(err)
	}
	var got struct{ Costs, Total string }
	if err := json.Unmarshal([]byte(te.stdout.String()), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, te.stdout)
	}
	// 15% of €1,000 = €150 (Besluit BIK art. 2).
	if got.Costs != "150.00" || got.Total != "150.00" {
		t.Errorf("costs %s total %s, want 150.00", got.Costs, got.Total)
	}
}

func TestCostsBadInputExits2(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--regime", "nl-b2x", "--principal", "100"},
		{"--regime", "nl-b2c", "--principal", "1,234"},
		{"--regime", "nl-b2c", "--principal", "-5"},
		{"--regime", "nl-b2c"},
		{"--colour", "red"},
	} {
		te := newTestEnv(t)
		err := te.run(context.Background(), append([]string{"costs"}, args...)...)
		if exitCode(err) != 2 {
			t.Errorf("costs %v: exit %d (%v), want 2", args, exitCode(err), err)
		}
	}
}

func TestServeAnswersHealthAndStopsCleanly(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	te.vars["ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- te.run(ctx, "serve") }()

	addr := waitForAddr(t, te.stdout, done)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ok"} {
		resp, err := http.Get(addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(string(body), want+"\n") {
			t.Errorf("GET %s = %d %q", path, resp.StatusCode, body)
		}
	}
	if !strings.Contains(te.stderr.String(), "seeded demo cases") {
		t.Errorf("no log line about the demo seed:\n%s", te.stderr)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15s of cancel")
	}
}

var listenLine = regexp.MustCompile(`listening on (http://\S+)`)

func waitForAddr(t *testing.T, out *syncBuffer, done chan error) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := listenLine.FindStringSubmatch(out.String()); m != nil {
			resp, err := http.Get(m[1] + "/healthz")
			if err == nil {
				resp.Body.Close()
				return m[1]
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatal("serve did not report a listen address within 60s")
	return ""
}

func TestHelpIsNotAnError(t *testing.T) {
	t.Parallel()
	te := newTestEnv(t)
	if err := te.run(context.Background(), "import", "--help"); err != nil {
		t.Errorf("import --help: %v", err)
	}
	if !strings.Contains(te.stderr.String(), "invoice_principal") {
		t.Errorf("import --help does not list the columns:\n%s", te.stderr)
	}
	if err := te.run(context.Background(), "help"); err != nil || !strings.Contains(te.stdout.String(), "balance") {
		t.Errorf("help: %v", err)
	}
}
