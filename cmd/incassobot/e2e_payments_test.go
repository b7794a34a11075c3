package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/stripe/stripefake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

const (
	e2eStripeKey    = "sk_test_e2e_incassobot"
	e2eStripeSecret = "whsec_e2e_incassobot"
)

// The debtor asks to pay in the chat and gets the agency's pay link; the
// link opens a checkout at (fake) Stripe for the open balance with the case
// in its metadata; Stripe delivers the signed completed event three times:
// one payment, balance 0, case paid, one thank-you on the debtor's SMS. A
// forged signature is refused with nothing stored; a refund reverses the
// payment and gives a collector a task. Real server, PostgreSQL, Redis,
// and Stripe's own Go client.
func TestE2EStripePayLinkWebhookRefund(t *testing.T) {
	t.Parallel()
	fake := stripefake.New(t, e2eStripeKey, e2eStripeSecret)
	s := startE2E(t, e2eConfig{vars: map[string]string{
		"STRIPE_SECRET_KEY": e2eStripeKey, "STRIPE_WEBHOOK_SECRET": e2eStripeSecret, "STRIPE_API_URL": fake.URL,
	}})
	c := s.newCase(e2eRef, e2eDebtorPhone)
	d := s.debtor("sms", e2eDebtorPhone)
	d.says("hallo")
	if got := d.says(e2eRef + " 1234AB"); !identified(got) {
		t.Fatalf("want identified, got %s", short(got))
	}
	reply := d.says("ik wil betalen")
	link := regexp.MustCompile(regexp.QuoteMeta(e2ePublicURL) + `/pay/[^\s]+`).FindString(reply)
	if link == "" {
		t.Fatalf("the pay-now reply has no pay link of the agency: %s", short(reply))
	}
	noRedirect := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(s.url + strings.TrimPrefix(link, e2ePublicURL))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("pay link: %d, want 303 to the checkout", resp.StatusCode)
	}
	session := fake.Session(t, resp.Header.Get("Location"))
	open := s.openOf(c.ID)
	if session.AmountTotal != open.Shift(2).IntPart() || session.Metadata["case_ref"] != e2eRef || !strings.Contains(strings.Join(session.Methods, ","), "ideal") {
		t.Fatalf("checkout %+v for open %s", session, open)
	}

	hook := s.url + "/webhooks/stripe"
	ev := fake.Completed(session)
	if code := fake.DeliverSigned(t, hook, ev.Payload(), "whsec_forged"); code != http.StatusBadRequest {
		t.Errorf("forged signature: %d, want 400", code)
	}
	if n := len(s.caseNow(c.ID).Payments); n != 0 {
		t.Fatalf("%d payments after a forged event", n)
	}
	for i := range 3 {
		if code := fake.Deliver(t, hook, ev); code != http.StatusOK {
			t.Fatalf("delivery %d: %d", i+1, code)
		}
	}
	got := s.caseNow(c.ID)
	if len(got.Payments) != 1 || got.Status != casestore.StatusPaid || !s.openOf(c.ID).IsZero() {
		t.Fatalf("after three deliveries: %d payments, status %s, open %s", len(got.Payments), got.Status, s.openOf(c.ID))
	}
	msgs := d.settle()
	thanks := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, "volledig betaald") {
			thanks++
			if m.Status != casestore.OutboundSent && m.Status != casestore.OutboundDelivered {
				t.Errorf("thank-you %s: %s", m.Status, m.LastError)
			}
		}
	}
	if thanks != 1 || !strings.Contains(strings.Join(d.received(), "\n"), "volledig betaald") {
		t.Fatalf("thank-yous delivered: %d in the outbox, received %q", thanks, d.received())
	}

	if code := fake.Deliver(t, hook, fake.Refunded(session)); code != http.StatusOK {
		t.Fatalf("refund: %d", code)
	}
	got = s.caseNow(c.ID)
	if !got.Payments[0].Reversed() || got.Status != casestore.StatusOpen || !s.openOf(c.ID).Equal(open) {
		t.Fatalf("after the refund: reversed %v, status %s, open %s", got.Payments[0].Reversed(), got.Status, s.openOf(c.ID))
	}
	tasks, err := s.store.OpenTasks(context.Background(), 0)
	if err != nil || len(tasks) != 1 || tasks[0].CaseID != c.ID {
		t.Fatalf("collector tasks: %+v %v", tasks, err)
	}
	kinds := map[casestore.EntryKind]int{}
	for _, e := range s.dossier(c.ID) {
		kinds[e.Kind]++
	}
	if kinds[casestore.EntryPaymentReceived] != 1 || kinds[casestore.EntryPaymentReversed] != 1 {
		t.Errorf("dossier: %d payment.received, %d payment.reversed; want 1 each", kinds[casestore.EntryPaymentReceived], kinds[casestore.EntryPaymentReversed])
	}
}

func (s *e2eServer) caseNow(id int64) *casestore.Case {
	s.t.Helper()
	c, err := s.store.Case(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

func (s *e2eServer) openOf(id int64) decimal.Decimal {
	s.t.Helper()
	b, err := casestore.Balance(s.caseNow(id), casestore.DayOf(time.Now()))
	if err != nil {
		s.t.Fatal(err)
	}
	return casestore.RoundCents(b.Total.Open)
}
