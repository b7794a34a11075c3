package stripe

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/casestore"
	stripeapi "github.com/stripe/stripe-go/v82"
)

// Config is the Stripe account.
type Config struct {
	SecretKey     string // STRIPE_SECRET_KEY (sk_…)
	WebhookSecret string // STRIPE_WEBHOOK_SECRET (whsec_…)
	// APIURL replaces https://api.stripe.com (a local fake in tests).
	APIURL string
}

// Client creates Checkout Sessions.
type Client struct {
	api *stripeapi.Client
}

// NewClient is the Stripe client for cfg. A call takes at most 15 s and
// is retried by the library on network errors and 5xx (with Stripe's
// idempotency keys, so a retried creation makes one session).
func NewClient(cfg Config) *Client {
	bc := &stripeapi.BackendConfig{
		HTTPClient:        &http.Client{Timeout: 15 * time.Second},
		LeveledLogger:     &stripeapi.LeveledLogger{Level: stripeapi.LevelNull},
		MaxNetworkRetries: stripeapi.Int64(2),
	}
	if cfg.APIURL != "" {
		bc.URL = stripeapi.String(cfg.APIURL)
	}
	return &Client{api: stripeapi.NewClient(cfg.SecretKey, stripeapi.WithBackends(stripeapi.NewBackendsWithConfig(bc)))}
}

var _ payments.Checkout = (*Client)(nil)

// CheckoutURL creates a Checkout Session for o and returns its page.
// The case rides along in the session's and the PaymentIntent's metadata:
// the webhook finds the case from it.
func (c *Client) CheckoutURL(ctx context.Context, o payments.Order) (string, error) {
	cents := casestore.RoundCents(o.Amount).Shift(2)
	if !cents.IsPositive() || !cents.IsInteger() {
		return "", fmt.Errorf("stripe: checkout for %s: amount %s: %w", o.CaseRef, o.Amount, casestore.ErrInvalid)
	}
	methods := []*string{stripeapi.String("ideal"), stripeapi.String("card")}
	if o.Country == "BE" {
		methods = []*string{stripeapi.String("bancontact"), stripeapi.String("card")}
	}
	meta := map[string]string{"case_id": strconv.FormatInt(o.CaseID, 10), "case_ref": o.CaseRef, "purpose": o.Purpose}
	params := &stripeapi.CheckoutSessionCreateParams{
		Mode:               stripeapi.String(string(stripeapi.CheckoutSessionModePayment)),
		PaymentMethodTypes: methods,
		LineItems: []*stripeapi.CheckoutSessionCreateLineItemParams{{
			Quantity: stripeapi.Int64(1),
			PriceData: &stripeapi.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:    stripeapi.String("eur"),
				UnitAmount:  stripeapi.Int64(cents.IntPart()),
				ProductData: &stripeapi.CheckoutSessionCreateLineItemPriceDataProductDataParams{Name: stripeapi.String(o.Description)},
			},
		}},
		ClientReferenceID: stripeapi.String(o.CaseRef),
		Locale:            stripeapi.String(locale(o.Language)),
		SuccessURL:        stripeapi.String(o.SuccessURL),
		CancelURL:         stripeapi.String(o.CancelURL),
		Metadata:          meta,
		PaymentIntentData: &stripeapi.CheckoutSessionCreatePaymentIntentDataParams{Metadata: meta, Description: stripeapi.String(o.Description)},
	}
	params.Context = ctx
	s, err := c.api.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return "", fmt.Errorf("stripe: checkout for %s: %w", o.CaseRef, err)
	}
	if s.URL == "" {
		return "", fmt.Errorf("stripe: checkout for %s: no URL in the session", o.CaseRef)
	}
	return s.URL, nil
}

func locale(l casestore.Language) string {
	switch l {
	case casestore.English:
		return "en"
	case casestore.French:
		return "fr"
	}
	return "nl"
}
