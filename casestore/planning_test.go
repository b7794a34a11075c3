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
	return Breakdown{CaseRef: "IB-1", Regime: NLB2C, AsOf: asOf, Invoices: []InvoiceBalance{{InvoiceID: 1, Number: "F-A", PrincipalOpen: d(open), Amounts: a}}, Total: a}
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

func TestPlanProjectionChargesNoInterestOnCostsAfterAPartPayment(t *testing.T) {
	// Issue #14 point 6. NL B2C €800 due 30 Sep 2026; letter Thu 1 Oct
	// (receipt Sat 3 Oct, term ends Mon 19 Oct); €100 paid 10 Oct, inside
	// the term: interest 1-10 Oct = 800×4×10/36500 = 0.876… → €0.88, so
	// €99.12 goes to principal: €700.88 left. Costs (20 Oct) on €700: 15% =
	// €105.00. On 24 Nov interest since 11 Oct on €700.88, 45 days:
	// 700.88×4×45/36500 = 3.456… → €3.46. Open 800 + 4.34 + 105 − 100 =
	// €809.34, of which only €700.88 is principal.
	today := Date(2026, 11, 24)
	c := testCase(NLB2C, Invoice{DueDate: Date(2026, 9, 30), Principal: d("800.00")})
	c.LetterSentOn = ptr(Date(2026, 10, 1))
	c.Payments = []Payment{{Amount: d("100.00"), ValueDate: Date(2026, 10, 10), Reference: "part"}}
	c.Policy = PlanPolicy{MaxTerms: 12, MinInstallment: d("25"), InterestDuringPlan: true, MaxPromiseDays: 30}
	b, err := Balance(c, today)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Total.Open.Equal(d("809.34")) || !b.Invoices[0].PrincipalOpen.Equal(d("700.88")) {
		t.Fatalf("open %s principal open %s, want 809.34 and 700.88", b.Total.Open, b.Invoices[0].PrincipalOpen)
	}
	// Two terms from 24 Dec, interest on the principal only:
	// Round 1 (809.34 → 404.67 × 2): 25 Nov–24 Dec 30 days on 700.88 =
	//   2.304… → 2.30; other 108.46 + 2.30 = 110.76 paid first, principal
	//   700.88 − 293.91 = 406.97; 25 Dec–24 Jan 31 days = 406.97×124/36500
	//   = 1.382… → 1.38. Extra 3.68.
	// Round 2 (813.02 → 406.51 × 2): 2.30; principal 700.88 − 295.75 =
	//   405.13 → ×124/36500 = 1.376… → 1.38. Extra 3.68: settled, 813.02.
	// Taking Open − costs − interest as the principal (€800) gave 813.35.
	got := EvaluatePlan(c, b, Proposal{Terms: 2}, today)
	if !got.Plan.Total.Equal(d("813.02")) || !sumOf(got.Plan.Installments).Equal(got.Plan.Total) {
		t.Errorf("plan total %s (sum %s), want 813.02", got.Plan.Total, sumOf(got.Plan.Installments))
	}
	if !got.Plan.InterestDuringPlan {
		t.Error("the offer must say interest keeps running")
	}
	c.Policy.InterestDuringPlan = false
	if p := EvaluatePlan(c, b, Proposal{Terms: 2}, today).Plan; p.InterestDuringPlan || !p.Total.Equal(d("809.34")) {
		t.Errorf("without interest during the plan: total %s running %v", p.Total, p.InterestDuringPlan)
	}
}

func TestAgreedPlanStopsInterestSoBalanceMatchesInstallments(t *testing.T) {
	// Issue #14 point 6 (demo IB-2026-000104 showed 218.57 against
	// installments of 218.00). Policy without interest during the plan;
	// plan agreed 1 Dec 2026 over the open total that day; one installment
	// paid. On 1 Mar 2027 the balance is the remaining installments.
	c := testCase(NLB2C, Invoice{DueDate: Date(2026, 9, 30), Principal: d("300.00")})
	agreed := Date(2026, 12, 1)
	b0, err := Balance(c, agreed)
	if err != nil {
		t.Fatal(err)
	}
	// Interest 1 Oct – 1 Dec, 62 days: 300×4×62/36500 = 2.038… → €2.04.
	if !b0.Total.Open.Equal(d("302.04")) {
		t.Fatalf("open on the agreement day %s, want 302.04", b0.Total.Open)
	}
	sched := Schedule(b0.Total.Open, decimal.Zero, 4, Date(2026, 12, 8)) // 75.51 × 3 + 75.51
	c.Payments = []Payment{{Amount: sched[0].Amount, ValueDate: sched[0].Due, Reference: "term 1"}}
	c.PlanAgreedOn = &agreed
	b, err := Balance(c, Date(2027, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	remaining := sumOf(sched[1:]) // 302.04 − 75.51 = 226.53
	if !b.Total.Open.Equal(remaining) || !remaining.Equal(d("226.53")) {
		t.Errorf("balance %s, remaining installments %s; want both 226.53", b.Total.Open, remaining)
	}
	c.Policy = PlanPolicy{MaxTerms: 12, MinInstallment: d("25"), InterestDuringPlan: true, MaxPromiseDays: 30}
	if b, _ := Balance(c, Date(2027, 3, 1)); !b.Total.Open.GreaterThan(remaining) {
		t.Errorf("with interest during the plan the balance %s must keep growing", b.Total.Open)
	}
}
