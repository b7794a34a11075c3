package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

func (t *txn) PutCase(ctx context.Context, c *casestore.Case) (bool, error) {
	if err := c.Validate(); err != nil {
		return false, err
	}
	if err := t.mustExist(ctx, fmt.Sprintf("case %s: creditor %d", c.Ref, c.CreditorID),
		`SELECT 1 FROM creditors WHERE id = ?`, c.CreditorID); err != nil {
		return false, asInvalid(err)
	}
	if err := t.mustExist(ctx, fmt.Sprintf("case %s: debtor %d of creditor %d", c.Ref, c.DebtorID, c.CreditorID),
		`SELECT 1 FROM debtors WHERE id = ? AND creditor_id = ?`, c.DebtorID, c.CreditorID); err != nil {
		return false, asInvalid(err)
	}
	now := encInstant(t.now())
	p := c.Policy
	args := []any{c.CreditorID, c.DebtorID, string(c.Regime), string(c.Stage), string(c.Status), encOptDay(c.LetterSentOn),
		p.MaxTerms, encMoney(p.MinInstallment), encMoney(p.DownPaymentPct), p.InterestDuringPlan, p.MaxPromiseDays,
		casestore.EncodeDamagesClause(c.Clause), now}

	var id int64
	var createdAt string
	err := t.tx.QueryRowContext(ctx, `SELECT id, created_at FROM cases WHERE ref = ?`, c.Ref).Scan(&id, &createdAt)
	created := errors.Is(err, sql.ErrNoRows)
	switch {
	case created:
		err = t.tx.QueryRowContext(ctx, `
			INSERT INTO cases (creditor_id, debtor_id, regime, stage, status, letter_sent_on, policy_max_terms,
				policy_min_installment, policy_down_payment_pct, policy_interest_during_plan, policy_max_promise_days,
				damages_clause, updated_at, ref, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, created_at`,
			append(args, c.Ref, now)...).Scan(&id, &createdAt)
	case err == nil:
		// The stored spelling of the dossier number is kept.
		_, err = t.tx.ExecContext(ctx, `
			UPDATE cases SET creditor_id = ?, debtor_id = ?, regime = ?, stage = ?, status = ?, letter_sent_on = ?,
				policy_max_terms = ?, policy_min_installment = ?, policy_down_payment_pct = ?,
				policy_interest_during_plan = ?, policy_max_promise_days = ?, damages_clause = ?, updated_at = ?
			WHERE id = ?`, append(args, id)...)
	}
	if err != nil {
		return false, fmt.Errorf("sqlite: put case %s: %w", c.Ref, translate(err))
	}
	if err := t.putInvoices(ctx, id, c.Invoices); err != nil {
		return false, fmt.Errorf("case %s: %w", c.Ref, err)
	}
	c.ID = id
	var d decoder
	c.CreatedAt, c.UpdatedAt = d.instant(createdAt), d.instant(now)
	return created, d.err
}

// asInvalid reports a reference to a missing creditor or debtor as bad
// input of the case being put, not as the case being missing.
func asInvalid(err error) error {
	if errors.Is(err, casestore.ErrNotFound) {
		return fmt.Errorf("%v: %w", err, casestore.ErrInvalid)
	}
	return err
}

// putInvoices adds new invoices and updates known ones, matched by number;
// invoices left out of invs stay as they are.
func (t *txn) putInvoices(ctx context.Context, caseID int64, invs []casestore.Invoice) error {
	for i := range invs {
		inv := &invs[i]
		if inv.Status == "" {
			inv.Status = casestore.InvoiceOpen
		}
		err := t.tx.QueryRowContext(ctx, `
			INSERT INTO invoices (case_id, number, description, issue_date, due_date, principal, status)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (case_id, number) DO UPDATE SET description = excluded.description,
				issue_date = excluded.issue_date, due_date = excluded.due_date,
				principal = excluded.principal, status = excluded.status
			RETURNING id`,
			caseID, inv.Number, inv.Description, encDay(inv.IssueDate), encDay(inv.DueDate),
			encMoney(inv.Principal), string(inv.Status)).Scan(&inv.ID)
		if err != nil {
			return fmt.Errorf("sqlite: put invoice %s: %w", inv.Number, translate(err))
		}
		inv.CaseID = caseID
	}
	return nil
}

const caseColumns = `id, ref, creditor_id, debtor_id, regime, stage, status, letter_sent_on, policy_max_terms,
	policy_min_installment, policy_down_payment_pct, policy_interest_during_plan, policy_max_promise_days,
	created_at, updated_at, damages_clause,
	(SELECT MAX(p.created_at) FROM plans p WHERE p.case_id = cases.id AND p.status = 'active')`

