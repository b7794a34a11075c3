package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// caseSelect reads a case with its creditor and debtor in one row; a
// caller appends WHERE / ORDER BY over the aliases c, cr and d.
const caseSelect = `
	SELECT c.id, c.ref, c.creditor_id, c.debtor_id, c.regime, c.stage, c.status, c.letter_sent_on,
		c.policy_max_terms, c.policy_min_installment, c.policy_down_payment_pct,
		c.policy_interest_during_plan, c.policy_max_promise_days, c.created_at, c.updated_at, c.damages_clause,
		(SELECT max(p.created_at) FROM plans p WHERE p.case_id = c.id AND p.status = 'active'),
		cr.id, cr.code, cr.name, cr.vat_on_costs, cr.contractual_costs, cr.minimum_per_invoice, cr.payment_url, cr.created_at,
		d.id, d.creditor_id, d.ref, d.name, d.is_company, d.phones, d.email, d.postcode, d.birth_date, d.language, d.created_at
	FROM cases c
	JOIN creditors cr ON cr.id = c.creditor_id
	JOIN debtors d ON d.id = c.debtor_id `

func scanCase(row pgx.Row) (*casestore.Case, error) {
	c := &casestore.Case{}
	p, cr, d := &c.Policy, &c.Creditor, &c.Debtor
	var clause string
	var planAgreed *time.Time
	err := row.Scan(&c.ID, &c.Ref, &c.CreditorID, &c.DebtorID, &c.Regime, &c.Stage, &c.Status, &c.LetterSentOn,
		&p.MaxTerms, &p.MinInstallment, &p.DownPaymentPct, &p.InterestDuringPlan, &p.MaxPromiseDays,
		&c.CreatedAt, &c.UpdatedAt, &clause, &planAgreed,
		&cr.ID, &cr.Code, &cr.Name, &cr.VATOnCosts, &cr.ContractualCosts, &cr.MinimumPerInvoice, &cr.PaymentURL, &cr.CreatedAt,
		&d.ID, &d.CreditorID, &d.Ref, &d.Name, &d.IsCompany, &d.Phones, &d.Email, &d.Postcode, &d.BirthDate, &d.Language, &d.CreatedAt)
	if err != nil {
		return nil, err
	}
	if c.Clause, err = casestore.DecodeDamagesClause(clause); err != nil {
		return nil, err
	}
	if planAgreed != nil {
		c.PlanAgreedOn = ptrDay(casestore.DayOf(*planAgreed))
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	cr.CreatedAt, d.CreatedAt = cr.CreatedAt.UTC(), d.CreatedAt.UTC()
	return c, nil
}

// loadCase returns the one case matching cond (a condition on alias c
// with one argument), filled like loadCases, or ErrNotFound. The case row,
// its invoices and its payments go to the server in a single round trip.
func (t *txn) loadCase(ctx context.Context, cond string, arg any) (*casestore.Case, error) {
	var c *casestore.Case
	batch := t.snapshotBatch()
	batch.Queue(caseSelect+`WHERE `+cond, arg).QueryRow(func(row pgx.Row) error {
		var err error
		c, err = scanCase(row)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // c stays nil: ErrNotFound below
		}
		return err
	})
	lookup := func(int64) *casestore.Case { return c }
	queueClaims(batch, `(SELECT c.id FROM cases c WHERE `+cond+`)`, arg, lookup)
	if err := t.sendSnapshot(ctx, batch); err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "load case")
	}
	if c == nil {
		return nil, casestore.ErrNotFound
	}
	return c, nil
}

