package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
)

// The upserts select the debtor or case row itself, so an unknown one
// inserts nothing and is reported as not found.

func (t *txn) SetContactPreference(ctx context.Context, debtorID int64, p casestore.ContactPreference) error {
	if err := p.Validate(); err != nil {
		return err
	}
	res, err := t.exec(ctx, "set contact preference", `
		INSERT INTO debtor_contact (debtor_id, channel, written_only, no_calls, updated_at)
		SELECT id, ?, ?, ?, ? FROM debtors WHERE id = ?
		ON CONFLICT (debtor_id) DO UPDATE SET channel = excluded.channel,
			written_only = excluded.written_only, no_calls = excluded.no_calls, updated_at = excluded.updated_at`,
		p.Channel, p.WrittenOnly, p.NoCalls, encInstant(t.now()), debtorID)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("debtor %d", debtorID))
}

func (t *txn) ContactPreference(ctx context.Context, debtorID int64) (casestore.ContactPreference, error) {
	var p casestore.ContactPreference
	var at string
	err := t.tx.QueryRowContext(ctx, `SELECT channel, written_only, no_calls, updated_at FROM debtor_contact WHERE debtor_id = ?`,
		debtorID).Scan(&p.Channel, &p.WrittenOnly, &p.NoCalls, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return casestore.ContactPreference{}, nil
	}
	if err != nil {
		return p, fmt.Errorf("sqlite: contact preference: %w", translate(err))
	}
	p.UpdatedAt, err = decInstant(at)
	return p, err
}

func (t *txn) SetCaseFlags(ctx context.Context, caseID int64, f casestore.CaseFlags) error {
	if err := f.Validate(); err != nil {
		return err
	}
	res, err := t.exec(ctx, "set case flags", `
		INSERT INTO case_flags (case_id, bewindvoering, debt_settlement, updated_at)
		SELECT id, ?, ?, ? FROM cases WHERE id = ?
		ON CONFLICT (case_id) DO UPDATE SET bewindvoering = excluded.bewindvoering,
			debt_settlement = excluded.debt_settlement, updated_at = excluded.updated_at`,
		f.Bewindvoering, string(f.DebtSettlement), encInstant(t.now()), caseID)
	if err != nil {
		return err
	}
	return rowsAffected(res, fmt.Sprintf("case %d", caseID))
}

func (t *txn) CaseFlags(ctx context.Context, caseID int64) (casestore.CaseFlags, error) {
	var f casestore.CaseFlags
	var at string
	err := t.tx.QueryRowContext(ctx, `SELECT bewindvoering, debt_settlement, updated_at FROM case_flags WHERE case_id = ?`,
		caseID).Scan(&f.Bewindvoering, &f.DebtSettlement, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return casestore.CaseFlags{}, nil
	}
	if err != nil {
		return f, fmt.Errorf("sqlite: case flags: %w", translate(err))
	}
	f.UpdatedAt, err = decInstant(at)
	return f, err
}

func (s *Store) SetContactPreference(ctx context.Context, debtorID int64, p casestore.ContactPreference) error {
	return s.write(ctx, func(t *txn) error { return t.SetContactPreference(ctx, debtorID, p) })
}

func (s *Store) ContactPreference(ctx context.Context, debtorID int64) (p casestore.ContactPreference, err error) {
	err = s.read(ctx, func(t *txn) error { p, err = t.ContactPreference(ctx, debtorID); return err })
	return p, err
}

func (s *Store) SetCaseFlags(ctx context.Context, caseID int64, f casestore.CaseFlags) error {
	return s.write(ctx, func(t *txn) error { return t.SetCaseFlags(ctx, caseID, f) })
}

func (s *Store) CaseFlags(ctx context.Context, caseID int64) (f casestore.CaseFlags, err error) {
	err = s.read(ctx, func(t *txn) error { f, err = t.CaseFlags(ctx, caseID); return err })
	return f, err
}

// LockContact needs nothing: every write transaction holds the one writer
// connection (BEGIN IMMEDIATE), so they already run one at a time.
func (t *txn) LockContact(ctx context.Context, key string) error { return nil }

func (s *Store) LockContact(ctx context.Context, key string) error { return nil }
