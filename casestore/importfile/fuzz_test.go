package importfile

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Whatever a creditor's file holds, parsing never panics, an accepted
// amount has at most two decimals and reads back the same, and every bad
// row names a line.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1234.56", "1.234,56", "1,234.56", "€ 12,50", "1,234", "-0,01", "12.345.678,90"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseAmount(s)
		if err != nil {
			return
		}
		if !d.Equal(d.Round(2)) {
			t.Fatalf("ParseAmount(%q) = %s: more than two decimals", s, d)
		}
		again, err := ParseAmount(d.StringFixed(2))
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseAmount(%q) = %s does not read back: %s, %v", s, d, again, err)
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	for _, name := range []string{"cases.csv", "cases-nl.csv", "cases-with-bad-rows.csv"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkResult(t, res, bytes.Count(data, []byte("\n"))+1)
	})
}

func FuzzParseJSON(f *testing.F) {
	data, err := os.ReadFile("testdata/cases.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`[{"dossier": 1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := ParseJSON(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkResult(t, res, bytes.Count(data, []byte("\n"))+1)
	})
}

func checkResult(t *testing.T, res *Result, lines int) {
	t.Helper()
	for _, p := range res.Problems {
		if p.Line < 1 || p.Line > lines || strings.TrimSpace(p.Reason) == "" {
			t.Fatalf("problem %q: line outside 1..%d or no reason", p, lines)
		}
	}
	for _, r := range res.Records {
		if err := r.Case.Validate(); err != nil {
			t.Fatalf("accepted record fails Validate: %v", err)
		}
		if r.Line() < 1 || r.Line() > lines {
			t.Fatalf("record %s at line %d of %d", r.Case.Ref, r.Line(), lines)
		}
	}
}
