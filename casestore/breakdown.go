package casestore

import (
	"time"

	"github.com/shopspring/decimal"
)

// Amounts is the legal breakdown of what is owed. Open = Principal +
// Interest + Costs + CostsVAT - Paid, never below zero. All amounts are
// rounded to the cent.
type Amounts struct {
	Principal decimal.Decimal `json:"principal"` // hoofdsom
	Interest  decimal.Decimal `json:"interest"`  // rente accrued up to AsOf
	Costs     decimal.Decimal `json:"costs"`     // incassokosten / schadebeding, excl. VAT
	CostsVAT  decimal.Decimal `json:"costs_vat"` // 21% VAT on costs when the creditor declares it
	Paid      decimal.Decimal `json:"paid"`
	Open      decimal.Decimal `json:"open"`
}

// InvoiceBalance is the breakdown of one invoice.
type InvoiceBalance struct {
	InvoiceID int64         `json:"invoice_id"`
	Number    string        `json:"number"`
	DueDate   time.Time     `json:"due_date"`
	Status    InvoiceStatus `json:"status"`
	Amounts
}

// Breakdown is a case's balance on a day: per invoice and in total.
type Breakdown struct {
	CaseRef  string           `json:"case_ref"`
	Regime   Regime           `json:"regime"`
	AsOf     time.Time        `json:"as_of"`
	Invoices []InvoiceBalance `json:"invoices"`
	Total    Amounts          `json:"total"`
	// CostsFrom is set when collection costs may not be charged yet on
	// AsOf (NL consumer: the 14-day letter has not expired or was not
	// sent): the first day they may be. Nil when costs are due.
	CostsFrom *time.Time `json:"costs_from,omitempty"`
}
