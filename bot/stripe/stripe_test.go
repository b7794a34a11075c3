package stripe_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/bot/stripe"
	"github.com/incassobot/incassobot/bot/stripe/stripefake"
	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/sqlite"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/incassobot/incassobot/casestore/storetest"
	"github.com/shopspring/decimal"
)

const (
	secretKey     = "sk_test_incassobot"
	webhookSecret = "whsec_test_incassobot"
)

// fixture: the real Stripe client against the fake, the webhook and the
// pay links on a real SQLite store.
type fixture struct {
	st    *sqlite.Store
	fake  *stripefake.Fake
	links *payments.PayLinks
	srv   *httptest.Server
	c     *casestore.Case
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st := sqlitetest.Open(t)
	f := &fixture{st: st, fake: stripefake.New(t, secretKey, webhookSecret)}
	f.c = storetest.NewCase(t, st, "IB-2026-000500")
	cfg := stripe.Config{SecretKey: secretKey, WebhookSecret: webhookSecret, APIURL: f.fake.URL}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/stripe", stripe.NewWebhook(cfg, &payments.Service{Store: st, Log: quiet}, quiet))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.links = &payments.PayLinks{Store: st, Checkout: stripe.NewClient(cfg), Key: []byte(strings.Repeat("k", 32)), PublicURL: f.srv.URL, Log: quiet}
	mux.Handle("GET /pay/", f.links.Handler())
	return f
}

