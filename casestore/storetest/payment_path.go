package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// The payment path (casestore.ApplyPayment, ApplyReversal) on the store:
// one path for every source, so both stores must agree on all of it.
var paymentPathTests = []test{
	{"PaymentPath", group(
		test{"RecordedOnceAndCasePaid", testPathPaid},
		test{"ConcurrentDeliveriesRecordOnce", testPathConcurrent},
		test{"SettlesInstallmentsInOrder", testPathInstallments},
		test{"ReversalReopensWithTask", testPathReversal},
	)},
}

func openOn(t *testing.T, s casestore.Store, c *casestore.Case, now time.Time) decimal.Decimal {
	t.Helper()
	got, err := s.Case(context.Background(), c.ID)
	must(t, err, "Case")
	b, err := casestore.Balance(got, casestore.DayOf(now))
	must(t, err, "Balance")
	return casestore.RoundCents(b.Total.Open)
}

func apply(t *testing.T, s casestore.Store, in casestore.IncomingPayment, now time.Time) casestore.Applied {
	t.Helper()
	var a casestore.Applied
	err := s.InTx(context.Background(), func(tx casestore.Tx) (err error) {
		a, err = casestore.ApplyPayment(context.Background(), tx, in, now)
		return err
	})
	must(t, err, "ApplyPayment "+in.ExternalID)
	return a
}

func entriesOf(t *testing.T, s casestore.Store, caseID int64, kind casestore.EntryKind) []casestore.DossierEntry {
	t.Helper()
	es, err := s.Dossier(context.Background(), caseID, casestore.DossierQuery{Kinds: []casestore.EntryKind{kind}, Limit: 100})
	must(t, err, "Dossier "+string(kind))
	return es
}

func testPathPaid(t *testing.T, s casestore.Store) {
	c := NewCase(t, s, "IB-PATH")
	now := time.Date(2026, time.March, 10, 12, 0, 0, 0, casestore.Amsterdam)
	open := openOn(t, s, c, now)
	first := casestore.IncomingPayment{CaseID: c.ID, Amount: money("100.00"), Source: casestore.SourceStripe, ExternalID: "pi_1", Actor: "system"}
	a := apply(t, s, first, now)
	if a.Duplicate || a.Paid {
		t.Fatalf("first payment: duplicate %v, paid %v", a.Duplicate, a.Paid)
	}
	wantMoney(t, "open after 100.00", a.Open, open.Sub(money("100.00")))
	wantDay(t, "value date defaults to today", a.Payment.ValueDate, casestore.Date(2026, time.March, 10))
	// The provider delivers it twice more: nothing changes.
	for range 2 {
		if again := apply(t, s, first, now); !again.Duplicate {
			t.Fatal("a payment delivered again was not recognised")
		}
	}
	rest := apply(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: a.Open, Source: casestore.SourceBank, ExternalID: "E-2"}, now)
	if !rest.Paid || !rest.Open.IsZero() {
		t.Fatalf("after paying the rest: paid %v, open %s", rest.Paid, rest.Open)
	}
	got, err := s.Case(context.Background(), c.ID)
	must(t, err, "Case")
	wantEq(t, "payments", len(got.Payments), 2)
	wantEq(t, "case status", got.Status, casestore.StatusPaid)
	entries := entriesOf(t, s, c.ID, casestore.EntryPaymentReceived)
	wantEq(t, "payment.received entries", len(entries), 2)
	var b struct {
		Amount    string `json:"amount"`
		OpenAfter string `json:"open_after"`
		Source    string `json:"source"`
		Paid      bool   `json:"case_paid"`
	}
	must(t, json.Unmarshal(entries[1].Body, &b), "entry body") // newest first: [1] is the first payment
	wantEq(t, "entry amount", b.Amount, "100.00")
	wantEq(t, "entry open after", b.OpenAfter, a.Open.StringFixed(2))
	wantEq(t, "entry source", b.Source, "stripe")
	wantEq(t, "entry channel", entries[1].Channel, "stripe")
	must(t, json.Unmarshal(entries[0].Body, &b), "entry body")
	wantEq(t, "last entry says paid", b.Paid, true)
}

