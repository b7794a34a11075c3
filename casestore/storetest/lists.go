package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

var listTests = []test{
	{"Cases/ByPhone", testCasesByPhone},
	{"Cases/Filter", testCasesFilter},
	{"Cases/DefaultLimit", testCasesDefaultLimit},
}

func refsOf(cs []*casestore.Case) []string {
	refs := []string{}
	for _, c := range cs {
		refs = append(refs, c.Ref)
	}
	return refs
}

func testCasesByPhone(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-PH")
	// Two debtors share a household number; one also has a mobile.
	anna := NewDebtor(t, s, cr.ID, "DB-ANNA", "+31201234567", "+31611111111")
	piet := NewDebtor(t, s, cr.ID, "DB-PIET", "+31201234567")
	kees := NewDebtor(t, s, cr.ID, "DB-KEES", "+31622222222")
	NewCaseOf(t, s, "PH-1", cr.ID, anna.ID)
	NewCaseOf(t, s, "PH-2", cr.ID, piet.ID)
	NewCaseOf(t, s, "PH-3", cr.ID, anna.ID)
	NewCaseOf(t, s, "PH-4", cr.ID, kees.ID)

	cases := []struct {
		phone string
		want  []string // newest first
	}{
		{"+31201234567", []string{"PH-3", "PH-2", "PH-1"}},
		{"+31611111111", []string{"PH-3", "PH-1"}},
		{"+31622222222", []string{"PH-4"}},
		{"+31699999999", nil},
		{"31201234567", nil}, // not E.164: no fuzzy match
	}
	for _, tc := range cases {
		got, err := s.CasesByPhone(ctx, tc.phone)
		must(t, err, "CasesByPhone "+tc.phone)
		wantStrings(t, "CasesByPhone("+tc.phone+")", refsOf(got), tc.want)
		for _, c := range got {
			if len(c.Invoices) != 2 || c.Debtor.ID != c.DebtorID || c.Creditor.ID != cr.ID {
				t.Errorf("CasesByPhone(%s): case %s not filled", tc.phone, c.Ref)
			}
		}
	}
}

func testCasesFilter(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	a := NewCreditor(t, s, "CR-A")
	b := NewCreditor(t, s, "CR-B")
	// A debtor belongs to one creditor: the same person owing both is two debtors.
	debtors := map[int64]*casestore.Debtor{
		a.ID: NewDebtor(t, s, a.ID, "DB-L", "+31633333333"),
		b.ID: NewDebtor(t, s, b.ID, "DB-L", "+31633333333"),
	}
	// Put in an order other than by ref, to see that lists sort by ref.
	for _, r := range []struct {
		ref    string
		cred   int64
		status casestore.Status
		stage  casestore.Stage
	}{
		{"L-005", a.ID, casestore.StatusOpen, casestore.Minnelijk},
		{"L-001", a.ID, casestore.StatusOpen, casestore.PreIncasso},
		{"L-003", b.ID, casestore.StatusOnHold, casestore.Minnelijk},
		{"L-002", a.ID, casestore.StatusInPlan, casestore.Gerechtelijk},
		{"L-004", b.ID, casestore.StatusOpen, casestore.Gerechtelijk},
	} {
		c := CaseFor(r.ref, r.cred, debtors[r.cred].ID)
		c.Status, c.Stage = r.status, r.stage
		_, err := s.PutCase(ctx, c)
		must(t, err, "PutCase "+r.ref)
	}
	cases := []struct {
		name string
		f    casestore.CaseFilter
		want []string
	}{
		{"all", casestore.CaseFilter{}, []string{"L-001", "L-002", "L-003", "L-004", "L-005"}},
		{"creditor A", casestore.CaseFilter{CreditorID: a.ID}, []string{"L-001", "L-002", "L-005"}},
		{"creditor B", casestore.CaseFilter{CreditorID: b.ID}, []string{"L-003", "L-004"}},
		{"status open", casestore.CaseFilter{Status: casestore.StatusOpen}, []string{"L-001", "L-004", "L-005"}},
		{"stage gerechtelijk", casestore.CaseFilter{Stage: casestore.Gerechtelijk}, []string{"L-002", "L-004"}},
		{"creditor A, open, minnelijk", casestore.CaseFilter{CreditorID: a.ID, Status: casestore.StatusOpen, Stage: casestore.Minnelijk}, []string{"L-005"}},
		{"no match", casestore.CaseFilter{Status: casestore.StatusClosed}, nil},
		{"unknown creditor", casestore.CaseFilter{CreditorID: 987654}, nil},
		{"first page", casestore.CaseFilter{Limit: 2}, []string{"L-001", "L-002"}},
		{"second page", casestore.CaseFilter{Limit: 2, Offset: 2}, []string{"L-003", "L-004"}},
		{"last page", casestore.CaseFilter{Limit: 2, Offset: 4}, []string{"L-005"}},
		{"past the end", casestore.CaseFilter{Limit: 2, Offset: 10}, nil},
		{"offset without limit", casestore.CaseFilter{Offset: 3}, []string{"L-004", "L-005"}},
		{"creditor A, page 2", casestore.CaseFilter{CreditorID: a.ID, Limit: 1, Offset: 1}, []string{"L-002"}},
	}
	for _, tc := range cases {
		got, err := s.Cases(ctx, tc.f)
		must(t, err, "Cases "+tc.name)
		wantStrings(t, "Cases("+tc.name+")", refsOf(got), tc.want)
		for _, c := range got {
			if len(c.Invoices) != 2 || c.Creditor.ID != c.CreditorID || c.Debtor.ID != debtors[c.CreditorID].ID {
				t.Errorf("Cases(%s): case %s not filled", tc.name, c.Ref)
			}
		}
	}
}

// testCasesDefaultLimit: CaseFilter.Limit 0 means 100 (the interface's rule),
// so a console page never loads a whole portfolio at once.
func testCasesDefaultLimit(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	first := NewCase(t, s, "D-000")
	for i := 1; i <= 100; i++ {
		c := CaseFor(fmt.Sprintf("D-%03d", i), first.CreditorID, first.DebtorID)
		_, err := s.PutCase(ctx, c)
		must(t, err, "PutCase "+c.Ref)
	}
	got, err := s.Cases(ctx, casestore.CaseFilter{})
	must(t, err, "Cases")
	wantEq(t, "cases with no limit given", len(got), 100)
	if len(got) == 100 {
		wantEq(t, "last case of the default page", got[99].Ref, "D-099")
	}
	rest, err := s.Cases(ctx, casestore.CaseFilter{Offset: 100})
	must(t, err, "Cases offset 100")
	wantStrings(t, "after the default page", refsOf(rest), []string{"D-100"})
}
