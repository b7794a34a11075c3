package casestore

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// InvoiceStatus is the state of one claim inside a case.
type InvoiceStatus string

const (
	InvoiceOpen     InvoiceStatus = "open"
	InvoiceDisputed InvoiceStatus = "disputed" // on hold until a collector decides
	InvoicePaused   InvoiceStatus = "paused"   // debtor says it was paid; on hold until checked
	InvoicePaid     InvoiceStatus = "paid"
	InvoiceWaived   InvoiceStatus = "waived" // written off / dispute upheld
)

// Valid reports whether s is a known invoice status.
func (s InvoiceStatus) Valid() bool {
	switch s {
	case InvoiceOpen, InvoiceDisputed, InvoicePaused, InvoicePaid, InvoiceWaived:
		return true
	}
	return false
}

// Invoice is one claim (factuur) in a case.
type Invoice struct {
	ID          int64
	CaseID      int64
	Number      string // the creditor's invoice number; unique within a case
	Description string
	IssueDate   time.Time       // calendar day
	DueDate     time.Time       // calendar day; interest runs from the day after
	Principal   decimal.Decimal // hoofdsom, > 0
	Status      InvoiceStatus
	// DocumentID is the stored file (Media) of the creditor's copy of the
	// invoice, delivered with the import; 0 when there is none.
	DocumentID int64
}

// Validate checks an invoice's own fields.
func (inv *Invoice) Validate() error {
	switch {
	case inv.Number == "":
		return fmt.Errorf("invoice: number is empty: %w", ErrInvalid)
	case !inv.Principal.IsPositive():
		return fmt.Errorf("invoice %s: principal %s must be positive: %w", inv.Number, inv.Principal, ErrInvalid)
	case inv.Principal.Exponent() < -2 && !inv.Principal.Equal(inv.Principal.Round(2)):
		return fmt.Errorf("invoice %s: principal %s has more than two decimals: %w", inv.Number, inv.Principal, ErrInvalid)
	case inv.IssueDate.IsZero() || inv.DueDate.IsZero():
		return fmt.Errorf("invoice %s: issue and due date are required: %w", inv.Number, ErrInvalid)
	case inv.DueDate.Before(inv.IssueDate):
		return fmt.Errorf("invoice %s: due date before issue date: %w", inv.Number, ErrInvalid)
	case inv.Status != "" && !inv.Status.Valid():
		return fmt.Errorf("invoice %s: unknown status %q: %w", inv.Number, inv.Status, ErrInvalid)
	}
	return nil
}
