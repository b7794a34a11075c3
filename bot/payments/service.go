package payments

import (
	"context"
	"log/slog"
	"time"

	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
)

// Ledger is what a payment provider's webhook (bot/stripe) or a bank
// statement import reports to: money in, money taken back. Both are
// idempotent on the source's ids, so a provider may deliver as often as
// it likes.
type Ledger interface {
	// Paid records a payment and thanks the debtor (Record), in one
	// transaction. ErrNotFound for an unknown case.
	Paid(ctx context.Context, in casestore.IncomingPayment) (Result, error)
	// Reversed takes a payment back (casestore.ApplyReversal).
	// ErrNotFound when the source never reported that payment.
	Reversed(ctx context.Context, source casestore.PaymentSource, externalID, reason string) (casestore.Reversed, error)
}

// Order is what an online checkout is for: one case's open balance or
// its next installment.
type Order struct {
	CaseID      int64
	CaseRef     string
	Amount      decimal.Decimal
	Description string // shown on the payment page, in the debtor's language
	Country     string // "NL" or "BE": which local method to offer (iDEAL, Bancontact)
	Language    casestore.Language
	// Purpose is "balance" or "installment-N", kept with the payment.
	Purpose    string
	SuccessURL string
	CancelURL  string
}

// Checkout makes an online payment page for an order (bot/stripe).
type Checkout interface {
	CheckoutURL(ctx context.Context, o Order) (string, error)
}

// Service is the Ledger on the store: one transaction per report.
type Service struct {
	Store casestore.Store
	Now   func() time.Time // time.Now when nil
	// Wake, when set, tells the outbox sender a thank-you is waiting.
	Wake func()
	Log  *slog.Logger // slog.Default when nil
}

var _ Ledger = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Paid implements Ledger.
func (s *Service) Paid(ctx context.Context, in casestore.IncomingPayment) (res Result, err error) {
	err = s.Store.InTx(ctx, func(tx casestore.Tx) error {
		res, err = Record(ctx, tx, in, "", s.now())
		return err
	})
	if err == nil && res.Thanks != nil && s.Wake != nil {
		s.Wake()
	}
	return res, err
}

// Reversed implements Ledger.
func (s *Service) Reversed(ctx context.Context, source casestore.PaymentSource, externalID, reason string) (r casestore.Reversed, err error) {
	err = s.Store.InTx(ctx, func(tx casestore.Tx) error {
		r, err = casestore.ApplyReversal(ctx, tx, source, externalID, reason, s.now())
		return err
	})
	return r, err
}
