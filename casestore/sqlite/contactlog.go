package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// The contact log of the follow-ups (migration 00160).

func (t *txn) RecordContact(ctx context.Context, c *casestore.AutomatedContact) error {
	at := c.At
	if at.IsZero() {
		at = t.now()
	}
	err := t.tx.QueryRowContext(ctx, `
		INSERT INTO automated_contacts (debtor_id, case_id, channel, address, at)
		SELECT debtor_id, id, ?, ?, ? FROM cases WHERE id = ?
		RETURNING id, debtor_id`, c.Channel, c.Address, encInstant(at), c.CaseID).Scan(&c.ID, &c.DebtorID)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("contact log: case %d: %w", c.CaseID, casestore.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: contact log of case %d: %w", c.CaseID, translate(err))
	}
	c.At = at.UTC()
	return nil
}

func (t *txn) AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) ([]casestore.AutomatedContact, error) {
	if len(debtorIDs) == 0 && len(addresses) == 0 {
		return nil, nil
	}
	var conds []string
	var args []any
	if len(debtorIDs) > 0 {
		conds = append(conds, `debtor_id IN (`+placeholders(len(debtorIDs))+`)`)
		for _, id := range debtorIDs {
			args = append(args, id)
		}
	}
	if len(addresses) > 0 {
		conds = append(conds, `address IN (`+placeholders(len(addresses))+`)`)
		for _, a := range addresses {
			args = append(args, a)
		}
	}
	args = append(args, encInstant(since))
	rows, err := t.tx.QueryContext(ctx, `
		SELECT id, debtor_id, case_id, channel, address, at FROM automated_contacts
		WHERE (`+strings.Join(conds, " OR ")+`) AND at > ? ORDER BY at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: contact log: %w", translate(err))
	}
	defer rows.Close()
	var out []casestore.AutomatedContact
	for rows.Next() {
		var c casestore.AutomatedContact
		var at string
		if err := rows.Scan(&c.ID, &c.DebtorID, &c.CaseID, &c.Channel, &c.Address, &at); err != nil {
			return nil, fmt.Errorf("sqlite: contact log: %w", translate(err))
		}
		if c.At, err = decInstant(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: contact log: %w", translate(err))
	}
	return out, nil
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func (s *Store) RecordContact(ctx context.Context, c *casestore.AutomatedContact) error {
	return s.write(ctx, func(t *txn) error { return t.RecordContact(ctx, c) })
}

func (s *Store) AutomatedContacts(ctx context.Context, debtorIDs []int64, addresses []string, since time.Time) (out []casestore.AutomatedContact, err error) {
	err = s.read(ctx, func(t *txn) error {
		out, err = t.AutomatedContacts(ctx, debtorIDs, addresses, since)
		return err
	})
	return out, err
}
