package stripe

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	"github.com/shopspring/decimal"
	stripeapi "github.com/stripe/stripe-go/v82"
	"github.com/stripe/stripe-go/v82/webhook"
)

// maxEventBytes bounds a webhook body: Stripe's events are a few KB.
const maxEventBytes = 256 << 10

// NewWebhook is POST /webhooks/stripe. Every request must carry a valid
// Stripe-Signature for the endpoint's secret (checked by Stripe's
// library, with its 5-minute tolerance), else 400 and nothing is read.
// Answers: 200 once the event is recorded (or is one we do not use, or
// names a case or payment we do not know: a retry would not help); 500
// when the store failed, so Stripe retries. A retry of an event already
// recorded is recognised by the payment's id and changes nothing.
func NewWebhook(cfg Config, ledger payments.Ledger, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
		if err != nil {
			http.Error(w, "body too large or unreadable", http.StatusBadRequest)
			return
		}
		ev, err := webhook.ConstructEvent(body, r.Header.Get("Stripe-Signature"), cfg.WebhookSecret)
		if err != nil {
			log.Warn("stripe: webhook refused", "err", err)
			http.Error(w, "invalid signature", http.StatusBadRequest)
			return
		}
		err = handle(r, ev, ledger, log)
		var bad badEvent
		switch {
		case errors.As(err, &bad):
			log.Warn("stripe: event not usable", "event", ev.ID, "type", ev.Type, "why", string(bad))
		case errors.Is(err, casestore.ErrNotFound):
			log.Warn("stripe: event names an unknown case or payment", "event", ev.ID, "type", ev.Type, "err", err)
		case err != nil:
			log.Error("stripe: recording the event failed; Stripe will retry", "event", ev.ID, "type", ev.Type, "err", err)
			http.Error(w, "not recorded, retry", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// badEvent: a signed event we cannot use (no case in it); a retry is the
// same event, so it is answered 200 and logged.
type badEvent string

func (e badEvent) Error() string { return string(e) }

func handle(r *http.Request, ev stripeapi.Event, ledger payments.Ledger, log *slog.Logger) error {
	ctx := r.Context()
	switch ev.Type {
	case stripeapi.EventTypeCheckoutSessionCompleted, stripeapi.EventTypeCheckoutSessionAsyncPaymentSucceeded:
		var s stripeapi.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &s); err != nil {
			return badEvent("checkout session unreadable")
		}
		if s.PaymentStatus != stripeapi.CheckoutSessionPaymentStatusPaid {
			return nil // paid later: async_payment_succeeded follows
		}
		caseID, err := strconv.ParseInt(s.Metadata["case_id"], 10, 64)
		if err != nil || caseID <= 0 {
			return badEvent("no case_id in the session's metadata")
		}
		paymentID := s.ID
		if s.PaymentIntent != nil && s.PaymentIntent.ID != "" {
			paymentID = s.PaymentIntent.ID
		}
		res, err := ledger.Paid(ctx, casestore.IncomingPayment{CaseID: caseID, Amount: decimal.New(s.AmountTotal, -2),
			ValueDate: casestore.DayOf(time.Unix(ev.Created, 0)), Source: casestore.SourceStripe, ExternalID: paymentID,
			Reference: "Stripe " + s.Metadata["purpose"]})
		if err == nil {
			log.Info("stripe: payment", "event", ev.ID, "payment", paymentID, "case", caseID, "duplicate", res.Duplicate)
		}
		return err
	case stripeapi.EventTypeChargeRefunded:
		var ch stripeapi.Charge
		if err := json.Unmarshal(ev.Data.Raw, &ch); err != nil || ch.PaymentIntent == nil {
			return badEvent("charge without its payment intent")
		}
		if !ch.Refunded {
			// A partial refund: the payment stands in part. A collector
			// corrects it by hand; the log says which.
			log.Warn("stripe: partial refund not booked", "event", ev.ID, "payment", ch.PaymentIntent.ID, "refunded_cents", ch.AmountRefunded)
			return nil
		}
		return reverse(r, ev, ledger, ch.PaymentIntent.ID, "refunded", log)
	case stripeapi.EventTypeChargeDisputeCreated:
		var d stripeapi.Dispute
		if err := json.Unmarshal(ev.Data.Raw, &d); err != nil || d.PaymentIntent == nil {
			return badEvent("dispute without its payment intent")
		}
		return reverse(r, ev, ledger, d.PaymentIntent.ID, "disputed ("+string(d.Reason)+")", log)
	}
	return nil
}

func reverse(r *http.Request, ev stripeapi.Event, ledger payments.Ledger, paymentID, reason string, log *slog.Logger) error {
	rev, err := ledger.Reversed(r.Context(), casestore.SourceStripe, paymentID, reason)
	if err == nil {
		log.Info("stripe: payment reversed", "event", ev.ID, "payment", paymentID, "duplicate", rev.Duplicate)
	}
	return err
}
