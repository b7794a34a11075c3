package casestore

import (
	"time"

	"github.com/shopspring/decimal"
)

// PlanStatus is where an installment plan (betalingsregeling) stands.
type PlanStatus string

const (
	PlanPending   PlanStatus = "pending"   // waits for a collector's approval
	PlanActive    PlanStatus = "active"    // agreed; installments are due
	PlanRejected  PlanStatus = "rejected"  // a collector said no
	PlanCompleted PlanStatus = "completed" // paid in full
	PlanBroken    PlanStatus = "broken"    // installments missed; collection resumes
)

// Plan is an agreed or pending schedule of dated installments. The
// installments (down payment first, when there is one) sum to Total exactly.
type Plan struct {
	ID           int64
	CaseID       int64
	Status       PlanStatus
	Total        decimal.Decimal
	DownPayment  decimal.Decimal // zero when none
	Installments []Installment
	CreatedAt    time.Time
	// InterestDuringPlan tells the debtor whether statutory interest keeps
	// running while the plan is paid (the case's policy; projected into
	// Total when it does). Set on every plan EvaluatePlan and CollectorPlan
	// lay out; not stored (the case's policy is).
	InterestDuringPlan bool
}

// Installment is one dated payment of a plan.
type Installment struct {
	Seq    int       // 1-based
	Due    time.Time // calendar day
	Amount decimal.Decimal
}
