package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/incassobot/incassobot/bot/loadgen"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/sqlite"
)

func init() {
	register(command{name: "loadgen", args: "--target URL [options]",
		summary: "simulate debtors on SMS, WhatsApp and Telegram against a running server; audit the store", run: cmdLoadgen})
}

type loadgenFlags struct {
	target, publicURL, listen, channels, databaseURL string
	debtors, messages                                int
	rate, duplicateShare                             float64
	duration, replyTimeout, waitReady                time.Duration
	seed, printEnv                                   bool
	seedOnly                                         bool   // seed and exit, no load (make bench seeds once)
	jsonReport                                       string // also write the report as JSON to this file
	figures, into                                    string // splice a bench summary into a document and exit
	noRetry                                          bool   // one attempt per webhook: Twilio without connection overrides
}

func cmdLoadgen(ctx context.Context, e *env, args []string) error {
	var f loadgenFlags
	fs := newFlags(e, "loadgen", "--target URL [--debtors N] [--rate R] [--duration D | --messages M] …")
	fs.StringVar(&f.target, "target", "http://127.0.0.1:8080", "the running server")
	fs.StringVar(&f.publicURL, "public-url", "https://incassobot.loadgen.test", "the server's PUBLIC_URL, which Twilio signatures cover (https: the server registers it with Telegram)")
	fs.StringVar(&f.listen, "listen", "127.0.0.1:8099", "where the fake Twilio and Telegram APIs listen (the server's TWILIO_API_URL and TELEGRAM_API_URL)")
	fs.StringVar(&f.channels, "channels", "sms,whatsapp,telegram", "channels the debtors write on, round-robin")
	fs.StringVar(&f.databaseURL, "database-url", "", "the server's store, for --seed and the audit: a PostgreSQL URL or a SQLite file; empty: no audit")
	fs.IntVar(&f.debtors, "debtors", 20, "debtors holding conversations at once")
	fs.IntVar(&f.messages, "messages", 0, "stop after this many messages")
	fs.Float64Var(&f.rate, "rate", 0, "messages per second over all debtors; 0 = as fast as the replies come")
	fs.Float64Var(&f.duplicateShare, "duplicate-share", 0.05, "share of webhooks delivered twice, as providers do")
	fs.DurationVar(&f.duration, "duration", 0, "stop sending after this long (default 30s when --messages is not given)")
	fs.DurationVar(&f.replyTimeout, "reply-timeout", 15*time.Second, "how long a debtor waits for a reply")
	fs.DurationVar(&f.waitReady, "wait-ready", 60*time.Second, "how long to wait for the server's /readyz")
	fs.BoolVar(&f.seed, "seed", false, "file the debtors' cases in --database-url first (phones +3169…, dossiers LG-2026-…)")
	fs.BoolVar(&f.printEnv, "print-env", false, "print the environment the server needs and exit")
	fs.BoolVar(&f.noRetry, "no-retry", false, "deliver each webhook once, as Twilio does without connection overrides: a webhook not answered 2xx is a lost message (exit 1)")
	fs.BoolVar(&f.seedOnly, "seed-only", false, "with --seed: file the cases and exit without sending anything")
	fs.StringVar(&f.jsonReport, "json", "", "also write the report (latencies in ms, audit) as JSON to this file")
	fs.StringVar(&f.figures, "figures", "", "with --into: a markdown file (scripts/bench.sh's summary) to write into that document, then exit")
	fs.StringVar(&f.into, "into", "", "with --figures: the document whose figures (between <!-- figures:begin --> and <!-- figures:end -->) are replaced")
	if _, err := parseFlags(fs, args); err != nil {
		return helpOK(err)
	}
	if f.figures != "" || f.into != "" {
		return spliceFigures(f.figures, f.into)
	}
	channels, err := f.check()
	if err != nil {
		return err
	}
	acc := loadgen.DefaultAccounts
	if f.printEnv {
		printLoadEnv(e.stdout, f, acc)
		return nil
	}
	debtors := loadgen.Debtors(f.debtors, channels)
	st, err := f.openStore(ctx, e, debtors)
	if err != nil {
		return err
	}
	if st != nil {
		defer st.Close()
	}
	if f.seedOnly {
		return nil
	}
	prov := loadgen.NewProvider(acc)
	if err := prov.Start(f.listen); err != nil {
		return fmt.Errorf("fake providers on %s: %w", f.listen, err)
	}
	defer prov.Close()
	fmt.Fprintf(e.stderr, "loadgen: fake Twilio and Telegram on %s; waiting for %s/readyz\n", prov.URL, f.target)
	if err := awaitServerReady(ctx, f.target, f.waitReady); err != nil {
		return err
	}
	rep, err := loadgen.Run(ctx, loadgen.Config{Target: f.target, PublicURL: f.publicURL, Accounts: acc, Debtors: debtors,
		Rate: f.rate, Duration: f.duration, Messages: f.messages, DuplicateShare: f.duplicateShare,
		ReplyTimeout: f.replyTimeout, Progress: e.stderr, Store: st, MaxAttempts: map[bool]int{true: 1}[f.noRetry]}, prov)
	if rep != nil {
		rep.Write(e.stdout)
		if f.jsonReport != "" {
			if jerr := writeJSONReport(f.jsonReport, rep); jerr != nil {
				return jerr
			}
		}
	}
	if err != nil {
		return err
	}
	if !rep.Audit.OK() {
		return fmt.Errorf("loadgen: %d accepted messages are not in the store", rep.Audit.Lost)
	}
	if f.noRetry && rep.Failed > 0 {
		return fmt.Errorf("loadgen: %d webhooks were not answered 2xx and, without retries, are lost", rep.Failed)
	}
	return nil
}