// loadCase reads one case row (selected by where) and fills it.
func (t *txn) loadCase(ctx context.Context, what, where string, arg any) (*casestore.Case, error) {
	var c casestore.Case
	var letter, planAgreed sql.NullString
	var minInst, downPct, createdAt, updatedAt, clause string
	err := t.tx.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM cases WHERE `+where, arg).Scan(
		&c.ID, &c.Ref, &c.CreditorID, &c.DebtorID, &c.Regime, &c.Stage, &c.Status, &letter,
		&c.Policy.MaxTerms, &minInst, &downPct, &c.Policy.InterestDuringPlan, &c.Policy.MaxPromiseDays,
		&createdAt, &updatedAt, &clause, &planAgreed)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", what, translate(err))
	}
	var d decoder
	c.LetterSentOn = d.optDay(letter)
	c.Policy.MinInstallment = d.money(minInst)
	c.Policy.DownPaymentPct = d.money(downPct)
	c.CreatedAt, c.UpdatedAt = d.instant(createdAt), d.instant(updatedAt)
	if planAgreed.Valid {
		day := casestore.DayOf(d.instant(planAgreed.String))
		c.PlanAgreedOn = &day
	}
	if d.err != nil {
		return nil, d.err
	}
	if c.Clause, err = casestore.DecodeDamagesClause(clause); err != nil {
		return nil, err
	}
	return &c, t.fillCase(ctx, &c)
}

// fillCase adds what Balance needs: creditor, debtor, invoices, payments.
func (t *txn) fillCase(ctx context.Context, c *casestore.Case) error {
	cr, err := t.Creditor(ctx, c.CreditorID)
	if err != nil {
		return err
	}
	db, err := t.Debtor(ctx, c.DebtorID)
	if err != nil {
		return err
	}
	c.Creditor, c.Debtor = *cr, *db
	if c.Invoices, err = t.invoices(ctx, c.ID); err != nil {
		return err
	}
	c.Payments, err = t.payments(ctx, c.ID)
	return err
}

func (t *txn) invoices(ctx context.Context, caseID int64) ([]casestore.Invoice, error) {
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, number, description, issue_date, due_date, principal, status, COALESCE(document_media_id, 0)
		FROM invoices WHERE case_id = ? ORDER BY due_date, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: invoices of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []casestore.Invoice
	for rows.Next() {
		inv := casestore.Invoice{CaseID: caseID}
		var issue, due, principal string
		if err := rows.Scan(&inv.ID, &inv.Number, &inv.Description, &issue, &due, &principal, &inv.Status, &inv.DocumentID); err != nil {
			return nil, err
		}
		var d decoder
		inv.IssueDate, inv.DueDate, inv.Principal = d.day(issue), d.day(due), d.money(principal)
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, inv)
	}
	return out, rows.Err()
}

func (t *txn) Case(ctx context.Context, id int64) (*casestore.Case, error) {
	return t.loadCase(ctx, fmt.Sprint(id), `id = ?`, id)
}

// CaseByRef relies on the NOCASE collation of cases.ref.
func (t *txn) CaseByRef(ctx context.Context, ref string) (*casestore.Case, error) {
	return t.loadCase(ctx, fmt.Sprintf("%q", ref), `ref = ?`, ref)
}

// casesWhere loads the cases whose ids query selects, in its order.
func (t *txn) casesWhere(ctx context.Context, query string, args ...any) ([]*casestore.Case, error) {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list cases: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*casestore.Case, 0, len(ids))
	for _, id := range ids {
		c, err := t.Case(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (t *txn) CasesByPhone(ctx context.Context, e164 string) ([]*casestore.Case, error) {
	return t.casesWhere(ctx, `
		SELECT id FROM cases
		WHERE debtor_id IN (SELECT debtor_id FROM debtor_phones WHERE e164 = ?)
		ORDER BY created_at DESC, id DESC`, e164)
}

func (t *txn) Cases(ctx context.Context, f casestore.CaseFilter) ([]*casestore.Case, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	return t.casesWhere(ctx, `
		SELECT id FROM cases
		WHERE (? = 0 OR creditor_id = ?) AND (? = '' OR status = ?) AND (? = '' OR stage = ?)
			AND (? = '' OR debtor_id IN (SELECT id FROM debtors WHERE email <> '' AND lower(email) = lower(?)))
		ORDER BY ref, id LIMIT ? OFFSET ?`,
		f.CreditorID, f.CreditorID, string(f.Status), string(f.Status), string(f.Stage), string(f.Stage),
		f.DebtorEmail, f.DebtorEmail, limit, max(f.Offset, 0))
}

func (t *txn) SetCaseStatus(ctx context.Context, caseID int64, s casestore.Status) error {
	if !s.Valid() {
		return fmt.Errorf("case %d: unknown status %q: %w", caseID, s, casestore.ErrInvalid)
	}
	res, err := t.exec(ctx, "set case status", `UPDATE cases SET status = ?, updated_at = ? WHERE id = ?`,
		string(s), encInstant(t.now()), caseID)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("case %d", caseID))
}

func (t *txn) SetInvoiceStatus(ctx context.Context, invoiceID int64, s casestore.InvoiceStatus) error {
	if !s.Valid() {
		return fmt.Errorf("invoice %d: unknown status %q: %w", invoiceID, s, casestore.ErrInvalid)
	}
	res, err := t.exec(ctx, "set invoice status", `UPDATE invoices SET status = ? WHERE id = ?`, string(s), invoiceID)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("invoice %d", invoiceID))
}

func (t *txn) SetInvoiceDocument(ctx context.Context, invoiceID, mediaID int64) error {
	res, err := t.exec(ctx, "set invoice document", `
		UPDATE invoices SET document_media_id = ?
		WHERE id = ? AND EXISTS (SELECT 1 FROM media m WHERE m.id = ? AND m.case_id = invoices.case_id)`,
		mediaID, invoiceID, mediaID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var exists int
	if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM invoices WHERE id = ?`, invoiceID).Scan(&exists); err != nil {
		return fmt.Errorf("sqlite: invoice %d: %w", invoiceID, translate(err))
	}
	if exists == 0 {
		return fmt.Errorf("invoice %d: %w", invoiceID, casestore.ErrNotFound)
	}
	return fmt.Errorf("invoice %d: file %d is not one of its case: %w", invoiceID, mediaID, casestore.ErrInvalid)
}
