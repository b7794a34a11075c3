package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

func (s *Store) AddBankLine(ctx context.Context, b *casestore.BankLine) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddBankLine(ctx, b) })
}

func (s *Store) BankLines(ctx context.Context, st casestore.BankLineStatus, limit int) ([]*casestore.BankLine, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.BankLine, error) { return t.BankLines(ctx, st, limit) })
}

func (s *Store) BankLine(ctx context.Context, id int64) (*casestore.BankLine, error) {
	return get(ctx, s, func(t *txn) (*casestore.BankLine, error) { return t.BankLine(ctx, id) })
}

func (s *Store) AssignBankLine(ctx context.Context, id, caseID, paymentID int64, at time.Time) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AssignBankLine(ctx, id, caseID, paymentID, at) })
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (t *txn) AddBankLine(ctx context.Context, b *casestore.BankLine) error {
	if err := b.Validate(); err != nil {
		return err
	}
	now := t.now()
	err := t.tx.QueryRow(ctx, `
		INSERT INTO bank_lines (entry_ref, booked_on, amount, name, iban, remittance, reason, suggested_case_id, status, imported_at)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'open', $9
		WHERE $8::bigint IS NULL OR EXISTS (SELECT 1 FROM cases WHERE id = $8)
		ON CONFLICT (entry_ref) DO NOTHING RETURNING id`,
		b.EntryRef, day(b.BookedOn), b.Amount, b.Name, b.IBAN, b.Remittance, b.Reason, optID(b.SuggestedCaseID), now,
	).Scan(&b.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		if b.SuggestedCaseID != 0 {
			if err := t.caseExists(ctx, b.SuggestedCaseID); err != nil {
				return fmt.Errorf("bank line %s: suggested %w", b.EntryRef, err)
			}
		}
		return fmt.Errorf("bank line %s: queued before: %w", b.EntryRef, casestore.ErrConflict)
	}
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "bank line "+b.EntryRef)
	}
	b.Status, b.ImportedAt = casestore.BankLineOpen, now
	return nil
}

const bankLineColumns = `id, entry_ref, booked_on, amount, name, iban, remittance, reason, coalesce(suggested_case_id, 0),
	status, coalesce(case_id, 0), coalesce(payment_id, 0), imported_at, resolved_at`

func scanBankLine(row pgx.Row) (*casestore.BankLine, error) {
	var b casestore.BankLine
	var status string
	err := row.Scan(&b.ID, &b.EntryRef, &b.BookedOn, &b.Amount, &b.Name, &b.IBAN, &b.Remittance, &b.Reason, &b.SuggestedCaseID,
		&status, &b.CaseID, &b.PaymentID, &b.ImportedAt, &b.ResolvedAt)
	b.Status, b.ImportedAt = casestore.BankLineStatus(status), b.ImportedAt.UTC()
	if b.ResolvedAt != nil {
		at := b.ResolvedAt.UTC()
		b.ResolvedAt = &at
	}
	return &b, err
}

func (t *txn) BankLines(ctx context.Context, st casestore.BankLineStatus, limit int) ([]*casestore.BankLine, error) {
	if limit < 0 {
		return nil, invalid("bank lines: limit %d is negative", limit)
	}
	if limit == 0 {
		limit = 100
	}
	rows, err := t.tx.Query(ctx, `SELECT `+bankLineColumns+` FROM bank_lines WHERE status = $1 ORDER BY id LIMIT $2`, string(st), limit)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "bank lines")
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.BankLine, error) { return scanBankLine(row) })
}

func (t *txn) BankLine(ctx context.Context, id int64) (*casestore.BankLine, error) {
	b, err := scanBankLine(t.tx.QueryRow(ctx, `SELECT `+bankLineColumns+` FROM bank_lines WHERE id = $1`, id))
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("bank line %d", id))
	}
	return b, nil
}

func (t *txn) AssignBankLine(ctx context.Context, id, caseID, paymentID int64, at time.Time) error {
	if at.IsZero() {
		at = t.now()
	}
	tag, err := t.tx.Exec(ctx, `
		UPDATE bank_lines SET status = 'assigned', case_id = $2, payment_id = $3, resolved_at = $4
		WHERE id = $1 AND status = 'open'
		AND EXISTS (SELECT 1 FROM cases WHERE id = $2) AND EXISTS (SELECT 1 FROM payments WHERE id = $3 AND case_id = $2)`,
		id, caseID, paymentID, at.UTC())
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("assign bank line %d", id))
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	b, err := t.BankLine(ctx, id)
	if err != nil {
		return err
	}
	if b.Status != casestore.BankLineOpen {
		return fmt.Errorf("bank line %d: already %s: %w", id, b.Status, casestore.ErrConflict)
	}
	return notFound("bank line %d: case %d or its payment %d", id, caseID, paymentID)
}
