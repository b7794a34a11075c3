package main

// The fault run: loadgen's debtors write on SMS, WhatsApp and Telegram at
// a steady rate while Redis is restarted, then PostgreSQL, then the server
// is SIGKILLed and started again, then PostgreSQL is restarted while the
// providers do not retry (every webhook must be answered 2xx: the spool). After each fault loadgen's audit must
// find every accepted message filed exactly once and every reply delivered;
// replies delivered twice are counted and must each come with an outbox
// resend (at-least-once delivery after a lost claim), never from the bot
// handling a message twice.
//
// The faults hit private instances this test starts itself — a redis-server
// and a PostgreSQL cluster (initdb + pg_ctl) on free ports in a temporary
// directory — never the machine's shared services, which other test
// packages use at the same time. scripts/faultrun.sh runs this same test
// for longer and harder through the FAULTRUN_* variables.

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/loadgen"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/redis/go-redis/v9"
)

// faultRunSettings size the run; the defaults are the short version that
// `make test` runs, the FAULTRUN_* variables the long one.
type faultRunSettings struct {
	phase   time.Duration // load per fault; the fault strikes a third of the way in
	outage  time.Duration // how long a service stays down
	debtors int
	rate    float64 // messages per second over all debtors
	cycles  int     // the three faults, this many times
	dupes   float64 // share of webhooks delivered twice
}

func faultRunConfig(t *testing.T) faultRunSettings {
	t.Helper()
	s := faultRunSettings{phase: 8 * time.Second, outage: time.Second, debtors: 12, rate: 25, cycles: 1, dupes: 0.05}
	dur := func(name string, d *time.Duration) {
		if v := os.Getenv(name); v != "" {
			p, err := time.ParseDuration(v)
			if err != nil || p <= 0 {
				t.Fatalf("%s=%q: want a positive duration", name, v)
			}
			*d = p
		}
	}
	num := func(name string, f *float64) {
		if v := os.Getenv(name); v != "" {
			p, err := strconv.ParseFloat(v, 64)
			if err != nil || p < 0 {
				t.Fatalf("%s=%q: want a number ≥ 0", name, v)
			}
			*f = p
		}
	}
	dur("FAULTRUN_PHASE", &s.phase)
	dur("FAULTRUN_OUTAGE", &s.outage)
	num("FAULTRUN_RATE", &s.rate)
	num("FAULTRUN_DUPLICATES", &s.dupes)
	debtors, cycles := float64(s.debtors), float64(s.cycles)
	num("FAULTRUN_DEBTORS", &debtors)
	num("FAULTRUN_CYCLES", &cycles)
	s.debtors, s.cycles = int(debtors), int(cycles)
	if s.debtors < 3 || s.cycles < 1 || s.dupes > 1 {
		t.Fatalf("FAULTRUN_DEBTORS ≥ 3 (one per channel), FAULTRUN_CYCLES ≥ 1, FAULTRUN_DUPLICATES ≤ 1; got %+v", s)
	}
	return s
}

// faultTotals add up the phases for the summary line.
type faultTotals struct {
	accepted, lost, extra, resent, duplicatesSent int
}

