package postgres

import (
	"context"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
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

func (t *txn) SetInvoiceDocument(ctx context.Context, invoiceID, mediaID int64) error {
	tag, err := t.tx.Exec(ctx, `
		UPDATE invoices i SET document_media_id = $2
		WHERE i.id = $1 AND EXISTS (SELECT 1 FROM media m WHERE m.id = $2 AND m.case_id = i.case_id)`,
		invoiceID, mediaID)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("invoice %d: set document", invoiceID))
	}
	if tag.RowsAffected() == 0 {
		return invoiceDocumentMissing(ctx, t, invoiceID, mediaID)
	}
	return nil
}

// invoiceDocumentMissing says why SetInvoiceDocument changed nothing.
func invoiceDocumentMissing(ctx context.Context, t *txn, invoiceID, mediaID int64) error {
	var exists bool
	if err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM invoices WHERE id = $1)`, invoiceID).Scan(&exists); err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("invoice %d: set document", invoiceID))
	}
	if !exists {
		return notFound("invoice %d", invoiceID)
	}
	return invalid("invoice %d: file %d is not one of its case", invoiceID, mediaID)
}
