package casestore

import (
	"fmt"
	"regexp"
	"time"

	"github.com/shopspring/decimal"
)

// Creditor is the agency's client (schuldeiser) whose claims are collected.
type Creditor struct {
	ID   int64
	Code string // stable external key used by imports, e.g. "ENERGIEDIRECT"; unique
	Name string
	// VATOnCosts: the creditor cannot deduct VAT and declares so, so 21% VAT
	// is charged on top of the NL collection costs.
	VATOnCosts bool
	// ContractualCosts (B2B only): agreed collection costs as a fraction of
	// the principal (e.g. 0.15); zero means the WIK staffel applies.
	ContractualCosts decimal.Decimal
	// MinimumPerInvoice (B2B only): the €40 minimum of art. 6:96 lid 4 BW /
	// art. 6 of the Belgian law of 2 August 2002 (Directive 2011/7/EU art.
	// 6) is claimed for every unpaid invoice, as the CJEU read the
	// directive (20 October 2022, C-585/20, BFF Finance Iberia): each
	// invoice's share of the costs is at least €40. False: once per case,
	// the modest default. A creditor's documented choice.
	MinimumPerInvoice bool
	PaymentURL        string // base of the payment link shown to debtors; may be empty
	CreatedAt         time.Time
}

// Language is a debtor's preferred language: "nl" (default), "en" or "fr".
type Language string

const (
	Dutch   Language = "nl"
	English Language = "en"
	French  Language = "fr"
)

// Debtor is the person or business that owes. Phones are E.164 ("+31612345678").
type Debtor struct {
	ID int64
	// CreditorID is the creditor whose debtor this is. A debtor belongs to
	// one creditor: Ref is that creditor's own customer number, so another
	// creditor's file naming the same Ref names another person.
	CreditorID int64
	Ref        string // stable external key used by imports; unique per creditor
	Name       string
	IsCompany  bool
	Phones     []string
	Email      string
	Postcode   string     // normalised: upper case, no spaces ("1234AB", "1000")
	BirthDate  *time.Time // calendar day; nil for companies or when unknown
	Language   Language
	CreatedAt  time.Time
}

// e164 is an international number as the channels deliver it: "+", a
// country code, at most 15 digits in all. NormalizePhone produces it.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{5,14}$`)

// Validate checks the fields every store must refuse when wrong, so that an
// import behaves the same on the embedded default and on PostgreSQL.
func (d *Debtor) Validate() error {
	switch {
	case d.Ref == "":
		return fmt.Errorf("debtor: reference is empty: %w", ErrInvalid)
	case d.CreditorID <= 0:
		return fmt.Errorf("debtor %s: no creditor: %w", d.Ref, ErrInvalid)
	case d.Name == "":
		return fmt.Errorf("debtor %s: name is empty: %w", d.Ref, ErrInvalid)
	}
	switch d.Language {
	case "", Dutch, English, French:
	default:
		return fmt.Errorf("debtor %s: unknown language %q: %w", d.Ref, d.Language, ErrInvalid)
	}
	for _, p := range d.Phones {
		if !e164.MatchString(p) {
			// The number itself is personal data: not in the error.
			return fmt.Errorf("debtor %s: a phone number is not in E.164 form: %w", d.Ref, ErrInvalid)
		}
	}
	return nil
}