// testPathConcurrent: a provider's retries racing each other record one
// payment.
func testPathConcurrent(t *testing.T, s casestore.Store) {
	c := NewCase(t, s, "IB-RACE")
	now := time.Date(2026, time.March, 10, 12, 0, 0, 0, casestore.Amsterdam)
	in := casestore.IncomingPayment{CaseID: c.ID, Amount: money("25.00"), Source: casestore.SourceStripe, ExternalID: "pi_race"}
	const n = 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	recorded := 0
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a casestore.Applied
			err := s.InTx(context.Background(), func(tx casestore.Tx) (err error) {
				a, err = casestore.ApplyPayment(context.Background(), tx, in, now)
				return err
			})
			if err != nil && !errors.Is(err, casestore.ErrConflict) {
				t.Errorf("ApplyPayment: %v", err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if err == nil && !a.Duplicate {
				recorded++
			}
		}()
	}
	wg.Wait()
	wantEq(t, "deliveries that recorded a payment", recorded, 1)
	got, err := s.Case(context.Background(), c.ID)
	must(t, err, "Case")
	wantEq(t, "payments", len(got.Payments), 1)
	wantEq(t, "payment.received entries", len(entriesOf(t, s, c.ID, casestore.EntryPaymentReceived)), 1)
}

func testPathInstallments(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-TERM")
	plan := threeTerms(c.ID) // 30 + 3 × 90
	plan.Status = casestore.PlanActive
	must(t, s.AddPlan(ctx, plan), "AddPlan")
	must(t, s.SetCaseStatus(ctx, c.ID, casestore.StatusInPlan), "SetCaseStatus")
	now := time.Now() // the plan is made on the store's clock
	a := apply(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: money("100.00"), Source: casestore.SourceBank, ExternalID: "T1"}, now)
	wantEq(t, "settled by 100.00", len(a.Settled), 1)
	wantEq(t, "first settled", a.Settled[0], 1)
	a = apply(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: money("20.00"), Source: casestore.SourceBank, ExternalID: "T2"}, now)
	wantEq(t, "100 + 20 settles the second", len(a.Settled), 1)
	wantEq(t, "second settled", a.Settled[0], 2)
	a = apply(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: money("180.00"), Source: casestore.SourceBank, ExternalID: "T3"}, now)
	wantEq(t, "180.00 settles the last two", len(a.Settled), 2)
	wantEq(t, "in order", a.Settled[1], 4)
	plans, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	wantEq(t, "plan status", plans[0].Status, casestore.PlanCompleted)
	wantEq(t, "plan.completed entries", len(entriesOf(t, s, c.ID, casestore.EntryPlanCompleted)), 1)
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "case status: plan done, money still open", got.Status, casestore.StatusOpen)
}

func testPathReversal(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-BACK")
	now := time.Date(2026, time.March, 10, 12, 0, 0, 0, casestore.Amsterdam)
	open := openOn(t, s, c, now)
	apply(t, s, casestore.IncomingPayment{CaseID: c.ID, Amount: open, Source: casestore.SourceStripe, ExternalID: "pi_all"}, now)
	reverse := func() (r casestore.Reversed, err error) {
		err = s.InTx(ctx, func(tx casestore.Tx) (err error) {
			r, err = casestore.ApplyReversal(ctx, tx, casestore.SourceStripe, "pi_all", "refunded", now.Add(time.Hour))
			return err
		})
		return r, err
	}
	r, err := reverse()
	must(t, err, "ApplyReversal")
	wantMoney(t, "open again", r.Open, open)
	again, err := reverse()
	must(t, err, "ApplyReversal again")
	wantEq(t, "second reversal is a duplicate", again.Duplicate, true)
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	wantEq(t, "case status", got.Status, casestore.StatusOpen)
	wantEq(t, "payment.reversed entries", len(entriesOf(t, s, c.ID, casestore.EntryPaymentReversed)), 1)
	tasks, err := s.OpenTasks(ctx, 0)
	must(t, err, "OpenTasks")
	wantEq(t, "one task", len(tasks), 1)
	wantEq(t, "task kind", tasks[0].Kind, casestore.TaskPaymentReversed)
	err = s.InTx(ctx, func(tx casestore.Tx) error {
		_, err := casestore.ApplyReversal(ctx, tx, casestore.SourceStripe, "pi_never", "refunded", now)
		return err
	})
	wantErr(t, err, casestore.ErrNotFound, "reversal of an unknown payment")
}
