package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// validateCase adds to Case.Validate what the schema would otherwise
// refuse half-way through a transaction.
func validateCase(c *casestore.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	p := c.Policy
	switch {
	case p.MaxTerms < 0 || p.MaxPromiseDays < 0:
		return invalid("case %s: plan policy has a negative number of terms or days", c.Ref)
	case p.MinInstallment.IsNegative() || !p.MinInstallment.Equal(p.MinInstallment.Round(2)):
		return invalid("case %s: minimum installment %s is negative or not in cents", c.Ref, p.MinInstallment)
	case p.DownPaymentPct.IsNegative() || p.DownPaymentPct.GreaterThan(decimal.NewFromInt(1)):
		return invalid("case %s: down payment share %s is not between 0 and 1", c.Ref, p.DownPaymentPct)
	}
	seen := make(map[string]bool, len(c.Invoices))
	for _, inv := range c.Invoices {
		if seen[inv.Number] {
			return invalid("case %s: invoice %s appears twice", c.Ref, inv.Number)
		}
		seen[inv.Number] = true
	}
	return nil
}

func (t *txn) PutCase(ctx context.Context, c *casestore.Case) (created bool, err error) {
	if err := validateCase(c); err != nil {
		return false, err
	}
	now := t.now()
	p := c.Policy
	// Selecting from creditors and debtors turns an unknown party into "no
	// row" rather than a foreign key error that would abort an InTx.
	// xmax = 0 only on a row this statement inserted. The dossier number
	// keeps the spelling it was first stored with.
	err = t.tx.QueryRow(ctx, `
		INSERT INTO cases (ref, creditor_id, debtor_id, regime, stage, status, letter_sent_on,
			policy_max_terms, policy_min_installment, policy_down_payment_pct,
			policy_interest_during_plan, policy_max_promise_days, created_at, updated_at, damages_clause)
		SELECT $1, cr.id, d.id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14
		FROM creditors cr, debtors d WHERE cr.id = $2 AND d.id = $3 AND d.creditor_id = cr.id
		ON CONFLICT (lower(ref)) DO UPDATE SET creditor_id = EXCLUDED.creditor_id, debtor_id = EXCLUDED.debtor_id,
			regime = EXCLUDED.regime, stage = EXCLUDED.stage, status = EXCLUDED.status,
			letter_sent_on = EXCLUDED.letter_sent_on,
			policy_max_terms = EXCLUDED.policy_max_terms,
			policy_min_installment = EXCLUDED.policy_min_installment,
			policy_down_payment_pct = EXCLUDED.policy_down_payment_pct,
			policy_interest_during_plan = EXCLUDED.policy_interest_during_plan,
			policy_max_promise_days = EXCLUDED.policy_max_promise_days,
			damages_clause = EXCLUDED.damages_clause,
			updated_at = EXCLUDED.updated_at
		RETURNING id, created_at, updated_at, xmax = 0`,
		c.Ref, c.CreditorID, c.DebtorID, c.Regime, c.Stage, c.Status, optDay(c.LetterSentOn),
		p.MaxTerms, p.MinInstallment, p.DownPaymentPct, p.InterestDuringPlan, p.MaxPromiseDays, now,
		casestore.EncodeDamagesClause(c.Clause),
	).Scan(&c.ID, &c.CreatedAt, &c.UpdatedAt, &created)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, invalid("case %s: creditor %d or debtor %d does not exist, or the debtor is another creditor's", c.Ref, c.CreditorID, c.DebtorID)
	}
	if err != nil {
		return false, dbError(err, casestore.ErrInvalid, "put case "+c.Ref)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if err := t.putInvoices(ctx, c); err != nil {
		return false, err
	}
	return created, nil
}

// putInvoices adds or updates c's invoices by number, in one round trip.
// An invoice given without a status keeps the one it has ("open" when new).
func (t *txn) putInvoices(ctx context.Context, c *casestore.Case) error {
	if len(c.Invoices) == 0 {
		return nil
	}
	// Rows are locked in number order, so two imports of one case at once
	// wait for each other instead of deadlocking.
	order := make([]int, len(c.Invoices))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return c.Invoices[order[a]].Number < c.Invoices[order[b]].Number })

	batch := &pgx.Batch{}
	for _, i := range order {
		inv := &c.Invoices[i]
		batch.Queue(`
			INSERT INTO invoices (case_id, number, description, issue_date, due_date, principal, status)
			VALUES ($1, $2, $3, $4, $5, $6, COALESCE(NULLIF($7, ''), 'open'))
			ON CONFLICT (case_id, number) DO UPDATE SET description = EXCLUDED.description,
				issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date,
				principal = EXCLUDED.principal,
				status = COALESCE(NULLIF($7, ''), invoices.status)
			RETURNING id, status`,
			c.ID, inv.Number, inv.Description, day(inv.IssueDate), day(inv.DueDate), inv.Principal, string(inv.Status),
		).QueryRow(func(row pgx.Row) error {
			inv.CaseID = c.ID
			return row.Scan(&inv.ID, &inv.Status)
		})
	}
	if err := t.tx.SendBatch(ctx, batch).Close(); err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("put case %s: invoices", c.Ref))
	}
	return nil
}

func (t *txn) Case(ctx context.Context, id int64) (*casestore.Case, error) {
	c, err := t.loadCase(ctx, `c.id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("case %d: %w", id, err)
	}
	return c, nil
}

func (t *txn) CaseByRef(ctx context.Context, ref string) (*casestore.Case, error) {
	c, err := t.loadCase(ctx, `lower(c.ref) = lower($1)`, ref)
	if err != nil {
		return nil, fmt.Errorf("case %q: %w", ref, err)
	}
	return c, nil
}

func (t *txn) CasesByPhone(ctx context.Context, number string) ([]*casestore.Case, error) {
	return t.casesByPhone(ctx, number)
}

func (t *txn) Cases(ctx context.Context, f casestore.CaseFilter) ([]*casestore.Case, error) {
	switch {
	case f.Status != "" && !f.Status.Valid():
		return nil, invalid("cases: unknown status %q", f.Status)
	case f.Stage != "" && !f.Stage.Valid():
		return nil, invalid("cases: unknown stage %q", f.Stage)
	case f.Limit < 0 || f.Offset < 0:
		return nil, invalid("cases: negative limit or offset")
	}
	limit := f.Limit
	if limit == 0 {
		limit = 100
	}
	return t.loadCases(ctx, `
		WHERE ($1::bigint = 0 OR c.creditor_id = $1) AND ($2::text = '' OR c.status = $2) AND ($3::text = '' OR c.stage = $3)
			AND ($6::text = '' OR (d.email <> '' AND lower(d.email) = lower($6)))
		ORDER BY c.ref, c.id LIMIT $4 OFFSET $5`,
		f.CreditorID, string(f.Status), string(f.Stage), limit, f.Offset, f.DebtorEmail)
}

func (t *txn) SetCaseStatus(ctx context.Context, caseID int64, s casestore.Status) error {
	if !s.Valid() {
		return invalid("case %d: unknown status %q", caseID, s)
	}
	tag, err := t.tx.Exec(ctx, `UPDATE cases SET status = $2, updated_at = $3 WHERE id = $1`, caseID, s, t.now())
	if err != nil {
		return dbError(err, casestore.ErrInvalid, fmt.Sprintf("case %d: set status", caseID))
	}
	if tag.RowsAffected() == 0 {
		return notFound("case %d", caseID)
	}
	return nil
}
