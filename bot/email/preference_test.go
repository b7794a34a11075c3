package email_test

import (
	"context"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// A debtor who asked for e-mail gets what the bot starts by e-mail: the
// thank-you for a payment (an automated message) is addressed to the
// address on file, goes through the outbox to the SMTP server and is
// filed; without the preference it would have gone by SMS.
func TestAnAutomatedMessageGoesByEmailWhenTheDebtorPrefersIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.b.Store.SetContactPreference(ctx, f.c.DebtorID, casestore.ContactPreference{Channel: "email"}); err != nil {
		t.Fatal(err)
	}
	svc := &payments.Service{Store: f.b.Store}
	res, err := svc.Paid(ctx, casestore.IncomingPayment{CaseID: f.c.ID, Amount: decimal.RequireFromString("50.00"),
		Source: casestore.SourceBank, ExternalID: "bank-1", Reference: "IB-2026-000777"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Thanks == nil || res.Thanks.Channel != "email" || res.Thanks.To != "j.devries@example.test" || !res.Thanks.Automated {
		t.Fatalf("thank-you %+v, want an automated e-mail to the address on file", res.Thanks)
	}
	if _, err := f.outbox.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := f.smtp.Messages()
	if len(got) != 1 || got[0].To[0] != "j.devries@example.test" || !strings.Contains(got[0].Text(), "50,00") {
		t.Fatalf("delivered %d e-mails, want the thank-you naming € 50,00", len(got))
	}
	out := f.dossier(casestore.EntryMessageOut)
	if len(out) != 1 || out[0].Channel != "email" {
		t.Errorf("message.out entries %+v, want the thank-you on email", out)
	}
	m, err := f.b.Store.Outbound(ctx, res.Thanks.ID)
	if err != nil || m.Status != casestore.OutboundSent {
		t.Errorf("outbox status %v (%v), want sent", m.Status, err)
	}
}

// Where an automated message goes, by the debtor's preference and what is
// on file.
func TestContactChannelFollowsThePreference(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		pref      casestore.ContactPreference
		noEmail   bool
		channel   string
		to        string
		nothingOK bool
	}{
		{"no preference, never wrote", casestore.ContactPreference{}, false, "sms", "+31612345678", false},
		{"prefers e-mail", casestore.ContactPreference{Channel: "email"}, false, "email", "j.devries@example.test", false},
		{"only e-mail or post", casestore.ContactPreference{WrittenOnly: true}, false, "email", "j.devries@example.test", false},
		{"prefers WhatsApp", casestore.ContactPreference{Channel: "whatsapp"}, false, "whatsapp", "+31612345678", false},
		{"only post", casestore.ContactPreference{WrittenOnly: true}, true, "", "", true},
		{"e-mail preferred but none on file", casestore.ContactPreference{Channel: "email"}, true, "", "", true},
	} {
		if err := f.b.Store.SetContactPreference(ctx, f.c.DebtorID, tc.pref); err != nil {
			t.Fatal(err)
		}
		c := *f.c
		if tc.noEmail {
			c.Debtor.Email = ""
		}
		var ch, to string
		err := f.b.Store.InTx(ctx, func(tx casestore.Tx) error {
			var err error
			ch, to, err = bot.ContactChannel(ctx, tx, &c)
			return err
		})
		if tc.nothingOK {
			if err == nil {
				t.Errorf("%s: %s %s, want no channel", tc.name, ch, to)
			}
			continue
		}
		if err != nil || ch != tc.channel || to != tc.to {
			t.Errorf("%s: %s %s (%v), want %s %s", tc.name, ch, to, err, tc.channel, tc.to)
		}
	}
}
