package importfile

import (
	"context"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

const flagsHeader = "dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal,bewindvoering,debt_settlement\n"

func flagsRow(bewind, settlement string) string {
	return "IB-2026-000950,nl-b2c,CR1,Energie B.V.,D-950,A. Jansen,F-1,2026-01-01,2026-01-31,100.00," + bewind + "," + settlement + "\n"
}

func importCSV(t *testing.T, st casestore.Store, csv string) []Problem {
	t.Helper()
	res, err := ParseCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	_, problems, err := Import(context.Background(), st, res.Records, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return append(res.Problems, problems...)
}

func flagsOf(t *testing.T, st casestore.Store, ref string) casestore.CaseFlags {
	t.Helper()
	c, err := st.CaseByRef(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.CaseFlags(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestImportSetsAndKeepsCollectionStopFlags(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		st := newStore()
		if p := importCSV(t, st, flagsHeader+flagsRow("ja", "WSNP")); len(p) != 0 {
			t.Fatalf("problems: %v", p)
		}
		if f := flagsOf(t, st, "IB-2026-000950"); !f.Bewindvoering || f.DebtSettlement != casestore.SettlementWSNP {
			t.Fatalf("flags after import: %+v, want bewindvoering and wsnp", f)
		}
		// Empty columns keep what is set; "none" lifts the settlement.
		importCSV(t, st, flagsHeader+flagsRow("", ""))
		if f := flagsOf(t, st, "IB-2026-000950"); !f.Bewindvoering || f.DebtSettlement != casestore.SettlementWSNP {
			t.Errorf("flags after a re-import without them: %+v, want kept", f)
		}
		importCSV(t, st, flagsHeader+flagsRow("", "none"))
		if f := flagsOf(t, st, "IB-2026-000950"); !f.Bewindvoering || f.DebtSettlement != casestore.SettlementNone {
			t.Errorf("flags after none: %+v, want bewindvoering only", f)
		}
		c, _ := st.CaseByRef(context.Background(), "IB-2026-000950")
		es, err := st.Dossier(context.Background(), c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryCaseFlags}})
		if err != nil || len(es) != 2 || es[0].Actor != casestore.ActorImport {
			t.Errorf("dossier case.flags entries: %d (%v), want 2 by the import", len(es), err)
		}

		p := importCSV(t, st, flagsHeader+flagsRow("misschien", "faillissement"))
		if len(p) != 1 || !strings.Contains(p[0].Reason, "bewindvoering") || !strings.Contains(p[0].Reason, "debt_settlement") {
			t.Errorf("bad flag values: %v, want one problem naming both columns", p)
		}
		if f := flagsOf(t, st, "IB-2026-000950"); !f.Bewindvoering || f.DebtSettlement != casestore.SettlementNone {
			t.Errorf("a bad row changed the flags: %+v", f)
		}
	})
}

func TestImportJSONFlags(t *testing.T) {
	const doc = `[{"dossier": "IB-2026-000951", "regime": "be-b2c", "debt_settlement": "csr",
		"creditor": {"code": "CR2", "name": "AZ Gent"}, "debtor": {"ref": "D-951", "name": "L. Peeters"},
		"invoices": [{"number": "H-1", "issue_date": "2026-01-01", "due_date": "2026-01-31", "principal": "80,00"}]}]`
	res, err := ParseJSON(strings.NewReader(doc))
	if err != nil || len(res.Problems) != 0 {
		t.Fatalf("parse: %v %v", err, res.Problems)
	}
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		st := newStore()
		if _, p, err := Import(context.Background(), st, res.Records, Options{}); err != nil || len(p) != 0 {
			t.Fatalf("import: %v %v", err, p)
		}
		if f := flagsOf(t, st, "IB-2026-000951"); f.Bewindvoering || f.DebtSettlement != casestore.SettlementCSR {
			t.Errorf("flags %+v, want csr", f)
		}
	})
}
