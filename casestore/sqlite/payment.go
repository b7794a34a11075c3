package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

func (s *Store) PaymentByExternalID(ctx context.Context, source casestore.PaymentSource, externalID string) (p *casestore.Payment, err error) {
	err = s.read(ctx, func(t *txn) error { p, err = t.PaymentByExternalID(ctx, source, externalID); return err })
	return p, err
}

func (s *Store) ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (p *casestore.Payment, err error) {
	err = s.write(ctx, func(t *txn) error { p, err = t.ReversePayment(ctx, id, reason, at); return err })
	return p, err
}

func (s *Store) CaseConversation(ctx context.Context, caseID int64) (channel, address string, err error) {
	err = s.read(ctx, func(t *txn) error { channel, address, err = t.CaseConversation(ctx, caseID); return err })
	return channel, address, err
}

func (s *Store) AddTask(ctx context.Context, k *casestore.Task) error {
	return s.write(ctx, func(t *txn) error { return t.AddTask(ctx, k) })
}

func (s *Store) OpenTasks(ctx context.Context, limit int) (ks []*casestore.Task, err error) {
	err = s.read(ctx, func(t *txn) error { ks, err = t.OpenTasks(ctx, limit); return err })
	return ks, err
}

func (t *txn) AddPayment(ctx context.Context, p *casestore.Payment) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if err := t.caseExists(ctx, p.CaseID); err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	if err := t.invoiceOfCase(ctx, p.CaseID, p.InvoiceID); err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	now := t.now()
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO payments (case_id, invoice_id, amount, value_date, reference, source, external_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (source, external_id) WHERE external_id <> '' DO NOTHING
		RETURNING id`,
		p.CaseID, encOptID(p.InvoiceID), encMoney(p.Amount), encDay(p.ValueDate), p.Reference,
		string(p.Source), p.ExternalID, encInstant(now),
	).Scan(&p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("payment %s %s: recorded before: %w", p.Source, p.ExternalID, casestore.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: add payment: %w", translate(err))
	}
	p.CreatedAt = now
	return nil
}

const paymentColumns = `id, case_id, invoice_id, amount, value_date, reference, source, external_id, created_at, reversed_at, reversal_reason`

// scanPayment reads one row of paymentColumns.
func scanPayment(row interface{ Scan(...any) error }, p *casestore.Payment) error {
	var inv sql.NullInt64
	var amount, valueDate, source, createdAt string
	var reversedAt sql.NullString
	if err := row.Scan(&p.ID, &p.CaseID, &inv, &amount, &valueDate, &p.Reference, &source, &p.ExternalID,
		&createdAt, &reversedAt, &p.ReversalReason); err != nil {
		return err
	}
	var d decoder
	p.InvoiceID, p.Source = decOptID(inv), casestore.PaymentSource(source)
	p.Amount, p.ValueDate, p.CreatedAt = d.money(amount), d.day(valueDate), d.instant(createdAt)
	p.ReversedAt = d.optInstant(reversedAt)
	return d.err
}

func (t *txn) payments(ctx context.Context, caseID int64) ([]casestore.Payment, error) {
	rows, err := t.tx.QueryContext(ctx, `
		SELECT `+paymentColumns+` FROM payments WHERE case_id = ? ORDER BY value_date, id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: payments of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []casestore.Payment
	for rows.Next() {
		var p casestore.Payment
		if err := scanPayment(rows, &p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func (t *txn) PaymentByExternalID(ctx context.Context, source casestore.PaymentSource, externalID string) (*casestore.Payment, error) {
	if externalID == "" {
		return nil, fmt.Errorf("payment: no external id: %w", casestore.ErrNotFound)
	}
	var p casestore.Payment
	err := scanPayment(t.tx.QueryRowContext(ctx, `SELECT `+paymentColumns+` FROM payments WHERE source = ? AND external_id = ?`,
		string(source), externalID), &p)
	if err != nil {
		return nil, fmt.Errorf("payment %s %s: %w", source, externalID, translate(err))
	}
	return &p, nil
}

func (t *txn) ReversePayment(ctx context.Context, id int64, reason string, at time.Time) (*casestore.Payment, error) {
	if at.IsZero() {
		at = t.now()
	}
	var p casestore.Payment
	err := scanPayment(t.tx.QueryRowContext(ctx, `
		UPDATE payments SET reversed_at = ?, reversal_reason = ? WHERE id = ? AND reversed_at IS NULL
		RETURNING `+paymentColumns, encInstant(at), reason, id), &p)
	if errors.Is(err, sql.ErrNoRows) {
		if err := t.mustExist(ctx, fmt.Sprintf("payment %d", id), `SELECT 1 FROM payments WHERE id = ?`, id); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("payment %d: reversed before: %w", id, casestore.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: reverse payment %d: %w", id, translate(err))
	}
	return &p, nil
}

func (t *txn) CaseConversation(ctx context.Context, caseID int64) (string, string, error) {
	var channel, address string
	err := t.tx.QueryRowContext(ctx, `
		SELECT channel, from_addr FROM inbound_messages WHERE case_id = ? ORDER BY id DESC LIMIT 1`, caseID,
	).Scan(&channel, &address)
	if err != nil {
		return "", "", fmt.Errorf("conversation of case %d: %w", caseID, translate(err))
	}
	return channel, address, nil
}

func (t *txn) AddTask(ctx context.Context, k *casestore.Task) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := t.caseExists(ctx, k.CaseID); err != nil {
		return fmt.Errorf("task: %w", err)
	}
	at := k.CreatedAt.UTC()
	if k.CreatedAt.IsZero() {
		at = t.now()
	}
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO tasks (case_id, kind, text, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		k.CaseID, string(k.Kind), k.Text, encInstant(at)).Scan(&k.ID)
	if err != nil {
		return fmt.Errorf("sqlite: add task: %w", translate(err))
	}
	k.CreatedAt = at
	return nil
}

func (t *txn) OpenTasks(ctx context.Context, limit int) ([]*casestore.Task, error) {
	if limit < 0 {
		return nil, fmt.Errorf("tasks: limit %d is negative: %w", limit, casestore.ErrInvalid)
	}
	if limit == 0 {
		limit = 100
	}
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, case_id, kind, text, created_at FROM tasks WHERE done_at IS NULL ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open tasks: %w", err)
	}
	defer rows.Close()
	var out []*casestore.Task
	for rows.Next() {
		var k casestore.Task
		var kind, createdAt string
		if err := rows.Scan(&k.ID, &k.CaseID, &kind, &k.Text, &createdAt); err != nil {
			return nil, err
		}
		var d decoder
		k.Kind, k.CreatedAt = casestore.TaskKind(kind), d.instant(createdAt)
		if d.err != nil {
			return nil, d.err
		}
		out = append(out, &k)
	}
	return out, rows.Err()
}