// check validates the flags, all problems at once.
func (f *loadgenFlags) check() ([]string, error) {
	var errs []error
	var channels []string
	for c := range strings.SplitSeq(f.channels, ",") {
		switch c = strings.TrimSpace(c); c {
		case "sms", "whatsapp", "telegram":
			channels = append(channels, c)
		case "":
		default:
			errs = append(errs, fmt.Errorf("--channels: %q is not sms, whatsapp or telegram", c))
		}
	}
	if len(channels) == 0 {
		errs = append(errs, errors.New("--channels: name at least one of sms, whatsapp, telegram"))
	}
	if f.debtors < 1 || f.debtors > 9_999_999 {
		errs = append(errs, errors.New("--debtors: want at least 1"))
	}
	if f.rate < 0 || f.messages < 0 || f.duration < 0 {
		errs = append(errs, errors.New("--rate, --messages and --duration must not be negative"))
	}
	if f.duplicateShare < 0 || f.duplicateShare > 1 {
		errs = append(errs, errors.New("--duplicate-share: want a share between 0 and 1"))
	}
	if f.seedOnly && !f.seed {
		errs = append(errs, errors.New("--seed-only needs --seed"))
	}
	if f.seed && f.databaseURL == "" {
		errs = append(errs, errors.New("--seed needs --database-url"))
	}
	if f.duration == 0 && f.messages == 0 {
		f.duration = 30 * time.Second
	}
	f.target = strings.TrimRight(f.target, "/")
	if !strings.HasPrefix(f.publicURL, "https://") {
		errs = append(errs, errors.New("--public-url: want an https URL, as the server's PUBLIC_URL must be for Telegram"))
	}
	f.publicURL = strings.TrimRight(f.publicURL, "/")
	if len(errs) > 0 {
		return nil, usageError{errors.Join(errs...)}
	}
	return channels, nil
}

