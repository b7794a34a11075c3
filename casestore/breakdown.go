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
	// InterestFrom is the first day of the interest in Amounts.Interest;
	// nil when none is charged (waived, or a Belgian consumer before the
	// reminder's wait is over).
	InterestFrom *time.Time `json:"interest_from"`
	// PrincipalOpen is the part of the principal still unpaid (art. 6:44
	// BW order: a payment made before the costs were charged went to
	// interest and principal, so Open minus costs and interest need not be
	// it). Interest runs on this.
	PrincipalOpen decimal.Decimal `json:"principal_open"`
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
	// Explanation is what the figures rest on, for the debtor's text and
	// for a lawyer checking a figure (balance --json).
	Explanation Explanation `json:"explanation"`
}

// Explanation says which rules produced a Breakdown.
type Explanation struct {
	InterestKind InterestKind `json:"interest_kind"`
	// InterestLaw names the interest, e.g. "wettelijke rente, art. 6:119 BW".
	InterestLaw string `json:"interest_law"`
	// InterestStart is the earliest InterestFrom of the invoices; nil when
	// no interest is charged. InterestRule says why it starts then.
	InterestStart *time.Time `json:"interest_start"`
	InterestRule  string     `json:"interest_rule"`
	// Rates are the yearly rates applied, per period, from InterestStart
	// up to and including AsOf.
	Rates []RatePeriod `json:"rates"`
	// CostsName is what the costs are called: "incassokosten" (NL) or
	// "schadebeding" (a Belgian damages clause) or "forfaitaire vergoeding"
	// (the Belgian B2B €40).
	CostsName string `json:"costs_name"`
	// CostsDue is the day the costs became (or become) due; nil when none
	// can be charged. CostsReason says why that day, or why none.
	CostsDue    *time.Time `json:"costs_due"`
	CostsReason string     `json:"costs_reason"`
	// CostsBase is the principal the costs were computed over, CostsBasis
	// and CostsSources how (see Costs); empty until costs are charged.
	CostsBase    decimal.Decimal `json:"costs_base"`
	CostsBasis   string          `json:"costs_basis"`
	CostsSources []string        `json:"costs_sources"`
	// OutsideLetter lists the invoices not yet due when the letter /
	// reminder was sent: no costs on them (art. 6:96 lid 6 BW, XIX.2 WER).
	OutsideLetter []string `json:"invoices_outside_letter"`
	// Clause is the Belgian consumer clause the damages and interest rest
	// on; nil when the case has none.
	Clause *DamagesClause `json:"damages_clause"`
}

// RatePeriod is one stretch of days at one yearly rate.
type RatePeriod struct {
	From      time.Time       `json:"from"`
	To        time.Time       `json:"to"` // last day, inclusive
	Percent   decimal.Decimal `json:"rate_percent"`
	Source    string          `json:"source"`
	Confirmed bool            `json:"confirmed"`
}
