package importfile

import (
	"strings"
	"testing"
)

// Issue #14 point 5: a Belgian consumer case carries its contract's
// late-payment clause (Book XIX WER) from the file; point 8: the creditor's
// per-invoice €40 choice (C-585/20).
func TestParseDamagesClauseCSVAndJSON(t *testing.T) {
	head := "dossier,regime,letter_sent_on,creditor_code,creditor_name,creditor_minimum_per_invoice,debtor_ref,debtor_name," +
		"clause_terms,clause_damages,clause_damages_pct,clause_interest,clause_announced," +
		"invoice_number,invoice_issue_date,invoice_due_date,invoice_principal\n"
	csv := head +
		"IB-1,be-b2c,2026-11-16,AZ,AZ Gent,,D1,Lotte,Art. 7: 10% met een maximum,yes,10%,yes,yes,F1,2026-10-01,2026-10-31,400.00\n" +
		"IB-2,be-b2c,,AZ,AZ Gent,,D2,Jan,,,,,,F1,2026-10-01,2026-10-31,100.00\n" +
		"IB-3,nl-b2c,,ED,Energie,,D3,Piet,Art. 9,yes,,,,F1,2026-10-01,2026-10-31,100.00\n" +
		"IB-4,be-b2c,,AZ,AZ Gent,,D4,Els,,yes,,,,F1,2026-10-01,2026-10-31,100.00\n" +
		"IB-5,nl-b2b,,BV,Bouw BV,yes,D5,Klant BV,,,,,,F1,2026-10-01,2026-10-31,100.00\n"
	res, err := ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 3 || len(res.Problems) != 2 {
		t.Fatalf("records %d problems %v; want 3 good and 2 bad (clause on nl-b2c, clause columns without terms)", len(res.Records), res.Problems)
	}
	cl := res.Records[0].Case.Clause
	if cl == nil || cl.Terms != "Art. 7: 10% met een maximum" || !cl.Damages || cl.DamagesPct.String() != "0.1" ||
		!cl.LatePaymentInterest || !cl.AnnouncedInReminder {
		t.Errorf("clause %+v", cl)
	}
	if res.Records[1].Case.Clause != nil {
		t.Errorf("no clause_terms must mean no clause, got %+v", res.Records[1].Case.Clause)
	}
	if !res.Records[2].Case.Creditor.MinimumPerInvoice {
		t.Error("creditor_minimum_per_invoice yes was not read")
	}
	for _, p := range res.Problems {
		if !strings.Contains(p.Reason, "clause") {
			t.Errorf("problem %v should name the clause", p)
		}
	}

	js := `[{"dossier":"IB-9","regime":"be-b2c","letter_sent_on":"2026-11-16",
		"damages_clause":{"terms":"Art. 7","damages":true,"damages_pct":"","late_payment_interest":false,"announced_in_reminder":true},
		"creditor":{"code":"AZ","name":"AZ Gent","minimum_per_invoice":false},"debtor":{"ref":"D9","name":"Lotte"},
		"invoices":[{"number":"F1","issue_date":"2026-10-01","due_date":"2026-10-31","principal":"400.00"}]}]`
	jr, err := ParseJSON(strings.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	if len(jr.Problems) != 0 || len(jr.Records) != 1 {
		t.Fatalf("JSON: %d records, problems %v", len(jr.Records), jr.Problems)
	}
	if c := jr.Records[0].Case.Clause; c == nil || !c.Damages || !c.DamagesPct.IsZero() || c.LatePaymentInterest || !c.AnnouncedInReminder {
		t.Errorf("JSON clause %+v", c)
	}
}
