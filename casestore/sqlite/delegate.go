package sqlite

import (
	"context"
	"time"

	"github.com/incassobot/incassobot/casestore"
)

// Each Store method is one transaction around the txn method of the same
// name, so that InTx and single calls share one implementation.

func (s *Store) PutCreditor(ctx context.Context, c *casestore.Creditor) error {
	return s.write(ctx, func(t *txn) error { return t.PutCreditor(ctx, c) })
}

func (s *Store) Creditor(ctx context.Context, id int64) (c *casestore.Creditor, err error) {
	err = s.read(ctx, func(t *txn) error { c, err = t.Creditor(ctx, id); return err })
	return c, err
}

func (s *Store) CreditorByCode(ctx context.Context, code string) (c *casestore.Creditor, err error) {
	err = s.read(ctx, func(t *txn) error { c, err = t.CreditorByCode(ctx, code); return err })
	return c, err
}

func (s *Store) PutDebtor(ctx context.Context, d *casestore.Debtor) error {
	return s.write(ctx, func(t *txn) error { return t.PutDebtor(ctx, d) })
}

func (s *Store) Debtor(ctx context.Context, id int64) (d *casestore.Debtor, err error) {
	err = s.read(ctx, func(t *txn) error { d, err = t.Debtor(ctx, id); return err })
	return d, err
}

func (s *Store) PutCase(ctx context.Context, c *casestore.Case) (created bool, err error) {
	err = s.write(ctx, func(t *txn) error { created, err = t.PutCase(ctx, c); return err })
	return created, err
}

func (s *Store) Case(ctx context.Context, id int64) (c *casestore.Case, err error) {
	err = s.read(ctx, func(t *txn) error { c, err = t.Case(ctx, id); return err })
	return c, err
}

func (s *Store) CaseByRef(ctx context.Context, ref string) (c *casestore.Case, err error) {
	err = s.read(ctx, func(t *txn) error { c, err = t.CaseByRef(ctx, ref); return err })
	return c, err
}

func (s *Store) CasesByPhone(ctx context.Context, e164 string) (cs []*casestore.Case, err error) {
	err = s.read(ctx, func(t *txn) error { cs, err = t.CasesByPhone(ctx, e164); return err })
	return cs, err
}

func (s *Store) Cases(ctx context.Context, f casestore.CaseFilter) (cs []*casestore.Case, err error) {
	err = s.read(ctx, func(t *txn) error { cs, err = t.Cases(ctx, f); return err })
	return cs, err
}

func (s *Store) SetCaseStatus(ctx context.Context, caseID int64, st casestore.Status) error {
	return s.write(ctx, func(t *txn) error { return t.SetCaseStatus(ctx, caseID, st) })
}

func (s *Store) SetInvoiceStatus(ctx context.Context, invoiceID int64, st casestore.InvoiceStatus) error {
	return s.write(ctx, func(t *txn) error { return t.SetInvoiceStatus(ctx, invoiceID, st) })
}

func (s *Store) AddPayment(ctx context.Context, p *casestore.Payment) error {
	return s.write(ctx, func(t *txn) error { return t.AddPayment(ctx, p) })
}

func (s *Store) AddDispute(ctx context.Context, d *casestore.Dispute) error {
	return s.write(ctx, func(t *txn) error { return t.AddDispute(ctx, d) })
}

func (s *Store) ResolveDispute(ctx context.Context, id int64, st casestore.DisputeStatus, at time.Time) error {
	return s.write(ctx, func(t *txn) error { return t.ResolveDispute(ctx, id, st, at) })
}

func (s *Store) Disputes(ctx context.Context, caseID int64) (ds []*casestore.Dispute, err error) {
	err = s.read(ctx, func(t *txn) error { ds, err = t.Disputes(ctx, caseID); return err })
	return ds, err
}

func (s *Store) AddPlan(ctx context.Context, p *casestore.Plan) error {
	return s.write(ctx, func(t *txn) error { return t.AddPlan(ctx, p) })
}

func (s *Store) SetPlanStatus(ctx context.Context, id int64, st casestore.PlanStatus) error {
	return s.write(ctx, func(t *txn) error { return t.SetPlanStatus(ctx, id, st) })
}

func (s *Store) Plans(ctx context.Context, caseID int64) (ps []*casestore.Plan, err error) {
	err = s.read(ctx, func(t *txn) error { ps, err = t.Plans(ctx, caseID); return err })
	return ps, err
}

func (s *Store) AddPromise(ctx context.Context, p *casestore.Promise) error {
	return s.write(ctx, func(t *txn) error { return t.AddPromise(ctx, p) })
}

func (s *Store) Promises(ctx context.Context, caseID int64) (ps []*casestore.Promise, err error) {
	err = s.read(ctx, func(t *txn) error { ps, err = t.Promises(ctx, caseID); return err })
	return ps, err
}

func (s *Store) AppendDossier(ctx context.Context, e *casestore.DossierEntry) error {
	return s.write(ctx, func(t *txn) error { return t.AppendDossier(ctx, e) })
}

func (s *Store) Dossier(ctx context.Context, caseID int64, q casestore.DossierQuery) (es []casestore.DossierEntry, err error) {
	err = s.read(ctx, func(t *txn) error { es, err = t.Dossier(ctx, caseID, q); return err })
	return es, err
}

func (s *Store) DossierHead(ctx context.Context, caseID int64) (h casestore.ChainHead, err error) {
	err = s.read(ctx, func(t *txn) error { h, err = t.DossierHead(ctx, caseID); return err })
	return h, err
}

func (s *Store) VerifyDossier(ctx context.Context, caseID int64) (r casestore.ChainReport, err error) {
	err = s.read(ctx, func(t *txn) error { r, err = t.VerifyDossier(ctx, caseID); return err })
	return r, err
}

func (s *Store) VerifyDossiers(ctx context.Context) (rs []casestore.ChainReport, err error) {
	err = s.read(ctx, func(t *txn) error { rs, err = t.VerifyDossiers(ctx); return err })
	return rs, err
}

func (s *Store) SetInvoiceDocument(ctx context.Context, invoiceID, mediaID int64) error {
	return s.write(ctx, func(t *txn) error { return t.SetInvoiceDocument(ctx, invoiceID, mediaID) })
}
