package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func (s *Store) AddBankLine(ctx context.Context, b *casestore.BankLine) error {
	return s.write(ctx, func(t *txn) error { return t.AddBankLine(ctx, b) })
}

func (s *Store) BankLines(ctx context.Context, st casestore.BankLineStatus, limit int) (bs []*casestore.BankLine, err error) {
	err = s.read(ctx, func(t *txn) error { bs, err = t.BankLines(ctx, st, limit); return err })
	return bs, err
}

func (s *Store) BankLine(ctx context.Context, id int64) (b *casestore.BankLine, err error) {
	err = s.read(ctx, func(t *txn) error { b, err = t.BankLine(ctx, id); return err })
	return b, err
}

func (s *Store) AssignBankLine(ctx context.Context, id, caseID, paymentID int64, at time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.AssignBankLine(ctx, id, caseID, paymentID, at) })
}

func encOptCase(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (t *txn) AddBankLine(ctx context.Context, b *casestore.BankLine) error {
	if err := b.Validate(); err != nil {
		return err
	}
	if b.SuggestedCaseID != 0 {
		if err := t.caseExists(ctx, b.SuggestedCaseID); err != nil {
			return fmt.Errorf("bank line %s: suggested %w", b.EntryRef, err)
		}
	}
	now := t.now()
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO bank_lines (entry_ref, booked_on, amount, name, iban, remittance, reason, suggested_case_id, status, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
		ON CONFLICT (entry_ref) DO NOTHING RETURNING id`,
		b.EntryRef, encDay(b.BookedOn), encMoney(b.Amount), b.Name, b.IBAN, b.Remittance, b.Reason, encOptCase(b.SuggestedCaseID), encInstant(now),
	).Scan(&b.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("bank line %s: queued before: %w", b.EntryRef, casestore.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: add bank line: %w", translate(err))
	}
	b.Status, b.ImportedAt = casestore.BankLineOpen, now
	return nil
}

const bankLineColumns = `id, entry_ref, booked_on, amount, name, iban, remittance, reason, coalesce(suggested_case_id, 0),
	status, coalesce(case_id, 0), coalesce(payment_id, 0), imported_at, resolved_at`

func scanBankLine(row interface{ Scan(...any) error }) (*casestore.BankLine, error) {
	var b casestore.BankLine
	var booked, amount, status, imported string
	var resolved sql.NullString
	if err := row.Scan(&b.ID, &b.EntryRef, &booked, &amount, &b.Name, &b.IBAN, &b.Remittance, &b.Reason, &b.SuggestedCaseID,
		&status, &b.CaseID, &b.PaymentID, &imported, &resolved); err != nil {
		return nil, err
	}
	var d decoder
	b.Status = casestore.BankLineStatus(status)
	b.BookedOn, b.Amount, b.ImportedAt, b.ResolvedAt = d.day(booked), d.money(amount), d.instant(imported), d.optInstant(resolved)
	return &b, d.err
}

func (t *txn) BankLines(ctx context.Context, st casestore.BankLineStatus, limit int) ([]*casestore.BankLine, error) {
	if limit < 0 {
		return nil, fmt.Errorf("bank lines: limit %d is negative: %w", limit, casestore.ErrInvalid)
	}
	if limit == 0 {
		limit = 100
	}
	rows, err := t.tx.QueryContext(ctx, `SELECT `+bankLineColumns+` FROM bank_lines WHERE status = ? ORDER BY id LIMIT ?`, string(st), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: bank lines: %w", err)
	}
	defer rows.Close()
	var out []*casestore.BankLine
	for rows.Next() {
		b, err := scanBankLine(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (t *txn) BankLine(ctx context.Context, id int64) (*casestore.BankLine, error) {
	b, err := scanBankLine(t.tx.QueryRowContext(ctx, `SELECT `+bankLineColumns+` FROM bank_lines WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("bank line %d: %w", id, translate(err))
	}
	return b, nil
}

func (t *txn) AssignBankLine(ctx context.Context, id, caseID, paymentID int64, at time.Time) error {
	b, err := t.BankLine(ctx, id)
	if err != nil {
		return err
	}
	if b.Status != casestore.BankLineOpen {
		return fmt.Errorf("bank line %d: already %s: %w", id, b.Status, casestore.ErrConflict)
	}
	if err := t.mustExist(ctx, fmt.Sprintf("payment %d of case %d", paymentID, caseID),
		`SELECT 1 FROM payments WHERE id = ? AND case_id = ?`, paymentID, caseID); err != nil {
		return err
	}
	if at.IsZero() {
		at = t.now()
	}
	_, err = t.exec(ctx, "assign bank line", `UPDATE bank_lines SET status = 'assigned', case_id = ?, payment_id = ?, resolved_at = ? WHERE id = ?`,
		caseID, paymentID, encInstant(at), id)
	return err
}
