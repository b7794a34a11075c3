package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
)

// The process dies after the reply was committed but before Twilio took
// it: the next process sends it, exactly once.
func TestE2EKilledAfterCommitSendsAfterRestart(t *testing.T) {
	t.Parallel()
	bin := buildIncassobot(t)
	dbURL := pgtest.NewDatabase(t)
	redisURL, prefix := redistest.NewPrefix(t)

	// The first process's Twilio takes the call and never answers, so the
	// process is caught with the reply claimed and not sent.
	calls := make(chan struct{}, 16)
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
		http.Error(w, "gone", http.StatusServiceUnavailable)
	}))
	t.Cleanup(func() { close(release); hanging.Close() })
	healthy := twiliofake.New(t, e2eAccountSID, e2eAuthToken)

	vars := e2eEnv(dbURL, redisURL, prefix, hanging.URL)
	vars["OUTBOX_LEASE"] = "2s" // the killed claim runs out quickly
	first := startProcess(t, bin, vars)

	st, err := postgres.Open(t.Context(), dbURL)
	must(t, err, "open store")
	t.Cleanup(func() { st.Close() })
	c := newE2ECase(t, st, e2eRef, e2eDebtorPhone)

	sid := newMessageSid()
	if code := postTwilio(t, first.url, "/webhooks/twilio", e2eAuthToken, twilioForm("sms", e2eDebtorPhone, sid, "hallo")); code != http.StatusOK {
		t.Fatalf("webhook: %d, want 200 (committed)", code)
	}
	select {
	case <-calls:
	case <-time.After(10 * time.Second):
		t.Fatal("the first process never tried to send the reply")
	}
	first.kill()
	rows := outboxFor(t, st, "sms", e2eDebtorPhone)
	if len(rows) != 1 || rows[0].Status != casestore.OutboundSending {
		t.Fatalf("after the kill the outbox holds %+v, want one reply claimed and not sent", rows)
	}
	if got := messages(t, dossierOf(t, st, c.ID), casestore.EntryMessageOut, "sms"); len(got) != 1 || got[0] != rows[0].Text {
		t.Errorf("the dossier must already say what the debtor is told: %q", got)
	}

	vars["TWILIO_API_URL"] = healthy.URL
	second := startProcess(t, bin, vars)
	msgs := healthy.WaitForMessages(t, 1, 15*time.Second)
	if msgs[0].Body != rows[0].Text || msgs[0].To != e2eDebtorPhone {
		t.Errorf("after the restart %s got %s, want the committed reply %s", msgs[0].To, short(msgs[0].Body), short(rows[0].Text))
	}
	sent := waitOutbox(t, st, "sms", e2eDebtorPhone, 10*time.Second)
	if r := sent[0]; r.Status != casestore.OutboundSent || r.Attempts != 2 || r.ProviderID != msgs[0].SID {
		t.Errorf("outbox row after the restart: status %s attempts %d provider id %q, want sent on attempt 2 as %s", r.Status, r.Attempts, r.ProviderID, msgs[0].SID)
	}

	// The barrier: the next reply to the phone leaves only after the first
	// is done, so a second copy of it would be there by then.
	s := &e2eServer{t: t, url: second.url, store: st, twilio: healthy}
	d := s.debtor("sms", e2eDebtorPhone)
	d.says("hallo")
	got := d.deliveries()
	if n := countSID(got, msgs[0].SID); n != 1 || len(got) != 2 {
		t.Errorf("the phone got %d messages (%d of the first reply), want the first reply once and the second", len(got), n)
	}
	if calls := len(calls); calls != 0 {
		t.Errorf("the killed process's Twilio was called %d more times", calls)
	}
	second.stop()
}

// process is a running incassobot binary.
type process struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	exited chan struct{}
	err    error
	stderr *syncBuffer
}

