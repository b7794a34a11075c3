package casestore

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func ptr[T any](v T) *T { return &v }

// testCase builds a valid case; invoices get IDs 1, 2, … in order.
func testCase(r Regime, invs ...Invoice) *Case {
	c := &Case{ID: 7, Ref: "IB-2026-000001", Regime: r, Stage: Minnelijk, Status: StatusOpen}
	for i, inv := range invs {
		inv.ID = int64(i + 1)
		inv.CaseID = c.ID
		if inv.Number == "" {
			inv.Number = "F-" + string(rune('A'+i))
		}
		if inv.IssueDate.IsZero() {
			inv.IssueDate = inv.DueDate.AddDate(0, 0, -14)
		}
		if inv.Status == "" {
			inv.Status = InvoiceOpen
		}
		c.Invoices = append(c.Invoices, inv)
	}
	return c
}

func wantAmounts(t *testing.T, label string, got Amounts, principal, interest, costs, vat, paid, open string) {
	t.Helper()
	w := Amounts{Principal: d(principal), Interest: d(interest), Costs: d(costs), CostsVAT: d(vat), Paid: d(paid), Open: d(open)}
	if !got.Principal.Equal(w.Principal) || !got.Interest.Equal(w.Interest) || !got.Costs.Equal(w.Costs) ||
		!got.CostsVAT.Equal(w.CostsVAT) || !got.Paid.Equal(w.Paid) || !got.Open.Equal(w.Open) {
		t.Errorf("%s:\n got P %s I %s C %s VAT %s paid %s open %s\nwant P %s I %s C %s VAT %s paid %s open %s", label,
			got.Principal, got.Interest, got.Costs, got.CostsVAT, got.Paid, got.Open,
			principal, interest, costs, vat, paid, open)
	}
}

// checkSums asserts the total is the exact sum of the invoice lines and
// Open = P + I + C + VAT − Paid (never below zero) on every line.
func checkSums(t *testing.T, b Breakdown) {
	t.Helper()
	sum := zeroAmounts()
	for _, ib := range b.Invoices {
		sum = sum.add(ib.Amounts)
		want := decimal.Max(decimal.Zero, ib.Principal.Add(ib.Interest).Add(ib.Costs).Add(ib.CostsVAT).Sub(ib.Paid))
		if !ib.Open.Equal(want) {
			t.Errorf("invoice %s open %s, want %s", ib.Number, ib.Open, want)
		}
	}
	if !sum.Principal.Equal(b.Total.Principal) || !sum.Interest.Equal(b.Total.Interest) || !sum.Costs.Equal(b.Total.Costs) ||
		!sum.CostsVAT.Equal(b.Total.CostsVAT) || !sum.Paid.Equal(b.Total.Paid) || !sum.Open.Equal(b.Total.Open) {
		t.Errorf("total %+v is not the sum of invoices %+v", b.Total, sum)
	}
}

func TestBalanceNLB2BPaymentOrder(t *testing.T) {
	// NL B2B, one invoice €1,000.00 due 30 June 2024; handelsrente 12.25%
	// from 1 July 2024. Costs: staffel 15% × 1,000 = €150 (Besluit BIK art. 2).
	c := testCase(NLB2B, Invoice{DueDate: Date(2024, 6, 30), Principal: d("1000.00")})
	// Payment of €200 on 30 July 2024: interest 1–30 July = 30 days,
	// 1000 × 12.25 × 30 / 36500 = 10.0684… → €10.07. art. 6:44 BW: €150
	// costs, then €10.07 interest, then €39.93 principal → €960.07 left.
	c.Payments = []Payment{{ID: 1, CaseID: 7, Amount: d("200"), ValueDate: Date(2024, 7, 30), Reference: "p1"}}

	b, err := Balance(c, Date(2024, 7, 30))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "on the payment day", b.Total, "1000.00", "10.07", "150.00", "0", "200", "960.07")
	checkSums(t, b)

	// Then 31 July – 29 August (30 days) on €960.07 at 12.25%:
	// 960.07 × 12.25 × 30 / 36500 = 9.6665… → €9.67; total interest €19.74,
	// open €960.07 + €9.67 = €969.74.
	b, err = Balance(c, Date(2024, 8, 29))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "30 days later", b.Total, "1000.00", "19.74", "150.00", "0", "200", "969.74")
	if b.CostsFrom != nil {
		t.Errorf("B2B costs are due: CostsFrom should be nil, got %v", b.CostsFrom)
	}
}

