package casestore

import (
	"context"
	"time"
)

// CaseFilter selects cases for a list; zero fields do not filter.
type CaseFilter struct {
	CreditorID int64
	Status     Status
	Stage      Stage
	Limit      int // 0 = 100
	Offset     int
}

// Tx is everything a store can read and write. Inside Store.InTx all calls
// share one transaction; on Store itself each call is its own transaction.
type Tx interface {
	// PutCreditor creates the creditor, or updates the one with the same
	// Code, and sets c.ID. Returns ErrInvalid if Code or Name is empty.
	PutCreditor(ctx context.Context, c *Creditor) error
	// Creditor returns ErrNotFound if there is no creditor with that id.
	Creditor(ctx context.Context, id int64) (*Creditor, error)
	// CreditorByCode returns ErrNotFound if no creditor has that code.
	CreditorByCode(ctx context.Context, code string) (*Creditor, error)

	// PutDebtor creates the debtor, or updates the one with the same Ref,
	// and sets d.ID. Returns ErrInvalid if Ref or Name is empty.
	PutDebtor(ctx context.Context, d *Debtor) error
	// Debtor returns ErrNotFound if there is no debtor with that id.
	Debtor(ctx context.Context, id int64) (*Debtor, error)

	// PutCase creates the case, or updates the one with the same Ref, with
	// its invoices matched by Number (new ones added, known ones updated,
	// none removed). It sets c.ID, the invoice IDs and CaseIDs, and reports
	// whether the case was created. Returns ErrInvalid if c.Validate fails
	// or CreditorID/DebtorID do not exist.
	PutCase(ctx context.Context, c *Case) (created bool, err error)
	// Case returns the case with Creditor, Debtor, Invoices (by due date)
	// and Payments (by value date) filled; ErrNotFound if there is none.
	Case(ctx context.Context, id int64) (*Case, error)
	// CaseByRef is Case by dossier number, compared case-insensitively.
	CaseByRef(ctx context.Context, ref string) (*Case, error)
	// CasesByPhone returns the cases (filled as Case) of every debtor with
	// that E.164 number on file, newest first; empty when none.
	CasesByPhone(ctx context.Context, e164 string) ([]*Case, error)
	// Cases lists cases (filled as Case) matching f, by dossier number.
	Cases(ctx context.Context, f CaseFilter) ([]*Case, error)
	// SetCaseStatus returns ErrNotFound for an unknown case, ErrInvalid for an unknown status.
	SetCaseStatus(ctx context.Context, caseID int64, s Status) error
	// SetInvoiceStatus returns ErrNotFound for an unknown invoice, ErrInvalid for an unknown status.
	SetInvoiceStatus(ctx context.Context, invoiceID int64, s InvoiceStatus) error

	// AddPayment records a payment and sets p.ID. ErrInvalid if the amount
	// is not positive; ErrNotFound if the case (or invoice) is unknown.
	AddPayment(ctx context.Context, p *Payment) error

	// AddDispute records a dispute (Status defaults to open) and sets d.ID.
	AddDispute(ctx context.Context, d *Dispute) error
	// ResolveDispute sets a dispute's status to upheld or rejected; returns
	// ErrConflict if it was already resolved, ErrNotFound if unknown.
	ResolveDispute(ctx context.Context, id int64, s DisputeStatus, at time.Time) error
	// Disputes of a case, oldest first.
	Disputes(ctx context.Context, caseID int64) ([]*Dispute, error)

	// AddPlan records a plan with its installments and sets p.ID. ErrInvalid
	// if the installments do not sum to Total.
	AddPlan(ctx context.Context, p *Plan) error
	// SetPlanStatus returns ErrNotFound for an unknown plan.
	SetPlanStatus(ctx context.Context, id int64, s PlanStatus) error
	// Plans of a case, oldest first, with installments.
	Plans(ctx context.Context, caseID int64) ([]*Plan, error)

	// AddPromise records a promise to pay and sets p.ID.
	AddPromise(ctx context.Context, p *Promise) error
	// Promises of a case, oldest first.
	Promises(ctx context.Context, caseID int64) ([]*Promise, error)

	// AppendDossier appends an entry and sets e.ID (and e.At to the store's
	// clock if zero; Body to "{}" if empty). ErrNotFound for an unknown case,
	// ErrInvalid if Kind is empty or Body is not a JSON object.
	AppendDossier(ctx context.Context, e *DossierEntry) error
	// Dossier returns a case's entries newest first, as q selects.
	Dossier(ctx context.Context, caseID int64, q DossierQuery) ([]DossierEntry, error)
}

// Store is the system of record.
type Store interface {
	Tx
	// InTx runs fn in one transaction: committed if fn returns nil, rolled
	// back (nothing written) if it returns an error or panics.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	// Ping reports whether the store is reachable.
	Ping(ctx context.Context) error
	Close() error
}
