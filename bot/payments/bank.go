package payments

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/incassobot/incassobot/casestore/bankfile"
)

// BankSummary is what a statement import did.
type BankSummary struct {
	Booked   int                // payments recorded on their case
	Seen     int                // imported before: nothing done
	Queued   int                // to the console's queue: no (or an ambiguous) reference
	Debits   int                // money out: never a payment
	Problems []bankfile.Problem // lines refused, with why
}

// ImportStatement books a statement's credits, each line in a transaction
// of its own: matched by casestore.MatchStatementLine and recorded (and
// thanked) as a payment of source bank under the bank's entry reference,
// or queued for a collector. A line seen before, booked or queued, does
// nothing, so a statement can be imported again safely. progress, when
// set, is told after every line.
func ImportStatement(ctx context.Context, st casestore.Store, lines []bankfile.Line, now time.Time, progress func(done, total int)) (BankSummary, error) {
	var sum BankSummary
	for i, l := range lines {
		if progress != nil {
			progress(i, len(lines))
		}
		if !l.Credit {
			sum.Debits++
			continue
		}
		if l.Currency != "" && l.Currency != "EUR" {
			sum.Problems = append(sum.Problems, bankfile.Problem{Line: l.Line, Reason: fmt.Sprintf("currency %s: only EUR is booked", l.Currency)})
			continue
		}
		var outcome string
		err := st.InTx(ctx, func(tx casestore.Tx) (err error) {
			outcome, err = importLine(ctx, tx, l, now)
			return err
		})
		var invalid error
		switch {
		case errors.Is(err, casestore.ErrInvalid):
			invalid = err
		case err != nil:
			return sum, fmt.Errorf("line %d: %w", l.Line, err)
		}
		switch {
		case invalid != nil:
			sum.Problems = append(sum.Problems, bankfile.Problem{Line: l.Line, Reason: invalid.Error()})
		case outcome == "booked":
			sum.Booked++
		case outcome == "queued":
			sum.Queued++
		default:
			sum.Seen++
		}
	}
	if progress != nil {
		progress(len(lines), len(lines))
	}
	return sum, nil
}

func importLine(ctx context.Context, tx casestore.Tx, l bankfile.Line, now time.Time) (string, error) {
	if _, err := tx.PaymentByExternalID(ctx, casestore.SourceBank, l.EntryRef); err == nil {
		return "seen", nil
	} else if !errors.Is(err, casestore.ErrNotFound) {
		return "", err
	}
	m, err := casestore.MatchStatementLine(ctx, tx, l.Reference, l.Remittance, l.Name, l.Amount, casestore.DayOf(now))
	if err != nil {
		return "", err
	}
	if m.CaseID != 0 {
		res, err := Record(ctx, tx, casestore.IncomingPayment{CaseID: m.CaseID, Amount: l.Amount, ValueDate: l.ValueDate,
			Source: casestore.SourceBank, ExternalID: l.EntryRef, Reference: remittanceOf(l), Actor: casestore.ActorImport, Channel: "bank"}, "", now)
		if err != nil || res.Duplicate {
			return "seen", err
		}
		return "booked", nil
	}
	b := casestore.BankLine{EntryRef: l.EntryRef, BookedOn: l.BookedOn, Amount: l.Amount, Name: l.Name, IBAN: l.IBAN,
		Remittance: remittanceOf(l), Reason: m.Reason, SuggestedCaseID: m.Suggested}
	err = tx.AddBankLine(ctx, &b)
	if errors.Is(err, casestore.ErrConflict) {
		return "seen", nil
	}
	return "queued", err
}

func remittanceOf(l bankfile.Line) string {
	return strings.TrimSpace(strings.Join([]string{l.Reference, l.Remittance}, " "))
}

// AssignBankLine books queued line id on case ref as the collector's
// payment (Record, thanked like any), in tx. ErrNotFound for an unknown
// line or case; ErrConflict if the line was assigned meanwhile.
func AssignBankLine(ctx context.Context, tx casestore.Tx, id int64, ref string, actor casestore.Actor, note string, now time.Time) (Result, error) {
	b, err := tx.BankLine(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if b.Status != casestore.BankLineOpen {
		return Result{}, fmt.Errorf("bank line %d: already assigned: %w", id, casestore.ErrConflict)
	}
	c, err := tx.CaseByRef(ctx, ref)
	if err != nil {
		return Result{}, err
	}
	res, err := Record(ctx, tx, casestore.IncomingPayment{CaseID: c.ID, Amount: b.Amount, ValueDate: b.BookedOn,
		Source: casestore.SourceBank, ExternalID: b.EntryRef, Reference: b.Remittance, Actor: actor, Channel: "console"}, note, now)
	if err != nil {
		return Result{}, err
	}
	if res.Duplicate {
		return Result{}, fmt.Errorf("bank line %d: its entry was booked meanwhile: %w", id, casestore.ErrConflict)
	}
	return res, tx.AssignBankLine(ctx, id, c.ID, res.Payment.ID, now)
}
