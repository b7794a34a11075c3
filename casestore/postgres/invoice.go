package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// validAmount refuses what NUMERIC(14,2) would silently round or refuse:
// amounts are positive and in whole cents.
func validAmount(what string, d decimal.Decimal) error {
	if !d.IsPositive() {
		return invalid("%s: amount %s must be positive", what, d)
	}
	if !d.Equal(d.Round(2)) {
		return invalid("%s: amount %s has more than two decimals", what, d)
	}
	if d.GreaterThanOrEqual(decimal.New(1, 12)) {
		return invalid("%s: amount %s is too large", what, d)
	}
	return nil
}

func (t *txn) SetInvoiceStatus(ctx context.Context, invoiceID int64, s casestore.InvoiceStatus) error {
	if !s.Valid() {
		return invalid("invoice %d: unknown status %q", invoiceID, s)
	}
	// The case changed with its invoice: its UpdatedAt says so.
	var caseID int64
	err := t.tx.QueryRow(ctx, `
		WITH inv AS (UPDATE invoices SET status = $2 WHERE id = $1 RETURNING case_id)
		UPDATE cases SET updated_at = $3 FROM inv WHERE cases.id = inv.case_id RETURNING cases.id`,
		invoiceID, s, t.now()).Scan(&caseID)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("invoice %d: set status", invoiceID))
	}
	return nil
}

func (t *txn) AddPayment(ctx context.Context, p *casestore.Payment) error {
	if err := validAmount(fmt.Sprintf("payment on case %d", p.CaseID), p.Amount); err != nil {
		return err
	}
	if p.ValueDate.IsZero() {
		return invalid("payment on case %d: value date is missing", p.CaseID)
	}
	now := t.now()
	// Selecting the case (and the invoice within it) turns an unknown one
	// into "no row", ErrNotFound, without aborting an InTx.
	err := t.tx.QueryRow(ctx, `
		INSERT INTO payments (case_id, invoice_id, amount, value_date, reference, created_at)
		SELECT c.id, $2, $3, $4, $5, $6 FROM cases c
		WHERE c.id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM invoices WHERE id = $2 AND case_id = c.id))
		RETURNING id`,
		p.CaseID, p.InvoiceID, p.Amount, day(p.ValueDate), p.Reference, now,
	).Scan(&p.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		if p.InvoiceID != nil {
			return notFound("payment: case %d or its invoice %d", p.CaseID, *p.InvoiceID)
		}
		return notFound("payment: case %d", p.CaseID)
	}
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("payment on case %d", p.CaseID))
	}
	p.CreatedAt = now
	return nil
}
