package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/postgres/pgstoretest"
	"github.com/incassobot/incassobot/casestore/sqlite/sqlitetest"
	"github.com/shopspring/decimal"
)

var now = time.Date(2026, time.March, 14, 10, 0, 0, 0, time.UTC)

func TestSeed(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		st := sqlitetest.OpenAt(t, filepath.Join(t.TempDir(), "demo.db"))
		st.Now = func() time.Time { return now }
		checkSeed(t, st)
	})
	t.Run("postgres", func(t *testing.T) {
		st := pgstoretest.Open(t)
		st.Now = func() time.Time { return now }
		checkSeed(t, st)
	})
}

func checkSeed(t *testing.T, st casestore.Store) {
	ctx := context.Background()
	n, err := Seed(ctx, st, now)
	if err != nil || n != 20 {
		t.Fatalf("Seed = %d, %v; want 20 cases", n, err)
	}
	first := describe(t, st)
	checkPlans(t, st)
	// Seeding again (every start of an empty-looking store, or by hand)
	// changes nothing: no second payment, dispute, plan, promise or entry.
	if _, err := Seed(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if again := describe(t, st); again != first {
		t.Errorf("re-seeding changed the data:\n%s\nwas:\n%s", again, first)
	}

	all, err := st.Cases(ctx, casestore.CaseFilter{})
	if err != nil || len(all) != 20 {
		t.Fatalf("%d cases, %v", len(all), err)
	}
	seen := map[string]bool{}
	for _, c := range all {
		seen[string(c.Regime)], seen[string(c.Stage)], seen[string(c.Status)] = true, true, true
		b, err := casestore.Balance(c, casestore.DayOf(now))
		if err != nil {
			t.Errorf("%s: balance: %v", c.Ref, err)
			continue
		}
		// Paid and closed (the only invoice waived) owe nothing; every
		// other case still owes something.
		if settled := c.Status == casestore.StatusPaid || c.Status == casestore.StatusClosed; settled != b.Total.Open.IsZero() {
			t.Errorf("%s status %s but open %s", c.Ref, c.Status, b.Total.Open)
		}
	}
	for _, want := range []string{"nl-b2c", "nl-b2b", "be-b2c", "be-b2b", "pre-incasso", "minnelijk", "gerechtelijk", "executie", "open", "on-hold", "in-plan", "paid", "closed"} {
		if !seen[want] {
			t.Errorf("no demo case is %s", want)
		}
	}
	// The README tour identities.
	for _, id := range []struct{ phone, ref, postcode string }{
		{"+31612345001", "IB-2026-000101", "3512JK"},
		{"+32470123113", "IB-2026-000113", "9000"},
	} {
		cs, err := st.CasesByPhone(ctx, id.phone)
		if err != nil || len(cs) != 1 || cs[0].Ref != id.ref || cs[0].Debtor.Postcode != id.postcode {
			t.Errorf("tour identity %s: %v %v", id.phone, len(cs), err)
		}
	}
}

// describe renders what Seed writes beyond the case itself.
func describe(t *testing.T, st casestore.Store) string {
	t.Helper()
	ctx := context.Background()
	all, err := st.Cases(ctx, casestore.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range all {
		ds, _ := st.Disputes(ctx, c.ID)
		ps, _ := st.Plans(ctx, c.ID)
		pr, _ := st.Promises(ctx, c.ID)
		es, _ := st.Dossier(ctx, c.ID, casestore.DossierQuery{Limit: 1000})
		fmt.Fprintf(&b, "%s %s %d invoices %d payments %d disputes %d plans %d promises %d entries\n",
			c.Ref, c.Status, len(c.Invoices), len(c.Payments), len(ds), len(ps), len(pr), len(es))
		for _, p := range ps {
			sum := decimal.Zero
			for _, in := range p.Installments {
				sum = sum.Add(in.Amount)
			}
			if !sum.Equal(p.Total) {
				t.Errorf("%s plan: installments sum to %s, total %s", c.Ref, sum, p.Total)
			}
		}
	}
	return b.String()
}

// Issue #14 point 6/8: a demo plan is the library's own schedule within
// the case's policy, and while an agreed plan runs without interest the
// balance the debtor sees is exactly the installments still to pay.
func checkPlans(t *testing.T, st casestore.Store) {
	t.Helper()
	ctx := context.Background()
	all, err := st.Cases(ctx, casestore.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range all {
		ps, _ := st.Plans(ctx, c.ID)
		for _, p := range ps {
			pol := c.Policy
			monthly := p.Installments
			if p.DownPayment.IsPositive() {
				monthly = monthly[1:]
			}
			if len(monthly) > pol.MaxTerms {
				t.Errorf("%s: %d terms, policy allows %d", c.Ref, len(monthly), pol.MaxTerms)
			}
			for i, in := range monthly {
				if len(monthly) > 1 && in.Amount.LessThan(pol.MinInstallment) {
					t.Errorf("%s: installment %s below the policy's %s", c.Ref, in.Amount, pol.MinInstallment)
				}
				if want := casestore.Schedule(p.Total, p.DownPayment, len(monthly), p.Installments[0].Due); !want[i+len(p.Installments)-len(monthly)].Due.Equal(in.Due) {
					t.Errorf("%s: installment %d due %s, the library says %s", c.Ref, in.Seq, in.Due.Format(time.DateOnly), want[i].Due.Format(time.DateOnly))
				}
			}
			if p.Status != casestore.PlanActive || pol.InterestDuringPlan {
				continue
			}
			paid := decimal.Zero
			for _, pay := range c.Payments {
				if strings.Contains(pay.Reference, "-TERMIJN-") {
					paid = paid.Add(pay.Amount)
				}
			}
			b, err := casestore.Balance(c, now)
			if err != nil {
				t.Fatal(err)
			}
			if remaining := p.Total.Sub(paid); !b.Total.Open.Equal(remaining) {
				t.Errorf("%s: balance %s but installments still to pay %s", c.Ref, b.Total.Open, remaining)
			}
		}
	}
}