func startProcess(t *testing.T, bin string, vars map[string]string) *process {
	t.Helper()
	p := &process{t: t, exited: make(chan struct{}), stderr: &syncBuffer{}}
	stdout := &syncBuffer{}
	if vars["SPOOL_DIR"] == "" {
		vars["SPOOL_DIR"] = t.TempDir() // one volume for every start with these vars
	}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range vars {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = stdout, p.stderr
	must(t, p.cmd.Start(), "start "+bin)
	done := make(chan error, 1)
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
		done <- p.err
	}()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("log of process %d:\n%s", p.cmd.Process.Pid, p.stderr)
		}
	})
	p.url = waitForAddr(t, stdout, done)
	return p
}

// kill ends the process at once (SIGKILL): no shutdown, no cleanup.
func (p *process) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// stop asks the process to stop (SIGINT) and requires a clean exit.
func (p *process) stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.exited:
		if p.err != nil {
			p.t.Errorf("process exited with %v after an interrupt, want a clean stop", p.err)
		}
	case <-time.After(15 * time.Second):
		p.t.Errorf("process did not stop within 15s of an interrupt")
	}
}

// buildIncassobot builds the binary (with -race when the tests run with
// it, so the build reuses their compiled packages).
func buildIncassobot(t *testing.T) string {
	t.Helper()
	return buildIncassobotRace(t, raceEnabled())
}

// buildIncassobotRace builds the binary with or without the race detector
// (a race-enabled process starts several times slower: a test that runs
// the binary many times for its output builds it without). Each kind is
// built once per test run and shared: the tests only run it.
func buildIncassobotRace(t *testing.T, race bool) string {
	t.Helper()
	builtMu.Lock()
	defer builtMu.Unlock()
	if bin, ok := built[race]; ok {
		return bin
	}
	if builtDir == "" {
		dir, err := os.MkdirTemp("", "incassobot-bin-")
		if err != nil {
			t.Fatal(err)
		}
		builtDir = dir
	}
	bin := filepath.Join(builtDir, "incassobot")
	// The test build honours INCASSOBOT_TEST_NOW (testclock_on.go).
	args := []string{"build", "-tags", "incassobot_testclock", "-o", bin}
	if race {
		bin += "-race"
		args = []string{"build", "-tags", "incassobot_testclock", "-o", bin, "-race"}
	}
	// The test binary's own -gcflags (make test's, see the Makefile), so
	// the build reuses the packages compiled for the tests.
	if flags := buildSetting("-gcflags"); flags != "" {
		args = append(args, "-gcflags="+flags)
	}
	start := time.Now()
	if out, err := exec.Command("go", append(args, ".")...).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built %s in %s", bin, time.Since(start).Round(time.Millisecond))
	built[race] = bin
	return bin
}

// The binaries buildIncassobotRace built, by race; removed by TestMain.
var (
	builtMu  sync.Mutex
	built    = map[bool]string{}
	builtDir string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

func raceEnabled() bool { return buildSetting("-race") == "true" }

// buildSetting is a setting the test binary was built with ("" if none).
func buildSetting(key string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	for _, s := range info.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}

// OUTBOX_LEASE, added for the restart test, is read and checked like every
// other variable.
func TestOutboxLeaseConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		want  time.Duration
		bad   bool
	}{
		{"", 0, false}, // the outbox's own default (30s)
		{"2s", 2 * time.Second, false},
		{"1m30s", 90 * time.Second, false},
		{"500ms", 0, true}, // shorter than any send: a live sender would lose its claims
		{"soon", 0, true},
	} {
		cfg, err := loadConfig(func(k string) string {
			if k == "OUTBOX_LEASE" {
				return tc.value
			}
			return ""
		})
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "OUTBOX_LEASE") || exitCode(err) != 2 {
				t.Errorf("OUTBOX_LEASE=%q: want a configuration error naming it, got %v", tc.value, err)
			}
			continue
		}
		if err != nil || cfg.Channels.OutboxLease != tc.want {
			t.Errorf("OUTBOX_LEASE=%q: lease %s, err %v; want %s", tc.value, cfg.Channels.OutboxLease, err, tc.want)
		}
	}
}
