package casestore

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestCollectorPlan(t *testing.T) {
	today := Date(2026, 11, 24)
	def := planCase(Minnelijk, StatusOpen, PlanPolicy{})
	strict := planCase(Minnelijk, StatusOpen, PlanPolicy{MaxTerms: 6, MinInstallment: d("50"), DownPaymentPct: d("0.10"), MaxPromiseDays: 30})
	type inst struct {
		due    time.Time
		amount string
	}
	tests := []struct {
		name     string
		c        *Case
		open     string
		p        Proposal
		want     []inst
		breaches []string
	}{
		// €1,234.57 in 3 terms: 411.52 twice, the odd cent last.
		{"terms, remainder in the last", def, "1234.57", Proposal{Terms: 3, Start: Date(2026, 12, 1)},
			[]inst{{Date(2026, 12, 1), "411.52"}, {Date(2027, 1, 1), "411.52"}, {Date(2027, 2, 1), "411.53"}}, []string{}},
		// €100 a month on €250 is 3 equal terms of at most €100: 83.33 ×2 + 83.34.
		{"monthly amount", def, "250", Proposal{Monthly: d("100"), Start: Date(2026, 12, 15)},
			[]inst{{Date(2026, 12, 15), "83.33"}, {Date(2027, 1, 15), "83.33"}, {Date(2027, 2, 15), "83.34"}}, []string{}},
		// No first date: the same day next month.
		{"start defaults to next month", def, "100", Proposal{Terms: 2},
			[]inst{{Date(2026, 12, 24), "50.00"}, {Date(2027, 1, 24), "50.00"}}, []string{}},
		// A collector may go beyond the policy: 24 terms of €25 on the
		// strict policy (max 6, min €50, 10% down), which the bot would
		// have countered. The plan is as asked; the breaches are noted.
		{"beyond policy, noted", strict, "600", Proposal{Terms: 24, Start: Date(2026, 12, 20)},
			nil, []string{PlanReasonTooManyTerms, PlanReasonBelowMinimum, PlanReasonDownPayment}},
		// €60 down on 31 Jan, then 540 in 2 terms on 28 Feb and 31 Mar.
		{"down payment first", strict, "600", Proposal{Terms: 2, DownPayment: d("60"), Start: Date(2027, 1, 31)},
			[]inst{{Date(2027, 1, 31), "60.00"}, {Date(2027, 2, 28), "270.00"}, {Date(2027, 3, 31), "270.00"}}, []string{PlanReasonStartTooLate}},
		{"down payment pays all", def, "80", Proposal{DownPayment: d("80"), Start: today},
			[]inst{{today, "80.00"}}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			plan, breaches, err := CollectorPlan(tc.c, openBreakdown(tc.open, today), tc.p, today)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Status != PlanPending || plan.CaseID != tc.c.ID {
				t.Errorf("status %s case %d, want pending on case %d", plan.Status, plan.CaseID, tc.c.ID)
			}
			if !sumOf(plan.Installments).Equal(plan.Total) || !plan.Total.Equal(d(tc.open)) {
				t.Errorf("total %s, installments sum %s; want both %s", plan.Total, sumOf(plan.Installments), tc.open)
			}
			if !slices.Equal(breaches, tc.breaches) {
				t.Errorf("breaches %v, want %v", breaches, tc.breaches)
			}
			// Read back from the plan alone (as the console shows a
			// pending plan), the breaches are the same.
			if got := PlanBreaches(tc.c, openBreakdown(tc.open, today), plan, today); !slices.Equal(got, tc.breaches) {
				t.Errorf("PlanBreaches of the plan = %v, want %v", got, tc.breaches)
			}
			if tc.want == nil {
				if len(plan.Installments) != 24 {
					t.Errorf("%d installments, want the 24 asked", len(plan.Installments))
				}
				return
			}
			if len(plan.Installments) != len(tc.want) {
				t.Fatalf("%d installments %v, want %d", len(plan.Installments), plan.Installments, len(tc.want))
			}
			for i, w := range tc.want {
				got := plan.Installments[i]
				if got.Seq != i+1 || !got.Due.Equal(w.due) || !got.Amount.Equal(d(w.amount)) {
					t.Errorf("installment %d = %d %s %s, want %s %s", i+1, got.Seq, got.Due.Format(time.DateOnly), got.Amount, w.due.Format(time.DateOnly), w.amount)
				}
			}
		})
	}
}

