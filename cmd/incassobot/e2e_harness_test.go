package main

// The end-to-end harness: the real serve command on PostgreSQL and Redis,
// with the real twilio-go and telegram-bot-api clients pointed at local
// fake providers. Tests talk to it only as the providers and the debtor
// would (signed webhooks in, messages at the fakes out) and read the
// system of record through their own connection.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/telegram"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// The provider accounts the fakes and the server share.
const (
	e2ePublicURL   = "https://bot.example.test"
	e2eAccountSID  = "AC0123456789abcdef0123456789abcdef"
	e2eAuthToken   = "e2eTwilioAuthToken0123456789abcd"
	e2eSMSFrom     = "+31970102030"
	e2eWhatsApp    = "+31970102031"
	e2eTGToken     = "7000000001:AAE2eTelegramToken0123456789abcdef"
	e2eTGSecret    = "e2e-telegram-webhook-secret"
	e2eDebtorPhone = "+31612345678" // storetest.NewCase's debtor
	e2eRef         = "IB-2026-000777"
	// e2ePrincipal is what the balance must show as hoofdsom: the two
	// invoices of storetest.CaseFor, 1234.56 + 0.01, in Dutch notation.
	e2ePrincipal = "€ 1.234,57"
	// e2eAskVerify is a word of the dialog's request for the dossier
	// number and postcode (dialogs kVerifyAsk, Dutch).
	e2eAskVerify = "dossiernummer"
)

// e2eServer is one running incassobot serve with its fakes.
type e2eServer struct {
	t        *testing.T
	vars     map[string]string
	url      string // where it listens, http://127.0.0.1:port
	dbURL    string // the database itself (the server may reach it through a proxy)
	redisURL string
	prefix   string // the test's own Redis key prefix
	twilio   *twiliofake.Fake
	tg       *telegramfake.Server
	store    *postgres.Store // the test's own view of the system of record
	stderr   *syncBuffer
	nextUpd  atomic.Int64 // Telegram update ids
}

// e2eConfig adjusts a server before it starts.
type e2eConfig struct {
	// serverDB rewrites the DATABASE_URL the server gets (e.g. to a proxy).
	serverDB func(dbURL string) string
	// vars are set in the server's environment over the defaults.
	vars map[string]string
	// now, when set, is the server's clock (and River's): the follow-up
	// tests move it.
	now func() time.Time
}

// startE2E starts serve in-process on a fresh database and Redis prefix,
// with fake Twilio and Telegram; everything stops when the test ends.
func startE2E(t *testing.T, cfg e2eConfig) *e2eServer {
	t.Helper()
	// Already migrated (a copy of a migrated template): the server's
	// start-up migration finds nothing to do. Migrating a fresh database
	// at start-up has tests of its own (store_test.go, e2e_restart_test.go).
	dbURL := pgstoretest.URL(t)
	redisURL, prefix := redistest.NewPrefix(t)
	s := &e2eServer{
		t: t, dbURL: dbURL, redisURL: redisURL, prefix: prefix,
		twilio: twiliofake.New(t, e2eAccountSID, e2eAuthToken),
		tg:     telegramfake.New(t, e2eTGToken),
		stderr: &syncBuffer{},
	}
	s.nextUpd.Store(int64(100000 + time.Now().UnixNano()%100000))
	serverDB := dbURL
	if cfg.serverDB != nil {
		serverDB = cfg.serverDB(dbURL)
	}
	s.vars = e2eEnv(serverDB, redisURL, prefix, s.twilio.URL)
	s.vars["TELEGRAM_BOT_TOKEN"] = e2eTGToken
	s.vars["TELEGRAM_WEBHOOK_SECRET"] = e2eTGSecret
	s.vars["TELEGRAM_API_URL"] = s.tg.URL
	for k, v := range cfg.vars {
		s.vars[k] = v
	}

	if cfg.now != nil {
		s.url = runServeAt(t, "serve", s.vars, s.stderr, cfg.now)
	} else {
		s.url = runServe(t, "serve", s.vars, s.stderr)
	}

	// serve has migrated the database by the time it listens.
	st, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatalf("open the test's own store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	s.store = st
	return s
}

// runServe runs `incassobot serve` in-process with vars as its
// environment until the test ends, and returns the URL it listens on. Its
// log goes to stderr and is shown if the test fails; name says which
// server the failures are about.
func runServe(t *testing.T, name string, vars map[string]string, stderr *syncBuffer) string {
	t.Helper()
	return runServeAt(t, name, vars, stderr, nil)
}

// runServeAt is runServe on the clock now (the real one when nil).
func runServeAt(t *testing.T, name string, vars map[string]string, stderr *syncBuffer, now func() time.Time) string {
	t.Helper()
	if vars["SPOOL_DIR"] == "" {
		vars = maps.Clone(vars)
		vars["SPOOL_DIR"] = t.TempDir() // each instance its own volume
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1) // for waitForAddr
	finished := make(chan struct{})
	var serveErr error
	stdout := &syncBuffer{}
	go func() {
		e := newEnv(func(k string) string { return vars[k] }, strings.NewReader(""), stdout, stderr)
		if now != nil {
			e.now, e.clock = now, true
		}
		serveErr = runEnv(ctx, e, []string{"incassobot", "serve"})
		close(finished)
		done <- serveErr
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-finished:
			if serveErr != nil && !t.Failed() {
				t.Errorf("%s returned %v after cancel", name, serveErr)
			}
		case <-time.After(15 * time.Second):
			t.Errorf("%s did not stop within 15s", name)
		}
		if t.Failed() {
			t.Logf("%s log:\n%s", name, stderr)
		}
	})
	return waitForAddr(t, stdout, done)
}

