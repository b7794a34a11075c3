package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/hotstate/redistest"
	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
	"github.com/incassobot/incassobot/bot/twilio/twiliofake"
	"github.com/incassobot/incassobot/casestore/postgres"
	"github.com/incassobot/incassobot/casestore/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

// PostgreSQL is cut off while debtors write on SMS, WhatsApp, Telegram and
// the web chat, and no provider retries: every webhook is answered 2xx,
// because the message is in the instance's spool, and once PostgreSQL is
// back every message is filed exactly once, in the order it was sent, and
// answered.
func TestE2EPostgresDownNothingLostWithoutProviderRetries(t *testing.T) {
	t.Parallel()
	var proxy *pgProxy
	s := startE2E(t, e2eConfig{serverDB: func(dbURL string) string {
		proxy = newPGProxy(t, dbURL)
		return proxy.rewrite(dbURL)
	}})
	s.newCase(e2eRef, e2eDebtorPhone)
	debtors := []*debtor{s.debtor("sms", e2eDebtorPhone), s.debtor("whatsapp", "+31612340002"), s.telegramDebtor(4242)}
	web := openWebChat(t, s.url) // the page is loaded before the outage
	debtors[0].says("hallo")     // through the proxy, all well

	proxy.cut()
	sent := sendDuringOutage(t, debtors, web)
	if got := s.metric("incassobot_spool_depth"); got != float64(spooledCount(sent)) {
		t.Errorf("spool depth %v while PostgreSQL is down, want %d", got, spooledCount(sent))
	}
	if code, body := s.get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, fmt.Sprintf("spool: %d message(s)", spooledCount(sent))) {
		t.Errorf("/readyz while PostgreSQL is down: %d %q, want 503 with the spool's depth", code, body)
	}
	proxy.restore()
	waitSpoolDrained(t, s)
	checkFiledOnceInOrder(t, s, sent)
	for _, d := range debtors {
		for _, m := range d.settle() {
			if m.Status != "sent" {
				t.Errorf("reply %d to %s %s is %s, want sent", m.ID, d.channel, d.address(), m.Status)
			}
		}
	}
}

// sendDuringOutage posts two messages per debtor and the web chat,
// requiring 2xx for each, and returns their texts by channel, in order.
func sendDuringOutage(t *testing.T, debtors []*debtor, web *webChat) map[string][]string {
	t.Helper()
	sent := map[string][]string{}
	for i := 1; i <= 2; i++ {
		for _, d := range debtors {
			text := fmt.Sprintf("bericht %d tijdens de storing via %s", i, d.channel)
			if code := d.post(d.newID(), text); code != http.StatusOK {
				t.Errorf("%s webhook while PostgreSQL is down: %d, want 200", d.channel, code)
			}
			sent[d.channel] = append(sent[d.channel], text)
		}
		if web == nil {
			continue
		}
		text := fmt.Sprintf("bericht %d tijdens de storing via web", i)
		if code := web.post(t, fmt.Sprintf("m%d", i), text); code != http.StatusAccepted {
			t.Errorf("web chat message while PostgreSQL is down: %d, want 202", code)
		}
		sent["web"] = append(sent["web"], text)
	}
	return sent
}

// The same, with the server SIGKILLed while its spool holds the
// messages: the instance started next on the same volume replays them.
func TestE2ESpoolOfAKilledServerIsReplayedByTheNext(t *testing.T) {
	t.Parallel()
	bin := buildIncassobot(t)
	dbURL := pgtest.NewDatabase(t)
	redisURL, prefix := redistest.NewPrefix(t)
	proxy := newPGProxy(t, dbURL)
	tw, tg := twiliofake.New(t, e2eAccountSID, e2eAuthToken), telegramfake.New(t, e2eTGToken)
	vars := e2eEnv(proxy.rewrite(dbURL), redisURL, prefix, tw.URL)
	vars["TELEGRAM_BOT_TOKEN"], vars["TELEGRAM_WEBHOOK_SECRET"], vars["TELEGRAM_API_URL"] = e2eTGToken, e2eTGSecret, tg.URL
	first := startProcess(t, bin, vars)
	st, err := postgres.Open(t.Context(), dbURL)
	must(t, err, "open store")
	t.Cleanup(func() { st.Close() })
	newE2ECase(t, st, e2eRef, e2eDebtorPhone)

	s := &e2eServer{t: t, url: first.url, dbURL: dbURL, store: st, twilio: tw, tg: tg}
	s.nextUpd.Store(5000)
	debtors := []*debtor{s.debtor("sms", e2eDebtorPhone), s.debtor("whatsapp", "+31612340002"), s.telegramDebtor(4343)}
	proxy.cut()
	sent := sendDuringOutage(t, debtors, nil)
	first.kill()

	proxy.restore()
	second := startProcess(t, bin, vars) // the same SPOOL_DIR: the same volume
	s.url = second.url
	waitSpoolDrained(t, s)
	checkFiledOnceInOrder(t, s, sent)
	for _, d := range debtors {
		if rows := d.settle(); len(rows) == 0 {
			t.Errorf("%s debtor got no reply after the replay", d.channel)
		}
	}
	second.stop()
}