// snapshotBatch starts a batch of reads that must all see one moment.
// Outside a transaction (Store.single) the batch carries its own
// read-only snapshot transaction, BEGIN to COMMIT, so the whole read is
// one round trip instead of three.
func (t *txn) snapshotBatch() *pgx.Batch {
	batch := &pgx.Batch{}
	if !t.inTx {
		batch.Queue(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`)
	}
	return batch
}

// sendSnapshot sends a batch from snapshotBatch and reads every result.
// When a statement fails outside a transaction, the connection goes back
// to the pool inside an aborted transaction, and the pool closes it.
func (t *txn) sendSnapshot(ctx context.Context, batch *pgx.Batch) error {
	if !t.inTx {
		batch.Queue(`COMMIT`)
	}
	return t.tx.SendBatch(ctx, batch).Close()
}

// casesByPhone is loadCases for the cases of debtors with phone number,
// in one round trip (a debtor's every message before verification asks).
func (t *txn) casesByPhone(ctx context.Context, number string) ([]*casestore.Case, error) {
	cases := []*casestore.Case{}
	byID := map[int64]*casestore.Case{}
	batch := t.snapshotBatch()
	// @> can use the GIN index on phones; = ANY cannot.
	const byPhone = `WHERE d.phones @> ARRAY[$1::text]`
	batch.Queue(caseSelect+byPhone+` ORDER BY c.created_at DESC, c.id DESC`, number).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			c, err := scanCase(rows)
			if err != nil {
				return err
			}
			cases = append(cases, c)
			byID[c.ID] = c
		}
		return rows.Err()
	})
	queueClaims(batch, `ANY(SELECT c.id FROM cases c JOIN debtors d ON d.id = c.debtor_id `+byPhone+`)`, number,
		func(id int64) *casestore.Case { return byID[id] })
	if err := t.sendSnapshot(ctx, batch); err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "load cases")
	}
	return cases, nil
}

// loadCases returns the cases selected by where (with args), each filled
// with creditor, debtor, invoices by due date and payments by value date:
// one query for the cases, one round trip for all their invoices and
// payments, however many cases there are.
func (t *txn) loadCases(ctx context.Context, where string, args ...any) ([]*casestore.Case, error) {
	rows, err := t.tx.Query(ctx, caseSelect+where, args...)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "load cases")
	}
	cases, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Case, error) { return scanCase(row) })
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "load cases")
	}
	if len(cases) == 0 {
		return []*casestore.Case{}, nil
	}
	ids := make([]int64, len(cases))
	byID := make(map[int64]*casestore.Case, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
		byID[c.ID] = c
	}
	batch := &pgx.Batch{}
	queueClaims(batch, `ANY($1)`, ids, func(id int64) *casestore.Case { return byID[id] })
	if err := t.tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "load invoices and payments")
	}
	return cases, nil
}

// queueClaims queues the queries for the invoices (by due date) and
// payments (by value date) of the cases whose id = ids (an SQL expression
// over arg), appending each to the case lookup returns.
func queueClaims(batch *pgx.Batch, ids string, arg any, lookup func(caseID int64) *casestore.Case) {
	batch.Queue(`
		SELECT id, case_id, number, description, issue_date, due_date, principal, status, COALESCE(document_media_id, 0)
		FROM invoices WHERE case_id = `+ids+` ORDER BY case_id, due_date, id`, arg,
	).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var inv casestore.Invoice
			if err := rows.Scan(&inv.ID, &inv.CaseID, &inv.Number, &inv.Description,
				&inv.IssueDate, &inv.DueDate, &inv.Principal, &inv.Status, &inv.DocumentID); err != nil {
				return err
			}
			if c := lookup(inv.CaseID); c != nil {
				c.Invoices = append(c.Invoices, inv)
			}
		}
		return rows.Err()
	})
	batch.Queue(`
		SELECT `+paymentColumns+`
		FROM payments WHERE case_id = `+ids+` ORDER BY case_id, value_date, id`, arg,
	).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var p casestore.Payment
			if err := scanPayment(rows, &p); err != nil {
				return err
			}
			if c := lookup(p.CaseID); c != nil {
				c.Payments = append(c.Payments, p)
			}
		}
		return rows.Err()
	})
}

func ptrDay(d time.Time) *time.Time { return &d }
