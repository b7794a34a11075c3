package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func (t *txn) AddDispute(ctx context.Context, d *casestore.Dispute) error {
	if d.Status == "" {
		d.Status = casestore.DisputeOpen
	}
	switch {
	case !slices.Contains(casestore.DisputeReasons, d.Reason):
		return fmt.Errorf("dispute on case %d: unknown reason %q: %w", d.CaseID, d.Reason, casestore.ErrInvalid)
	case !slices.Contains([]casestore.DisputeStatus{casestore.DisputeOpen, casestore.DisputeUpheld, casestore.DisputeRejected}, d.Status):
		return fmt.Errorf("dispute on case %d: unknown status %q: %w", d.CaseID, d.Status, casestore.ErrInvalid)
	}
	if err := t.caseExists(ctx, d.CaseID); err != nil {
		return fmt.Errorf("dispute: %w", err)
	}
	if err := t.invoiceOfCase(ctx, d.CaseID, d.InvoiceID); err != nil {
		return fmt.Errorf("dispute: %w", err)
	}
	evidence, err := json.Marshal(nonNil(d.Evidence))
	if err != nil {
		return fmt.Errorf("dispute evidence: %w", err)
	}
	now := t.now()
	err = t.tx.QueryRowContext(ctx, `
		INSERT INTO disputes (case_id, invoice_id, reason, text, evidence, status, created_at, resolved_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.CaseID, encOptID(d.InvoiceID), string(d.Reason), d.Text, string(evidence), string(d.Status),
		encInstant(now), encOptInstant(d.ResolvedAt),
	).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("sqlite: add dispute: %w", translate(err))
	}
	d.CreatedAt = now
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func encOptInstant(t *time.Time) any {
	if t == nil {
		return nil
	}
	return encInstant(*t)
}

func (t *txn) ResolveDispute(ctx context.Context, id int64, s casestore.DisputeStatus, at time.Time) error {
	if s != casestore.DisputeUpheld && s != casestore.DisputeRejected {
		return fmt.Errorf("dispute %d: cannot resolve to %q (upheld or rejected): %w", id, s, casestore.ErrInvalid)
	}
	var current string
	err := t.tx.QueryRowContext(ctx, `SELECT status FROM disputes WHERE id = ?`, id).Scan(&current)
	if err != nil {
		return fmt.Errorf("dispute %d: %w", id, translate(err))
	}
	if current != string(casestore.DisputeOpen) {
		return fmt.Errorf("dispute %d: already %s: %w", id, current, casestore.ErrConflict)
	}
	if at.IsZero() {
		at = t.now()
	}
	_, err = t.exec(ctx, "resolve dispute", `UPDATE disputes SET status = ?, resolved_at = ? WHERE id = ?`,
		string(s), encInstant(at), id)
	return err
}

func (t *txn) Disputes(ctx context.Context, caseID int64) ([]*casestore.Dispute, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("disputes: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, invoice_id, reason, text, evidence, status, created_at, resolved_at
		FROM disputes WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: disputes of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*casestore.Dispute
	for rows.Next() {
		d := casestore.Dispute{CaseID: caseID}
		var inv sql.NullInt64
		var evidence, createdAt string
		var resolvedAt sql.NullString
		if err := rows.Scan(&d.ID, &inv, &d.Reason, &d.Text, &evidence, &d.Status, &createdAt, &resolvedAt); err != nil {
			return nil, err
		}
		var dec decoder
		d.InvoiceID = decOptID(inv)
		dec.keep(json.Unmarshal([]byte(evidence), &d.Evidence))
		d.CreatedAt, d.ResolvedAt = dec.instant(createdAt), dec.optInstant(resolvedAt)
		if dec.err != nil {
			return nil, dec.err
		}
		out = append(out, &d)
	}
	return out, rows.Err()
}

func (t *txn) AddPromise(ctx context.Context, p *casestore.Promise) error {
	if p.Status == "" {
		p.Status = casestore.PromiseOpen
	}
	switch {
	case !validAmount(p.Amount):
		return fmt.Errorf("promise on case %d: amount %s must be positive whole cents: %w", p.CaseID, p.Amount, casestore.ErrInvalid)
	case p.Date.IsZero():
		return fmt.Errorf("promise on case %d: date is required: %w", p.CaseID, casestore.ErrInvalid)
	case !slices.Contains([]casestore.PromiseStatus{casestore.PromiseOpen, casestore.PromiseKept, casestore.PromiseBroken}, p.Status):
		return fmt.Errorf("promise on case %d: unknown status %q: %w", p.CaseID, p.Status, casestore.ErrInvalid)
	}
	if err := t.caseExists(ctx, p.CaseID); err != nil {
		return fmt.Errorf("promise: %w", err)
	}
	now := t.now()
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO promises (case_id, amount, date, status, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		p.CaseID, encMoney(p.Amount), encDay(p.Date), string(p.Status), encInstant(now)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("sqlite: add promise: %w", translate(err))
	}
	p.CreatedAt = now
	return nil
}

func (t *txn) Promises(ctx context.Context, caseID int64) ([]*casestore.Promise, error) {
	if err := t.caseExists(ctx, caseID); err != nil {
		return nil, fmt.Errorf("promises: %w", err)
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, amount, date, status, created_at FROM promises WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: promises of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []*casestore.Promise
	for rows.Next() {
		p := casestore.Promise{CaseID: caseID}
		var amount, date, createdAt string
		if err := rows.Scan(&p.ID, &amount, &date, &p.Status, &createdAt); err != nil {
			return nil, err
		}
		var d decoder
		p.Amount, p.Date, p.CreatedAt = d.money(amount), d.day(date), d.instant(createdAt)
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, &p)
	}
	return out, rows.Err()
}