// spooledCount is how many messages sent holds.
func spooledCount(sent map[string][]string) int {
	n := 0
	for _, texts := range sent {
		n += len(texts)
	}
	return n
}

func waitSpoolDrained(t *testing.T, s *e2eServer) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for s.metric("incassobot_spool_depth") != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("spool still holds %v message(s) 20s after PostgreSQL came back", s.metric("incassobot_spool_depth"))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkFiledOnceInOrder reads the inbox straight from PostgreSQL: every
// text sent is there once, in the order sent per channel.
func checkFiledOnceInOrder(t *testing.T, s *e2eServer, sent map[string][]string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), s.dbURL)
	must(t, err, "connect")
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `SELECT channel, body->>'text' FROM inbound_messages WHERE body->>'text' LIKE '%tijdens de storing%' ORDER BY id`)
	must(t, err, "read the inbox")
	filed := map[string][]string{}
	for rows.Next() {
		var channel, text string
		must(t, rows.Scan(&channel, &text), "scan")
		filed[channel] = append(filed[channel], text)
	}
	must(t, rows.Err(), "read the inbox")
	for channel, want := range sent {
		if got := filed[channel]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s messages filed %q, want %q once each, in order", channel, got, want)
		}
	}
}

// webChat is a debtor with the web chat page open.
type webChat struct {
	base   string
	client *http.Client
	csrf   string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

func openWebChat(t *testing.T, base string) *webChat {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	w := &webChat{base: base, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	resp, err := w.client.Get(base + "/chat")
	must(t, err, "GET /chat")
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfMeta.FindSubmatch(page)
	if m == nil {
		t.Fatalf("GET /chat: %d, no CSRF token in the page", resp.StatusCode)
	}
	w.csrf = string(m[1])
	return w
}

func (w *webChat) post(t *testing.T, id, text string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.base+"/chat/messages", strings.NewReader(fmt.Sprintf(`{"id":%q,"text":%q}`, id, text)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", w.csrf)
	resp, err := w.client.Do(req)
	must(t, err, "POST /chat/messages")
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// /readyz follows PostgreSQL: 503 while it is cut off (the spool still
// takes the webhooks, answered 200), 200 again once it is back, so a load
// balancer that reads it neither keeps a sick instance nor drops a
// recovered one.
func TestE2EReadyzFollowsPostgres(t *testing.T) {
	t.Parallel()
	var proxy *pgProxy
	s := startE2E(t, e2eConfig{serverDB: func(dbURL string) string {
		proxy = newPGProxy(t, dbURL)
		return proxy.rewrite(dbURL)
	}})
	s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)
	waitReady := func(want int, within time.Duration) string {
		t.Helper()
		deadline := time.Now().Add(within)
		for {
			code, body := s.get("/readyz")
			if code == want {
				return body
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz = %d %q after %s, want %d", code, body, within, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitReady(http.StatusOK, 5*time.Second)

	proxy.cut()
	if code := d.post(d.newID(), "hallo tijdens de storing"); code != http.StatusOK {
		t.Errorf("webhook while PostgreSQL is down: %d, want 200 (spooled)", code)
	}
	if body := waitReady(http.StatusServiceUnavailable, 5*time.Second); !strings.Contains(body, "store unreachable") {
		t.Errorf("/readyz while PostgreSQL is down says %q, want it to name the store", body)
	}
	down := time.Now()
	proxy.restore()
	waitReady(http.StatusOK, 10*time.Second)
	t.Logf("/readyz answered 200 %s after PostgreSQL came back", time.Since(down).Round(time.Millisecond))
	waitSpoolDrained(t, s)
	if got := d.settle(); len(got) != 1 || got[0].Status != "sent" {
		t.Errorf("the message spooled during the outage was answered with %d replies, want one sent", len(got))
	}
}
