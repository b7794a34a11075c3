package storetest

// Invoice documents (the creditor's copy, kept as a file of the case) and
// finding a debtor's cases by e-mail address.

import (
	"context"
	"errors"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

var documentTests = []test{
	{"InvoiceDocument/SetAndRead", testInvoiceDocument},
	{"Cases/ByDebtorEmail", testCasesByDebtorEmail},
}

func testInvoiceDocument(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "DOC-1")
	other := NewCase(t, s, "DOC-2")
	inv := c.Invoices[0]
	if inv.DocumentID != 0 {
		t.Fatalf("a new invoice has document %d, want none", inv.DocumentID)
	}
	doc := &casestore.Media{CaseID: c.ID, Channel: "import", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n%factuur\n")}
	must(t, s.AddMedia(ctx, doc), "AddMedia")
	must(t, s.SetInvoiceDocument(ctx, inv.ID, doc.ID), "SetInvoiceDocument")
	got, err := s.Case(ctx, c.ID)
	must(t, err, "Case")
	for _, i := range got.Invoices {
		want := int64(0)
		if i.ID == inv.ID {
			want = doc.ID
		}
		if i.DocumentID != want {
			t.Errorf("invoice %s: document %d, want %d", i.Number, i.DocumentID, want)
		}
	}
	// A re-import that gives no document keeps it.
	c2 := *got
	c2.Invoices = append([]casestore.Invoice(nil), got.Invoices...)
	for i := range c2.Invoices {
		c2.Invoices[i].DocumentID = 0
	}
	_, err = s.PutCase(ctx, &c2)
	must(t, err, "PutCase again")
	again, err := s.CaseByRef(ctx, "DOC-1")
	must(t, err, "CaseByRef")
	if again.Invoices[0].DocumentID != doc.ID && again.Invoices[1].DocumentID != doc.ID {
		t.Errorf("after a re-import the invoice lost its document")
	}
	// Another case's file is refused; an unknown invoice is not found.
	foreign := &casestore.Media{CaseID: other.ID, Channel: "import", ContentType: "application/pdf", Data: []byte("%PDF-1.4\n%ander\n")}
	must(t, s.AddMedia(ctx, foreign), "AddMedia other")
	if err := s.SetInvoiceDocument(ctx, inv.ID, foreign.ID); !errors.Is(err, casestore.ErrInvalid) {
		t.Errorf("another case's file: %v, want ErrInvalid", err)
	}
	if err := s.SetInvoiceDocument(ctx, 987654, doc.ID); !errors.Is(err, casestore.ErrNotFound) {
		t.Errorf("unknown invoice: %v, want ErrNotFound", err)
	}
}

func testCasesByDebtorEmail(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	cr := NewCreditor(t, s, "CR-EM")
	anna := NewDebtor(t, s, cr.ID, "DB-EM-ANNA")
	anna.Email = "Anna.Jansen@Example.test"
	must(t, s.PutDebtor(ctx, anna), "PutDebtor")
	piet := NewDebtor(t, s, cr.ID, "DB-EM-PIET")
	piet.Email = ""
	must(t, s.PutDebtor(ctx, piet), "PutDebtor")
	NewCaseOf(t, s, "EM-1", cr.ID, anna.ID)
	NewCaseOf(t, s, "EM-2", cr.ID, piet.ID)
	NewCaseOf(t, s, "EM-3", cr.ID, anna.ID)
	for _, tc := range []struct {
		email string
		want  []string
	}{
		{"anna.jansen@example.test", []string{"EM-1", "EM-3"}},
		{"ANNA.JANSEN@EXAMPLE.TEST", []string{"EM-1", "EM-3"}},
		{"piet@example.test", nil},
	} {
		got, err := s.Cases(ctx, casestore.CaseFilter{DebtorEmail: tc.email})
		must(t, err, "Cases by e-mail")
		wantStrings(t, "Cases(DebtorEmail "+tc.email+")", refsOf(got), tc.want)
	}
}