func TestE2EFaultRunLosesNothing(t *testing.T) {
	t.Parallel()
	cfg := faultRunConfig(t)
	rds := startPrivateRedis(t)
	pg := startPrivatePostgres(t)
	bin := buildIncassobot(t)

	ctx := context.Background()
	st, err := postgres.Open(ctx, pg.url)
	must(t, err, "open the private PostgreSQL")
	t.Cleanup(func() { st.Close() })
	must(t, st.Migrate(ctx), "migrate")
	debtors := loadgen.Debtors(cfg.debtors, []string{"sms", "whatsapp", "telegram"})
	must(t, loadgen.Seed(ctx, st, debtors, time.Now()), "seed the debtors' cases")

	acc := loadgen.DefaultAccounts
	prov := loadgen.NewProvider(acc)
	must(t, prov.Start("127.0.0.1:0"), "start the fake providers")
	t.Cleanup(func() { _ = prov.Close() })

	serveAddr := freeAddr(t)
	const publicURL = "https://incassobot.faultrun.test"
	vars := map[string]string{
		"ADDR": serveAddr, "DATABASE_URL": pg.url, "REDIS_URL": rds.url, "REDIS_PREFIX": "faultrun:",
		"PUBLIC_URL": publicURL, "QUIET_HOURS": "0-0", "LOG_LEVEL": "warn",
		"TWILIO_ACCOUNT_SID": acc.TwilioAccountSID, "TWILIO_AUTH_TOKEN": acc.TwilioAuthToken,
		"TWILIO_SMS_FROM": acc.SMSFrom, "TWILIO_WHATSAPP_FROM": acc.WhatsAppFrom, "TWILIO_API_URL": prov.URL,
		"TELEGRAM_BOT_TOKEN": acc.TelegramToken, "TELEGRAM_WEBHOOK_SECRET": acc.TelegramSecret,
		"TELEGRAM_MODE": "webhook", "TELEGRAM_API_URL": prov.URL,
		// A claim lost with a killed process (or a MarkSent lost with the
		// database) runs out quickly, so the reply goes out again within
		// the phase. The fake answers at once: no live send is that slow.
		"OUTBOX_LEASE": "2s",
	}
	server := startProcess(t, bin, vars)

	faults := []struct {
		name    string
		strike  func()
		why     string // where a reply delivered twice comes from, for the report
		noRetry bool   // the providers deliver each webhook once (Twilio's default)
	}{
		{"restart Redis", func() { rds.restart(t, cfg.outage) },
			"none expected: Redis holds no delivery state (dialog positions and locks are lost; debtors are asked to identify again)", false},
		{"restart PostgreSQL", func() { pg.restart(t, cfg.outage) },
			"a reply the provider took while its MarkSent could not commit is sent again when its claim runs out (at least once)", false},
		{"SIGKILL the server and start it again", func() {
			server.kill()
			time.Sleep(cfg.outage)
			server = startProcess(t, bin, vars)
		}, "a reply the provider took before the killed process marked it sent is sent again by the new process (at least once)", false},
		{"restart PostgreSQL, providers do not retry", func() { pg.restart(t, cfg.outage) },
			"a reply the provider took while its MarkSent could not commit is sent again when its claim runs out (at least once)", true},
	}

	var total faultTotals
	var prevExtra, prevResent int
	var summary strings.Builder
	// The table goes to FAULTRUN_SUMMARY also when a phase fails, so the
	// script shows how far the run got.
	writeSummary := func() {
		if path := os.Getenv("FAULTRUN_SUMMARY"); path != "" {
			must(t, os.WriteFile(path, []byte(summary.String()), 0o644), "write "+path)
		}
	}
	for cycle := 1; cycle <= cfg.cycles; cycle++ {
		for _, f := range faults {
			name := f.name
			if cfg.cycles > 1 {
				name = fmt.Sprintf("cycle %d: %s", cycle, f.name)
			}
			progress := &syncBuffer{}
			lgCfg := loadgen.Config{
				Target: "http://" + serveAddr, PublicURL: publicURL, Accounts: acc, Debtors: debtors,
				Rate: cfg.rate, Duration: cfg.phase, DuplicateShare: cfg.dupes,
				// Like a provider, keep retrying the same message id through
				// the outage: 100 ms doubling covers about 25 s.
				MaxAttempts: 9, Backoff: 100 * time.Millisecond, RequestTimeout: 10 * time.Second,
				ReplyTimeout: 20 * time.Second, Progress: progress, Store: st,
			}
			if f.noRetry {
				// Twilio without connection overrides: a webhook not
				// answered 2xx is never delivered again, so it is lost.
				lgCfg.MaxAttempts = 1
			}
			type result struct {
				rep *loadgen.Report
				err error
			}
			done := make(chan result, 1)
			go func() {
				rep, err := loadgen.Run(ctx, lgCfg, prov)
				done <- result{rep, err}
			}()
			time.Sleep(cfg.phase / 3)
			struck := time.Now()
			f.strike()
			recovered := time.Now()
			res := <-done
			var report strings.Builder
			if res.rep != nil {
				res.rep.Write(&report)
			}
			if res.err != nil {
				t.Fatalf("%s: loadgen: %v\n%s\nprogress:\n%s", name, res.err, report.String(), progress)
			}
			a := res.rep.Audit
			if f.noRetry {
				a.Lost += int(res.rep.Failed)
			}
			extra, resent := a.ExtraDeliveries-prevExtra, resentReplies(t, st, debtors)-prevResent
			prevExtra, prevResent = a.ExtraDeliveries, prevResent+resent
			after := deliveredSince(prov, debtors, recovered)
			t.Logf("%s (down %s, then %s of load):\n%s", name, recovered.Sub(struck).Round(time.Millisecond), cfg.phase-cfg.phase/3, report.String())
			fmt.Fprintf(&summary, "%-46s accepted %5d  lost %d  duplicates sent %4d filed once %4d  delivered twice %3d  resent replies %3d  replies after recovery %4d\n",
				name, a.Accepted, a.Lost, a.DuplicatesSent, a.DuplicatesOnce, extra, resent, after)
			if extra > 0 {
				fmt.Fprintf(&summary, "%46s why delivered twice: %s\n", "", f.why)
			}
			total.accepted += a.Accepted
			total.lost += a.Lost
			total.extra += extra
			total.resent += resent
			total.duplicatesSent += a.DuplicatesSent

			if a.Accepted == 0 || after == 0 {
				t.Errorf("%s: %d messages accepted, %d replies delivered after recovery: the load did not carry on through the fault", name, a.Accepted, after)
			}
			if f.noRetry && res.rep.Failed != 0 {
				t.Errorf("%s: %d webhooks not answered 2xx; without provider retries they are lost", name, res.rep.Failed)
			}
			if a.Lost != 0 || a.DossierMissing != 0 || a.DossierTwice != 0 {
				t.Errorf("%s: lost %d, dossier missing %d, dossier twice %d: want every accepted message filed exactly once", name, a.Lost, a.DossierMissing, a.DossierTwice)
			}
			if a.DuplicatesOnce != a.DuplicatesSent {
				t.Errorf("%s: of %d webhooks delivered twice only %d were filed once", name, a.DuplicatesSent, a.DuplicatesOnce)
			}
			if a.RepliesMissing != 0 || a.RepliesWaiting != 0 || a.RepliesFailed != 0 {
				t.Errorf("%s: replies never received %d, still waiting %d, failed %d: want every reply delivered", name, a.RepliesMissing, a.RepliesWaiting, a.RepliesFailed)
			}
			// A reply can reach the debtor twice only when the outbox sent it
			// again after losing its claim or its mark; anything else would be
			// the bot answering one message twice.
			if extra > 0 && resent == 0 {
				t.Errorf("%s: %d replies delivered twice without any outbox resend: %q", name, extra, a.Problems)
			}
			if t.Failed() {
				t.Logf("progress of %s:\n%s", name, progress)
				writeSummary()
				t.FailNow()
			}
		}
	}
	fmt.Fprintf(&summary, "%-46s accepted %5d  lost %d  duplicates sent %4d (each filed once)  delivered twice %3d  resent replies %3d\n",
		"total", total.accepted, total.lost, total.duplicatesSent, total.extra, total.resent)
	t.Logf("fault run (%d debtors, %.0f msg/s, %s per fault, services down %s):\n%s", cfg.debtors, cfg.rate, cfg.phase, cfg.outage, summary.String())
	writeSummary()
	server.stop()
}

