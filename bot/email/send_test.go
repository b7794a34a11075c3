package email_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/email"
	"github.com/incassobot/incassobot/bot/internal/bottest"
	"github.com/incassobot/incassobot/bot/internal/smtpfake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/storetest"
)

// noon (tomorrow, so the store's clock has queued every message before it)
// is outside quiet hours.
var noon = func() time.Time {
	t := time.Now().In(casestore.Amsterdam).AddDate(0, 0, 1)
	return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, casestore.Amsterdam)
}()

type fixture struct {
	t      *testing.T
	b      *bottest.Bot
	smtp   *smtpfake.Server
	outbox *bot.Outbox
	c      *casestore.Case
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, b: bottest.New(t), smtp: smtpfake.Start(t)}
	client, err := email.NewClient(email.Config{Host: f.smtp.Host, Port: f.smtp.Port,
		From: "Incassobureau <dossiers@incasso.example.test>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f.outbox = &bot.Outbox{Store: f.b.Store, Hot: f.b.Hot, Senders: map[string]bot.Sender{email.Channel: client},
		Now: func() time.Time { return noon }, QuietFrom: 21, QuietTo: 8,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err = f.b.Store.InTx(context.Background(), func(tx casestore.Tx) error {
		f.c = storetest.NewCase(t, tx, "IB-2026-000777")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) notify(n bot.Notice) *casestore.OutboundMessage {
	f.t.Helper()
	n.CaseID, n.Channel = f.c.ID, email.Channel
	if n.To == "" {
		n.To = f.c.Debtor.Email
	}
	var m *casestore.OutboundMessage
	err := f.b.Store.InTx(context.Background(), func(tx casestore.Tx) error {
		var err error
		m, err = bot.Notify(context.Background(), tx, n)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.outbox.SendDue(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	got, err := f.b.Store.Outbound(context.Background(), m.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

func (f *fixture) dossier(kind casestore.EntryKind) []casestore.DossierEntry {
	f.t.Helper()
	es, err := f.b.Store.Dossier(context.Background(), f.c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{kind}})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

func TestAReplyByEmailReachesTheDebtorWithTheDossierNumber(t *testing.T) {
	f := newFixture(t)
	text := "Beste J. de Vries,\n\nU kunt het bedrag van € 1.234,57 overmaken naar NL91 ABNA 0417 1643 00."
	m := f.notify(bot.Notice{Text: text, Options: []string{"Betalen", "Regeling"}})

	if m.Status != casestore.OutboundSent {
		t.Fatalf("status %s (%s), want sent", m.Status, m.LastError)
	}
	got := f.smtp.Messages()
	if len(got) != 1 {
		t.Fatalf("%d e-mails delivered, want 1", len(got))
	}
	e := got[0]
	if len(e.To) != 1 || e.To[0] != "j.devries@example.test" || !strings.Contains(e.Header.Get("To"), "j.devries@example.test") {
		t.Errorf("To: envelope %v, header %q", e.To, e.Header.Get("To"))
	}
	if e.From != "dossiers@incasso.example.test" {
		t.Errorf("envelope from %q", e.From)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(e.Header.Get("Subject"))
	if err != nil || subject != "Uw dossier IB-2026-000777" {
		t.Errorf("Subject %q (%v), want the Dutch subject with the dossier number", subject, err)
	}
	if !strings.HasPrefix(e.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("Content-Type %q, want plain text", e.Header.Get("Content-Type"))
	}
	body := strings.ReplaceAll(e.Body, "\r\n", "\n")
	if !strings.Contains(body, text) || !strings.Contains(body, "- Betalen\n- Regeling") {
		t.Errorf("body %q lacks the text or the options", body)
	}
	if m.ProviderID == "" || !strings.Contains(e.Header.Get("Message-Id"), m.ProviderID) {
		t.Errorf("provider id %q is not the Message-ID %q", m.ProviderID, e.Header.Get("Message-Id"))
	}

	out := f.dossier(casestore.EntryMessageOut)
	if len(out) != 1 || out[0].Channel != "email" || out[0].Actor != casestore.ActorBot {
		t.Fatalf("dossier message.out entries %+v, want one on channel email", out)
	}
	var b struct {
		Text       string `json:"text"`
		To         string `json:"to"`
		OutboundID int64  `json:"outbound_id"`
	}
	if err := json.Unmarshal(out[0].Body, &b); err != nil || b.Text != text || b.To != "j.devries@example.test" || b.OutboundID != m.ID {
		t.Errorf("dossier body %s (%v)", out[0].Body, err)
	}
}

func TestAnEmailReminderIsSentUnlessTheDebtorOptedOut(t *testing.T) {
	f := newFixture(t)
	m := f.notify(bot.Notice{Text: "Herinnering: uw betaling van € 50,00 staat voor morgen gepland.", Automated: true})
	if m.Status != casestore.OutboundSent || len(f.smtp.Messages()) != 1 {
		t.Fatalf("reminder: status %s, %d delivered; want sent, 1", m.Status, len(f.smtp.Messages()))
	}

	if err := f.b.Store.SetOptOut(context.Background(), email.Channel, f.c.Debtor.Email, true, time.Time{}); err != nil {
		t.Fatal(err)
	}
	m = f.notify(bot.Notice{Text: "Herinnering: nog € 1.234,57 open.", Automated: true})
	if m.Status != casestore.OutboundFailed || len(f.smtp.Messages()) != 1 {
		t.Fatalf("after opt-out: status %s, %d delivered; want failed, still 1", m.Status, len(f.smtp.Messages()))
	}
	failed := f.dossier("delivery.failed")
	if len(failed) != 1 || !strings.Contains(string(failed[0].Body), "opted out") {
		t.Errorf("dossier delivery.failed %+v, want one saying opted out", failed)
	}

	// A reply the debtor asked for still goes: opt-out is about reminders.
	m = f.notify(bot.Notice{Text: "Hierbij de specificatie die u vroeg."})
	if m.Status != casestore.OutboundSent || len(f.smtp.Messages()) != 2 {
		t.Errorf("reply after opt-out: status %s, %d delivered; want sent, 2", m.Status, len(f.smtp.Messages()))
	}
}

func TestAnEmailReminderRespectsPreferenceAndStoppedCollection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	reminder := bot.Notice{Text: "Herinnering: nog € 1.234,57 open.", Automated: true}
	set := func(p casestore.ContactPreference, fl casestore.CaseFlags) {
		t.Helper()
		if err := f.b.Store.SetContactPreference(ctx, f.c.DebtorID, p); err != nil {
			t.Fatal(err)
		}
		if err := f.b.Store.SetCaseFlags(ctx, f.c.ID, fl); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		pref  casestore.ContactPreference
		flags casestore.CaseFlags
		why   string // "" = delivered
	}{
		{"only e-mail or post", casestore.ContactPreference{WrittenOnly: true}, casestore.CaseFlags{}, ""},
		{"prefers WhatsApp", casestore.ContactPreference{Channel: "whatsapp"}, casestore.CaseFlags{}, "contact preference"},
		{"under bewindvoering", casestore.ContactPreference{}, casestore.CaseFlags{Bewindvoering: true}, "collection stopped: bewindvoering"},
		{"in a BE collectieve schuldenregeling", casestore.ContactPreference{Channel: "email"}, casestore.CaseFlags{DebtSettlement: casestore.SettlementCSR}, "collection stopped: debt settlement csr"},
	} {
		set(tc.pref, tc.flags)
		before := len(f.smtp.Messages())
		m := f.notify(reminder)
		delivered := len(f.smtp.Messages()) - before
		if tc.why == "" {
			if m.Status != casestore.OutboundSent || delivered != 1 {
				t.Errorf("%s: status %s, %d delivered; want sent", tc.name, m.Status, delivered)
			}
			continue
		}
		if m.Status != casestore.OutboundFailed || delivered != 0 || m.LastError != tc.why {
			t.Errorf("%s: status %s (%q), %d delivered; want failed because %q", tc.name, m.Status, m.LastError, delivered, tc.why)
		}
	}
	failed := f.dossier("delivery.failed")
	if len(failed) != 3 || !strings.Contains(string(failed[0].Body), "debt settlement csr") {
		t.Errorf("dossier delivery.failed: %d entries, newest %s; want 3, the newest naming the settlement", len(failed), failed[0].Body)
	}
}

func TestRefusalsAreRetriedOnlyWhenTemporary(t *testing.T) {
	f := newFixture(t)
	f.smtp.Reject(451)
	m := f.notify(bot.Notice{Text: "Uw regeling is ontvangen."})
	if m.Status != casestore.OutboundPending || m.LastError == "" {
		t.Errorf("after 451: status %s (%q), want pending for a retry", m.Status, m.LastError)
	}
	f.smtp.Reject(550)
	m2 := f.notify(bot.Notice{Text: "Tweede bericht.", To: "onbekend@example.test"})
	if m2.Status != casestore.OutboundFailed {
		t.Errorf("after 550: status %s (%q), want failed", m2.Status, m2.LastError)
	}
	m3 := f.notify(bot.Notice{Text: "Derde bericht.", To: "geen adres"})
	if m3.Status != casestore.OutboundFailed {
		t.Errorf("a malformed address: status %s, want failed", m3.Status)
	}
	if n := len(f.smtp.Messages()); n != 0 {
		t.Errorf("%d e-mails delivered, want none", n)
	}
}

func TestParseURL(t *testing.T) {
	const from = "Incasso <dossiers@example.nl>"
	for _, tc := range []struct {
		url, from string
		want      email.Config
		err       string
	}{
		{url: "smtp://mailer:geheim@smtp.example.nl:2525", from: from, want: email.Config{Host: "smtp.example.nl", Port: 2525, Username: "mailer", Password: "geheim"}},
		{url: "smtp://smtp.example.nl", from: from, want: email.Config{Host: "smtp.example.nl", Port: 587}},
		{url: "smtps://u:p@smtp.example.nl", from: from, want: email.Config{Host: "smtp.example.nl", Port: 465, SSL: true, Username: "u", Password: "p"}},
		{url: "http://smtp.example.nl", from: from, err: "scheme"},
		{url: "smtp://:25", from: from, err: "host"},
		{url: "smtp://u:geheim@smtp.example.nl:99999", from: from, err: "port"},
		{url: "smtp://smtp.example.nl", from: "", err: "EMAIL_FROM"},
		{url: "smtp://smtp.example.nl", from: "not an address", err: "EMAIL_FROM"},
	} {
		got, err := email.ParseURL(tc.url, tc.from)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "geheim") {
				t.Errorf("%s: error %v, want one about %s without the password", tc.url, err, tc.err)
			}
			continue
		}
		tc.want.From, tc.want.Timeout = tc.from, email.DefaultTimeout
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
	}
}
