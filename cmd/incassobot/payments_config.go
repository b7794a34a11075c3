package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/incassobot/incassobot/bot/stripe"
)

// paymentsConfig is online payment: Stripe, when configured.
type paymentsConfig struct {
	// Stripe (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_URL);
	// nil: the creditor's own payment link stays.
	Stripe *stripe.Config
	// PayLinkKey signs the agency's pay links; derived from the Stripe
	// secret key, so no extra secret needs keeping.
	PayLinkKey []byte
}

// loadPayments reads the Stripe variables: both keys or neither, and a
// PUBLIC_URL for the pay links and the return page.
func loadPayments(getenv func(string) string, publicURL string) (paymentsConfig, []error) {
	var c paymentsConfig
	key, secret := strings.TrimSpace(getenv("STRIPE_SECRET_KEY")), strings.TrimSpace(getenv("STRIPE_WEBHOOK_SECRET"))
	apiURL := strings.TrimSpace(getenv("STRIPE_API_URL"))
	if key == "" && secret == "" {
		return c, nil
	}
	var errs []error
	switch {
	case key == "":
		errs = append(errs, errors.New("STRIPE_SECRET_KEY: required with STRIPE_WEBHOOK_SECRET"))
	case secret == "":
		errs = append(errs, errors.New("STRIPE_WEBHOOK_SECRET: required with STRIPE_SECRET_KEY (Dashboard → Webhooks → signing secret)"))
	}
	if publicURL == "" {
		errs = append(errs, errors.New("PUBLIC_URL: required with Stripe: pay links and the checkout's return page live there"))
	}
	if apiURL != "" {
		if u, err := url.Parse(apiURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("STRIPE_API_URL %q: want an http(s) base URL", apiURL))
		}
	}
	if len(errs) > 0 {
		return c, errs
	}
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte("incassobot pay links"))
	c.Stripe = &stripe.Config{SecretKey: key, WebhookSecret: secret, APIURL: strings.TrimSuffix(apiURL, "/")}
	c.PayLinkKey = m.Sum(nil)
	return c, nil
}
