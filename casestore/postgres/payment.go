package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

func (s *Store) PaymentByExternalID(ctx context.Context, source casestore.PaymentSource, externalID string) (*casestore.Payment, error) {
	return get(ctx, s, func(t *txn) (*casestore.Payment, error) { return t.PaymentByExternalID(ctx, source, externalID) })
}

func (s *Store) ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (p *casestore.Payment, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error { p, err = t.ReversePayment(ctx, id, reason, at); return err })
	return p, err
}

func (s *Store) CaseConversation(ctx context.Context, caseID int64) (channel, address string, err error) {
	err = s.run(ctx, readOnly, func(t *txn) error { channel, address, err = t.CaseConversation(ctx, caseID); return err })
	return channel, address, err
}

func (s *Store) AddTask(ctx context.Context, k *casestore.Task) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddTask(ctx, k) })
}

func (s *Store) OpenTasks(ctx context.Context, limit int) ([]*casestore.Task, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Task, error) { return t.OpenTasks(ctx, limit) })
}

func (t *txn) AddPayment(ctx context.Context, p *casestore.Payment) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := t.now()
	// Selecting the case (and the invoice within it) turns an unknown one
	// into "no row", ErrNotFound, without aborting an InTx; so does a
	// payment recorded before (ON CONFLICT … DO NOTHING). Which of them
	// it was is asked only then.
	err := t.tx.QueryRow(ctx, `
		INSERT INTO payments (case_id, invoice_id, amount, value_date, reference, source, external_id, created_at)
		SELECT c.id, $2, $3, $4, $5, $6, $7, $8 FROM cases c
		WHERE c.id = $1 AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM invoices WHERE id = $2 AND case_id = c.id))
		ON CONFLICT (source, external_id) WHERE external_id <> '' DO NOTHING
		RETURNING id`,
		p.CaseID, p.InvoiceID, p.Amount, day(p.ValueDate), p.Reference, string(p.Source), p.ExternalID, now,
	).Scan(&p.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		if p.ExternalID != "" {
			if _, err := t.PaymentByExternalID(ctx, p.Source, p.ExternalID); err == nil {
				return fmt.Errorf("payment %s %s: recorded before: %w", p.Source, p.ExternalID, casestore.ErrConflict)
			}
		}
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

const paymentColumns = `id, case_id, invoice_id, amount, value_date, reference, source, external_id, created_at, reversed_at, reversal_reason`

func scanPayment(row pgx.Row, p *casestore.Payment) error {
	var source string
	err := row.Scan(&p.ID, &p.CaseID, &p.InvoiceID, &p.Amount, &p.ValueDate, &p.Reference, &source,
		&p.ExternalID, &p.CreatedAt, &p.ReversedAt, &p.ReversalReason)
	if err != nil {
		return err
	}
	p.Source, p.CreatedAt = casestore.PaymentSource(source), p.CreatedAt.UTC()
	if p.ReversedAt != nil {
		at := p.ReversedAt.UTC()
		p.ReversedAt = &at
	}
	return nil
}

func (t *txn) PaymentByExternalID(ctx context.Context, source casestore.PaymentSource, externalID string) (*casestore.Payment, error) {
	if externalID == "" {
		return nil, notFound("payment: no external id")
	}
	var p casestore.Payment
	err := scanPayment(t.tx.QueryRow(ctx, `SELECT `+paymentColumns+` FROM payments WHERE source = $1 AND external_id = $2`,
		string(source), externalID), &p)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("payment %s %s", source, externalID))
	}
	return &p, nil
}

func (t *txn) ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (*casestore.Payment, error) {
	if at.IsZero() {
		at = t.now()
	}
	var p casestore.Payment
	err := scanPayment(t.tx.QueryRow(ctx, `
		UPDATE payments SET reversed_at = $2, reversal_reason = $3 WHERE id = $1 AND reversed_at IS NULL
		RETURNING `+paymentColumns, id, at.UTC(), reason), &p)
	if errors.Is(err, pgx.ErrNoRows) {
		var reversed bool
		if err := t.tx.QueryRow(ctx, `SELECT reversed_at IS NOT NULL FROM payments WHERE id = $1`, id).Scan(&reversed); err != nil {
			return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("payment %d", id))
		}
		return nil, fmt.Errorf("payment %d: reversed before: %w", id, casestore.ErrConflict)
	}
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, fmt.Sprintf("reverse payment %d", id))
	}
	return &p, nil
}

func (t *txn) CaseConversation(ctx context.Context, caseID int64) (string, string, error) {
	var channel, address string
	err := t.tx.QueryRow(ctx, `
		SELECT channel, from_addr FROM inbound_messages WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, caseID,
	).Scan(&channel, &address)
	if err != nil {
		return "", "", dbError(err, casestore.ErrNotFound, fmt.Sprintf("conversation of case %d", caseID))
	}
	return channel, address, nil
}

func (t *txn) AddTask(ctx context.Context, k *casestore.Task) error {
	if err := k.Validate(); err != nil {
		return err
	}
	at := k.CreatedAt.UTC().Truncate(time.Microsecond)
	if k.CreatedAt.IsZero() {
		at = t.now()
	}
	err := t.tx.QueryRow(ctx, `
		INSERT INTO tasks (case_id, kind, text, created_at) SELECT id, $2, $3, $4 FROM cases WHERE id = $1
		RETURNING id`, k.CaseID, string(k.Kind), k.Text, at).Scan(&k.ID)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, fmt.Sprintf("task on case %d", k.CaseID))
	}
	k.CreatedAt = at
	return nil
}

func (t *txn) OpenTasks(ctx context.Context, limit int) ([]*casestore.Task, error) {
	if limit < 0 {
		return nil, invalid("tasks: limit %d is negative", limit)
	}
	if limit == 0 {
		limit = 100
	}
	rows, err := t.tx.Query(ctx, `
		SELECT id, case_id, kind, text, created_at FROM tasks WHERE done_at IS NULL ORDER BY id LIMIT $1`, limit)
	if err != nil {
		return nil, dbError(err, casestore.ErrNotFound, "open tasks")
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*casestore.Task, error) {
		var k casestore.Task
		var kind string
		err := row.Scan(&k.ID, &k.CaseID, &kind, &k.Text, &k.CreatedAt)
		k.Kind, k.CreatedAt = casestore.TaskKind(kind), k.CreatedAt.UTC()
		return &k, err
	})
}
