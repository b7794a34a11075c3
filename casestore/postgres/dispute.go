package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

func (t *txn) AddDispute(ctx context.Context, d *casestore.Dispute) error {
	if !slices.Contains(casestore.DisputeReasons, d.Reason) {
		return invalid("dispute on case %d: unknown reason %q", d.CaseID, d.Reason)
	}
	status := d.Status
	if status == "" {
		status = casestore.DisputeOpen
	}
	resolved := d.ResolvedAt
	switch status {
	case casestore.DisputeOpen:
		if resolved != nil {
			return invalid("dispute on case %d: open but resolved", d.CaseID)
		}
	case casestore.DisputeUpheld, casestore.DisputeRejected:
		if resolved == nil {
			now := t.now()
			resolved = &now
		}
	default:
		return invalid("dispute on case %d: unknown status %q", d.CaseID, d.Status)
	}
	evidence := d.Evidence
	if evidence == nil {
		evidence = []string{}
	}
	now := t.now()
	err := t.tx.QueryRow(ctx, `
		INSERT INTO disputes (case_id, invoice_id, reason, text, evidence, status, created_at, resolved_at)
		SELECT c.id, $2, $3, $4, $5, $6, $7, $8 FROM cases c
		WHERE c.id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM invoices WHERE id = $2 AND case_id = c.id))
		RETURNING id`,
		d.CaseID, d.InvoiceID, d.Reason, d.Text, evidence, status, now, resolved,
	).Scan(&d.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound("dispute: case %d or its invoice", d.CaseID)
	}
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("dispute on case %d", d.CaseID))
	}
	d.Status, d.CreatedAt, d.ResolvedAt = status, now, resolved
	return nil
}

func (t *txn) ResolveDispute(ctx context.Context, id int64, s casestore.DisputeStatus, at time.Time) error {
	if s != casestore.DisputeUpheld && s != casestore.DisputeRejected {
		return invalid("dispute %d: cannot resolve as %q", id, s)
	}
	if at.IsZero() {
		at = t.now()
	}
	// Only an open dispute changes; then a missing row is either unknown
	// (ErrNotFound) or already resolved (ErrConflict). FOR UPDATE makes a
	// second resolver wait for the first and then see it resolved.
	var status casestore.DisputeStatus
	err := t.tx.QueryRow(ctx, `SELECT status FROM disputes WHERE id = $1 FOR UPDATE`, id).Scan(&status)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("dispute %d", id))
	}
	if status != casestore.DisputeOpen {
		return fmt.Errorf("dispute %d: already %s: %w", id, status, casestore.ErrConflict)
	}
	_, err = t.tx.Exec(ctx, `UPDATE disputes SET status = $2, resolved_at = $3 WHERE id = $1`, id, s, at.UTC())
	return dbError(err, casestore.ErrInvalid, fmt.Sprintf("dispute %d: resolve", id))
}

func (t *txn) Disputes(ctx context.Context, caseID int64) ([]*casestore.Dispute, error) {
	rows, err := t.tx.Query(ctx, `
		SELECT id, case_id, invoice_id, reason, text, evidence, status, created_at, resolved_at
		FROM disputes WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "disputes")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Dispute, error) {
		d := &casestore.Dispute{}
		err := row.Scan(&d.ID, &d.CaseID, &d.InvoiceID, &d.Reason, &d.Text, &d.Evidence, &d.Status,
			&d.CreatedAt, &d.ResolvedAt)
		d.CreatedAt = d.CreatedAt.UTC()
		if d.ResolvedAt != nil {
			*d.ResolvedAt = d.ResolvedAt.UTC()
		}
		return d, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "disputes")
	}
	if len(list) == 0 {
		if err := t.caseExists(ctx, caseID); err != nil {
			return nil, err
		}
	}
	return list, nil
}

func (t *txn) AddPromise(ctx context.Context, p *casestore.Promise) error {
	if err := validAmount(fmt.Sprintf("promise on case %d", p.CaseID), p.Amount); err != nil {
		return err
	}
	if p.Date.IsZero() {
		return invalid("promise on case %d: date is missing", p.CaseID)
	}
	status := p.Status
	if status == "" {
		status = casestore.PromiseOpen
	}
	switch status {
	case casestore.PromiseOpen, casestore.PromiseKept, casestore.PromiseBroken:
	default:
		return invalid("promise on case %d: unknown status %q", p.CaseID, p.Status)
	}
	now := t.now()
	err := t.tx.QueryRow(ctx, `
		INSERT INTO promises (case_id, amount, date, status, created_at)
		SELECT id, $2, $3, $4, $5 FROM cases WHERE id = $1
		RETURNING id`,
		p.CaseID, p.Amount, day(p.Date), status, now,
	).Scan(&p.ID)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("promise: case %d", p.CaseID))
	}
	p.Status, p.CreatedAt = status, now
	return nil
}

func (t *txn) Promises(ctx context.Context, caseID int64) ([]*casestore.Promise, error) {
	rows, err := t.tx.Query(ctx, `
		SELECT id, case_id, amount, date, status, created_at
		FROM promises WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "promises")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Promise, error) {
		p := &casestore.Promise{}
		err := row.Scan(&p.ID, &p.CaseID, &p.Amount, &p.Date, &p.Status, &p.CreatedAt)
		p.CreatedAt = p.CreatedAt.UTC()
		return p, err
	})
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "promises")
	}
	if len(list) == 0 {
		if err := t.caseExists(ctx, caseID); err != nil {
			return nil, err
		}
	}
	return list, nil
}