// e2eEnv is the environment of a server with Twilio on (and Telegram off).
func e2eEnv(dbURL, redisURL, prefix, twilioURL string) map[string]string {
	return map[string]string{
		"ADDR":                 "127.0.0.1:0",
		"DATABASE_URL":         dbURL,
		"REDIS_URL":            redisURL,
		"REDIS_PREFIX":         prefix,
		"PUBLIC_URL":           e2ePublicURL,
		"TWILIO_ACCOUNT_SID":   e2eAccountSID,
		"TWILIO_AUTH_TOKEN":    e2eAuthToken,
		"TWILIO_SMS_FROM":      e2eSMSFrom,
		"TWILIO_WHATSAPP_FROM": e2eWhatsApp,
		"TWILIO_API_URL":       twilioURL,
		// Replies are not automated messages, but a test that happens to
		// run at night must not depend on that: no quiet hours.
		"QUIET_HOURS": "0-0",
	}
}

// newCase files a creditor, a debtor with phone (postcode 1234AB) and the
// case storetest.CaseFor describes under ref.
func newE2ECase(t *testing.T, st casestore.Store, ref, phone string) *casestore.Case {
	t.Helper()
	var c *casestore.Case
	err := st.InTx(context.Background(), func(tx casestore.Tx) error {
		cr := storetest.NewCreditor(t, tx, "CR-"+ref)
		db := storetest.NewDebtor(t, tx, cr.ID, "DB-"+ref, phone)
		c = storetest.NewCaseOf(t, tx, ref, cr.ID, db.ID)
		return nil
	})
	if err != nil {
		t.Fatalf("create case %s: %v", ref, err)
	}
	return c
}

// newCase is newE2ECase on the server's database.
func (s *e2eServer) newCase(ref, phone string) *casestore.Case {
	s.t.Helper()
	return newE2ECase(s.t, s.store, ref, phone)
}

// e2eClient bounds every call the tests make to the server.
var e2eClient = &http.Client{Timeout: 30 * time.Second}

func newMessageSid() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "SM" + hex.EncodeToString(b)
}

// twilioForm is the form Twilio posts for an incoming SMS or WhatsApp
// message from phone.
func twilioForm(channel, phone, sid, text string) url.Values {
	from, to := phone, e2eSMSFrom
	if channel == "whatsapp" {
		from, to = "whatsapp:"+phone, "whatsapp:"+e2eWhatsApp
	}
	return url.Values{
		"MessageSid": {sid}, "SmsMessageSid": {sid}, "SmsSid": {sid},
		"AccountSid": {e2eAccountSID}, "ApiVersion": {"2010-04-01"},
		"From": {from}, "To": {to}, "Body": {text}, "NumMedia": {"0"}, "NumSegments": {"1"},
	}
}

