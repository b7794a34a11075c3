package api_test

import (
	"context"
	"testing"

	"github.com/incassobot/incassobot/bot/api"
	"github.com/incassobot/incassobot/bot/api/apitest"
	"github.com/incassobot/incassobot/casestore"
)

// An invoice whose copy the creditor delivered with the import names it;
// the creditor fetches it like any file of the case.
func TestAnInvoiceNamesItsDocument(t *testing.T) {
	tn := apitest.SQLite(t)
	ctx := context.Background()
	copyPDF := []byte("%PDF-1.4\n%kopie factuur\n%%EOF\n")
	m := &casestore.Media{CaseID: tn.Hand.ID, Channel: "import", ContentType: "application/pdf", Data: copyPDF}
	if err := tn.Store.AddMedia(ctx, m); err != nil {
		t.Fatal(err)
	}
	withCopy := tn.Hand.Invoices[0]
	if err := tn.Store.SetInvoiceDocument(ctx, withCopy.ID, m.ID); err != nil {
		t.Fatal(err)
	}
	f := serve(t, tn)
	var c api.Case
	f.getJSON("/api/v1/cases/"+apitest.RefHand, "token:alice", &c)
	seen := 0
	for _, inv := range c.Invoices {
		if inv.Number != withCopy.Number {
			if inv.Document != nil {
				t.Errorf("invoice %s has document %s, want null", inv.Number, *inv.Document)
			}
			continue
		}
		seen++
		if inv.Document == nil {
			t.Fatalf("invoice %s: document null, want its copy", inv.Number)
		}
		got := f.get(*inv.Document, "token:alice")
		if got.code != 200 || string(got.body) != string(copyPDF) {
			t.Errorf("GET %s: %d, %d bytes; want the copy", *inv.Document, got.code, len(got.body))
		}
		if other := f.get(*inv.Document, "token:bert"); other.code != 404 {
			t.Errorf("another creditor fetches the copy: %d", other.code)
		}
	}
	if seen != 1 {
		t.Errorf("invoice %s not in the case", withCopy.Number)
	}
}
