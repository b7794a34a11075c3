package casestore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Regime is the body of law a case falls under.
type Regime string

const (
	NLB2C Regime = "nl-b2c" // Dutch consumer: WIK staffel after the 14-day letter, wettelijke rente (6:119 BW)
	NLB2B Regime = "nl-b2b" // Dutch business: contractual costs or staffel (min €40), handelsrente (6:119a BW)
	BEB2C Regime = "be-b2c" // Belgian consumer: Book XIX WER, capped damages
	BEB2B Regime = "be-b2b" // Belgian business: law of 2 August 2002, €40 flat plus late-payment interest
)

// Regimes lists every regime, in a stable order.
var Regimes = []Regime{NLB2C, NLB2B, BEB2C, BEB2B}

// Valid reports whether r is a known regime.
func (r Regime) Valid() bool {
	for _, x := range Regimes {
		if r == x {
			return true
		}
	}
	return false
}

// Consumer reports whether the debtor is a consumer under r.
func (r Regime) Consumer() bool { return r == NLB2C || r == BEB2C }

// Stage is where a case is in the collection process.
type Stage string

const (
	PreIncasso   Stage = "pre-incasso"  // friendly reminder
	Minnelijk    Stage = "minnelijk"    // amicable / extrajudicial collection
	Gerechtelijk Stage = "gerechtelijk" // summons, court
	Executie     Stage = "executie"     // bailiff enforces a judgment
)

// Stages lists every stage in process order.
var Stages = []Stage{PreIncasso, Minnelijk, Gerechtelijk, Executie}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool {
	for _, x := range Stages {
		if s == x {
			return true
		}
	}
	return false
}

// Judicial reports whether only a person may agree a plan in this stage.
func (s Stage) Judicial() bool { return s == Gerechtelijk || s == Executie }

// Status is the case's state of play.
type Status string

const (
	StatusOpen   Status = "open"
	StatusOnHold Status = "on-hold" // disputed or paused: automatic reminders stop
	StatusInPlan Status = "in-plan"
	StatusPaid   Status = "paid"
	StatusClosed Status = "closed"
)

// Statuses lists every case status.
var Statuses = []Status{StatusOpen, StatusOnHold, StatusInPlan, StatusPaid, StatusClosed}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if s == x {
			return true
		}
	}
	return false
}

// PlanPolicy is the creditor's rule for installment plans on one case.
type PlanPolicy struct {
	MaxTerms       int             // most installments allowed, down payment not counted
	MinInstallment decimal.Decimal // smallest installment allowed
	// DownPaymentPct is the share of the total due as a first payment
	// (0.10 = 10%); zero means no down payment is required.
	DownPaymentPct decimal.Decimal
	// InterestDuringPlan: statutory interest keeps running on the open
	// principal while the plan runs (added to the schedule).
	InterestDuringPlan bool
	MaxPromiseDays     int // furthest a promise to pay may be from today, in days
}

// DefaultPlanPolicy is used when a case carries no policy of its own.
var DefaultPlanPolicy = PlanPolicy{
	MaxTerms:       12,
	MinInstallment: decimal.NewFromInt(25),
	DownPaymentPct: decimal.Zero,
	MaxPromiseDays: 30,
}

// DamagesClause is what a Belgian consumer contract stipulates for late
// payment (Book XIX WER, art. XIX.4): a damages amount (schadebeding /
// clause pénale, not "incassokosten") and/or interest. Art. XIX.4 allows
// either only when the contract provides for it, only within its caps (§2
// for damages, the rate of the law of 2 August 2002 for interest), and only
// when the free first reminder announced it (art. XIX.2 §1).
type DamagesClause struct {
	// Terms quotes the clause as agreed, for the dossier and a lawyer.
	Terms string `json:"terms"`
	// DamagesPct: the agreed damages as a fraction of the outstanding
	// principal (0.10 = 10%); zero with Damages means "the maximum of art.
	// XIX.4 §2". The caps of §2 always apply.
	DamagesPct decimal.Decimal `json:"damages_pct"`
	// Damages: the clause stipulates a damages amount.
	Damages bool `json:"damages"`
	// LatePaymentInterest: the clause stipulates interest at the rate of
	// the law of 2 August 2002 (the ceiling of art. XIX.4), from the due
	// date. Without it the statutory rate runs from the formal notice.
	LatePaymentInterest bool `json:"late_payment_interest"`
	// AnnouncedInReminder: the first reminder named these amounts.
	AnnouncedInReminder bool `json:"announced_in_reminder"`
}

// EncodeDamagesClause is how stores keep a clause: JSON text, empty for
// none, so PostgreSQL and SQLite share one column type and one codec.
func EncodeDamagesClause(c *DamagesClause) string {
	if c == nil {
		return ""
	}
	b, _ := json.Marshal(c) // a struct of strings, bools and decimals cannot fail
	return string(b)
}

// DecodeDamagesClause reads EncodeDamagesClause's text; nil for empty.
func DecodeDamagesClause(s string) (*DamagesClause, error) {
	if s == "" {
		return nil, nil
	}
	var c DamagesClause
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, fmt.Errorf("damages clause %q: %w", s, ErrInvalid)
	}
	return &c, nil
}

// Case is one dossier: a creditor's claims on a debtor, under one regime.
// Store methods that return a *Case fill Creditor, Debtor, Invoices and
// Payments, so a Case is all Balance needs.
type Case struct {
	ID         int64
	Ref        string // dossier number shown to the debtor, e.g. "IB-2026-000123"; unique
	CreditorID int64
	DebtorID   int64
	Regime     Regime
	Stage      Stage
	Status     Status
	// LetterSentOn is the day the NL 14-day letter (veertiendagenbrief) or the
	// BE first free reminder was sent; nil when none was sent yet.
	LetterSentOn *time.Time
	// Clause is the Belgian consumer contract's late-payment clause (Book
	// XIX WER); nil when the contract has none. Only BE B2C reads it.
	Clause *DamagesClause
	Policy PlanPolicy
	// PlanAgreedOn is the day the total of the case's active plan was fixed
	// (the plan's creation day, Amsterdam); nil without an active plan.
	// Stores derive it from the plans; it is not written by PutCase. When
	// the policy does not keep interest running during a plan, Balance
	// stops interest after this day, so the balance shown and the
	// remaining installments agree.
	PlanAgreedOn *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time

	Creditor Creditor
	Debtor   Debtor
	Invoices []Invoice
	Payments []Payment
}

// Validate checks the fields a store or an import must refuse when wrong.
func (c *Case) Validate() error {
	switch {
	case c.Ref == "":
		return fmt.Errorf("case: dossier number is empty: %w", ErrInvalid)
	case !c.Regime.Valid():
		return fmt.Errorf("case %s: unknown regime %q: %w", c.Ref, c.Regime, ErrInvalid)
	case !c.Stage.Valid():
		return fmt.Errorf("case %s: unknown stage %q: %w", c.Ref, c.Stage, ErrInvalid)
	case !c.Status.Valid():
		return fmt.Errorf("case %s: unknown status %q: %w", c.Ref, c.Status, ErrInvalid)
	}
	if cl := c.Clause; cl != nil && (cl.DamagesPct.IsNegative() || cl.DamagesPct.GreaterThan(decimal.NewFromInt(1))) {
		return fmt.Errorf("case %s: damages clause share %s is not between 0 and 1: %w", c.Ref, cl.DamagesPct, ErrInvalid)
	}
	for i := range c.Invoices {
		if err := c.Invoices[i].Validate(); err != nil {
			return fmt.Errorf("case %s: %w", c.Ref, err)
		}
	}
	return nil
}
