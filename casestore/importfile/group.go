package importfile

import (
	"fmt"
	"sort"
	"strings"
)

// grouper turns rows into cases: a row whose dossier number was seen
// before adds its invoice to that case, provided every case-level column
// agrees, so that a typo in one row cannot silently change the case.
type grouper struct {
	records  []Record
	byRef    map[string]int
	problems []Problem
}

func newGrouper() *grouper { return &grouper{byRef: map[string]int{}} }

func (g *grouper) problem(line int, reason string) {
	g.problems = append(g.problems, Problem{Line: line, Reason: reason})
}

// addRow parses one CSV row: case fields plus one invoice.
func (g *grouper) addRow(line int, f fields) {
	var errs rowErrors
	rec := parseCaseFields(f, &errs)
	inv := parseInvoice(f, &errs)
	doc := documentSource(inv.Number, f.get("invoice_document"), "", &errs)
	if len(errs) > 0 {
		g.problem(line, errs.String())
		return
	}
	rec.Lines = []int{line}
	if doc != nil {
		doc.Line = line
		rec.Documents = []Document{*doc}
	}
	i, seen := g.byRef[rec.Case.Ref]
	if !seen {
		rec.Case.Invoices = append(rec.Case.Invoices, inv)
		g.byRef[rec.Case.Ref] = len(g.records)
		g.records = append(g.records, rec)
		return
	}
	first := &g.records[i]
	if diff := sameCase(&first.Case, &rec.Case); diff != "" || rec.StageGiven != first.StageGiven || rec.StatusGiven != first.StatusGiven {
		if diff == "" {
			diff = "stage/status"
		}
		g.problem(line, fmt.Sprintf("dossier %s: %s differs from line %d (rows of one dossier must agree on every case, creditor and debtor column)", rec.Case.Ref, diff, first.Line()))
		return
	}
	for _, have := range first.Case.Invoices {
		if strings.EqualFold(have.Number, inv.Number) {
			g.problem(line, fmt.Sprintf("dossier %s: invoice %s appears twice", rec.Case.Ref, inv.Number))
			return
		}
	}
	first.Case.Invoices = append(first.Case.Invoices, inv)
	first.Lines = append(first.Lines, line)
	first.Documents = append(first.Documents, rec.Documents...)
}

// addCase adds a whole case (a JSON object); a second object with the same
// dossier number is a bad row rather than a merge, since JSON lists a
// case's invoices together.
func (g *grouper) addCase(rec Record) {
	if i, seen := g.byRef[rec.Case.Ref]; seen {
		g.problem(rec.Line(), fmt.Sprintf("dossier %s appears twice (first on line %d)", rec.Case.Ref, g.records[i].Line()))
		return
	}
	g.byRef[rec.Case.Ref] = len(g.records)
	g.records = append(g.records, rec)
}

func (g *grouper) result() *Result {
	sort.SliceStable(g.problems, func(i, j int) bool { return g.problems[i].Line < g.problems[j].Line })
	return &Result{Records: g.records, Problems: g.problems}
}
