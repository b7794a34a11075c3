package casestore

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// BankLineStatus is where a queued bank line stands.
type BankLineStatus string

const (
	BankLineOpen     BankLineStatus = "open"     // waits for a collector
	BankLineAssigned BankLineStatus = "assigned" // booked on a case by a collector
)

// BankLine is a credit on the agency's account that the statement import
// could not book by itself: no case reference or dossier number in it, or
// one that names several cases. A collector assigns it to a case.
type BankLine struct {
	ID         int64
	EntryRef   string // the bank's reference of the entry; unique
	BookedOn   time.Time
	Amount     decimal.Decimal
	Name       string // the payer, as the bank gives it
	IBAN       string
	Remittance string
	Reason     string // why it was not booked, for the collector
	// SuggestedCaseID: the amount equals the open balance of a case whose
	// debtor's name matches the payer's. A suggestion only; 0 when none.
	SuggestedCaseID int64
	Status          BankLineStatus
	CaseID          int64 // once assigned
	PaymentID       int64 // the payment the assignment booked
	ImportedAt      time.Time
	ResolvedAt      *time.Time
}

// Validate checks a new queued line.
func (b *BankLine) Validate() error {
	switch {
	case b.EntryRef == "":
		return fmt.Errorf("bank line: entry reference is empty: %w", ErrInvalid)
	case !b.Amount.IsPositive() || !b.Amount.Equal(b.Amount.Round(2)):
		return fmt.Errorf("bank line %s: amount %s must be positive whole cents: %w", b.EntryRef, b.Amount, ErrInvalid)
	case b.BookedOn.IsZero():
		return fmt.Errorf("bank line %s: booking date is required: %w", b.EntryRef, ErrInvalid)
	}
	return nil
}
