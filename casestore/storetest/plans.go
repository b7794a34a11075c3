package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func testPlans(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PLAN")
	none, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans of a case without any")
	wantEq(t, "plans of a new case", len(none), 0)

	first := threeTerms(c.ID)
	must(t, s.AddPlan(ctx, first), "AddPlan")
	// 1234.57 in 3 terms: the odd cent goes to the last term.
	second := &casestore.Plan{CaseID: c.ID, Status: casestore.PlanActive, Total: money("1234.57"),
		Installments: []casestore.Installment{
			{Seq: 1, Due: casestore.Date(2026, time.April, 30), Amount: money("411.52")},
			{Seq: 2, Due: casestore.Date(2026, time.May, 31), Amount: money("411.52")},
			{Seq: 3, Due: casestore.Date(2026, time.June, 30), Amount: money("411.53")},
		}}
	must(t, s.AddPlan(ctx, second), "AddPlan active")
	if first.ID == 0 || second.ID == 0 || first.ID == second.ID {
		t.Fatalf("plan IDs %d, %d: want two distinct IDs", first.ID, second.ID)
	}
	must(t, s.SetPlanStatus(ctx, first.ID, casestore.PlanRejected), "SetPlanStatus rejected")
	wantErr(t, s.SetPlanStatus(ctx, 987654, casestore.PlanActive), casestore.ErrNotFound, "SetPlanStatus(unknown plan)")
	wantErr(t, s.SetPlanStatus(ctx, second.ID, "forgotten"), casestore.ErrInvalid, "SetPlanStatus(unknown status)")

	got, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	if len(got) != 2 {
		t.Fatalf("Plans: got %d, want 2", len(got))
	}
	wantEq(t, "first plan (oldest first)", got[0].ID, first.ID)
	wantEq(t, "first plan status", got[0].Status, casestore.PlanRejected)
	wantEq(t, "second plan status (refused change left it)", got[1].Status, casestore.PlanActive)
	// The case knows the day its active plan's total was fixed, so Balance
	// can stop interest when the policy says so (issue #14).
	withPlan, err := s.Case(ctx, c.ID)
	must(t, err, "Case with an active plan")
	if withPlan.PlanAgreedOn == nil || !withPlan.PlanAgreedOn.Equal(casestore.DayOf(got[1].CreatedAt)) {
		t.Errorf("PlanAgreedOn = %v, want the active plan's day %s", withPlan.PlanAgreedOn, casestore.DayOf(got[1].CreatedAt))
	}
	must(t, s.SetPlanStatus(ctx, second.ID, casestore.PlanBroken), "SetPlanStatus broken")
	if broken, err := s.Case(ctx, c.ID); err != nil || broken.PlanAgreedOn != nil {
		t.Errorf("after the plan broke: PlanAgreedOn %v, %v; want nil", broken.PlanAgreedOn, err)
	}
	must(t, s.SetPlanStatus(ctx, second.ID, casestore.PlanActive), "SetPlanStatus active again")
	for i, want := range []*casestore.Plan{threeTerms(c.ID), second} {
		g := got[i]
		wantEq(t, "CaseID", g.CaseID, c.ID)
		wantMoney(t, "Total", g.Total, want.Total)
		wantMoney(t, "DownPayment", g.DownPayment, want.DownPayment)
		if g.CreatedAt.IsZero() {
			t.Error("plan CreatedAt not set")
		}
		if len(g.Installments) != len(want.Installments) {
			t.Errorf("plan %d: %d installments, want %d", i, len(g.Installments), len(want.Installments))
			continue
		}
		for j, w := range want.Installments {
			wantEq(t, "installment Seq", g.Installments[j].Seq, w.Seq)
			wantDay(t, "installment Due", g.Installments[j].Due, w.Due)
			wantMoney(t, "installment Amount", g.Installments[j].Amount, w.Amount)
		}
	}

	p := threeTerms(c.ID)
	p.Status = ""
	must(t, s.AddPlan(ctx, p), "AddPlan without status")
	got, err = s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	wantEq(t, "empty plan status is stored as", got[len(got)-1].Status, casestore.PlanPending)
	_, err = s.Plans(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Plans(unknown case)")
}

func testPlanInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PLANX")
	cases := []struct {
		name   string
		break_ func(p *casestore.Plan)
		want   error
	}{
		{"sum one cent short", func(p *casestore.Plan) { p.Installments[3].Amount = money("89.99") }, casestore.ErrInvalid},
		{"sum one cent over", func(p *casestore.Plan) { p.Total = money("299.99") }, casestore.ErrInvalid},
		{"no installments", func(p *casestore.Plan) { p.Installments = nil }, casestore.ErrInvalid},
		{"zero installment", func(p *casestore.Plan) {
			p.Installments[2].Amount = money("0")
			p.Installments[3].Amount = money("180.00")
		}, casestore.ErrInvalid},
		{"negative total", func(p *casestore.Plan) {
			p.Total, p.DownPayment = money("-300.00"), money("0")
			for i := range p.Installments {
				p.Installments[i].Amount = p.Installments[i].Amount.Neg()
			}
		}, casestore.ErrInvalid},
		{"down payment is not the first installment", func(p *casestore.Plan) { p.DownPayment = money("50.00") }, casestore.ErrInvalid},
		{"unknown status", func(p *casestore.Plan) { p.Status = "maybe" }, casestore.ErrInvalid},
		{"unknown case", func(p *casestore.Plan) { p.CaseID = 987654 }, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		p := threeTerms(c.ID)
		tc.break_(p)
		wantErr(t, s.AddPlan(ctx, p), tc.want, "AddPlan "+tc.name)
	}
	got, err := s.Plans(ctx, c.ID)
	must(t, err, "Plans")
	wantEq(t, "plans stored after refusals", len(got), 0)
}

func testPromises(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PROM")
	none, err := s.Promises(ctx, c.ID)
	must(t, err, "Promises of a case without any")
	wantEq(t, "promises of a new case", len(none), 0)

	p1 := &casestore.Promise{CaseID: c.ID, Amount: money("1234.57"), Date: casestore.Date(2026, time.April, 15)}
	p2 := &casestore.Promise{CaseID: c.ID, Amount: money("0.01"), Date: casestore.Date(2026, time.April, 1), Status: casestore.PromiseKept}
	must(t, s.AddPromise(ctx, p1), "AddPromise")
	must(t, s.AddPromise(ctx, p2), "AddPromise kept")
	if p1.ID == 0 || p2.ID == 0 || p1.ID == p2.ID {
		t.Fatalf("promise IDs %d, %d: want two distinct IDs", p1.ID, p2.ID)
	}
	got, err := s.Promises(ctx, c.ID)
	must(t, err, "Promises")
	if len(got) != 2 {
		t.Fatalf("Promises: got %d, want 2", len(got))
	}
	wantEq(t, "first promise (oldest first, not by date)", got[0].ID, p1.ID)
	wantMoney(t, "Amount", got[0].Amount, money("1234.57"))
	wantDay(t, "Date", got[0].Date, casestore.Date(2026, time.April, 15))
	wantEq(t, "Status defaults to open", got[0].Status, casestore.PromiseOpen)
	wantEq(t, "CaseID", got[0].CaseID, c.ID)
	if got[0].CreatedAt.IsZero() {
		t.Error("promise CreatedAt not set")
	}
	wantMoney(t, "second Amount", got[1].Amount, money("0.01"))
	wantEq(t, "second Status", got[1].Status, casestore.PromiseKept)
	_, err = s.Promises(ctx, 987654)
	wantErr(t, err, casestore.ErrNotFound, "Promises(unknown case)")
}

func testPromiseInvalid(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "IB-PROMX")
	day := casestore.Date(2026, time.April, 15)
	cases := []struct {
		name string
		p    casestore.Promise
		want error
	}{
		{"zero amount", casestore.Promise{CaseID: c.ID, Amount: money("0"), Date: day}, casestore.ErrInvalid},
		{"negative amount", casestore.Promise{CaseID: c.ID, Amount: money("-1.00"), Date: day}, casestore.ErrInvalid},
		{"no date", casestore.Promise{CaseID: c.ID, Amount: money("10.00")}, casestore.ErrInvalid},
		{"unknown status", casestore.Promise{CaseID: c.ID, Amount: money("10.00"), Date: day, Status: "hopeful"}, casestore.ErrInvalid},
		{"unknown case", casestore.Promise{CaseID: 987654, Amount: money("10.00"), Date: day}, casestore.ErrNotFound},
	}
	for _, tc := range cases {
		p := tc.p
		wantErr(t, s.AddPromise(ctx, &p), tc.want, "AddPromise "+tc.name)
	}
	got, err := s.Promises(ctx, c.ID)
	must(t, err, "Promises")
	wantEq(t, "promises stored after refusals", len(got), 0)
}
