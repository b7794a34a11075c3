package main

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/incassobot/incassobot/bot/telegram/telegramfake"
	"github.com/incassobot/incassobot/casestore"
)

// A debtor on SMS, on WhatsApp and on Telegram each gets the right replies,
// delivered through the provider; the dossier holds both directions.
func TestE2EChannelsAnswerAndFileBothDirections(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	tgCase := s.newCase("IB-2026-000888", "+31687654321")
	verify := e2eRef + " 1234AB"

	for _, channel := range []string{"sms", "whatsapp"} {
		t.Run(channel, func(t *testing.T) {
			d := s.debtor(channel, e2eDebtorPhone)
			early := d.says("saldo")
			if !strings.Contains(early, e2eAskVerify) || strings.Contains(early, "€") {
				t.Errorf("before verification the bot must ask for the dossier number and show no amount, got %s", short(early))
			}
			// SMS spells "geidentificeerd" (GSM-7), and the balance asked
			// before verification may come straight after it (carried over).
			if got := d.says(verify); !(identified(got) || strings.Contains(got, e2ePrincipal)) || strings.Contains(got, e2eAskVerify) {
				t.Errorf("after the dossier number and postcode the debtor must hear they are identified, got %s", short(got))
			}
			balance := d.says("saldo")
			if !strings.Contains(balance, e2ePrincipal) {
				t.Errorf("the balance must show the hoofdsom %s, got %s", e2ePrincipal, short(balance))
			}

			entries := s.dossier(c.ID)
			in := messages(t, entries, casestore.EntryMessageIn, channel)
			if want := []string{"saldo", verify, "saldo"}; strings.Join(in, "|") != strings.Join(want, "|") {
				t.Errorf("dossier message.in on %s = %q, want %q", channel, in, want)
			}
			if last := lastReplies(t, entries, channel); !strings.Contains(strings.Join(last, "\n"), e2ePrincipal) {
				t.Errorf("dossier message.out on %s lacks the balance reply: %q", channel, last)
			}
			out := strings.Join(messages(t, entries, casestore.EntryMessageOut, channel), "\n")
			if channel == "whatsapp" {
				// WhatsApp takes a reply whole, so what the debtor got is
				// exactly what the dossier says the debtor was told.
				if got := strings.Join(d.received(), "\n"); got != out {
					t.Errorf("delivered:\n%s\n\ndossier message.out:\n%s", got, out)
				}
			} else {
				// A long SMS goes out in parts, each a piece of what is filed.
				for _, part := range d.received() {
					if !strings.Contains(out, strings.TrimSpace(part)) {
						t.Errorf("delivered %s, which the dossier does not say the debtor was told", short(part))
					}
				}
			}
			for _, m := range d.deliveries() {
				wantFrom := e2eSMSFrom
				if channel == "whatsapp" {
					wantFrom = "whatsapp:" + e2eWhatsApp
				}
				if m.From != wantFrom {
					t.Errorf("reply sent from %q, want the bot's own %s number %q", m.From, channel, wantFrom)
				}
			}
		})
	}

	t.Run("telegram", func(t *testing.T) {
		if url, secret := s.tg.Webhook(); url != e2ePublicURL+"/webhooks/telegram" || secret != e2eTGSecret {
			t.Errorf("setWebhook got url %q secret %q, want %q and the configured secret", url, secret, e2ePublicURL+"/webhooks/telegram")
		}
		d := s.telegramDebtor(555000111)
		first := d.says("saldo")
		sent := s.tg.Sent()
		last := sent[len(sent)-1]
		if strings.Contains(first, "€") || last.Markup == nil || len(last.Markup.Keyboard) == 0 || !last.Markup.Keyboard[0][0].RequestContact {
			t.Errorf("Telegram without a known number must ask to share it with a button and show no amount, got %s markup %s", short(first), last.ReplyMarkup)
		}
		if got := d.sharesPhone("+31687654321"); !strings.Contains(got, e2eAskVerify) || strings.Contains(got, "€") {
			t.Errorf("after sharing the phone the bot must ask for the dossier number, got %s", short(got))
		}
		if got := d.says("IB-2026-000888 1234AB"); !identified(got) {
			t.Errorf("want identified, got %s", short(got))
		}
		if got := d.says("saldo"); !strings.Contains(got, e2ePrincipal) {
			t.Errorf("the balance must show the hoofdsom %s, got %s", e2ePrincipal, short(got))
		}
		entries := s.dossier(tgCase.ID)
		in := messages(t, entries, casestore.EntryMessageIn, "telegram")
		if n := len(in); n < 2 || in[n-2] != "IB-2026-000888 1234AB" || in[n-1] != "saldo" {
			t.Errorf("dossier message.in on telegram = %q, want it to end with the verification and saldo", in)
		}
		if last := lastReplies(t, entries, "telegram"); !strings.Contains(strings.Join(last, "\n"), e2ePrincipal) {
			t.Errorf("dossier message.out on telegram lacks the balance reply: %q", last)
		}
		if got := messages(t, s.dossier(c.ID), casestore.EntryMessageIn, "telegram"); len(got) != 0 {
			t.Errorf("the Telegram conversation was filed in another debtor's dossier: %q", got)
		}

		// A webhook call without the secret is refused and leaves no trace.
		id := int(s.nextUpd.Add(1))
		if code := s.postTelegram("wrong-secret", telegramfake.TextUpdate(id, d.chatID, "vervalst")); code != http.StatusForbidden {
			t.Errorf("Telegram update with a wrong secret: %d, want 403", code)
		}
		if code := s.postTelegram("", telegramfake.TextUpdate(id, d.chatID, "vervalst")); code != http.StatusForbidden {
			t.Errorf("Telegram update without a secret: %d, want 403", code)
		}
		inbox, err := s.store.InboundMessages(context.Background(), "telegram", d.address(), 100)
		must(t, err, "inbox")
		for _, m := range inbox {
			if m.ProviderID == "upd:"+strconv.Itoa(id) {
				t.Errorf("a refused update is in the inbox: %+v", m)
			}
		}
	})

	if code, body := s.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d %q, want 200", code, body)
	}
	// sms and whatsapp: 3 messages each; telegram: saldo, contact, verification, saldo.
	for channel, want := range map[string]float64{"sms": 3, "whatsapp": 3, "telegram": 4} {
		series := `incassobot_messages_in_total{channel="` + channel + `"}`
		if got := s.metric(series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

// Twilio retries a webhook it got no answer to: the same message three
// times is one dossier entry and one reply. A forged request changes
// nothing.
func TestE2EDuplicateWebhookAndForgedSignature(t *testing.T) {
	t.Parallel()
	s := startE2E(t, e2eConfig{})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)

	sid := newMessageSid()
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = d.post(sid, "hallo, dit is mijn bericht") }()
	}
	wg.Wait()
	for i, code := range codes {
		if code != http.StatusOK {
			t.Errorf("delivery %d of the same webhook: %d, want 200", i+1, code)
		}
	}
	d.settle()
	firstReplies := len(d.received())
	if firstReplies == 0 {
		t.Fatal("the message got no reply")
	}

	// Forged: signed with another token, or not signed at all.
	forged := twilioForm("sms", e2eDebtorPhone, newMessageSid(), "vervalst bericht")
	if code := postTwilio(t, s.url, "/webhooks/twilio", "not-the-auth-token", forged); code != http.StatusForbidden {
		t.Errorf("forged signature: %d, want 403", code)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/twilio", strings.NewReader(forged.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e2eClient.Do(req)
	must(t, err, "unsigned POST")
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("unsigned webhook: %d, want 403", resp.StatusCode)
	}

	// A later message is the barrier: any extra reply to the first one
	// (it would have an older outbox id) is delivered before its reply.
	d.says("saldo")

	entries := s.dossier(c.ID)
	in := messages(t, entries, casestore.EntryMessageIn, "sms")
	if n := count(in, "hallo, dit is mijn bericht"); n != 1 {
		t.Errorf("the message delivered three times is %d times in the dossier, want once: %q", n, in)
	}
	if n := count(in, "vervalst bericht"); n != 0 {
		t.Errorf("the forged message is in the dossier")
	}
	inbox, err := s.store.InboundMessages(context.Background(), "sms", e2eDebtorPhone, 100)
	must(t, err, "inbox")
	if len(inbox) != 2 {
		t.Errorf("inbox holds %d messages, want 2 (the message once, the barrier)", len(inbox))
	}
	for _, m := range inbox {
		if m.ProviderID == forged.Get("MessageSid") {
			t.Errorf("the forged message is in the inbox")
		}
	}
	rows := d.outbox()
	out := messages(t, entries, casestore.EntryMessageOut, "sms")
	if len(rows) != len(out) {
		t.Errorf("%d replies in the outbox, %d message.out in the dossier: one reply per entry expected", len(rows), len(out))
	}
	sids := map[string]int{}
	for _, m := range d.deliveries() {
		sids[m.SID]++
	}
	for _, r := range rows {
		if r.Status != casestore.OutboundSent || sids[r.ProviderID] != 1 {
			t.Errorf("outbox %d (%s, provider id %q) reached the phone %d times, want once", r.ID, r.Status, r.ProviderID, sids[r.ProviderID])
		}
	}
	if got := strings.Join(d.received()[:firstReplies], "\n"); strings.Contains(got, "€") {
		t.Errorf("the unverified debtor was shown an amount: %s", short(got))
	}
	if got := s.metric(`incassobot_duplicates_total{channel="sms"}`); got != 2 {
		t.Errorf("duplicates counted: %v, want 2", got)
	}
}

// lastReplies are the replies filed after the last message on channel.
func lastReplies(t *testing.T, entries []casestore.DossierEntry, channel string) []string {
	t.Helper()
	var out []string
	for _, e := range entries {
		if e.Channel != channel {
			continue
		}
		switch e.Kind {
		case casestore.EntryMessageIn:
			out = nil
		case casestore.EntryMessageOut:
			out = append(out, entryText(t, e))
		}
	}
	return out
}

// identified says whether a reply tells the debtor they are identified, in
// either spelling: SMS replies keep to GSM-7 ("geidentificeerd").
func identified(reply string) bool {
	return strings.Contains(reply, "geïdentificeerd") || strings.Contains(reply, "geidentificeerd")
}