// openStore opens --database-url (PostgreSQL or a SQLite file) and seeds
// the debtors' cases when asked; nil without a database.
func (f *loadgenFlags) openStore(ctx context.Context, e *env, debtors []loadgen.Debtor) (casestore.Store, error) {
	if f.databaseURL == "" {
		return nil, nil
	}
	var st interface {
		casestore.Store
		Migrate(context.Context) error
	}
	if strings.HasPrefix(f.databaseURL, "postgres://") || strings.HasPrefix(f.databaseURL, "postgresql://") {
		pg, err := postgres.Open(ctx, f.databaseURL)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL %s: %w", redactURL(f.databaseURL), err)
		}
		st = pg
	} else {
		sq, err := sqlite.Open(ctx, f.databaseURL)
		if err != nil {
			return nil, fmt.Errorf("open SQLite file %s: %w", f.databaseURL, err)
		}
		st = sq
	}
	if f.seed {
		// The server migrates at start too; seeding first needs the schema.
		if err := st.Migrate(ctx); err != nil {
			st.Close()
			return nil, fmt.Errorf("migrate before seeding: %w", err)
		}
		if err := loadgen.Seed(ctx, st, debtors, e.now()); err != nil {
			st.Close()
			return nil, err
		}
		fmt.Fprintf(e.stderr, "loadgen: seeded %d debtors with a case each (%s … %s)\n", len(debtors), debtors[0].Ref, debtors[len(debtors)-1].Ref)
	}
	return st, nil
}

// printLoadEnv prints the server's environment for a run, as shell lines.
func printLoadEnv(w io.Writer, f loadgenFlags, acc loadgen.Accounts) {
	api := "http://" + f.listen
	for _, kv := range [][2]string{
		{"PUBLIC_URL", f.publicURL},
		{"TWILIO_ACCOUNT_SID", acc.TwilioAccountSID}, {"TWILIO_AUTH_TOKEN", acc.TwilioAuthToken},
		{"TWILIO_SMS_FROM", acc.SMSFrom}, {"TWILIO_WHATSAPP_FROM", acc.WhatsAppFrom}, {"TWILIO_API_URL", api},
		{"TELEGRAM_BOT_TOKEN", acc.TelegramToken}, {"TELEGRAM_WEBHOOK_SECRET", acc.TelegramSecret},
		{"TELEGRAM_MODE", "webhook"}, {"TELEGRAM_API_URL", api},
		// Replies are not automated, but nothing should hinge on the hour.
		{"QUIET_HOURS", "0-0"},
	} {
		fmt.Fprintf(w, "export %s='%s'\n", kv[0], kv[1])
	}
	fmt.Fprintln(w, "# Start loadgen first (its fake Telegram must answer getMe and setWebhook when serve starts),")
	fmt.Fprintln(w, "# then serve with these variables plus DATABASE_URL / REDIS_URL; loadgen waits for /readyz.")
}

// awaitServerReady polls target/readyz until it answers 200.
func awaitServerReady(ctx context.Context, target string, within time.Duration) error {
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		resp, err := client.Get(target + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("loadgen: %s/readyz did not answer 200 within %s", target, within)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// writeJSONReport writes rep as JSON to path, for scripts.
func writeJSONReport(path string, rep *loadgen.Report) error {
	fh, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--json: %w", err)
	}
	if err := rep.WriteJSON(fh); err != nil {
		fh.Close()
		return fmt.Errorf("--json: %w", err)
	}
	return fh.Close()
}

// spliceFigures writes the markdown in figures into the document into,
// between its figure markers (loadgen.SpliceFigures).
func spliceFigures(figures, into string) error {
	if figures == "" || into == "" {
		return usageError{errors.New("--figures and --into go together")}
	}
	fig, err := os.ReadFile(figures)
	if err != nil {
		return fmt.Errorf("--figures: %w", err)
	}
	doc, err := os.ReadFile(into)
	if err != nil {
		return fmt.Errorf("--into: %w", err)
	}
	out, err := loadgen.SpliceFigures(string(doc), string(fig))
	if err != nil {
		return fmt.Errorf("--into %s: %w", into, err)
	}
	return os.WriteFile(into, []byte(out), 0o644)
}
