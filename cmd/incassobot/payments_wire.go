package main

import (
	"github.com/incassobot/incassobot/bot"
	"github.com/incassobot/incassobot/bot/payments"
	"github.com/incassobot/incassobot/bot/stripe"
	"github.com/incassobot/incassobot/casestore"
)

// wirePayments switches online payment on when Stripe is configured: the
// webhook, the agency's pay links, and the bot offering them instead of
// the creditor's static link.
func wirePayments(e *env, cfg config, st casestore.Store, r *running, conv *bot.Conversations) {
	sc := cfg.Payments.Stripe
	if sc == nil {
		e.log.Info("online payment is off: the creditor's payment link stays", "why", "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET not set")
		return
	}
	ledger := &payments.Service{Store: st, Now: e.now, Wake: r.outbox.Wake, Log: e.log}
	links := &payments.PayLinks{Store: st, Checkout: stripe.NewClient(*sc), Key: cfg.Payments.PayLinkKey,
		PublicURL: cfg.Channels.PublicURL, Now: e.now, Log: e.log}
	r.deps.StripeWebhook = stripe.NewWebhook(*sc, ledger, e.log)
	r.deps.PayLinks = links.Handler()
	conv.PayLink = links.URL
	e.log.Info("online payment on", "provider", "stripe", "webhook", cfg.Channels.PublicURL+"/webhooks/stripe")
}