func TestBalanceNLConsumerLetter(t *testing.T) {
	// NL B2C €500 due 31 Oct 2026, letter sent Wed 18 Nov 2026: expiry Fri
	// 4 Dec (see TestLetterExpiry), costs from Sat 5 Dec. WIK: 15% × 500 =
	// €75. Interest 2026 at 4% (rates/nl-statutory.csv, unconfirmed row —
	// the test checks the method, not the rate).
	newCase := func() *Case {
		c := testCase(NLB2C, Invoice{DueDate: Date(2026, 10, 31), Principal: d("500.00")})
		c.LetterSentOn = ptr(Date(2026, 11, 18))
		return c
	}
	t.Run("on the last day of the term: no costs yet, CostsFrom says when", func(t *testing.T) {
		b, err := Balance(newCase(), Date(2026, 12, 4))
		if err != nil {
			t.Fatal(err)
		}
		// Interest 1 Nov – 4 Dec = 34 days: 500 × 4 × 34 / 36500 = 1.8630… → €1.86.
		wantAmounts(t, "before expiry", b.Total, "500.00", "1.86", "0", "0", "0", "501.86")
		if b.CostsFrom == nil || !b.CostsFrom.Equal(Date(2026, 12, 5)) {
			t.Errorf("CostsFrom = %v, want 2026-12-05", b.CostsFrom)
		}
	})
	t.Run("the day after: costs due", func(t *testing.T) {
		b, err := Balance(newCase(), Date(2026, 12, 5))
		if err != nil {
			t.Fatal(err)
		}
		// 35 days: 500 × 4 × 35 / 36500 = 1.9178… → €1.92.
		wantAmounts(t, "after expiry", b.Total, "500.00", "1.92", "75.00", "0", "0", "576.92")
		if b.CostsFrom != nil {
			t.Errorf("CostsFrom should be nil once costs are charged")
		}
	})
	t.Run("paid in full within the term: never costs", func(t *testing.T) {
		c := newCase()
		// Interest to 1 Dec (31 days) = 500 × 4 × 31 / 36500 = 1.6986… → €1.70.
		c.Payments = []Payment{{Amount: d("501.70"), ValueDate: Date(2026, 12, 1), Reference: "full"}}
		b, err := Balance(c, Date(2027, 3, 1))
		if err != nil {
			t.Fatal(err)
		}
		wantAmounts(t, "paid in term", b.Total, "500.00", "1.70", "0", "0", "501.70", "0")
		if b.CostsFrom != nil {
			t.Errorf("no costs will ever be due; CostsFrom = %v", b.CostsFrom)
		}
	})
	t.Run("principal paid within the term, interest left over: still no costs", func(t *testing.T) {
		// Issue #14 point 4. €500.00 paid on 1 Dec (inside the term). Art.
		// 6:44 puts €1.70 of it on interest, so €1.70 of principal stays
		// open; that used to trigger the WIK minimum of €40. The consumer
		// paid the whole principal inside the term: no costs (6:96 lid 6).
		// Interest afterwards on €1.70, 2 Dec 2026 – 1 Mar 2027 = 90 days at
		// 4%: 1.70 × 4 × 90 / 36500 = 0.0167… → €0.02; total €1.72.
		c := newCase()
		c.Payments = []Payment{{Amount: d("500.00"), ValueDate: Date(2026, 12, 1), Reference: "principal"}}
		b, err := Balance(c, Date(2027, 3, 1))
		if err != nil {
			t.Fatal(err)
		}
		wantAmounts(t, "principal paid in term", b.Total, "500.00", "1.72", "0", "0", "500.00", "1.72")
		if b.Explanation.CostsDue != nil || !strings.Contains(b.Explanation.CostsReason, "paid within the 14-day term") {
			t.Errorf("explanation: due %v, reason %q", b.Explanation.CostsDue, b.Explanation.CostsReason)
		}
	})
	t.Run("no letter sent: no costs and no date", func(t *testing.T) {
		c := newCase()
		c.LetterSentOn = nil
		b, err := Balance(c, Date(2027, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		if !b.Total.Costs.IsZero() || b.CostsFrom != nil {
			t.Errorf("costs %s CostsFrom %v, want 0 and nil", b.Total.Costs, b.CostsFrom)
		}
	})
	t.Run("VAT on costs when the creditor declares it", func(t *testing.T) {
		c := newCase()
		c.Creditor.VATOnCosts = true
		b, err := Balance(c, Date(2026, 12, 5))
		if err != nil {
			t.Fatal(err)
		}
		// €75 × 21% = €15.75.
		wantAmounts(t, "with VAT", b.Total, "500.00", "1.92", "75.00", "15.75", "0", "592.67")
	})
}

func TestBalanceMultiInvoiceAllocation(t *testing.T) {
	// NL B2B, three invoices €100.00 + €100.00 + €133.33 = €333.33, all due
	// 31 Dec 2024; B2B costs are due from the day after, 1 Jan 2025. Staffel: 15% × 333.33 = 49.9995 → €50.00. Pro rata
	// shares rounded down: 100/333.33 × 50 = 15.0001… → 15.00, 15.00,
	// 133.33/333.33 × 50 = 19.9998… → 19.99, remainder 0.01 to the largest
	// (the third): 20.00. Sum €50.00 exactly.
	c := testCase(NLB2B,
		Invoice{DueDate: Date(2024, 12, 31), Principal: d("100.00")},
		Invoice{DueDate: Date(2024, 12, 31), Principal: d("100.00")},
		Invoice{DueDate: Date(2024, 12, 31), Principal: d("133.33")},
	)
	before, err := Balance(c, Date(2024, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if !before.Total.Costs.IsZero() || before.CostsFrom == nil || !before.CostsFrom.Equal(Date(2025, 1, 1)) {
		t.Errorf("on the due date nothing is late: costs %s, CostsFrom %v", before.Total.Costs, before.CostsFrom)
	}
	b, err := Balance(c, Date(2025, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"15.00", "15.00", "20.00"} {
		if !b.Invoices[i].Costs.Equal(d(want)) {
			t.Errorf("invoice %d costs %s, want %s", i+1, b.Invoices[i].Costs, want)
		}
	}
	// One day of handelsrente at 11.15%: 100 × 11.15 / 36500 = 0.0305… →
	// €0.03 (twice) and 133.33 × 11.15 / 36500 = 0.0407… → €0.04.
	wantAmounts(t, "total", b.Total, "333.33", "0.10", "50.00", "0", "0", "383.43")
	checkSums(t, b)
}

func TestBalanceUnassignedPaymentOldestFirstAndOverpayment(t *testing.T) {
	// BE B2B (€40 flat, law 2 Aug 2002 art. 6; late-payment interest).
	// A due 31 Jan 2025 €300, B due 28 Feb 2025 €200 (listed newest first
	// on purpose). Costs €40 split 200/500 → €16.00 on B, 300/500 → €24.00
	// on A, due from 1 Feb 2025 (the day after the earliest due date).
	// Payment €330 on 1 Feb 2025 goes to A first (oldest): €24.00 costs,
	// one day of interest 300 × 11.5 / 36500 = 0.0945… → €0.09, €300.00
	// principal = €324.09; the €5.91 left goes to B's costs. B is not due
	// before 28 Feb, so it has no interest by then.
	c := testCase(BEB2B,
		Invoice{Number: "B", DueDate: Date(2025, 2, 28), Principal: d("200.00")},
		Invoice{Number: "A", DueDate: Date(2025, 1, 31), Principal: d("300.00")},
	)
	c.Payments = []Payment{{Amount: d("330"), ValueDate: Date(2025, 2, 1), Reference: "x"}}
	b, err := Balance(c, Date(2025, 2, 28))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "A", b.Invoices[1].Amounts, "300.00", "0.09", "24.00", "0", "324.09", "0")
	wantAmounts(t, "B", b.Invoices[0].Amounts, "200.00", "0", "16.00", "0", "5.91", "210.09")
	checkSums(t, b)

	// An overpayment of €250 on B on 28 Feb: B owes €210.09 → the €39.91
	// surplus stays visible in Paid (5.91 + 250); Open is 0, never negative,
	// and no interest runs after the principal is paid.
	c.Payments = append(c.Payments, Payment{InvoiceID: ptr(int64(1)), Amount: d("250"), ValueDate: Date(2025, 2, 28), Reference: "y"})
	b, err = Balance(c, Date(2025, 3, 31))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "B overpaid", b.Invoices[0].Amounts, "200.00", "0", "16.00", "0", "255.91", "0")
	checkSums(t, b)
}

func TestBalanceWaivedInvoice(t *testing.T) {
	// NL B2B: a waived €5,000 invoice contributes nothing; costs on the
	// remaining €1,000 only: 15% = €150 (not 15% × 2,500 + 10% × 3,500).
	c := testCase(NLB2B,
		Invoice{DueDate: Date(2025, 6, 30), Principal: d("5000.00"), Status: InvoiceWaived},
		Invoice{DueDate: Date(2025, 6, 30), Principal: d("1000.00")},
	)
	b, err := Balance(c, Date(2025, 7, 31))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "waived", b.Invoices[0].Amounts, "0", "0", "0", "0", "0", "0")
	// Interest July 2025 (31 days) at 10.15%: 1000 × 10.15 × 31 / 36500 = 8.6205… → €8.62.
	wantAmounts(t, "total", b.Total, "1000.00", "8.62", "150.00", "0", "0", "1158.62")
	checkSums(t, b)
}

func TestBalanceBEConsumerBookXIX(t *testing.T) {
	// Issue #14 point 5. BE B2C €400 due 31 Oct 2026; free first reminder
	// sent Mon 16 Nov 2026: wait ends Thu 3 Dec (TestBEReminderExpiry),
	// anything beyond the principal from Fri 4 Dec (art. XIX.2 §1 WER).
	newCase := func(cl *DamagesClause) *Case {
		c := testCase(BEB2C, Invoice{DueDate: Date(2026, 10, 31), Principal: d("400.00")})
		c.LetterSentOn = ptr(Date(2026, 11, 16))
		c.Clause = cl
		return c
	}
	full := &DamagesClause{Terms: "art. 7 AV", Damages: true, LatePaymentInterest: true, AnnouncedInReminder: true}
	t.Run("during the wait: only the principal", func(t *testing.T) {
		b, err := Balance(newCase(full), Date(2026, 12, 3))
		if err != nil {
			t.Fatal(err)
		}
		wantAmounts(t, "wait", b.Total, "400.00", "0", "0", "0", "0", "400.00")
		if b.CostsFrom == nil || !b.CostsFrom.Equal(Date(2026, 12, 4)) {
			t.Errorf("CostsFrom %v, want 2026-12-04", b.CostsFrom)
		}
	})
	t.Run("no clause: statutory interest from the notice, no damages", func(t *testing.T) {
		b, err := Balance(newCase(nil), Date(2026, 12, 4))
		if err != nil {
			t.Fatal(err)
		}
		// Wettelijke interest 2026 4.5% (BS, rates/be-statutory.csv) from
		// 17 Nov (day after the reminder) to 4 Dec = 18 days:
		// 400 × 4.5 × 18 / 36500 = 0.8876… → €0.89. Was: from the due date
		// (34 days, €1.68) plus €55.00 "costs".
		wantAmounts(t, "no clause", b.Total, "400.00", "0.89", "0", "0", "0", "400.89")
		e := b.Explanation
		if e.InterestKind != BEStatutory || e.InterestStart == nil || !e.InterestStart.Equal(Date(2026, 11, 17)) || e.CostsDue != nil {
			t.Errorf("explanation %+v", e)
		}
	})
	t.Run("announced clause: late-payment interest from the due date and capped damages", func(t *testing.T) {
		b, err := Balance(newCase(full), Date(2026, 12, 4))
		if err != nil {
			t.Fatal(err)
		}
		// Interest at the law of 2 Aug 2002 rate, 10.50% (2026 H2), 1 Nov –
		// 4 Dec = 34 days: 400 × 10.5 × 34 / 36500 = 3.9123… → €3.91.
		// Schadebeding at the art. XIX.4 cap: €30 + 10% × €250 = €55.00.
		wantAmounts(t, "clause", b.Total, "400.00", "3.91", "55.00", "0", "0", "458.91")
		if b.Explanation.CostsName != "schadebeding" || b.Explanation.Clause == nil {
			t.Errorf("explanation %+v", b.Explanation)
		}
	})
	t.Run("clause not announced in the reminder: no damages", func(t *testing.T) {
		cl := *full
		cl.AnnouncedInReminder = false
		b, err := Balance(newCase(&cl), Date(2026, 12, 4))
		if err != nil {
			t.Fatal(err)
		}
		if !b.Total.Costs.IsZero() {
			t.Errorf("damages %s, want 0", b.Total.Costs)
		}
	})
	t.Run("clause of 10%: below the cap", func(t *testing.T) {
		cl := *full
		cl.DamagesPct = d("0.10")
		b, err := Balance(newCase(&cl), Date(2026, 12, 4))
		if err != nil {
			t.Fatal(err)
		}
		// 10% × €400 = €40.00 < €55.00 cap.
		if !b.Total.Costs.Equal(d("40.00")) {
			t.Errorf("damages %s, want 40.00", b.Total.Costs)
		}
	})
	t.Run("principal paid within the wait: nothing more, ever", func(t *testing.T) {
		c := newCase(full)
		c.Payments = []Payment{{Amount: d("400.00"), ValueDate: Date(2026, 12, 1), Reference: "p"}}
		b, err := Balance(c, Date(2027, 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		wantAmounts(t, "paid in wait", b.Total, "400.00", "0", "0", "0", "400.00", "0")
	})
	t.Run("no reminder: only the principal", func(t *testing.T) {
		c := newCase(full)
		c.LetterSentOn = nil
		b, err := Balance(c, Date(2027, 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		wantAmounts(t, "no reminder", b.Total, "400.00", "0", "0", "0", "0", "400.00")
	})
}

func TestBalanceLetterBeforeDefault(t *testing.T) {
	// Issue #14 point 3, art. 6:96 lid 6 BW: the 14-day letter must come
	// after the default. Letter sent Wed 18 Nov 2026 (term ends Fri 4 Dec,
	// costs from Sat 5 Dec). A €500 due 31 Oct: in default, in the base.
	// B €300 due 20 Nov: not yet due when the letter went out: outside.
	c := testCase(NLB2C,
		Invoice{Number: "A", DueDate: Date(2026, 10, 31), Principal: d("500.00")},
		Invoice{Number: "B", DueDate: Date(2026, 11, 20), Principal: d("300.00")})
	c.LetterSentOn = ptr(Date(2026, 11, 18))
	b, err := Balance(c, Date(2026, 12, 5))
	if err != nil {
		t.Fatal(err)
	}
	// WIK on €500 only: 15% = €75.00 (was 15% of €800 = €120.00), all on A.
	// Interest 4%: A 1 Nov–5 Dec 35 days = 500 × 4 × 35 / 36500 = 1.917… →
	// €1.92; B 21 Nov–5 Dec 15 days = 300 × 4 × 15 / 36500 = 0.493… → €0.49.
	wantAmounts(t, "total", b.Total, "800.00", "2.41", "75.00", "0", "0", "877.41")
	wantAmounts(t, "B", b.Invoices[1].Amounts, "300.00", "0.49", "0", "0", "0", "300.49")
	if len(b.Explanation.OutsideLetter) != 1 || b.Explanation.OutsideLetter[0] != "B" {
		t.Errorf("outside letter %v, want [B]", b.Explanation.OutsideLetter)
	}
	checkSums(t, b)

	// Only an invoice not yet due: the letter cannot start a term at all.
	c = testCase(NLB2C, Invoice{DueDate: Date(2026, 11, 18), Principal: d("300.00")})
	c.LetterSentOn = ptr(Date(2026, 11, 18)) // sent on the due date itself: not yet in default
	b, err = Balance(c, Date(2027, 1, 15))
	if err != nil {
		t.Fatal(err)
	}
	if !b.Total.Costs.IsZero() || b.CostsFrom != nil || b.Explanation.CostsDue != nil {
		t.Errorf("costs %s from %v: want none", b.Total.Costs, b.CostsFrom)
	}
}

func TestBalanceB2BMinimumPerInvoice(t *testing.T) {
	// Issue #14 point 8, CJEU 20 Oct 2022, C-585/20: the €40 is due per
	// late invoice when the creditor chooses so. Two invoices of €100 due
	// 30 Sep 2026. Per case: WIK on €200 = €30 → minimum €40 (€20 + €20).
	// Per invoice: €40 + €40 = €80.
	for _, tt := range []struct {
		regime Regime
		per    bool
		want   string
	}{
		{NLB2B, false, "40.00"}, {NLB2B, true, "80.00"}, {BEB2B, false, "40.00"}, {BEB2B, true, "80.00"},
	} {
		c := testCase(tt.regime, Invoice{DueDate: Date(2026, 9, 30), Principal: d("100.00")},
			Invoice{DueDate: Date(2026, 9, 30), Principal: d("100.00")})
		c.Creditor.MinimumPerInvoice = tt.per
		b, err := Balance(c, Date(2026, 10, 1))
		if err != nil {
			t.Fatal(err)
		}
		if !b.Total.Costs.Equal(d(tt.want)) {
			t.Errorf("%s per invoice %v: costs %s, want %s", tt.regime, tt.per, b.Total.Costs, tt.want)
		}
		checkSums(t, b)
	}
}

func TestBalanceRefusesBadInput(t *testing.T) {
	base := func() *Case { return testCase(NLB2B, Invoice{DueDate: Date(2025, 6, 30), Principal: d("100")}) }
	for name, mutate := range map[string]func(*Case){
		"zero payment": func(c *Case) { c.Payments = []Payment{{Amount: d("0"), ValueDate: Date(2025, 7, 1)}} },
		"unknown invoice": func(c *Case) {
			c.Payments = []Payment{{InvoiceID: ptr(int64(99)), Amount: d("1"), ValueDate: Date(2025, 7, 1)}}
		},
		"bad regime": func(c *Case) { c.Regime = "xx" },
	} {
		c := base()
		mutate(c)
		if _, err := Balance(c, Date(2025, 8, 1)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err %v, want ErrInvalid", name, err)
		}
	}
	if _, err := Balance(nil, time.Now()); !errors.Is(err, ErrInvalid) {
		t.Errorf("nil case: err %v", err)
	}
}

func benchCase() *Case {
	c := testCase(NLB2C,
		Invoice{DueDate: Date(2023, 1, 31), Principal: d("120.50")},
		Invoice{DueDate: Date(2023, 3, 31), Principal: d("89.99")},
		Invoice{DueDate: Date(2023, 6, 30), Principal: d("1500.00")},
		Invoice{DueDate: Date(2023, 9, 30), Principal: d("45.10")},
		Invoice{DueDate: Date(2024, 1, 31), Principal: d("310.00")},
	)
	c.LetterSentOn = ptr(Date(2024, 2, 15))
	c.Payments = []Payment{
		{Amount: d("100"), ValueDate: Date(2024, 5, 1), Reference: "a"},
		{InvoiceID: ptr(int64(3)), Amount: d("500"), ValueDate: Date(2025, 1, 15), Reference: "b"},
		{Amount: d("250"), ValueDate: Date(2025, 11, 3), Reference: "c"},
	}
	return c
}

func TestBenchCaseSumsExactly(t *testing.T) {
	b, err := Balance(benchCase(), Date(2026, 1, 31))
	if err != nil {
		t.Fatal(err)
	}
	checkSums(t, b)
	if !b.Total.Paid.Equal(d("850")) || !b.Total.Costs.IsPositive() || !b.Total.Interest.IsPositive() {
		t.Errorf("unexpected total %+v", b.Total)
	}
}

func BenchmarkBalance(b *testing.B) {
	c := benchCase()
	asOf := Date(2026, 1, 31)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Balance(c, asOf); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBalanceInterestMatchesHandComputedCase(t *testing.T) {
	// Same figures as TestInterestHandComputed: €1,000 due 28 Feb 2023, so
	// interest from 1 Mar 2023; up to and including 31 Aug 2024 = €92.35,
	// with the compounding on 1 Mar 2024. No letter sent: no costs.
	c := testCase(NLB2C, Invoice{DueDate: Date(2023, 2, 28), Principal: d("1000.00")})
	b, err := Balance(c, Date(2024, 8, 31))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "compounded", b.Total, "1000.00", "92.35", "0", "0", "0", "1092.35")

	// A payment of €55.12 on 1 Mar 2024 — the day the first year's interest
	// is added — pays that interest (€55.12, art. 6:44 BW: interest before
	// principal; it accrued through 29 Feb, the payment day accrues first:
	// 1000 + 55.12 capitalised → 1055.12 × 7 × 1 / 36500 = 0.2023… → €0.20
	// for 1 March). So €0.20 interest stays open and the base goes back to
	// €1,000.00 for the rest: 2–31 Mar … 31 Aug = 183 days at 7% on
	// €1,000.00 = 1000 × 7 × 183 / 36500 = 35.0958… → €35.10.
	// Interest: 55.12 + 0.20 + 35.10 = €90.42; open 1000 + 90.42 − 55.12.
	c.Payments = []Payment{{Amount: d("55.12"), ValueDate: Date(2024, 3, 1), Reference: "rente"}}
	b, err = Balance(c, Date(2024, 8, 31))
	if err != nil {
		t.Fatal(err)
	}
	wantAmounts(t, "interest paid at the anniversary", b.Total, "1000.00", "90.42", "0", "0", "55.12", "1035.30")
}
