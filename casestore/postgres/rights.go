package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
)

// The upserts select the debtor or case row itself, so an unknown one
// inserts nothing and is reported as not found.

func (t *txn) SetContactPreference(ctx context.Context, debtorID int64, p casestore.ContactPreference) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return t.upsertOf(ctx, fmt.Sprintf("debtor %d", debtorID), `
		INSERT INTO debtor_contact (debtor_id, channel, written_only, no_calls, updated_at)
		SELECT id, $2, $3, $5, $4 FROM debtors WHERE id = $1
		ON CONFLICT (debtor_id) DO UPDATE SET channel = EXCLUDED.channel,
			written_only = EXCLUDED.written_only, no_calls = EXCLUDED.no_calls, updated_at = EXCLUDED.updated_at`,
		debtorID, p.Channel, p.WrittenOnly, t.now(), p.NoCalls)
}

// upsertOf runs an upsert that selects its parent row (what) itself: no
// row written means no such parent.
func (t *txn) upsertOf(ctx context.Context, what, query string, args ...any) error {
	tag, err := t.tx.Exec(ctx, query, args...)
	if err != nil {
		return dbError(err, casestore.ErrInvalid, what)
	}
	if tag.RowsAffected() == 0 {
		return notFound("%s", what)
	}
	return nil
}

func (t *txn) ContactPreference(ctx context.Context, debtorID int64) (casestore.ContactPreference, error) {
	var p casestore.ContactPreference
	err := t.tx.QueryRow(ctx, `SELECT channel, written_only, no_calls, updated_at FROM debtor_contact WHERE debtor_id = $1`,
		debtorID).Scan(&p.Channel, &p.WrittenOnly, &p.NoCalls, &p.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return casestore.ContactPreference{}, nil
	}
	p.UpdatedAt = p.UpdatedAt.UTC()
	return p, dbError(err, casestore.ErrNotFound, "contact preference")
}

func (t *txn) SetCaseFlags(ctx context.Context, caseID int64, f casestore.CaseFlags) error {
	if err := f.Validate(); err != nil {
		return err
	}
	return t.upsertOf(ctx, fmt.Sprintf("case %d", caseID), `
		INSERT INTO case_flags (case_id, bewindvoering, debt_settlement, updated_at)
		SELECT id, $2, $3, $4 FROM cases WHERE id = $1
		ON CONFLICT (case_id) DO UPDATE SET bewindvoering = EXCLUDED.bewindvoering,
			debt_settlement = EXCLUDED.debt_settlement, updated_at = EXCLUDED.updated_at`,
		caseID, f.Bewindvoering, string(f.DebtSettlement), t.now())
}

func (t *txn) CaseFlags(ctx context.Context, caseID int64) (casestore.CaseFlags, error) {
	var f casestore.CaseFlags
	err := t.tx.QueryRow(ctx, `SELECT bewindvoering, debt_settlement, updated_at FROM case_flags WHERE case_id = $1`,
		caseID).Scan(&f.Bewindvoering, &f.DebtSettlement, &f.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return casestore.CaseFlags{}, nil
	}
	f.UpdatedAt = f.UpdatedAt.UTC()
	return f, dbError(err, casestore.ErrNotFound, "case flags")
}

func (s *Store) SetContactPreference(ctx context.Context, debtorID int64, p casestore.ContactPreference) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetContactPreference(ctx, debtorID, p) })
}

func (s *Store) ContactPreference(ctx context.Context, debtorID int64) (casestore.ContactPreference, error) {
	return getSingle(ctx, s, func(t *txn) (casestore.ContactPreference, error) { return t.ContactPreference(ctx, debtorID) })
}

func (s *Store) SetCaseFlags(ctx context.Context, caseID int64, f casestore.CaseFlags) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetCaseFlags(ctx, caseID, f) })
}

func (s *Store) CaseFlags(ctx context.Context, caseID int64) (casestore.CaseFlags, error) {
	return getSingle(ctx, s, func(t *txn) (casestore.CaseFlags, error) { return t.CaseFlags(ctx, caseID) })
}

func (t *txn) LockContact(ctx context.Context, key string) error {
	_, err := t.tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 7))`, "contact:"+key)
	return dbError(err, casestore.ErrInvalid, "lock contact")
}

// LockContact on the Store is its own transaction: it waits for a holder
// and returns, holding nothing.
func (s *Store) LockContact(ctx context.Context, key string) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.LockContact(ctx, key) })
}
