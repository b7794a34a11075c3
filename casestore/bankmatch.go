package casestore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// A credit on the agency's account finds its case by, in this order:
// the case's payment reference (PaymentReference) in the structured
// reference or the free text; else a dossier number in the free text.
// Amount and name are never enough to book: they only suggest a case to
// the collector who assigns the line.

var (
	structuredRe = regexp.MustCompile(`(?:\+\+\+|\*\*\*)?\s*\d{3}\s*/\s*\d{4}\s*/\s*\d{5}\s*(?:\+\+\+|\*\*\*)?`)
	kenmerkRe    = regexp.MustCompile(`\b\d{4}[ .]?\d{4}[ .]?\d{4}[ .]?\d{4}\b`)
	dossierRe    = regexp.MustCompile(`(?i)\bIB-\d{4}-\d{6}\b`)
)

// LineMatch is how a statement line was matched.
type LineMatch struct {
	CaseID int64
	By     string // "reference" or "dossier number"; "" when unmatched
	// Reason says why it was not matched, for the collector.
	Reason string
	// Suggested is a case whose open balance is the amount and whose
	// debtor's name contains the payer's; 0 when none or several.
	Suggested int64
}

// MatchStatementLine finds the case of a credit of amount from payer name
// with structured reference ref and free text remittance.
func MatchStatementLine(ctx context.Context, tx Tx, ref, remittance, name string, amount decimal.Decimal, today time.Time) (LineMatch, error) {
	ids := referencedCases(ref, remittance)
	known, err := existing(ctx, tx, ids)
	if err != nil {
		return LineMatch{}, err
	}
	switch len(known) {
	case 1:
		return LineMatch{CaseID: known[0], By: "reference"}, nil
	case 0:
	default:
		return LineMatch{Reason: fmt.Sprintf("ambiguous: the payment references name %d cases", len(known))}, nil
	}
	var byRef []int64
	for _, r := range dossierRe.FindAllString(remittance+" "+ref, -1) {
		c, err := tx.CaseByRef(ctx, r)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return LineMatch{}, err
		}
		if !slices.Contains(byRef, c.ID) {
			byRef = append(byRef, c.ID)
		}
	}
	switch len(byRef) {
	case 1:
		return LineMatch{CaseID: byRef[0], By: "dossier number"}, nil
	case 0:
	default:
		return LineMatch{Reason: fmt.Sprintf("ambiguous: the text names %d dossiers", len(byRef))}, nil
	}
	m := LineMatch{Reason: "no payment reference or dossier number"}
	m.Suggested, err = suggest(ctx, tx, name, amount, today)
	return m, err
}

// referencedCases are the case ids the valid references in the texts name.
func referencedCases(ref, remittance string) []int64 {
	var ids []int64
	add := func(id int64, ok bool) {
		if ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	add(ParseBetalingskenmerk(ref))
	add(ParseStructuredCommunication(ref))
	for _, s := range structuredRe.FindAllString(remittance, -1) {
		add(ParseStructuredCommunication(s))
	}
	for _, s := range kenmerkRe.FindAllString(remittance, -1) {
		add(ParseBetalingskenmerk(s))
	}
	return ids
}

func existing(ctx context.Context, tx Tx, ids []int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		_, err := tx.Case(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}

// suggest is the one case whose debtor's name contains the payer's and
// whose open balance today is the amount; 0 when none or several.
func suggest(ctx context.Context, tx Tx, name string, amount decimal.Decimal, today time.Time) (int64, error) {
	name = strings.TrimSpace(name)
	if len(name) < 3 {
		return 0, nil
	}
	page, err := tx.CasesIn(ctx, EveryCreditor(), CaseQuery{Search: name, Limit: 20})
	if err != nil {
		return 0, err
	}
	var found int64
	for _, c := range page.Cases {
		b, err := Balance(c.Case, today)
		if err != nil || !RoundCents(b.Total.Open).Equal(amount) {
			continue
		}
		if found != 0 {
			return 0, nil
		}
		found = c.Case.ID
	}
	return found, nil
}
