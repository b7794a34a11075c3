// Package stripe is online payment through Stripe: a Checkout Session per
// order (iDEAL for Dutch cases, Bancontact for Belgian ones, cards for
// all) with the case in its metadata, and the signed webhook that reports
// the money in (checkout.session.completed) and taken back
// (charge.refunded, charge.dispute.created) to a payments.Ledger. It uses
// Stripe's own Go library for both; stripefake/ is a local Stripe for tests.
package stripe
