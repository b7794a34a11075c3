package importfile

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore"
)

const docHeader = "dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal,invoice_document\n"

func docRow(dossier, invoice, doc string) string {
	return dossier + ",nl-b2c,ENERGIEDIRECT,Energiedirect B.V.,DB-" + dossier + ",J. de Vries," + invoice + ",2026-01-01,2026-01-31,100.00," + doc + "\n"
}

var (
	invoicePDF  = []byte("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
	otherPDF    = []byte("%PDF-1.4\n% second copy\n%%EOF\n")
	notAnyImage = []byte("<html><script>alert(1)</script></html>")
)

// A CSV names each invoice's copy by path: good ones are stored as files of
// the case and named on the invoice; a missing, foreign or unsafe file
// makes its line bad with the reason, and its case is not imported.
func TestImportStoresTheInvoiceDocumentsACSVNames(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		dir := t.TempDir()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(os.MkdirAll(filepath.Join(dir, "facturen"), 0o755))
		must(os.WriteFile(filepath.Join(dir, "facturen", "F-1.pdf"), invoicePDF, 0o644))
		must(os.WriteFile(filepath.Join(dir, "facturen", "F-3.html"), notAnyImage, 0o644))
		csv := docHeader +
			docRow("IB-2026-000501", "F-1", "facturen/F-1.pdf") + // line 2
			docRow("IB-2026-000501", "F-2", "") + // line 3: no copy
			docRow("IB-2026-000502", "F-3", "facturen/F-3.html") + // line 4: not a PDF
			docRow("IB-2026-000503", "F-4", "facturen/missing.pdf") + // line 5
			docRow("IB-2026-000504", "F-5", "../secret.pdf") + // line 6: outside the folder
			docRow("IB-2026-000505", "F-6", "/etc/passwd") // line 7
		res, err := ParseCSV(strings.NewReader(csv))
		must(err)
		res.LoadDocuments(os.DirFS(dir))
		want := map[int]string{
			4: `invoice_document "facturen/F-3.html" (invoice F-3) is not a PDF, JPEG or PNG file`,
			5: `invoice_document "facturen/missing.pdf" (invoice F-4) not found`,
			6: "give a path inside the import file's folder",
			7: "give a path inside the import file's folder",
		}
		if len(res.Problems) != len(want) {
			t.Fatalf("problems %v, want lines 4-7", res.Problems)
		}
		for _, p := range res.Problems {
			if !strings.Contains(p.Reason, want[p.Line]) {
				t.Errorf("line %d: %q, want it to say %q", p.Line, p.Reason, want[p.Line])
			}
		}
		if len(res.Records) != 1 {
			t.Fatalf("%d good cases, want 1", len(res.Records))
		}

		st := newStore()
		for range 2 { // the second run is a re-import of the same file
			sum, refused, err := Import(ctx, st, res.Records, Options{File: "cases.csv"})
			must(err)
			if len(refused) > 0 || sum.New+sum.Updated != 1 {
				t.Fatalf("import: %v, refused %v", sum, refused)
			}
		}
		c, err := st.CaseByRef(ctx, "IB-2026-000501")
		must(err)
		var f1, f2 casestore.Invoice
		for _, inv := range c.Invoices {
			switch inv.Number {
			case "F-1":
				f1 = inv
			case "F-2":
				f2 = inv
			}
		}
		if f1.DocumentID == 0 || f2.DocumentID != 0 {
			t.Fatalf("documents: F-1 %d, F-2 %d; want F-1 only", f1.DocumentID, f2.DocumentID)
		}
		m, err := st.Media(ctx, f1.DocumentID)
		must(err)
		if string(m.Data) != string(invoicePDF) || m.ContentType != "application/pdf" || m.CaseID != c.ID || m.Channel != "import" {
			t.Errorf("stored copy: %s, %d bytes, case %d, channel %s", m.ContentType, len(m.Data), m.CaseID, m.Channel)
		}
		files, err := st.MediaOf(ctx, c.ID)
		must(err)
		if len(files) != 1 {
			t.Errorf("%d files after importing the same copy twice, want 1", len(files))
		}
		es, err := st.Dossier(ctx, c.ID, casestore.DossierQuery{Kinds: []casestore.EntryKind{casestore.EntryCaseImported}})
		must(err)
		var b struct{ Documents []string }
		if len(es) != 1 || json.Unmarshal(es[0].Body, &b) != nil || len(b.Documents) != 1 || b.Documents[0] != "F-1" {
			t.Errorf("case.imported entry %v, want documents [F-1]", es)
		}
	})
}

// JSON may carry the copy itself in base64, or a path; a new copy on
// re-import replaces the invoice's (the old file stays in the evidence).
func TestImportJSONDocumentBase64AndReplacement(t *testing.T) {
	forEachStore(t, func(t *testing.T, newStore func() casestore.Store) {
		ctx := context.Background()
		file := func(doc []byte) string {
			return `[
  {"dossier": "IB-2026-000601", "regime": "nl-b2c",
   "creditor": {"code": "TELEFONIKA", "name": "Telefonika B.V."},
   "debtor": {"ref": "TM-601", "name": "Iris Hendriks"},
   "invoices": [{"number": "T-1", "issue_date": "2026-01-01", "due_date": "2026-01-15", "principal": "45.00",
                 "document_base64": "` + base64.StdEncoding.EncodeToString(doc) + `"}]},
  {"dossier": "IB-2026-000602", "regime": "nl-b2c",
   "creditor": {"code": "TELEFONIKA", "name": "Telefonika B.V."},
   "debtor": {"ref": "TM-602", "name": "Piet Hendriks"},
   "invoices": [{"number": "T-2", "issue_date": "2026-01-01", "due_date": "2026-01-15", "principal": "45.00",
                 "document_base64": "` + base64.StdEncoding.EncodeToString(notAnyImage) + `"}]}
]`
		}
		st := newStore()
		var ids []int64
		for _, doc := range [][]byte{invoicePDF, otherPDF} {
			res, err := ParseJSON(strings.NewReader(file(doc)))
			if err != nil {
				t.Fatal(err)
			}
			res.LoadDocuments(os.DirFS(t.TempDir()))
			if len(res.Problems) != 1 || res.Problems[0].Line != 7 || !strings.Contains(res.Problems[0].Reason, "invoice T-2: document is not a PDF, JPEG or PNG file") {
				t.Fatalf("problems %v, want line 7: T-2 is no PDF", res.Problems)
			}
			if _, refused, err := Import(ctx, st, res.Records, Options{File: "cases.json"}); err != nil || len(refused) > 0 {
				t.Fatalf("import: %v %v", err, refused)
			}
			c, err := st.CaseByRef(ctx, "IB-2026-000601")
			if err != nil {
				t.Fatal(err)
			}
			m, err := st.Media(ctx, c.Invoices[0].DocumentID)
			if err != nil || string(m.Data) != string(doc) {
				t.Fatalf("T-1's copy is not the file's (%v)", err)
			}
			ids = append(ids, m.ID)
		}
		if ids[0] == ids[1] {
			t.Error("a new copy did not replace the invoice's")
		}
	})
}
