package casestore

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// openBreakdown is a balance with total open, all principal, on one invoice.
func openBreakdown(open string, asOf time.Time) Breakdown {
	a := Amounts{Principal: d(open), Interest: decimal.Zero, Costs: decimal.Zero, CostsVAT: decimal.Zero, Paid: decimal.Zero, Open: d(open)}
	return Breakdown{CaseRef: "IB-1", Regime: NLB2C, AsOf: asOf, Invoices: []InvoiceBalance{{InvoiceID: 1, Number: "F-A", Amounts: a}}, Total: a}
}

func planCase(stage Stage, status Status, pol PlanPolicy) *Case {
	c := testCase(NLB2C, Invoice{DueDate: Date(2026, 9, 30), Principal: d("600")})
	c.Stage, c.Status, c.Policy = stage, status, pol
	return c
}

func disputedCase() *Case {
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{})
	c.Invoices[0].Status = InvoiceDisputed
	return c
}

func sumOf(ins []Installment) decimal.Decimal {
	s := decimal.Zero
	for _, in := range ins {
		s = s.Add(in.Amount)
	}
	return s
}

func TestEvaluatePlan(t *testing.T) {
	today := Date(2026, 11, 24)
	strict := PlanPolicy{MaxTerms: 6, MinInstallment: d("50"), DownPaymentPct: d("0.10"), MaxPromiseDays: 30}
	tests := []struct {
		name        string
		c           *Case
		open        string
		p           Proposal
		want        PlanOutcome
		reasons     []string
		terms       int    // monthly installments in the plan
		down        string // down payment in the plan
		first       time.Time
		firstAmount string
	}{
		// Default policy (zero policy on the case): 12 terms, min €25.
		// €600 in 6 terms = €100 a month, first due 24 Dec (next month).
		{"accept 6 terms under the default policy", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 6}, PlanAccepted, nil, 6, "0", Date(2026, 12, 24), "100.00"},
		// €50 a month on €600 = 12 terms, within 12.
		{"accept a monthly amount", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Monthly: d("50")}, PlanAccepted, nil, 12, "0", Date(2026, 12, 24), "50.00"},
		// 24 terms > 12: counter at the debtor's €25 a month would be 24
		// terms, so the counter is 12 terms of €50.
		{"counter too many terms", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 24}, PlanCountered, []string{PlanReasonTooManyTerms}, 12, "0", Date(2026, 12, 24), "50.00"},
		// 48 terms on €600 = €12.50 < €25 minimum: the debtor's amount
		// raised to €25 needs 24 terms (within 2 × 12), capped at 12 terms of €50.
		{"counter below minimum installment", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 48}, PlanCountered, []string{PlanReasonTooManyTerms, PlanReasonBelowMinimum}, 12, "0", Date(2026, 12, 24), "50.00"},
		// Strict policy needs 10% down (€60), min €50, max 6 terms: the
		// debtor offers €100 a month (6 terms), no down payment → counter
		// €60 down, then 540 at €100 = ceil(5.4) = 6 equal terms of €90;
		// the down payment is due on the start date.
		{"counter: down payment required", planCase(Minnelijk, StatusOpen, strict), "600",
			Proposal{Monthly: d("100")}, PlanCountered, []string{PlanReasonDownPayment}, 6, "60.00", Date(2026, 12, 24), "60.00"},
		// €5 a month on €1,200 at min €25: 48 terms at €25 > 2 × 12 → a person decides.
		{"collector: offer too low for any counter", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "1200",
			Proposal{Monthly: d("5")}, PlanNeedsCollector, []string{PlanReasonBelowMinimum, PlanReasonTooManyTerms, PlanReasonAbovePolicy}, 0, "0", time.Time{}, ""},
		{"collector: judicial stage", planCase(Gerechtelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 3}, PlanNeedsCollector, []string{PlanReasonJudicialStage}, 3, "0", Date(2026, 12, 24), "200.00"},
		{"collector: on hold", planCase(Minnelijk, StatusOnHold, PlanPolicy{}), "600",
			Proposal{Terms: 3}, PlanNeedsCollector, []string{PlanReasonOnHold}, 3, "0", Date(2026, 12, 24), "200.00"},
		{"collector: nothing open", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "0",
			Proposal{Terms: 3}, PlanNeedsCollector, []string{PlanReasonNothingOpen}, 0, "0", time.Time{}, ""},
		{"collector: disputed invoice", disputedCase(), "600",
			Proposal{Terms: 3}, PlanNeedsCollector, []string{PlanReasonDisputed}, 3, "0", Date(2026, 12, 24), "200.00"},
		// No amount and no terms: the longest plan the default policy allows,
		// 12 terms (600 / 25 = 24 would be more) of €50.
		{"counter: no proposal", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{}, PlanCountered, []string{PlanReasonNoProposal}, 12, "0", Date(2026, 12, 24), "50.00"},
		// A start date last week is moved to next month.
		{"counter: start in the past", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 2, Start: Date(2026, 11, 17)}, PlanCountered, []string{PlanReasonStartInPast}, 2, "0", Date(2026, 12, 24), "300.00"},
		// Start in three months is past max(1 month, 30 days) → moved to 24 Dec.
		{"counter: start too late", planCase(Minnelijk, StatusOpen, PlanPolicy{}), "600",
			Proposal{Terms: 6, Start: Date(2027, 2, 24)}, PlanCountered, []string{PlanReasonStartTooLate}, 6, "0", Date(2026, 12, 24), "100.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EvaluatePlan(tt.c, openBreakdown(tt.open, today), tt.p, today)
			if got.Outcome != tt.want {
				t.Fatalf("outcome %s (reasons %v), want %s", got.Outcome, got.Reasons, tt.want)
			}
			if !sameSet(got.Reasons, tt.reasons) {
				t.Errorf("reasons %v, want %v", got.Reasons, tt.reasons)
			}
			if tt.firstAmount == "" {
				return
			}
			plan := got.Plan
			if !sumOf(plan.Installments).Equal(plan.Total) || !plan.Total.Equal(d(tt.open)) {
				t.Errorf("installments sum %s, total %s, want %s", sumOf(plan.Installments), plan.Total, tt.open)
			}
			monthly := len(plan.Installments)
			if plan.DownPayment.IsPositive() {
				monthly--
			}
			if monthly != tt.terms || !plan.DownPayment.Equal(d(tt.down)) {
				t.Errorf("%d terms + down %s, want %d + %s", monthly, plan.DownPayment, tt.terms, tt.down)
			}
			if in := plan.Installments[0]; !in.Due.Equal(tt.first) || !in.Amount.Equal(d(tt.firstAmount)) {
				t.Errorf("first installment %s on %s, want %s on %s", in.Amount, in.Due.Format(time.DateOnly), tt.firstAmount, tt.first.Format(time.DateOnly))
			}
			wantStatus := PlanPending
			if tt.want == PlanAccepted {
				wantStatus = PlanActive
			}
			if plan.Status != wantStatus {
				t.Errorf("plan status %s, want %s", plan.Status, wantStatus)
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestEvaluatePlanInterestDuringPlan(t *testing.T) {
	// €1,200 open, all principal, NL statutory, plan of 2 terms from
	// 24 Dec 2026 at the 4% rate of rates/nl-statutory.csv (2026 rows are
	// unconfirmed; this checks the method). AsOf 24 Nov, so interest runs
	// from 25 Nov.
	// Round 1 (total 1200): 600 on 24 Dec, 600 on 24 Jan.
	//   25 Nov–24 Dec: 30 days on 1200 = 1200×4×30/36500 = 3.945… → 3.95;
	//   the 600 pays 3.95 interest, 596.05 principal → 603.95 left;
	//   25 Dec–24 Jan: 31 days on 603.95 = 2.0517… → 2.05. Extra 6.00.
	// Round 2 (total 1206.00): 603 + 603: 3.95 again, 599.05 principal →
	//   600.95 left; 31 days → 2.0416… → 2.04. Extra 5.99.
	// Round 3 (total 1205.99): 602.99 + 603.00: 3.95, principal 599.04 →
	//   600.96 left → 2.0416… → 2.04. Extra 5.99 = round 2: fixed point.
	today := Date(2026, 11, 24)
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{MaxTerms: 12, MinInstallment: d("25"), InterestDuringPlan: true, MaxPromiseDays: 30})
	got := EvaluatePlan(c, openBreakdown("1200", today), Proposal{Terms: 2}, today)
	if got.Outcome != PlanAccepted {
		t.Fatalf("outcome %s %v", got.Outcome, got.Reasons)
	}
	if !got.Plan.Total.Equal(d("1205.99")) || !sumOf(got.Plan.Installments).Equal(got.Plan.Total) {
		t.Errorf("total %s (sum %s), want 1205.99", got.Plan.Total, sumOf(got.Plan.Installments))
	}
}

func TestScheduleDatesAndRemainder(t *testing.T) {
	// €100 down on 31 Jan 2028, then €1,000 in 3 terms: 333.33, 333.33,
	// 333.34 (remainder last) on 29 Feb (leap year), 31 Mar, 30 Apr.
	got := Schedule(d("1100"), d("100"), 3, Date(2028, 1, 31))
	want := []Installment{
		{1, Date(2028, 1, 31), d("100")},
		{2, Date(2028, 2, 29), d("333.33")},
		{3, Date(2028, 3, 31), d("333.33")},
		{4, Date(2028, 4, 30), d("333.34")},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d installments, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Seq != want[i].Seq || !got[i].Due.Equal(want[i].Due) || !got[i].Amount.Equal(want[i].Amount) {
			t.Errorf("installment %d = %d %s %s, want %d %s %s", i, got[i].Seq, got[i].Due.Format(time.DateOnly), got[i].Amount,
				want[i].Seq, want[i].Due.Format(time.DateOnly), want[i].Amount)
		}
	}
	// No down payment: the first monthly installment is due on first.
	if s := Schedule(d("50"), decimal.Zero, 2, Date(2027, 1, 31)); !s[0].Due.Equal(Date(2027, 1, 31)) || !s[1].Due.Equal(Date(2027, 2, 28)) {
		t.Errorf("no down payment: %v", s)
	}
	// Down payment covering everything: one installment.
	if s := Schedule(d("50"), d("80"), 3, Date(2027, 1, 5)); len(s) != 1 || !s[0].Amount.Equal(d("50")) {
		t.Errorf("down payment ≥ total: %v", s)
	}
}

func TestScheduleProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		total := decimal.New(rng.Int64N(10_000_000)+1, -2) // €0.01 … €100,000.00
		terms := rng.IntN(60) + 1
		down := decimal.Zero
		if rng.IntN(2) == 0 {
			down = decimal.New(rng.Int64N(total.Mul(hundred).IntPart()+1), -2)
		}
		s := Schedule(total, down, terms, Date(2026, 1, 1+rng.IntN(31)))
		if !sumOf(s).Equal(total) {
			t.Fatalf("total %s down %s terms %d: sum %s", total, down, terms, sumOf(s))
		}
		monthly := s
		if down.IsPositive() {
			monthly = s[1:]
		}
		if down.LessThan(total) && len(monthly) != terms {
			t.Fatalf("total %s down %s: %d monthly installments, want %d", total, down, len(monthly), terms)
		}
		lo, hi := monthly[0].Amount, monthly[0].Amount
		for i, in := range s {
			if in.Amount.IsNegative() || in.Seq != i+1 || (i > 0 && !in.Due.After(s[i-1].Due)) {
				t.Fatalf("total %s terms %d: bad installment %+v", total, terms, in)
			}
		}
		for _, in := range monthly {
			lo, hi = decimal.Min(lo, in.Amount), decimal.Max(hi, in.Amount)
		}
		if hi.Sub(lo).GreaterThan(decimal.New(int64(terms), -2)) {
			t.Fatalf("total %s terms %d: installments differ by %s", total, terms, hi.Sub(lo))
		}
	}
}