// resentReplies counts the debtors' replies the outbox marked sent after
// more than one claim: those the provider may have received twice.
func resentReplies(t *testing.T, st casestore.Store, debtors []loadgen.Debtor) int {
	t.Helper()
	n := 0
	for _, d := range debtors {
		rows, err := st.OutboundFor(context.Background(), d.Channel, d.Address(), 100000)
		must(t, err, "outbox of "+d.Address())
		for _, m := range rows {
			if m.Attempts > 1 && (m.Status == casestore.OutboundSent || m.Status == casestore.OutboundDelivered) {
				n++
			}
		}
	}
	return n
}

// deliveredSince counts the deliveries at the fake after t.
func deliveredSince(prov *loadgen.Provider, debtors []loadgen.Debtor, t time.Time) int {
	n := 0
	for _, d := range debtors {
		for _, m := range prov.Deliveries(d.Channel, d.Address()) {
			if m.At.After(t) {
				n++
			}
		}
	}
	return n
}

// needBinary fails the test under CI (where the services' packages must be
// installed) and skips it elsewhere, saying what is missing.
func needBinary(t *testing.T, what string, err error) {
	t.Helper()
	msg := fmt.Sprintf("the fault run needs %s: %v (install it, e.g. scripts/ensure-services.sh)", what, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// freePort is a loopback port nothing listens on (just now).
func freePort(t *testing.T) int {
	t.Helper()
	_, port, err := net.SplitHostPort(freeAddr(t))
	must(t, err, "free port")
	p, _ := strconv.Atoi(port)
	return p
}

// privateRedis is a redis-server of the test's own, without persistence:
// a restart loses every key, as a Redis without a disk would.
type privateRedis struct {
	bin, dir string
	port     int
	url      string
	cmd      *exec.Cmd
	exited   chan struct{}
}

func startPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		needBinary(t, "redis-server", err)
	}
	r := &privateRedis{bin: bin, dir: t.TempDir(), port: freePort(t)}
	r.url = fmt.Sprintf("redis://127.0.0.1:%d/0", r.port)
	r.start(t)
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) start(t *testing.T) {
	t.Helper()
	r.cmd = exec.Command(r.bin, "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", r.dir, "--logfile", filepath.Join(r.dir, "redis.log"))
	must(t, r.cmd.Start(), "start redis-server")
	r.exited = make(chan struct{})
	go func(cmd *exec.Cmd, exited chan struct{}) { _ = cmd.Wait(); close(exited) }(r.cmd, r.exited)
	client := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port)})
	defer client.Close()
	deadline := time.Now().Add(15 * time.Second)
	for client.Ping(context.Background()).Err() != nil {
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			t.Fatalf("private redis-server on port %d did not answer within 15s:\n%s", r.port, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop ends redis-server as an operator's restart does (SIGTERM).
func (r *privateRedis) stop() {
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.exited:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.exited
	}
	r.cmd = nil
}

func (r *privateRedis) restart(t *testing.T, down time.Duration) {
	t.Helper()
	r.stop()
	time.Sleep(down)
	r.start(t)
}

// privatePostgres is a PostgreSQL cluster of the test's own: initdb in a
// temporary directory, TCP on a free loopback port, its unix socket in that
// directory. As root it runs as the postgres user (PostgreSQL refuses root).
type privatePostgres struct {
	bindir, dir, data string
	port              int
	url               string
	cred              *syscall.Credential
}

func startPrivatePostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bindir, err := postgresBinDir()
	if err != nil {
		needBinary(t, "PostgreSQL's initdb and pg_ctl", err)
	}
	// Not t.TempDir: its parents are private to root, and the postgres user
	// must reach the data directory.
	dir, err := os.MkdirTemp("", "incassobot-faultrun-pg-")
	must(t, err, "temporary directory")
	p := &privatePostgres{bindir: bindir, dir: dir, data: filepath.Join(dir, "data"), port: freePort(t)}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			needBinary(t, "the postgres user (PostgreSQL will not run as root)", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		must(t, os.Chown(dir, uid, gid), "hand the directory to postgres")
	}
	p.pg(t, "initdb", "-D", p.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
	p.url = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", p.port)
	p.start(t)
	t.Cleanup(func() {
		// Immediate: the cluster is thrown away with its directory.
		_ = p.command("pg_ctl", "-D", p.data, "-m", "immediate", "-w", "stop").Run()
	})
	return p
}

// postgresBinDir finds initdb and pg_ctl: $PG_BINDIR, the newest Debian
// /usr/lib/postgresql/N/bin, or the PATH.
func postgresBinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		_, err := os.Stat(filepath.Join(d, "initdb"))
		return d, err
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	initdb, err := exec.LookPath("initdb")
	if err != nil {
		return "", err
	}
	return filepath.Dir(initdb), nil
}

func (p *privatePostgres) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(p.bindir, name), args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "LC_ALL=C", "HOME=" + p.dir}
	cmd.Dir = p.dir
	if p.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	return cmd
}

func (p *privatePostgres) pg(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := p.command(name, args...).CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(p.dir, "postgres.log"))
		t.Fatalf("%s %s: %v\n%s\n%s", name, strings.Join(args, " "), err, out, log)
	}
}

func (p *privatePostgres) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB -c max_connections=100", p.port, p.dir)
	p.pg(t, "pg_ctl", "-D", p.data, "-l", filepath.Join(p.dir, "postgres.log"), "-o", opts, "-w", "-t", "60", "start")
}

// restart stops the cluster as an operator's restart does (fast: open
// transactions are rolled back, connections cut), keeps it down, and
// starts it again.
func (p *privatePostgres) restart(t *testing.T, down time.Duration) {
	t.Helper()
	p.pg(t, "pg_ctl", "-D", p.data, "-m", "fast", "-w", "-t", "60", "stop")
	time.Sleep(down)
	p.start(t)
}
