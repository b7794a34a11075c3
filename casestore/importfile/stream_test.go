package importfile

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// caseFile writes a CSV of n cases, every other one with two invoices,
// its rows shuffled so that a dossier's rows stand far apart.
func caseFile(n int) []byte {
	var rows []string
	for i := range n {
		for j := range 1 + i%2 {
			rows = append(rows, fmt.Sprintf("IB-2026-%07d,nl-b2c,CRED%d,Crediteur %d B.V.,D-%07d,Debiteur %d,F-%07d-%d,2026-01-01,2026-01-31,%d.%02d",
				i, i%5, i%5, i, i, i, j, 100+i%900, j))
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	r.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	head := "dossier,regime,creditor_code,creditor_name,debtor_ref,debtor_name,invoice_number,invoice_issue_date,invoice_due_date,invoice_principal\n"
	return []byte(head + strings.Join(rows, "\n") + "\n")
}

// drain reads every case of s, keyed by dossier number, as "lines
// invoices" for comparing with Parse's.
func drain(t *testing.T, s *Stream) map[string]string {
	t.Helper()
	got := map[string]string{}
	for {
		rec, err := s.Next()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, twice := got[rec.Case.Ref]; twice {
			t.Errorf("dossier %s came twice", rec.Case.Ref)
		}
		got[rec.Case.Ref] = describe(rec)
	}
}

func describe(rec *Record) string {
	var invs []string
	for _, inv := range rec.Case.Invoices {
		invs = append(invs, inv.Number+"="+inv.Principal.StringFixed(2))
	}
	return fmt.Sprint(rec.Lines, invs, rec.Case.Debtor.Ref, rec.Case.Creditor.Code)
}

// Issue 16: an import held the whole file and its cases in memory (376 MB
// for 100,000 cases). A stream holds at most a chunk of rows, however
// large the file, and still puts a dossier's scattered rows together: the
// cases are the ones Parse finds.
func TestStreamHoldsAChunkWhateverTheFileSize(t *testing.T) {
	const chunk = 250
	for _, n := range []int{1000, 8000} {
		t.Run(fmt.Sprint(n, " cases"), func(t *testing.T) {
			file := caseFile(n)
			want := map[string]string{}
			res, err := ParseCSV(bytes.NewReader(file))
			if err != nil || len(res.Problems) > 0 {
				t.Fatalf("Parse: %v %v", err, res.Problems)
			}
			for i := range res.Records {
				want[res.Records[i].Case.Ref] = describe(&res.Records[i])
			}
			var problems []Problem
			dir := t.TempDir()
			s, err := NewStream(bytes.NewReader(file), "cases.csv", StreamOptions{ChunkRows: chunk, TempDir: dir,
				Problem: func(p Problem) { problems = append(problems, p) }})
			if err != nil {
				t.Fatal(err)
			}
			got := drain(t, s)
			if len(problems) > 0 {
				t.Errorf("problems: %v", problems[:min(len(problems), 5)])
			}
			if len(got) != n {
				t.Errorf("%d cases, want %d", len(got), n)
			}
			for ref, w := range want {
				if got[ref] != w {
					t.Errorf("%s: got %s, want %s", ref, got[ref], w)
					break
				}
			}
			rows := n + n/2
			files := (rows + chunk - 1) / chunk
			// A chunk of rows while reading, one row per chunk file while merging.
			if s.MaxHeld() > max(chunk, files) {
				t.Errorf("held up to %d rows of %d, want at most %d", s.MaxHeld(), rows, max(chunk, files))
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// The rows of one dossier must agree wherever they stand: a disagreement
// across chunks is reported as in a small file, against the first row.
func TestStreamReportsDisagreeingRowsAcrossChunks(t *testing.T) {
	file, err := os.ReadFile(filepath.Join("testdata", "cases-with-bad-rows.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := parseFile(t, "cases-with-bad-rows.csv")
	for _, chunk := range []int{2, 1000} {
		var problems []Problem
		s, err := NewStream(bytes.NewReader(file), "x.csv", StreamOptions{ChunkRows: chunk, TempDir: t.TempDir(),
			Problem: func(p Problem) { problems = append(problems, p) }})
		if err != nil {
			t.Fatal(err)
		}
		got := drain(t, s)
		s.Close()
		slices.SortStableFunc(problems, func(a, b Problem) int { return a.Line - b.Line })
		if fmt.Sprint(problems) != fmt.Sprint(want.Problems) {
			t.Errorf("chunk %d: problems\n%v\nwant\n%v", chunk, problems, want.Problems)
		}
		if len(got) != len(want.Records) {
			t.Errorf("chunk %d: %d cases, want %d", chunk, len(got), len(want.Records))
		}
		for i := range want.Records {
			if w := describe(&want.Records[i]); got[want.Records[i].Case.Ref] != w {
				t.Errorf("chunk %d: %s = %s, want %s", chunk, want.Records[i].Case.Ref, got[want.Records[i].Case.Ref], w)
			}
		}
	}
}
