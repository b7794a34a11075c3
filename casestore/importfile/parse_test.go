package importfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func parseFile(t *testing.T, name string) *Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Parse(f, name)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return res
}

func TestParseCSVGroupsInvoicesAndNormalises(t *testing.T) {
	res := parseFile(t, "cases.csv")
	if len(res.Problems) != 0 {
		t.Fatalf("problems in a good file: %v", res.Problems)
	}
	if len(res.Records) != 4 {
		t.Fatalf("got %d cases, want 4 (5 rows, two of them one dossier)", len(res.Records))
	}
	c := res.Records[0].Case
	if c.Ref != "IB-2026-000901" || len(c.Invoices) != 2 || !equalInts(res.Records[0].Lines, []int{2, 3}) {
		t.Errorf("first case = %s with %d invoices from lines %v; want IB-2026-000901, 2 invoices, lines [2 3]", c.Ref, len(c.Invoices), res.Records[0].Lines)
	}
	if got := c.Debtor.Phones; len(got) != 1 || got[0] != "+31611223301" {
		t.Errorf("phones = %v, want [+31611223301]", got)
	}
	if c.Debtor.Postcode != "3512JK" {
		t.Errorf("postcode = %q, want 3512JK", c.Debtor.Postcode)
	}
	if res.Records[0].StatusGiven || c.Status != casestore.StatusOpen || !res.Records[0].StageGiven {
		t.Errorf("empty status column: StatusGiven=%v Status=%s; stage given=%v", res.Records[0].StatusGiven, c.Status, res.Records[0].StageGiven)
	}
	if !c.LetterSentOn.Equal(casestore.Date(2026, time.February, 2)) {
		t.Errorf("letter sent on %v", c.LetterSentOn)
	}
	b2b := res.Records[1].Case
	if !b2b.Debtor.IsCompany || b2b.Creditor.ContractualCosts.String() != "0.15" || b2b.Debtor.Postcode != "1012AB" {
		t.Errorf("B2B case: company=%v contractual=%s postcode=%s", b2b.Debtor.IsCompany, b2b.Creditor.ContractualCosts, b2b.Debtor.Postcode)
	}
	be := res.Records[2].Case
	if got := strings.Join(be.Debtor.Phones, ","); got != "+32470112203,+31611223303" {
		t.Errorf("two phones = %s", got)
	}
	if be.Debtor.Language != casestore.French || be.Debtor.BirthDate == nil || !be.Debtor.BirthDate.Equal(casestore.Date(1990, 8, 12)) {
		t.Errorf("BE debtor language %s birth %v", be.Debtor.Language, be.Debtor.BirthDate)
	}
	if got := res.Records[3].Case.Invoices[0].Status; got != casestore.InvoiceDisputed {
		t.Errorf("invoice status = %s, want disputed", got)
	}
}

// A Dutch Excel export (";", BOM, 1.234,56, dd-mm-yyyy, mixed case) reads
// the same as the plain file.
func TestParseDutchSpreadsheetEqualsPlainCSV(t *testing.T) {
	plain, dutch := parseFile(t, "cases.csv"), parseFile(t, "cases-nl.csv")
	if len(dutch.Problems) != 0 {
		t.Fatalf("problems: %v", dutch.Problems)
	}
	if len(plain.Records) != len(dutch.Records) {
		t.Fatalf("%d cases vs %d", len(plain.Records), len(dutch.Records))
	}
	for i := range plain.Records {
		a, b := &plain.Records[i].Case, &dutch.Records[i].Case
		if a.Ref != b.Ref || sameCase(a, b) != "" {
			t.Errorf("case %d: %s vs %s differ in %q", i, a.Ref, b.Ref, sameCase(a, b))
		}
		for j := range a.Invoices {
			x, y := a.Invoices[j], b.Invoices[j]
			if x.Number != y.Number || !x.Principal.Equal(y.Principal) || !x.DueDate.Equal(y.DueDate) || !x.IssueDate.Equal(y.IssueDate) || x.Status != y.Status {
				t.Errorf("case %s invoice %d: %+v vs %+v", a.Ref, j, x, y)
			}
		}
	}
}