// follow opens a case's pay link and returns where it leads.
func (f *fixture) follow(t *testing.T, c *casestore.Case) (int, string) {
	t.Helper()
	link := strings.ReplaceAll(f.links.URL(c), "{ref}", c.Ref)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

func (f *fixture) open(t *testing.T) decimal.Decimal {
	t.Helper()
	c, err := f.st.Case(context.Background(), f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := casestore.Balance(c, casestore.DayOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	return casestore.RoundCents(b.Total.Open)
}

// The pay link opens a checkout for the open balance with iDEAL for a
// Dutch case; the completed event, delivered three times, records one
// payment; the case is paid and the debtor thanked once; a refund
// reverses it and gives a collector a task.
func TestPayLinkCheckoutWebhookAndRefund(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	open := f.open(t)
	code, loc := f.follow(t, f.c)
	if code != http.StatusSeeOther || !strings.HasPrefix(loc, f.fake.URL+"/checkout/") {
		t.Fatalf("pay link: %d to %q, want 303 to the fake's checkout", code, loc)
	}
	s := f.fake.Session(t, loc)
	if s.AmountTotal != open.Shift(2).IntPart() || s.Currency != "eur" || s.Metadata["case_id"] != itoa(f.c.ID) ||
		strings.Join(s.Methods, ",") != "ideal,card" || s.Locale != "nl" {
		t.Fatalf("session: %+v (open %s)", s, open)
	}
	hook := f.srv.URL + "/webhooks/stripe"
	ev := f.fake.Completed(s)
	for i := range 3 {
		if got := f.fake.Deliver(t, hook, ev); got != http.StatusOK {
			t.Fatalf("delivery %d: %d", i+1, got)
		}
	}
	c, err := f.st.Case(ctx, f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Payments) != 1 || c.Payments[0].ExternalID != s.PaymentIntent || c.Status != casestore.StatusPaid || !f.open(t).IsZero() {
		t.Fatalf("after three deliveries: %d payments, status %s, open %s", len(c.Payments), c.Status, f.open(t))
	}
	out, err := f.st.OutboundFor(ctx, "sms", "+31612345678", 10)
	if err != nil || len(out) != 1 || !strings.Contains(out[0].Text, "volledig betaald") {
		t.Fatalf("thank-you: %d messages %v", len(out), err)
	}
	if code, _ := f.follow(t, f.c); code != http.StatusOK {
		t.Errorf("pay link of a paid case: %d, want the 'nothing open' page", code)
	}
	refund := f.fake.Refunded(s)
	for range 2 {
		if got := f.fake.Deliver(t, hook, refund); got != http.StatusOK {
			t.Fatalf("refund: %d", got)
		}
	}
	c, _ = f.st.Case(ctx, f.c.ID)
	if !c.Payments[0].Reversed() || c.Status != casestore.StatusOpen || !f.open(t).Equal(open) {
		t.Fatalf("after the refund: reversed %v, status %s, open %s", c.Payments[0].Reversed(), c.Status, f.open(t))
	}
	tasks, err := f.st.OpenTasks(ctx, 0)
	if err != nil || len(tasks) != 1 || tasks[0].Kind != casestore.TaskPaymentReversed {
		t.Fatalf("tasks: %+v %v", tasks, err)
	}
}

// A forged or stale signature is refused and nothing is stored.
func TestWebhookRefusesForgedSignatures(t *testing.T) {
	f := newFixture(t)
	_, loc := f.follow(t, f.c)
	ev := f.fake.Completed(f.fake.Session(t, loc))
	hook := f.srv.URL + "/webhooks/stripe"
	if got := f.fake.DeliverSigned(t, hook, ev.Payload(), "whsec_someone_else"); got != http.StatusBadRequest {
		t.Errorf("forged signature: %d, want 400", got)
	}
	resp, err := http.Post(hook, "application/json", strings.NewReader(string(ev.Payload())))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unsigned: %d, want 400", resp.StatusCode)
	}
	c, _ := f.st.Case(context.Background(), f.c.ID)
	if len(c.Payments) != 0 {
		t.Fatalf("payments after forged events: %d", len(c.Payments))
	}
}

// A Belgian case pays with Bancontact; a plan's next installment is what
// the link asks, not the whole balance; a dispute reverses the payment.
func TestBelgianInstallmentAndDispute(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	be := storetest.CaseFor("IB-2026-000501", f.c.CreditorID, f.c.DebtorID)
	be.Regime = casestore.BEB2C
	if _, err := f.st.PutCase(ctx, be); err != nil {
		t.Fatal(err)
	}
	plan := &casestore.Plan{CaseID: be.ID, Status: casestore.PlanActive, Total: decimal.RequireFromString("300"), DownPayment: decimal.Zero,
		Installments: []casestore.Installment{
			{Seq: 1, Due: casestore.DayOf(time.Now()).AddDate(0, 0, 7), Amount: decimal.RequireFromString("150")},
			{Seq: 2, Due: casestore.DayOf(time.Now()).AddDate(0, 1, 7), Amount: decimal.RequireFromString("150")}}}
	if err := f.st.AddPlan(ctx, plan); err != nil {
		t.Fatal(err)
	}
	c, _ := f.st.Case(ctx, be.ID)
	code, loc := f.follow(t, c)
	if code != http.StatusSeeOther {
		t.Fatalf("pay link: %d", code)
	}
	s := f.fake.Session(t, loc)
	if s.AmountTotal != 15000 || strings.Join(s.Methods, ",") != "bancontact,card" || s.Metadata["purpose"] != "installment-1" {
		t.Fatalf("session: %+v", s)
	}
	hook := f.srv.URL + "/webhooks/stripe"
	if got := f.fake.Deliver(t, hook, f.fake.Completed(s)); got != http.StatusOK {
		t.Fatal(got)
	}
	c, _ = f.st.Case(ctx, be.ID)
	if _, loc = f.follow(t, c); f.fake.Session(t, loc).Metadata["purpose"] != "installment-2" {
		t.Errorf("after paying the first installment the link asks %q", f.fake.Session(t, loc).Metadata["purpose"])
	}
	if got := f.fake.Deliver(t, hook, f.fake.Disputed(s)); got != http.StatusOK {
		t.Fatal(got)
	}
	c, _ = f.st.Case(ctx, be.ID)
	if len(c.Payments) != 1 || !c.Payments[0].Reversed() || !strings.HasPrefix(c.Payments[0].ReversalReason, "disputed") {
		t.Fatalf("after the dispute: %+v", c.Payments)
	}
}

func TestPayLinkRefusesAWrongKey(t *testing.T) {
	f := newFixture(t)
	for _, link := range []string{
		f.srv.URL + "/pay/" + f.c.Ref + "?k=forged",
		f.srv.URL + "/pay/" + f.c.Ref,
		strings.ReplaceAll(f.links.URL(f.c), "{ref}", "IB-2026-000999"), // another case's number with this case's key
	} {
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "niet (meer) geldig") {
			t.Errorf("%s: %d", link, resp.StatusCode)
		}
	}
	if n := len(f.fake.Sessions()); n != 0 {
		t.Errorf("%d checkouts created for refused links", n)
	}
}

func itoa(n int64) string { return decimal.NewFromInt(n).String() }