// postTwilio posts form to the server at path, signed with token for the
// public URL (as Twilio signs it), and returns the status code.
func postTwilio(t *testing.T, base, path, token string, form url.Values) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", twiliofake.Sign(token, e2ePublicURL+path, form))
	resp, err := e2eClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// postTelegram posts a Telegram update with the given secret header.
func (s *e2eServer) postTelegram(secret string, update []byte) int {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.url+"/webhooks/telegram", strings.NewReader(string(update)))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(telegram.SecretHeader, secret)
	resp, err := e2eClient.Do(req)
	if err != nil {
		s.t.Fatalf("POST /webhooks/telegram: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// get returns the status and body of GET path.
func (s *e2eServer) get(path string) (int, string) {
	s.t.Helper()
	resp, err := e2eClient.Get(s.url + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// debtor is one person writing to the bot on one channel.
type debtor struct {
	s       *e2eServer
	channel string // sms, whatsapp or telegram
	phone   string // E.164 (sms, whatsapp)
	chatID  int64  // telegram
}

func (s *e2eServer) debtor(channel, phone string) *debtor {
	return &debtor{s: s, channel: channel, phone: phone}
}

func (s *e2eServer) telegramDebtor(chatID int64) *debtor {
	return &debtor{s: s, channel: "telegram", chatID: chatID}
}

// address is the debtor's address as the outbox knows it.
func (d *debtor) address() string {
	if d.channel == "telegram" {
		return strconv.FormatInt(d.chatID, 10)
	}
	return d.phone
}

// post delivers one message with the provider id id and returns the
// webhook's status code. For Telegram, id is the update id.
func (d *debtor) post(id, text string) int {
	d.s.t.Helper()
	if d.channel == "telegram" {
		n, err := strconv.Atoi(id)
		if err != nil {
			d.s.t.Fatalf("telegram update id %q: %v", id, err)
		}
		return d.s.postTelegram(e2eTGSecret, telegramfake.TextUpdate(n, d.chatID, text))
	}
	return postTwilio(d.s.t, d.s.url, "/webhooks/twilio", e2eAuthToken, twilioForm(d.channel, d.phone, id, text))
}

// newID is a fresh provider message id for this debtor's channel.
func (d *debtor) newID() string {
	if d.channel == "telegram" {
		return strconv.FormatInt(d.s.nextUpd.Add(1), 10)
	}
	return newMessageSid()
}

// says sends text as a new message, requires the webhook to answer 200,
// waits until every reply left the outbox and returns what reached the
// debtor's phone for it, joined.
func (d *debtor) says(text string) string {
	d.s.t.Helper()
	before := len(d.received())
	if code := d.post(d.newID(), text); code != http.StatusOK {
		d.s.t.Fatalf("%s message %q: webhook answered %d, want 200", d.channel, text, code)
	}
	d.settle()
	got := strings.Join(d.received()[before:], "\n")
	d.s.t.Logf("%s debtor: %q → %s", d.channel, text, short(got))
	return got
}

// sharesPhone presses Telegram's "share my phone number" button.
func (d *debtor) sharesPhone(phone string) string {
	d.s.t.Helper()
	before := len(d.received())
	n := int(d.s.nextUpd.Add(1))
	upd := telegramfake.ContactUpdate(n, d.chatID, d.chatID, strings.TrimPrefix(phone, "+"))
	if code := d.s.postTelegram(e2eTGSecret, upd); code != http.StatusOK {
		d.s.t.Fatalf("telegram contact: webhook answered %d, want 200", code)
	}
	d.settle()
	return strings.Join(d.received()[before:], "\n")
}

// received is every text the fake provider delivered to this debtor, in
// the order it accepted them.
func (d *debtor) received() []string {
	var out []string
	if d.channel == "telegram" {
		for _, m := range d.s.tg.Sent() {
			if m.ChatID == d.chatID {
				out = append(out, m.Text)
			}
		}
		return out
	}
	for _, m := range d.deliveries() {
		out = append(out, m.Body)
	}
	return out
}

// deliveries are the Twilio messages to this debtor, in arrival order.
func (d *debtor) deliveries() []twiliofake.Message {
	to := d.phone
	if d.channel == "whatsapp" {
		to = "whatsapp:" + d.phone
	}
	var out []twiliofake.Message
	for _, m := range d.s.twilio.Messages() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// settle waits until every message to the debtor has left the outbox
// (sent, or given up) and returns them oldest first.
func (d *debtor) settle() []*casestore.OutboundMessage {
	d.s.t.Helper()
	return waitOutbox(d.s.t, d.s.store, d.channel, d.address(), 15*time.Second)
}

// outbox lists the messages to the debtor, oldest first.
func (d *debtor) outbox() []*casestore.OutboundMessage {
	d.s.t.Helper()
	return outboxFor(d.s.t, d.s.store, d.channel, d.address())
}

func outboxFor(t *testing.T, st casestore.Store, channel, to string) []*casestore.OutboundMessage {
	t.Helper()
	msgs, err := st.OutboundFor(context.Background(), channel, to, 500)
	if err != nil {
		t.Fatalf("outbox of %s %s: %v", channel, to, err)
	}
	slices.Reverse(msgs)
	return msgs
}

// waitOutbox polls until nothing to (channel, to) is pending or being sent.
func waitOutbox(t *testing.T, st casestore.Store, channel, to string, timeout time.Duration) []*casestore.OutboundMessage {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := outboxFor(t, st, channel, to)
		busy := 0
		for _, m := range msgs {
			if !m.Status.Finished() {
				busy++
			}
		}
		if busy == 0 {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d message(s) to %s %s still in the outbox after %s", busy, channel, to, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// dossier returns a case's entries oldest first.
func (s *e2eServer) dossier(caseID int64) []casestore.DossierEntry {
	s.t.Helper()
	return dossierOf(s.t, s.store, caseID)
}

func dossierOf(t *testing.T, st casestore.Store, caseID int64) []casestore.DossierEntry {
	t.Helper()
	var all []casestore.DossierEntry
	q := casestore.DossierQuery{Limit: 200}
	for {
		page, err := st.Dossier(context.Background(), caseID, q)
		if err != nil {
			t.Fatalf("dossier of case %d: %v", caseID, err)
		}
		all = append(all, page...)
		if len(page) < q.Limit {
			break
		}
		q.BeforeID = page[len(page)-1].ID
	}
	slices.Reverse(all)
	return all
}

// entryText is the "text" of a message entry's body.
func entryText(t *testing.T, e casestore.DossierEntry) string {
	t.Helper()
	var b struct {
		Text string `json:"text"`
	}
	if err := json.Unmarshal(e.Body, &b); err != nil {
		t.Fatalf("dossier entry %d (%s): body %s: %v", e.ID, e.Kind, e.Body, err)
	}
	return b.Text
}

// messages are the texts of a kind (message.in, message.out) on a channel,
// oldest first.
func messages(t *testing.T, entries []casestore.DossierEntry, kind casestore.EntryKind, channel string) []string {
	t.Helper()
	var out []string
	for _, e := range entries {
		if e.Kind == kind && e.Channel == channel {
			out = append(out, entryText(t, e))
		}
	}
	return out
}

// count is how often want occurs in got.
func count(got []string, want string) int {
	n := 0
	for _, g := range got {
		if g == want {
			n++
		}
	}
	return n
}

// metric returns the value of one series line of /metrics, e.g.
// `incassobot_messages_in_total{channel="sms"}`; -1 when absent.
func (s *e2eServer) metric(series string) float64 {
	s.t.Helper()
	code, body := s.get("/metrics")
	if code != http.StatusOK {
		s.t.Fatalf("GET /metrics = %d", code)
	}
	for line := range strings.SplitSeq(body, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				s.t.Fatalf("metrics line %q: %v", line, err)
			}
			return v
		}
	}
	return -1
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func short(s string) string {
	if len(s) > 160 {
		return s[:160] + "…"
	}
	return fmt.Sprintf("%q", s)
}

type twilioMessage = twiliofake.Message