func TestParseCSVReportsEveryBadRowByLine(t *testing.T) {
	res := parseFile(t, "cases-with-bad-rows.csv")
	want := []struct {
		line   int
		reason string
	}{
		{3, `regime "nl-b2x"`},
		{4, "more than two decimals"},
		{5, `"31-02-2026" does not exist`},
		{6, "debtor_phone (number 1) is not a valid phone number"},
		{7, "debtor_name is required"},
		{8, "regime differs from line 2"},
		{9, "invoice SW-911-1 appears twice"},
		{10, "has 5 fields, the header has 13"},
		{13, "invoice_due_date is before invoice_issue_date; invoice_principal 0 must be more than zero"},
	}
	if len(res.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%v", len(res.Problems), len(want), res.Problems)
	}
	for i, w := range want {
		if i >= len(res.Problems) {
			break
		}
		p := res.Problems[i]
		if p.Line != w.line || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d = %q, want line %d containing %q", i, p, w.line, w.reason)
		}
	}
	var refs []string
	for _, r := range res.Records {
		refs = append(refs, r.Case.Ref)
	}
	if got := strings.Join(refs, " "); got != "IB-2026-000911 IB-2026-000918" {
		t.Errorf("good cases = %s", got)
	}
	if n := len(res.Records[0].Case.Invoices); n != 2 {
		t.Errorf("IB-2026-000911 has %d invoices, want 2 (lines 2 and 12)", n)
	}
	if got := res.Records[1].Case.Invoices[0].Principal.String(); got != "1250" {
		t.Errorf("1.250,00 read as %s", got)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Reason, "12345") {
			t.Errorf("a debtor's phone number is echoed in %q", p)
		}
	}
}

func TestParseCSVHeaderErrorsStopTheFile(t *testing.T) {
	for name, in := range map[string]string{
		"unknown column":   "dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal,colour\n",
		"missing required": "dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date\n",
		"twice":            "dossier,dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal\n",
		"empty":            "",
	} {
		if _, err := ParseCSV(strings.NewReader(in)); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestParseJSON(t *testing.T) {
	res := parseFile(t, "cases.json")
	want := []struct {
		line   int
		reason string
	}{
		{14, `unknown field "fax"`},
		{21, "invoices[0]: invoice_principal: amount \"126.404\" has more than two decimals"},
	}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems = %v", res.Problems)
	}
	for i, w := range want {
		if p := res.Problems[i]; p.Line != w.line || !strings.Contains(p.Reason, w.reason) {
			t.Errorf("problem %d = %q, want line %d containing %q", i, p, w.line, w.reason)
		}
	}
	if len(res.Records) != 3 {
		t.Fatalf("got %d good cases, want 3", len(res.Records))
	}
	first := res.Records[0]
	if first.Line() != 2 || first.Case.Invoices[1].Principal.String() != "312.5" || first.Case.Invoices[0].Principal.String() != "45" {
		t.Errorf("first case line %d, principals %s %s", first.Line(), first.Case.Invoices[0].Principal, first.Case.Invoices[1].Principal)
	}
	if got := res.Records[1].Case; got.Ref != "IB-2026-000934" || got.Debtor.Phones[0] != "+31611223934" || got.Stage != casestore.Executie {
		t.Errorf("a single phone string: %s %v %s", got.Ref, got.Debtor.Phones, got.Stage)
	}
}

func TestParseJSONSyntaxErrorNamesTheLine(t *testing.T) {
	_, err := ParseJSON(strings.NewReader("[\n  {\"dossier\": \"IB-1\"},\n  {\"dossier\": \"IB-2\",,}\n]"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v, want line 3", err)
	}
	if _, err := ParseJSON(strings.NewReader(`{"dossier": "IB-1"}`)); err == nil || !strings.Contains(err.Error(), "array") {
		t.Errorf("an object instead of an array: err = %v", err)
	}
}

func TestParseChoosesFormatByContent(t *testing.T) {
	data, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(strings.NewReader(string(data)), "-")
	if err != nil || len(res.Records) != 3 {
		t.Fatalf("JSON from stdin: %v, %d records", err, len(res.Records))
	}
	data, _ = os.ReadFile("testdata/cases.csv")
	res, err = Parse(strings.NewReader(string(data)), "upload.dat")
	if err != nil || len(res.Records) != 4 {
		t.Fatalf("CSV without extension: %v", err)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
