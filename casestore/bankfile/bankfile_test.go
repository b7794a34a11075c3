package bankfile_test

import (
	"os"
	"strings"
	"testing"

	"github.com/incassobot/incassobot/casestore/bankfile"
)

func parseFile(t *testing.T, name string) ([]bankfile.Line, []bankfile.Problem) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines, problems, err := bankfile.Parse(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return lines, problems
}

func TestCAMT08(t *testing.T) {
	lines, problems := parseFile(t, "statement-001-08.xml")
	if len(problems) != 0 || len(lines) != 6 {
		t.Fatalf("%d lines, problems %v", len(lines), problems)
	}
	l := lines[0]
	if l.EntryRef != "NL-E-0001" || l.Amount.String() != "100" || !l.Credit || l.Name != "J. de Vries" ||
		l.IBAN != "NL02RABO0123456789" || l.Reference != "9000000000000001" || l.Currency != "EUR" || l.BookedOn.Format("2006-01-02") != "2026-11-30" {
		t.Errorf("first line: %+v", l)
	}
	if lines[1].Remittance != "+++000/0000/00202+++" || lines[1].Name != "L. Peeters" {
		t.Errorf("second line: %+v", lines[1])
	}
	if lines[5].Credit {
		t.Error("a DBIT entry read as a credit")
	}
	if lines[2].Line <= lines[1].Line {
		t.Errorf("line numbers do not increase: %d, %d", lines[1].Line, lines[2].Line)
	}
}

func TestCAMT02(t *testing.T) {
	lines, problems := parseFile(t, "statement-001-02.xml")
	if len(problems) != 0 || len(lines) != 1 || lines[0].Name != "K. Jansen" || lines[0].EntryRef != "NL-E-0000" || lines[0].Line != 8 {
		t.Fatalf("lines %+v problems %v", lines, problems)
	}
}

// Each broken entry is named by the line it starts on, with the reason;
// the good one is still read.
func TestBrokenEntriesByLine(t *testing.T) {
	lines, problems := parseFile(t, "statement-broken.xml")
	want := []string{
		"line 5: amount \"veel\" is not a number",
		"line 12: no entry reference",
		"line 18: entry status \"PDNG\"",
		"line 25: booking date \"28-11-2026\"",
	}
	if len(problems) != len(want) {
		t.Fatalf("problems %v", problems)
	}
	for i, w := range want {
		if !strings.HasPrefix(problems[i].String(), w) {
			t.Errorf("problem %d: %q, want it to start %q", i, problems[i], w)
		}
	}
	if len(lines) != 1 || lines[0].EntryRef != "B-5" {
		t.Errorf("good lines: %+v", lines)
	}
}

func TestCSV(t *testing.T) {
	lines, problems := parseFile(t, "statement.csv")
	if len(lines) != 2 || lines[0].Amount.String() != "45" || !lines[0].Credit || lines[1].Credit {
		t.Fatalf("lines %+v", lines)
	}
	if len(problems) != 2 || problems[0].Line != 3 || problems[1].Line != 4 || !strings.Contains(problems[1].Reason, "credit_debit") {
		t.Fatalf("problems %v", problems)
	}
}

func TestNeitherLayout(t *testing.T) {
	for _, in := range []string{"date,amount\n2026-01-01,5\n", `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>`, "<Document"} {
		if _, _, err := bankfile.Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}
