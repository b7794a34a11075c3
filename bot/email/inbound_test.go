package email_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/email"
	"github.com/incassobot/incassobot/bot/hotstate"
	"github.com/incassobot/incassobot/casestore"
)

const signingKey = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"

var authPass = `[["X-Mailgun-Spf", "Pass"], ["Authentication-Results", "mx.example.test; dkim=pass header.d=example.test; spf=pass"]]`

// mailForm is the form a provider's inbound route posts for one e-mail.
func mailForm(from, id, body, headers string, signedAt time.Time) url.Values {
	ts := strconv.FormatInt(signedAt.Unix(), 10)
	token := "tok-" + id
	return url.Values{
		"timestamp": {ts}, "token": {token}, "signature": {email.Sign(signingKey, ts, token)},
		"from": {from}, "sender": {from}, "recipient": {"dossiers@incasso.example.test"},
		"subject": {"Re: Uw dossier IB-2026-000777"}, "Message-Id": {"<" + id + "@mail.example.test>"},
		"body-plain": {body}, "body-html": {"<p>" + body + "</p><script>x()</script>"}, "message-headers": {headers},
	}
}

// inboundFixture is the e-mail channel end to end: the webhook in front
// of the router, the outbox delivering to the local SMTP server.
func inboundFixture(t *testing.T) (*fixture, *httptest.Server) {
	f := newFixture(t)
	router := f.b.Router
	router.Outbox = f.outbox
	webhook := email.NewWebhook(email.Inbound{SigningKey: signingKey, Now: func() time.Time { return noon }}, router,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(webhook)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fixture) mail(srv *httptest.Server, form url.Values) int {
	f.t.Helper()
	resp, err := http.PostForm(srv.URL, form)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if _, err := f.outbox.SendDue(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return resp.StatusCode
}

// A debtor answers a letter by e-mail from the address on file: the mail
// becomes a turn of the conversation (without the quoted letter), the
// answer goes back by e-mail through the outbox, and both are filed.
func TestAnInboundEmailIsAnsweredByEmail(t *testing.T) {
	f, srv := inboundFixture(t)
	quoted := "\n\nOp di 2 dec 2026 om 10:12 schreef Incassobureau <dossiers@incasso.example.test>:\n> Uw dossier IB-2026-000777\n> Openstaand € 1.234,57\n"
	if code := f.mail(srv, mailForm("Jan de Vries <J.DeVries@Example.test>", "m1", "IB-2026-000777 1234AB"+quoted, authPass, noon)); code != 200 {
		t.Fatalf("webhook answered %d", code)
	}
	if code := f.mail(srv, mailForm("j.devries@example.test", "m2", "Wat is mijn saldo?\n\n-- \nJan de Vries\n06 12345678"+quoted, authPass, noon)); code != 200 {
		t.Fatalf("webhook answered %d", code)
	}
	got := f.smtp.Messages()
	if len(got) != 2 {
		t.Fatalf("%d e-mails delivered, want the two answers", len(got))
	}
	if !strings.Contains(got[0].Text(), "U bent geïdentificeerd") {
		t.Errorf("first answer %q: want the identification confirmed", got[0].Text())
	}
	if got[1].To[0] != "j.devries@example.test" || !strings.Contains(got[1].Text(), "€") {
		t.Errorf("second answer to %v: %q, want the balance", got[1].To, got[1].Text())
	}

	in := f.dossier(casestore.EntryMessageIn)
	if len(in) != 2 {
		t.Fatalf("%d message.in entries, want 2", len(in))
	}
	var b struct{ Text string }
	if err := json.Unmarshal(in[0].Body, &b); err != nil || b.Text != "Wat is mijn saldo?" || in[0].Channel != "email" {
		t.Errorf("newest message.in on %s: %q (%v); want the words without the quote and signature", in[0].Channel, b.Text, err)
	}
	for _, e := range in {
		if strings.Contains(string(e.Body), "<script") || strings.Contains(string(e.Body), "Openstaand") {
			t.Errorf("the dossier keeps HTML or the quoted letter: %s", e.Body)
		}
	}
	out := f.dossier(casestore.EntryMessageOut)
	if len(out) < 2 || out[0].Channel != "email" {
		t.Errorf("message.out entries %d, newest on %q; want the answers on email", len(out), out[0].Channel)
	}

	// The provider retrying the same mail changes nothing.
	f.mail(srv, mailForm("j.devries@example.test", "m2", "Wat is mijn saldo?", authPass, noon))
	if n := len(f.dossier(casestore.EntryMessageIn)); n != 2 || len(f.smtp.Messages()) != 2 {
		t.Errorf("after a retry: %d message.in, %d e-mails; want 2 and 2", n, len(f.smtp.Messages()))
	}
}

// Mail from an address that is not on file gets no case details, and
// hears that the address is unknown (not "this phone number").
func TestAnEmailFromAnUnknownAddressIsNotIdentified(t *testing.T) {
	f, srv := inboundFixture(t)
	f.mail(srv, mailForm("iemand@elders.example", "u1", "IB-2026-000777 1234AB", authPass, noon))
	got := f.smtp.Messages()
	if len(got) != 1 || got[0].To[0] != "iemand@elders.example" {
		t.Fatalf("%d e-mails, want one answer to the sender", len(got))
	}
	text := got[0].Text()
	if !strings.Contains(text, "e-mailadres") || strings.Contains(text, "telefoonnummer") || strings.Contains(text, "1.234") {
		t.Errorf("answer %q: want the address called unknown, no case details", text)
	}
}

type countingSink struct{ n atomic.Int32 }

func (s *countingSink) Receive(context.Context, bot.Inbound) error { s.n.Add(1); return nil }
func (s *countingSink) DeliveryStatus(context.Context, bot.DeliveryStatus) error {
	return nil
}

// Only the provider's signed, recent requests about authenticated mail
// reach the bot.
func TestTheEmailWebhookRefusesWhatItCannotTrust(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	sink := &countingSink{}
	h := email.NewWebhook(email.Inbound{SigningKey: signingKey, Now: func() time.Time { return now }}, sink,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	post := func(form url.Values) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/email", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	good := mailForm("j.devries@example.test", "w1", "hallo", authPass, now)
	forged := mailForm("j.devries@example.test", "w2", "hallo", authPass, now)
	forged.Set("signature", email.Sign("another-key", forged.Get("timestamp"), forged.Get("token")))
	stale := mailForm("j.devries@example.test", "w3", "hallo", authPass, now.Add(-time.Hour))
	unauthenticated := mailForm("j.devries@example.test", "w4", "hallo", `[["X-Mailgun-Spf", "Fail"], ["Authentication-Results", "mx; dkim=fail; spf=softfail"]]`, now)
	noID := mailForm("j.devries@example.test", "w5", "hallo", authPass, now)
	noID.Del("Message-Id")
	for _, tc := range []struct {
		name string
		form url.Values
		want int
	}{
		{"forged signature", forged, 403},
		{"an hour old", stale, 403},
		{"sender not authenticated", unauthenticated, 406},
		{"no Message-Id", noID, 400},
	} {
		if got := post(tc.form); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if sink.n.Load() != 0 {
		t.Fatalf("the sink got %d refused messages", sink.n.Load())
	}
	if got := post(good); got != 200 || sink.n.Load() != 1 {
		t.Errorf("a good request: %d, sink got %d; want 200 and 1", got, sink.n.Load())
	}
}

// Red team session 6, N2: the signature covers only the timestamp and the
// token, so a captured request replayed with another sender and text used
// to be accepted until the timestamp went stale. A token is now good for
// one message: a replay with other content is refused and nothing reaches
// the bot, while the provider's retry of the same message still is
// answered (the sink ignores the duplicate).
func TestASignatureTokenIsGoodForOneMessage(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	sink := &countingSink{}
	h := email.NewWebhook(email.Inbound{SigningKey: signingKey, Now: func() time.Time { return now }, Tokens: hotstate.NewMemory()}, sink,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	post := func(form url.Values) int {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/webhooks/email", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	first := mailForm("j.devries@example.test", "r1", "hallo", authPass, now)
	if got := post(first); got != 200 {
		t.Fatalf("the first request: %d, want 200", got)
	}
	if got := post(first); got != 200 {
		t.Fatalf("the provider's retry of the same message: %d, want 200", got)
	}
	replay := mailForm("p.jansen@example.test", "r2", "IB-2026-000101 3512JK saldo", authPass, now)
	for _, k := range []string{"timestamp", "token", "signature"} {
		replay.Set(k, first.Get(k))
	}
	if got := post(replay); got != http.StatusForbidden {
		t.Fatalf("a replayed signature with other content: %d, want 403", got)
	}
	if n := sink.n.Load(); n != 2 {
		t.Fatalf("the sink got %d messages, want 2 (the first and the provider's retry)", n)
	}
}
