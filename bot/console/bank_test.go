package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// A bank line the import could not book shows on the payments page; a
// collector books it on the right case once; the page then lists it no
// more. The payer's text is escaped.
func TestCollectorBooksABankLine(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	line := &casestore.BankLine{EntryRef: "E-77", BookedOn: casestore.Date(2026, time.March, 15), Amount: decimal.RequireFromString("12.34"),
		Name: "J. de Vries", Remittance: scriptTyped, Reason: "no payment reference or dossier number", SuggestedCaseID: f.c.ID}
	if err := f.st.AddBankLine(ctx, line); err != nil {
		t.Fatal(err)
	}
	b := f.login("bram")
	code, page := b.get("/console/payments")
	if code != http.StatusOK || !strings.Contains(page, "€ 12,34") || !strings.Contains(page, "voorstel: IB-2026-000777") ||
		!strings.Contains(page, scriptEscape) || strings.Contains(page, scriptTyped) {
		t.Fatalf("payments page: %d\n%s", code, page)
	}
	path := "/console/payments/bank-lines/" + itoa64(line.ID) + "/assign"
	if code, _, body := b.post(path, url.Values{"ref": {"IB-2026-000999"}}); code != http.StatusBadRequest || !strings.Contains(body, "bestaat niet") {
		t.Errorf("unknown dossier: %d", code)
	}
	if code, loc, body := b.post(path, url.Values{"ref": {"ib-2026-000777"}, "note": {"moeder betaalde"}}); code != http.StatusSeeOther || !strings.HasSuffix(loc, "done=assigned") {
		t.Fatalf("assign: %d %s\n%s", code, loc, body)
	}
	if code, _, _ := b.post(path, url.Values{"ref": {"IB-2026-000777"}}); code != http.StatusConflict {
		t.Errorf("assigning again: %d, want 409", code)
	}
	c := f.caseNow()
	if len(c.Payments) != 1 || c.Payments[0].ExternalID != "E-77" || c.Payments[0].Source != casestore.SourceBank {
		t.Fatalf("payments: %+v", c.Payments)
	}
	if _, page = b.get("/console/payments"); !strings.Contains(page, "Geen bankregels te verwerken") {
		t.Error("the booked line is still listed")
	}
}

func itoa64(n int64) string { return decimal.NewFromInt(n).String() }
