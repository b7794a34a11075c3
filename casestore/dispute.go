package casestore

import (
	"time"

	"github.com/shopspring/decimal"
)

// DisputeReason is why a debtor contests an invoice (betwisting).
type DisputeReason string

const (
	ReasonNotReceived DisputeReason = "not-received"
	ReasonWrongAmount DisputeReason = "wrong-amount"
	ReasonFaulty      DisputeReason = "faulty" // goods or service faulty
	ReasonAlreadyPaid DisputeReason = "already-paid"
	ReasonNotMyDebt   DisputeReason = "not-my-debt"
	ReasonOther       DisputeReason = "other"
)

// DisputeReasons lists every reason in the order the debtor is offered them.
var DisputeReasons = []DisputeReason{ReasonNotReceived, ReasonWrongAmount, ReasonFaulty, ReasonAlreadyPaid, ReasonNotMyDebt, ReasonOther}

// DisputeStatus is where a dispute stands.
type DisputeStatus string

const (
	DisputeOpen     DisputeStatus = "open"
	DisputeUpheld   DisputeStatus = "upheld"   // the debtor was right
	DisputeRejected DisputeStatus = "rejected" // the claim stands
)

// Dispute is a debtor contesting one invoice, or the whole case when InvoiceID is nil.
type Dispute struct {
	ID         int64
	CaseID     int64
	InvoiceID  *int64
	Reason     DisputeReason
	Text       string   // the debtor's own words (data: escape when shown, never log at info)
	Evidence   []string // media references (URLs or storage keys) kept in the dossier
	Status     DisputeStatus
	CreatedAt  time.Time
	ResolvedAt *time.Time
}

// PromiseStatus is where a promise to pay stands.
type PromiseStatus string

const (
	PromiseOpen   PromiseStatus = "open"
	PromiseKept   PromiseStatus = "kept"
	PromiseBroken PromiseStatus = "broken"
)

// Promise is a debtor's promise to pay an amount on a day.
type Promise struct {
	ID        int64
	CaseID    int64
	Amount    decimal.Decimal
	Date      time.Time // calendar day
	Status    PromiseStatus
	CreatedAt time.Time
}