func TestCollectorPlanRefuses(t *testing.T) {
	today := Date(2026, 11, 24)
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{})
	for _, tc := range []struct {
		name string
		open string
		p    Proposal
	}{
		{"nothing open", "0", Proposal{Terms: 3}},
		{"no terms, no monthly amount", "600", Proposal{Start: Date(2026, 12, 1)}},
		{"first date in the past", "600", Proposal{Terms: 3, Start: Date(2026, 11, 23)}},
		{"down payment above the open amount", "600", Proposal{Terms: 1, DownPayment: d("600.01")}},
		{"negative down payment", "600", Proposal{Terms: 1, DownPayment: d("-1")}},
		{"a euro a month is a typo", "600", Proposal{Monthly: d("1")}},
		{"more terms than ten years", "6000", Proposal{Terms: MaxCollectorTerms + 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := CollectorPlan(c, openBreakdown(tc.open, today), tc.p, today)
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("err = %v, want ErrInvalid", err)
			}
		})
	}
}

// With interest running during the plan, the collector's plan carries
// the same projection EvaluatePlan makes (see
// TestEvaluatePlanInterestDuringPlan for the arithmetic): 1205.99.
func TestCollectorPlanProjectsInterest(t *testing.T) {
	today := Date(2026, 11, 24)
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{MaxTerms: 12, MinInstallment: d("25"), InterestDuringPlan: true, MaxPromiseDays: 30})
	plan, _, err := CollectorPlan(c, openBreakdown("1200", today), Proposal{Terms: 2}, today)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.Total.Equal(d("1205.99")) || !sumOf(plan.Installments).Equal(plan.Total) {
		t.Errorf("total %s (sum %s), want 1205.99", plan.Total, sumOf(plan.Installments))
	}
	if plan.DownPayment.Cmp(decimal.Zero) != 0 {
		t.Errorf("down payment %s, want none", plan.DownPayment)
	}
}

// A plan that waited for a decision until its first date passed says so,
// and so does a debtor's proposal outside the policy.
func TestPlanBreachesOfAWaitingPlan(t *testing.T) {
	today := Date(2026, 11, 24)
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{})
	b := openBreakdown("600", today)
	fits := Plan{CaseID: c.ID, Status: PlanPending, Total: d("600"), DownPayment: decimal.Zero,
		Installments: Schedule(d("600"), decimal.Zero, 3, Date(2026, 11, 30))}
	long := Plan{CaseID: c.ID, Status: PlanPending, Total: d("600"), DownPayment: decimal.Zero,
		Installments: Schedule(d("600"), decimal.Zero, 30, Date(2026, 12, 1))}
	for _, tc := range []struct {
		name  string
		p     Plan
		today time.Time
		want  []string
	}{
		{"fits the policy", fits, today, []string{}},
		{"first date passed while it waited", fits, Date(2026, 12, 2), []string{PlanReasonStartInPast}},
		{"30 terms of €20", long, today, []string{PlanReasonTooManyTerms, PlanReasonBelowMinimum}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlanBreaches(c, b, tc.p, tc.today); !slices.Equal(got, tc.want) {
				t.Errorf("PlanBreaches = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCollectorPlanRefusesZeroInstallments(t *testing.T) {
	// Issue #14 point 8: €0.50 open in 100 terms would be 99 installments
	// of €0.00 and one of €0.50 (Schedule rounds down to the cent).
	today := Date(2026, 11, 24)
	c := planCase(Minnelijk, StatusOpen, PlanPolicy{})
	_, _, err := CollectorPlan(c, openBreakdown("0.50", today), Proposal{Terms: 100}, today)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	plan, _, err := CollectorPlan(c, openBreakdown("0.50", today), Proposal{Terms: 50}, today)
	if err != nil || len(plan.Installments) != 50 || !plan.Installments[0].Amount.Equal(d("0.01")) {
		t.Fatalf("50 terms of €0.01: %v %v", plan.Installments, err)
	}
}
