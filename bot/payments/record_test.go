package payments_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

// stores runs fn on the embedded default and on PostgreSQL.
func stores(t *testing.T, fn func(t *testing.T, s casestore.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "test.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, pgstoretest.Open(t))
	})
}

func record(t *testing.T, s casestore.Store, in casestore.IncomingPayment, note string, now time.Time) payments.Result {
	t.Helper()
	var res payments.Result
	err := s.InTx(context.Background(), func(tx casestore.Tx) (err error) {
		res, err = payments.Record(context.Background(), tx, in, note, now)
		return err
	})
	if err != nil {
		t.Fatalf("Record: %v", err)
	}
	return res
}

var now = time.Date(2026, time.March, 10, 14, 0, 0, 0, casestore.Amsterdam)

// TestThanksOnTheDebtorsOwnChannelOnce: the debtor wrote on WhatsApp, so
// the thank-you goes there, once however often the payment is reported,
// with the new balance; the collector's note stays a note.
func TestThanksOnTheDebtorsOwnChannelOnce(t *testing.T) {
	stores(t, func(t *testing.T, s casestore.Store) {
		ctx := context.Background()
		c := storetest.NewCase(t, s, "IB-2026-000900")
		in := casestore.InboundMessage{Channel: "whatsapp", From: "whatsapp:+31612345678", CaseID: c.ID, ProviderID: "SM1", Body: json.RawMessage(`{"text":"hoi"}`)}
		if err := s.RecordInbound(ctx, &in); err != nil {
			t.Fatal(err)
		}
		pay := casestore.IncomingPayment{CaseID: c.ID, Amount: decimal.RequireFromString("100"), Source: casestore.SourceConsole,
			ExternalID: "console-abc", Actor: "collector:3"}
		res := record(t, s, pay, "debiteur belde: rest volgt", now)
		if res.Thanks == nil || res.Thanks.Channel != "whatsapp" || res.Thanks.To != "whatsapp:+31612345678" || !res.Thanks.Automated {
			t.Fatalf("thanks: %+v", res.Thanks)
		}
		for _, want := range []string{"€ 100,00", "IB-2026-000900", "Nog te betalen: " + moneyNL(res.Open)} {
			if !strings.Contains(res.Thanks.Text, want) {
				t.Errorf("thanks %q lacks %q", res.Thanks.Text, want)
			}
		}
		if again := record(t, s, pay, "nog eens", now); !again.Duplicate || again.Thanks != nil {
			t.Fatalf("the same payment again: %+v", again)
		}
		out, err := s.OutboundFor(ctx, "whatsapp", "whatsapp:+31612345678", 10)
		if err != nil || len(out) != 1 {
			t.Fatalf("outbox: %d messages, %v; want 1", len(out), err)
		}
		notes, err := s.Dossier(ctx, c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryNote}})
		if err != nil || len(notes) != 1 || !strings.Contains(string(notes[0].Body), "rest volgt") {
			t.Fatalf("notes: %v %v", notes, err)
		}
		received, _ := s.Dossier(ctx, c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryPaymentReceived}})
		if len(received) != 1 || strings.Contains(string(received[0].Body), "rest volgt") || received[0].Actor != "collector:3" {
			t.Fatalf("payment.received: %+v", received)
		}
	})
}

// TestThanksBySMSWithoutAConversation: a debtor who never wrote is
// thanked by SMS on the phone on file, and told the case is paid.
func TestThanksBySMSWithoutAConversation(t *testing.T) {
	stores(t, func(t *testing.T, s casestore.Store) {
		c := storetest.NewCase(t, s, "IB-2026-000901")
		b, err := casestore.Balance(c, casestore.DayOf(now))
		if err != nil {
			t.Fatal(err)
		}
		res := record(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: casestore.RoundCents(b.Total.Open), Source: casestore.SourceBank, ExternalID: "E1"}, "", now)
		if res.Thanks == nil || res.Thanks.Channel != "sms" || res.Thanks.To != "+31612345678" {
			t.Fatalf("thanks: %+v", res.Thanks)
		}
		if !res.Paid || !strings.Contains(res.Thanks.Text, "volledig betaald") {
			t.Fatalf("paid %v, text %q", res.Paid, res.Thanks.Text)
		}
	})
}

func moneyNL(d decimal.Decimal) string {
	s := d.StringFixed(2)
	whole, cents, _ := strings.Cut(s, ".")
	if len(whole) > 3 {
		whole = whole[:len(whole)-3] + "." + whole[len(whole)-3:]
	}
	return "€ " + whole + "," + cents
}
