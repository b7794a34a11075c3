package postgres

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txn is casestore.Tx on one pgx transaction. Store methods and InTx both
// go through it, so a call means the same inside and outside InTx.
type txn struct {
	tx  dbtx
	now func() time.Time
	// inTx: tx is a transaction (not the pool, see Store.single), so
	// statements may rely on seeing one another's writes.
	inTx bool
}

// dbtx is what txn needs of pgx: a transaction, or the pool itself for a
// method that is a single statement.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

var _ casestore.Tx = (*txn)(nil)

// Each Store method below is one transaction around the txn method of the
// same name: writes READ COMMITTED, reads a read-only snapshot.

func (s *Store) PutCreditor(ctx context.Context, c *casestore.Creditor) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.PutCreditor(ctx, c) })
}

func (s *Store) Creditor(ctx context.Context, id int64) (*casestore.Creditor, error) {
	return get(ctx, s, func(t *txn) (*casestore.Creditor, error) { return t.Creditor(ctx, id) })
}

func (s *Store) CreditorByCode(ctx context.Context, code string) (*casestore.Creditor, error) {
	return get(ctx, s, func(t *txn) (*casestore.Creditor, error) { return t.CreditorByCode(ctx, code) })
}

func (s *Store) PutDebtor(ctx context.Context, d *casestore.Debtor) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.PutDebtor(ctx, d) })
}

func (s *Store) Debtor(ctx context.Context, id int64) (*casestore.Debtor, error) {
	return get(ctx, s, func(t *txn) (*casestore.Debtor, error) { return t.Debtor(ctx, id) })
}

func (s *Store) PutCase(ctx context.Context, c *casestore.Case) (created bool, err error) {
	err = s.run(ctx, readWrite, func(t *txn) error {
		created, err = t.PutCase(ctx, c)
		return err
	})
	return created, err
}

func (s *Store) Case(ctx context.Context, id int64) (*casestore.Case, error) {
	return getSingle(ctx, s, func(t *txn) (*casestore.Case, error) { return t.Case(ctx, id) })
}

func (s *Store) CaseByRef(ctx context.Context, ref string) (*casestore.Case, error) {
	return getSingle(ctx, s, func(t *txn) (*casestore.Case, error) { return t.CaseByRef(ctx, ref) })
}

func (s *Store) CasesByPhone(ctx context.Context, e164 string) ([]*casestore.Case, error) {
	return getSingle(ctx, s, func(t *txn) ([]*casestore.Case, error) { return t.CasesByPhone(ctx, e164) })
}

func (s *Store) Cases(ctx context.Context, f casestore.CaseFilter) ([]*casestore.Case, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Case, error) { return t.Cases(ctx, f) })
}

func (s *Store) SetCaseStatus(ctx context.Context, caseID int64, st casestore.Status) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetCaseStatus(ctx, caseID, st) })
}

func (s *Store) SetInvoiceStatus(ctx context.Context, invoiceID int64, st casestore.InvoiceStatus) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetInvoiceStatus(ctx, invoiceID, st) })
}

func (s *Store) AddPayment(ctx context.Context, p *casestore.Payment) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddPayment(ctx, p) })
}

func (s *Store) AddDispute(ctx context.Context, d *casestore.Dispute) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddDispute(ctx, d) })
}

func (s *Store) ResolveDispute(ctx context.Context, id int64, st casestore.DisputeStatus, at time.Time) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.ResolveDispute(ctx, id, st, at) })
}

func (s *Store) Disputes(ctx context.Context, caseID int64) ([]*casestore.Dispute, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Dispute, error) { return t.Disputes(ctx, caseID) })
}

func (s *Store) AddPlan(ctx context.Context, p *casestore.Plan) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddPlan(ctx, p) })
}

func (s *Store) SetPlanStatus(ctx context.Context, id int64, st casestore.PlanStatus) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetPlanStatus(ctx, id, st) })
}

func (s *Store) Plans(ctx context.Context, caseID int64) ([]*casestore.Plan, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Plan, error) { return t.Plans(ctx, caseID) })
}

func (s *Store) AddPromise(ctx context.Context, p *casestore.Promise) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.AddPromise(ctx, p) })
}

func (s *Store) Promises(ctx context.Context, caseID int64) ([]*casestore.Promise, error) {
	return get(ctx, s, func(t *txn) ([]*casestore.Promise, error) { return t.Promises(ctx, caseID) })
}

func (s *Store) AppendDossier(ctx context.Context, e *casestore.DossierEntry) error {
	return s.single(ctx, func(t *txn) error { return t.AppendDossier(ctx, e) })
}

func (s *Store) Dossier(ctx context.Context, caseID int64, q casestore.DossierQuery) ([]casestore.DossierEntry, error) {
	return get(ctx, s, func(t *txn) ([]casestore.DossierEntry, error) { return t.Dossier(ctx, caseID, q) })
}

// caseExists tells an unknown case (ErrNotFound) from a known one with an
// empty list; asked only when a list came back empty.
func (t *txn) caseExists(ctx context.Context, caseID int64) error {
	var ok bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)`, caseID).Scan(&ok)
	if err != nil {
		return dbError(err, casestore.ErrNotFound, "case lookup")
	}
	if !ok {
		return notFound("case %d", caseID)
	}
	return nil
}

// day keeps only the calendar day of t, as the domain represents days.
func day(t time.Time) time.Time { return casestore.Date(t.Year(), t.Month(), t.Day()) }

// optDay is day for an optional calendar day.
func optDay(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := day(*t)
	return &d
}

func (s *Store) DossierHead(ctx context.Context, caseID int64) (casestore.ChainHead, error) {
	return getSingle(ctx, s, func(t *txn) (casestore.ChainHead, error) { return t.DossierHead(ctx, caseID) })
}

func (s *Store) VerifyDossier(ctx context.Context, caseID int64) (casestore.ChainReport, error) {
	return get(ctx, s, func(t *txn) (casestore.ChainReport, error) { return t.VerifyDossier(ctx, caseID) })
}

func (s *Store) VerifyDossiers(ctx context.Context) ([]casestore.ChainReport, error) {
	return get(ctx, s, func(t *txn) ([]casestore.ChainReport, error) { return t.VerifyDossiers(ctx) })
}

func (s *Store) SetInvoiceDocument(ctx context.Context, invoiceID, mediaID int64) error {
	return s.run(ctx, readWrite, func(t *txn) error { return t.SetInvoiceDocument(ctx, invoiceID, mediaID) })
}
