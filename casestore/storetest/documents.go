package storetest

// Invoice documents (the creditor's copy, kept as a file of the case) and
// finding a debtor's cases by e-mail address.

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

var documentTests = []test{
	{"InvoiceDocument/SetAndRead", testInvoiceDocument},
	{"Cases/ByDebtorEmail", testCasesByDebtorEmail},
	{"Outbox/Attachments", testOutboundAttachments},
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

func testOutboundAttachments(t *testing.T, s casestore.Store) {
	ctx := context.Background()
	c := NewCase(t, s, "ATT-1")
	m := &casestore.OutboundMessage{Channel: "email", To: "j.devries@example.test", CaseID: c.ID, Text: "Hierbij de specificatie.",
		Attachments: []string{"specification", "invoice:7"}}
	must(t, s.EnqueueOutbound(ctx, m), "EnqueueOutbound")
	plain := &casestore.OutboundMessage{Channel: "sms", To: "+31612345678", CaseID: c.ID, Text: "Zonder bijlage."}
	must(t, s.EnqueueOutbound(ctx, plain), "EnqueueOutbound plain")
	claimed, err := s.ClaimOutbound(ctx, time.Now().Add(time.Hour), 10, time.Minute)
	must(t, err, "ClaimOutbound")
	seen := 0
	for _, got := range claimed {
		switch got.ID {
		case m.ID:
			seen++
			if !slices.Equal(got.Attachments, m.Attachments) {
				t.Errorf("claimed attachments %q, want %q", got.Attachments, m.Attachments)
			}
		case plain.ID:
			seen++
			if len(got.Attachments) != 0 {
				t.Errorf("a message without attachments claims %q", got.Attachments)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("claimed %d of the 2 messages", seen)
	}
	got, err := s.Outbound(ctx, m.ID)
	must(t, err, "Outbound")
	if !slices.Equal(got.Attachments, m.Attachments) {
		t.Errorf("read attachments %q, want %q", got.Attachments, m.Attachments)
	}
}
