package main

import (
	"context"
	"io"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/loadgen"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
)

// freeAddr reserves a loopback port and lets it go, for a server that
// must be named before it starts (the two sides need each other's URL).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitListening waits until something accepts connections at addr.
func waitListening(t *testing.T, addr string, done <-chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return
		}
		select {
		case err := <-done:
			t.Fatalf("loadgen stopped before its fake providers listened: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("nothing listens at %s", addr)
}

// 20 debtors hold conversations on SMS, WhatsApp and Telegram against the
// real server on PostgreSQL and Redis, a tenth of the webhooks delivered
// twice: every accepted message is in the inbox and dossier once, every
// reply reached the provider once, nothing is lost.
func TestLoadgenAgainstServeLosesNothing(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDatabase(t)
	redisURL, prefix := redistest.NewPrefix(t)
	fakeAddr, serveAddr := freeAddr(t), freeAddr(t)
	target := "http://" + serveAddr

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	lgOut, lgErr := &syncBuffer{}, &syncBuffer{}
	lgDone := make(chan error, 1)
	go func() {
		lgDone <- run(ctx, []string{"incassobot", "loadgen", "--target", target, "--listen", fakeAddr,
			"--database-url", dbURL, "--seed", "--debtors", "20", "--messages", "200", "--rate", "40",
			"--duplicate-share", "0.1", "--reply-timeout", "10s"},
			func(string) string { return "" }, strings.NewReader(""), lgOut, lgErr)
	}()
	waitListening(t, fakeAddr, lgDone)

	acc := loadgen.DefaultAccounts
	vars := map[string]string{
		"ADDR": serveAddr, "DATABASE_URL": dbURL, "REDIS_URL": redisURL, "REDIS_PREFIX": prefix,
		"PUBLIC_URL": "https://incassobot.loadgen.test", "QUIET_HOURS": "0-0",
		"TWILIO_ACCOUNT_SID": acc.TwilioAccountSID, "TWILIO_AUTH_TOKEN": acc.TwilioAuthToken,
		"TWILIO_SMS_FROM": acc.SMSFrom, "TWILIO_WHATSAPP_FROM": acc.WhatsAppFrom, "TWILIO_API_URL": "http://" + fakeAddr,
		"TELEGRAM_BOT_TOKEN": acc.TelegramToken, "TELEGRAM_WEBHOOK_SECRET": acc.TelegramSecret,
		"TELEGRAM_API_URL": "http://" + fakeAddr, "SPOOL_DIR": t.TempDir(),
	}
	serveCtx, stopServe := context.WithCancel(context.Background())
	serveErr, serveLog := make(chan error, 1), &syncBuffer{}
	go func() {
		serveErr <- run(serveCtx, []string{"incassobot", "serve"}, func(k string) string { return vars[k] },
			strings.NewReader(""), &syncBuffer{}, serveLog)
	}()
	defer func() {
		stopServe()
		select {
		case <-serveErr:
		case <-time.After(15 * time.Second):
			t.Errorf("serve did not stop within 15s")
		}
		if t.Failed() {
			t.Logf("server log:\n%s\nloadgen progress:\n%s", serveLog, lgErr)
		}
	}()

	var err error
	select {
	case err = <-lgDone:
	case err := <-serveErr:
		serveErr <- err // for the clean-up
		t.Fatalf("serve stopped while loadgen ran: %v", err)
	case <-ctx.Done():
		t.Fatalf("loadgen did not finish within 90s")
	}
	report := lgOut.String()
	t.Logf("loadgen report:\n%s", report)
	if err != nil {
		t.Fatalf("loadgen: %v", err)
	}
	for _, want := range []string{
		"200 messages in",
		"accepted 200, failed 0",
		"accepted messages 200: lost 0",
		"missing 0, more than once 0",
		"never received 0; still waiting 0, failed 0",
		"(delivered twice) 0",
		"OK: nothing lost",
		"errors: none",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// About a tenth of 200 go twice; each must be filed once.
	m := regexp.MustCompile(`duplicates sent (\d+): filed once (\d+)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("the report does not say how the duplicates were filed")
	}
	sent, _ := strconv.Atoi(m[1])
	once, _ := strconv.Atoi(m[2])
	if sent == 0 || once != sent {
		t.Errorf("duplicates sent %d, filed once %d: want some sent, each filed once", sent, once)
	}
	// Every message got its reply: 200 replies, none late.
	if !strings.Contains(report, "replies received 200, messages without a reply in time 0") {
		t.Errorf("not every message got a reply in time")
	}
	if !strings.Contains(lgErr.String(), "msg/s") {
		t.Errorf("no progress line on stderr: %q", lgErr)
	}
}

// make bench ends with `loadgen --figures summary.md --into
// docs/BENCHMARKS.md`: the figures replace the old ones between the
// markers, the prose around them stays, and a document without the
// markers is refused and left as it was.
func TestLoadgenWritesFiguresIntoTheDocument(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	doc, fig := dir+"/BENCHMARKS.md", dir+"/summary.md"
	write := func(path, text string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(doc, "# Benchmarks\n\n"+loadgen.FiguresBegin+"\nold\n"+loadgen.FiguresEnd+"\n\n## Where the time goes\n")
	write(fig, "## Figures of the run of today\n\n| run | msg/s |\n|---|---|\n| sustained | 812.5 |\n")
	var stderr strings.Builder
	runLG := func() error {
		return run(context.Background(), []string{"incassobot", "loadgen", "--figures", fig, "--into", doc},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, &stderr)
	}
	if err := runLG(); err != nil {
		t.Fatalf("loadgen --figures: %v (%s)", err, stderr.String())
	}
	got, _ := os.ReadFile(doc)
	want := "# Benchmarks\n\n" + loadgen.FiguresBegin + "\n## Figures of the run of today\n\n| run | msg/s |\n|---|---|\n| sustained | 812.5 |\n" +
		loadgen.FiguresEnd + "\n\n## Where the time goes\n"
	if string(got) != want {
		t.Fatalf("document:\n%s\nwant:\n%s", got, want)
	}
	write(doc, "# Benchmarks without markers\n")
	if err := runLG(); err == nil || !strings.Contains(err.Error(), "figures:begin") {
		t.Errorf("document without markers: %v, want an error naming the markers", err)
	}
	if got, _ := os.ReadFile(doc); string(got) != "# Benchmarks without markers\n" {
		t.Errorf("refused document changed to %q", got)
	}
}
